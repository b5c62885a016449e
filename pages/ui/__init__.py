"""What every page shares: sign-in and roles (``auth``: ``gate``, ``role``, ``can``, ``actor``),
page state and filters (``state``) and rendering a View (``render``).

Kept in a package, not as ``pages/*.py``, so Streamlit never mistakes it for a page.
"""

from .admin import data_problems, import_log, rollback_form
from .alerts import show_alerts
from .auth import actor, can, gate, require, role
from .chrome import danish_chrome
from .deck import deck_downloads
from .kommuner import kommune_section
from .partnership import current_partnership, show_partnership
from .render import (
    as_role,
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
    view_part,
)
from .state import (
    ALL_DISTRICTS,
    build,
    dataset,
    derived,
    keep_in_url,
    require_data,
    scheme_widget,
    sidebar_filters,
)
from .timeline import time_slider
from .wizard import import_wizard, template_button
from .yardstick import yardstick_section

__all__ = [
    "ALL_DISTRICTS",
    "actor",
    "as_role",
    "build",
    "can",
    "chart",
    "kommune_section",
    "yardstick_section",
    "current_partnership",
    "danish_chrome",
    "data_problems",
    "dataset",
    "derived",
    "deck_downloads",
    "downloads",
    "gate",
    "header",
    "import_log",
    "import_wizard",
    "keep_in_url",
    "kpis",
    "map_",
    "md_text",
    "notes",
    "open_district",
    "require",
    "require_data",
    "role",
    "show_alerts",
    "rollback_form",
    "scheme_widget",
    "show_partnership",
    "sidebar_filters",
    "table",
    "template_button",
    "time_slider",
    "trends",
    "view_part",
]
