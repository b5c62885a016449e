"""Memory stays bounded: 500 sessions opened and closed over the websocket (not in make test).

    python -m bench.ws_sessions [--sessions 500] [--parallel 10] [--incidents 1000000]

One dashboard (``serve.py``) on 127.0.0.1 over demo data. Warm level: after the warm-up and
one session per load page (Tryg bydel, Natteliv, Overblik), the server's RSS. Then
``--sessions`` sessions (``bench.ws_load``'s protocol client), ``--parallel`` at a time, each
opening one page and closing its websocket. Streamlit keeps a closed session for
``server.disconnectedSessionTTL`` seconds (``.streamlit/config.toml``); after that time (and
a margin) the RSS again. Goal: within 10 % of the warm level. Writes
``bench/out/ws_sessions.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

from bench.server import REPO, dashboard_server, make_demo_store, proc_status
from bench.ws_load import LOAD_PAGES, Session

DEFAULT_OUT = REPO / "bench" / "out" / "ws_sessions.json"


def session_ttl() -> int:
    """``server.disconnectedSessionTTL`` as the dashboard is configured (Streamlit: 120)."""
    config = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return int(config.get("server", {}).get("disconnectedSessionTTL", 120))


async def open_and_close(base: str, page: str) -> str | None:
    session = Session(base, 120)
    try:
        await session.connect()
        result = await session.run(page, new_page=True)
        return result.error
    except Exception as exc:  # noqa: BLE001 - counted
        return f"{type(exc).__name__}: {exc}"
    finally:
        await session.close()


async def many(base: str, count: int, parallel: int) -> list[str | None]:
    pages = list(LOAD_PAGES)
    gate = asyncio.Semaphore(parallel)

    async def one(n: int) -> str | None:
        async with gate:
            return await open_and_close(base, pages[n % len(pages)])

    return await asyncio.wait_for(asyncio.gather(*(one(n) for n in range(count))), 3600)


def rss_mb(pid: int) -> float:
    return round(proc_status(pid)["VmRSS"] / 1024, 1)


def measure(args: argparse.Namespace) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="tryg-sessions-"))
    try:
        store = work / "store"
        make_demo_store(store, args.incidents)
        with dashboard_server(store, work / "server.log", timeout=600) as server:
            asyncio.run(many(server.url, len(LOAD_PAGES), 1))
            time.sleep(5)
            warm = rss_mb(server.pid)
            started = time.monotonic()
            errors = asyncio.run(many(server.url, args.sessions, args.parallel))
            opened_s = round(time.monotonic() - started, 1)
            right_after = rss_mb(server.pid)
            ttl = session_ttl()
            time.sleep(ttl + args.margin)
            after = rss_mb(server.pid)
            peak = round(proc_status(server.pid)["VmHWM"] / 1024, 1)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    failed = [e for e in errors if e]
    growth = round(100 * (after - warm) / warm, 1)
    return {
        "incidents": args.incidents,
        "sessions": args.sessions,
        "parallel": args.parallel,
        "errors": len(failed),
        "error_examples": sorted(set(failed))[:5],
        "seconds_to_open_and_close": opened_s,
        "disconnected_session_ttl_s": ttl,
        "rss_mb_warm": warm,
        "rss_mb_right_after": right_after,
        "rss_mb_after_ttl": after,
        "peak_rss_mb": peak,
        "growth_percent": growth,
        "goal": {"growth_percent": "≤ 10", "met": growth <= 10 and not failed},
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.ws_sessions", description=__doc__)
    parser.add_argument("--sessions", type=int, default=500)
    parser.add_argument("--parallel", type=int, default=10)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--margin", type=float, default=20, help="seconds after the TTL")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    results = measure(args)
    print(json.dumps(results, ensure_ascii=False), flush=True)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return results


if __name__ == "__main__":
    main()
