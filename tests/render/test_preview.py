"""The small map of a dry run (tryg_geo.render.preview)."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import tiny_data
from PIL import Image

from tryg_geo.render.preview import preview_png


def _size(png: bytes) -> tuple[int, int]:
    return Image.open(io.BytesIO(png)).size


def test_districts_are_drawn_as_outlines() -> None:
    png = preview_png("districts", tiny_data.districts())
    assert png is not None and _size(png) == (500, 400)


def test_incidents_only_as_squares_and_measurements_not_at_all() -> None:
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "x": tiny_data.X0 + rng.uniform(0, 3000, 200),
            "y": tiny_data.Y0 + rng.uniform(0, 1000, 200),
        }
    )
    png = preview_png("incidents", frame, tiny_data.districts())
    assert png is not None and _size(png) == (500, 400)
    assert preview_png("measurements", frame) is None
    assert preview_png("incidents", frame.iloc[:0]) is None
