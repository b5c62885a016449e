"""The registry of views: one name per view, one function that computes it.

The dashboard pages, ``python -m tryg_geo export`` and ``pack`` all go through
:func:`build_view`, so the screen, the PNG and the CSV show the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..compute.filters import Filters
from ..errors import UsageError
from ..store.dataset import Dataset
from .model import View


@dataclass(frozen=True)
class ViewInfo:
    key: str
    title: str
    help: str


MAIN_VIEWS: tuple[ViewInfo, ...] = (
    ViewInfo(
        "overblik", "Overblik", "Alle 17 indsatser: seneste tal, udvikling og status mod mål."
    ),
    ViewInfo("tryg-bydel", "Tryg bydel", "Tryghed og hændelser pr. område."),
    ViewInfo("natteliv", "Natteliv", "Hændelser om natten i kvadratnettet og nattelivszonen."),
    ViewInfo("byens-rum", "Byens rum", "Torve, pladser og havnefronten: observationer og klager."),
)


def view_keys() -> list[str]:
    """Every view name: the main views and ``indsats/<slug>`` for each initiative."""
    from ..compute.registry import load_initiatives

    return [v.key for v in MAIN_VIEWS] + [f"indsats/{i.slug}" for i in load_initiatives()]


def build_view(key: str, ds: Dataset, filters: Filters) -> View:
    """Compute the view ``key`` for ``filters``.

    Raises
    ------
    UsageError
        When ``key`` is not a view name (the message lists them).
    """
    if key.startswith("indsats/"):
        from .indsatser import initiative_view

        return initiative_view(ds, filters, key.removeprefix("indsats/"))
    builder = _builders().get(key)
    if builder is None:
        raise UsageError(
            f"--view {key!r} findes ikke; tilladte: {', '.join(v.key for v in MAIN_VIEWS)} "
            "eller indsats/<slug> (fx indsats/tryg-bydel)."
        )
    return builder(ds, filters)


def _builders() -> dict[str, Callable[[Dataset, Filters], View]]:
    from .byens_rum import byens_rum_view
    from .natteliv import natteliv_view
    from .overblik import overblik_view
    from .tryg_bydel import tryg_bydel_view

    return {
        "overblik": overblik_view,
        "tryg-bydel": tryg_bydel_view,
        "natteliv": natteliv_view,
        "byens-rum": byens_rum_view,
    }


def default_filters(ds: Dataset, params: dict[str, str] | None = None) -> Filters:
    """Filters from URL parameters (or the defaults), bounded by the data's own period."""
    start, end = ds.incident_span
    return Filters.from_params(params or {}, data_start=start, data_end=end)
