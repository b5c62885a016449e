"""Readiness: ``/_stcore/health`` answers 503 until the replica has warmed up.

Streamlit answers ``/_stcore/health`` with 200 as soon as its runtime runs, long before the
data is loaded; a proxy, systemd or Docker would then send the first visitor to a replica that
makes them wait while it loads and computes. :class:`Readiness` (an ASGI middleware in
``serve.py``'s list) starts the warm-up (:func:`tryg_geo.views.warm.warm_up`: the data and the
first view of every page, into the caches the pages use) in a thread when the server builds
its application, and answers ``503 Varmer op`` on the health path until it has finished.
Everything else passes through untouched, so a browser already connected is never refused.

A warm-up that fails (damaged or unreadable data) is logged and the replica reports ready
anyway: the pages then tell each user in Danish what is wrong, which is better than a proxy
with no live replica at all. An empty data folder is ready at once.
"""

from __future__ import annotations

import logging
import sys
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

HEALTH_SUFFIX = "/_stcore/health"
READY = threading.Event()
_started = threading.Lock()
_thread: list[threading.Thread] = []
log = logging.getLogger("tryg_geo.readiness")


def start_warm_up() -> None:
    """Start the warm-up thread once per process (later calls do nothing)."""
    with _started:
        if _thread:
            return
        thread = threading.Thread(target=_warm_up, name="tryg-warm-up", daemon=True)
        _thread.append(thread)
        thread.start()


def _warm_up() -> None:
    started = time.perf_counter()
    try:
        # Not ``pages.ui``: importing streamlit_folium outside a script run registers its
        # component so that the map frame stays blank (seen in Chromium).
        from tryg_geo.views.warm import warm_up

        took = warm_up()
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in took.items())
        note = f"Tryg Geo: klar efter opvarmning på {time.perf_counter() - started:.1f} s ({steps})"
    except Exception as exc:  # noqa: BLE001 - the pages report data errors to each user
        log.exception("Opvarmningen fejlede")
        note = f"Tryg Geo: opvarmningen fejlede ({type(exc).__name__}); siderne viser fejlen"
    print(note, file=sys.stderr, flush=True)
    READY.set()


class Readiness:
    """ASGI middleware: 503 on ``…/_stcore/health`` until :data:`READY` is set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        start_warm_up()  # the middleware stack is built once, when the server starts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and not READY.is_set()
            and scope["path"].rstrip("/").endswith(HEALTH_SUFFIX)
        ):
            await _not_ready(send)
            return
        await self.app(scope, receive, send)


async def _not_ready(send: Send) -> None:
    body = b"Varmer op"
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),
        (b"retry-after", b"2"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def healthy(port: int, host: str = "127.0.0.1") -> bool:
    """Whether the replica on ``host:port`` answers its health check with 200 (warmed up)."""
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://{host}:{port}/_stcore/health", timeout=3) as resp:
            return resp.status == 200
    except OSError:
        return False


def main(argv: list[str] | None = None) -> int:
    """``python readiness.py PORT [--wait SECONDS]``: exit 0 when healthy, 1 when not.

    Docker's ``HEALTHCHECK`` asks once; systemd's ``ExecStartPost`` waits (``--wait 600``), so
    ``systemctl restart tryg-geo@8501`` returns only when that replica is warm, and a rolling
    update restarts the next replica only then.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python readiness.py", description=main.__doc__)
    parser.add_argument("port", type=int)
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for health")
    args = parser.parse_args(argv)
    deadline = time.monotonic() + args.wait
    while not healthy(args.port):
        if time.monotonic() >= deadline:
            print(f"Tryg Geo på port {args.port} er ikke klar", file=sys.stderr)
            return 1
        time.sleep(1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
