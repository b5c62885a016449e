"""Shared test data: one demo dataset for the whole session, and the tiny inline stores.

The demo data folder is made once per session (5 000 incidents, the default seed) and only
read by the tests; a test that imports or writes makes a store of its own in ``tmp_path``.
The tiny stores (three districts, hand-placed incidents) are built by :mod:`tiny_data`, which
sits beside this file so that every test folder can ``import tiny_data``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import tiny_data
from browser_harness import (  # noqa: F401  (fixtures: one Chromium and one harness per run)
    artifacts,
    browser,
    dashboard_url,
    page_and_log,
    serve_dashboard,
)
from signin import auth_store, idp  # noqa: F401  (fixtures: the sign-in tests' provider, data)

from tryg_geo.demo.make import make_demo
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that drive Chromium share one browser and its servers: with ``-n 2``
    (pytest-xdist, ``--dist loadgroup``) they run together on one worker, the rest on both."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("chromium"))


@pytest.fixture(autouse=True, scope="session")
def _served_on_loopback() -> None:
    """AppTest reads no ``.streamlit/config.toml``: give it the address the dashboard is
    served on by default (127.0.0.1), so pages run in Lokal tilstand as with ``make dashboard``
    (without it, the sign-in gate rightly refuses an unset address)."""
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")


#: Incidents in the shared demo dataset: enough for every view, small enough to be quick.
DEMO_INCIDENTS = 5_000


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared demo data folder (read only: never import or write into it)."""
    folder = tmp_path_factory.mktemp("demo") / "data"
    make_demo(Store(folder), incidents=DEMO_INCIDENTS)
    return folder


@pytest.fixture(scope="session")
def demo_ds(demo_dir: Path) -> Dataset:
    """The shared demo data, loaded."""
    return load_dataset(Store(demo_dir))


@pytest.fixture()
def tiny_ds(tmp_path: Path) -> Dataset:
    """A tiny store of its own: three districts and the places, no incidents yet."""
    return tiny_data.build(tmp_path)
