"""Tryg Geo: data and views for Tryg Aalborg's geospatial dashboard.

The public API, grouped by what a caller wants to do:

- import and store data: :func:`import_file`, :class:`Store`, :func:`data_status`
- the exception tree: :class:`TrygGeoError` and its subclasses
- settings: :mod:`tryg_geo.settings`

``tryg_geo`` never imports Streamlit: every function here works in a plain Python session.
"""

from .errors import ExportError, StoreError, TrygGeoError, UnusableFileError, UsageError
from .importer import import_file
from .report import LoadResult
from .status import data_status
from .store import Store

__all__ = [
    "ExportError",
    "LoadResult",
    "Store",
    "StoreError",
    "TrygGeoError",
    "UnusableFileError",
    "UsageError",
    "data_status",
    "import_file",
]
