"""Tryg bydel: the parts both modes share — the view's frame, the choropleth and its labels,
and the number helpers (see :mod:`tryg_geo.views.tryg_bydel`)."""

from __future__ import annotations

import pandas as pd

from .. import fmt
from ..compute.filters import Filters
from ..compute.privacy import shown_count
from ..store.dataset import Dataset
from .model import Kpi, View
from .sources import data_sources, demo_mark, source_line


def base_view(
    ds: Dataset,
    filters: Filters,
    label: str,
    part: tuple[str, str],
    table: pd.DataFrame,
    kpis: list[Kpi],
) -> View:
    """The Tryg bydel view of one mode (``label``), its sources and demo mark taken from the
    mode's ``part`` of the data; the caller adds the map and the texts."""
    sources = data_sources(ds, [part])
    mark = demo_mark(ds, [part[0], "districts"])  # the part's numbers on the districts' map
    return View(
        key="tryg-bydel",
        title=f"Tryg bydel – {label}",
        subtitle=filters.describe(ds.district_names),
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        sources=sources,
        table=table,
        kpis=kpis,
    )


def bydel_choropleth(
    ds: Dataset, table: pd.DataFrame, column: str, palette: str, title: str, filters: Filters
):
    """The district map of ``column`` of ``table`` (one row per district_id, hidden rows in
    ``suppressed``), shares in whole percent and counts whole."""
    from .mapspec import district_choropleth

    indexed = table.set_index("district_id")
    values = indexed[column].astype("Float64").astype("float64")
    labels = _map_labels(table, column)
    hidden = indexed["suppressed"].astype(bool) if "suppressed" in indexed else None
    protecting = indexed["complementary"].astype(bool) if "complementary" in indexed else None
    return district_choropleth(
        ds,
        values,
        labels,
        scheme=filters.scheme,
        palette=palette,
        legend_title=title,
        value_fmt=(lambda v: fmt.percent(v, 0))
        if column == "value"
        else (lambda v: fmt.number(v, 0 if column == "incidents" else 1)),
        selected=filters.district,
        suppressed=hidden,
        complementary=protecting,
    )


def bounds_with_data(ds: Dataset, table: pd.DataFrame, column: str) -> tuple | None:
    """Open the map on the districts that have something to show (e.g. Aalborg's postal
    areas when a file of all Denmark's postal areas was imported), not on every district."""
    values = table[column].astype("Float64").fillna(0).to_numpy(dtype="float64")
    hidden = table["suppressed"].to_numpy(dtype=bool) if "suppressed" in table else False
    with_data = set(table.loc[(values > 0) | hidden, "district_id"].astype(str))
    shapes = ds.districts_wgs84
    if shapes is None or not with_data or len(with_data) == len(shapes):
        return None
    return tuple(shapes[shapes["district_id"].astype(str).isin(with_data)].total_bounds)


def _map_labels(table: pd.DataFrame, column: str) -> pd.Series:
    indexed = table.set_index("district_id")
    if column == "value":
        texts = [
            f"{shown_count(None, True)} svar"
            if h
            else "ingen måling"
            if pd.isna(v)
            else f"{fmt.percent(float(v))} (n={fmt.number(as_float(n))}){' – usikker' if s else ''}"
            for v, n, s, h in zip(
                indexed["value"],
                indexed["n"],
                indexed["small_n"],
                indexed["suppressed"],
                strict=True,
            )
        ]
    else:
        protecting = (
            indexed["complementary"].astype(bool)
            if "complementary" in indexed
            else pd.Series(False, index=indexed.index)
        )
        texts = [
            # "skjult" alone: a cell hidden to protect another is no count of "hændelser".
            shown_count(None, True, is_complementary=True)
            if p
            else f"{shown_count(as_float(c), s)} hændelser"
            + ("" if s or pd.isna(r) else f" ({fmt.number(as_float(r), 1)} pr. 1.000)")
            for c, r, s, p in zip(
                indexed["incidents"],
                indexed["incidents_per_1000"],
                indexed["suppressed"],
                protecting,
                strict=True,
            )
        ]
    return pd.Series(texts, index=indexed.index)


def signed_points(change: float) -> str:
    """A change of a share in signed percentage points: +0,5 procentpoint."""
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return f"{sign}{fmt.number(abs(change) * 100, 1)} procentpoint"


def as_float(value) -> float:
    """``value`` as a float, NaN for a missing one (None, NA)."""
    return float("nan") if value is None or pd.isna(value) else float(value)
