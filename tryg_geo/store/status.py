"""What is loaded: per kind, the rows, the periods covered and where it came from."""

from __future__ import annotations

from typing import Any

from ..errors import StoreError
from .as_of import data_as_of
from .folder import Store
from .integrity import current_problems
from .schema import KIND_LABELS, KINDS


def data_status(store: Store | None = None) -> dict[str, Any]:
    """A summary of the data folder, for ``status`` and the dashboard's Data page.

    ``problems`` lists every file of the current data that fails its check (file, cause,
    repair command; see :mod:`.integrity`); then the kinds are described from their meta.json
    alone and ``ok`` is False. Never raises for damaged data: this is where it is reported.
    """
    store = store or Store()
    problems = current_problems(store)
    frames: dict[str, Any] = {}
    error = None
    as_of = None
    if not problems:
        # The dataset is loaded once per data version and shared with the views, so a rerun
        # of the Data page does not read every parquet file again.
        from .dataset import load_dataset

        try:
            ds = load_dataset(store)
            frames = {kind: getattr(ds, kind) for kind in KINDS}
            as_of = data_as_of(ds)
        except StoreError as exc:  # e.g. an old version without checksums that will not read
            error = exc.message
    kinds: dict[str, Any] = {}
    for kind in KINDS:
        frame = frames.get(kind)
        meta = store.meta(kind) if store.has(kind) else {}
        if frame is None and not meta:
            continue
        kinds[kind] = {
            "label": KIND_LABELS[kind],
            "rows": int(len(frame)) if frame is not None else int(meta.get("rows") or 0),
            "file": meta.get("file"),
            "imported_at": meta.get("imported_at"),
            "demo": bool(meta.get("demo")),
            "source": meta.get("source"),
            "rejected": int(meta.get("report", {}).get("rejected", 0)),
            "versions_kept": len(store.versions(kind)),
            **(_coverage(kind, frame) if frame is not None else {}),
        }
    return {
        "data_dir": str(store.root),
        "demo": store.is_demo(),
        "kinds": kinds,
        "ok": not problems and error is None,
        "problems": [p.as_dict() | {"sentence": p.sentence()} for p in problems],
        "error": error,
        #: "Data pr. …" (:func:`tryg_geo.store.as_of.data_as_of`); None when the data did not load.
        "as_of": as_of,
    }


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
