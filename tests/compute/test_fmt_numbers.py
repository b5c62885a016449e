"""fmt.numbers writes a column as fmt.number writes each value (the fast path of big tables)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tryg_geo import fmt

VALUES = [
    0,
    -0.0,
    -0.001,
    0.004,
    -0.005,
    1234.5,
    -1234.5678,
    1e9,
    None,
    float("nan"),
    float("inf"),
    -float("inf"),
    3,
    -3,
    2.675,
    0.125,
    12345678,
]


@pytest.mark.parametrize("decimals", [0, 1, 2, 4])
def test_numbers_are_number_of_each_value(decimals: int) -> None:
    assert fmt.numbers(VALUES, decimals) == [fmt.number(v, decimals) for v in VALUES]


def test_numbers_of_columns_as_pages_have_them() -> None:
    """Int64 with a missing value, int64 and float columns; Danish marks and a real minus."""
    assert fmt.numbers(pd.Series([1, pd.NA, 1200], dtype="Int64")) == ["1", "–", "1.200"]
    assert fmt.numbers(pd.Series([-0.0001, -2.5], dtype="float64"), 2) == ["0,00", "−2,50"]
    random = np.random.default_rng(7).normal(0, 2000, 500)
    assert fmt.numbers(random, 2) == [fmt.number(v, 2) for v in random.tolist()]
    assert fmt.numbers([]) == []
