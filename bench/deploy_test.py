"""``make deploy-test``: the deployment of README "Drift" on this machine, everything on 127.0.0.1.

    python -m bench.deploy_test [--users 40] [--seconds 120] [--incidents 1000000]

1. A ``trustme`` CA and certificate; demo data in one data folder with ``roles.toml``;
   ``oidc-provider-mock`` as the identity provider; two replicas (``serve.py``, sign-in on, the
   same ``cookie_secret`` and ``server.cookieSecret``) on 127.0.0.1, each waited for until its
   health check says it is warm; nginx with the shipped ``deploy/nginx`` files
   (:mod:`bench.deploy_stack`).
2. Chromium signs in through ``https://`` (the provider's form) and sees "Logget ind som".
3. ``--users`` simulated users (``bench.ws_load``'s protocol client, each with the signed-in
   cookie and a cookie jar of its own, so the proxy spreads them) change filters for
   ``--seconds`` through the proxy. Half-way, one replica is stopped (SIGTERM). A user whose
   websocket breaks reconnects through the proxy (as the browser does), which sends it to the
   live replica. Afterwards the stopped replica is started again.
4. A CLI import of a measurement file into the shared data folder; the other replica (asked
   directly, over its websocket) must show the file in the Data page's import log.

Prints one JSON report (also ``bench/deploy.json``): ``signed_in``, ``users``, ``errors``
(failures other than the stopped replica's own broken sockets), ``p95_ms``,
``failed_during_stop``, ``reconnected``, ``import_seen_by_other_s``, ``rss_mb_per_replica``.
Every loop is bounded in count and time; no address other than 127.0.0.1/localhost is used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager, suppress
from pathlib import Path
from typing import Any

from bench import deploy_stack
from bench.browser_map import CHROMIUM, CHROMIUM_ARGS
from bench.server import REPO, free_port, make_demo_store, proc_status
from bench.ws_load import LOAD_PAGES, Session, percentile

USER = "data@aalborg.dk"  # dataansvarlig: may see the Data page's import log
COOKIE_SECRET = "deploy-test-" + "k" * 40
AUTH_COOKIE = "_streamlit_user"
DATA_PAGE = "data-import"
STOP_WINDOW_S = 15  # a socket that breaks this soon after the stop is the stop's doing
DEFAULT_OUT = REPO / "bench" / "deploy.json"


@contextmanager
def replica(port: int, store: Path, secrets: Path, log: Path) -> Iterator[subprocess.Popen]:
    """``serve.py`` on 127.0.0.1:``port``; stopped (SIGTERM, then SIGKILL) at the end."""
    env = {
        **os.environ,
        "TRYG_DATA_DIR": str(store),
        "TRYG_BASEMAP": "none",
        "STREAMLIT_SERVER_COOKIE_SECRET": COOKIE_SECRET,
        "PYTHONPATH": str(REPO),
    }
    command = [sys.executable, str(REPO / "serve.py"), "--server.address", "127.0.0.1"]
    command += ["--server.port", str(port), "--secrets.files", str(secrets)]
    command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with open(log, "a") as out:
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 600) -> float:
    """Seconds until ``/_stcore/health`` answers 200 (after the warm-up)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if proc.poll() is not None:
            raise RuntimeError(f"the replica on port {port} stopped (exit {proc.returncode})")
        with suppress(OSError):
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=3) as resp:
                if resp.status == 200:
                    return round(time.monotonic() - started, 1)
        time.sleep(0.5)
    raise RuntimeError(f"the replica on port {port} was not healthy within {timeout:.0f} s")


def sign_in(url: str, certs: deploy_stack.Certs) -> tuple[bool, dict[str, str], str]:
    """Sign in through the proxy in Chromium; (signed in, the login cookies, the text shown)."""
    from playwright.sync_api import sync_playwright

    # Chromium accepts exactly this server key (as if the kommune's CA were installed).
    args = [*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={certs.spki_sha256}"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            page = browser.new_context().new_page()
            page.goto(url, timeout=60_000)
            page.get_by_role("button", name="Log ind", exact=True).click(timeout=60_000)
            page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=60_000)
            page.get_by_role("button", name=USER, exact=True).click()
            page.wait_for_url(f"{url}/**", timeout=60_000)
            shown = page.get_by_text("Logget ind som").first
            shown.wait_for(timeout=60_000)
            text = shown.inner_text()
            cookies = {
                c["name"]: c["value"]
                for c in page.context.cookies()
                if c["name"].startswith(AUTH_COOKIE)
            }
        finally:
            browser.close()
    return USER in text and bool(cookies), cookies, text


async def simulated_user(
    number: int, base: str, ctx: ssl.SSLContext, login: dict[str, str], plan: dict[str, Any]
) -> dict[str, Any]:
    """Open a page, change a filter every 3–5 s; reconnect (at most 3 times) when the socket
    breaks, as Streamlit's frontend does."""
    pages = list(LOAD_PAGES)
    page = pages[number % len(pages)]
    rng = random.Random(plan["seed"] * 1000 + number)
    jar = dict(login)  # this browser's cookies: login, and the proxy's tryg_route once set
    events: list[dict[str, Any]] = []
    await asyncio.sleep(
        max(0.0, plan["begin"] + plan["ramp"] * number / plan["users"] - time.monotonic())
    )
    broken = 0
    while time.monotonic() < plan["deadline"] and broken <= 3:
        session = Session(base, plan["timeout"], ssl=ctx, cookies=jar)
        try:
            await session.connect()
            first = await session.run(page, new_page=True)
            events.append(_event("open", first.ms, first.error, plan))
            if first.error:
                raise RuntimeError(first.error)
            while time.monotonic() < plan["deadline"]:
                await asyncio.sleep(rng.uniform(3.0, 5.0))
                if time.monotonic() >= plan["deadline"] or session.change(rng) is None:
                    break
                result = await session.run(page)
                events.append(_event("change", result.ms, result.error, plan))
                if result.error and result.error.startswith("websocket"):
                    raise RuntimeError(result.error)
            break
        except Exception as exc:  # noqa: BLE001 - recorded; the user reconnects
            if not events or events[-1]["error"] is None:
                events.append(_event("connect", None, f"{type(exc).__name__}: {exc}", plan))
            broken += 1
            await asyncio.sleep(1)
        finally:
            with suppress(Exception):
                await session.close()
    return {"user": number, "page": LOAD_PAGES[page], "events": events}


def _event(kind: str, ms: float | None, error: str | None, plan: dict[str, Any]) -> dict:
    return {"kind": kind, "ms": ms, "error": error, "at": time.monotonic()}


async def load(
    base: str, ctx: ssl.SSLContext, login: dict[str, str], args: argparse.Namespace, victim
) -> dict[str, Any]:
    """All users for ``args.seconds``; the victim replica is stopped half-way."""
    begin = time.monotonic()
    plan = {
        "begin": begin,
        "ramp": 5.0,
        "deadline": begin + 5.0 + args.seconds,
        "timeout": 60.0,
        "seed": 1,
        "users": args.users,
    }
    stop_at = begin + 5.0 + args.seconds / 2

    async def stopper() -> tuple[float, float]:
        await asyncio.sleep(stop_at - time.monotonic())
        before = time.monotonic()
        await asyncio.to_thread(stop, victim)
        return before, time.monotonic()

    stopping = asyncio.create_task(stopper())
    users = await asyncio.wait_for(
        asyncio.gather(*(simulated_user(n, base, ctx, login, plan) for n in range(args.users))),
        timeout=5.0 + args.seconds + 2 * plan["timeout"] + 60,
    )
    stopped = await stopping
    return {"users": users, "stopped_at": stopped}


def summarise(driven: dict[str, Any]) -> dict[str, Any]:
    """Errors, the stop's broken sockets, reconnections and p95 of the changes."""
    before, after = driven["stopped_at"]
    errors, during_stop, reconnected, ok_ms, users_hit = [], 0, 0, [], 0
    for user in driven["users"]:
        hit = False
        users_hit += any(
            e["error"] and before <= e["at"] <= after + STOP_WINDOW_S for e in user["events"]
        )
        for event in user["events"]:
            if event["error"] is None:
                if event["kind"] == "change":
                    ok_ms.append(event["ms"])
                if hit and event["kind"] == "open":
                    reconnected += 1
                    hit = False
                continue
            broke = ("websocket" in event["error"] or "Connection" in event["error"]) and (
                before <= event["at"] <= after + STOP_WINDOW_S
            )
            if broke:
                during_stop += 1
                hit = True
            else:
                errors.append(event["error"])
    return {
        "errors": len(errors),
        "error_examples": sorted(set(errors))[:5],
        "failed_during_stop": during_stop,
        "reconnected": reconnected,
        "users_hit_by_stop": users_hit,
        "changes": len(ok_ms),
        "p50_ms": percentile(ok_ms, 50),
        "p95_ms": percentile(ok_ms, 95),
    }


async def page_bytes(port: int, login: dict[str, str], page: str, origin: str) -> bytes:
    """Everything the replica on ``port`` sends for one run of ``page`` (asked directly)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    session = Session(f"http://127.0.0.1:{port}", 60, cookies=dict(login), origin=origin)
    await session.connect()
    try:
        msg = BackMsg()
        msg.rerun_script.page_name = page
        msg.rerun_script.query_string = ""
        await session.ws.send(msg.SerializeToString())
        chunks, deadline = [], time.monotonic() + 60
        while time.monotonic() < deadline:
            data = await asyncio.wait_for(session.ws.recv(), timeout=deadline - time.monotonic())
            chunks.append(data)
            if _finished(data):
                break
        return b"".join(chunks)
    finally:
        await session.close()


def _finished(data: bytes) -> bool:
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(data)
    return msg.WhichOneof("type") == "script_finished"


def import_and_watch(
    store: Path, work: Path, port: int, login: dict[str, str], origin: str
) -> float | None:
    """CLI import of a uniquely named file; seconds until replica ``port`` shows it (≤ 60 s)."""
    name = f"maalinger-deploytest-{random.randrange(10**8):08d}.csv"
    path = work / name
    path.write_text("område;periode;indikator;værdi;n\nkommune;2031;tryg_andel;88,0;230\n")
    done = subprocess.run(
        [sys.executable, "-m", "tryg_geo", "import", "measurements", str(path)],
        cwd=REPO,
        env={**os.environ, "TRYG_DATA_DIR": str(store), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"import failed: {done.stdout}{done.stderr}")
    imported = time.monotonic()
    while time.monotonic() - imported < 60:
        if name.encode() in asyncio.run(page_bytes(port, login, DATA_PAGE, origin)):
            return round(time.monotonic() - imported, 2)
        time.sleep(0.5)
    return None


def setup_store(store: Path, incidents: int) -> None:
    make_demo_store(store, incidents)
    (store / "roles.toml").write_text(f'[users]\n"{USER}" = "dataansvarlig"\n', encoding="utf-8")


def write_secrets(path: Path, proxy_url: str, idp: str) -> Path:
    path.write_text(
        "[auth]\n"
        f'redirect_uri = "{proxy_url}/oauth2callback"\n'
        f'cookie_secret = "{COOKIE_SECRET}"\n'
        'client_id = "tryg-geo"\nclient_secret = "test-secret"\n'
        f'server_metadata_url = "{idp}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    return path


def run(args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from oidc_provider_mock import User, run_server_in_thread

    certs = deploy_stack.make_certs(work / "certs")
    store = work / "store"
    print(f"demo data: {args.incidents:,} incidents", flush=True)
    setup_store(store, args.incidents)
    ports = [free_port(), free_port()]
    proxy = deploy_stack.render(work / "nginx", certs, ports)
    checked = deploy_stack.check_config(proxy)
    if checked.returncode != 0:
        raise RuntimeError(f"nginx -t: {checked.stderr}")
    users = [User(sub=USER, claims={"email": USER, "email_verified": True})]
    with ExitStack() as stack:
        idp = stack.enter_context(run_server_in_thread(user_claims=users))
        secrets = write_secrets(
            work / "secrets.toml", proxy.url, f"http://localhost:{idp.server_port}"
        )
        logs = [work / f"replica-{port}.log" for port in ports]
        procs = [
            stack.enter_context(replica(p, store, secrets, log))
            for p, log in zip(ports, logs, strict=True)
        ]
        warm = [wait_healthy(p, proc) for p, proc in zip(ports, procs, strict=True)]
        print(f"replicas {ports} healthy after {warm} s; nginx at {proxy.url}", flush=True)
        stack.enter_context(deploy_stack.running(proxy))
        signed_in, login, shown = sign_in(proxy.url, certs)
        print(f"Chromium: {shown!r}", flush=True)
        ctx = ssl.create_default_context(cafile=str(certs.ca))
        print(
            f"{args.users} users × {args.seconds:.0f} s; port {ports[1]} stops half-way", flush=True
        )
        driven = asyncio.run(load(proxy.url, ctx, login, args, procs[1]))
        rss_under_load = {str(ports[0]): round(proc_status(procs[0].pid)["VmHWM"] / 1024)}
        restarted = stack.enter_context(replica(ports[1], store, secrets, logs[1]))
        restart_s = wait_healthy(ports[1], restarted)
        seen = import_and_watch(store, work, ports[1], login, proxy.url)
        rss = {
            str(p): {
                "rss": round(proc_status(pr.pid)["VmRSS"] / 1024),
                "peak": round(proc_status(pr.pid)["VmHWM"] / 1024),
            }
            for p, pr in ((ports[0], procs[0]), (ports[1], restarted))
        }
    return {
        "signed_in": signed_in,
        "users": args.users,
        **summarise(driven),
        "import_seen_by_other_s": seen,
        "rss_mb_per_replica": rss,
        "peak_rss_mb_replica_carrying_all_users": rss_under_load,
        "warm_up_s": warm,
        "restart_to_healthy_s": restart_s,
        "incidents": args.incidents,
        "seconds": args.seconds,
        "loadavg_at_end": Path("/proc/loadavg").read_text().split()[:3],
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="python -m bench.deploy_test", description=__doc__)
    parser.add_argument("--users", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--incidents", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--keep", action="store_true", help="keep the work folder (logs)")
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="tryg-deploy-"))
    work.chmod(0o755)  # nginx's workers run as nobody when started as root
    try:
        report = run(args, work)
    finally:
        if args.keep:
            print(f"work folder: {work}", flush=True)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(report, ensure_ascii=False), flush=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return report


if __name__ == "__main__":
    main()
