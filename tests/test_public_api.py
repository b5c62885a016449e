"""The curated public API of ``tryg_geo`` (as httpx's tests/test_exported_members.py does).

Pages and other callers import from ``tryg_geo`` only, so modules can move between
subpackages without breaking them. Adding or removing a public name is a decision: change the
list below on purpose.
"""

from __future__ import annotations

import ast
import types
from pathlib import Path

import tryg_geo
from tryg_geo import PAGES

REPO = Path(__file__).resolve().parents[1]

EXPECTED = [
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


def test_all_is_pinned():
    assert tryg_geo.__all__ == EXPECTED


def test_every_public_name_exists_and_comes_from_the_package():
    for name in tryg_geo.__all__:
        member = getattr(tryg_geo, name)
        if isinstance(member, types.ModuleType):
            assert member.__name__.startswith("tryg_geo."), name
        elif hasattr(member, "__module__") and callable(member):
            assert member.__module__.startswith("tryg_geo."), name


def test_pages_import_only_the_public_api_or_pages_ui():
    """``pages/*.py``, ``pages/ui/*.py`` and ``dashboard.py`` never reach into tryg_geo's
    subpackages."""
    scripts = [
        *sorted((REPO / "pages").glob("*.py")),
        *sorted((REPO / "pages" / "ui").glob("*.py")),
        REPO / "dashboard.py",
    ]
    assert len(scripts) >= len(PAGES) + 2
    for script in scripts:
        name = script.relative_to(REPO)
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                assert node.module in ("tryg_geo", "pages", "pages.ui") or not (
                    node.module.startswith("tryg_geo")
                ), f"{name}: from {node.module} import …"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("tryg_geo.") for a in node.names), name


def test_every_page_file_is_in_the_registry_and_back():
    """The registry's pages are exactly the scripts in ``pages/``: a page file nobody lists
    would never be shown, and an entry without its file would break the navigation."""
    files = {str(p.relative_to(REPO)) for p in (REPO / "pages").glob("*.py")}
    files.discard("pages/__init__.py")
    assert files == {p.file for p in PAGES}
    assert len({p.file for p in PAGES}) == len(PAGES)
    assert sum(p.default for p in PAGES) == 1
