"""Loading districts (områder): the areas incidents and measurements are counted in.

Any vector format :func:`tryg_geo.ingest.vector_read.read_vector` reads will do: DAGI postal areas
(POSTNR_TXT, POSTBYNAVN) or municipalities (KOMKODE, KOMNAVN), or home-drawn city districts.

Rules, in the order they are applied:

* every row needs an id, a polygon geometry inside Denmark and — when there is a population
  column — a whole number ≥ 0 (or nothing) as population; other rows are rejected with a reason;
* invalid polygons (e.g. self-intersecting) are repaired with :func:`shapely.make_valid`, keeping
  the polygonal parts, and named in a warning;
* rows sharing an id are one district (DAGI puts every island on its own row): their polygons
  are united, and name and population come from the district's first row — the population is
  the district's, repeated on each row, so it is never summed;
* districts that overlap by more than :data:`OVERLAP_MIN_M2` are accepted with a warning.

The result is in EPSG:25832 with exactly the store's columns (``district_id``, ``name``,
``population``, ``geometry`` as MultiPolygon).
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..errors import UsageError
from ..fmt import number
from ..store.schema import COLUMNS, STORE_CRS
from .feature_rows import (
    FeatureRows,
    Merged,
    check_geometries,
    check_ids,
    empty_frame,
    listing,
    merge_by_id,
    open_features,
    repaired_warning,
    text_values,
)
from .kommune import Kommune, code_column, codes_by_id, keep_in_kommune, kommune_code, padded_code
from .parse import parse_numbers
from .result import LoadResult

ROLES = ("id", "name", "population", "group")

#: Names of real Danish boundary files that :data:`tryg_geo.ingest.columns.ALIASES` does not know.
EXTRA_ALIASES: dict[str, tuple[str, ...]] = {
    "id": (
        "postnummer",
        "kommunekode",
        "sognekode",
        "områdekode",
        "omraadekode",
        "distriktskode",
        "bydelskode",
        "bydelsnr",
    ),
    "name": ("kommunenavn", "sognenavn", "distriktsnavn", "bydelsnavn", "postdistrikt"),
    "population": ("befolkningstal", "indbyggertal", "borgere", "antalborgere"),
}
WHAT = {
    "id": "områdekode (id), fx POSTNR_TXT, KOMKODE eller id",
    "name": "områdenavn",
    "population": "indbyggertal",
    "group": "gruppe (områder, der sammenlignes med hinanden)",
}
ID_EXPECTED = "en områdekode i hver række (fx postnummer 9000 eller kommunekode 0851)"
POPULATION_EXPECTED = "et helt antal indbyggere ≥ 0 (eller et tomt felt)"

#: Overlaps smaller than this (m²) are digitising slivers along a shared border, not a problem.
#: 100 m² (10 × 10 m) is well above slivers and well below a real double-covered block.
OVERLAP_MIN_M2 = 100.0
#: More people than live in Denmark: a typo or a wrong column, not a district.
POPULATION_MAX = 10_000_000

# "12.345" in a count of people is Danish digit grouping, never twelve point three people.
_GROUPED = re.compile(r"^-?\d{1,3}(\.\d{3})+$")


def load_districts(
    path: Path,
    *,
    columns: dict[str, str | None] | None = None,
    crs: str | None = None,
    layer: str | None = None,
    kommune: Kommune | None = None,
) -> LoadResult:
    """Read and validate a district file.

    Parameters
    ----------
    path : GeoJSON, GeoPackage, Shapefile (.shp or .zip) or GeoParquet with polygons.
    columns : role -> column name chosen by the user (roles: id, name, population); other
        roles are found by their aliases. Without an id column the name is used as id.
    crs : coordinate system when the file declares none or declares a wrong one.
    layer : GeoPackage layer, or Shapefile in a zip with several.
    kommune : keep only the districts of this kommune (by the file's kommune code column, or
        else by the kommune's boundary; see :mod:`tryg_geo.ingest.kommune`).

    Returns
    -------
    LoadResult
        Kind ``"districts"``: one row per district id in EPSG:25832, rejected rows with their
        reasons, ``duplicates`` = rows merged into an earlier row with the same id.

    Raises
    ------
    UnusableFileError
        The file cannot be read at all or has no id (or name) column.
    UsageError
        Unknown column, layer or CRS given by the user; a kommune without a way to find its
        districts (no code column, no boundary).
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
    geoms, repaired = check_geometries(features, ("polygon",), "et område", ids)
    population = _check_population(features)
    merged = merge_by_id(ids, geoms, features.kept())
    frame, merge_warnings = _districts_frame(features, merged, population)
    result = LoadResult(
        kind="districts",
        file=features.file,
        frame=frame,
        rejected=features.rejections.frame(),
        rows_read=len(features.frame),
        duplicates=merged.extra_rows,
        warnings=features.warnings
        + repaired_warning(repaired, "områder")
        + merge_warnings
        + overlap_warnings(frame),
    )
    result.check_counts()
    if kommune is not None:
        column = code_column(features.frame.columns.drop(features.frame.geometry.name))
        codes = None
        if column is not None:
            codes = codes_by_id(ids, text_values(features.frame[column]), features.kept())
        return keep_in_kommune(result, kommune, codes=codes, column=column)
    return result


# ---- population -----------------------------------------------------------------------------
def _check_population(features: FeatureRows) -> np.ndarray:
    """Population per row (int, or None when empty); bad values are rejected."""
    text = features.texts("population")
    if text is None:
        return np.full(len(features.frame), None, dtype=object)
    column = features.columns["population"]
    grouped = np.array([bool(_GROUPED.match(t)) for t in text], dtype=bool)
    cleaned = np.where(grouped, [t.replace(".", "") for t in text], text)
    values, reasons, _ = parse_numbers(pd.Series(cleaned, dtype="str"))
    checks = (
        (reasons == "not_a_number", "not_a_number", "indbyggertallet er ikke et tal"),
        (reasons == "not_finite", "not_finite", "indbyggertallet er ikke et endeligt tal"),
        (values < 0, "negative_population", "indbyggertallet er negativt"),
        (values > POPULATION_MAX, "implausible_population", _TOO_MANY),
        (np.isfinite(values) & (values % 1 != 0), "not_whole_number", _NOT_WHOLE),
    )
    for mask, reason, problem in checks:
        features.reject(
            mask,
            column=column,
            values=text,
            reason=reason,
            problem=problem,
            expected=POPULATION_EXPECTED,
        )
    out = np.full(len(values), None, dtype=object)
    fine = np.isfinite(values)
    out[fine] = values[fine].astype(np.int64)
    return out


_TOO_MANY = f"indbyggertallet er større end {number(POPULATION_MAX)} (flere end i hele Danmark)"
_NOT_WHOLE = "indbyggertallet er ikke et helt tal"


# ---- one row per district -------------------------------------------------------------------
def _districts_frame(
    features: FeatureRows, merged: Merged, population: np.ndarray
) -> tuple[gpd.GeoDataFrame, list[str]]:
    if len(merged.ids) == 0:
        return empty_frame(COLUMNS["districts"], {"population": "Int64"}), []
    names = features.texts("name")
    names = names if names is not None else np.full(len(features.frame), "", dtype=object)
    first_names, differing_names = merged.first_value(names)
    first_population, differing_population = merged.first_value(population)
    unnamed = np.array([n is None for n in first_names])
    first_names[unnamed] = merged.ids[unnamed]
    frame = gpd.GeoDataFrame(
        {
            "district_id": pd.Series(merged.ids, dtype="str"),
            "name": pd.Series(first_names, dtype="str"),
            "population": pd.array(list(first_population), dtype="Int64"),
        },
        geometry=gpd.GeoSeries(as_multipolygons(merged.geoms), crs=STORE_CRS),
    )
    warnings = _merge_warnings(merged, differing_names, differing_population)
    if unnamed.any() and features.columns.get("name") is not None:
        warnings.append(
            f"{int(unnamed.sum())} områder har intet navn; deres id bruges som navn: "
            f"{listing([str(i) for i in merged.ids[unnamed]])}."
        )
    frame = frame[list(COLUMNS["districts"])].copy()
    groups = features.texts("group")
    if groups is not None:  # optional: the yardstick's "districts most like it"
        first_groups, _ = merged.first_value(groups)
        frame["group"] = pd.Series(
            [g or None for g in first_groups], index=frame.index, dtype="string"
        )
    return frame, warnings


def as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Every geometry as a MultiPolygon (the store keeps one geometry type per column)."""
    return np.array(
        [g if g.geom_type == "MultiPolygon" else shapely.MultiPolygon([g]) for g in geoms],
        dtype=object,
    )


def _merge_warnings(
    merged: Merged, differing_names: list[str], differing_population: list[str]
) -> list[str]:
    rows, groups = merged.merged_summary()
    warnings: list[str] = []
    if groups:
        noun = "område" if groups == 1 else "områder"
        warnings.append(
            f"{rows} rækker blev slået sammen til {groups} {noun}, fordi de har samme id "
            "(fx øer, der ligger på hver sin række). Navn og indbyggertal er taget fra "
            "områdets første række; indbyggertal lægges ikke sammen."
        )
    if differing_names:
        warnings.append(
            "Rækker med samme id har forskellige navne; det første navn er brugt for: "
            f"{listing(differing_names)}."
        )
    if differing_population:
        warnings.append(
            "Rækker med samme id har forskellige indbyggertal; det første er brugt (tallene "
            f"lægges ikke sammen) for: {listing(differing_population)}."
        )
    return warnings


# ---- overlaps -------------------------------------------------------------------------------
def overlapping_pairs(frame: gpd.GeoDataFrame) -> list[tuple[str, str, float]]:
    """Pairs of districts whose interiors overlap by more than :data:`OVERLAP_MIN_M2`.

    Returns ``(id, id, area in m²)``, largest overlap first.
    """
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if len(geoms) < 2:
        return []
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pair = left < right
    left, right = left[pair], right[pair]
    # Neighbours share a border; only interiors that meet are an overlap (cheap test first).
    inner = shapely.relate_pattern(geoms[left], geoms[right], "T********")
    left, right = left[inner], right[inner]
    area = shapely.area(shapely.intersection(geoms[left], geoms[right]))
    ids = frame["district_id"].astype(str).to_numpy()
    order = np.argsort(-area, kind="stable")
    return [
        (str(ids[left[i]]), str(ids[right[i]]), float(area[i]))
        for i in order
        if area[i] > OVERLAP_MIN_M2
    ]


def overlap_warnings(frame: gpd.GeoDataFrame) -> list[str]:
    """A warning naming the overlapping districts (empty when none overlap)."""
    pairs = overlapping_pairs(frame)
    if not pairs:
        return []
    shown = [f"{a} og {b} ({_area_text(area)})" for a, b, area in pairs]
    return [
        f"{len(pairs)} par af områder overlapper hinanden (mere end {OVERLAP_MIN_M2:.0f} m²): "
        f"{listing(shown)}. En hændelse i et overlap tælles kun i ét af områderne (det med "
        "den laveste id)."
    ]


def _area_text(m2: float) -> str:
    if m2 < 10_000:
        return f"{number(m2)} m²"
    if m2 < 1_000_000:
        return f"{number(m2 / 10_000, 1)} ha"
    return f"{number(m2 / 1_000_000, 2)} km²"


def read_kommune(code: str, boundary_file: str | Path | None = None) -> Kommune:
    """The kommune ``code``, with its boundary from ``boundary_file`` when one is given.

    Raises
    ------
    UsageError
        An invalid code, or a boundary file without that kommune.
    UnusableFileError
        The boundary file cannot be read as areas.
    """
    code = kommune_code(code)
    if boundary_file is None:
        return Kommune(code)
    path = Path(boundary_file)
    areas = load_districts(path).frame  # DAGI's rows per island are united by KOMKODE
    ids = areas["district_id"].astype(str).map(padded_code)
    match = areas[ids == code]
    if match.empty:
        raise UsageError(
            f"--kommune-fil {path.name}: kommunekode {code} findes ikke i filen; dens koder er "
            f"fx {', '.join(sorted(ids)[:5])}. Angiv en fil med kommunegrænser (DAGI's "
            "kommuner.geojson) og en kode fra den."
        )
    row = match.iloc[0]
    return Kommune(code, row.geometry, str(row["name"] or ""), path.name)
