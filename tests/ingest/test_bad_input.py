"""Bad input: every case of tests/data/bad/CASES.md produces exactly the outcome the table says.

The table is the specification; this module parses it, checks it agrees with the files (and
with make_cases.py, which wrote them), then imports every file twice: with
:func:`tryg_geo.ingest.importer.import_file` and with ``python -m tryg_geo import`` (``cli.main``). For
each: no traceback, a Danish sentence, the stated reasons, and
``rows_read == accepted + rejected + duplicates``.
"""

from __future__ import annotations

import importlib.util
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
import tiny_data

from tryg_geo.cli import main
from tryg_geo.errors import UnusableFileError
from tryg_geo.ingest.importer import import_file, import_upload
from tryg_geo.ingest.result import LoadResult
from tryg_geo.ingest.vector_zip import extract_shapefile
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
XSS = "<img src=x onerror=alert(1)>"
#: Cases whose file the test writes itself (a big file is not worth committing).
MADE_AT_TEST_TIME = {"too_large.csv"}
#: Every kind of bad input the issue names, and the table's file that covers it.
REQUIRED = {
    "empty file": "empty.csv",
    "header only": "header_only.csv",
    "binary garbage": "binary_garbage.csv",
    "JSON that is not GeoJSON": "json_not_geojson.json",
    "wrong delimiter": "wrong_delimiter_spaces.csv",
    "cp1252 with æøå": "cp1252_aeoeaa.csv",
    "UTF-8 BOM": "utf8_bom.csv",
    "decimal comma": "decimal_comma.csv",
    "mixed dates": "mixed_date_formats.csv",
    "impossible dates": "impossible_dates.csv",
    "dates in the future": "future_dates.csv",
    "lat/lon swapped": "latlon_swapped.csv",
    "UTM in lat/lon": "utm_in_latlon.csv",
    "outside Denmark": "outside_denmark.csv",
    "missing coordinates": "missing_coordinates.csv",
    "NaN and inf": "nan_inf.csv",
    "duplicate ids": "duplicate_ids.csv",
    "self-intersecting polygon": "self_intersecting_polygon.geojson",
    "GeoJSON, no CRS, UTM": "geojson_no_crs_utm.geojson",
    "3-D coordinates": "coordinates_3d.geojson",
    "overlapping districts": "overlapping_districts.geojson",
    "points on a boundary": "points_on_boundary.csv",
    "XLSX with title rows": "xlsx_title_rows.xlsx",
    "zip with no .shp": "zip_without_shp.zip",
    "zip with ../": "zip_slip.zip",
    "zip of gigabytes": "zip_bomb_declared.zip",
    "very large file": "too_large.csv",
    "HTML in names": "html_district_names.geojson",
    "10 000-character names": "long_names.geojson",
    "negative population": "negative_population.geojson",
    "shares above 100 %": "share_above_100.csv",
    "n = 0": "n_zero.csv",
}


# ---- the table --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    number: int
    file: str
    kind: str
    setup: str
    outcome: str  # refused | rejected | accepted
    accepted: int | None
    reasons: dict[str, int]  # reason -> rows ("*" = any reason)
    text: str | None  # sentence (refused) or warning (others) that must be contained
    why: str

    @property
    def known_bug(self) -> bool:
        return "**known bug**" in self.why

    @property
    def limit_mb(self) -> int | None:
        match = re.search(r"limit (\d+) MB", self.setup)
        return int(match.group(1)) if match else None

    def __str__(self) -> str:
        return f"{self.number:02d}-{self.file}"


def _cell(text: str) -> str:
    return text.strip().replace("`", "")


def parse_cases(path: Path = BAD / "CASES.md") -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [_cell(c) for c in line.strip().strip("|").split("|")]
        if len(cells) != 9 or not cells[0].isdigit():
            continue
        number, file, kind, setup, outcome, accepted, reasons, text, why = cells
        parsed: dict[str, int] = {}
        if reasons != "—":
            for part in reasons.split(","):
                reason, count = (p.strip() for p in part.split("="))
                parsed[reason] = int(count)
        cases.append(
            Case(
                number=int(number),
                file=file,
                kind=kind,
                setup=setup,
                outcome=outcome,
                accepted=None if accepted == "—" else int(accepted),
                reasons=parsed,
                text=None if text == "—" else text.strip('"'),
                why=why,
            )
        )
    return cases


CASES = parse_cases()


def params(cases: list[Case]) -> list:
    out = []
    for case in cases:
        marks = []
        if case.known_bug:
            marks.append(pytest.mark.xfail(reason=f"bug: {case.why}", strict=True))
        out.append(pytest.param(case, id=str(case), marks=marks))
    return out


def _make_cases_module():
    spec = importlib.util.spec_from_file_location("make_cases", BAD / "make_cases.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_table_the_files_and_the_generator_agree():
    files = {p.name for p in BAD.iterdir() if p.name not in ("CASES.md", "make_cases.py")}
    files -= {p.name for p in BAD.iterdir() if p.name == "__pycache__"}
    listed = [c.file for c in CASES]
    assert len(listed) == len(set(listed)), "a file is listed twice"
    assert [c.number for c in CASES] == list(range(1, len(CASES) + 1))
    assert set(listed) - MADE_AT_TEST_TIME == files
    assert set(_make_cases_module().cases()) == files
    assert len(CASES) >= 30
    for case in CASES:
        assert case.kind in ("districts", "incidents", "measurements", "places"), case
        assert case.outcome in ("refused", "rejected", "accepted"), case
        if case.outcome == "refused":
            assert case.text and case.accepted is None and not case.reasons, case
        else:
            assert case.accepted is not None, case
        if case.outcome == "rejected":
            assert case.reasons, case
        if case.outcome == "accepted":
            assert not case.reasons, case


def test_every_kind_of_bad_input_the_issue_names_is_covered():
    listed = {c.file for c in CASES}
    assert {name: file for name, file in REQUIRED.items() if file not in listed} == {}


def test_bad_files_are_small_on_disk():
    sizes = {p.name: p.stat().st_size for p in BAD.iterdir() if p.is_file()}
    assert max(sizes.values()) < 1_000_000, sizes
    with zipfile.ZipFile(BAD / "zip_bomb_declared.zip") as archive:
        declared = sum(i.file_size for i in archive.infolist())
    assert declared >= 4_000_000_000  # gigabytes, claimed by a file of about 1 KB


# ---- running a case ---------------------------------------------------------------------------
def case_file(case: Case, tmp_path: Path) -> Path:
    if case.file == "too_large.csv":
        path = tmp_path / "too_large.csv"
        row = "1;24-12-2023 23:45;vold;57.048;9.921\n"
        path.write_text("id;dato;kategori;lat;lon\n" + row * (1_500_000 // len(row)))
        return path
    return BAD / case.file


def prepare(case: Case, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    if case.limit_mb is not None:
        monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", str(case.limit_mb))
    if "districts in store" in case.setup:
        empty = pd.DataFrame(columns=list(REJECTED_COLUMNS))
        store.write("districts", tiny_data.districts(), rejected=empty, report={})


def assert_plain_danish(message: str) -> None:
    """A sentence for an analyst: Danish, no traceback, no Python exception names in the part
    the user reads (GDAL's own words may follow, marked as a technical detail)."""
    assert message.strip(), "empty message"
    assert "Traceback" not in message and 'File "' not in message, message
    readable = message.split("(Teknisk besked")[0]
    assert not re.search(r"\b\w*(Error|Exception)\b", readable), message
    assert not re.search(r"\b(None|nan|NaT)\b", readable), message
    danish = r"\b(filen|ikke|er|og|med|blev|som|på|af|til|den|der|kan|forventede?)\b"
    assert re.search(danish, readable, re.IGNORECASE), message


def assert_counts(report: dict) -> None:
    assert report["rows_read"] == report["accepted"] + report["rejected"] + report["duplicates"]
    assert report["rejected"] == sum(report["rejected_reasons"].values())


def assert_reasons(case: Case, reasons: dict[str, int]) -> None:
    if "*" in case.reasons:
        assert sum(reasons.values()) == case.reasons["*"], reasons
    else:
        assert reasons == case.reasons


@pytest.mark.parametrize("case", params(CASES))
def test_import_file(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store = Store(tmp_path / "data")
    prepare(case, store, monkeypatch)
    path = case_file(case, tmp_path)
    if case.outcome == "refused":
        with pytest.raises(UnusableFileError, match=re.escape(case.text)) as info:
            import_file(case.kind, path, store=store)
        assert_plain_danish(info.value.message)
        assert not store.has(case.kind)
        return
    result = import_file(case.kind, path, store=store)
    report = result.report()
    assert_counts(report)
    assert report["accepted"] == case.accepted
    assert_reasons(case, report["rejected_reasons"])
    if case.text is not None:
        assert any(case.text in w for w in report["warnings"]), report["warnings"]
    for warning in report["warnings"]:
        assert_plain_danish(warning)
    assert list(result.rejected.columns) == list(REJECTED_COLUMNS)
    for message in result.rejected["message"]:
        assert_plain_danish(message)
    assert store.has(case.kind) == bool(case.accepted)
    if case.accepted:
        assert len(store.read(case.kind)) == case.accepted
    EXTRA_CHECKS.get(case.file, lambda *_: None)(result, store)


@pytest.mark.parametrize("case", params(CASES))
def test_command_line(
    case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
):
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    store = Store(tmp_path / "data")
    prepare(case, store, monkeypatch)
    code = main(["import", case.kind, str(case_file(case, tmp_path)), "--json"])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    if case.outcome == "refused":
        assert code == 1 and out == ""
        assert err.startswith("Fejl: ") and err.count("\n") == 1, err
        assert case.text in err
        assert_plain_danish(err.removeprefix("Fejl: "))
        return
    assert err == ""
    report = json.loads(out)
    assert_counts(report)
    assert report["accepted"] == case.accepted
    assert_reasons(case, report["rejected_reasons"])
    assert code == (0 if case.accepted else 1)


# ---- what accepted and rejected rows became ---------------------------------------------------
def _categories(result: LoadResult, store: Store) -> list[str]:
    return sorted(map(str, store.read("incidents")["category"]))


def _check_cp1252(result, store):
    assert _categories(result, store) == ["hærværk", "røveri", "tyveri på østerå"]


def _check_bom(result, store):
    assert store.read("incidents")["incident_id"].tolist() == ["1", "2"]


def _check_decimal_comma(result, store):
    from pyproj import Transformer

    stored = store.read("incidents")
    lon, lat = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True).transform(
        stored["x"].to_numpy(), stored["y"].to_numpy()
    )
    assert np.allclose(lat, [57.0488, 57.0501]) and np.allclose(lon, [9.9217, 9.9190])


def _check_mixed_dates(result, store):
    times = store.read("incidents").sort_values("incident_id")["time"]
    assert [str(t) for t in times] == [
        "2023-12-24 23:45:00",
        "2024-03-31 03:30:00",  # 01:30 UTC is 03:30 summer time in Denmark
        "2024-08-15 22:05:00",
        "2024-05-01 00:00:00",
    ]


def _check_repaired(result, store):
    geoms = store.read("districts").geometry
    assert geoms.is_valid.all() and (geoms.area > 0).all()


def _check_utm_guess(result, store):
    bounds = store.read("districts").total_bounds
    assert np.allclose(bounds, [554_000, 6_322_000, 556_000, 6_323_000])


def _check_2d(result, store):
    assert not shapely.has_z(store.read("districts").geometry.to_numpy()).any()


def _check_overlap(result, store):
    assert any("1 og 2" in w for w in result.warnings)


def _check_boundary(result, store):
    stored = store.read("incidents").sort_values("incident_id")
    # Shared edge -> the lowest id; outer edges and corners count as inside.
    assert stored["district_id"].astype(str).tolist() == ["a", "a", "b", "c", "b"]
    assert result.outside_districts == 0


def _check_xlsx(result, store):
    assert _categories(result, store) == ["hærværk", "tyveri", "vold"]


def _check_html_districts(result, store):
    names = store.read("districts").sort_values("district_id")["name"].tolist()
    assert names == [XSS, "<script>alert('x')</script> & Co"]  # data kept as data


def _check_html_places(result, store):
    stored = store.read("places")
    assert stored["name"].tolist() == [XSS] and stored["kind"].tolist() == [XSS]


def _check_html_category(result, store):
    assert _categories(result, store) == [XSS]


def _check_long_names(result, store):
    names = store.read("districts").set_index("district_id")["name"]
    assert len(names["1"]) == 10_000 and names["2"] == "Kort"


def _check_rows(*rows: int) -> Callable:
    def check(result, store):
        assert sorted(result.rejected["row"].astype(int)) == list(rows)

    return check


def _check_nothing_stored(result, store):
    assert store.failed_rejections_path("incidents").exists()


def _check_duplicates(result, store):
    assert sorted(store.read("incidents")["incident_id"]) == ["1", "2"]
    assert result.duplicates == 1


def _check_shares(result, store):
    assert np.allclose(sorted(store.read("measurements")["value"]), [0.875, 0.91])


def _check_negative_count(result, store):
    assert (store.read("measurements")["value"] >= 0).all()


EXTRA_CHECKS: dict[str, Callable[[LoadResult, Store], None]] = {
    "cp1252_aeoeaa.csv": _check_cp1252,
    "utf8_bom.csv": _check_bom,
    "decimal_comma.csv": _check_decimal_comma,
    "mixed_date_formats.csv": _check_mixed_dates,
    "self_intersecting_polygon.geojson": _check_repaired,
    "geojson_no_crs_utm.geojson": _check_utm_guess,
    "coordinates_3d.geojson": _check_2d,
    "overlapping_districts.geojson": _check_overlap,
    "points_on_boundary.csv": _check_boundary,
    "xlsx_title_rows.xlsx": _check_xlsx,
    "html_district_names.geojson": _check_html_districts,
    "html_place_names.geojson": _check_html_places,
    "html_category.csv": _check_html_category,
    "long_names.geojson": _check_long_names,
    "comma_delimiter_decimal_comma.csv": _check_rows(2, 3),
    "impossible_dates.csv": _check_rows(2, 3, 4),
    "nothing_accepted.csv": _check_nothing_stored,
    "future_dates.csv": _check_rows(2),
    "duplicate_ids.csv": _check_duplicates,
    "share_above_100.csv": _check_shares,
    "negative_count.csv": _check_negative_count,
}


def test_every_extra_check_belongs_to_a_case():
    assert set(EXTRA_CHECKS) <= {c.file for c in CASES}


# ---- uploads and zip extraction stay inside their folders --------------------------------------
def test_upload_name_with_folders_is_written_only_under_the_data_folder(tmp_path):
    store = Store(tmp_path / "data")
    data = (BAD / "decimal_comma.csv").read_bytes()
    result = import_upload("incidents", "../../../../tmp/../evil.csv", data, store=store)
    assert result.accepted == 2
    everything = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*")}
    assert everything == {"data"}
    assert not (store.root / "uploads" / "evil.csv").exists()  # removed after the import
    originals = [p.name for p in (store.root / "originals").iterdir()]
    assert len(originals) == 1 and originals[0].endswith("_incidents_evil.csv")


def test_upload_over_the_limit_is_refused_before_anything_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "1")
    store = Store(tmp_path / "data")
    with pytest.raises(UnusableFileError, match="grænsen er 1 MB") as info:
        import_upload("incidents", "stor.csv", b"x" * 1_500_001, store=store)
    assert_plain_danish(info.value.message)
    assert not (store.root / "uploads").exists() or not any((store.root / "uploads").iterdir())


def test_zip_slip_writes_nothing_anywhere(tmp_path):
    target = tmp_path / "a" / "b" / "out"
    target.mkdir(parents=True)
    with pytest.raises(UnusableFileError, match=r"\.\./\.\./kort\.shp"):
        extract_shapefile(BAD / "zip_slip.zip", target)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_extraction_stops_at_the_declared_size(tmp_path):
    """The archive declares 1 000 bytes and holds 50 MB: at most 1 000 bytes are written."""
    with pytest.raises(UnusableFileError, match="kan ikke pakkes ud"):
        extract_shapefile(BAD / "zip_lies_small.zip", tmp_path)
    written = sum(p.stat().st_size for p in tmp_path.rglob("*") if p.is_file())
    assert written <= 1_000 + 200  # the .shp up to its declared size, plus the small sidecars


def test_zip_size_sentence_shows_a_size_above_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("TRYG_UPLOAD_LIMIT_MB", "1")
    with pytest.raises(UnusableFileError) as info:
        import_file("districts", BAD / "zip_many_entries.zip", store=Store(tmp_path))
    shown = re.search(r"fylder ([\d,.]+) MB udpakket", info.value.message).group(1)
    assert float(shown.replace(",", ".")) > 4, info.value.message
