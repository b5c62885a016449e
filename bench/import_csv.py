"""Import of a 1 000 000-row incident CSV as a police export from Danish Excel looks (issue 5).

The CSV is written from the demo incidents: ``;`` as separator, decimal comma, cp1252,
``dd-mm-yyyy hh:mm`` times, WGS84 ``Breddegrad``/``Længdegrad``, Danish headers. The timed part
is :func:`tryg_geo.ingest.importer.import_file` into a fresh store that already holds the demo
districts, so every row is parsed, validated, given its district and 100 m cell and stored.
Beside it, the wizard's preview of the same file (:func:`preview_file`: the first rows parsed,
the rest counted) and its share of the import's time (issue 22: the preview reads once).

    python -m bench.import_csv [--incidents N] [--work DIR]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from pyproj import Transformer

from tryg_geo.ingest.detect_preview import preview_file
from tryg_geo.ingest.importer import import_file
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS, STORE_CRS

_TO_WGS84 = Transformer.from_crs(STORE_CRS, "EPSG:4326", always_xy=True)


def write_incident_csv(incidents: pd.DataFrame, path: Path) -> int:
    """Write ``incidents`` (store columns) as a Danish Excel CSV; return its size in bytes."""
    lon, lat = _TO_WGS84.transform(
        incidents["x"].to_numpy(dtype="float64"), incidents["y"].to_numpy(dtype="float64")
    )
    frame = pd.DataFrame(
        {
            "Journalnr": incidents["incident_id"].astype(str).to_numpy(),
            "Gerningstidspunkt": pd.to_datetime(incidents["time"])
            .dt.strftime("%d-%m-%Y %H:%M")
            .to_numpy(),
            "Kategori": incidents["category"].astype(str).to_numpy(),
            "Breddegrad": np.round(lat, 6),
            "Længdegrad": np.round(lon, 6),
            "Kilde": incidents["source"].astype(object).fillna("").to_numpy(),
        }
    )
    frame.to_csv(
        path,
        sep=";",
        decimal=",",
        index=False,
        encoding="cp1252",
        lineterminator="\r\n",
        float_format="%.6f",
    )
    return path.stat().st_size


def store_with_districts(root: Path, districts: pd.DataFrame) -> Store:
    """A fresh store that holds only ``districts`` (marked as demo data)."""
    store = Store(root)
    store.write(
        "districts",
        districts,
        rejected=pd.DataFrame(columns=list(REJECTED_COLUMNS)),
        report={"file": "bench", "rows": len(districts)},
        demo=True,
    )
    return store


def time_import(csv_path: Path, districts: pd.DataFrame, work: Path) -> dict:
    """Time ``import_file('incidents', csv_path)`` into a fresh store with ``districts``."""
    root = work / "import_store"
    shutil.rmtree(root, ignore_errors=True)
    store = store_with_districts(root, districts)
    started = time.perf_counter()
    preview = preview_file("incidents", csv_path)
    preview_seconds = time.perf_counter() - started
    started = time.perf_counter()
    result = import_file("incidents", csv_path, store=store)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "preview_seconds": preview_seconds,
        "preview_share_of_import": preview_seconds / seconds if seconds else None,
        "preview_rows_counted": int(preview.row_count),
        "rows": int(result.rows_read),
        "accepted": int(result.accepted),
        "rejected": int(result.rows_read - result.accepted),
        "rows_per_second": result.rows_read / seconds if seconds else None,
        "csv_bytes": csv_path.stat().st_size,
        "stored_rows": int(len(store.read("incidents"))),
    }


def run_import(incidents: pd.DataFrame, districts: pd.DataFrame, work: Path) -> dict:
    """Write the CSV of ``incidents`` into ``work`` and time its import."""
    work.mkdir(parents=True, exist_ok=True)
    csv_path = work / "haendelser_excel.csv"
    started = time.perf_counter()
    write_incident_csv(incidents, csv_path)
    written = time.perf_counter() - started
    return {**time_import(csv_path, districts, work), "csv_write_seconds": written}


def main(argv: list[str] | None = None) -> dict:
    from tryg_geo.demo.make import make_demo

    parser = argparse.ArgumentParser(prog="python -m bench.import_csv", description=__doc__)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="folder for the files (kept)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="tryg-import-"))
    try:
        demo = Store(work / "demo_store")
        make_demo(demo, incidents=args.incidents, seed=args.seed)
        out = run_import(demo.read("incidents"), demo.read("districts"), work)
    finally:
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    print(
        f"import of {out['rows']:,} rows ({out['csv_bytes'] / 1e6:.0f} MB CSV): "
        f"{out['seconds']:.1f} s, {out['rows_per_second']:,.0f} rows/s, "
        f"{out['rejected']:,} rejected; preview {out['preview_seconds']:.2f} s "
        f"({out['preview_share_of_import']:.0%} of the import)"
    )
    return out


if __name__ == "__main__":
    main()
