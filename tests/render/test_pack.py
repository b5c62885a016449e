"""The pack: a PNG and a CSV per main view and per initiative with data, an index in CSV and
Danish Markdown, and nothing written when one CSV would break the discretion rule."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

import tryg_geo.render.pack as pack
from tryg_geo.cli import main
from tryg_geo.errors import ExportError, UsageError
from tryg_geo.render import csv_export
from tryg_geo.store.dataset import Dataset
from tryg_geo.views.registry import (
    MAIN_VIEWS,
    build_view,
    default_filters,
    view_applies,
    view_keys,
)

EARLY = {"preset": "custom", "fra": "2015-02-01", "til": "2015-03-31"}  # before most initiatives


@pytest.fixture(scope="module")
def store_dir(demo_dir) -> Path:
    return demo_dir


@pytest.fixture(scope="module")
def ds(demo_ds) -> Dataset:
    return demo_ds


@pytest.fixture(scope="module")
def early(ds, tmp_path_factory) -> tuple[Path, pd.DataFrame]:
    """A pack for the first quarter of 2015: main views and a few initiatives have data."""
    folder = tmp_path_factory.mktemp("early")
    return folder, pack.make_pack(ds, folder, default_filters(ds, EARLY))


def test_index_lists_every_view(early, ds):
    folder, index = early
    assert list(index.columns) == pack.INDEX_COLUMNS
    # every view this data can have (Kommuner only with StatBank's tables)
    assert index["view"].tolist() == [k for k in view_keys() if view_applies(k, ds)]
    written = index[index["status"] == pack.WRITTEN]
    assert {v.key for v in MAIN_VIEWS} <= set(written["view"])
    for row in written.itertuples():
        assert (folder / row.png).is_file() and (folder / row.csv).is_file()
        assert row.png.endswith(".png") and row.csv.endswith(".csv")
    on_disk = {p.name for p in folder.iterdir()} - {"index.csv", "index.md"}
    assert on_disk == set(written["png"]) | set(written["csv"])


def test_initiatives_without_data_are_skipped_and_said_so(early, ds):
    folder, index = early
    skipped = index[index["status"] == pack.SKIPPED]
    assert len(skipped) > 0 and skipped["view"].str.startswith("indsats/").all()
    assert (skipped["note"] == pack.NO_DATA).all()
    assert (skipped[["png", "csv"]] == "").all().all()
    filters = default_filters(ds, EARLY)
    for key in skipped["view"]:
        assert len(build_view(key, ds, filters).table) == 0
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert "## Ikke med i pakken" in text
    for row in skipped.itertuples():
        assert f"(`{row.view}`): Ingen data i perioden." in text


def test_every_file_is_valid(early, ds):
    folder, index = early
    filters = default_filters(ds, EARLY)
    for row in index[index["status"] == pack.WRITTEN].itertuples():
        image = Image.open(folder / row.png)
        assert image.format == "PNG" and image.size == (1920, 1080)
        data = (folder / row.csv).read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        assert data == csv_export.view_csv(build_view(row.view, ds, filters), "excel")
        assert not csv_export.suppression_problems(csv_export.read_csv(data, "excel"))


def test_index_files(early):
    folder, index = early
    parsed = pd.read_csv(folder / "index.csv", sep=";", encoding="utf-8-sig", dtype=str)
    pd.testing.assert_frame_equal(parsed.fillna(""), index.fillna("").astype(str))
    text = (folder / "index.md").read_text(encoding="utf-8")
    assert text.startswith("# Tryg Geo – eksport 01.02.2015–31.03.2015")
    assert "**Filtre:** Periode 01.02.2015–31.03.2015" in text
    assert "**Demodata**" in text and "## Kolonner i CSV-filerne" in text
    assert "- `incidents_per_1000`:" in text and "## Om tallene" in text
    for row in index[index["status"] == pack.WRITTEN].itertuples():
        assert f"[PNG]({row.png})" in text and f"[CSV]({row.csv})" in text


def test_standard_dialect_and_a4(ds, tmp_path, monkeypatch):
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv", "indsats/patientens-team"])
    index = pack.make_pack(ds, tmp_path, default_filters(ds, EARLY), size="a4", dialect="standard")
    assert index["status"].tolist() == [pack.WRITTEN, pack.SKIPPED]
    (png,) = tmp_path.glob("*.png")
    assert Image.open(png).size == (2338, 1654)
    (csv,) = tmp_path.glob("tryg-geo_*.csv")
    assert not csv.read_bytes().startswith(b"\xef\xbb\xbf")
    assert (tmp_path / "index.csv").read_text(encoding="utf-8").startswith("view,title,png")


def test_a_csv_that_breaks_discretion_stops_the_whole_pack(ds, tmp_path, monkeypatch):
    real = pack.build_view

    def leaky(key, ds_, filters):
        view = real(key, ds_, filters)
        if key != "natteliv":
            return view
        table = view.table.copy()
        table.loc[table.index[0], "incidents"] = 2
        return dataclasses.replace(view, table=table)

    monkeypatch.setattr(pack, "build_view", leaky)
    folder = tmp_path / "pakke"
    with pytest.raises(ExportError, match="Pakken blev ikke skrevet: CSV for 'natteliv'"):
        pack.make_pack(ds, folder, default_filters(ds, {}))
    assert not folder.exists() or not any(folder.iterdir())


def test_bad_options_are_usage_errors(ds, tmp_path):
    with pytest.raises(UsageError, match="--dialect"):
        pack.make_pack(ds, tmp_path, default_filters(ds, {}), dialect="tsv")
    with pytest.raises(UsageError, match="--size"):
        pack.make_pack(ds, tmp_path, default_filters(ds, {}), size="a3")
    assert not any(tmp_path.iterdir())


def test_cli_pack(store_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYG_DATA_DIR", str(store_dir))
    monkeypatch.setattr(pack, "view_keys", lambda: ["tryg-bydel", "indsats/patientens-team"])
    out = tmp_path / "møde"
    code = main(["pack", "--out", str(out), "--from", "01-02-2015", "--to", "31-03-2015"])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    assert stdout.strip() == (
        f"Pakke gemt i {out}: 1 visninger som PNG og CSV, 1 uden data sprunget over; se index.md."
    )
    assert (out / "index.md").exists()
    assert (out / "tryg-geo_tryg-bydel_2015-02-01_2015-03-31.png").exists()


def test_cli_pack_errors(store_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYG_DATA_DIR", str(store_dir))
    assert main(["pack"]) == 2
    assert "--out mangler" in capsys.readouterr().err
    assert main(["pack", "--out", str(tmp_path), "--to", "31-13-2025"]) == 2
    assert "--to '31-13-2025' er ikke en dato" in capsys.readouterr().err
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv"])
    assert main(["pack", "--out", str(blocker / "under")]) == 1
    assert "kan ikke laves" in capsys.readouterr().err


def test_png_bytes_are_a_png(early):
    folder, index = early
    row = index[index["status"] == pack.WRITTEN].iloc[0]
    data = (folder / row["png"]).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert Image.open(io.BytesIO(data)).mode in ("RGB", "RGBA")
