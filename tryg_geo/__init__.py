"""Tryg Geo: data and views for Tryg Aalborg's geospatial dashboard.

The public API, grouped by what a caller wants to do:

- import and store data: :func:`import_file`, :func:`import_upload`, :class:`Store`,
  :func:`data_status`, :func:`make_demo`
- compute a view: :func:`load_dataset`, :class:`Filters`, :func:`default_filters`,
  :func:`build_view`, :func:`view_keys`, :class:`View`
- snapshots: :func:`view_png`, :func:`view_csv`, :func:`make_pack`
- maps and charts as objects: :func:`spec_map` (folium), :func:`trend_chart` (Altair)
- the registry of the 17 initiatives: :func:`load_initiatives`, :func:`get_initiative`
- the exception tree: :class:`TrygGeoError` and its subclasses
- settings: :mod:`tryg_geo.settings`

``tryg_geo`` never imports Streamlit: every function here works in a plain Python session.
"""

from .compute.filters import Filters
from .compute.registry import get_initiative, load_initiatives
from .demo.make import make_demo
from .errors import ExportError, StoreError, TrygGeoError, UnusableFileError, UsageError
from .ingest.importer import import_file, import_upload
from .ingest.result import LoadResult
from .render.charts import trend_chart
from .render.csv_export import view_csv
from .render.maps import spec_map
from .render.pack import make_pack
from .render.png_page import view_png
from .store.dataset import Dataset, load_dataset
from .store.folder import Store
from .store.status import data_status
from .views.model import View
from .views.registry import build_view, default_filters, view_keys

__all__ = [
    "Dataset",
    "ExportError",
    "Filters",
    "LoadResult",
    "Store",
    "StoreError",
    "TrygGeoError",
    "UnusableFileError",
    "UsageError",
    "View",
    "build_view",
    "data_status",
    "default_filters",
    "get_initiative",
    "import_file",
    "import_upload",
    "load_dataset",
    "load_initiatives",
    "make_demo",
    "make_pack",
    "spec_map",
    "trend_chart",
    "view_csv",
    "view_keys",
    "view_png",
]
