"""python -m tryg_geo analyse hotspots|near-repeat: columns, discretion, errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tryg_geo.analysis.hotspots import HOTSPOT_CLASSES
from tryg_geo.cli import main
from tryg_geo.render import csv_export

HOTSPOT_COLUMNS = ["cell_id", "incidents", "gi_z", "p_value", "p_fdr", "hotspot_class", "source"]
KNOX_COLUMNS = [
    "space_from_m",
    "space_to_m",
    "time_from_days",
    "time_to_days",
    "observed",
    "expected",
    "knox_ratio",
    "significant",
    "p_value",
    "source",
]


@pytest.fixture
def demo_data(demo_dir: Path, monkeypatch) -> Path:
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    return demo_dir


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_hotspots_csv_columns_and_discretion(capsys, demo_data, tmp_path):
    out = tmp_path / "hot.csv"
    code, text, _ = run(
        capsys, "analyse", "hotspots", "--cell", "1km", "--format", "csv", "--out", str(out)
    )
    assert code == 0 and "Gemt:" in text and "Demodata" in text
    table = csv_export.read_csv(out.read_bytes(), "excel")
    assert list(table.columns) == HOTSPOT_COLUMNS
    counts = table["incidents"].dropna()
    assert ((counts == 0) | (counts >= 5)).all() and table["incidents"].isna().any()
    assert (counts == counts.round()).all()
    assert np.allclose(table["gi_z"].dropna(), table["gi_z"].dropna().round(2))
    assert set(table["hotspot_class"]) <= set(HOTSPOT_CLASSES)
    assert (table["hotspot_class"] != "ikke signifikant").any()
    assert table["source"].str.startswith("Demodata").all()
    assert table["cell_id"].str.match(r"^1km_\d{4}_\d{3}$").all()


def test_near_repeat_csv_is_reproducible_with_open_last_bands(capsys, demo_data, tmp_path):
    argv = [
        "analyse",
        "near-repeat",
        "--category",
        "indbrud i beboelse",
        "--from",
        "01-01-2020",
        "--to",
        "31-12-2025",
        "--space",
        "100,300",
        "--time",
        "14,60",
        "--permutations",
        "49",
        "--seed",
        "3",
        "--format",
        "csv",
        "--dialect",
        "standard",
    ]
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    assert run(capsys, *argv, "--out", str(first))[0] == 0
    assert run(capsys, *argv, "--out", str(second))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    table = csv_export.read_csv(first.read_bytes(), "standard")
    assert list(table.columns) == KNOX_COLUMNS
    assert len(table) == 9
    assert table["space_to_m"].isna().sum() == 3 and table["time_to_days"].isna().sum() == 3
    observed = table["observed"].dropna()
    assert ((observed == 0) | (observed >= 5)).all()
    assert table["p_value"].between(1 / 50, 1).all()


def test_near_repeat_png(capsys, demo_data, tmp_path):
    out = tmp_path / "nr.png"
    code, text, _ = run(
        capsys,
        "analyse",
        "near-repeat",
        *("--from", "01-01-2015", "--to", "31-12-2025", "--permutations", "9"),
        *("--format", "png", "--out", str(out)),
    )
    assert code == 0 and ("Efter et indbrud" in text or "for få par af hændelser" in text)
    assert out.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["hotspots", "--cell", "500m"],
            "--cell '500m' er ikke tilladt; vælg 100m, 250m eller 1km",
        ),
        (["near-repeat", "--space", "200,100"], "--space: space=[200.0, 100.0]"),
        (["near-repeat", "--time", "7,x"], "--time '7,x' kan ikke læses"),
        (["near-repeat", "--permutations", "abc"], "--permutations 'abc' er ikke et helt tal"),
        (["near-repeat", "--permutations", "0"], "permutations=0 er ikke tilladt"),
        (["hotspots", "--format", "pdf"], "--format 'pdf' er ikke tilladt"),
        (["hotspots", "--district", "nowhere"], "--district 'nowhere' er ikke et område-id"),
    ],
)
def test_usage_errors_exit_2_and_name_the_option(capsys, demo_data, tmp_path, argv, message):
    argv = ["analyse", *argv]
    if "--format" not in argv:
        argv += ["--format", "csv"]
    code, _, err = run(capsys, *argv, "--out", str(tmp_path / "x.csv"))
    assert code == 2
    assert message in err


@pytest.mark.parametrize(
    "argv",
    [
        ["analyse", "hotspots", "--cell", "250m"],
        ["analyse", "near-repeat", "--permutations", "9"],
    ],
)
def test_no_incidents_exits_1_and_writes_no_file(capsys, tmp_path, monkeypatch, argv):
    import tiny_data

    root = tmp_path / "data"
    tiny_data.build(root)  # districts and places, no incidents
    monkeypatch.setenv("TRYG_DATA_DIR", str(root))
    out = tmp_path / "ud.csv"
    code, text, err = run(capsys, *argv, "--format", "csv", "--out", str(out))
    assert code == 1 and not out.exists() and "Gemt" not in text
    assert "ingen hændelser" in err.lower() and "ikke skrevet nogen fil" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_no_incidents_matching_the_filters_exits_1(capsys, demo_data, tmp_path):
    out = tmp_path / "hot.csv"
    argv = [
        "analyse",
        "hotspots",
        "--category",
        "vold",
        "--from",
        "01-01-2000",
        "--to",
        "31-01-2000",
    ]
    code, _, err = run(capsys, *argv, "--format", "csv", "--out", str(out))
    assert code == 1 and not out.exists()
    assert "ingen hændelser, der passer til filtrene" in err
