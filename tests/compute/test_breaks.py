"""Legend words of map classes (tryg_geo.compute.breaks.member_entries)."""

from __future__ import annotations

import numpy as np

from tryg_geo import fmt
from tryg_geo.compute.breaks import member_entries


def words(values, classes, bins) -> list[str]:
    entries = member_entries(np.asarray(values), np.asarray(classes), bins, "oranges", fmt.number)
    return [text for _, text in entries]


def test_a_class_of_zero_and_larger_counts_never_spans_the_hidden_ones():
    """0 and 5–8 in one class, 1–4 hidden: the legend says '0 og 5 – 8', not '0 – 8'."""
    values = [0.0, 0.0, 5.0, 8.0, np.nan, 12.0, 20.0]
    assert words(values, [0, 0, 0, 0, -1, 1, 1], [8.0, 20.0]) == ["0 og 5 – 8", "12 – 20"]
    assert words([0.0, 3.0], [0, 1], [0.0, 3.0]) == ["0", "3"]
    assert words([0.0, 6.0], [0, 0], [6.0]) == ["0 og 6"]
