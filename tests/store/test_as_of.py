""" "Data pr." on every view, file and slide: one line from one function (tryg_geo.store.as_of).

The views are those of the registry (``view_keys``), so a new view is checked without editing
this file; the page captions are checked in ``tests/pages/test_pages.py`` and the PNG footers
in ``tests/render/test_export.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tryg_geo.render.csv_export import COLUMN_DOCS, csv_table, read_csv, view_csv
from tryg_geo.render.deck import deck_slides
from tryg_geo.render.deck_view import view_layout
from tryg_geo.render.pack import plan_views
from tryg_geo.store.as_of import data_as_of, latest_import, latest_incident, statbank_as_of
from tryg_geo.store.dataset import Dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.status import data_status
from tryg_geo.views.registry import build_view, default_filters, view_keys


@pytest.fixture(scope="module")
def views(demo_ds: Dataset) -> dict:
    filters = default_filters(demo_ds)
    return {key: build_view(key, demo_ds, filters) for key in view_keys()}


def test_the_line_names_the_latest_incident_and_import(demo_ds: Dataset) -> None:
    incident, imported = latest_incident(demo_ds), latest_import(demo_ds)
    assert incident == demo_ds.incidents["time"].max().date()
    stamps = [m["imported_at"][:10] for m in demo_ds.provenance.values()]
    assert imported == date.fromisoformat(max(stamps))
    text = data_as_of(demo_ds)
    assert text == (
        f"Data pr.: seneste hændelse {incident:%d.%m.%Y} · seneste import {imported:%d.%m.%Y}"
    )


def test_an_empty_dataset_says_what_it_lacks() -> None:
    empty = Dataset("v", False, None, None, None, None)
    assert data_as_of(empty) == "Data pr.: ingen hændelser · ingen import"


def test_every_view_and_its_csv_carry_the_line(demo_ds: Dataset, views: dict) -> None:
    line = data_as_of(demo_ds)
    assert "data_as_of" in COLUMN_DOCS
    for key, view in views.items():
        # Kommuner shows StatBank's tables: their quarter and import (tests/views/test_kommuner).
        expected = statbank_as_of(demo_ds) if key == "kommuner" else line
        assert view.as_of == expected, key
        if view.table.empty:
            continue
        table = csv_table(view)
        assert set(table["data_as_of"]) == {expected}, key
    some = next(v for v in views.values() if not v.table.empty)
    assert set(read_csv(view_csv(some))["data_as_of"]) == {line}


#: Two views are enough for the slides: a view slide's footer is its view's ``as_of``, checked
#: above for every view of the registry; the deck's own slides (cover, closing) are checked here.
FEW = ("overblik", "tryg-bydel")


def test_every_slide_carries_the_line(demo_ds: Dataset) -> None:
    line = data_as_of(demo_ds)
    filters = default_filters(demo_ds)
    slides, _ = deck_slides(demo_ds, filters, plan_views(demo_ds, filters, keep=FEW.__contains__))
    assert len(slides) > 3
    for slide in slides:
        texts = [*slide.lines, *slide.bullets, *slide.after]
        if slide.view is not None:
            texts += view_layout(slide.view).footer_lines
            assert line in slide.notes, slide.title
        assert any(line in text for text in texts), slide.title


def test_a_no_data_slide_carries_the_line(demo_ds: Dataset) -> None:
    filters = default_filters(demo_ds)
    # A period before the data: every view is left out, and the "no data" slide says so.
    early = replace(filters, start=date(2001, 1, 1), end=date(2001, 1, 31))
    slides, left_out = deck_slides(
        demo_ds, early, plan_views(demo_ds, early, keep=FEW.__contains__)
    )
    assert left_out
    assert any(data_as_of(demo_ds) in text for s in slides for text in s.after)


def test_the_status_carries_the_line(demo_dir) -> None:
    status = data_status(Store(demo_dir))
    assert status["as_of"] and status["as_of"].startswith("Data pr.:")
