"""The registry of views and pages: one entry per view, read by everything that lists them.

The dashboard (``dashboard.py`` builds its navigation from :data:`PAGES`), the command line
(``python -m tryg_geo export --view``, its help and ``pack``) and the PNG snapshot (section name,
layout) all read this module, and all compute a view through :func:`build_view`, so the screen,
the PNG and the CSV show the same numbers.

A new page is one view module (``tryg_geo/views/<name>.py`` with a ``<name>_view(ds, filters)``
function), one page file (``pages/<name>.py``) and one :class:`ViewInfo` entry in
:data:`MAIN_VIEWS`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from ..compute.filters import Filters
from ..compute.kommuner import has_statbank
from ..errors import UsageError
from ..store.as_of import data_as_of
from ..store.dataset import Dataset
from .byens_rum import byens_rum_view
from .emerging import analyse_page_view
from .indsatser import initiative_view
from .kommuner import KEY as KOMMUNER_KEY
from .kommuner import kommune_view
from .model import View
from .natteliv import natteliv_view
from .overblik import overblik_view
from .tryg_bydel import tryg_bydel_view

#: PNG layouts: ``page`` (key figures, then map and trends), ``overview`` (one row per
#: initiative with its latest figure, status and a sparkline) or ``kommuner`` (key figures,
#: then the rates as bars per type of offence; the deck slide shows the same chart).
PNG_LAYOUTS: tuple[str, ...] = ("page", "overview", "kommuner")
#: The prefix of the initiative views: ``indsats/<slug>`` (slugs in compute/initiatives.toml).
INITIATIVE_PREFIX = "indsats/"


@dataclass(frozen=True)
class PageInfo:
    """One page of the dashboard's navigation.

    Attributes
    ----------
    file : the page script, relative to the repository (``pages/natteliv.py``).
    title : the Danish title in the navigation.
    url_path : the page's URL path; ``None`` for the default page (served at ``/``).
    default : whether this is the page the dashboard opens on.
    requires : the capability a role needs for the page to exist in its session
        (``tryg_geo.access.CAPABILITIES``; checked on the server by ``dashboard.py``).
    """

    file: str
    title: str
    url_path: str | None
    default: bool = False
    requires: str = "view"


@dataclass(frozen=True)
class ViewInfo:
    """One view: its name, its title, the function that computes it and its page.

    Attributes
    ----------
    key : the view's name in ``export --view``, ``pack`` and the CSV's ``view`` column.
    title : the Danish title (navigation, PNG kicker, pack index).
    help : one Danish sentence on what the view shows.
    builder : ``builder(ds, filters) -> View``.
    page : the dashboard page that shows it.
    png_layout : one of :data:`PNG_LAYOUTS`.
    cell : the grid cell size the view opens on (page, ``export``, ``analyse``, warm-up);
        ``None``: the filters' own default.
    """

    key: str
    title: str
    help: str
    builder: Callable[[Dataset, Filters], View]
    page: PageInfo
    png_layout: str = "page"
    cell: str | None = None


MAIN_VIEWS: tuple[ViewInfo, ...] = (
    ViewInfo(
        "overblik",
        "Overblik",
        "Alle 17 indsatser: seneste tal, udvikling og status mod mål.",
        overblik_view,
        PageInfo("pages/overblik.py", "Overblik", None, default=True),
        png_layout="overview",
    ),
    ViewInfo(
        "tryg-bydel",
        "Tryg bydel",
        "Tryghed og hændelser pr. område.",
        tryg_bydel_view,
        PageInfo("pages/tryg_bydel.py", "Tryg bydel", "tryg-bydel"),
    ),
    ViewInfo(
        "natteliv",
        "Natteliv",
        "Hændelser om natten i kvadratnettet og nattelivszonen.",
        natteliv_view,
        PageInfo("pages/natteliv.py", "Natteliv", "nat"),
    ),
    ViewInfo(
        "byens-rum",
        "Byens rum",
        "Torve, pladser og havnefronten: observationer og klager.",
        byens_rum_view,
        PageInfo("pages/byens_rum.py", "Byens rum", "byens-rum"),
    ),
    ViewInfo(
        "analyse",
        "Analyse",
        "Signifikante hotspots (Gi*), nye og vedvarende hotspots og nær-gentagelse (Knox-test), "
        "forklaret.",
        analyse_page_view,
        PageInfo("pages/analyse.py", "Analyse", "analyser"),
        # 100 m cells are mostly empty over a kommune: too few incidents per cell for Gi*.
        cell="1km",
    ),
)
#: The comparison with other kommuner (StatBank): a view of its own (CSV, PNG, slide) that the
#: Overblik page shows under the initiatives, so it has no page of its own.
KOMMUNER_VIEW = ViewInfo(
    KOMMUNER_KEY,
    "Kommuner",
    "Anmeldte forbrydelser pr. 1.000 indbyggere i kommunen og i sammenligningskommunerne.",
    kommune_view,
    MAIN_VIEWS[0].page,
    png_layout="kommuner",
)
#: The page of the initiative views (``indsats/<slug>``, one per initiative of the registry).
INITIATIVES_PAGE = PageInfo("pages/indsatser.py", "Indsatser", "indsats")
#: The page that shows and imports data (no view): analytiker and dataansvarlig only.
DATA_PAGE = PageInfo("pages/data.py", "Data", "data-import", requires="data_status")
#: Every page of the dashboard, in the order of its navigation.
PAGES: tuple[PageInfo, ...] = (*(v.page for v in MAIN_VIEWS), INITIATIVES_PAGE, DATA_PAGE)


def view_info(key: str) -> ViewInfo | None:
    """The registry entry of a main view (or of :data:`KOMMUNER_VIEW`); ``None`` for
    ``indsats/<slug>`` and unknown keys."""
    return next((v for v in (*MAIN_VIEWS, KOMMUNER_VIEW) if v.key == key), None)


def section_title(key: str) -> str:
    """The title of the section a view belongs to: its own, 'Indsatser' for an initiative, the
    page's for a view shown on another view's page (Kommuner on Overblik)."""
    if key.startswith(INITIATIVE_PREFIX):
        return INITIATIVES_PAGE.title
    if key == KOMMUNER_VIEW.key:
        return KOMMUNER_VIEW.page.title
    info = view_info(key)
    return info.title if info is not None else key


def kicker_text(view: View) -> str:
    """'Tryg Aalborg · Natteliv': the view's partnership and its section (PNG and slide)."""
    return f"{view.partnership} · {section_title(view.key)}"


def png_layout(key: str) -> str:
    """The PNG layout of a view (see :data:`PNG_LAYOUTS`); initiatives use ``page``."""
    info = view_info(key)
    return info.png_layout if info is not None else "page"


def view_choices() -> str:
    """The view names in words, for help texts and messages."""
    keys = [v.key for v in MAIN_VIEWS] + [KOMMUNER_VIEW.key]
    return f"{', '.join(keys)} eller {INITIATIVE_PREFIX}<slug>"


def view_keys() -> list[str]:
    """Every view name: the main views and ``indsats/<slug>`` for each initiative."""
    from ..compute.registry import load_initiatives

    return (
        [v.key for v in MAIN_VIEWS]
        + [KOMMUNER_VIEW.key]
        + [f"{INITIATIVE_PREFIX}{i.slug}" for i in load_initiatives()]
    )


def view_applies(key: str, ds: Dataset) -> bool:
    """False for a view of data this folder has not got and need not have: Kommuner without
    StatBank's tables. The deck and the pack leave it out without a word (Overblik says how to
    get the tables); every other view is listed as "no data" when it has none."""
    return key != KOMMUNER_VIEW.key or has_statbank(ds)


def build_view(key: str, ds: Dataset, filters: Filters) -> View:
    """Compute the view ``key`` for ``filters``.

    Raises
    ------
    UsageError
        When ``key`` is not a view name (the message lists them).
    """
    if key.startswith(INITIATIVE_PREFIX):
        view = initiative_view(ds, filters, key.removeprefix(INITIATIVE_PREFIX))
    else:
        info = view_info(key)
        if info is None:
            raise UsageError(
                f"--view {key!r} findes ikke; tilladte: {', '.join(v.key for v in MAIN_VIEWS)} "
                "eller indsats/<slug> (fx indsats/tryg-bydel)."
            )
        view = info.builder(ds, filters)
    view.partnership = ds.partnership.name
    view.partnership_colour = ds.partnership.colour
    view.as_of = view.as_of or data_as_of(ds)  # a view of other data says its own
    return view


def default_filters(ds: Dataset, params: dict[str, str] | None = None) -> Filters:
    """Filters from URL parameters (or the defaults), bounded by the data's own period."""
    start, end = ds.incident_span
    return Filters.from_params(params or {}, data_start=start, data_end=end)


def opening_cell(key: str | None) -> str | None:
    """The cell size view ``key`` opens on when none is chosen (:attr:`ViewInfo.cell`)."""
    info = view_info(key) if key else None
    return info.cell if info is not None else None


def page_of(key: str) -> PageInfo:
    """The page that shows view ``key`` (``indsats/<slug>``: the Indsatser page).

    Raises
    ------
    UsageError
        When ``key`` is not a view of the registry nor an ``indsats/`` key.
    """
    if key.startswith(INITIATIVE_PREFIX):
        return INITIATIVES_PAGE
    info = view_info(key)
    if info is None:
        raise UsageError(f"Ukendt visning {key!r}; tilladte: {view_choices()}.")
    return info.page


def page_url(key: str, params: dict[str, str], base_url: str) -> str:
    """The address of view ``key``'s page (``indsats/<slug>``: the Indsatser page) with the
    URL parameters of its filters: the links of the digest and the alert e-mails.

    Raises
    ------
    UsageError
        When ``key`` is not a view of the registry nor an ``indsats/`` key.
    """
    path = page_of(key).url_path or ""
    query = urlencode(params)
    return f"{base_url.rstrip('/')}/{path}" + (f"?{query}" if query else "")
