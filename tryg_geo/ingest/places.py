"""Loading places (steder): squares, parks, harbour fronts, nightlife zones and the like.

A place is a point, a line or a polygon (or several of one kind) with an id, a name and a kind
(free text such as torv, plads, park, havnefront, nattelivszone or vand, stored in lower case).
The row checks are those of the districts (:mod:`tryg_geo.ingest.feature_rows`): id, geometry present, of an
allowed type and inside Denmark, invalid geometries repaired. Rows sharing an id are one place
whose geometries are united; a row whose geometry type differs from the place's first row
(a point and a polygon under one id) is rejected, because a place has one shape.

The result is in EPSG:25832 with exactly the store's columns (``place_id``, ``name``, ``kind``,
``geometry``).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from ..store.schema import COLUMNS, STORE_CRS
from .feature_rows import (
    FeatureRows,
    Merged,
    check_geometries,
    check_ids,
    empty_frame,
    family_of,
    listing,
    merge_by_id,
    open_features,
    repaired_warning,
)
from .result import LoadResult

ROLES = ("id", "name", "kind")

#: Names of place files that :data:`tryg_geo.ingest.columns.ALIASES` does not know.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("stedkode", "stednr", "lokalitetsid"),
    "name": ("lokalitet", "lokalitetsnavn", "betegnelse", "titel"),
    "kind": ("kategori", "stedkategori", "zonetype", "anvendelse"),
}
WHAT = {"id": "sted-id (id)", "name": "stednavn", "kind": "stedtype"}
ID_EXPECTED = "et sted-id i hver række (fx 'gammeltorv' eller 12)"
#: Kind given to places whose row (or file) has none.
UNKNOWN_KIND = "ukendt"
FAMILIES = ("polygon", "line", "point")
_FAMILY_NOUNS = {"polygon": "en polygon", "line": "en linje", "point": "et punkt"}


def load_places(
    path: Path,
    *,
    columns: dict[str, str | None] | None = None,
    crs: str | None = None,
    layer: str | None = None,
) -> LoadResult:
    """Read and validate a place file.

    Parameters
    ----------
    path : GeoJSON, GeoPackage, Shapefile (.shp or .zip) or GeoParquet with points, lines or
        polygons.
    columns : role -> column name chosen by the user (roles: id, name, kind); other roles are
        found by their aliases. Without an id column the name is used as id.
    crs : coordinate system when the file declares none or declares a wrong one.
    layer : GeoPackage layer, or Shapefile in a zip with several.

    Returns
    -------
    LoadResult
        Kind ``"places"``: one row per place id in EPSG:25832, rejected rows with reasons,
        ``duplicates`` = rows merged into an earlier row with the same id.

    Raises
    ------
    UnusableFileError
        The file cannot be read at all or has no id (or name) column.
    UsageError
        Unknown column, layer or CRS given by the user.
    """
    features = open_features(
        path,
        roles=ROLES,
        columns=columns,
        crs=crs,
        layer=layer,
        extra_aliases=EXTRA_ALIASES,
        what=WHAT,
    )
    ids = check_ids(features, ID_EXPECTED)
    geoms, repaired = check_geometries(features, FAMILIES, "et sted", ids)
    _reject_mixed_shapes(features, ids, geoms)
    merged = merge_by_id(ids, geoms, features.kept())
    frame, warnings = _places_frame(features, merged)
    result = LoadResult(
        kind="places",
        file=features.file,
        frame=frame,
        rejected=features.rejections.frame(),
        rows_read=len(features.frame),
        duplicates=merged.extra_rows,
        warnings=features.warnings + repaired_warning(repaired, "steder") + warnings,
    )
    result.check_counts()
    return result


def _reject_mixed_shapes(features: FeatureRows, ids: np.ndarray, geoms: np.ndarray) -> None:
    """Reject rows whose geometry family differs from the first row with the same id."""
    positions = np.flatnonzero(features.kept())
    if len(positions) == 0:
        return
    rows = pd.DataFrame(
        {"id": ids[positions], "family": family_of(geoms[positions]), "position": positions}
    )
    first = rows.groupby("id", sort=False).first()
    rows["first_family"] = rows["id"].map(first["family"])
    rows["first_position"] = rows["id"].map(first["position"])
    column = features.frame.geometry.name
    types = np.array(["" if g is None else g.geom_type for g in geoms], dtype=object)
    for row in rows[rows["family"] != rows["first_family"]].itertuples():
        mask = np.zeros(len(geoms), dtype=bool)
        mask[row.position] = True
        features.reject(
            mask,
            column=column,
            values=types,
            reason="mixed_geometry_types",
            problem=(
                f"stedet '{row.id}' er {_FAMILY_NOUNS[row.first_family]} i objekt "
                f"{row.first_position + 1}, men her {_FAMILY_NOUNS[row.family]}"
            ),
            expected="samme slags geometri (punkt, linje eller polygon) i rækker med samme id",
        )


def _places_frame(features: FeatureRows, merged: Merged) -> tuple[gpd.GeoDataFrame, list[str]]:
    if len(merged.ids) == 0:
        return empty_frame(COLUMNS["places"], {}), []
    blank = np.full(len(features.frame), "", dtype=object)
    names = features.texts("name")
    kinds = features.texts("kind")
    first_names, differing_names = merged.first_value(names if names is not None else blank)
    first_kinds, differing_kinds = merged.first_value(
        np.array([_kind(k) for k in kinds], dtype=object) if kinds is not None else blank
    )
    unnamed = np.array([n is None for n in first_names])
    first_names[unnamed] = merged.ids[unnamed]
    kindless = np.array([k is None for k in first_kinds])
    first_kinds[kindless] = UNKNOWN_KIND
    frame = gpd.GeoDataFrame(
        {
            "place_id": pd.Series(merged.ids, dtype="str"),
            "name": pd.Series(first_names, dtype="str"),
            "kind": pd.Series(first_kinds, dtype="str"),
        },
        geometry=gpd.GeoSeries(merged.geoms, crs=STORE_CRS),
    )
    warnings = _warnings(features, merged, differing_names, differing_kinds, kindless)
    return frame[list(COLUMNS["places"])], warnings


def _kind(text: str) -> str:
    # "Natteliv  Zone" and "natteliv zone" are the same kind for every filter in the dashboard.
    return re.sub(r"\s+", " ", text).strip().lower()


def _warnings(
    features: FeatureRows,
    merged: Merged,
    differing_names: list[str],
    differing_kinds: list[str],
    kindless: np.ndarray,
) -> list[str]:
    warnings: list[str] = []
    rows, groups = merged.merged_summary()
    if groups:
        noun = "sted" if groups == 1 else "steder"
        warnings.append(
            f"{rows} rækker blev slået sammen til {groups} {noun}, fordi de har samme id. "
            "Navn og stedtype er taget fra stedets første række."
        )
    if differing_names:
        warnings.append(
            "Rækker med samme id har forskellige navne; det første navn er brugt for: "
            f"{listing(differing_names)}."
        )
    if differing_kinds:
        warnings.append(
            "Rækker med samme id har forskellige stedtyper; den første er brugt for: "
            f"{listing(differing_kinds)}."
        )
    if features.columns.get("kind") is None:
        warnings.append(
            f"Filen har ingen kolonne med stedtype (fx 'type', 'art' eller 'kind'); alle steder "
            f"har fået typen '{UNKNOWN_KIND}'. Angiv kolonnen med --kind-col, hvis der er en."
        )
    elif kindless.any():
        warnings.append(
            f"{int(kindless.sum())} steder har ingen stedtype og har fået typen "
            f"'{UNKNOWN_KIND}': {listing([str(i) for i in merged.ids[kindless]])}."
        )
    return warnings
