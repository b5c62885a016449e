"""Property: whatever damage a file has, every row is accounted for and nothing but
UnusableFileError escapes.

Start from a valid small Danish CSV (semicolon, decimal comma, cp1252, dd-mm-yyyy) and apply
random damage: delete or duplicate rows, blank cells, swap lat/lon, garbage text, extra
delimiters, impossible dates, NaN/inf, random bytes in the cp1252 range.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tryg_geo.errors import UnusableFileError
from tryg_geo.ingest.incidents import load_incidents
from tryg_geo.ingest.measurements import load_measurements

NOW = datetime(2025, 1, 1, 12, 0)

INCIDENT_HEADER = ["id", "dato", "kategori", "lat", "lon"]
INCIDENT_ROWS = [
    ["1", "24-12-2023 23:45", "Vold", "57,0488", "9,9217"],
    ["2", "25-12-2023 01:10", "hærværk", "57,0501", "9,9190"],
    ["3", "01-06-2024 14:00", "tyveri fra bil", "57,0433", "9,9301"],
    ["4", "2024-03-31T01:30:00Z", "Røveri", "57,0480", "9,9200"],
    ["5", "15.08.2024 22:05", "ordensforstyrrelse", "57,0470", "9,9250"],
    ["6", "02-01-2024", "indbrud i beboelse", "57,0520", "9,9150"],
]
MEASUREMENT_HEADER = ["område", "periode", "indikator", "værdi", "n"]
MEASUREMENT_ROWS = [
    ["D01", "2024", "tryg_andel", "87,5", "120"],
    ["D02", "2024-Q3", "tryg_andel", "91,2", "80"],
    ["kommune", "maj 2024", "tryg_andel", "88", "800"],
    ["D01", "2023", "fritid_deltagere", "1.234", ""],
    ["D03", "K2 2024", "tillid_politi_andel", "75,0", "45"],
]

# Text a damaged cell may get: letters, Danish letters, digits, delimiters, quotes, spaces.
GARBAGE = st.text(
    alphabet=st.sampled_from(list("abcxyzæøåÆØÅ0123456789;,.:-/\"' \t%€§½")),
    min_size=0,
    max_size=12,
)
HIGH_BYTES = st.binary(min_size=1, max_size=4).map(lambda b: bytes(0x80 | c for c in b))


def damage_ops(width: int):
    row = st.integers(0, 50)
    col = st.integers(0, width - 1)
    return st.one_of(
        st.tuples(st.just("delete"), row),
        st.tuples(st.just("duplicate"), row),
        st.tuples(st.just("blank"), row, col),
        st.tuples(st.just("swap"), row),
        st.tuples(st.just("garbage"), row, col, GARBAGE),
        st.tuples(st.just("extra_delimiters"), row, st.integers(1, 3)),
        st.tuples(st.just("impossible_date"), row),
        st.tuples(st.just("not_finite"), row, st.sampled_from(["NaN", "inf", "-inf", "nan"])),
        st.tuples(st.just("bytes"), st.integers(0, 10_000), HIGH_BYTES),
    )


def apply(rows: list[list[str]], ops, *, swap: tuple[int, int], date_col: int) -> list:
    """Cell-level damage on a copy of ``rows``; returns (rows, byte insertions)."""
    rows = [list(r) for r in rows]
    inserts = []
    for op in ops:
        kind = op[0]
        if kind == "bytes":
            inserts.append((op[1], op[2]))
            continue
        if not rows:
            continue
        i = op[1] % len(rows)
        if kind == "delete":
            del rows[i]
        elif kind == "duplicate":
            rows.insert(i, list(rows[i]))
        elif kind == "blank":
            if op[2] < len(rows[i]):
                rows[i][op[2]] = ""
        elif kind == "swap":
            a, b = swap
            if max(a, b) < len(rows[i]):
                rows[i][a], rows[i][b] = rows[i][b], rows[i][a]
        elif kind == "garbage":
            if op[2] < len(rows[i]):
                rows[i][op[2]] = op[3]
        elif kind == "extra_delimiters":
            rows[i].extend([""] * op[2] if op[2] % 2 else ["x"] * op[2])
        elif kind == "impossible_date":
            if date_col < len(rows[i]):
                rows[i][date_col] = "31-02-2024"
        elif kind == "not_finite":
            rows[i][swap[0]] = op[2]
    return [rows, inserts]


def to_bytes(header: list[str], rows: list[list[str]], inserts, encoding: str) -> bytes:
    text = "\n".join(";".join(r) for r in [header, *rows]) + "\n"
    data = text.encode(encoding, errors="replace")
    for position, chunk in inserts:
        position = position % (len(data) + 1)
        data = data[:position] + chunk + data[position:]
    return data


def check(result) -> None:
    assert result.rows_read == result.accepted + len(result.rejected) + result.duplicates
    assert result.rejected["row"].is_unique
    assert set(result.report()["rejected_reasons"]) == set(result.rejected["reason"])
    assert sum(result.report()["rejected_reasons"].values()) == len(result.rejected)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("damaged")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(damage_ops(len(INCIDENT_HEADER)), min_size=0, max_size=8),
    encoding=st.sampled_from(["cp1252", "utf-8", "utf-8-sig"]),
)
def test_damaged_incident_files_keep_the_row_counts(workdir, ops, encoding):
    rows, inserts = apply(INCIDENT_ROWS, ops, swap=(3, 4), date_col=1)
    path = workdir / "hændelser.csv"
    path.write_bytes(to_bytes(INCIDENT_HEADER, rows, inserts, encoding))
    try:
        result = load_incidents(path, now=NOW)
    except UnusableFileError as exc:
        assert str(exc).strip()
        return
    check(result)
    assert result.outside_districts == result.accepted  # no districts given


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ops=st.lists(damage_ops(len(MEASUREMENT_HEADER)), min_size=0, max_size=8),
    encoding=st.sampled_from(["cp1252", "utf-8"]),
)
# A first data row wider than the header once made pandas build an index and crash.
@example(ops=[("extra_delimiters", 0, 2)], encoding="cp1252")
def test_damaged_measurement_files_keep_the_row_counts(workdir, ops, encoding):
    rows, inserts = apply(MEASUREMENT_ROWS, ops, swap=(3, 4), date_col=1)
    path = workdir / "målinger.csv"
    path.write_bytes(to_bytes(MEASUREMENT_HEADER, rows, inserts, encoding))
    try:
        result = load_measurements(path)
    except UnusableFileError as exc:
        assert str(exc).strip()
        return
    check(result)
    shares = result.frame[result.frame["indicator"].str.endswith("andel")]["value"]
    assert ((shares >= 0) & (shares <= 1)).all()


def test_the_undamaged_files_are_fully_accepted(workdir):
    path = workdir / "ren.csv"
    path.write_bytes(to_bytes(INCIDENT_HEADER, INCIDENT_ROWS, [], "cp1252"))
    result = load_incidents(path, now=NOW)
    assert (result.rows_read, result.accepted) == (6, 6)
    path = workdir / "ren_m.csv"
    path.write_bytes(to_bytes(MEASUREMENT_HEADER, MEASUREMENT_ROWS, [], "cp1252"))
    result = load_measurements(path)
    assert (result.rows_read, result.accepted) == (5, 5)
