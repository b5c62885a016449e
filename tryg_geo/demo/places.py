"""Demo places: torve, pladser, parks, the havnefront and the nattelivszone around Jomfru Ane Gade."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from ..store.schema import STORE_CRS
from .common import to_utm
from .districts import fjord_edges, kommune_outline, limfjord

#: Small squares and parks: (place_id, name, kind, lon, lat, width m, height m).
_SMALL_PLACES: tuple[tuple[str, str, str, float, float, float, float], ...] = (
    ("nytorv", "Nytorv", "torv", 9.9214, 57.0486, 70, 45),
    ("gammeltorv", "Gammeltorv", "torv", 9.9180, 57.0494, 55, 40),
    ("cw-obels-plads", "C.W. Obels Plads", "plads", 9.9197, 57.0477, 50, 40),
    ("jf-kennedys-plads", "J.F. Kennedys Plads", "plads", 9.9177, 57.0429, 90, 60),
    ("kildeparken", "Kildeparken", "park", 9.9140, 57.0443, 300, 200),
)
#: The nattelivszone around Jomfru Ane Gade: centre and size in metres (the street runs E-W).
JOMFRU_ANE_GADE = (9.9182, 57.0510)
_ZONE_SIZE = (340.0, 160.0)
#: The southern quay (Havnefronten) from Vestbyen to the east harbour, just inside the bank.
_QUAY_LON = (9.900, 9.950)
_QUAY_SETBACK, _QUAY_HALF_WIDTH = 45.0, 30.0


def _box_around(lon: float, lat: float, width: float, height: float) -> shapely.Polygon:
    x, y = to_utm(lon, lat)
    return shapely.box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def havnefront_line() -> shapely.LineString:
    """The southern quay as a line a little south of the fjord's south bank (EPSG:25832)."""
    _, _, south = fjord_edges()
    x0, x1 = to_utm(np.array(_QUAY_LON), np.array([57.05, 57.05]))[0]
    x = np.linspace(x0, x1, 26)
    # The bank is piecewise linear in x, so interpolating its vertices follows it exactly.
    y = np.interp(x, south[:, 0], south[:, 1]) - _QUAY_SETBACK
    return shapely.LineString(np.column_stack([x, y]))


def make_places() -> gpd.GeoDataFrame:
    """The demo places as stored: place_id, name, kind and a polygon in EPSG:25832."""
    rows = [
        (pid, name, kind, _box_around(lon, lat, w, h))
        for pid, name, kind, lon, lat, w, h in _SMALL_PLACES
    ]
    rows.append(
        (
            "jomfru-ane-gade",
            "Jomfru Ane Gade nattelivszone",
            "nattelivszone",
            _box_around(*JOMFRU_ANE_GADE, *_ZONE_SIZE),
        )
    )
    quay = shapely.buffer(havnefront_line(), _QUAY_HALF_WIDTH, cap_style="flat")
    rows.append(("havnefronten", "Havnefronten", "havnefront", quay))
    # The fjord is drawn for orientation when there is no basemap; only the part near the kommune.
    frame = shapely.envelope(kommune_outline()).buffer(3_000)
    rows.append(("limfjorden", "Limfjorden", "vand", shapely.intersection(limfjord(), frame)))
    ids, names, kinds, geometry = zip(*rows, strict=True)
    return gpd.GeoDataFrame(
        {"place_id": list(ids), "name": list(names), "kind": list(kinds)},
        geometry=list(geometry),
        crs=STORE_CRS,
    )
