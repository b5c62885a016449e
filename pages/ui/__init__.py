"""What every page shares: page state and filters (``state``) and rendering a View (``render``).

Kept in a package, not as ``pages/*.py``, so Streamlit never mistakes it for a page.
"""

from .deck import deck_downloads
from .render import (
    chart,
    downloads,
    header,
    kpis,
    map_,
    md_text,
    notes,
    open_district,
    table,
    trends,
)
from .state import (
    ALL_DISTRICTS,
    build,
    dataset,
    keep_in_url,
    require_data,
    scheme_widget,
    sidebar_filters,
)
from .wizard import import_wizard, template_button

__all__ = [
    "ALL_DISTRICTS",
    "build",
    "chart",
    "dataset",
    "deck_downloads",
    "downloads",
    "header",
    "import_wizard",
    "keep_in_url",
    "kpis",
    "map_",
    "md_text",
    "notes",
    "open_district",
    "require_data",
    "scheme_widget",
    "sidebar_filters",
    "table",
    "template_button",
    "trends",
]
