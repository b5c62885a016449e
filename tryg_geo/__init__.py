"""Tryg Geo: data and views for Tryg Aalborg's geospatial dashboard.

This module is the curated public API; the dashboard's pages import from here only (modules may
move between subpackages without breaking them; ``tests/test_public_api.py`` pins ``__all__``).
Grouped by what a caller wants to do:

- import and store data: :func:`import_file`, :func:`import_upload`, :class:`Store`,
  :func:`data_status`, :func:`make_demo`, :data:`KINDS`, :data:`KIND_LABELS`; the import
  wizard: :func:`detect_upload` (which kind a file holds), :func:`preview_upload`, :func:`column_proposals`, :data:`KIND_ROLES`,
  :data:`REQUIRED_ROLES`, :data:`ROLE_LABELS`, :func:`missing_roles`, :func:`missing_message`, :func:`page_wording`,
  :func:`preview_png`, :data:`UPLOAD_TYPES` (and :data:`VECTOR_UPLOAD_TYPES` for boundaries); initiative templates: :func:`template_for`
- compute a view: :func:`load_dataset`, :class:`Filters`, :func:`default_filters`,
  :func:`opening_cell`,
  :func:`build_view`, :func:`view_keys`, :class:`View`; the registry of views and pages:
  :data:`MAIN_VIEWS`, :data:`PAGES`; page options: :func:`tryg_bydel_indicators`,
  :func:`place_indicators`, :data:`PRESETS`, :func:`period_caption`, :data:`SCHEMES`, :data:`CELL_CHOICES`,
  :data:`NIGHT_STARTS`, :data:`NIGHT_ENDS`, :data:`URL_KEYS`, :data:`LAYER_PARAM`, :data:`HOTSPOT_LAYER`,
  :data:`MAP_MODE_PARAM`, :data:`HOTSPOT_MODE`, :data:`CHANGE_MODE`; the Analyse page's panels
  beside its view: :func:`analyse_panels`, :data:`PERMUTATION_CHOICES`,
  :data:`PERMUTATION_PARAM`, :func:`permutations_of`; its emerging hot spots:
  :data:`EMERGING_MODE`, :data:`STEP_PARAM` (its steps are :data:`STEPS`), :data:`UNIT_PARAM`
  (cells or districts, as :func:`emerging_units` offers them), the analysts' per-location
  table :func:`emerging_detail`
- the time slider and its motion: :func:`stepped_maps` (a view's steps on one colour scale,
  :data:`STEPS`, :data:`DEFAULT_STEP`, :class:`SteppedMaps`), :func:`step_view` (one step as a
  View), :func:`animation_bytes` (GIF/MP4), :func:`animation_name`, :data:`ANIMATION_FORMATS`,
  :func:`mp4_available`
- snapshots: :func:`view_png`, :func:`view_csv`, :func:`csv_table`,
  :func:`suppression_problems`, :func:`file_stem`, :data:`DIALECTS`, :func:`make_pack`; the
  steering-group deck as PowerPoint or PDF: :func:`make_deck`
- maps and charts as objects: :func:`spec_map` (folium; the dashboard draws its
  :func:`frame_map` and :func:`spec_layers` apart, kept as
  :class:`PrerenderedLayers`), :func:`trend_chart`, :func:`heatmap_chart` and
  :func:`kommune_chart` (Altair); a chosen district against the kommune and its likes:
  :func:`yardstick_part`; Leaflet served offline: :func:`install_static_assets`,
  :func:`configure_offline_folium`, :func:`leaflet_url_prefix`
- the registry of the 17 initiatives: :func:`load_initiatives`, :func:`get_initiative`
- the exception tree: :class:`TrygGeoError` and its subclasses; :data:`DATA_UNAVAILABLE`, what
  every role but the data steward is told when the data cannot be read
- the one cache (bounded, sizes in ``tryg_geo.cache.BOUNDS``): :class:`LRU`
- settings and Danish formatting: the modules :mod:`tryg_geo.settings` and :mod:`tryg_geo.fmt`;
  the discretion limit every shown number obeys: ``privacy.threshold()``
  (:mod:`tryg_geo.compute.privacy`; a page keys what it keeps by it)
- roles and sign-in: the module :mod:`tryg_geo.access` (capabilities, ``roles.toml``, the
  start-up mode) and :class:`AccessError`; what each role may have in each file: the module
  :mod:`tryg_geo.role_files`; every CSV written without formulas: :func:`csv_bytes`

``tryg_geo`` never imports Streamlit: every function here works in a plain Python session.
"""

from . import access, fmt, role_files, settings
from .cache import LRU
from .compute import privacy
from .compute.filters import (
    NIGHT_ENDS,
    NIGHT_STARTS,
    PRESETS,
    SCHEMES,
    URL_KEYS,
    Filters,
    period_caption,
)
from .compute.registry import get_initiative, load_initiatives
from .compute.steps import DEFAULT_STEP, STEPS
from .csv_safe import csv_bytes
from .demo.make import make_demo
from .errors import (
    DATA_UNAVAILABLE,
    AccessError,
    ColumnError,
    DataDamagedError,
    ExportError,
    StoreError,
    TrygGeoError,
    UnusableFileError,
    UsageError,
)
from .geo.grid import CELL_CHOICES
from .ingest.detect import column_proposals, page_wording
from .ingest.detect_kind import KindGuess
from .ingest.detect_roles import (
    KIND_ROLES,
    REQUIRED_ROLES,
    ROLE_LABELS,
    missing_message,
    missing_roles,
)
from .ingest.formats import UPLOAD_TYPES, VECTOR_UPLOAD_TYPES
from .ingest.importer import detect_upload, preview_upload
from .ingest.modes import APPENDABLE as APPENDABLE_KINDS
from .ingest.modes import MODE_LABELS as IMPORT_MODE_LABELS
from .ingest.modes import ImportPlan, plan_import
from .ingest.reasons import reason_text
from .ingest.result import LoadResult
from .ingest.template import template_for

# The importer followed by the alert rules: the one place every import (wizard, CLI) ends.
from .notify.alerts import alerts_for, import_file, import_upload
from .render.animation import ANIMATION_FORMATS, animation_bytes, animation_name, mp4_available
from .render.charts import heatmap_chart, kommune_chart, trend_chart
from .render.csv_export import DIALECTS, csv_table, suppression_problems, view_csv
from .render.deck import make_deck
from .render.files import file_stem
from .render.map_assets import configure_offline_folium, install_static_assets, leaflet_url_prefix
from .render.maps import PrerenderedLayers, frame_map, spec_layers, spec_map
from .render.pack import make_pack
from .render.png_page import view_png
from .render.preview import preview_png
from .store.dataset import Dataset, load_dataset
from .store.folder import Store
from .store.notices import mark_seen as mark_alert_seen
from .store.partnership import Partnership
from .store.schema import KIND_LABELS, KINDS
from .store.status import data_status
from .views.alt_text import trend_text, view_map_text, view_trend_texts
from .views.analyse import (
    PERMUTATION_CHOICES,
    PERMUTATION_PARAM,
    analyse_panels,
    permutations_of,
)
from .views.analysis_maps import (
    CHANGE_MODE,
    HOTSPOT_LAYER,
    HOTSPOT_MODE,
    LAYER_PARAM,
    MAP_MODE_PARAM,
)
from .views.byens_rum import place_indicators
from .views.emerging import EMERGING_MODE, STEP_PARAM, UNIT_PARAM, emerging_detail, emerging_units
from .views.model import View
from .views.registry import (
    MAIN_VIEWS,
    PAGES,
    PageInfo,
    ViewInfo,
    build_view,
    default_filters,
    opening_cell,
    page_of,
    view_keys,
)
from .views.steps import SteppedMaps, step_view, stepped_maps
from .views.tryg_bydel import tryg_bydel_hints, tryg_bydel_indicator, tryg_bydel_indicators
from .views.yardstick import yardstick_part

__all__ = [
    "APPENDABLE_KINDS",
    "ANIMATION_FORMATS",
    "DEFAULT_STEP",
    "STEPS",
    "SteppedMaps",
    "CELL_CHOICES",
    "CHANGE_MODE",
    "DATA_UNAVAILABLE",
    "DIALECTS",
    "EMERGING_MODE",
    "HOTSPOT_LAYER",
    "HOTSPOT_MODE",
    "IMPORT_MODE_LABELS",
    "KINDS",
    "KIND_LABELS",
    "KIND_ROLES",
    "LAYER_PARAM",
    "MAIN_VIEWS",
    "MAP_MODE_PARAM",
    "NIGHT_ENDS",
    "NIGHT_STARTS",
    "PAGES",
    "PERMUTATION_CHOICES",
    "PERMUTATION_PARAM",
    "PRESETS",
    "PrerenderedLayers",
    "STEP_PARAM",
    "UNIT_PARAM",
    "period_caption",
    "REQUIRED_ROLES",
    "ROLE_LABELS",
    "SCHEMES",
    "UPLOAD_TYPES",
    "VECTOR_UPLOAD_TYPES",
    "URL_KEYS",
    "AccessError",
    "ColumnError",
    "DataDamagedError",
    "Dataset",
    "ExportError",
    "Filters",
    "ImportPlan",
    "KindGuess",
    "LoadResult",
    "LRU",
    "PageInfo",
    "Partnership",
    "Store",
    "StoreError",
    "TrygGeoError",
    "UnusableFileError",
    "UsageError",
    "View",
    "ViewInfo",
    "access",
    "permutations_of",
    "analyse_panels",
    "emerging_detail",
    "emerging_units",
    "animation_bytes",
    "animation_name",
    "mp4_available",
    "step_view",
    "stepped_maps",
    "build_view",
    "column_proposals",
    "configure_offline_folium",
    "csv_bytes",
    "csv_table",
    "data_status",
    "default_filters",
    "detect_upload",
    "file_stem",
    "fmt",
    "frame_map",
    "get_initiative",
    "heatmap_chart",
    "kommune_chart",
    "yardstick_part",
    "import_file",
    "alerts_for",
    "mark_alert_seen",
    "opening_cell",
    "page_of",
    "import_upload",
    "install_static_assets",
    "leaflet_url_prefix",
    "load_dataset",
    "load_initiatives",
    "make_demo",
    "make_deck",
    "make_pack",
    "missing_message",
    "missing_roles",
    "page_wording",
    "place_indicators",
    "plan_import",
    "preview_png",
    "preview_upload",
    "privacy",
    "reason_text",
    "role_files",
    "settings",
    "spec_layers",
    "spec_map",
    "suppression_problems",
    "template_for",
    "trend_chart",
    "trend_text",
    "tryg_bydel_hints",
    "tryg_bydel_indicator",
    "tryg_bydel_indicators",
    "view_csv",
    "view_keys",
    "view_map_text",
    "view_png",
    "view_trend_texts",
]
