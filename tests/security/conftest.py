"""The attack suite's fixtures: the browser tests' servers, Chromium and identity provider,
re-exported from ``tests/browser`` (see :mod:`door_support`)."""

from __future__ import annotations

from door_support import auth, harness

artifacts = harness.artifacts
browser = harness.browser
serve_dashboard = harness.serve_dashboard
idp = auth.idp
auth_store = auth.auth_store
