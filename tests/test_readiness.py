"""Readiness: ``/_stcore/health`` says 503 until the warm-up is done; nothing else is held up.

The warm-up itself (``tryg_geo.views.warm``) is checked on small demo data: it builds every
page's first view, and what it loaded is the very dataset object the pages get afterwards.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import readiness
from tryg_geo import MAIN_VIEWS, Store, cache, load_dataset
from tryg_geo.compute.counts import cell_codes
from tryg_geo.demo.make import make_demo
from tryg_geo.geo.grid import CELL_SIZES
from tryg_geo.views.warm import warm_up


async def inner(scope, receive, send) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"ok"})


def call(app, path: str, kind: str = "http") -> list[dict]:
    sent: list[dict] = []

    async def send(message: dict) -> None:
        sent.append(message)

    async def receive() -> dict:
        return {"type": "http.request"}

    # A thread of its own: Playwright's sync API (the browser tests) may hold this thread's loop.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app({"type": kind, "path": path}, receive, send)).result()
    return sent


def test_health_is_503_until_ready_and_other_paths_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[bool] = []
    monkeypatch.setattr(readiness, "start_warm_up", lambda: started.append(True))
    monkeypatch.setattr(readiness, "READY", readiness.threading.Event())
    app = readiness.Readiness(inner)
    assert started == [True]  # the warm-up starts when the server builds its app
    for path in ("/_stcore/health", "/base/_stcore/health/"):
        start = call(app, path)[0]
        assert start["status"] == 503
        assert (b"retry-after", b"2") in start["headers"]
    assert call(app, "/")[0]["status"] == 200
    assert call(app, "/_stcore/stream", kind="websocket")[0]["status"] == 200
    readiness.READY.set()
    assert call(app, "/_stcore/health")[0]["status"] == 200


def test_warm_up_builds_every_page_into_the_shared_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(tmp_path)
    make_demo(store, incidents=2_000, seed=7)
    took = warm_up(store)
    assert set(took) >= {"data", *(v.key for v in MAIN_VIEWS)}
    assert any(key.startswith("indsats/") for key in took)
    ds = load_dataset(store)
    masks = len(cache.of(ds, "incident_masks")) + len(cache.of(ds, "analyses"))
    assert masks, "the warm-up left nothing in the dataset's caches"
    # Every cell size's map squares are made: the first switch to 1 km reprojects nothing.
    for size in CELL_SIZES:
        made = cache.peek(ds, "cell_shapes", size)
        assert made and set(cell_codes(ds.arrays, size)[1]) <= set(made), size


def test_warm_up_of_an_empty_folder_only_loads(tmp_path: Path) -> None:
    assert set(warm_up(Store(tmp_path))) == {"data"}
