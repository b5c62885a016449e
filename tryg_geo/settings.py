"""Settings registry: every knob declared once, as data, with help text.

A setting is read from the environment variable named in its declaration, then from
``settings.toml`` in the data folder, then falls back to its default.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import LRU
from .errors import UsageError


@dataclass(frozen=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str
    kind: type = str
    minimum: int | None = None


SETTINGS: dict[str, Setting] = {
    s.name: s
    for s in (
        Setting("data_dir", "TRYG_DATA_DIR", "data", "Folder where imported and demo data live."),
        Setting(
            "basemap",
            "TRYG_BASEMAP",
            "none",
            "Background map: 'none' (the default: nothing is fetched from outside, district "
            "outlines and the fjord are drawn by the app), 'osm' (OpenStreetMap's public tiles: "
            "the browser then asks tile.openstreetmap.org for the area being looked at), or an XYZ "
            "URL such as the kommune's own https://kort.example.dk/{z}/{x}/{y}.png.",
        ),
        Setting(
            "min_count",
            "TRYG_MIN_COUNT",
            5,
            "Counts below this are hidden: shown as '<' and this number (e.g. '<5') and never "
            "exported (discretion rule).",
            int,
            3,
        ),
        Setting(
            "min_respondents",
            "TRYG_MIN_RESPONDENTS",
            30,
            "Survey shares with fewer respondents than this are flagged as uncertain.",
            int,
        ),
        Setting(
            "email_verified",
            "TRYG_EMAIL_VERIFIED",
            "required",
            "Sign-in: 'required' (default) gives a role by e-mail only when the provider sends "
            "email_verified = true; 'not-sent' for a provider that never sends the claim (ADFS, "
            "Entra ID without the optional claim): an e-mail without it then counts. A claim "
            "that is sent must be true either way.",
        ),
        Setting(
            "upload_limit_mb",
            "TRYG_UPLOAD_LIMIT_MB",
            200,
            "Largest file (MB) accepted for import; zip archives may unpack to 4x this.",
            int,
        ),
        Setting(
            "session_max_hours",
            "TRYG_SESSION_MAX_HOURS",
            12,
            "A sign-in ends this many hours after it began, however active (then log in again).",
            int,
            1,
        ),
        Setting(
            "session_idle_minutes",
            "TRYG_SESSION_IDLE_MINUTES",
            60,
            "A sign-in ends after this many minutes without any click or page load.",
            int,
            5,
        ),
        Setting(
            "base_url",
            "TRYG_BASE_URL",
            "http://127.0.0.1:8501",
            "The dashboard's address as its users open it (e.g. https://tryggeo.aalborg.dk): "
            "the links in the digest and the alert e-mails start with it.",
        ),
        Setting(
            "trusted_proxy",
            "TRYG_TRUSTED_PROXY",
            "",
            "Address(es) of the HTTPS proxy (comma-separated IPs or networks, e.g. 127.0.0.1) "
            "whose X-Forwarded-Proto/-For headers are believed; empty: none.",
        ),
    )
}


def data_dir() -> Path:
    """The data folder: ``TRYG_DATA_DIR`` or ``data/`` in the working directory."""
    return Path(os.environ.get("TRYG_DATA_DIR") or SETTINGS["data_dir"].default)


def get(name: str) -> Any:
    """Return the value of setting ``name``, converted to its declared type.

    Raises
    ------
    UsageError
        When ``name`` is not a declared setting or its value cannot be converted.
    """
    if name not in SETTINGS:
        raise UsageError(f"Ukendt indstilling {name!r}; tilladte: {', '.join(SETTINGS)}.")
    setting = SETTINGS[name]
    raw = os.environ.get(setting.env)
    if raw is None:
        raw = _settings_file().get(name, setting.default)
    try:
        value = setting.kind(raw)
    except (TypeError, ValueError):
        raise UsageError(
            f"Indstillingen {setting.env}={raw!r} skal være et {setting.kind.__name__}: "
            f"{setting.help}"
        ) from None
    if setting.minimum is not None and value < setting.minimum:
        # Discretion must not be switched off by a typo: a limit of 1 would show every count.
        raise UsageError(
            f"Indstillingen {setting.env}={raw!r} er for lav; den skal være mindst "
            f"{setting.minimum}: {setting.help}"
        )
    return value


#: settings.toml parsed, by path and stat (as roles.toml and partnerskab.toml): read again only
#: when it changed — the discretion limit is asked for per count shown on a map.
_PARSED = LRU("settings_files")


def _settings_file() -> dict[str, Any]:
    path = data_dir() / "settings.toml"
    try:
        stat = path.stat()
    except FileNotFoundError:
        return {}
    return _PARSED.get_or_make(
        (path, stat.st_mtime_ns, stat.st_size, stat.st_ino), lambda: _read_settings(path)
    )


def _read_settings(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise UsageError(f"Indstillingsfilen {path} kan ikke læses: {exc}") from None
