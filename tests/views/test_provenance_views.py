"""Provenance in the views: every view's source line, the PNG footer and the CSV's source column.

Real data is named by the source given at import (``--source``, the Data page's "Kilde"), or
else by its file and import date, never by an invented "Nordjyllands Politi"; only demo data
keeps the registry's wording.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from user_files import SOURCE, districts_geojson, police_csv

from tryg_geo import MAIN_VIEWS, Store, build_view, default_filters, load_dataset, view_csv
from tryg_geo.cli import main
from tryg_geo.fmt import day
from tryg_geo.render.csv_export import read_csv
from tryg_geo.render.png_page import view_figure

REGISTRY_POLICE = "Nordjyllands Politi"
#: Every main view of the registry and two initiatives (one counted from incidents, one from
#: measurements).
MAIN_KEYS = (
    *(v.key for v in MAIN_VIEWS),
    "indsats/tryg-bydel",
    "indsats/et-trygt-natteliv",
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    return folder


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """Districts (no source given) and a police export with --source, imported by the CLI."""
    assert (
        run(capsys, "import", "districts", str(districts_geojson(tmp_path / "o.geojson")))[0] == 0
    )
    police = police_csv(tmp_path / "politi_2025.csv")
    assert run(capsys, "import", "incidents", str(police), "--source", SOURCE)[0] == 0
    return police


# ---- used by every view, PNG and CSV ----------------------------------------------------------
@pytest.mark.parametrize("key", MAIN_KEYS)
def test_every_view_names_the_imported_source(imported: Path, data_dir: Path, key: str) -> None:
    ds = load_dataset(Store(data_dir))
    view = build_view(key, ds, default_filters(ds))
    assert SOURCE in view.source
    assert REGISTRY_POLICE not in view.source
    assert "Demodata" not in view.source


def test_csv_has_a_source_column(imported: Path, data_dir: Path) -> None:
    ds = load_dataset(Store(data_dir))
    for key in MAIN_KEYS:
        table = read_csv(view_csv(build_view(key, ds, default_filters(ds))))
        assert "source" in table.columns, key
        # The view's numbers: values, counts, or (Analyse's Knox table) ratios.
        column = next((c for c in ("value", "incidents", "knox_ratio") if c in table), None)
        assert column, (key, list(table.columns))
        numbers = table[column].notna()
        assert table.loc[numbers, "source"].notna().all(), key
        assert not table["source"].str.contains(REGISTRY_POLICE).any(), key
    bydel = read_csv(view_csv(build_view("tryg-bydel", ds, default_filters(ds))))
    assert set(bydel["source"]) == {SOURCE}


def test_png_footer_shows_the_source(imported: Path, data_dir: Path) -> None:
    ds = load_dataset(Store(data_dir))
    figure = view_figure(build_view("natteliv", ds, default_filters(ds)))
    (footer,) = figure.findobj(lambda artist: artist.get_gid() == "source")
    assert SOURCE in " ".join(footer.get_text().split())


def test_real_data_without_a_source_is_named_by_file_and_date(tmp_path, data_dir, capsys):
    run(capsys, "import", "districts", str(districts_geojson(tmp_path / "omraader.geojson")))
    police = police_csv(tmp_path / "hændelser_uge_12.csv")
    assert run(capsys, "import", "incidents", str(police))[0] == 0
    ds = load_dataset(Store(data_dir))
    view = build_view("natteliv", ds, default_filters(ds))
    assert f"hændelser_uge_12.csv (importeret {day(date.today())})" in view.source
    assert REGISTRY_POLICE not in view.source
    table = read_csv(view_csv(view))
    assert set(table["source"]) == {f"hændelser_uge_12.csv (importeret {day(date.today())})"}


def test_demo_data_keeps_the_registry_wording(data_dir: Path) -> None:
    from tryg_geo import make_demo

    make_demo(Store(data_dir), incidents=2_000, seed=11)
    ds = load_dataset(Store(data_dir))
    view = build_view("natteliv", ds, default_filters(ds))
    assert view.source.startswith("Demodata")
    assert "Nordjyllands Politi (anmeldelser)" in view.source
    table = read_csv(view_csv(view))
    assert set(table["source"]) == {"Nordjyllands Politi (anmeldelser)"}
