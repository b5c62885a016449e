"""What is loaded: per kind, the rows, the periods covered and where it came from."""

from __future__ import annotations

from typing import Any

from .folder import Store
from .schema import KIND_LABELS, KINDS


def data_status(store: Store | None = None) -> dict[str, Any]:
    """A summary of the data folder, for ``status`` and the dashboard's Data page."""
    store = store or Store()
    # The dataset is loaded once per data version and shared with the views, so a rerun of
    # the Data page does not read every parquet file again.
    from .dataset import load_dataset

    ds = load_dataset(store)
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        frame = getattr(ds, kind)
        if frame is None:
            continue
        meta = store.meta(kind)
        kinds[kind] = {
            "label": KIND_LABELS[kind],
            "rows": int(len(frame)),
            "file": meta.get("file"),
            "imported_at": meta.get("imported_at"),
            "demo": bool(meta.get("demo")),
            "source": meta.get("source"),
            "rejected": int(meta.get("report", {}).get("rejected", 0)),
            "versions_kept": len(store.versions(kind)),
            **_coverage(kind, frame),
        }
    return {"data_dir": str(store.root), "demo": store.is_demo(), "kinds": kinds}


def _coverage(kind: str, frame) -> dict[str, Any]:
    if kind == "incidents" and len(frame):
        return {
            "from": frame["time"].min().date().isoformat(),
            "to": frame["time"].max().date().isoformat(),
            "categories": sorted(map(str, frame["category"].dropna().unique())),
            "outside_districts": int(frame["district_id"].isna().sum()),
        }
    if kind == "measurements" and len(frame):
        by_indicator = frame.groupby("indicator", observed=True)["period"].agg(
            ["min", "max", "count"]
        )
        return {
            "indicators": {
                str(name): {"from": row["min"], "to": row["max"], "rows": int(row["count"])}
                for name, row in by_indicator.iterrows()
            }
        }
    return {}
