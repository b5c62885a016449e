"""Where Denmark is, in the two coordinate systems Danish data comes in.

Used to tell lon/lat from UTM numbers, to spot swapped coordinates and points abroad.
The boxes are generous (they include Bornholm, Ertholmene and coastal waters).
"""

from __future__ import annotations

import re

import numpy as np

LON_RANGE = (7.5, 15.5)
LAT_RANGE = (54.3, 58.0)
EASTING_RANGE = (420_000.0, 900_000.0)  # EPSG:25832, Bornholm reaches ~ 890 000
NORTHING_RANGE = (6_020_000.0, 6_430_000.0)


def _within(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    values = np.asarray(values, dtype="float64")
    return (values >= bounds[0]) & (values <= bounds[1])


def lonlat_in_denmark(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    return _within(lon, LON_RANGE) & _within(lat, LAT_RANGE)


def utm_in_denmark(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return _within(x, EASTING_RANGE) & _within(y, NORTHING_RANGE)


def looks_like_utm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Pairs that are UTM numbers in either order (metres, not degrees)."""
    return utm_in_denmark(a, b) | utm_in_denmark(b, a)


_KOMMUNE_CODE = re.compile(r"\d{1,4}")


def normal_kommune_code(value: object) -> str | None:
    """A kommune code as four digits ('851' or 851 → '0851'), or None when it is not one.

    Excel and TOML integers drop the leading zero, so one to four digits are accepted; the
    callers turn None into an error that names their own file or option.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None
    cleaned = str(value).strip()
    return cleaned.zfill(4) if _KOMMUNE_CODE.fullmatch(cleaned) else None
