"""CLI = UI: every choice a page offers can be given to ``export`` and ``pack``.

``--indicator`` (Tryg bydel), ``--scheme`` (class scheme), ``--cell``, ``--nights`` and
``--hours`` (Natteliv), ``--observation`` (Byens rum). A wrong value is a usage error (exit 2)
whose Danish message lists what is allowed. The page's "Hent CSV" and the command line give
byte-identical files for the same choices: the pages are run in AppTest, their choices read back
from the URL they write, and the CSV made from those filters is compared with the CLI's file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tryg_geo import (
    Filters,
    Store,
    UsageError,
    build_view,
    default_filters,
    load_dataset,
    opening_cell,
    view_csv,
)
from tryg_geo.cli import main
from tryg_geo.views.choices import (
    check_cell,
    check_indicator,
    check_observation,
    check_scheme,
    parse_hours,
    parse_nights,
)

REPO = Path(__file__).resolve().parents[1]
DASHBOARD = str(REPO / "dashboard.py")


@pytest.fixture(autouse=True)
def demo_env(monkeypatch: pytest.MonkeyPatch, demo_dir: Path) -> Path:
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    return demo_dir


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def cli_csv(capsys, tmp_path: Path, view: str, *options: str) -> bytes:
    out = tmp_path / "cli.csv"
    code, _, err = run(
        capsys, "export", "--view", view, "--format", "csv", "--out", str(out), *options
    )
    assert code == 0, err
    return out.read_bytes()


# ---- usage errors in words ----------------------------------------------------------------------
def test_a_wrong_indicator_lists_the_allowed_ids() -> None:
    with pytest.raises(
        UsageError,
        match=r"^--indicator 'tryg' findes ikke i Tryg bydel; tilladte: tryg_andel, "
        r"tillid_politi_andel, haendelser_pr_1000, haendelser\.$",
    ):
        check_indicator("tryg")
    assert check_indicator("haendelser_pr_1000") == "haendelser_pr_1000"


def test_a_wrong_cell_size() -> None:
    with pytest.raises(
        UsageError, match=r"^--cell '50m' er ikke tilladt; vælg 100m, 250m eller 1km\.$"
    ):
        check_cell("50m")
    assert check_cell("250m") == "250m"


def test_a_wrong_scheme() -> None:
    with pytest.raises(
        UsageError,
        match=r"^--scheme 'jenks' er ikke tilladt; vælg quantiles \(kvantiler\) eller "
        r"natural_breaks \(naturlige brud\)\.$",
    ):
        check_scheme("jenks")


def test_nights_are_danish_weekday_names() -> None:
    assert parse_nights("fredag,lørdag") == (4, 5)
    assert parse_nights(" Torsdag , fredag ") == (3, 4)
    with pytest.raises(
        UsageError,
        match=r"^--nights 'fredag,fedag': 'fedag' er ikke en ugedag; skriv ugedagene med komma "
        r"imellem, fx fredag,lørdag \(mandag, tirsdag, onsdag, torsdag, fredag, lørdag, søndag\)\.$",
    ):
        parse_nights("fredag,fedag")


def test_hours_as_on_the_page() -> None:
    assert parse_hours("22-06") == (22, 6)
    assert parse_hours("23-5") == (23, 5)
    for wrong in ("12-06", "22-12", "22", "kl22-6"):
        with pytest.raises(
            UsageError,
            match=rf"^--hours '{wrong}': skriv natten som FRA-TIL, hvor FRA er kl\. 18–23 og "
            r"TIL er kl\. 1–9 \(fx 22-06\)\.$",
        ):
            parse_hours(wrong)


def test_a_wrong_observation_lists_the_allowed(demo_dir: Path) -> None:
    ds = load_dataset(Store(demo_dir))
    with pytest.raises(
        UsageError, match=r"^--observation 'tilskuere' findes ikke i Byens rum; tilladte: klager, "
    ):
        check_observation(ds, "tilskuere")
    assert check_observation(ds, "klager") == "klager"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--view", "tryg-bydel", "--indicator", "tryg"], "haendelser_pr_1000"),
        (["--view", "natteliv", "--cell", "2km"], "--cell '2km' er ikke tilladt"),
        (["--view", "natteliv", "--nights", "weekend"], "'weekend' er ikke en ugedag"),
        (["--view", "natteliv", "--hours", "20-12"], "--hours '20-12'"),
        (["--view", "byens-rum", "--observation", "x"], "--observation 'x' findes ikke"),
        (["--view", "overblik", "--scheme", "x"], "--scheme 'x' er ikke tilladt"),
        (["--view", "tryg-bydel", "--map", "heat"], "--map 'heat' er ikke tilladt; vælg indikator"),
        (
            ["--view", "analyse", "--map", "emerging", "--step", "uge"],
            "--step 'uge' er ikke tilladt; vælg month, quarter eller year.",
        ),
        (
            ["--view", "analyse", "--map", "emerging", "--unit", "omraade"],
            "--unit 'omraade' er ikke tilladt; vælg cell eller district.",
        ),
    ],
)
def test_wrong_choices_exit_2(capsys, tmp_path: Path, argv: list[str], message: str) -> None:
    out = tmp_path / "x.csv"
    code, _, err = run(capsys, "export", *argv, "--format", "csv", "--out", str(out))
    assert code == 2
    assert message in err
    assert err.startswith("Fejl: ")
    assert not out.exists()


def test_pack_takes_the_same_choices(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "pack", "--out", str(tmp_path / "p"), "--indicator", "nope")
    assert code == 2 and "haendelser_pr_1000" in err
    code, _, err = run(
        capsys, "pack", "--out", str(tmp_path / "p"), "--indicator", "haendelser_pr_1000",
        "--cell", "1km", "--scheme", "natural_breaks",
    )  # fmt: skip
    assert code == 0, err
    bydel = next((tmp_path / "p").glob("tryg-geo_tryg-bydel_*.csv")).read_text("utf-8-sig")
    assert "haendelser_pr_1000" in bydel
    natteliv = next((tmp_path / "p").glob("tryg-geo_natteliv_*.csv")).read_text("utf-8-sig")
    assert ";1km;" in natteliv


# ---- the CLI makes the file the filters give ----------------------------------------------------
def test_cli_choices_reach_the_filters(capsys, tmp_path: Path, demo_dir: Path) -> None:
    ds = load_dataset(Store(demo_dir))
    data = cli_csv(
        capsys, tmp_path, "natteliv", "--cell", "250m", "--nights", "torsdag,fredag,lørdag",
        "--hours", "23-05", "--scheme", "natural_breaks", "--dialect", "standard",
    )  # fmt: skip
    filters = default_filters(ds).with_(
        cell="250m", nights=(3, 4, 5), night_start=23, night_end=5, scheme="natural_breaks"
    )
    assert data == view_csv(build_view("natteliv", ds, filters), "standard")
    assert data != view_csv(build_view("natteliv", ds, default_filters(ds)), "standard")


# ---- the page's "Hent CSV" and the CLI give the same bytes --------------------------------------
def page_filters(at: AppTest, ds) -> Filters:
    """The filters a page used, read back from the URL it wrote (``keep_in_url``)."""
    params = {k: v if isinstance(v, str) else ",".join(v) for k, v in at.query_params.items()}
    return default_filters(ds, params)


def open_page(path: str) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.run()
    at.switch_page(path).run()
    assert not at.exception, at.exception
    return at


def test_tryg_bydel_page_and_cli_give_the_same_csv(capsys, tmp_path: Path, demo_dir: Path):
    ds = load_dataset(Store(demo_dir))
    at = open_page("pages/tryg_bydel.py")
    at.selectbox(key="flt_indicator").set_value("haendelser_pr_1000").run()
    at.radio(key="flt_scheme").set_value("natural_breaks").run()
    at.multiselect(key="flt_categories").set_value(["vold"]).run()
    assert not at.exception, at.exception
    filters = page_filters(at, ds)
    assert (filters.indicator, filters.scheme, filters.categories) == (
        "haendelser_pr_1000",
        "natural_breaks",
        ("vold",),
    )
    page = view_csv(build_view("tryg-bydel", ds, filters))
    cli = cli_csv(
        capsys, tmp_path, "tryg-bydel", "--indicator", "haendelser_pr_1000",
        "--scheme", "natural_breaks", "--category", "vold",
    )  # fmt: skip
    assert page == cli
    assert b"incidents" in cli.splitlines()[0] and b"district_id" in cli.splitlines()[0]


def test_natteliv_page_and_cli_give_the_same_csv(capsys, tmp_path: Path, demo_dir: Path):
    ds = load_dataset(Store(demo_dir))
    at = open_page("pages/natteliv.py")
    at.radio(key="flt_cell").set_value("1km").run()
    at.multiselect(key="flt_nights").set_value([3, 4, 5]).run()
    at.selectbox(key="flt_night_start").set_value(20).run()
    at.selectbox(key="flt_night_end").set_value(4).run()
    assert not at.exception, at.exception
    filters = page_filters(at, ds)
    assert (filters.cell, filters.nights, filters.night_start, filters.night_end) == (
        "1km",
        (3, 4, 5),
        20,
        4,
    )
    page = view_csv(build_view("natteliv", ds, filters))
    cli = cli_csv(
        capsys, tmp_path, "natteliv", "--cell", "1km", "--nights", "torsdag,fredag,lørdag",
        "--hours", "20-04",
    )  # fmt: skip
    assert page == cli


def test_byens_rum_page_and_cli_give_the_same_csv(capsys, tmp_path: Path, demo_dir: Path):
    ds = load_dataset(Store(demo_dir))
    at = open_page("pages/byens_rum.py")
    at.selectbox(key="flt_place_indicator").set_value("personer_til_stede").run()
    assert not at.exception, at.exception
    filters = page_filters(at, ds)
    assert filters.place_indicator == "personer_til_stede"
    page = view_csv(build_view("byens-rum", ds, filters))
    cli = cli_csv(capsys, tmp_path, "byens-rum", "--observation", "personer_til_stede")
    assert page == cli


def test_map_modes_reach_the_filters(capsys, tmp_path: Path, demo_dir: Path) -> None:
    """Tryg bydel's "Kort" radio (--map) and Natteliv's "Hotspots" toggle (--hotspots)."""
    ds = load_dataset(Store(demo_dir))
    change = cli_csv(capsys, tmp_path, "tryg-bydel", "--map", "aendring")
    filters = default_filters(ds).with_(extra={"kort": "aendring"})
    assert change == view_csv(build_view("tryg-bydel", ds, filters))
    assert b"change_class" in change.splitlines()[0]
    plain = cli_csv(capsys, tmp_path, "tryg-bydel", "--map", "indikator")
    assert plain == view_csv(build_view("tryg-bydel", ds, default_filters(ds)))


def test_page_and_cli_clamp_the_period_to_the_data_alike(capsys, tmp_path, monkeypatch):
    """Data from 1 January: 'Seneste 12 måneder' starts there on the page and in the CLI."""
    from user_files import SOURCE, districts_geojson, police_csv

    data = tmp_path / "user"
    monkeypatch.setenv("TRYG_DATA_DIR", str(data))
    assert main(["import", "districts", str(districts_geojson(tmp_path / "o.geojson"))]) == 0
    police = police_csv(tmp_path / "p.csv")
    assert main(["import", "incidents", str(police), "--source", SOURCE]) == 0
    capsys.readouterr()
    ds = load_dataset(Store(data))
    cli = build_view("tryg-bydel", ds, default_filters(ds))
    assert cli.subtitle.startswith("Periode 01.01.2025–")
    at = open_page("pages/tryg_bydel.py")
    assert cli.subtitle in [c.value.replace("\\", "") for c in at.caption]


def test_analyse_emerging_page_export_and_analyse_give_the_same_csv(
    capsys, tmp_path: Path, demo_dir: Path
):
    """The emerging section's "Hent CSV" = ``export --view analyse --map emerging`` =
    ``analyse emerging``; a leader's file has the patterns but no z-series or trend."""
    ds = load_dataset(Store(demo_dir))
    at = open_page("pages/analyse.py")  # one run: the default step, quarter
    filters = page_filters(at, ds)
    assert filters.extra.get("trin") == "quarter"
    # No --cell: the commands take the size the page opens on (one home: the view registry;
    # AppTest keeps the previous page's ``celle`` in the URL, so it is set here). Every
    # category: the small shared demo then has cells with a pattern (the CSV lists those only,
    # and a CSV without rows is not written).
    assert opening_cell("analyse") == "1km"
    extra = {**filters.extra, "kort": "emerging"}
    emerging = filters.with_(
        cell=opening_cell("analyse"), categories=tuple(ds.categories), extra=extra
    )
    page = view_csv(build_view("analyse", ds, emerging), role="leder")
    options = ("--step", "quarter", "--role", "leder")
    options += ("--from", filters.start.isoformat(), "--to", filters.end.isoformat())
    options += tuple(part for c in ds.categories for part in ("--category", c))
    cli = cli_csv(capsys, tmp_path, "analyse", "--map", "emerging", *options)
    assert page == cli
    code, out, err = run(
        capsys, "analyse", "emerging", "--format", "csv", "--out", str(tmp_path / "e"), *options
    )
    assert code == 0, err
    assert (tmp_path / "e" / "emerging-quarter-1km.csv").read_bytes() == cli
    assert "Intet mønster" not in cli.decode("utf-8-sig")
    header = cli.decode("utf-8-sig").splitlines()[0].split(";")
    assert "category" in header and "hot_steps" in header
    assert not [c for c in header if c.startswith(("z_", "mk_"))]
    analyst = view_csv(build_view("analyse", ds, emerging), role="analytiker")
    assert "z_" in analyst.decode("utf-8-sig").splitlines()[0]
    # Districts (the page's "Enhed: Områder", written to the URL as enhed=omraade): the same
    # three files.
    at.radio(key="flt_unit").set_value("omraade").run()
    assert not at.exception, at.exception
    assert "Områder pr. mønster" in [h.value for h in at.subheader]
    districts = emerging.with_(extra={**extra, "enhed": page_filters(at, ds).extra["enhed"]})
    page = view_csv(build_view("analyse", ds, districts), role="leder")
    cli = cli_csv(capsys, tmp_path, "analyse", "--map", "emerging", "--unit", "district", *options)
    assert page == cli
    code, out, err = run(
        capsys, "analyse", "emerging", "--unit", "district", "--format", "csv",
        "--out", str(tmp_path / "e"), *options,
    )  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "e" / "emerging-quarter-omraader.csv").read_bytes() == cli
    header = cli.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[header.index("district_id") + 1] == "district_name"
    assert "cell_id" not in header and not [c for c in header if c.startswith(("z_", "mk_"))]


def test_analyse_emerging_says_the_widened_period_as_the_page_does(
    capsys, tmp_path: Path, demo_dir: Path
):
    """``--from 2025-01-01`` holds 4 quarters: the analysis covers 12, and the command says so
    with the page's own note (stderr), not silently."""
    from tryg_geo.views.emerging import EMERGING_NOTE

    ds = load_dataset(Store(demo_dir))
    options = ("--step", "quarter", "--from", "2025-01-01", "--to", "2025-12-31")
    options += tuple(part for c in ds.categories for part in ("--category", c))
    code, out, err = run(
        capsys, "analyse", "emerging", "--format", "csv", "--out", str(tmp_path), *options
    )
    assert code == 0, err
    assert (
        "Bemærk: Perioden er udvidet til 12 kvartaler, 1. kvt. 2023–4. kvt. 2025, fordi mønstre "
        "kræver mindst 8 perioder, og den valgte periode (01.01.2025–31.12.2025) rummer kun 4"
    ) in err
    assert EMERGING_NOTE not in err and "Bemærk" not in out
