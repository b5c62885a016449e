"""``make load``: simulated users that speak Streamlit's own websocket protocol (issue 14).

    python -m bench.ws_load [--users 20] [--seconds 120] [--incidents 1000000] [--data DIR]

One dashboard (``serve.py``) on 127.0.0.1 over N demo incidents (or an existing store with
``--data``). Each simulated user is what a browser tab is to the server, without a browser:

1. ``GET /_stcore/health`` for the XSRF cookie, then a websocket to ``/_stcore/stream`` with
   the sub-protocols ``["streamlit", <xsrf token>]``, the cookie and a same-origin ``Origin``
   (as the Streamlit frontend connects);
2. a ``BackMsg.rerun_script`` (``ClientState``: page name, query string, widget states,
   cached message hashes, context info) opens its page: Tryg bydel, Natteliv or Overblik;
3. every 3–5 s (seeded random think time) it changes one filter widget of that page to another
   of the options the server sent (``selectbox``/``radio``: another option;
   ``multiselect``: another subset) and sends ``rerun_script`` with the states of all widgets
   on the page — as the frontend's widget manager does — and the query string the server last
   set (``page_info_changed``);
4. it reads ``ForwardMsg`` until ``script_finished``; messages the server marked cacheable are
   kept, and their hashes are sent back (``cached_message_hashes``), so unchanged large elements
   come back as ``ref_hash`` as they would to a browser.

Per change: the time from sending the rerun request to receiving ``script_finished`` (the
server's whole answer), bytes received, and errors (an exception element, an error box
(``st.error``), a status other than finished, a closed socket, no answer within
``--timeout``). Also: the server's peak RSS (VmHWM) and the CPU seconds of the server and of
this client process. Everything stays on 127.0.0.1; the run stops by itself after
``--seconds`` (+ the answers still in flight, each bounded by ``--timeout``).

Writes ``bench/load.json`` (keys: ``users``, ``seconds``, ``changes``, ``errors``,
``server_ms_p50``, ``server_ms_p95``, ``server_peak_rss_mb``, ``client_cpu_seconds``,
``server_cpu_seconds`` and more).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import shutil
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from bench.server import REPO, cpu_seconds, dashboard_server, make_demo_store, proc_status

DEFAULT_OUT = REPO / "bench" / "load.json"
#: url path -> page title; "" is the default page (Overblik).
LOAD_PAGES: dict[str, str] = {"tryg-bydel": "Tryg bydel", "nat": "Natteliv", "": "Overblik"}
#: Filter widgets a user changes are those with a key starting with this (not the dates).
FILTER_PREFIX = "flt_"
SKIP_KEYS = frozenset({"flt_dates"})
FINISHED_OK = 0  # ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
ALERT_ERROR = 1  # Alert.Format.ERROR
WIDGET_KINDS = ("selectbox", "radio", "multiselect", "date_input")
XSRF_COOKIE = "_streamlit_xsrf"


def percentile(values: list[float], q: float) -> float | None:
    return round(float(np.percentile(values, q)), 1) if values else None


def summary(values: list[float]) -> dict[str, float | int | None]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p95": percentile(values, 95),
        "max": round(max(values), 1) if values else None,
    }


@dataclass
class Widget:
    """A widget as the frontend knows it: id, kind, label, options and current value."""

    id: str
    kind: str
    label: str
    options: list[str]
    value: str | list[str] | None
    forced: bool = False  # the server set the value (``set_value``): it replaces the browser's

    @property
    def key(self) -> str:
        """The ``key=`` the page gave it (ids look like ``$$ID-<hash>-<key>``)."""
        return self.id.split("-", 2)[2] if self.id.startswith("$$ID-") else ""

    def to_proto(self, states) -> None:
        """Append this widget's current value to a ``WidgetStates`` proto."""
        if self.value is None:
            return
        state = states.widgets.add()
        state.id = self.id
        if isinstance(self.value, list):
            state.string_array_value.data.extend(self.value)
        else:
            state.string_value = self.value


def widget_from_element(element) -> Widget | None:
    """The widget in a ``new_element`` delta, with the value the frontend would report."""
    kind = element.WhichOneof("type")
    if kind not in WIDGET_KINDS:
        return None
    proto = getattr(element, kind)
    forced = bool(getattr(proto, "set_value", False))
    if kind in ("selectbox", "radio"):
        options = list(proto.options)
        if proto.set_value or proto.raw_value:
            value: str | list[str] | None = proto.raw_value
        elif proto.HasField("default") and 0 <= proto.default < len(options):
            value = options[proto.default]
        else:
            value = None
    elif kind == "multiselect":
        options = list(proto.options)
        value = (
            list(proto.raw_values)
            if proto.set_value
            else [options[i] for i in proto.default if 0 <= i < len(options)]
        )
    else:  # date_input
        options = []
        value = list(proto.value) if proto.set_value else list(proto.default)
    return Widget(proto.id, kind, proto.label, options, value, forced)


@dataclass
class RunResult:
    """One script run as the client saw it."""

    ms: float
    bytes: int
    messages: int
    cached_refs: int
    error: str | None
    title: str = ""


@dataclass
class Session:
    """One simulated browser tab: a websocket and what the frontend would remember."""

    base_url: str
    timeout: float
    ssl: Any = None  # an ssl.SSLContext for https:// (through the proxy)
    cookies: dict[str, str] = field(default_factory=dict)  # sent back, as a browser does
    origin: str = ""  # the page's origin (default: base_url); a replica behind the proxy
    # compares it with the redirect_uri's
    ws: Any = None
    query_string: str = ""
    page_script_hash: str = ""
    page_path: str = ""
    widgets: dict[str, Widget] = field(default_factory=dict)
    cache: dict[str, bytes] = field(default_factory=dict)

    async def connect(self) -> None:
        import websockets

        scheme, host = self.base_url.split("://", 1)
        self.cookies.update(
            await asyncio.to_thread(
                _get_cookies, f"{self.base_url}/_stcore/health", self.cookies, self.ssl
            )
        )
        token = self.cookies.get(XSRF_COOKIE, "")
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        self.ws = await websockets.connect(
            f"{'wss' if scheme == 'https' else 'ws'}://{host}/_stcore/stream",
            subprotocols=["streamlit", token] if token else ["streamlit"],
            additional_headers={"Cookie": cookie, "Origin": self.origin or self.base_url},
            ssl=self.ssl,
            max_size=None,
            ping_interval=None,  # browsers do not ping; the server pings and we answer
            open_timeout=self.timeout,
        )

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def run(self, page_name: str, *, new_page: bool = False) -> RunResult:
        """Send ``rerun_script`` for ``page_name`` with the current widget states; read the
        answer up to ``script_finished``."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = self.query_string
        state.page_name = page_name
        if not new_page:
            state.page_script_hash = self.page_script_hash
            for widget in self.widgets.values():
                widget.to_proto(state.widget_states)
        state.cached_message_hashes.extend(self.cache)
        info = state.context_info
        info.timezone, info.timezone_offset, info.locale = "Europe/Copenhagen", -60, "da-DK"
        info.url = f"{self.base_url}/{page_name}" + (
            f"?{self.query_string}" if self.query_string else ""
        )
        seen: dict[str, Widget] = {}
        size = count = refs = 0
        error: str | None = None
        title = ""
        started = time.perf_counter()
        await self.ws.send(msg.SerializeToString())
        deadline = started + self.timeout
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                error = f"no script_finished within {self.timeout:.0f} s"
                break
            try:
                data = await asyncio.wait_for(self.ws.recv(), timeout=left)
            except TimeoutError:
                continue
            except Exception as exc:  # noqa: BLE001 - a closed socket is this run's error
                error = f"websocket: {type(exc).__name__}: {exc}"
                break
            size += len(data)
            count += 1
            fmsg = ForwardMsg()
            fmsg.ParseFromString(data)
            kind = fmsg.WhichOneof("type")
            if kind == "ref_hash":
                refs += 1
                cached = self.cache.get(fmsg.ref_hash)
                if cached is None:
                    error = error or f"ref_hash {fmsg.ref_hash} not in the client cache"
                    continue
                fmsg = ForwardMsg()
                fmsg.ParseFromString(cached)
                kind = fmsg.WhichOneof("type")
            elif fmsg.metadata.cacheable and fmsg.hash:
                self.cache[fmsg.hash] = data
            if kind == "navigation":  # the page the run shows (new_session's is the app's)
                nav = fmsg.navigation
                self.page_script_hash = nav.page_script_hash
                paths = {p.page_script_hash: p.url_pathname for p in nav.app_pages}
                self.page_path = paths.get(nav.page_script_hash, "?")
            elif kind == "page_info_changed":
                self.query_string = fmsg.page_info_changed.query_string
            elif kind == "page_not_found":
                error = error or f"page not found: {fmsg.page_not_found.page_name!r}"
            elif kind == "delta" and fmsg.delta.WhichOneof("type") == "new_element":
                element = fmsg.delta.new_element
                what = element.WhichOneof("type")
                if what == "exception":
                    error = error or f"exception: {element.exception.type}"
                elif what == "alert" and element.alert.format == ALERT_ERROR:
                    error = error or f"error box: {element.alert.body[:120]}"
                elif what == "heading" and element.heading.tag == "h1" and not title:
                    title = element.heading.body
                else:
                    widget = widget_from_element(element)
                    if widget is not None:
                        known = self.widgets.get(widget.id)
                        if known is not None and not widget.forced:
                            widget.value = known.value  # the browser keeps what it shows
                        seen[widget.id] = widget
            elif kind == "script_finished":
                status = fmsg.script_finished
                if status != FINISHED_OK:
                    error = error or f"script_finished status {status}"
                break
        ms = (time.perf_counter() - started) * 1000
        if error is None:
            self.widgets = seen  # the frontend drops the widgets a run did not draw
        return RunResult(round(ms, 1), size, count, refs, error, title)

    def change(self, rng: random.Random) -> str | None:
        """Set one filter widget to another value (in place); returns what changed."""
        filters = [
            w
            for w in self.widgets.values()
            if w.key.startswith(FILTER_PREFIX)
            and w.key not in SKIP_KEYS
            and w.kind != "date_input"
            and len(w.options) > 1
        ]
        if not filters:
            return None
        widget = rng.choice(filters)
        if widget.kind == "multiselect":
            current = sorted(widget.value or [])
            while True:
                k = rng.randint(1 if widget.key == "flt_nights" else 0, min(3, len(widget.options)))
                value = sorted(rng.sample(widget.options, k))
                if value != current:
                    break
            widget.value = value
        else:
            widget.value = rng.choice([o for o in widget.options if o != widget.value])
        return f"{widget.key}={widget.value}"


def _get_cookies(url: str, cookies: dict[str, str], context: Any = None) -> dict[str, str]:
    """The cookies the health endpoint sets: Streamlit's XSRF cookie, and behind the proxy its
    ``tryg_route`` (which replica); ``cookies`` are sent along, as a browser would."""
    request = urllib.request.Request(url)
    if cookies:
        request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in cookies.items()))
    with urllib.request.urlopen(request, timeout=30, context=context) as resp:
        headers = resp.headers.get_all("set-cookie") or []
    pairs = (h.split(";", 1)[0].partition("=") for h in headers)
    return {name.strip(): value for name, _, value in pairs if name.strip()}


async def user(
    number: int,
    base_url: str,
    page: str,
    start_at: float,
    deadline: float,
    seed: int,
    timeout: float,
) -> dict[str, Any]:
    """One user: open ``page``, then change a filter every 3–5 s until ``deadline``."""
    rng = random.Random(seed * 1000 + number)
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    session = Session(base_url, timeout)
    changes: list[dict[str, Any]] = []
    opened: dict[str, Any] = {}
    try:
        await session.connect()
        first = await session.run(page, new_page=True)
        opened = {"ms": first.ms, "bytes": first.bytes, "error": first.error}
        while first.error is None and time.monotonic() < deadline:
            await asyncio.sleep(rng.uniform(3.0, 5.0))
            if time.monotonic() >= deadline:
                break
            what = session.change(rng)
            if what is None:
                break
            result = await session.run(page)
            if result.error is None and session.page_path != page:
                result.error = f"wrong page: /{session.page_path} ({result.title!r})"
            changes.append(
                {
                    "user": number,
                    "page": LOAD_PAGES.get(page, page),
                    "what": what,
                    "ms": result.ms,
                    "bytes": result.bytes,
                    "cached_refs": result.cached_refs,
                    "error": result.error,
                    "at": round(time.monotonic() - start_at, 1),
                }
            )
            if result.error and result.error.startswith("websocket"):
                break
    except Exception as exc:  # noqa: BLE001 - counted as an error of this user
        opened = opened or {"ms": None, "bytes": 0, "error": None}
        opened["error"] = opened.get("error") or f"{type(exc).__name__}: {exc}"
    finally:
        await session.close()
    return {"user": number, "page": LOAD_PAGES.get(page, page), "open": opened, "changes": changes}


async def warm_up(base_url: str, timeout: float) -> dict[str, float]:
    """Open every load page once (imports, loading the data set) before users arrive."""
    session = Session(base_url, timeout)
    await session.connect()
    times = {}
    try:
        for page, title in LOAD_PAGES.items():
            result = await session.run(page, new_page=True)
            if result.error:
                raise RuntimeError(f"warm-up of {title} failed: {result.error}")
            times[title] = result.ms
    finally:
        await session.close()
    return times


async def drive(
    base_url: str, pid: int, users: int, seconds: float, ramp: float, seed: int, timeout: float
) -> dict[str, Any]:
    """Warm up, then all users at once (arriving over ``ramp`` s) for ``seconds``."""
    warm = await warm_up(base_url, timeout)
    pages = list(LOAD_PAGES)
    begin = time.monotonic()
    deadline = begin + ramp + seconds
    server_cpu, machine_cpu = cpu_seconds(pid), cpu_seconds()
    client_cpu = _own_cpu()
    rss: list[float] = []

    async def sample() -> None:
        while True:
            rss.append(proc_status(pid)["VmRSS"] / 1024)
            await asyncio.sleep(1)

    sampler = asyncio.create_task(sample())
    try:
        done = await asyncio.wait_for(
            asyncio.gather(
                *(
                    user(
                        n,
                        base_url,
                        pages[n % len(pages)],
                        begin + ramp * n / max(users, 1),
                        deadline,
                        seed,
                        timeout,
                    )
                    for n in range(users)
                )
            ),
            timeout=ramp + seconds + 2 * timeout + 30,
        )
    finally:
        sampler.cancel()
    wall = time.monotonic() - begin
    return {
        "warm_up_ms": warm,
        "users": done,
        "wall_seconds": round(wall, 1),
        "server_cpu_seconds": round(cpu_seconds(pid) - server_cpu, 1),
        "client_cpu_seconds": round(_own_cpu() - client_cpu, 1),
        "machine_busy_cpu_seconds": round(cpu_seconds() - machine_cpu, 1),
        "rss_samples_mb_max": round(max(rss, default=0.0), 1),
    }


def _own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load(args: argparse.Namespace) -> dict[str, Any]:
    """Start the dashboard, drive the users, return the results."""
    from bench.common import machine_info

    work = Path(tempfile.mkdtemp(prefix="tryg-wsload-"))
    try:
        store_dir = Path(args.data) if args.data else work / "store"
        if not args.data:
            print(f"demo data: {args.incidents:,} incidents in {store_dir}", flush=True)
            make_demo_store(store_dir, args.incidents, args.seed)
        log_path = work / "streamlit-load.log"
        with dashboard_server(store_dir, log_path) as server:
            print(
                f"{args.users} protocol users for {args.seconds:.0f} s against {server.url} …",
                flush=True,
            )
            driven = asyncio.run(
                drive(
                    server.url,
                    server.pid,
                    args.users,
                    args.seconds,
                    args.ramp,
                    args.seed,
                    args.timeout,
                )
            )
            status = proc_status(server.pid)
        log_tail = log_path.read_text(errors="replace")[-3000:]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    changes = [c for u in driven["users"] for c in u["changes"]]
    opens = [u["open"] for u in driven["users"]]
    failed = [c for c in changes if c["error"]] + [o for o in opens if o.get("error")]
    ok_ms = [c["ms"] for c in changes if not c["error"]]
    by_page = {
        title: summary([c["ms"] for c in changes if c["page"] == title and not c["error"]])
        for title in LOAD_PAGES.values()
    }
    results = {
        "machine": machine_info(),
        "incidents": args.incidents if not args.data else None,
        "users": args.users,
        "seconds": args.seconds,
        "ramp_seconds": args.ramp,
        "think_seconds": [3.0, 5.0],
        "seed": args.seed,
        "wall_seconds": driven["wall_seconds"],
        "changes": len(changes),
        "changes_per_second": round(len(changes) / max(driven["wall_seconds"], 1e-9), 2),
        "errors": len(failed),
        "error_examples": sorted({str(f.get("error")) for f in failed})[:10],
        "server_ms_p50": percentile(ok_ms, 50),
        "server_ms_p95": percentile(ok_ms, 95),
        "server_ms_max": round(max(ok_ms), 1) if ok_ms else None,
        "server_ms_by_page": by_page,
        "open_ms": summary([o["ms"] for o in opens if o.get("ms") is not None]),
        "warm_up_ms": driven["warm_up_ms"],
        "bytes_per_change_p50": percentile([c["bytes"] for c in changes], 50),
        "server_peak_rss_mb": round(status["VmHWM"] / 1024, 1),
        "server_rss_samples_mb_max": driven["rss_samples_mb_max"],
        "server_cpu_seconds": driven["server_cpu_seconds"],
        "client_cpu_seconds": driven["client_cpu_seconds"],
        "machine_busy_cpu_seconds": driven["machine_busy_cpu_seconds"],
        "goals": {
            "errors": {"goal": "0", "met": len(failed) == 0},
            "changes": {"goal": "≥ 200", "met": len(changes) >= 200},
            "server_ms_p95": {
                "goal": "≤ 1 500 ms",
                "met": bool(ok_ms) and percentile(ok_ms, 95) <= 1500,
            },
        },
        "server_log_tail": log_tail if failed else "",
        "per_change": changes,
    }
    return results


def table(results: dict[str, Any]) -> str:
    """The results as plain text."""
    m = results["machine"]
    rows = [
        ("Machine", f"nproc {m['nproc']}, {m['cpu_model']}, load {m['loadavg_at_start']}"),
        ("Data", f"{results['incidents'] or 0:,} incidents"),
        ("Users × time", f"{results['users']} × {results['seconds']:.0f} s (think 3–5 s)"),
        ("Changes", f"{results['changes']} ({results['changes_per_second']}/s)"),
        ("Errors (goal 0)", str(results["errors"])),
        (
            "Rerun request → script finished, p50 / p95 / max",
            f"{results['server_ms_p50']} / {results['server_ms_p95']} / "
            f"{results['server_ms_max']} ms",
        ),
    ]
    for page, s in results["server_ms_by_page"].items():
        rows.append((f"  {page}: n, p50 / p95", f"{s['n']}, {s['p50']} / {s['p95']} ms"))
    rows += [
        (
            "Page open (new session), p50 / p95",
            f"{results['open_ms']['p50']} / {results['open_ms']['p95']} ms",
        ),
        ("Server peak RSS (VmHWM)", f"{results['server_peak_rss_mb']:.0f} MB"),
        (
            "CPU: server / client / whole machine",
            f"{results['server_cpu_seconds']} s / {results['client_cpu_seconds']} s / "
            f"{results['machine_busy_cpu_seconds']} s",
        ),
    ]
    width = max(len(r[0]) for r in rows)
    return "\n".join(f"{a.ljust(width)} | {b}" for a, b in rows)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.ws_load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=120, help="time users change filters")
    parser.add_argument("--ramp", type=float, default=5, help="seconds over which users arrive")
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--data", default=None, help="an existing data folder instead")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60, help="seconds per answer")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> dict[str, Any]:
    args = parse_args(argv)
    results = load(args)
    text = table(results)
    print(text, flush=True)
    results["table"] = text
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", flush=True)
    return results


if __name__ == "__main__":
    main()
