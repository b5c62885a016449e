"""Analyses beyond counts (issue 12): Getis-Ord Gi* hotspots, near-repeat Knox tables and
changes per district that are tested, not eyeballed.

Every function here is pure (no Streamlit): pages and the command line pass plain values in and
get tables and sentences back. Results that pages reuse are cached per data version and filter
on the :class:`~tryg_geo.store.dataset.Dataset` they were computed from.
"""
