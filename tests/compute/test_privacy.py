"""Privacy: no count from 1 to 4 and no incident position reaches the browser or an export.

Every view (``tryg_geo.views.registry.view_keys()``) is built over a demo store and over a tiny store
designed to be full of counts from 1 to 4, for several filter combinations. For each: the
table's count columns, ``display``, the map's labels, trends of count units, KPIs, the
hour × weekday table, and both CSV dialects hold no count from 1 to 4 (and no respondent
number ``n`` from 1 to 4). The rendered folium HTML and every CSV are scanned for the
coordinates of the loaded incidents (EPSG:25832 metres and lon/lat rounded to 5 and 6
decimals): none may appear. Where a total is shown beside its parts, what the total minus the
visible parts gives away is checked too (complementary suppression).
"""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import tiny_data
from pyproj import Transformer
from tiny_data import PLACE_POINTS, X0, Y0, incidents_at, measurement

from tryg_geo.compute.filters import Filters
from tryg_geo.compute.privacy import hidden_text, shown_count, threshold
from tryg_geo.compute.registry import all_indicators
from tryg_geo.compute.series import COUNT_UNITS
from tryg_geo.errors import ExportError
from tryg_geo.render import csv_export, maps
from tryg_geo.store.dataset import Dataset
from tryg_geo.views.byens_rum import ALL_ID
from tryg_geo.views.model import View
from tryg_geo.views.registry import build_view, default_filters, view_keys

LIMIT = 5
YEAR = Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
INDICATORS = [ind for _, ind in all_indicators()]
UNIT_BY_LABEL = {ind.label: ind.unit for ind in INDICATORS}
#: Filter combinations (URL parameters) every view is built with.
COMBOS: dict[str, dict[str, str]] = {
    "default": {},
    "all years, 250 m": {"preset": "all", "celle": "250m"},
    "one month, people present": {
        "preset": "custom",
        "fra": "2025-06-01",
        "til": "2025-06-30",
        "sted_ind": "personer_til_stede",
    },
    "one category, district, 1 km, last year": {
        "kat": "røveri",
        "omr": "b",
        "celle": "1km",
        "klasser": "natural_breaks",
        "preset": "last_year",
    },
}


def test_the_threshold_is_five_by_default():
    assert threshold() == LIMIT


# ---- reading numbers back from what is shown -----------------------------------------------
_SHOWN_NUMBER = re.compile(r"(?<![\d.,<=])(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d+))?")
_N_EQUALS = re.compile(r"\bn\s*=\s*(\d{1,3}(?:\.\d{3})+|\d+)")


def shown_numbers(text: object) -> list[float]:
    """Numbers as a Danish reader sees them ('1.234' = 1234, '3,5' = 3.5); '<5' is no number."""
    out = []
    for match in _SHOWN_NUMBER.finditer(str(text)):
        whole = match.group(1).replace(".", "")
        out.append(float(f"{whole}.{match.group(2)}" if match.group(2) else whole))
    return out


def n_numbers(text: object) -> list[float]:
    return [float(m.replace(".", "")) for m in _N_EQUALS.findall(str(text))]


def small(values: Iterable[float]) -> list[float]:
    """The counts among ``values`` that must never be shown: more than 0, less than the
    threshold (5 by default; read from the setting, so a test may set another)."""
    array = pd.to_numeric(pd.Series(list(values), dtype=object), errors="coerce").to_numpy(
        dtype="float64"
    )
    return [float(v) for v in array[(array > 0) & (array < threshold())]]


# ---- where counts are, view by view --------------------------------------------------------
def place_unit(filters: Filters) -> str | None:
    units = {i.unit for i in INDICATORS if i.measurement_name == filters.place_indicator}
    return units.pop() if len(units) == 1 else None


def map_unit(view: View, filters: Filters) -> str | None:
    if view.key == "natteliv":
        return "antal"
    if view.key == "byens-rum":
        return place_unit(filters)
    if view.key.startswith("indsats/"):
        rows = view.table[view.table["part"] == "kort"]
        return str(rows["unit"].iloc[0]) if len(rows) else None
    return "andel"


def table_problems(table: pd.DataFrame, key: str, filters: Filters) -> list[str]:
    problems = []
    if csv_export.suppression_problems(table):
        problems.append(f"a count column holds 1–{threshold() - 1}")
    if "n" in table and small(table["n"]):
        problems.append(f"n: {small(table['n'])}")
    value_columns = [c for c in ("value", "previous_value") if c in table]
    if "unit" in table:
        counts = table[table["unit"].isin(COUNT_UNITS)]
        for column in value_columns:
            if small(counts[column]):
                problems.append(f"{column} of count units: {small(counts[column])}")
    if key == "byens-rum" and place_unit(filters) in COUNT_UNITS:
        for column in value_columns:
            if small(table[column]):
                problems.append(f"byens-rum {column}: {small(table[column])}")
    return problems


def display_problems(view: View, filters: Filters) -> list[str]:
    display, table = view.display, view.table
    if display is None:
        return []
    problems = []
    for column in display.columns:
        for cell in display[column]:
            if small(n_numbers(cell)):
                problems.append(f"{column}: {cell!r}")
    count_columns = [c for c in display.columns if c.startswith("Hændelser") or c == "Svar (n)"]
    if view.key == "byens-rum" and place_unit(filters) in COUNT_UNITS:
        count_columns += [c for c in display.columns if c in UNIT_BY_LABEL]
        count_columns.append("Samme periode sidste år")
    rows = np.ones(len(display), dtype=bool)
    if "unit" in table and len(table) == len(display):
        rows = table["unit"].isin(COUNT_UNITS).to_numpy()
        count_columns += [
            c for c in ("Værdi", "Seneste", "Samme periode sidste år") if c in display
        ]
    for column in set(count_columns) & set(display.columns):
        for cell in display.loc[rows, column]:
            if small(shown_numbers(str(cell).split("(")[0])):
                problems.append(f"{column}: {cell!r}")
    return problems


def label_problems(view: View, filters: Filters) -> list[str]:
    if view.map is None:
        return []
    counts = map_unit(view, filters) in COUNT_UNITS
    problems = []
    for label in view.map.features["label"]:
        if small(n_numbers(label)):
            problems.append(repr(label))
        for part in str(label).split("·"):
            if "%" in part or not (counts or "hændelser" in part):
                continue
            if small(shown_numbers(part.split("(")[0])):
                problems.append(repr(label))
    return problems


def kpi_problems(view: View) -> list[str]:
    problems = []
    for kpi in view.kpis:
        unit = next((u for lbl, u in UNIT_BY_LABEL.items() if kpi.label.startswith(lbl)), None)
        counts = "Hændelser" in kpi.label or unit in COUNT_UNITS
        texts = [kpi.value, kpi.help or ""]
        if small(n_numbers(" ".join(texts))):
            problems.append(f"{kpi.label}: {texts}")
        if counts and small(shown_numbers(kpi.value.split("(")[0])):
            problems.append(f"{kpi.label}: {kpi.value!r}")
        if counts and small(shown_numbers((kpi.help or "").partition("sidste år:")[2])):
            problems.append(f"{kpi.label}: {kpi.help!r}")
    return problems


def trend_problems(view: View) -> list[str]:
    return [
        f"{t.title}: {small(t.data['value'])}"
        for t in view.trends
        if t.unit in COUNT_UNITS and small(t.data["value"])
    ]


def heatmap_problems(view: View) -> list[str]:
    if view.heatmap is None:
        return []
    values = view.heatmap.to_numpy(dtype="float64").ravel()
    return [f"hour × weekday: {small(values)}"] if small(values) else []


def read_csv(data: bytes, dialect: str) -> pd.DataFrame:
    if dialect == "excel":
        assert data.startswith("\ufeff".encode())
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    return pd.read_csv(io.BytesIO(data))


def all_problems(view: View, filters: Filters) -> list[str]:
    if view.key == "byens-rum" and not filters.place_indicator and len(view.table):
        # No observation chosen: the view chose one (the first with data); check its unit.
        filters = filters.with_(place_indicator=str(view.table["indicator"].iloc[0]))
    problems = table_problems(view.table, view.key, filters)
    problems += display_problems(view, filters)
    problems += label_problems(view, filters)
    problems += kpi_problems(view)
    problems += trend_problems(view)
    problems += heatmap_problems(view)
    for dialect, data in csv_exports(view).items():
        exported = read_csv(data, dialect)
        problems += [f"CSV {dialect}: {p}" for p in table_problems(exported, view.key, filters)]
    return problems


def csv_exports(view: View) -> dict[str, bytes]:
    """Both CSV dialects of ``view``; an export refused by its own discretion check is no leak."""
    out = {}
    for dialect in csv_export.DIALECTS:
        with contextlib.suppress(ExportError):
            out[dialect] = csv_export.view_csv(view, dialect)
    return out


# ---- incident coordinates ------------------------------------------------------------------
_TO_WGS84 = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)
_TOKEN = re.compile(r"-?\d+(?:\.\d+)?")
#: decimals at which a position is looked for: x/y in metres, lon/lat in degrees.
METRE_DECIMALS, DEGREE_DECIMALS = (0, 1, 2), (5, 6)
_SCALE = 4 * 10**9  # pairs are compared as one integer: round(a·10^d)·10^9 + round(b·10^d)


def _keys(a: np.ndarray, b: np.ndarray, decimals: int) -> np.ndarray:
    factor = 10.0**decimals
    return np.round(a * factor).astype(np.int64) * _SCALE + np.round(b * factor).astype(np.int64)


def incident_positions(ds: Dataset) -> dict[int, np.ndarray]:
    """Every way an incident's position could be written, per number of decimals: x/y with
    0–2 decimals, lon/lat and lat/lon with 5 and 6."""
    x = ds.incidents["x"].to_numpy(dtype="float64")
    y = ds.incidents["y"].to_numpy(dtype="float64")
    lon, lat = (np.asarray(v) for v in _TO_WGS84.transform(x, y))
    out = {d: _keys(x, y, d) for d in METRE_DECIMALS}
    out |= {d: np.concatenate([_keys(lon, lat, d), _keys(lat, lon, d)]) for d in DEGREE_DECIMALS}
    return out


def leaked_positions(
    text: str, positions: dict[int, np.ndarray], *, decimal_comma: bool = False
) -> int:
    """How many pairs of neighbouring numbers in ``text`` are an incident's position at one of
    the precisions of :func:`incident_positions`. Neighbours are two numbers with no bracket or
    line break between them (``[9.9, 57.0]``, ``x;y`` cells, ``"x": 1, "y": 2``), so the
    latitude of one vertex and the longitude of the next are no pair. ``decimal_comma``: the
    text is a Danish Excel CSV (';' between fields, ',' in numbers)."""
    if decimal_comma:
        text = text.replace(",", ".")
    matches = list(_TOKEN.finditer(text))
    if len(matches) < 2:
        return 0
    values = np.array([float(m.group()) for m in matches])
    gaps = [text[m.end() : n.start()] for m, n in zip(matches, matches[1:], strict=False)]
    joined = np.array([not re.search(r"[\[\]\n]", gap) for gap in gaps], dtype=bool)
    a, b = values[:-1][joined], values[1:][joined]
    found = 0
    for decimals, keys in positions.items():
        limit = _SCALE / 2 / 10.0**decimals  # larger numbers are no coordinate at this precision
        fit = (np.abs(a) < limit) & (np.abs(b) < limit)
        found += int(np.isin(_keys(a[fit], b[fit], decimals), keys).sum())
    return found


def test_the_position_scan_finds_a_position_that_is_written(tmp_path):
    """The scan itself works: an incident's lon/lat or x/y written anywhere is found."""
    ds = tiny_data.build(tmp_path, incidents=[incidents_at(1, where=(X0 + 123.45, Y0 + 678.9))])
    positions = incident_positions(ds)
    lon, lat = _TO_WGS84.transform(X0 + 123.45, Y0 + 678.9)
    assert leaked_positions(f'{{"coordinates": [{lon:.6f}, {lat:.6f}]}}', positions)
    assert leaked_positions(f"L.circleMarker([{lat:.5f}, {lon:.5f}])", positions)
    assert leaked_positions(f"x;y\r\n{X0 + 123.45:.0f};{Y0 + 678.9:.0f}", positions)
    danish = f"x;y\r\n{X0 + 123.45:.2f};{Y0 + 678.9:.2f}".replace(".", ",")
    assert leaked_positions(danish, positions, decimal_comma=True)
    assert leaked_positions(f'{{"x": {X0 + 123.45:.1f}, "y": {Y0 + 678.9:.1f}}}', positions)
    assert not leaked_positions(f"[{lon + 0.001:.6f}, {lat:.6f}]", positions)
    # The latitude of one vertex and the longitude of the next are no position.
    assert not leaked_positions(f"[[1.0, {lat:.6f}], [{lon:.6f}, 2.0]]", positions)


# ---- the stores ----------------------------------------------------------------------------
def near(place: str) -> tuple[float, float]:
    """A point 7,3 m east and 4,1 m south of a place's centre: not the place's own position
    (which maps rightly show) and not on a grid corner."""
    x, y = PLACE_POINTS[place]
    return x + 7.3, y - 4.1


def tiny_incidents() -> list[pd.DataFrame]:
    """Counts from 1 to 4 everywhere a view can count: districts, cells, places, months,
    hours, categories, nights, the nattelivszone and last year."""
    b, c = (X0 + 1_512.7, Y0 + 311.9), (X0 + 2_533.3, Y0 + 517.1)
    return [
        incidents_at(3, when="2025-06-14 01:00", where=near("nytorv")),
        incidents_at(10, when="2025-03-08 02:00", where=near("gammeltorv")),
        incidents_at(4, category="hærværk", when="2025-06-14 23:00", where=near("jomfru-ane-gade")),
        incidents_at(12, when="2025-07-05 12:00", where=near("jf-kennedys-plads")),
        incidents_at(8, when="2025-08-09 03:00", where=near("cw-obels-plads")),
        incidents_at(2, category="røveri", when="2025-09-01 12:00", where=b),
        incidents_at(1, category="indbrud i beboelse", when="2025-02-02 10:00", where=c),
        incidents_at(9, category="indbrud i beboelse", when="2025-04-02 10:00", where=b),
        incidents_at(7, category="trusler", when="2024-06-15 01:00", where=near("havnefronten")),
        incidents_at(2, when="2024-06-15 02:00", where=near("havnefronten")),
        incidents_at(1, category="røveri", when="2024-11-01 12:00", where=(X0 + 711.2, Y0 + 703.4)),
    ]


def tiny_measurements() -> list[dict]:
    rows = []
    for year, shift in (("2024", 0.0), ("2025", 0.02)):
        rows += [
            measurement("tryg_andel", "a", year, 0.80 + shift, 3),
            measurement("tryg_andel", "b", year, 0.90 + shift, 50),
            measurement("tryg_andel", "c", year, 0.70 + shift, 40),
            measurement("tryg_andel", "kommune", year, 0.85 + shift, 93),
            measurement("tryg_natteliv_andel", "kommune", year, 0.8, 4),
        ]
    for month, values in (("2024-05", (10, 2, 8, 12)), ("2025-05", (10, 3, 8, 12))):
        for place, value in zip(
            ("nytorv", "gammeltorv", "cw-obels-plads", "jf-kennedys-plads"), values, strict=True
        ):
            rows.append(measurement("klager", place, month, value))
    rows += [
        measurement("personer_til_stede", "nytorv", "2025-05", 2.5),
        measurement("personer_til_stede", "havnefronten", "2025-05", 30),
        measurement("redningshaendelser_havn", "havnefronten", "2025-06", 1),
        measurement("fritid_deltagere", "kommune", "2025-Q1", 3),
        measurement("fritid_deltagere", "kommune", "2025-Q2", 40),
        measurement("fritid_aktiviteter", "kommune", "2025-01", 2),
        measurement("fritid_aktiviteter", "kommune", "2025-02", 15),
        measurement("patientforloeb", "kommune", "2025-03", 4),
        measurement("patientforloeb", "kommune", "2024-03", 20),
        measurement("genindlaeggelse_andel", "kommune", "2025", 0.5, 2),
    ]
    return rows


@pytest.fixture(scope="module")
def stores(tmp_path_factory, demo_ds) -> dict[str, Dataset]:
    tiny = tiny_data.build(
        tmp_path_factory.mktemp("tiny"),
        incidents=tiny_incidents(),
        measurements=tiny_measurements(),
    )
    return {"demo": demo_ds, "tiny": tiny}


@pytest.fixture(scope="module")
def views(stores) -> dict[tuple[str, str], list[tuple[View, Filters]]]:
    """(store, combo) -> every view built with those filters."""
    out = {}
    for name, ds in stores.items():
        for combo, params in COMBOS.items():
            params = dict(params)
            if name == "demo" and "omr" in params:
                params["omr"] = "aalborg-midtby"
            filters = default_filters(ds, params)
            out[name, combo] = [(build_view(key, ds, filters), filters) for key in view_keys()]
    return out


CASES = [(store, combo) for store in ("demo", "tiny") for combo in COMBOS]


@pytest.mark.parametrize(("store", "combo"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_no_count_below_five_is_shown_or_exported(views, store, combo):
    problems = {
        view.key: found
        for view, filters in views[store, combo]
        if (found := all_problems(view, filters))
    }
    assert problems == {}


def test_tryg_bydel_hides_shares_resting_on_fewer_than_five_answers(views):
    view, filters = next(v for v in views["tiny", "default"] if v[0].key == "tryg-bydel")
    assert all_problems(view, filters) == []


def test_the_tiny_store_really_has_counts_below_five_to_hide(views):
    """The scan above is only worth something if there was something to hide."""
    suppressed = 0
    for view, _ in views["tiny", "default"]:
        for column in ("suppressed", "incidents_suppressed", "value_suppressed"):
            if column in view.table:
                suppressed += int(view.table[column].astype(bool).sum())
    assert suppressed >= 10
    byens_rum = dict((v.key, v) for v, _ in views["tiny", "default"])["byens-rum"]
    assert "<5" in byens_rum.display["Hændelser"].tolist()


@pytest.mark.parametrize(("store", "combo"), CASES, ids=[f"{s}-{c}" for s, c in CASES])
def test_no_incident_position_reaches_the_map_or_an_export(stores, views, store, combo):
    positions = incident_positions(stores[store])
    assert len(positions) > 0
    leaks = {}
    for view, _ in views[store, combo]:
        texts = {f"CSV {d}": data.decode("utf-8-sig") for d, data in csv_exports(view).items()}
        if view.map is not None and combo in ("default", "one month, people present"):
            texts["map"] = maps.spec_map(view.map, basemap="none").get_root().render()
        for where, text in texts.items():
            if found := leaked_positions(text, positions, decimal_comma=where == "CSV excel"):
                leaks[f"{view.key} {where}"] = found
    assert leaks == {}


# ---- complementary suppression: a total minus the visible parts ----------------------------
def residual_problems(parts: pd.Series, hidden: pd.Series, total: float | None) -> list[str]:
    """With the total shown, the hidden parts together are the total minus the visible ones;
    that must be 0 (nothing hidden) or at least the threshold, else it is a small count."""
    if total is None or not np.isfinite(total):
        return []
    residual = total - parts[~hidden].sum()
    if 0 < residual < threshold():
        return [f"total {total:g} − visible {parts[~hidden].sum():g} = {residual:g}"]
    return []


def place_incidents(counts: dict[str, int]) -> list[pd.DataFrame]:
    return [incidents_at(n, when="2025-05-02 12:00", where=p) for p, n in counts.items() if n]


def byens_rum_counts(tmp_path: Path, counts: dict[str, int]):
    ds = tiny_data.build(tmp_path, incidents=place_incidents(counts))
    view = build_view("byens-rum", ds, YEAR)
    table = view.table.set_index("place_id")
    parts = table.drop(index=ALL_ID)
    return view, table, parts


def test_byens_rum_one_small_place_and_the_total_hides_a_second_place(tmp_path):
    counts = {"nytorv": 10, "gammeltorv": 3, "cw-obels-plads": 8, "jf-kennedys-plads": 12}
    view, table, parts = byens_rum_counts(tmp_path, counts)
    hidden = parts["incidents_suppressed"]
    assert hidden[hidden].index.tolist() == ["gammeltorv", "cw-obels-plads"]
    assert table.loc[ALL_ID, "incidents"] == 33  # the total is shown ...
    # ... and the hidden places together (11) give nothing below five away.
    true_counts = pd.Series(counts).reindex(parts.index).fillna(0)
    assert not residual_problems(true_counts, hidden, table.loc[ALL_ID, "incidents"])
    shown = view.display.set_index("Sted")["Hændelser"]
    # 3 is small: "<5"; the 8 is hidden only so that the 3 cannot be worked out: "skjult".
    assert shown["Gammeltorv"] == "<5" and shown["C.W. Obels Plads"] == "skjult"
    assert view.kpis[1].value == "33"


def test_byens_rum_hidden_places_together_never_sum_below_five(tmp_path):
    counts = {"nytorv": 10, "gammeltorv": 1, "cw-obels-plads": 1, "jf-kennedys-plads": 12}
    _, table, parts = byens_rum_counts(tmp_path, counts)
    true_counts = pd.Series(counts).reindex(parts.index).fillna(0)
    total = table.loc[ALL_ID, "incidents"]
    assert residual_problems(true_counts, parts["incidents_suppressed"], total) == []


def test_place_observations_one_small_value_and_the_total_hides_a_second(tmp_path):
    values = {"nytorv": 10, "gammeltorv": 3, "cw-obels-plads": 8, "jf-kennedys-plads": 12}
    rows = [measurement("klager", p, "2025-05", v) for p, v in values.items()]
    ds = tiny_data.build(tmp_path, measurements=rows)
    view = build_view("byens-rum", ds, YEAR)
    table = view.table.set_index("place_id")
    parts = table.loc[list(values)]
    assert parts["value_suppressed"].sum() >= 2
    total = table.loc[ALL_ID, "value"]
    assert not residual_problems(pd.Series(values), parts["value_suppressed"], total)
    # The 3 reads "<5"; the 8, hidden only to protect it, "skjult" (in the table and on the map).
    assert parts.loc["cw-obels-plads", "value_complementary"]
    assert not parts.loc["gammeltorv", "value_complementary"]
    labels = view.map.features.set_index("feature_id")["label"]
    assert labels["cw-obels-plads"].startswith("skjult ·")
    assert labels["gammeltorv"].startswith(f"{hidden_text()} ·")


def natteliv(tmp_path: Path, frames: list[pd.DataFrame]) -> View:
    return build_view("natteliv", tiny_data.build(tmp_path, incidents=frames), YEAR)


def night_total(view: View) -> float:
    (value,) = shown_numbers(view.kpis[0].value)
    return value


def test_natteliv_cells_beside_the_night_total(tmp_path):
    where = [(X0 + 150, Y0 + 150), (X0 + 450, Y0 + 150), (X0 + 750, Y0 + 650)]
    view = natteliv(
        tmp_path, [incidents_at(n, where=w) for n, w in zip((3, 10, 12), where, strict=True)]
    )
    table = view.table
    true = pd.Series([12.0, 10.0, 3.0])  # the table is sorted by count, hidden last
    assert night_total(view) == 25
    assert residual_problems(true, table["suppressed"], night_total(view)) == []


def test_natteliv_months_beside_the_night_total(tmp_path):
    frames = [incidents_at(3, when="2025-06-14 01:00"), incidents_at(10, when="2025-03-08 02:00")]
    view = natteliv(tmp_path, frames)
    data = view.trends[0].data
    months = data[(data["series"] == "Hele kommunen") & (data["period"] >= "2025-01-01")]
    shown = months["value"].fillna(0).sum()
    hidden_total = night_total(view) - shown
    assert not 0 < hidden_total < threshold(), f"{night_total(view)} − {shown} = {hidden_total}"


def test_natteliv_hours_beside_the_night_total(tmp_path):
    frames = [incidents_at(3, when="2025-06-14 01:00"), incidents_at(10, when="2025-03-08 02:00")]
    view = natteliv(tmp_path, frames)
    heat = view.heatmap
    night = [("lørdag", f"{h:02d}") for h in range(6)] + [("fredag", "22"), ("fredag", "23")]
    night += [("søndag", f"{h:02d}") for h in range(6)] + [("lørdag", "22"), ("lørdag", "23")]
    shown = sum(0.0 if np.isnan(heat.loc[d, h]) else heat.loc[d, h] for d, h in night)
    hidden_total = night_total(view) - shown
    assert not 0 < hidden_total < threshold(), f"{night_total(view)} − {shown} = {hidden_total}"


def test_a_single_small_place_count_is_absent_from_every_output(tmp_path):
    """One incident alone at Gammeltorv: neither its count nor its position is anywhere."""
    x, y = PLACE_POINTS["gammeltorv"]
    frames = [incidents_at(1, where=(x + 3.21, y - 4.56)), incidents_at(20, where=near("nytorv"))]
    ds = tiny_data.build(tmp_path, incidents=frames)
    positions = incident_positions(ds)
    for key in view_keys():
        view = build_view(key, ds, YEAR)
        assert all_problems(view, YEAR) == [], key
        texts = {d: data.decode("utf-8-sig") for d, data in csv_exports(view).items()}
        if view.map is not None:
            texts["map"] = maps.spec_map(view.map, basemap="none").get_root().render()
        for where, text in texts.items():
            assert not leaked_positions(text, positions, decimal_comma=where == "excel"), key


# ---- the one place that writes "<5" ---------------------------------------------------------------
REPO = Path(__file__).resolve().parents[2]


def test_hidden_text_follows_the_threshold(monkeypatch):
    assert hidden_text() == "<5" and hidden_text(3) == "<3"
    assert shown_count(4, True) == "<5" and shown_count(1234, False) == "1.234"
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    assert hidden_text() == "<10" == shown_count(7, True)


def test_only_privacy_writes_the_hidden_text():
    """Views, maps, charts and snapshots call privacy.hidden_text instead of building '<5'."""
    pattern = re.compile(r"<\{(\w+\.)?(threshold\(\)|limit|min_count)[^}]*\}")
    modules = sorted((REPO / "tryg_geo").rglob("*.py"))
    writers = [m.relative_to(REPO).as_posix() for m in modules if pattern.search(m.read_text())]
    assert writers == ["tryg_geo/compute/privacy.py"]


# ---- a cell hidden only to protect another is "skjult", never "<5" ------------------------------
def test_complementary_cells_read_skjult_and_small_ones_the_threshold(monkeypatch):
    from tryg_geo.compute.privacy import (
        complementary,
        complementary_note,
        hidden_label,
        hidden_legend,
        suppress_with_total,
    )

    counts = np.array([40, 3, 12, 0])
    hidden = suppress_with_total(counts)
    assert hidden.tolist() == [False, True, True, False]
    assert complementary(counts, hidden).tolist() == [False, False, True, False]
    assert hidden_label(False) == "<5" and hidden_label(True) == "skjult"
    assert shown_count(12, True, is_complementary=True) == "skjult"
    assert "regnes ud af totalen" in complementary_note()
    assert hidden_legend(True, False) == "Skjult (<5)"
    assert hidden_legend(False, True).startswith("Skjult, så en lille optælling")
    monkeypatch.setenv("TRYG_MIN_COUNT", "10")
    both = hidden_legend(True, True)
    assert "<10" in both and "<5" not in both and "totalen" in both
    assert shown_count(12, True) == "<10"


def test_a_cell_hidden_before_without_its_count_still_gets_a_partner():
    """A caller may pass a small cell already hidden and blanked (0 or NaN): its size is
    unknown, so it is never taken as protected alone, nor called 'skjult'."""
    from tryg_geo.compute.privacy import complementary, suppress_with_total

    values = np.array([0.0, 25.0, 0.0])
    before = np.array([True, False, False])
    hidden = suppress_with_total(values, hidden=before)
    assert hidden.tolist() == [True, True, False]
    assert complementary(values, hidden).tolist() == [False, True, False]


@pytest.mark.parametrize(
    ("counts", "hidden_at_least"),
    [
        # "<5" (1–4) and "skjult" (≥ 5) summing to 6 would give the small one away as 1.
        ([30, 1, 5, 5, 9], 3),
        # Three "<5" summing to 11 would say each is at least 3: one more is hidden.
        ([29, 3, 4, 4, 0], 4),
        # Two "<5" summing to 5 say nothing beyond 1–4 each: enough as they are.
        ([30, 2, 3, 9], 2),
    ],
)
def test_hidden_sum_never_narrows_a_small_cell(counts, hidden_at_least):
    """Given the sum of the hidden cells (the total minus the shown) and what their labels
    say ('<5': 1–4, 'skjult': 5 or more), every small hidden cell could still be 1 or 4."""
    from itertools import product

    from tryg_geo.compute.privacy import suppress_with_total

    values = np.array(counts)
    hidden = suppress_with_total(values)
    assert hidden.sum() >= hidden_at_least
    total = values[hidden].sum()
    small_cells = hidden & (values < LIMIT)
    n_small, n_other = int(small_cells.sum()), int((hidden & ~small_cells).sum())
    # Every assignment consistent with the labels and the sum: the small cells' possible values.
    possible = set()
    for smalls in product(range(1, LIMIT), repeat=n_small):
        rest = total - sum(smalls)
        if (n_other == 0 and rest == 0) or (n_other and rest >= n_other * LIMIT):
            possible.add(smalls[0])
    assert possible == set(range(1, LIMIT)), (counts, hidden)
