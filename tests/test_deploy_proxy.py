"""The shipped nginx configuration (``deploy/nginx``) passes ``nginx -t`` and proxies as promised.

Two small echo servers stand in for the replicas (each answers with its name and the headers it
received); nginx runs the shipped files with a ``trustme`` certificate, everything on 127.0.0.1.
Checked from outside, over HTTPS with the test CA: the request reaches a replica with
``X-Forwarded-Proto: https`` and the client's address in ``X-Forwarded-For``; the proxy sets its
own ``tryg_route`` cookie (``Secure``, ``HttpOnly``) and a browser that sends it back stays on
one replica; a websocket upgrade is forwarded as one; when that replica stops, the next request
goes to the live one. ``make test`` installs Debian's nginx (see the Makefile).
"""

from __future__ import annotations

import http.client
import json
import ssl
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import deploy_stack


class Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = json.dumps(
            {
                "replica": self.server.name,
                "headers": {k.lower(): v for k, v in self.headers.items()},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:  # quiet
        pass


@pytest.fixture()
def replicas() -> Iterator[dict[str, ThreadingHTTPServer]]:
    servers = {}
    for name in ("a", "b"):
        server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
        server.name = name  # type: ignore[attr-defined]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers[name] = server
    try:
        yield servers
    finally:
        for server in servers.values():
            server.shutdown()
            server.server_close()


def get(proxy: deploy_stack.Proxy, ca: Path, headers: dict[str, str]) -> tuple[dict, dict]:
    context = ssl.create_default_context(cafile=str(ca))
    conn = http.client.HTTPSConnection("127.0.0.1", proxy.https_port, context=context, timeout=10)
    try:
        conn.request("GET", "/some/page", headers=headers)
        resp = conn.getresponse()
        assert resp.status == 200, resp.read()[:500]
        return json.loads(resp.read()), {k.lower(): v for k, v in resp.getheaders()}
    finally:
        conn.close()


def test_shipped_nginx_config_proxies_https_sticky_with_failover(
    tmp_path: Path, replicas: dict[str, ThreadingHTTPServer]
) -> None:
    assert deploy_stack.NGINX.exists(), "nginx is missing: `make test` installs Debian's nginx"
    certs = deploy_stack.make_certs(tmp_path / "certs")
    ports = {s.server_address[1]: name for name, s in replicas.items()}
    proxy = deploy_stack.render(tmp_path / "nginx", certs, list(ports))
    checked = deploy_stack.check_config(proxy)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr

    with deploy_stack.running(proxy):
        seen, response = get(proxy, certs.ca, {})
        assert seen["headers"]["x-forwarded-proto"] == "https"
        assert seen["headers"]["x-forwarded-for"] == "127.0.0.1"
        assert seen["headers"]["host"] == f"127.0.0.1:{proxy.https_port}"
        cookie = response["set-cookie"]
        assert cookie.startswith("tryg_route=") and "Secure" in cookie and "HttpOnly" in cookie
        route = cookie.split(";", 1)[0]

        # The same cookie, the same replica; the proxy does not set a second cookie.
        answers = [get(proxy, certs.ca, {"Cookie": route}) for _ in range(6)]
        assert {seen["replica"] for seen, _ in answers} == {answers[0][0]["replica"]}
        assert all("set-cookie" not in headers for _, headers in answers)
        sticky = answers[0][0]["replica"]

        upgrade, _ = get(proxy, certs.ca, {"Cookie": route, "Upgrade": "websocket"})
        assert upgrade["headers"]["connection"] == "upgrade"
        assert upgrade["headers"]["upgrade"] == "websocket"

        replicas[sticky].shutdown()
        replicas[sticky].server_close()
        moved, _ = get(proxy, certs.ca, {"Cookie": route})
        assert moved["replica"] != sticky
