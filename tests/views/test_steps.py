"""The time slider's stepped maps: one pass per step and cell, one colour scale across all steps,
discretion per step and cell, the view's own selection."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from tryg_geo.compute.breaks import SUPPRESSED_COLOR, colours
from tryg_geo.compute.counts import by_cell, category_mask, combine, night_mask, period_mask
from tryg_geo.compute.privacy import small
from tryg_geo.compute.steps import check_step, step_counts
from tryg_geo.errors import UsageError
from tryg_geo.views.alt_text import view_map_text
from tryg_geo.views.analyse import analyse_categories
from tryg_geo.views.natteliv import PALETTE, zone_indicator
from tryg_geo.views.registry import default_filters
from tryg_geo.views.steps import SHARED_SCALE, step_view, stepped_maps


@pytest.fixture(scope="module")
def filters(demo_ds):
    return default_filters(demo_ds, {"preset": "all"}).with_(cell="250m")


def _night_mask(ds, filters):
    categories = [c for c in zone_indicator().categories if c in ds.categories]
    arrays = ds.arrays
    return combine(
        period_mask(arrays, filters.start, filters.end),
        category_mask(arrays, categories),
        night_mask(arrays, filters.nights, filters.night_start, filters.night_end),
    )


@pytest.mark.parametrize("step", ["month", "quarter", "year"])
def test_one_pass_gives_each_steps_own_count(demo_ds, filters, step):
    """Every step's row is what counting that step's dates alone gives (``by_cell``)."""
    mask = _night_mask(demo_ds, filters)
    counted = step_counts(demo_ds.arrays, mask, "250m", filters.start, filters.end, step)
    assert counted.counts.sum() == int((mask & (demo_ds.arrays.cell >= 0)).sum())
    for row, period in list(enumerate(counted.periods))[:: max(1, len(counted.periods) // 6)]:
        first = date(period.year, period.first_month, 1)
        last = (np.datetime64(first, "M") + period.months).astype("datetime64[D]") - 1
        alone = by_cell(
            demo_ds.arrays,
            mask & period_mask(demo_ds.arrays, first, last.astype(object)),
            "250m",
        )
        got = dict(zip(counted.cells, counted.counts[row], strict=True))
        assert {c: v for c, v in got.items() if v} == alone.to_dict(), period
    # Only the window's first and last steps can be cut by the dates.
    assert not any(counted.partial[1:-1])
    first = counted.periods[0]
    assert counted.partial[0] == (filters.start != date(first.year, first.first_month, 1))


def test_steps_share_one_colour_scale(demo_ds, filters):
    stepped = stepped_maps(demo_ds, "natteliv", filters, "year")
    assert len(stepped) >= 8 and stepped.bins
    legends, checked = set(), 0
    ramp = colours(np.arange(len(stepped.bins)), PALETTE, len(stepped.bins))
    for index in range(len(stepped)):
        spec = step_view(demo_ds, stepped, index).map
        assert SHARED_SCALE in spec.legend.title
        legends.add(tuple(spec.legend.entries))
        shown = spec.features[spec.features["color"] != SUPPRESSED_COLOR]
        for colour, label in zip(shown["color"], shown["label"], strict=True):
            if label.endswith(" hændelser") and label.split()[0].isdigit():
                count = int(label.split()[0])
                # The class that holds this count on the shared legend has this colour.
                (cls,) = [i for i, b in enumerate(stepped.bins) if count <= b][:1]
                assert colour == ramp[cls], (index, label)
                checked += 1
    # The test demo's night cells are mostly small: a step shows one or two cells.
    assert checked > 10
    assert len(legends) == 1  # one legend for every step: same breaks, same colours


def test_discretion_per_step_and_cell(demo_ds, filters, monkeypatch):
    monkeypatch.setenv("TRYG_MIN_COUNT", "7")
    stepped = stepped_maps(demo_ds, "natteliv", filters, "quarter")
    assert stepped.hidden.any()
    for row, hidden in zip(stepped.counts.counts, stepped.hidden, strict=True):
        assert hidden[small(row, 7)].all()  # every small count hidden
        if hidden.any():  # never one hidden cell alone beside a shown step total
            assert hidden.sum() >= 2 and not small([row[hidden].sum()], 7)[0]
    for index in range(len(stepped)):
        view = step_view(demo_ds, stepped, index)
        shown = view.table["incidents"].dropna().astype(float)
        assert (shown >= 7).all()
        words = view_map_text(view)
        assert "<7" in words or not view.table["suppressed"].any()
        labels = view.map.features["label"]
        assert not labels.str.fullmatch(r"[1-6] hændelser").any()


def test_analyse_counts_its_analysed_selection(demo_ds, filters):
    stepped = stepped_maps(demo_ds, "analyse", filters, "year")
    arrays = demo_ds.arrays
    mask = combine(
        period_mask(arrays, filters.start, filters.end),
        category_mask(arrays, analyse_categories(demo_ds, filters)),
        arrays.district >= 0,
    )
    assert stepped.counts.counts.sum() == int((mask & (arrays.cell >= 0)).sum())
    assert stepped.labels[-1] == str(filters.end.year)


def test_one_check_of_a_step_names_the_argument_the_value_and_the_steps():
    """compute.steps.check_step is the one check (Python, CLI, emerging hot spots): its error
    names the argument as the caller spells it, the value given and every step allowed."""
    assert check_step("month") == "month"
    with pytest.raises(
        UsageError, match=r"^step='uge' er ikke tilladt; vælg month, quarter eller year\.$"
    ):
        check_step("uge")
    with pytest.raises(
        UsageError, match=r"^--step 'Kvartal' er ikke tilladt; vælg month, quarter eller year\.$"
    ):
        check_step("Kvartal", "--step")


def test_views_and_steps_are_checked(demo_ds, filters):
    with pytest.raises(UsageError, match="overblik"):
        stepped_maps(demo_ds, "overblik", filters, "year")
    with pytest.raises(
        UsageError, match=r"^--step 'uge' er ikke tilladt; vælg month, quarter eller"
    ):
        stepped_maps(demo_ds, "natteliv", filters, "uge")
    stepped = stepped_maps(demo_ds, "natteliv", filters, "year")
    with pytest.raises(UsageError, match="trin=99"):
        step_view(demo_ds, stepped, 99)
