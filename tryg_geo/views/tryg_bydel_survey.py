"""Tryg bydel's survey mode: a survey share per district (see :mod:`tryg_geo.views.tryg_bydel`).

The share of the chosen round (:func:`chosen_period`) per district with its Wilson interval,
answers and the change from a year earlier (:func:`previous_period`), hidden below the
discretion limit; the municipality's KPI and the share over time. Imported by
:mod:`tryg_geo.views.tryg_bydel`, never the reverse.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt, periods, settings
from ..cache import per_version
from ..compute.filters import Filters
from ..compute.privacy import hidden_rule, shown_count, small
from ..compute.registry import all_indicators
from ..compute.stats import wilson
from ..store.dataset import Dataset
from .model import Kpi, Trend, View
from .sources import SURVEY
from .tryg_bydel_shared import (
    as_float,
    base_view,
    bounds_with_data,
    bydel_choropleth,
    signed_points,
)


def survey_view(ds: Dataset, filters: Filters, indicator: str, label: str) -> View:
    """The survey mode of Tryg bydel: ``indicator``'s share per district (``label``)."""
    rows = survey_rows(ds, indicator)
    period = chosen_period(rows, filters)
    table = _survey_table(ds, rows, period, indicator)
    min_n = int(settings.get("min_respondents"))
    kpis = _survey_kpis(rows, period, table, filters)
    view = base_view(ds, filters, label, ("measurements", SURVEY), table, kpis)
    view.subtitle = (
        f"{label}, {period or 'ingen måling i perioden'} · {filters.describe(ds.district_names)}"
    )
    view.display = pd.DataFrame(
        {
            "Område": table["district_name"],
            "Andel": [fmt.percent(as_float(v)) for v in table["value"]],
            "95 %-interval": [
                f"{fmt.percent(as_float(a))} – {fmt.percent(as_float(b))}"
                for a, b in zip(table["ci_low"], table["ci_high"], strict=True)
            ],
            "Svar (n)": [
                shown_count(as_float(v), h)
                for v, h in zip(table["n"], table["suppressed"], strict=True)
            ],
            "Sidste år": [fmt.percent(as_float(v)) for v in table["previous_value"]],
            "Ændring (procentpoint)": [
                fmt.signed_number(as_float(v), 1) for v in table["change_pp"]
            ],
            "Usikker": [f"ja (n<{min_n})" if s else "" for s in table["small_n"]],
        }
    )
    view.map = bydel_choropleth(ds, table, "value", "blues", label, filters)
    if view.map is not None:
        view.map.bounds = bounds_with_data(ds, table, "value")
    view.trends = [_survey_trend(ds, rows, filters, label)]
    if table["suppressed"].any():  # "<5" answers: say why the share is not shown
        view.notes.append(f"{hidden_rule()}; andelen af så få svar vises ikke.")
    if table["small_n"].any():
        view.notes.append(f"Andele med færre end {min_n} svar er markeret som usikre.")
    return view


def survey_rows(ds: Dataset, indicator: str) -> pd.DataFrame:
    """The measurements of ``indicator`` by period, kept per data version: the page asks for
    every survey indicator's rows on every rerun (its hints), a pass over all measurements
    each. Callers get a copy."""
    return per_version(
        ds, "measurement_series", ("survey-rows", indicator), lambda: _sorted_rows(ds, indicator)
    ).copy()


def _sorted_rows(ds: Dataset, indicator: str) -> pd.DataFrame:
    """:func:`survey_rows` computed."""
    if ds.measurements is None:
        return pd.DataFrame(
            columns=["area_id", "period", "period_start", "period_end", "indicator", "value", "n"]
        )
    rows = ds.measurements[ds.measurements["indicator"] == indicator]
    return rows.sort_values("period_start")


def chosen_period(rows: pd.DataFrame, filters: Filters) -> str | None:
    """The latest survey round that overlaps the period (or the latest before it)."""
    if rows.empty:
        return None
    start, end = pd.Timestamp(filters.start), pd.Timestamp(filters.end) + pd.Timedelta(days=1)
    overlapping = rows[(rows["period_start"] < end) & (rows["period_end"] > start)]
    earlier = rows[rows["period_start"] < end]
    pool = overlapping if len(overlapping) else earlier if len(earlier) else rows
    return str(pool.sort_values("period_start")["period"].iloc[-1])


def previous_period(period: str) -> str | None:
    """The same period a year earlier; None for a name that is no stored period."""
    parsed = periods.parse(period)
    return parsed.year_before().name if parsed is not None else None


def _survey_table(
    ds: Dataset, rows: pd.DataFrame, period: str | None, indicator: str
) -> pd.DataFrame:
    ids = list(ds.district_names)
    now = rows[rows["period"] == period].set_index("area_id").reindex(ids)
    before = (
        rows[rows["period"] == (previous_period(period) if period else None)]
        .set_index("area_id")
        .reindex(ids)
    )
    value = now["value"].astype("float64")
    n = now["n"].astype("Float64").astype("float64")
    previous = before["value"].astype("float64")
    previous_n = before["n"].astype("Float64").astype("float64")
    # A share of fewer answers than the discretion limit tells about individuals: hide it,
    # like a small count (privacy.small, the one rule).
    hidden = pd.Series(small(n), index=n.index)
    value = value.where(~hidden)
    previous = previous.where(~small(previous_n))
    low, high = wilson(value * n, n)
    min_n = int(settings.get("min_respondents"))
    table = pd.DataFrame(
        {
            "district_id": ids,
            "district_name": [ds.district_names[i] for i in ids],
            "period": period,
            "indicator": indicator,
            "value": value.round(4).to_numpy(),
            "n": now["n"].astype("Int64").where(~hidden.to_numpy()).to_numpy(),
            "ci_low": np.round(low, 4),
            "ci_high": np.round(high, 4),
            "small_n": (n < min_n).to_numpy(),
            "previous_value": previous.round(4).to_numpy(),
            "change_pp": ((value - previous) * 100).round(1).to_numpy(),
            "suppressed": hidden.to_numpy(),
        }
    )
    # Districts without a measurement this round or last are not rows of empty values (a file
    # of all Denmark's postal areas with a survey of Aalborg's lists Aalborg's areas only).
    table = table[(now["value"].notna() | before["value"].notna()).to_numpy()]
    # Uncertain shares (few answers) rank after the certain ones, so they do not top the list.
    return table.sort_values(
        ["small_n", "value"], ascending=[True, False], na_position="last"
    ).reset_index(drop=True)


def _survey_kpis(
    rows: pd.DataFrame, period: str | None, table: pd.DataFrame, filters: Filters
) -> list[Kpi]:
    kpis = []
    kommune = rows[(rows["area_id"] == "kommune") & (rows["period"] == period)]
    if len(kommune):
        value = float(kommune["value"].iloc[0])
        previous = rows[
            (rows["area_id"] == "kommune") & (rows["period"] == previous_period(period))
        ]
        delta = None
        if len(previous):
            delta = signed_points(value - float(previous["value"].iloc[0]))
        n = kommune["n"].iloc[0]
        kpis.append(
            Kpi(
                f"Hele kommunen {period}",
                fmt.percent(value),
                delta,
                f"n = {fmt.number(as_float(n))}",
            )
        )
    if filters.district in table["district_id"].values:
        row = table.set_index("district_id").loc[filters.district]
        delta = (
            None if pd.isna(row["change_pp"]) else signed_points(as_float(row["change_pp"]) / 100)
        )
        help_text = f"95 %-interval {fmt.percent(as_float(row['ci_low']))} – {fmt.percent(as_float(row['ci_high']))}"
        kpis.append(
            Kpi(str(row["district_name"]), fmt.percent(as_float(row["value"])), delta, help_text)
        )
    return kpis


def _survey_trend(ds: Dataset, rows: pd.DataFrame, filters: Filters, label: str) -> Trend:
    wanted = ["kommune"] + ([filters.district] if filters.district else [])
    part = rows[rows["area_id"].isin(wanted)]
    names = {"kommune": "Hele kommunen", **ds.district_names}
    data = pd.DataFrame(
        {
            "period": part["period_start"].to_numpy(),
            "series": [names.get(a, a) for a in part["area_id"]],
            "value": part["value"].astype("float64").to_numpy(),
        }
    )
    target = (
        next(
            (
                ind.target
                for _, ind in all_indicators()
                if ind.measurement_name == rows["indicator"].iloc[0]
            ),
            None,
        )
        if len(rows)
        else None
    )
    return Trend(f"{label} over tid", data, "andel", target=target, higher_is_better=True)
