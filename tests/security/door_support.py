"""Loads the browser tests' harness and sign-in helpers under names of their own.

``tests/browser/conftest.py`` and ``tests/browser/test_auth.py`` hold the Chromium, server and
``oidc-provider-mock`` fixtures and the :class:`Session` helper; the attack suite reuses them
rather than keeping a second copy.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BROWSER = Path(__file__).resolve().parents[1] / "browser"


def _load(name: str, path: Path) -> ModuleType:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


harness = _load("tryg_browser_harness", BROWSER / "conftest.py")
auth = _load("tryg_browser_auth", BROWSER / "test_auth.py")

Session = auth.Session
free_port = auth.free_port
write_secrets = auth.write_secrets
DATA, LEDER, STRANGER, ROLES_TOML, TIMEOUT_MS = (
    auth.DATA,
    auth.LEDER,
    auth.STRANGER,
    auth.ROLES_TOML,
    auth.TIMEOUT_MS,
)
