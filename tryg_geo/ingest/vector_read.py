"""Reading vector files.

Formats: GeoJSON (.geojson/.json), GeoPackage (.gpkg), Shapefile (.shp with its sidecar files),
a zipped Shapefile (.zip) and GeoParquet (.parquet). :func:`read_vector` returns the features in
the coordinate system they were written in (the loaders reproject), with a third coordinate (Z)
dropped, plus Danish notes about what was assumed.

Every way a file can be unusable ends in one :class:`UnusableFileError` sentence that names the
file, what is wrong and what was expected — GDAL's own wording only ever follows as a detail.
The row-by-row checks of the features are in :mod:`.feature_rows`.
"""

from __future__ import annotations

import json
import re
import tempfile
import warnings
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import shapely
from pyproj import CRS

from ..errors import UnusableFileError
from .formats import VECTOR_FORMATS
from .vector_crs import parse_crs, settle_crs, tidy
from .vector_zip import choose_layer, extract_shapefile

#: suffix -> Danish name of the format, for messages (the one table: ingest.formats).
FORMATS: dict[str, str] = VECTOR_FORMATS
EXPECTED_FORMATS = (
    "GeoJSON (.geojson/.json), GeoPackage (.gpkg), Shapefile (.shp med .shx og .dbf ved siden "
    "af, eller det hele samlet i én .zip) eller GeoParquet (.parquet)"
)

_HEAD_BYTES = 65_536
_GPKG_MAGIC = b"SQLite format 3\x00"
_SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
_PARQUET_MAGIC = b"PAR1"
_GEOJSON_TYPES = re.compile(
    rb'"type"\s*:\s*"(FeatureCollection|Feature|Point|MultiPoint|LineString|MultiLineString|'
    rb'Polygon|MultiPolygon|GeometryCollection)"'
)


def is_vector_file(path: Path) -> bool:
    """Whether ``path`` has the suffix of a format :func:`read_vector` reads."""
    return Path(path).suffix.lower() in FORMATS


def read_vector(
    path: Path, *, layer: str | None = None, crs: str | None = None
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Read a vector file into a GeoDataFrame in its own coordinate system.

    Parameters
    ----------
    path : a .geojson/.json, .gpkg, .shp, .zip (with a Shapefile) or .parquet (GeoParquet) file.
    layer : GeoPackage layer, or which Shapefile of a zip holding several (name without .shp).
    crs : coordinate system to use instead of (or when missing) the one the file declares,
        e.g. ``"EPSG:25832"`` or ``"25832"``.

    Returns
    -------
    tuple[GeoDataFrame, list[str]]
        The features (2D, geometry column ``geometry``, a CRS always set, index 0..n-1) and
        Danish notes for the import report (which layer, which CRS was assumed, Z removed).

    Raises
    ------
    UsageError
        ``crs`` is not a coordinate system, ``layer`` is not in the file, or ``crs`` does not
        fit the coordinates.
    UnusableFileError
        The file is missing, empty, not of its format, unsafe (zip), has several layers and no
        ``layer``, has no features, or has coordinates in no recognisable coordinate system.
    """
    path = Path(path)
    override = parse_crs(crs) if crs else None
    _check_file(path)
    notes: list[str] = []
    reader = _READERS[path.suffix.lower()]
    frame, declared = reader(path, layer, notes)
    if len(frame) == 0:
        raise UnusableFileError(
            f"{path.name}: filen indeholder ingen geografiske objekter (0 rækker). "
            "Forventede mindst ét objekt med geometri.",
            file=path.name,
            expected="mindst ét objekt",
        )
    frame = tidy(frame, notes)
    frame, crs_notes = settle_crs(frame, declared, override, path.name)
    return frame, notes + crs_notes


# ---- the file as a whole --------------------------------------------------------------------
def _check_file(path: Path) -> None:
    name = path.name
    if not path.is_file():
        raise UnusableFileError(
            f"Filen {path} findes ikke. Forventede {EXPECTED_FORMATS}.",
            file=name,
            expected="en eksisterende fil",
        )
    if path.suffix.lower() not in FORMATS:
        kind = f"filtypen '{path.suffix}'" if path.suffix else "en fil uden filtype"
        raise UnusableFileError(
            f"{name}: {kind} kan ikke læses som kortdata. Forventede {EXPECTED_FORMATS}.",
            file=name,
            value=path.suffix,
            expected=EXPECTED_FORMATS,
        )
    if path.stat().st_size == 0:
        raise UnusableFileError(
            f"{name}: filen er tom (0 byte). Forventede en {FORMATS[path.suffix.lower()]}-fil "
            "med data.",
            file=name,
            expected=FORMATS[path.suffix.lower()],
        )


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(_HEAD_BYTES)


def _require_magic(path: Path, magic: bytes, label: str, expected: str) -> None:
    """Refuse a file whose first bytes are not ``magic``, before GDAL says it in English."""
    if not _head(path).startswith(magic):
        fmt = FORMATS[path.suffix.lower()]
        raise UnusableFileError(
            f"{label}: filen er ikke en gyldig {fmt}-fil (indholdet har ikke {fmt}-formatet; "
            f"er den omdøbt eller beskadiget?). Forventede {expected}.",
            file=label,
            expected=expected,
        )


def _read_with_gdal(
    path: Path,
    layer: str | None,
    label: str,
    notes: list[str],
    failure: Callable[[str], UnusableFileError] | None = None,
) -> gpd.GeoDataFrame:
    fmt = FORMATS.get(path.suffix.lower(), "kortdata")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = _read_text_fields_leniently(path, layer, label, notes)
        # pyogrio's own errors all derive from RuntimeError.
        except (RuntimeError, ValueError, OSError) as exc:
            detail = _gdal_detail(exc, path)
            if failure is not None:
                raise failure(detail) from None
            raise UnusableFileError(
                f"{label}: filen kan ikke læses som {fmt}; er den beskadiget? Forventede "
                f"{EXPECTED_FORMATS}. (Teknisk besked fra GDAL: {detail})",
                file=label,
                expected=fmt,
            ) from None
    for warning in caught:
        if issubclass(warning.category, UserWarning | RuntimeWarning):
            notes.append(f"Bemærkning fra læseren (GDAL): {_gdal_detail(warning.message, path)}")
    return frame


def _read_text_fields_leniently(
    path: Path, layer: str | None, label: str, notes: list[str]
) -> gpd.GeoDataFrame:
    try:
        return gpd.read_file(path, layer=layer, engine="pyogrio")
    except UnicodeDecodeError:
        # Older Danish tools write æøå in Windows' encoding although GeoJSON must be UTF-8.
        frame = gpd.read_file(path, layer=layer, engine="pyogrio", encoding="cp1252")
        notes.append(
            f"{label}: teksten er ikke UTF-8 og er læst med Windows-tegnsættet (cp1252); "
            "kontrollér, at æ, ø og å ser rigtige ud."
        )
        return frame


def _gdal_detail(exc: object, path: Path) -> str:
    text = str(exc).replace(str(path.parent) + "/", "")
    # GDAL's advice about driver prefixes means nothing to an analyst.
    return text.split("; It might help", 1)[0].strip()


def _ignore_layer(layer: str | None, label: str, notes: list[str]) -> None:
    if layer:
        notes.append(f"--layer {layer!r} blev ikke brugt: {label} har kun ét lag.")


# ---- GeoJSON --------------------------------------------------------------------------------
def _read_geojson(
    path: Path, layer: str | None, notes: list[str]
) -> tuple[gpd.GeoDataFrame, CRS | None]:
    head = _head(path)
    _require_json_text(head, path.name)
    frame = _read_with_gdal(
        path, None, path.name, notes, lambda detail: _geojson_failure(path, head, detail)
    )
    _ignore_layer(layer, path.name, notes)
    # GDAL reports WGS84 for every GeoJSON; only a "crs" member is a real declaration.
    return frame, frame.crs if _declares_crs(head) else None


def _require_json_text(head: bytes, name: str) -> None:
    text = head.removeprefix(b"\xef\xbb\xbf")
    control = sum(1 for byte in text if byte < 32 and byte not in b"\t\r\n")
    if b"\x00" in text or control > max(5, len(text) // 100):
        raise UnusableFileError(
            f"{name}: filen indeholder binære data og er ikke GeoJSON. Forventede en "
            "GeoJSON-tekstfil (fx gemt fra QGIS som .geojson).",
            file=name,
            expected="GeoJSON (tekst)",
        )
    if text.lstrip()[:1] != b"{":
        raise UnusableFileError(
            f"{name}: filen er ikke GeoJSON — den begynder ikke med '{{'. Forventede et "
            'GeoJSON-objekt med "type": "FeatureCollection".',
            file=name,
            expected="GeoJSON",
        )


def _geojson_failure(path: Path, head: bytes, detail: str) -> UnusableFileError:
    name = path.name
    if _GEOJSON_TYPES.search(head):
        return UnusableFileError(
            f"{name}: filen ligner GeoJSON, men kan ikke læses — er den afkortet eller "
            f"beskadiget? Forventede gyldig GeoJSON. (Teknisk besked fra GDAL: {detail})",
            file=name,
            expected="gyldig GeoJSON",
        )
    what = "JSON" if _is_json(path) else "ikke GeoJSON"
    return UnusableFileError(
        f"{name}: filen er {what}, men har ingen GeoJSON-objekter (der står ikke "
        '"type": "FeatureCollection" eller "Feature"). Forventede GeoJSON med objekter og '
        "geometri, fx eksporteret fra QGIS.",
        file=name,
        expected='GeoJSON med "type": "FeatureCollection"',
    )


def _is_json(path: Path) -> bool:
    if path.stat().st_size > 10 * _HEAD_BYTES:  # only small files are worth parsing to say so
        return False
    try:
        json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError):
        return False
    return True


def _declares_crs(head: bytes) -> bool:
    # Writers (GDAL, QGIS, geopandas) put "crs" before "features"; text after "features" could
    # be a property that happens to be called crs.
    before = head.split(b'"features"', 1)[0]
    return b'"crs"' in before


# ---- GeoPackage -----------------------------------------------------------------------------
def _read_geopackage(
    path: Path, layer: str | None, notes: list[str]
) -> tuple[gpd.GeoDataFrame, CRS | None]:
    import pyogrio

    _require_magic(path, _GPKG_MAGIC, path.name, "en GeoPackage-fil (.gpkg, fx fra QGIS)")
    try:
        listed = pyogrio.list_layers(path)
    except RuntimeError as exc:
        detail = _gdal_detail(exc, path)
        raise UnusableFileError(
            f"{path.name}: GeoPackage-filens lag kan ikke læses; er den beskadiget? Forventede "
            f"en GeoPackage med mindst ét lag. (Teknisk besked fra GDAL: {detail})",
            file=path.name,
            expected="GeoPackage",
        ) from None
    # Layers without a geometry type are plain attribute tables: never what the user means.
    spatial = [str(name) for name, geometry_type in listed if geometry_type is not None]
    if not spatial:
        raise UnusableFileError(
            f"{path.name}: GeoPackage-filen har ingen lag med geometri "
            f"(kun tabeller: {', '.join(str(n) for n, _ in listed) or 'ingen'}). "
            "Forventede et lag med områder eller steder.",
            file=path.name,
            expected="et lag med geometri",
        )
    chosen = choose_layer(spatial, layer, path.name)
    frame = _read_with_gdal(path, chosen, path.name, notes)
    if len(spatial) > 1:
        notes.append(f"Læste laget '{chosen}' fra {path.name}.")
    return frame, frame.crs


# ---- Shapefile (bare and zipped) ------------------------------------------------------------
def _read_shapefile(
    path: Path, layer: str | None, notes: list[str], label: str | None = None
) -> tuple[gpd.GeoDataFrame, CRS | None]:
    label = label or path.name
    _require_magic(path, _SHP_MAGIC, label, "en Shapefile (.shp) fra fx QGIS eller ArcGIS")
    present = {p.suffix.lower() for p in path.parent.iterdir() if p.stem == path.stem}
    missing = [s for s in (".shx", ".dbf") if s not in present]
    if missing:
        names = " og ".join(path.stem + suffix for suffix in missing)
        raise UnusableFileError(
            f"{label}: Shapefilen mangler sine sidefiler {names}. "
            "En Shapefile er flere filer (.shp, .shx, .dbf og helst .prj) med samme navn; "
            "forventede dem i samme mappe — eller alle samlet i én .zip.",
            file=label,
            expected=".shp med .shx og .dbf",
        )
    _ignore_layer(layer, label, notes)
    frame = _read_with_gdal(path, None, label, notes)
    return frame, frame.crs


def _read_zip(
    path: Path, layer: str | None, notes: list[str]
) -> tuple[gpd.GeoDataFrame, CRS | None]:
    with tempfile.TemporaryDirectory(prefix="tryg_geo_zip_") as folder:
        shp, inner = extract_shapefile(path, Path(folder), layer)
        # Read everything now: the folder disappears when this block ends.
        frame, declared = _read_shapefile(shp, None, notes, label=f"{path.name} ({inner})")
    notes.append(f"Læste Shapefilen {inner} fra {path.name}.")
    return frame, declared


# ---- GeoParquet -----------------------------------------------------------------------------
def _read_geoparquet(
    path: Path, layer: str | None, notes: list[str]
) -> tuple[gpd.GeoDataFrame, CRS | None]:
    import pyarrow

    _require_magic(path, _PARQUET_MAGIC, path.name, "en GeoParquet-fil")
    try:
        frame = gpd.read_parquet(path)
    except (ValueError, OSError, pyarrow.ArrowException, shapely.errors.ShapelyError) as exc:
        if "geo metadata" in str(exc):
            raise UnusableFileError(
                f"{path.name}: filen er en almindelig Parquet-tabel uden geometri, ikke "
                "GeoParquet. Forventede GeoParquet (fx gemt med geopandas' to_parquet).",
                file=path.name,
                expected="GeoParquet",
            ) from None
        raise UnusableFileError(
            f"{path.name}: filen kan ikke læses som GeoParquet; er den beskadiget? Forventede "
            f"en GeoParquet-fil. (Teknisk besked: {exc})",
            file=path.name,
            expected="GeoParquet",
        ) from None
    _ignore_layer(layer, path.name, notes)
    return frame.reset_index(drop=True), frame.crs


_READERS: dict[str, Callable[[Path, str | None, list[str]], tuple[gpd.GeoDataFrame, CRS | None]]]
_READERS = {
    ".geojson": _read_geojson,
    ".json": _read_geojson,
    ".gpkg": _read_geopackage,
    ".shp": _read_shapefile,
    ".zip": _read_zip,
    ".parquet": _read_geoparquet,
}
