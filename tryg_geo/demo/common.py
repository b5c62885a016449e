"""What every demo generator shares: the seed, the "Demodata" warning, the demo's calendar and
the projection to the store's coordinate system.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from pyproj import Transformer

from ..store.schema import STORE_CRS

DEFAULT_SEED = 20180530  # Tryg Aalborg was founded on 30 May 2018
DEMO_WARNING = "Demodata"
FIRST_DAY = "2015-01-01"
LAST_DAY = "2025-12-31"  # "now" for the demo: nothing is later than the end of 2025
SURVEY_YEARS = range(2015, 2026)
#: Initiative numbers start after Tryg Aalborg was founded (May 2018).
ACTIVITY_START = pd.Timestamp("2018-07-01")
SOURCE = "Nordjyllands Politi"

_TO_UTM = Transformer.from_crs("EPSG:4326", STORE_CRS, always_xy=True)


def to_utm(lon: Any, lat: Any) -> tuple[np.ndarray, np.ndarray]:
    """Lon/lat (WGS84 degrees) to EPSG:25832 metres."""
    x, y = _TO_UTM.transform(np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"))
    return np.asarray(x), np.asarray(y)
