"""Analyses beyond counts (issue 12): Getis-Ord Gi* hotspots, near-repeat Knox tables and
changes per district that are tested, not eyeballed.

Every function here is pure (no Streamlit): pages and the command line pass plain values in and
get tables and sentences back. Results that pages reuse are cached per data version and filter
on the :class:`~tryg_geo.dataset.Dataset` they were computed from.
"""

from __future__ import annotations

from .change import (
    CHANGE_CLASSES,
    benjamini_hochberg,
    district_count_changes,
    district_share_changes,
)
from .hotspots import (
    HOTSPOT_CLASSES,
    HotspotResult,
    cell_hotspots,
    district_hotspots,
    gi_star,
    hotspot_classes,
    two_sided_p,
)
from .near_repeat import KnoxTable, knox_test, near_repeat_table

__all__ = [
    "CHANGE_CLASSES",
    "HOTSPOT_CLASSES",
    "HotspotResult",
    "KnoxTable",
    "benjamini_hochberg",
    "cell_hotspots",
    "district_count_changes",
    "district_hotspots",
    "district_share_changes",
    "gi_star",
    "hotspot_classes",
    "knox_test",
    "near_repeat_table",
    "two_sided_p",
]
