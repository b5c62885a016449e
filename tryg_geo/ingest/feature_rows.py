"""The row checks the district and place loaders share.

:class:`FeatureRows` and friends validate features row by row — ids, geometries, repairs,
merging rows that share an id — so districts and places follow exactly the same rules and
write the same messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from ..errors import UnusableFileError
from ..fmt import number
from ..geo.denmark import EASTING_RANGE, NORTHING_RANGE, utm_in_denmark
from ..store.schema import STORE_CRS
from .columns import find_columns, normalise, require
from .result import Rejections
from .vector_crs import CRS_EXAMPLES, crs_label
from .vector_read import read_vector

#: geometry family -> the geometry types that belong to it.
FAMILY_TYPES: dict[str, frozenset[str]] = {
    "polygon": frozenset({"Polygon", "MultiPolygon"}),
    "line": frozenset({"LineString", "MultiLineString", "LinearRing"}),
    "point": frozenset({"Point", "MultiPoint"}),
}
_TYPE_NAMES: dict[str, str] = {
    "Point": "et punkt (Point)",
    "MultiPoint": "flere punkter (MultiPoint)",
    "LineString": "en linje (LineString)",
    "LinearRing": "en ring (LinearRing)",
    "MultiLineString": "flere linjer (MultiLineString)",
    "Polygon": "en polygon (Polygon)",
    "MultiPolygon": "flere polygoner (MultiPolygon)",
    "GeometryCollection": "en blandet samling (GeometryCollection)",
}


def _metres(value: float) -> str:
    return number(value)  # the one Danish format: 6.020.000


_DENMARK_EXPECTED = (
    f"en geometri i Danmark (UTM 32N øst {_metres(EASTING_RANGE[0])}–"
    f"{_metres(EASTING_RANGE[1])}, nord {_metres(NORTHING_RANGE[0])}–"
    f"{_metres(NORTHING_RANGE[1])} meter)"
)

#: Rejections get a message naming their row and value; past this many per reason they share
#: one message (row and value stay in their own columns), so a huge bad file stays fast.
PER_ROW_MESSAGES = 500

#: reason codes of the vector loaders -> Danish explanation.
REASONS: dict[str, str] = {
    "missing_id": "id mangler",
    "missing_geometry": "geometrien mangler eller er tom",
    "wrong_geometry_type": "geometrien har en type, der ikke kan bruges her",
    "invalid_geometry": "geometrien er ugyldig og kan ikke repareres",
    "outside_denmark": "geometrien ligger helt eller delvis uden for Danmark",
}


@dataclass
class FeatureRows:
    """One vector file being validated row by row (feature number = row, counted from 1)."""

    file: str
    frame: gpd.GeoDataFrame
    columns: dict[str, str | None]
    warnings: list[str]
    rejections: Rejections = field(default_factory=Rejections)

    @property
    def rows(self) -> np.ndarray:
        return np.arange(1, len(self.frame) + 1)

    def kept(self) -> np.ndarray:
        """Boolean mask of the rows not rejected so far."""
        keep = np.ones(len(self.frame), dtype=bool)
        keep[list(self.rejections.positions)] = False
        return keep

    def texts(self, role: str) -> np.ndarray | None:
        """The column of ``role`` as stripped text ('' when missing), or None without column."""
        column = self.columns.get(role)
        return None if column is None else text_values(self.frame[column])

    def reject(
        self,
        mask: np.ndarray,
        *,
        column: str,
        values: np.ndarray | Sequence[object],
        reason: str,
        problem: str,
        expected: str,
    ) -> None:
        """Reject the rows where ``mask`` is true; each message names row, column and value."""
        positions = np.flatnonzero(np.asarray(mask, dtype=bool) & self.kept())
        values = np.asarray(values, dtype=object)
        rows = self.rows
        for position in positions[:PER_ROW_MESSAGES]:
            message = row_message(rows[position], column, values[position], problem, expected)
            self.rejections.add(
                [position],
                rows=rows[[position]],
                column=column,
                values=values[[position]],
                reason=reason,
                message=message,
            )
        rest = positions[PER_ROW_MESSAGES:]
        if len(rest):
            self.rejections.add(
                rest,
                rows=rows[rest],
                column=column,
                values=values[rest],
                reason=reason,
                message=f"{problem[0].upper()}{problem[1:]}; forventede {expected}.",
            )


def row_message(row: int, column: str, value: object, problem: str, expected: str) -> str:
    """A rejection message: ``Objekt 3, kolonnen 'id' = (tom): id mangler; forventede …``."""
    text = "" if value is None else str(value)
    shown = "(tom)" if text == "" else repr(text if len(text) <= 60 else text[:60] + "…")
    return f"Objekt {row}, kolonnen '{column}' = {shown}: {problem}; forventede {expected}."


def text_values(series: pd.Series) -> np.ndarray:
    """Cells as stripped text; '' for missing; whole floats without '.0' (ids read as 12.0)."""
    values = series.to_numpy(dtype=object, na_value=None)
    return np.array([_text(value) for value in values], dtype=object)


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def open_features(
    path: Path,
    *,
    roles: Sequence[str],
    columns: Mapping[str, str | None] | None,
    crs: str | None,
    layer: str | None,
    extra_aliases: Mapping[str, Sequence[str]],
    what: Mapping[str, str],
) -> FeatureRows:
    """Read ``path`` and find the columns of ``roles`` (``id`` is required).

    Columns are found by :func:`tryg_geo.ingest.columns.find_columns`, then by ``extra_aliases``
    (role -> more accepted names). Without an id column, the name column serves as id.

    Raises
    ------
    UnusableFileError
        The file cannot be read, or it has neither an id nor a name column.
    UsageError
        A column named in ``columns`` is not in the file, or a bad ``crs``/``layer``.
    """
    path = Path(path)
    frame, notes = read_vector(path, layer=layer, crs=crs)
    attributes = [c for c in frame.columns if c != frame.geometry.name]
    explicit = {role: col for role, col in (columns or {}).items() if role in roles and col}
    found = find_columns(attributes, roles, explicit, file=path.name)
    _extra_aliases(found, attributes, extra_aliases)
    if found.get("id") is None and found.get("name") is not None:
        found["id"] = found["name"]
        notes.append(
            f"Filen har ingen id-kolonne; navnene i '{found['name']}' bruges som id. "
            "Angiv en id-kolonne med --id-col, hvis der er en."
        )
    require(found, ["id"], file=path.name, columns=attributes, what=what)
    return FeatureRows(path.name, frame, found, notes)


def _extra_aliases(
    found: dict[str, str | None], columns: list[str], extra: Mapping[str, Sequence[str]]
) -> None:
    used = {c for c in found.values() if c}
    by_norm = {normalise(c): c for c in reversed(columns)}  # reversed: the first column wins
    for role, aliases in extra.items():
        if found.get(role) is not None:
            continue
        match = next(
            (by_norm[a] for a in map(normalise, aliases) if by_norm.get(a) not in (None, *used)),
            None,
        )
        if match is not None:
            found[role] = match
            used.add(match)


def check_ids(features: FeatureRows, expected: str) -> np.ndarray:
    """Ids as text; rows without one are rejected (reason ``missing_id``)."""
    column = features.columns["id"]
    ids = text_values(features.frame[column])
    features.reject(
        ids == "",
        column=column,
        values=ids,
        reason="missing_id",
        problem=REASONS["missing_id"],
        expected=expected,
    )
    return ids


def family_of(geoms: np.ndarray) -> np.ndarray:
    """'polygon', 'line', 'point' or '' (missing or a collection) for each geometry."""
    types = np.array(["" if g is None else g.geom_type for g in geoms], dtype=object)
    family = np.full(len(geoms), "", dtype=object)
    for name, members in FAMILY_TYPES.items():
        family[np.isin(types, list(members))] = name
    return family


def check_geometries(
    features: FeatureRows, families: Iterable[str], noun: str, ids: np.ndarray
) -> tuple[np.ndarray, list[str]]:
    """Validate, reproject and repair the geometries of rows not yet rejected.

    Rejects (in this order) ``missing_geometry``, ``wrong_geometry_type`` (family not in
    ``families``), ``outside_denmark`` and ``invalid_geometry`` (nothing of the right family
    left after :func:`shapely.make_valid`).

    Returns
    -------
    tuple[numpy.ndarray, list[str]]
        Geometries in EPSG:25832 (object array aligned with the rows; repaired where needed)
        and the ids of the rows whose geometry was repaired.
    """
    families = tuple(families)
    column = features.frame.geometry.name
    source = np.asarray(features.frame.geometry.values, dtype=object)
    wkt = np.array([_short_wkt(g) for g in source], dtype=object)
    missing = shapely.is_missing(source) | shapely.is_empty(source)
    features.reject(
        missing,
        column=column,
        values=wkt,
        reason="missing_geometry",
        problem=REASONS["missing_geometry"],
        expected=f"{noun} med geometri",
    )
    _reject_wrong_types(features, source, families, noun, column)
    projected = _to_store_crs(source, features.frame.crs, features.file)
    _reject_outside(features, projected, wkt, column)
    repaired = _repair(features, projected, ids, wkt, column)
    return projected, repaired


def _short_wkt(geom: object) -> str:
    if geom is None:
        return ""
    text = shapely.to_wkt(geom, rounding_precision=6, trim=True)
    return text if len(text) <= 120 else text[:120] + "…"


def _reject_wrong_types(
    features: FeatureRows, source: np.ndarray, families: tuple[str, ...], noun: str, column: str
) -> None:
    allowed = set().union(*(FAMILY_TYPES[f] for f in families))
    types = np.array(["" if g is None else g.geom_type for g in source], dtype=object)
    wrong = (types != "") & ~np.isin(types, list(allowed))
    expected = " eller ".join(sorted({_FAMILY_NAMES[f] for f in families}))
    for name in sorted(set(types[wrong])):
        features.reject(
            wrong & (types == name),
            column=column,
            values=types,
            reason="wrong_geometry_type",
            problem=f"geometrien er {_TYPE_NAMES.get(name, name)}",
            expected=f"{noun} som {expected}",
        )


_FAMILY_NAMES = {
    "polygon": "polygon (Polygon/MultiPolygon)",
    "line": "linje (LineString/MultiLineString)",
    "point": "punkt (Point/MultiPoint)",
}


def _to_store_crs(source: np.ndarray, crs: CRS | None, name: str) -> np.ndarray:
    series = gpd.GeoSeries(source, crs=crs)
    if crs is not None and not CRS.from_user_input(crs).equals(CRS.from_user_input(STORE_CRS)):
        try:
            series = series.to_crs(STORE_CRS)
        except (CRSError, RuntimeError, ValueError) as exc:  # pyproj's ProjError: RuntimeError
            raise UnusableFileError(
                f"{name}: koordinaterne kan ikke omregnes fra {crs_label(crs)} til EPSG:25832 "
                f"({exc}). Forventede et koordinatsystem for Danmark — angiv det med --crs, "
                f"fx {CRS_EXAMPLES}.",
                file=name,
                expected="et koordinatsystem, der kan omregnes til EPSG:25832",
            ) from None
    return np.asarray(series.values, dtype=object)


def _reject_outside(
    features: FeatureRows, projected: np.ndarray, wkt: np.ndarray, column: str
) -> None:
    bounds = shapely.bounds(projected)
    with np.errstate(invalid="ignore"):
        inside = utm_in_denmark(bounds[:, 0], bounds[:, 1]) & utm_in_denmark(
            bounds[:, 2], bounds[:, 3]
        )
    features.reject(
        ~inside,
        column=column,
        values=wkt,
        reason="outside_denmark",
        problem=REASONS["outside_denmark"],
        expected=_DENMARK_EXPECTED,
    )


def _repair(
    features: FeatureRows, projected: np.ndarray, ids: np.ndarray, wkt: np.ndarray, column: str
) -> list[str]:
    todo = np.flatnonzero(features.kept() & ~shapely.is_valid(projected))
    family = family_of(projected)
    repaired: list[str] = []
    for position in todo:
        geom = projected[position]
        fixed = keep_family(_make_valid(geom, family[position]), family[position])
        if fixed is None:
            mask = np.zeros(len(projected), dtype=bool)
            mask[position] = True
            features.reject(
                mask,
                column=column,
                values=wkt,
                reason="invalid_geometry",
                problem=f"{REASONS['invalid_geometry']} ({shapely.is_valid_reason(geom)}; "
                "fx en polygon uden areal)",
                expected="en gyldig geometri",
            )
            continue
        projected[position] = fixed
        repaired.append(str(ids[position]))
    return list(dict.fromkeys(repaired))


def _make_valid(geom: shapely.Geometry, family: str) -> shapely.Geometry:
    # "structure" treats overlapping rings as a union (what the drawer meant), and drops
    # parts that collapse to lines instead of keeping them.
    if family == "polygon":
        return shapely.make_valid(geom, method="structure", keep_collapsed=False)
    return shapely.make_valid(geom)


def keep_family(geom: shapely.Geometry, family: str) -> shapely.Geometry | None:
    """The parts of ``geom`` of ``family`` as one geometry (None when there are none)."""
    single = {"polygon": "Polygon", "line": "LineString", "point": "Point"}.get(family)
    parts = [p for p in _flatten(geom) if p.geom_type == single and not p.is_empty]
    if not parts:
        return None
    if len(parts) == 1:
        return parts[0]
    if family == "polygon":
        return shapely.union_all(parts)
    if family == "line":
        return shapely.MultiLineString(parts)
    return shapely.MultiPoint(parts)


def _flatten(geom: shapely.Geometry) -> list[shapely.Geometry]:
    if geom is None or geom.is_empty:
        return []
    if hasattr(geom, "geoms"):
        return [part for sub in geom.geoms for part in _flatten(sub)]
    return [geom]


@dataclass
class Merged:
    """Accepted rows grouped by id (in order of first appearance)."""

    ids: np.ndarray  # one per group
    geoms: np.ndarray  # union of each group's geometries
    first: np.ndarray  # row position of each group's first row
    codes: np.ndarray  # group of each accepted row
    positions: np.ndarray  # row position of each accepted row

    @property
    def extra_rows(self) -> int:
        """Rows folded into an earlier row with the same id (the loaders' ``duplicates``)."""
        return len(self.positions) - len(self.ids)

    def merged_summary(self) -> tuple[int, int]:
        """(rows in groups of more than one row, number of such groups)."""
        counts = np.bincount(self.codes, minlength=len(self.ids))
        return int(counts[counts > 1].sum()), int((counts > 1).sum())

    def first_value(self, values: np.ndarray) -> tuple[np.ndarray, list[str]]:
        """First non-empty value of ``values`` (aligned with all rows) per group.

        Returns the values and the ids of groups whose rows disagree.
        """
        frame = pd.DataFrame(
            {"code": self.codes, "value": pd.Series(values[self.positions], dtype=object)}
        )
        frame = frame[frame["value"].map(lambda v: bool(pd.notna(v)) and v != "")]
        grouped = frame.groupby("code", sort=True)["value"]
        first = np.full(len(self.ids), None, dtype=object)
        taken = grouped.first()
        first[taken.index.to_numpy()] = taken.to_numpy()
        counts = grouped.nunique()
        differing = [str(self.ids[code]) for code in counts.index[counts.to_numpy() > 1]]
        return first, differing


def merge_by_id(ids: np.ndarray, geoms: np.ndarray, keep: np.ndarray) -> Merged:
    """Group the kept rows by id and union each group's geometries (DAGI repeats an id per
    island)."""
    positions = np.flatnonzero(keep)
    codes, uniques = pd.factorize(pd.Series(ids[positions], dtype=object), sort=False)
    _, first_index = np.unique(codes, return_index=True)
    merged = np.array(geoms[positions][first_index], dtype=object)
    counts = np.bincount(codes, minlength=len(uniques))
    for code in np.flatnonzero(counts > 1):
        merged[code] = shapely.union_all(geoms[positions[codes == code]])
    return Merged(
        ids=np.asarray(uniques, dtype=object),
        geoms=merged,
        first=positions[first_index],
        codes=codes,
        positions=positions,
    )


def repaired_warning(repaired: list[str], noun_plural: str) -> list[str]:
    """Warning naming the ids whose geometry :func:`shapely.make_valid` repaired."""
    if not repaired:
        return []
    return [
        f"{len(repaired)} {noun_plural} havde en ugyldig geometri (fx en polygon, der krydser "
        f"sig selv) og blev repareret automatisk: {listing(repaired)}. Kontrollér dem på kortet."
    ]


def listing(items: Sequence[str], limit: int = 10) -> str:
    """``a, b, c og 7 flere`` — a short list for a warning."""
    items = list(items)
    shown = ", ".join(items[:limit])
    return shown + (f" og {len(items) - limit} flere" if len(items) > limit else "")


def empty_frame(columns: Sequence[str], dtypes: Mapping[str, str]) -> gpd.GeoDataFrame:
    """A frame with the store's columns and no rows, for a file whose every row was rejected."""
    data = {c: pd.Series(dtype=dtypes.get(c, "str")) for c in columns if c != "geometry"}
    return gpd.GeoDataFrame(data, geometry=gpd.GeoSeries([], crs=STORE_CRS), crs=STORE_CRS)
