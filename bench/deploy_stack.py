"""The shipped nginx configuration (``deploy/nginx``) on this machine, on 127.0.0.1 only.

``make deploy-test`` (:mod:`bench.deploy_test`) and ``tests/test_deploy_proxy.py`` run the very
files an IT department copies to ``/etc/nginx``; only what must differ on a test machine is
replaced, and every replacement is checked (a changed file fails loudly instead of being tested
half): the ``listen`` lines (a free port on 127.0.0.1 instead of every address's 80 and 443),
the certificate paths (a ``trustme`` certificate), the replicas' ports and the include path.
nginx runs in the foreground with its pid, logs and temporary files in a work folder.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.server import REPO, free_port

NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
SITE = REPO / "deploy" / "nginx" / "tryg-geo.conf"
UPSTREAM = REPO / "deploy" / "nginx" / "upstream.conf"
SHIPPED_INCLUDE = "/etc/nginx/tryg-geo/upstream.conf"
SHIPPED_CERT = "/etc/ssl/tryg-geo/fullchain.pem"
SHIPPED_KEY = "/etc/ssl/tryg-geo/privkey.pem"
HOSTS = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class Certs:
    """A test CA and a server certificate for 127.0.0.1 and localhost."""

    ca: Path  # PEM of the CA: clients trust it
    chain: Path  # server certificate + chain
    key: Path
    spki_sha256: str  # base64 SHA-256 of the server key (Chromium's spki list)


@dataclass(frozen=True)
class Proxy:
    """A rendered configuration: the main file, its folder, and the HTTPS port."""

    conf: Path
    prefix: Path
    https_port: int

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"


def make_certs(folder: Path) -> Certs:
    """A ``trustme`` CA and server certificate, written to ``folder``."""
    import trustme
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    folder.mkdir(parents=True, exist_ok=True)
    ca = trustme.CA()
    cert = ca.issue_cert(*HOSTS)
    paths = Certs(folder / "ca.pem", folder / "chain.pem", folder / "key.pem", "")
    ca.cert_pem.write_to_path(str(paths.ca))
    cert.private_key_pem.write_to_path(str(paths.key))
    paths.chain.write_bytes(b"".join(blob.bytes() for blob in cert.cert_chain_pems))
    leaf = x509.load_pem_x509_certificate(cert.cert_chain_pems[0].bytes())
    spki = leaf.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    digest = base64.b64encode(hashlib.sha256(spki).digest()).decode()
    return Certs(paths.ca, paths.chain, paths.key, digest)


def _replace(text: str, pattern: str, new: str, what: str, count: int = 0) -> str:
    result, n = re.subn(pattern, new, text, count=count, flags=re.MULTILINE)
    if n == 0:
        raise RuntimeError(
            f"deploy/nginx: {what} not found (pattern {pattern!r}); update {__name__}"
        )
    return result


def render(work: Path, certs: Certs, replica_ports: list[int]) -> Proxy:
    """The shipped site and upstream files for this machine, and an ``nginx.conf`` around them."""
    work.mkdir(parents=True, exist_ok=True)
    work.chmod(0o755)  # nginx's workers (user nobody when started as root) read and write here
    (work / "tmp").mkdir(exist_ok=True)
    https_port, http_port = free_port(), free_port()
    servers = "".join(
        f"    server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;\n" for port in replica_ports
    )
    upstream = _replace(
        UPSTREAM.read_text(), r"^\s*server 127\.0\.0\.1:\d+ .*;\n", "", "the replica lines"
    )
    upstream = _replace(upstream, r"^(\s*keepalive)", servers + r"\1", "keepalive", count=1)
    (work / "upstream.conf").write_text(upstream)
    site = SITE.read_text()
    site = _replace(site, r"^\s*listen \[::\].*\n", "", "the IPv6 listen lines")
    site = _replace(site, r"listen 443 ", f"listen 127.0.0.1:{https_port} ", "listen 443")
    site = _replace(site, r"listen 80;", f"listen 127.0.0.1:{http_port};", "listen 80")
    site = _replace(site, re.escape(SHIPPED_INCLUDE), str(work / "upstream.conf"), "include")
    site = _replace(site, re.escape(SHIPPED_CERT), str(certs.chain), "the certificate")
    site = _replace(site, re.escape(SHIPPED_KEY), str(certs.key), "the key")
    (work / "tryg-geo.conf").write_text(site)
    temp = "\n".join(
        f"    {kind}_temp_path {work / 'tmp' / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf = work / "nginx.conf"
    conf.write_text(
        "daemon off;\nworker_processes 1;\n"
        f"pid {work / 'nginx.pid'};\nerror_log {work / 'error.log'} warn;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        f"    access_log {work / 'access.log'};\n{temp}\n"
        f"    include {work / 'tryg-geo.conf'};\n}}\n"
    )
    return Proxy(conf, work, https_port)


def nginx_command(proxy: Proxy, *extra: str) -> list[str]:
    return [str(NGINX), "-p", str(proxy.prefix), "-e", str(proxy.prefix / "error.log")] + [
        "-c",
        str(proxy.conf),
        *extra,
    ]


def check_config(proxy: Proxy) -> subprocess.CompletedProcess:
    """``nginx -t`` on the rendered configuration."""
    return subprocess.run(nginx_command(proxy, "-t"), capture_output=True, text=True, timeout=30)


@contextmanager
def running(proxy: Proxy, timeout: float = 15) -> Iterator[subprocess.Popen]:
    """nginx in the foreground until the block ends (then stopped, waited for)."""
    proc = subprocess.Popen(nginx_command(proxy), stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log = (proxy.prefix / "error.log").read_text(errors="replace")
                raise RuntimeError(f"nginx stopped (exit {proc.returncode}): {log[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", proxy.https_port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not listen within {timeout:.0f} s") from None
                time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
