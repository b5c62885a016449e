"""Byens rum: torve, pladser, parker and the harbour front by observations and incidents.

Each place is drawn as a circle coloured and sized by the chosen place observation (complaints,
people present, rescues at the quay) over the period, and carries the police incidents inside
or near it. Incidents are found through ``ds.place_members`` (computed once per data version),
so no spatial work is done here. Small counts are hidden, and one more place beside each
shown total, so no hidden count can be recovered by subtraction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .. import fmt
from ..cache import per_version
from ..compute.counts import category_mask, combine, period_mask
from ..compute.filters import Filters, no_previous_text, previous_year_covered
from ..compute.indicators import indicator_series, rounded
from ..compute.privacy import (
    complementary,
    complementary_note,
    hidden_rule,
    shown_count,
    small,
    suppress_with_total,
)
from ..compute.registry import Indicator, all_indicators, get_initiative
from ..compute.series import COUNT_UNITS, TOTAL_ID, window_label
from ..compute.windows import hide_beside_totals
from ..store.dataset import Dataset
from .mapspec import places_map, unit_formatter, value_text
from .model import Kpi, Trend, View
from .sources import POLICE, REGISTRATIONS, data_sources, demo_mark, source_line

KEY = "byens-rum"
#: The data the view counts and draws: observations and incidents at the places.
USED = ("measurements", "incidents", "places")
#: Place kinds shown as places; water is orientation only and the nattelivszone a zone outline.
PLACE_KINDS: dict[str, str] = {
    "torv": "Torv",
    "plads": "Plads",
    "park": "Park",
    "havnefront": "Havnefront",
}
#: Labels of the observations as a chooser shows them (the registry's are per indsats).
OBSERVATION_LABELS: dict[str, str] = {
    "klager": "Klager fra naboer og forretninger",
    "personer_til_stede": "Personer til stede (gns. pr. optælling)",
    "redningshaendelser_havn": "Redningshændelser ved kajen",
}
#: Indsatser whose data this view shows more of.
RELATED = ("socialt-udsatte-i-byens-rum-og-pladser", "sikkerhed-paa-havnefronten")
TABLE_COLUMNS = [
    "place_id",
    "place_name",
    "kind",
    "indicator",
    "period",
    "value",
    "previous_value",
    "change_pct",
    "incidents",
    "previous_incidents",
    "incidents_change_pct",
    "value_suppressed",
    "incidents_suppressed",
    "previous_value_suppressed",
    "previous_incidents_suppressed",
    "suppressed",
    "value_complementary",
    "previous_value_complementary",
    "incidents_complementary",
    "previous_incidents_complementary",
]
ALL_ID, ALL_NAME = "alle", "Alle steder"


def place_indicators(ds: Dataset) -> dict[str, str]:
    """The place observations one can choose: measurement name → Danish label.

    The registry's place observations, plus any other measurement recorded at a place; those
    with numbers in the data come first.
    """
    names: dict[str, str] = {}
    for _, ind in all_indicators():
        if ind.source == "place_observation":
            names.setdefault(ind.measurement_name, _label(ind.measurement_name, ind))
    table = ds.measurements
    place_ids = set(ds.places["place_id"].astype(str)) if ds.places is not None else set()
    measured: list[str] = []
    if table is not None and len(table) and place_ids:
        at_places = table[table["area_id"].astype(str).isin(place_ids)]
        measured = sorted(set(at_places["indicator"].astype(str)))
    for name in measured:
        names.setdefault(name, _label(name, None))
    known = list(OBSERVATION_LABELS)

    def order(name: str) -> tuple[bool, int, str]:
        # Measured first; then the usual order (complaints, people, rescues); then by name.
        rank = known.index(name) if name in known else len(known)
        return (name not in measured, rank, name)

    return {name: names[name] for name in sorted(names, key=order)}


def byens_rum_view(ds: Dataset, filters: Filters) -> View:
    """Places by the chosen observation over the period, with the incidents at each.

    Parameters
    ----------
    ds : the loaded data.
    filters : the period (compared with the same period last year), ``place_indicator`` (a
        measurement name such as 'klager'), ``categories`` for the incidents, ``scheme``.

    Returns
    -------
    View
        ``table`` one row per place plus an 'alle' row for the totals shown as key figures;
        ``trends`` one per place with monthly observations.
    """
    # No observation chosen: the first with numbers (place_indicators puts measured ones first),
    # as the page's select box opens on it.
    chosen = filters.place_indicator or next(iter(place_indicators(ds)), "klager")
    ind = observation_indicator(ds, chosen)
    places = _places(ds)
    label = OBSERVATION_LABELS.get(ind.measurement_name, ind.label)
    sources = data_sources(ds, [("measurements", REGISTRATIONS), ("incidents", POLICE)])
    mark = demo_mark(ds, USED)
    view = View(
        key=KEY,
        title=f"Byens rum – {label}",
        subtitle=(
            f"Periode {window_label(filters.start, filters.end)} sammenlignet med samme periode "
            f"året før · hændelser: {_categories_text(filters)}"
        ),
        demo=mark.demo,
        demo_label=mark.label,
        source=source_line(sources, demo=mark),
        sources=sources,
        table=pd.DataFrame(columns=TABLE_COLUMNS),
        links=[(get_initiative(s).title, f"indsats/{s}") for s in RELATED],
    )
    if places.empty:
        view.notes = ["Der er ingen torve, pladser, parker eller havnefront indlæst endnu."]
        return view
    table = _table(ds, filters, ind, places)
    view.table = table
    view.display = _display(table, ind)
    view.map = _map(ds, table, ind, label, filters)
    view.trends = _trends(ds, filters, ind, places)
    view.kpis = _kpis(table, ind, label)
    view.notes = _notes(ds, filters, ind, table, label)
    return view


def observation_indicator(ds: Dataset, name: str) -> Indicator:
    """The observation as an indicator measured at every shown place.

    The registry's indicator lends unit and direction (the first one using that measurement);
    a name the registry does not know is counted ('antal', fewer is better).
    """
    places = tuple(_places(ds)["place_id"])
    for _, ind in all_indicators():
        if ind.source == "place_observation" and ind.measurement_name == name:
            return Indicator(
                id=name,
                label=_label(name, ind),
                unit=ind.unit,
                source="place_observation",
                area="place",
                higher_is_better=ind.higher_is_better,
                help=ind.help,
                indicator=name,
                places=places,
            )
    return Indicator(
        id=name,
        label=_label(name, None),
        unit="antal",
        source="place_observation",
        area="place",
        higher_is_better=False,
        help="Registreringer på stedet.",
        indicator=name,
        places=places,
    )


# ---- the numbers ------------------------------------------------------------------------------
def _places(ds: Dataset) -> pd.DataFrame:
    """The places of :data:`PLACE_KINDS` (id, name, kind), kept per data version: selecting
    from the GeoDataFrame cost a few milliseconds on every rerun. Shared: read it only."""
    return per_version(ds, "page_lookups", ("byens_rum_places",), lambda: _select_places(ds))


def _select_places(ds: Dataset) -> pd.DataFrame:
    if ds.places is None:
        return pd.DataFrame(columns=["place_id", "name", "kind"])
    places = ds.places[ds.places["kind"].astype(str).isin(list(PLACE_KINDS))]
    return pd.DataFrame(
        {
            "place_id": places["place_id"].astype(str).to_numpy(dtype=object),
            "name": places["name"].astype(str).to_numpy(dtype=object),
            "kind": places["kind"].astype(str).to_numpy(dtype=object),
        }
    )


def _observations(
    ds: Dataset, ind: Indicator, start, end, places: pd.DataFrame
) -> tuple[pd.Series, pd.DataFrame, str | None]:
    """Value per place, and per place whether it is ``hidden`` and whether only to protect a
    small one (``protecting``), plus the all-places total as an 'alle' row."""
    rows = indicator_series(ds, ind, start=start, end=end, freq="window")
    total = indicator_series(ds, ind, start=start, end=end, area_id=TOTAL_ID, freq="window")
    if len(total):
        rows = pd.concat([rows, total.assign(area_id=ALL_ID)], ignore_index=True)
    rows = rows.set_index("area_id")
    period = str(rows["period"].iloc[0]) if len(rows) else None
    index = [*places["place_id"], ALL_ID]
    values = rows["value"].reindex(index)
    hidden = rows["suppressed"].reindex(index).fillna(False).astype(bool)
    # Hidden only so that a small value cannot be worked out from the total ("skjult").
    protecting = (
        rows["complementary"].reindex(index).fillna(False).astype(bool)
        if "complementary" in rows
        else pd.Series(False, index=index)
    )
    return values, hidden.rename("hidden").to_frame().assign(protecting=protecting), period


def _incidents(
    ds: Dataset, filters: Filters, start, end, places: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Incidents per place (and all places together) and which counts are hidden.

    Beside the total one more place is hidden when exactly one is (complementary
    suppression); places overlapping makes the total the number of distinct incidents.
    """
    index = [*places["place_id"], ALL_ID]
    if not ds.has_incidents:
        nan = pd.Series(np.nan, index=index)
        return nan, pd.Series(False, index=index)
    arrays = ds.arrays
    mask = combine(period_mask(arrays, start, end), category_mask(arrays, filters.categories))
    members = ds.place_members
    empty = np.array([], dtype=np.int64)
    per_place = [members.get(pid, empty) for pid in places["place_id"]]
    counts = [int(mask[m].sum()) for m in per_place]
    union = _union_of_places(ds, tuple(places["place_id"]), per_place)
    total = int(mask[union].sum()) if len(union) else 0
    hidden = list(suppress_with_total(pd.Series(counts, dtype="int64")))
    hidden.append(bool(small([total])[0]))
    return pd.Series([*counts, total], index=index, dtype="float64"), pd.Series(hidden, index=index)


def _union_of_places(ds: Dataset, ids: tuple, per_place: list[np.ndarray]) -> np.ndarray:
    """Incidents inside any of the places (each once), kept per data version and set of places:
    sorting millions of positions again on every rerun would cost a third of a second at 5M."""
    return per_version(
        ds,
        "place_unions",
        ids,
        lambda: np.unique(np.concatenate(per_place)) if per_place else np.array([], dtype=np.int64),
    )


def _table(ds: Dataset, filters: Filters, ind: Indicator, places: pd.DataFrame) -> pd.DataFrame:
    before_start, before_end = filters.previous_year()
    value, value_flags, period = _observations(ds, ind, filters.start, filters.end, places)
    before, before_flags, _ = _observations(ds, ind, before_start, before_end, places)
    value_hidden, before_hidden = value_flags["hidden"], before_flags["hidden"]
    count, count_hidden = _incidents(ds, filters, filters.start, filters.end, places)
    count_before, count_before_hidden = _incidents(ds, filters, before_start, before_end, places)
    if ds.has_incidents and not previous_year_covered(filters, ds.incident_span[0]):
        # No incidents in the data a year earlier: empty ('–'), never a comparison with 0.
        count_before = count_before * np.nan
        count_before_hidden = count_before_hidden & False
    index = [*places["place_id"], ALL_ID]
    values = np.array([rounded(v, ind.unit) for v in value.where(~value_hidden)], dtype="float64")
    previous = np.array(
        [rounded(v, ind.unit) for v in before.where(~before_hidden)], dtype="float64"
    )
    incidents = count.where(~count_hidden).to_numpy(dtype="float64")
    previous_incidents = count_before.where(~count_before_hidden).to_numpy(dtype="float64")
    value_suppressed, incidents_suppressed = value_hidden.to_numpy(), count_hidden.to_numpy()
    # Every column made first and the frame once, in TABLE_COLUMNS' order (a column set on a
    # frame of twenty copies blocks: a few milliseconds per new filter state).
    columns = {
        "place_id": index,
        "place_name": [*places["name"], ALL_NAME],
        "kind": [*places["kind"], ""],
        "indicator": ind.measurement_name,
        "period": period or window_label(filters.start, filters.end),
        "value": values,
        "previous_value": previous,
        "change_pct": _change(values, previous),
        "incidents": incidents,
        "previous_incidents": previous_incidents,
        "incidents_change_pct": _change(incidents, previous_incidents),
        "value_suppressed": value_suppressed,
        "incidents_suppressed": incidents_suppressed,
        "previous_value_suppressed": before_hidden.to_numpy(),
        "previous_incidents_suppressed": count_before_hidden.to_numpy(),
        "suppressed": value_suppressed | incidents_suppressed,
        # Hidden only so that a small place count cannot be worked out from the total.
        "value_complementary": value_flags["protecting"].to_numpy(),
        "previous_value_complementary": before_flags["protecting"].to_numpy(),
        "incidents_complementary": complementary(count, count_hidden),
        "previous_incidents_complementary": complementary(count_before, count_before_hidden),
    }
    return pd.DataFrame({name: columns[name] for name in TABLE_COLUMNS})


def _change(now: np.ndarray, before: np.ndarray) -> np.ndarray:
    """Relative change rounded as shown ('+12 %'); NaN when either side is hidden or 0."""
    a = np.asarray(now, dtype="float64")
    b = np.asarray(before, dtype="float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.where(np.isfinite(a) & np.isfinite(b) & (b > 0), a / b - 1, np.nan)
    return np.round(change, 2)


# ---- display, map, trends, key figures ----------------------------------------------------------
def _display(table: pd.DataFrame, ind: Indicator) -> pd.DataFrame:
    rows = []
    for row in table.itertuples(index=False):
        rows.append(
            {
                "Sted": row.place_name,
                "Type": PLACE_KINDS.get(row.kind, ""),
                "Observationsperiode": row.period,
                ind.label: value_text(
                    row.value,
                    ind.unit,
                    suppressed=row.value_suppressed,
                    complementary=row.value_complementary,
                ),
                "Samme periode sidste år": value_text(
                    row.previous_value,
                    ind.unit,
                    suppressed=row.previous_value_suppressed,
                    complementary=row.previous_value_complementary,
                ),
                "Ændring": fmt.signed_percent(row.change_pct),
                "Hændelser": _count_text(
                    row.incidents, row.incidents_suppressed, row.incidents_complementary
                ),
                "Hændelser sidste år": _count_text(
                    row.previous_incidents,
                    row.previous_incidents_suppressed,
                    row.previous_incidents_complementary,
                ),
                "Ændring i hændelser": fmt.signed_percent(row.incidents_change_pct),
            }
        )
    return pd.DataFrame(rows)


def _count_text(value: float, hidden: bool, protecting: bool = False) -> str:
    """'<5' for a small count, 'skjult' for one hidden only to protect another, '–' when
    there is no number."""
    return shown_count(value, hidden, is_complementary=bool(protecting))


def _map(ds: Dataset, table: pd.DataFrame, ind: Indicator, label: str, filters: Filters):
    rows = table[table["place_id"] != ALL_ID].set_index("place_id")
    labels = pd.Series(
        [
            f"{value_text(v, ind.unit, suppressed=h, complementary=vc)} · hændelser: "
            f"{_count_text(c, ch, cc)}"
            for v, h, vc, c, ch, cc in zip(
                rows["value"],
                rows["value_suppressed"],
                rows["value_complementary"],
                rows["incidents"],
                rows["incidents_suppressed"],
                rows["incidents_complementary"],
                strict=True,
            )
        ],
        index=rows.index,
    )
    return places_map(
        ds,
        rows["value"],
        labels,
        legend_title=f"{label}, {rows['period'].iloc[0]}",
        palette="blues" if ind.higher_is_better else "oranges",
        value_fmt=unit_formatter(ind.unit),
        scheme=filters.scheme,
        suppressed=rows["value_suppressed"],
        complementary=rows["value_complementary"],
    )


def _trends(ds: Dataset, filters: Filters, ind: Indicator, places: pd.DataFrame) -> list[Trend]:
    """One trend per place: the monthly observations of last year's period and this one.

    Months hidden for discretion are NaN (a gap in the line), never 0 and never left out.
    """
    before_start, _ = filters.previous_year()
    rows = indicator_series(ds, ind, start=before_start, end=filters.end)
    if ind.unit in COUNT_UNITS:
        windows = [(filters.start, filters.end), filters.previous_year()]
        rows = hide_beside_totals(rows, windows, whole_periods=True)
    names = dict(zip(places["place_id"], places["name"], strict=True))
    # Split once by place (a filter of the whole series per place cost a millisecond each).
    rows = rows.sort_values(["area_id", "period_start"], kind="stable")
    by_place = dict(list(rows.groupby("area_id", sort=False, observed=True)))
    trends = []
    for place_id in places["place_id"]:
        # Hidden months (<5) stay as NaN so the line breaks there; dropping them would join
        # the real zero months left into a flat 0 line.
        shown = by_place.get(place_id)
        if shown is None or (not shown["value"].notna().any() and not shown["suppressed"].any()):
            continue
        data = pd.DataFrame(
            {
                "period": pd.to_datetime(shown["period_start"]).to_numpy(),
                "series": ind.label,
                "value": shown["value"].astype("float64").to_numpy(),
                # Hidden months are told apart from months without data in the text.
                "suppressed": shown["suppressed"].fillna(False).astype(bool).to_numpy(),
                "complementary": (
                    shown["complementary"].fillna(False).astype(bool).to_numpy()
                    if "complementary" in shown
                    else np.zeros(len(shown), dtype=bool)
                ),
            }
        )
        trends.append(
            Trend(
                title=names[place_id],
                data=data.reset_index(drop=True),
                unit=ind.unit,
                target=None,
                higher_is_better=ind.higher_is_better,
            )
        )
    return trends


def _kpis(table: pd.DataFrame, ind: Indicator, label: str) -> list[Kpi]:
    total = table.set_index("place_id").loc[ALL_ID]
    return [
        Kpi(
            f"{label}, alle steder",
            value_text(total["value"], ind.unit, suppressed=total["value_suppressed"]),
            delta=_delta(total["change_pct"]),
            help="Summen over stederne i perioden, sammenlignet med samme periode sidste år.",
        ),
        Kpi(
            "Hændelser på stederne",
            _count_text(total["incidents"], total["incidents_suppressed"]),
            delta=_delta(total["incidents_change_pct"]),
            help=(
                "Politiets anmeldelser inden for stedernes afgrænsning (for havnefronten op til "
                "50 m fra kajen); en hændelse tælles én gang, også hvor steder overlapper."
            ),
        ),
    ]


def _delta(change: float) -> str | None:
    return None if not np.isfinite(change) else fmt.signed_percent(change)


def _notes(
    ds: Dataset, filters: Filters, ind: Indicator, table: pd.DataFrame, label: str
) -> list[str]:
    notes = []
    places = table[table["place_id"] != ALL_ID]
    if places["value"].isna().all() and not places["value_suppressed"].any():
        needed = " ".join(get_initiative(s).data_needed for s in RELATED)
        notes.append(f"Der er ingen registreringer af «{label}» på stederne i perioden. {needed}")
    if not ds.has_incidents:
        notes.append("Der er ingen hændelser indlæst; kolonnen med hændelser er derfor tom.")
    elif not previous_year_covered(filters, ds.incident_span[0]):
        notes.append(no_previous_text(filters, ds.incident_span[0]))
    if ind.unit == "personer":
        notes.append(
            "Personer til stede er gennemsnittet pr. optælling over periodens måneder; for alle "
            "steder lægges stedernes gennemsnit sammen."
        )
    notes.append(
        "Hændelser tæller politiets anmeldelser "
        f"({_categories_text(filters)}) inden for hvert steds afgrænsning; for havnefronten "
        "tæller anmeldelser op til 50 m fra kajen. Nattelivszonen er vist som omrids."
    )
    notes.append(f"{hidden_rule()}.")
    protected = [c for c in table.columns if c.endswith("_complementary")]
    if table[protected].to_numpy(dtype=bool).any():
        notes.append(complementary_note())
    return notes


def _categories_text(filters: Filters) -> str:
    return ", ".join(filters.categories) if filters.categories else "alle kategorier"


def _label(name: str, ind: Indicator | None) -> str:
    if name in OBSERVATION_LABELS:
        return OBSERVATION_LABELS[name]
    if ind is not None:
        return ind.label
    return name.replace("_", " ").capitalize()
