"""The agreement suite's data: every view, its CSV and its PNG texts, built once per session
on the demo data and on a real-format police import over the demo districts.

The import is what a new user does first: the demo folder (the session's shared one, copied)
gets the 40 good rows of :mod:`police_file` as its incidents. Views, CSV tables and PNG figures
are computed once here and only read by the tests, so the suite runs in seconds.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import police_file
import pytest
from matplotlib.text import Text

from tryg_geo.ingest.importer import import_file
from tryg_geo.render.csv_export import csv_table
from tryg_geo.render.png_page import view_figure
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.views.model import View
from tryg_geo.views.registry import MAIN_VIEWS, build_view, default_filters, view_keys


@dataclass
class Built:
    """One view on one dataset, with the files made from it."""

    data: str  # "demo" or "import"
    key: str
    ds: Dataset
    view: View
    csv: object  # pandas DataFrame: the exported columns (render.csv_export.csv_table)
    png_texts: list[str] | None  # every text drawn on the PNG (None: not rendered)


@pytest.fixture(scope="session")
def import_ds(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    """The demo folder after importing the police file (40 incidents) as the incidents."""
    folder = tmp_path_factory.mktemp("agreement") / "data"
    shutil.copytree(demo_dir, folder)
    path = police_file.police_csv(folder.parent / "politi_udtraek.csv")
    result = import_file("incidents", path, store=Store(folder), source=police_file.SOURCE)
    report = result.report()
    assert (report["accepted"], report["rejected"]) == (police_file.GOOD, police_file.BAD)
    return load_dataset(Store(folder))


#: Views whose PNG is drawn (each costs a figure): the main views and two initiatives, one
#: counted from incidents and one from measurements.
PNG_KEYS = tuple(v.key for v in MAIN_VIEWS)
PNG_KEYS += ("indsats/et-trygt-natteliv", "indsats/tryg-bydel")


def _png_texts(view: View) -> list[str]:
    figure = view_figure(view)
    return [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]


@pytest.fixture(scope="session")
def built(demo_ds: Dataset, import_ds: Dataset) -> list[Built]:
    """Every view of the registry on both datasets, with its CSV table and PNG texts."""
    out = []
    for data, ds in (("demo", demo_ds), ("import", import_ds)):
        filters = default_filters(ds)
        for key in view_keys():
            view = build_view(key, ds, filters)
            texts = _png_texts(view) if key in PNG_KEYS else None
            out.append(Built(data, key, ds, view, csv_table(view), texts))
    return out


@pytest.fixture(scope="session")
def by_key(built: list[Built]) -> dict[tuple[str, str], Built]:
    return {(b.data, b.key): b for b in built}
