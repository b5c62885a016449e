"""Snapshots: every PNG is a finished picture of the stated size, every CSV reads back to the
view's numbers in both dialects, no export shows a small count or an incident position, and
the command line gives the same numbers as the dashboard's buttons for the same filters.

PNG sizes: 'slide' 1920 × 1080, 'a4' 2338 × 1654 (A4 landscape at 200 dpi).
"""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from PIL import Image

from tryg_geo.cli import main
from tryg_geo.compute.filters import Filters
from tryg_geo.csv_safe import safe_cell
from tryg_geo.errors import ExportError, UsageError
from tryg_geo.render import csv_export, files, png_base, png_page, png_trends
from tryg_geo.store.dataset import Dataset
from tryg_geo.store.folder import Store
from tryg_geo.views.model import Trend, View
from tryg_geo.views.registry import (
    KOMMUNER_VIEW,
    MAIN_VIEWS,
    PNG_LAYOUTS,
    build_view,
    default_filters,
    png_layout,
    section_title,
    view_keys,
)

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
SLIDE, A4 = (1920, 1080), (2338, 1654)
KEYS = view_keys()
#: The PNG kicker's section of each main view, as on the dashboard's navigation.
SECTIONS = {v.key: v.page.title for v in (*MAIN_VIEWS, KOMMUNER_VIEW)}
#: Filter sets the suppression tests run every view under (URL parameters, as the pages).
FILTER_SETS = {
    "standard": {},
    "en måned": {"preset": "custom", "fra": "2025-03-01", "til": "2025-03-31"},
    "narkotika": {"kat": "narkotika"},
    "et område": {"omr": "hals"},
    "hændelser pr. 1.000": {"ind": "haendelser_pr_1000", "kat": "vold"},
}


# ---- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def store_dir(demo_dir) -> Path:
    return demo_dir


@pytest.fixture(scope="module")
def ds(demo_ds) -> Dataset:
    return demo_ds


@pytest.fixture(scope="module")
def filters(ds) -> Filters:
    return default_filters(ds, {})


@pytest.fixture(scope="module")
def views(ds, filters) -> dict[str, View]:
    return {key: build_view(key, ds, filters) for key in KEYS}


@pytest.fixture
def data_env(store_dir, monkeypatch) -> Path:
    monkeypatch.setenv("TRYG_DATA_DIR", str(store_dir))
    monkeypatch.delenv("TRYG_DEBUG", raising=False)
    monkeypatch.delenv("TRYG_MIN_COUNT", raising=False)
    return store_dir


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- helpers ----------------------------------------------------------------------------------
def png_image(data: bytes) -> np.ndarray:
    assert data[:8] == PNG_MAGIC
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def by_gid(figure, gid: str) -> list:
    return figure.findobj(lambda artist: artist.get_gid() == gid)


def flat(text: str) -> str:
    return " ".join(text.split())


def drawn_trends(view: View) -> list:
    return [t for t in view.trends if not t.data.empty and t.data["value"].notna().any()]


# ---- PNG --------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", KEYS)
def test_png_is_a_finished_picture(views, key):
    view = views[key]
    pixels = png_image(png_page.view_png(view))
    assert pixels.shape[:2] == (SLIDE[1], SLIDE[0])
    assert pixels.std() > 20, "the picture is blank"
    assert (pixels.min(axis=2) < 200).mean() > 0.01, "almost nothing is drawn"

    figure = png_page.view_figure(view)
    (title,) = by_gid(figure, "title")
    assert flat(title.get_text()) == flat(view.title)
    (subtitle,) = by_gid(figure, "subtitle")
    assert flat(subtitle.get_text()).startswith(flat(view.subtitle)[:60])
    (source,) = by_gid(figure, "source")
    assert "Kilde:" in source.get_text() and "udtrukket" in source.get_text()
    assert view.as_of.startswith("Data pr.:") and view.as_of in source.get_text()
    assert bool(by_gid(figure, "demo")) == view.demo
    if view.demo:
        assert by_gid(figure, "demo")[0].get_text() == "DEMODATA"
    (kicker,) = by_gid(figure, "kicker")
    section = "Indsatser" if key.startswith("indsats/") else SECTIONS[key]
    assert kicker.get_text() == f"Tryg Aalborg · {section}"
    if view.map is not None:
        assert len(by_gid(figure, "map")) == 1
        (legend,) = by_gid(figure, "legend")
        labels = [t.get_text() for t in legend.get_texts()]
        assert labels[: len(view.map.legend.entries)] == [e[1] for e in view.map.legend.entries]
        assert flat(legend.get_title().get_text()) == flat(view.map.legend.title)
    else:
        assert not by_gid(figure, "legend")
    if key != "overblik":
        assert len(by_gid(figure, "trend")) == min(len(drawn_trends(view)), 6)


@pytest.mark.parametrize("key", ["overblik", "natteliv", "byens-rum", "indsats/tryg-bydel"])
def test_a4_png(views, key):
    pixels = png_image(png_page.view_png(views[key], "a4"))
    assert pixels.shape[:2] == (A4[1], A4[0])
    assert png_base.png_size("a4") == A4 and png_base.png_size("slide") == SLIDE


def test_unknown_size_is_a_usage_error(views):
    with pytest.raises(UsageError, match="--size 'a3' er ikke tilladt"):
        png_page.view_png(views["natteliv"], "a3")


def test_real_data_has_no_demo_mark(views):
    view = dataclasses.replace(views["tryg-bydel"], demo=False, source="Kilde: X; udtrukket 1")
    figure = png_page.view_figure(view)
    assert not by_gid(figure, "demo")
    assert "data" not in csv_export.csv_table(view).columns


def test_legend_lies_beside_the_map(views):
    figure = png_page.view_figure(views["tryg-bydel"])
    renderer = figure.canvas.get_renderer()
    (ax,) = by_gid(figure, "map")
    (legend,) = by_gid(figure, "legend")
    box, frame = legend.get_window_extent(renderer), ax.get_window_extent(renderer)
    assert box.x0 >= frame.x1 or box.y1 <= frame.y0, "the legend covers the map"


def test_natteliv_opens_on_the_hotspot(views):
    spec = views["natteliv"].map
    assert spec.bounds is not None
    figure = png_page.view_figure(views["natteliv"])
    (ax,) = by_gid(figure, "map")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    minx, miny, maxx, maxy = spec.bounds
    assert x0 <= minx and maxx <= x1 and y0 <= miny and maxy <= y1
    outline = spec.outline.total_bounds
    assert (x1 - x0) < (outline[2] - outline[0]) / 3, "zoomed out to the whole kommune"


def test_trend_axes_are_danish(views):
    figure = png_page.view_figure(views["natteliv"])
    figure.canvas.draw()
    (ax,) = by_gid(figure, "trend")
    months = " ".join(t.get_text() for t in ax.get_xticklabels())
    assert re.search(r"\b(jan|apr|jul|okt)\b", months)
    assert not re.search(r"\b(Jan|Oct|May|Dec)\b|-\d\d\b", months)
    figure = png_page.view_figure(views["indsats/patientens-team"])
    figure.canvas.draw()
    shares = [t.get_text() for ax in by_gid(figure, "trend") for t in ax.get_yticklabels()]
    assert any(label.endswith(" %") for label in shares)
    assert not any("." in label for label in shares if label.endswith(" %"))


def test_missing_periods_break_the_line():
    data = pd.DataFrame(
        {
            "period": pd.to_datetime(["2025-01-01", "2025-02-01", "2025-05-01", "2025-06-01"]),
            "series": "Nytorv",
            "value": [8.0, 9.0, 7.0, 6.0],
        }
    )
    wide, gaps = png_trends.series_frame(Trend("Nytorv", data, "antal"))
    assert gaps and len(wide) == 6 and wide["Nytorv"].isna().sum() == 2


def test_long_title_is_wrapped_not_cut(views):
    title = "Socialt udsatte i byens rum og pladser – " * 3
    view = dataclasses.replace(views["indsats/patientens-team"], title=title.strip(" –"))
    figure = png_page.view_figure(view)
    (text,) = by_gid(figure, "title")
    assert "\n" in text.get_text()
    renderer = figure.canvas.get_renderer()
    assert text.get_window_extent(renderer).x1 <= figure.bbox.width


def test_view_without_data_says_so(views):
    empty = dataclasses.replace(
        views["indsats/patientens-team"],
        table=views["indsats/patientens-team"].table.head(0),
        display=None,
        trends=[],
        kpis=[],
        map=None,
    )
    figure = png_page.view_figure(empty)
    (text,) = by_gid(figure, "table")
    assert text.get_text() == "Ingen data i den valgte periode."


# ---- CSV --------------------------------------------------------------------------------------
def assert_same_numbers(parsed: pd.DataFrame, view: View, dialect: str) -> None:
    expected = csv_export.csv_table(view)
    assert list(parsed.columns) == list(expected.columns)
    assert len(parsed) == len(expected)
    for column in view.table.columns:
        original = view.table[column]
        if pd.api.types.is_bool_dtype(original):
            assert parsed[column].tolist() == original.map({True: "ja", False: "nej"}).tolist()
        elif pd.api.types.is_numeric_dtype(original):
            got = pd.to_numeric(parsed[column], errors="raise").to_numpy(dtype="float64")
            want = original.astype("float64").to_numpy(dtype="float64", na_value=np.nan)
            np.testing.assert_allclose(got, want, rtol=1e-12, equal_nan=True, err_msg=column)
        else:
            want = original.astype(object).where(original.notna(), "").astype(str)
            want = want.map(safe_cell)  # formula-like text is neutralised in both dialects
            got = parsed[column].astype(object).where(parsed[column].notna(), "").astype(str)
            assert got.tolist() == want.tolist(), column


@pytest.mark.parametrize("dialect", ["excel", "standard"])
@pytest.mark.parametrize("key", KEYS)
def test_csv_reads_back_to_the_numbers_of_the_view(views, key, dialect):
    view = views[key]
    data = csv_export.view_csv(view, dialect, role="dataansvarlig")  # every column
    if dialect == "excel":
        parsed = pd.read_csv(
            io.BytesIO(data),
            sep=";",
            decimal=",",
            encoding="utf-8-sig",
            dtype=_string_columns(view),
        )
    else:
        parsed = pd.read_csv(io.BytesIO(data), encoding="utf-8", dtype=_string_columns(view))
    assert_same_numbers(parsed, view, dialect)
    pd.testing.assert_frame_equal(
        csv_export.read_csv(data, dialect).astype(str), parsed.astype(str), check_dtype=False
    )


def _string_columns(view: View) -> dict[str, type]:
    """Text columns stay text when read back (a period '2025' is not the number 2025)."""
    table = csv_export.csv_table(view)
    return {
        c: str
        for c in table.columns
        if not pd.api.types.is_numeric_dtype(table[c]) or pd.api.types.is_bool_dtype(table[c])
    }


def test_dialects_differ_as_documented(views):
    view = views["tryg-bydel"]
    excel, standard = csv_export.view_csv(view, "excel"), csv_export.view_csv(view, "standard")
    assert excel.startswith(b"\xef\xbb\xbf") and not standard.startswith(b"\xef\xbb\xbf")
    head = excel.decode("utf-8-sig").split("\r\n")[0]
    assert head.startswith("view;data;source;district_id;district_name;period;indicator;value")
    assert re.search(r";0,\d+;", excel.decode("utf-8-sig"))
    assert standard.decode().split("\n")[0].startswith("view,data,source,district_id,district_name")
    assert "\r\n" not in standard.decode()
    with pytest.raises(UsageError, match="--dialect 'tsv' er ikke tilladt"):
        csv_export.view_csv(view, "tsv")


def test_excel_never_runs_a_name_as_formula(views):
    view = views["tryg-bydel"]
    table = view.table.copy()
    table.loc[table.index[0], "district_name"] = '=HYPERLINK("http://x";"klik")'
    bad = dataclasses.replace(view, table=table)
    excel = csv_export.view_csv(bad, "excel").decode("utf-8-sig")
    assert "'=HYPERLINK" in excel
    assert "=HYPERLINK" in csv_export.view_csv(bad, "standard").decode()


def test_file_stem(views, filters):
    stem = files.file_stem(views["indsats/tryg-bydel"], filters)
    assert stem == f"tryg-geo_indsats-tryg-bydel_{filters.start}_{filters.end}"


# ---- discretion -------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def coordinates(store_dir) -> np.ndarray:
    incidents = Store(store_dir).read("incidents")
    columns = [c for c in ("x", "y", "lon", "lat") if c in incidents.columns]
    return np.unique(incidents[columns].to_numpy(dtype="float64").ravel())


@pytest.mark.parametrize("name", list(FILTER_SETS))
def test_no_small_count_no_position_and_documented_columns(ds, coordinates, name):
    filters = default_filters(ds, FILTER_SETS[name])
    for key in KEYS:
        view = build_view(key, ds, filters)
        table = csv_export.csv_table(view)
        assert not csv_export.suppression_problems(table), key
        for column in table.columns:  # stable names, each documented (README, index.md)
            assert re.fullmatch(r"[a-z][a-z0-9_]*", column), column
            assert column in csv_export.COLUMN_DOCS, f"{column} ({key}) is not documented"
        for dialect in csv_export.DIALECTS:
            data = csv_export.view_csv(view, dialect)
            parsed = csv_export.read_csv(data, dialect)
            for column in csv_export._count_columns(parsed):
                values = pd.to_numeric(parsed[column], errors="coerce")
                assert not ((values >= 1) & (values < 5)).any(), (key, column)
            if "unit" in parsed.columns:
                counted = parsed[parsed["unit"].isin(["antal", "personer"])]
                values = pd.to_numeric(counted["value"], errors="coerce")
                assert not ((values >= 1) & (values < 5)).any(), key
            numbers = parsed.select_dtypes("number").to_numpy(dtype="float64").ravel()
            assert not np.isin(numbers[np.isfinite(numbers)], coordinates).any(), key
            text = data.decode("utf-8-sig")
            assert not any(f"{c:.3f}".replace(".", ",") in text for c in coordinates[:200])


@pytest.mark.parametrize(
    ("table", "words"),
    [
        (pd.DataFrame({"incidents": [12.0, 3.0]}), "kolonnen incidents har tal under 5"),
        (pd.DataFrame({"previous_incidents": [2.0]}), "previous_incidents"),
        (pd.DataFrame({"n": [4.0]}), "kolonnen n"),
        (pd.DataFrame({"unit": ["antal", "andel"], "value": [2.0, 0.5]}), "value har antal"),
        (
            pd.DataFrame({"value": [17.0], "value_suppressed": [True]}),
            "value har et tal, hvor value_suppressed er sat",
        ),
        (
            pd.DataFrame({"incidents_per_1000": [0.4], "suppressed": [True]}),
            "incidents_per_1000 har et tal i en skjult række",
        ),
    ],
)
def test_suppression_problems_are_found(table, words):
    assert csv_export.suppression_problems(table)
    assert any(words in p for p in csv_export.suppression_problems(table))


def test_yes_no_flags_read_the_same_written_as_words_or_values():
    """The CSV writes flags as 'ja'/'nej' (one comparison for the column); other columns keep
    the rule value by value: only True, np.True_ and 'ja' are flagged."""
    words = pd.Series(["ja", "nej", "ja"], dtype=object)
    assert csv_export.is_flagged(words).tolist() == [True, False, True]
    assert csv_export.is_flagged(words.astype("string")).tolist() == [True, False, True]
    mixed = pd.Series([True, np.True_, "ja", "nej", 1, "Ja", None, np.nan, False], dtype=object)
    assert csv_export.is_flagged(mixed).tolist() == [True, True, True] + [False] * 6
    hidden = pd.DataFrame({"value": [17.0, np.nan], "value_suppressed": ["nej", "ja"]})
    assert not csv_export.suppression_problems(hidden)
    assert csv_export.suppression_problems(hidden.assign(value_suppressed=["ja", "nej"]))


def test_suppression_holds_for_zero_and_large_and_hidden():
    table = pd.DataFrame(
        {
            "incidents": [0.0, 5.0, np.nan],
            "incidents_per_1000": [0.0, 0.5, np.nan],
            "suppressed": [False, False, True],
            "unit": ["andel", "antal", "antal"],
            "value": [0.9, 5.0, np.nan],
        }
    )
    assert not csv_export.suppression_problems(table)


def test_a_csv_with_a_small_count_is_refused(views):
    view = views["natteliv"]
    table = view.table.copy()
    table.loc[table.index[0], "incidents"] = 3
    with pytest.raises(ExportError, match="ville vise små tal: kolonnen incidents"):
        csv_export.view_csv(dataclasses.replace(view, table=table))


def test_threshold_comes_from_the_settings(views, monkeypatch):
    monkeypatch.setenv("TRYG_MIN_COUNT", "20")
    table = pd.DataFrame({"incidents": [12.0]})
    assert csv_export.suppression_problems(table)


# ---- command line -----------------------------------------------------------------------------
def ui_filters(ds: Dataset, start=None, end=None, categories=(), district=None) -> Filters:
    """What pages/ui/state.sidebar_filters returns for these widget values."""
    current = default_filters(ds, {})
    if start is None:
        return current.with_(categories=tuple(categories), district=district)
    return current.with_(
        preset="custom", start=start, end=end, categories=tuple(categories), district=district
    )


CASES = [
    ("overblik", [], {}),
    (
        "natteliv",
        ["--category", "vold", "--category", "trusler"],
        {"categories": ("vold", "trusler")},
    ),
    ("tryg-bydel", ["--district", "hals"], {"district": "hals"}),
    (
        "indsats/et-trygt-natteliv",
        ["--from", "01-03-2025", "--to", "2025-08-31"],
        {"start": date(2025, 3, 1), "end": date(2025, 8, 31)},
    ),
    (
        "byens-rum",
        ["--from", "2024-06-01", "--to", "31-05-2025", "--category", "vold"],
        {"start": date(2024, 6, 1), "end": date(2025, 5, 31), "categories": ("vold",)},
    ),
]


@pytest.mark.parametrize(("key", "options", "widgets"), CASES)
@pytest.mark.parametrize("dialect", ["excel", "standard"])
def test_cli_and_ui_give_the_same_numbers(
    ds, data_env, tmp_path, capsys, key, options, widgets, dialect
):
    out = tmp_path / "view.csv"
    code, stdout, _ = run(
        capsys,
        "export",
        "--view",
        key,
        "--format",
        "csv",
        "--dialect",
        dialect,
        *options,
        "--out",
        str(out),
    )
    assert code == 0 and "Gemt:" in stdout
    ui_view = build_view(key, ds, ui_filters(ds, **widgets))
    assert out.read_bytes() == csv_export.view_csv(ui_view, dialect)


def test_cli_png(data_env, tmp_path, capsys):
    code, stdout, _ = run(
        capsys, "export", "--view", "natteliv", "--format", "png", "--out", str(tmp_path)
    )
    assert code == 0
    (path,) = tmp_path.glob("tryg-geo_natteliv_*.png")
    assert png_image(path.read_bytes()).shape[:2] == (1080, 1920)
    assert "PNG 1920×1080" in stdout and "Demodata" in stdout
    code, _, _ = run(
        capsys,
        "export",
        "--view",
        "natteliv",
        "--format",
        "png",
        "--size",
        "a4",
        "--out",
        str(tmp_path / "a4" / "n.png"),
    )
    assert code == 0
    assert png_image((tmp_path / "a4" / "n.png").read_bytes()).shape[:2] == (1654, 2338)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--from", "32-01-2025"],
            r"--from '32-01-2025' er ikke en dato; skriv den som dd-mm-åååå",
        ),
        (["--to", "2025/01/31"], r"--to '2025/01/31' er ikke en dato"),
        (["--from", "01-06-2025", "--to", "01-01-2025"], r"--from 01-06-2025 ligger efter --to"),
        (["--category", "mord"], r"--category 'mord' findes ikke i data; tilladte: .*vold"),
        (["--district", "atlantis"], r"--district 'atlantis' er ikke et område-id"),
        (["--dialect", "tsv"], r"--dialect 'tsv' er ikke tilladt; vælg excel eller standard"),
        (["--size", "a3"], r"--size 'a3' er ikke tilladt"),
    ],
)
def test_cli_usage_errors(data_env, tmp_path, capsys, argv, message):
    code, _, err = run(
        capsys,
        "export",
        "--view",
        "natteliv",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        *argv,
    )
    assert code == 2
    assert re.search(message, err), err
    assert err.startswith("Fejl: ") and "Traceback" not in err
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--view", "nope", "--format", "csv"], r"--view 'nope' findes ikke"),
        (["--view", "indsats/nope", "--format", "csv"], r"Ukendt indsats 'nope'"),
        (["--view", "natteliv", "--format", "gif"], r"--format 'gif' er ikke tilladt"),
        (["--format", "csv"], r"--view mangler"),
    ],
)
def test_cli_view_and_format_errors(data_env, tmp_path, capsys, argv, message):
    code, _, err = run(capsys, "export", *argv, "--out", str(tmp_path / "x"))
    assert code == 2 and re.search(message, err), err


def test_cli_needs_out(data_env, capsys):
    code, _, err = run(capsys, "export", "--view", "natteliv", "--format", "csv")
    assert code == 2 and "--out mangler" in err


def test_cli_without_data(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "tom"))
    code, _, err = run(
        capsys, "export", "--view", "natteliv", "--format", "csv", "--out", str(tmp_path / "x")
    )
    assert code == 1 and "Der er ingen data i data-mappen" in err


def test_cli_dates_in_both_forms_agree(data_env, tmp_path, capsys):
    for name, first, last in (("a", "01-02-2025", "28-02-2025"), ("b", "2025-02-01", "2025-02-28")):
        code, _, _ = run(
            capsys,
            "export",
            "--view",
            "natteliv",
            "--format",
            "csv",
            "--from",
            first,
            "--to",
            last,
            "--out",
            str(tmp_path / f"{name}.csv"),
        )
        assert code == 0
    assert (tmp_path / "a.csv").read_bytes() == (tmp_path / "b.csv").read_bytes()


def test_cli_choices_match_the_sidebar(ds):
    first, last = ds.incident_span
    chosen = Filters.for_choices(
        data_start=first,
        data_end=last,
        start=date(2025, 2, 1),
        end=date(2025, 3, 31),
        categories=("vold",),
        district="hals",
    )
    assert chosen == ui_filters(ds, date(2025, 2, 1), date(2025, 3, 31), ("vold",), "hals")
    assert chosen == default_filters(ds, chosen.to_params())
    assert Filters.for_choices(data_start=first, data_end=last) == default_filters(ds, {})
    only_start = Filters.for_choices(data_start=first, data_end=last, start=date(2025, 6, 1))
    assert only_start == default_filters(ds, {"preset": "custom", "fra": "2025-06-01"})
    too_late = Filters.for_choices(data_start=first, data_end=last, end=date(2031, 1, 1))
    assert too_late.end == last


def test_every_main_view_has_a_section_and_overblik_alone_the_overview_layout():
    assert {v.key for v in (*MAIN_VIEWS, KOMMUNER_VIEW)} == set(SECTIONS)
    assert {k: section_title(k) for k in SECTIONS} == SECTIONS
    assert [v.key for v in MAIN_VIEWS if png_layout(v.key) == "overview"] == ["overblik"]
    assert png_layout("indsats/tryg-bydel") == "page"
    assert png_layout(KOMMUNER_VIEW.key) == "kommuner"  # the chart (tests/views/test_kommuner)
    assert {info.png_layout for info in (*MAIN_VIEWS, KOMMUNER_VIEW)} <= set(PNG_LAYOUTS)


def test_empty_map_says_so(views):
    view = views["natteliv"]
    spec = dataclasses.replace(view.map, features=view.map.features.head(0), bounds=None)
    figure = png_page.view_figure(dataclasses.replace(view, map=spec))
    (note,) = by_gid(figure, "map_note")
    assert note.get_text() == "Ingen data at vise på kortet i den valgte periode."
