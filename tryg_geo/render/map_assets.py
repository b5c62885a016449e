"""Leaflet served offline: its files copied from the ``xstatic-leaflet`` package into
Streamlit's static folder, and every folium map pointed at them, so no CDN URL reaches the
browser (``st_folium`` loads exactly the ``default_js``/``default_css`` of the map).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import folium

#: Where Streamlit serves ``<app dir>/static/leaflet`` (``server.enableStaticServing``).
LEAFLET_URL_PREFIX = "/app/static/leaflet"
#: Files taken from the ``xstatic-leaflet`` package (relative to its data folder).
LEAFLET_FILES: tuple[str, ...] = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)


def install_static_assets(app_dir: Path) -> Path:
    """Copy Leaflet's js, css and images into ``<app_dir>/static/leaflet``.

    Idempotent and cheap when the files are already there (two ``stat`` calls per file); a
    file is (re)copied when it is missing or its size or mtime differs from the packaged one
    (so an upgraded ``xstatic-leaflet`` is picked up). Each copy is
    written to a temporary name and renamed, so a concurrent reader never sees half a file.

    Parameters
    ----------
    app_dir : Path
        Folder of the Streamlit main script; Streamlit serves its ``static/`` folder at
        ``/app/static/``.

    Returns
    -------
    Path
        The ``static/leaflet`` folder.
    """
    from xstatic.pkg import leaflet as xs_leaflet

    source = Path(xs_leaflet.BASE_DIR)
    target = Path(app_dir) / "static" / "leaflet"
    for rel in LEAFLET_FILES:
        src, dst = source / rel, target / rel
        if _same_file(src, dst):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}.tmp")
        shutil.copy2(src, tmp)  # keeps the mtime, which _same_file compares
        os.replace(tmp, dst)
    return target


def _same_file(src: Path, dst: Path) -> bool:
    try:
        a, b = src.stat(), dst.stat()
    except FileNotFoundError:
        return False
    return a.st_size == b.st_size and int(a.st_mtime) == int(b.st_mtime)


def leaflet_url_prefix(base_url_path: str = "") -> str:
    """URL of the Leaflet folder, honouring Streamlit's ``server.baseUrlPath``."""
    base = base_url_path.strip("/")
    return f"/{base}{LEAFLET_URL_PREFIX}" if base else LEAFLET_URL_PREFIX


def offline_assets(url_prefix: str = LEAFLET_URL_PREFIX) -> tuple[list, list]:
    """``(default_js, default_css)`` for ``folium.Map``: the local Leaflet files only."""
    prefix = url_prefix.rstrip("/")
    return [("leaflet", f"{prefix}/leaflet.js")], [("leaflet_css", f"{prefix}/leaflet.css")]


def configure_offline_folium(url_prefix: str = LEAFLET_URL_PREFIX) -> None:
    """Make every ``folium.Map`` load only the local Leaflet (no jQuery, Bootstrap, fonts).

    ``st_folium`` reads ``default_js``/``default_css`` to decide which scripts its iframe
    loads (see the module docstring), so this is what keeps the browser off the internet.
    Safe to call on every Streamlit rerun.
    """
    global _url_prefix
    _url_prefix = url_prefix
    folium.Map.default_js, folium.Map.default_css = offline_assets(url_prefix)


_url_prefix = LEAFLET_URL_PREFIX


def current_url_prefix() -> str:
    """The Leaflet URL that :func:`configure_offline_folium` set last (a map frame uses it)."""
    return _url_prefix
