"""Loading incidents (hændelser): police exports as CSV, XLSX or GeoJSON/GPKG points.

Every row is accepted or rejected with a reason; accepted rows get their district, DDKN cell,
local time, hour and weekday here, once, so the dashboard never recomputes them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError

from ..errors import ColumnError, UsageError
from ..fmt import number, short_number
from ..geo.denmark import (
    EASTING_RANGE,
    LAT_RANGE,
    LON_RANGE,
    NORTHING_RANGE,
    lonlat_in_denmark,
    looks_like_utm,
    utm_in_denmark,
)
from ..geo.enrich import enrich_incidents, outside_count
from ..store.schema import STORE_CRS
from .columns import cli_advice, find_columns
from .detect_content import content_fit
from .formats import VECTOR_FORMATS
from .parse import explain, parse_datetimes, parse_numbers
from .result import LoadResult, Rejections, reject_cases, reject_reasons, reject_where
from .tables import Table, is_table_file, read_table

ROLES = ("datetime", "time", "category", "lat", "lon", "x", "y", "id", "source", "initiative")
_LATLON_EXPECTED = (
    f"breddegrad {short_number(LAT_RANGE[0])}–{short_number(LAT_RANGE[1])} og længdegrad "
    f"{short_number(LON_RANGE[0])}–{short_number(LON_RANGE[1])} (WGS84, grader)"
)
_XY_EXPECTED = (
    f"øst {number(EASTING_RANGE[0])}–{number(EASTING_RANGE[1])} og nord "
    f"{number(NORTHING_RANGE[0])}–{number(NORTHING_RANGE[1])} (EPSG:25832, meter)"
)


def load_incidents(
    path: Path,
    *,
    columns: dict[str, str | None] | None = None,
    crs: str | None = None,
    layer: str | None = None,
    districts: gpd.GeoDataFrame | None = None,
    now: datetime | None = None,
) -> LoadResult:
    """Read, validate and enrich an incident file.

    Parameters
    ----------
    path : CSV, XLSX, GeoJSON or GeoPackage file.
    columns : role -> column name chosen by the user (roles: datetime, time, category, lat,
        lon, x, y, id, source, initiative); other roles are found by their aliases.
    crs : CRS of x/y columns (default EPSG:25832); lat/lon is always WGS84.
    layer : sheet (XLSX) or layer (GeoPackage).
    districts : stored districts, to give each incident its district id.
    now : the moment after which dates count as future (default: now).

    Returns
    -------
    LoadResult
        Accepted incidents in the store's columns, rejected rows with reasons and the counts.
    """
    path = Path(path)
    table = read_incident_table(path, columns, crs, layer)
    found = find_columns(
        table.frame.columns,
        ROLES,
        columns,
        file=path.name,
        kind="incidents",
        fit=content_fit(table.frame),
    )
    _require_columns(found, table.frame.columns, path.name)
    rejections = Rejections()
    times, notes = _check_times(table, found, rejections, now)
    category = _check_category(table, found, rejections)
    x, y = _check_coordinates(table, found, rejections, crs, notes)
    ids, duplicates = _check_ids(table, found, rejections)
    keep = np.ones(len(table.frame), dtype=bool)
    keep[list(rejections.positions)] = False
    keep &= ~duplicates
    frame = pd.DataFrame(
        {
            "incident_id": ids[keep],
            "time": times[keep],
            "category": category[keep],
            "x": x[keep],
            "y": y[keep],
            "source": _optional(table, found, "source")[keep],
            "initiative": _optional(table, found, "initiative")[keep],
        }
    )
    enriched = enrich_incidents(frame, districts)
    warnings = table.notes + notes + _district_warnings(enriched, districts)
    result = LoadResult(
        kind="incidents",
        file=path.name,
        frame=enriched,
        rejected=table.with_bad_rows(rejections.frame()),
        rows_read=table.rows_read,
        duplicates=int(duplicates.sum()),
        outside_districts=outside_count(enriched),
        warnings=warnings,
        id_column=found.get("id"),
    )
    result.check_counts()
    return result


# ---- reading --------------------------------------------------------------------------------
def read_incident_table(
    path: Path, columns, crs: str | None, layer: str | None, *, max_rows: int | None = None
) -> Table:
    """An incident file as a :class:`Table`: CSV/XLSX as read, a vector file's points as x/y.
    (Also the import wizard's preview reads with it; ``max_rows`` limits a CSV's rows.)"""
    if is_table_file(path) or path.suffix.lower() not in VECTOR_FORMATS:
        return read_table(path, ROLES, sheet=layer, max_rows=max_rows)
    return _points_as_table(path, crs, layer)


def _points_as_table(path: Path, crs: str | None, layer: str | None) -> Table:
    from .vector_read import read_vector  # vector formats need GDAL; CSV users never pay for it

    gdf, notes = read_vector(path, layer=layer, crs=crs)
    geoms = gdf.geometry
    is_point = (geoms.geom_type == "Point").to_numpy()
    # Points become x/y text columns in EPSG:25832, so one validation path serves all formats.
    projected = geoms.to_crs(STORE_CRS) if gdf.crs is not None else geoms
    x = np.where(is_point, projected.x.where(is_point), np.nan) if len(gdf) else np.array([])
    y = np.where(is_point, projected.y.where(is_point), np.nan) if len(gdf) else np.array([])
    frame = pd.DataFrame(gdf.drop(columns=gdf.geometry.name)).astype(str)
    frame = frame.replace({"None": "", "nan": "", "NaT": ""})
    frame["x"] = pd.Series(x).map(lambda v: "" if np.isnan(v) else repr(float(v))).to_numpy()
    frame["y"] = pd.Series(y).map(lambda v: "" if np.isnan(v) else repr(float(v))).to_numpy()
    if (~is_point).any():
        notes.append(
            f"{int((~is_point).sum())} objekter er ikke punkter og mangler derfor koordinater."
        )
    return Table(frame, pd.Series(range(1, len(frame) + 1)), notes)


def _require_columns(found: dict, columns, name: str) -> None:
    listed = ", ".join(map(str, columns))
    needed = (
        ("datetime", "tidspunkt eller dato (fx 'dato', 'tidspunkt', 'date')", "dato"),
        ("category", "kategori (fx 'kategori', 'category', 'overtrædelse')", "kategori"),
    )
    for role, what, column in needed:
        if found.get(role) is None:
            raise ColumnError(
                f"{name}: der mangler en kolonne med {what}; {{advice}}. "
                f"Filens kolonner er: {listed}.",
                roles=(role,),
                cli_advice=cli_advice((role,)),
                file=name,
                column=column,
                expected=column if role == "category" else "dato eller tidspunkt",
            )
    has_latlon = found.get("lat") and found.get("lon")
    has_xy = found.get("x") and found.get("y")
    if not (has_latlon or has_xy):
        raise ColumnError(
            f"{name}: der mangler koordinater — enten 'lat' og 'lon' (WGS84) eller 'x' og 'y' "
            f"(EPSG:25832); {{advice}}. Filens kolonner er: {listed}.",
            roles=_missing_pair(found),
            cli_advice="angiv dem med --lat-col/--lon-col eller --x-col/--y-col",
            file=name,
            column="koordinater",
            expected="lat/lon eller x/y",
        )


def _missing_pair(found: dict) -> tuple[str, str]:
    """x/y when the file has half of that pair and nothing of lat/lon; otherwise lat/lon."""
    half_xy = bool(found.get("x") or found.get("y"))
    half_latlon = bool(found.get("lat") or found.get("lon"))
    return ("x", "y") if half_xy and not half_latlon else ("lat", "lon")


# ---- checks ---------------------------------------------------------------------------------
def _check_times(table: Table, found: dict, rejections: Rejections, now: datetime | None):
    column = found["datetime"]
    time_column = found.get("time")
    times_text = table.frame[time_column] if time_column else None
    values, reasons, notes = parse_datetimes(table.frame[column], times_text, now=now)
    label = f"{column}+{time_column}" if time_column else column
    shown = table.frame[column] if not time_column else table.frame[column] + " " + times_text
    for reason in (
        "missing_value",
        "unparseable_date",
        "impossible_date",
        "future_date",
        "too_old_date",
    ):
        reject_where(
            rejections,
            reasons == reason,
            rows=table.rows,
            column=label,
            values=shown,
            reason=reason if reason != "missing_value" else "missing_time",
            message=explain(reason, "en dato som 24-12-2023 23:45 eller 2023-12-24T23:45"),
        )
    notes.append("Tidspunkter uden tidszone er læst som dansk tid (Europe/Copenhagen).")
    return values, notes


def _check_category(table: Table, found: dict, rejections: Rejections) -> np.ndarray:
    column = found["category"]
    # Police exports vary in case and spacing; "Vold " and "vold" are one category.
    text = table.frame[column].str.strip().str.replace(r"\s+", " ", regex=True).str.lower()
    reject_where(
        rejections,
        (text == "").to_numpy(),
        rows=table.rows,
        column=column,
        values=text,
        reason="missing_category",
        message=explain("missing_value", "en kategori som 'vold'"),
    )
    return text.to_numpy(dtype=object)


def _check_coordinates(
    table: Table, found: dict, rejections: Rejections, crs: str | None, notes: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    use_latlon = bool(found.get("lat") and found.get("lon"))
    if use_latlon and found.get("x") and found.get("y"):
        # Both pairs present: use the one that is filled in more often.
        filled = lambda c: (table.frame[c].str.strip() != "").sum()  # noqa: E731
        use_latlon = filled(found["lat"]) >= filled(found["x"])
    first, second = ("lon", "lat") if use_latlon else ("x", "y")
    a, reasons_a, comma_a = parse_numbers(table.frame[found[first]])
    b, reasons_b, comma_b = parse_numbers(table.frame[found[second]])
    if comma_a or comma_b:
        notes.append("Koordinater med decimalkomma blev læst.")
    for column, reasons in ((found[first], reasons_a), (found[second], reasons_b)):
        reject_reasons(
            rejections,
            reasons,
            rows=table.rows,
            column=column,
            values=table.frame[column],
            expected=_LATLON_EXPECTED if use_latlon else _XY_EXPECTED,
            rename={"missing_value": "missing_coordinates"},
        )
    if use_latlon:
        return _latlon_to_store(table, found, rejections, a, b)
    return _xy_to_store(table, found, rejections, a, b, crs, notes)


def _latlon_to_store(table, found, rejections, lon, lat):
    label = f"{found['lat']}/{found['lon']}"
    shown = table.frame[found["lat"]] + " / " + table.frame[found["lon"]]
    finite = np.isfinite(lon) & np.isfinite(lat)
    inside = lonlat_in_denmark(lon, lat)
    swapped = finite & ~inside & lonlat_in_denmark(lat, lon)
    utm = finite & ~inside & looks_like_utm(lon, lat)
    outside = finite & ~inside & ~swapped & ~utm
    cases = (
        (
            swapped,
            "latlon_swapped",
            "Bredde- og længdegrad er byttet om: punktet ligger kun i Danmark, hvis de to tal bytter plads.",
        ),
        (
            utm,
            "utm_in_latlon",
            "Tallene er meter (UTM/EPSG:25832), ikke grader: brug --x-col og --y-col for disse kolonner.",
        ),
        (
            outside,
            "outside_denmark",
            f"Punktet ligger uden for Danmark; forventet {_LATLON_EXPECTED}.",
        ),
    )
    reject_cases(rejections, cases, rows=table.rows, column=label, values=shown)
    to_utm = Transformer.from_crs("EPSG:4326", STORE_CRS, always_xy=True)
    x, y = to_utm.transform(np.where(inside, lon, np.nan), np.where(inside, lat, np.nan))
    return np.asarray(x), np.asarray(y)


def _xy_to_store(table, found, rejections, x, y, crs, notes):
    label = f"{found['x']}/{found['y']}"
    shown = table.frame[found["x"]] + " / " + table.frame[found["y"]]
    finite = np.isfinite(x) & np.isfinite(y)
    source = _parse_crs(crs)
    if source != CRS.from_user_input(STORE_CRS):
        x, y = Transformer.from_crs(source, STORE_CRS, always_xy=True).transform(x, y)
        x, y = np.asarray(x), np.asarray(y)
        notes.append(f"Koordinater blev omregnet fra {source.to_string()} til EPSG:25832.")
        finite = np.isfinite(x) & np.isfinite(y)
    inside = utm_in_denmark(x, y)
    swapped = finite & ~inside & utm_in_denmark(y, x)
    degrees = finite & ~inside & ~swapped & (lonlat_in_denmark(x, y) | lonlat_in_denmark(y, x))
    outside = finite & ~inside & ~swapped & ~degrees
    cases = (
        (
            swapped,
            "xy_swapped",
            "Øst og nord er byttet om: punktet ligger kun i Danmark, hvis de to tal bytter plads.",
        ),
        (
            degrees,
            "latlon_in_xy",
            # cli_advice: the page words it its own way (tryg_geo.ingest.detect.page_wording)
            "Tallene er grader (WGS84), ikke meter: rummer kolonnerne grader, så "
            f"{cli_advice(('lat', 'lon'))}.",
        ),
        (outside, "outside_denmark", f"Punktet ligger uden for Danmark; forventet {_XY_EXPECTED}."),
    )
    reject_cases(rejections, cases, rows=table.rows, column=label, values=shown)
    return np.where(inside, x, np.nan), np.where(inside, y, np.nan)


def _parse_crs(crs: str | None) -> CRS:
    try:
        return CRS.from_user_input(crs or STORE_CRS)
    except CRSError:
        raise UsageError(
            f"--crs {crs!r} er ikke et kendt koordinatsystem; brug fx EPSG:25832 eller EPSG:4326."
        ) from None


def _check_ids(table: Table, found: dict, rejections: Rejections) -> tuple[np.ndarray, np.ndarray]:
    """Incident ids, and which rows are exact repeats of an earlier row (dropped as duplicates).

    A repeated id with different content is rejected instead: both versions are kept for the user.
    """
    column = found.get("id")
    n = len(table.frame)
    if column is None:
        return ("r" + table.rows.astype(str)).to_numpy(dtype=object), np.zeros(n, dtype=bool)
    ids = table.frame[column].str.strip()
    reject_where(
        rejections,
        (ids == "").to_numpy(),
        rows=table.rows,
        column=column,
        values=ids,
        reason="missing_id",
        message=explain("missing_value", "et id for hver hændelse"),
    )
    alive = np.ones(n, dtype=bool)
    alive[list(rejections.positions)] = False
    # Only accepted rows compete for an id: a rejected first row must not block a good one.
    repeated = ids.where(alive, None).duplicated(keep="first").to_numpy() & alive
    if not repeated.any():
        return ids.to_numpy(dtype=object), np.zeros(n, dtype=bool)
    whole_row = table.frame.astype(str).agg("\x1f".join, axis=1)
    exact = whole_row.where(alive, None).duplicated(keep="first").to_numpy() & repeated
    reject_where(
        rejections,
        repeated & ~exact,
        rows=table.rows,
        column=column,
        values=ids,
        reason="duplicate_id",
        message="Id'et findes allerede i en tidligere række med andet indhold; den første er beholdt.",
    )
    return ids.to_numpy(dtype=object), exact


def _optional(table: Table, found: dict, role: str) -> np.ndarray:
    column = found.get(role)
    if column is None:
        return np.full(len(table.frame), None, dtype=object)
    text = table.frame[column].str.strip()
    return text.where(text != "", None).to_numpy(dtype=object)


def _district_warnings(enriched: pd.DataFrame, districts: gpd.GeoDataFrame | None) -> list[str]:
    if districts is None or not len(districts):
        return ["Der er ingen områder indlæst: alle hændelser tælles som uden for områderne."]
    outside = outside_count(enriched)
    if outside:
        return [
            f"{number(outside)} {'hændelse' if outside == 1 else 'hændelser'} ligger uden for "
            f"alle områder; {'den' if outside == 1 else 'de'} er beholdt og tælles som 'uden for'."
        ]
    return []
