"""Reading vector files, and the row checks the district and place loaders share.

Formats: GeoJSON (.geojson/.json), GeoPackage (.gpkg), Shapefile (.shp with its sidecar files),
a zipped Shapefile (.zip) and GeoParquet (.parquet). :func:`read_vector` returns the features in
the coordinate system they were written in (the loaders reproject), with a third coordinate (Z)
dropped, plus Danish notes about what was assumed.

Every way a file can be unusable ends in one :class:`UnusableFileError` sentence that names the
file, what is wrong and what was expected — GDAL's own wording only ever follows as a detail.

The second half of the module (:class:`FeatureRows` and friends) validates features row by
row — ids, geometries, repairs, merging rows that share an id — so districts and places follow
exactly the same rules and write the same messages.
"""

from __future__ import annotations

import json
import re
import tempfile
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from .. import settings
from ..errors import UnusableFileError, UsageError
from ..geo.denmark import EASTING_RANGE, NORTHING_RANGE, lonlat_in_denmark, utm_in_denmark
from ..store.schema import STORE_CRS
from .columns import find_columns, normalise, require
from .result import Rejections

#: suffix -> Danish name of the format, for messages.
FORMATS: dict[str, str] = {
    ".geojson": "GeoJSON",
    ".json": "GeoJSON",
    ".gpkg": "GeoPackage",
    ".shp": "Shapefile",
    ".zip": "zippet Shapefile",
    ".parquet": "GeoParquet",
}
EXPECTED_FORMATS = (
    "GeoJSON (.geojson/.json), GeoPackage (.gpkg), Shapefile (.shp med .shx og .dbf ved siden "
    "af, eller det hele samlet i én .zip) eller GeoParquet (.parquet)"
)
CRS_EXAMPLES = "EPSG:25832 (UTM 32N, meter) eller EPSG:4326 (længde/bredde, grader)"

_HEAD_BYTES = 65_536
_GPKG_MAGIC = b"SQLite format 3\x00"
_SHP_MAGIC = b"\x00\x00\x27\x0a"  # file code 9994, big-endian
_PARQUET_MAGIC = b"PAR1"
_GEOJSON_TYPES = re.compile(
    rb'"type"\s*:\s*"(FeatureCollection|Feature|Point|MultiPoint|LineString|MultiLineString|'
    rb'Polygon|MultiPolygon|GeometryCollection)"'
)

# Zip archives: deflate cannot compress real data much beyond ~1000:1, and blank-padded DBF
# tables reach ~100:1, so a ratio above this on an entry bigger than the upload limit itself
# is the signature of a zip bomb, not of a shapefile.
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 10_000
ZIP_SIZE_FACTOR = 4  # an archive may unpack to this many times the upload limit
_COPY_CHUNK = 1 << 20


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
    frame = _tidy(frame, notes)
    frame, crs_notes = _settle_crs(frame, declared, override, path.name)
    return frame, notes + crs_notes


def parse_crs(text: str) -> CRS:
    """The coordinate system named by the user (``EPSG:25832``, ``25832``, a WKT or PROJ string).

    Raises
    ------
    UsageError
        When ``text`` names no coordinate system, or one that is neither geographic nor
        projected (e.g. a height system).
    """
    value = str(text).strip()
    if value.isdigit():  # analysts often write just the EPSG number
        value = f"EPSG:{value}"
    try:
        parsed = CRS.from_user_input(value)
    except CRSError:
        raise UsageError(
            f"--crs {text!r} er ikke et kendt koordinatsystem. Forventede fx {CRS_EXAMPLES}."
        ) from None
    if not (parsed.is_geographic or parsed.is_projected):
        raise UsageError(
            f"--crs {text!r} ({parsed.name}) er ikke et koordinatsystem for kort i 2D. "
            f"Forventede fx {CRS_EXAMPLES}."
        )
    return parsed


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


def choose_layer(available: Sequence[str], wanted: str | None, label: str) -> str:
    """The layer to read: ``wanted``, or the only one.

    Raises
    ------
    UnusableFileError
        Several layers and none chosen (the message lists them).
    UsageError
        ``wanted`` is not one of them.
    """
    if wanted is None or wanted == "":
        if len(available) == 1:
            return available[0]
        raise UnusableFileError(
            f"{label} har {len(available)} lag: {', '.join(available)}. Vælg hvilket der skal "
            "bruges med --layer (fx --layer " + available[0] + ").",
            file=label,
            expected="ét lag valgt med --layer",
        )
    if wanted in available:
        return wanted
    folded = {name.casefold(): name for name in available}
    if wanted.casefold() in folded:
        return folded[wanted.casefold()]
    raise UsageError(
        f"--layer {wanted!r}: laget findes ikke i {label}. Filens lag er: {', '.join(available)}."
    )


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


def extract_shapefile(path: Path, target: Path, layer: str | None = None) -> tuple[Path, str]:
    """Safely unpack the (chosen) Shapefile of zip archive ``path`` into folder ``target``.

    Every entry is checked before anything is written: no absolute paths or ``..`` (zip
    slip), no encryption, at most :data:`ZIP_MAX_ENTRIES` entries, no entry that looks like a
    zip bomb, and at most ``4 × upload_limit_mb`` in all. Only the chosen Shapefile's own
    files are written.

    Returns
    -------
    tuple[Path, str]
        The extracted .shp and its name inside the archive.
    """
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        raise UnusableFileError(
            f"{name}: filen er ikke et gyldigt zip-arkiv (er den beskadiget eller omdøbt?). "
            "Forventede en .zip med en Shapefile (.shp, .shx, .dbf og .prj).",
            file=name,
            expected="zip-arkiv med Shapefile",
        ) from None
    with archive:
        entries = [info for info in archive.infolist() if not info.is_dir()]
        check_zip_entries(entries, name)
        shapefiles = [i for i in entries if i.filename.lower().endswith(".shp") and not _junk(i)]
        chosen = _choose_shapefile(shapefiles, entries, layer, name)
        stem = chosen.filename[:-4].casefold()
        members = [i for i in entries if i.filename[: len(stem) + 1].casefold() == stem + "."]
        for info in members:
            _extract_member(archive, info, target, name)
    # Some Windows tools write backslashes (map\file.shp); it was unpacked as map/file.shp.
    return target / chosen.filename.replace("\\", "/"), chosen.filename


def check_zip_entries(entries: Sequence[zipfile.ZipInfo], name: str) -> None:
    """Refuse an archive that is unsafe to unpack (see :func:`extract_shapefile`)."""
    if len(entries) > ZIP_MAX_ENTRIES:
        raise UnusableFileError(
            f"{name}: zip-arkivet har {len(entries)} filer; højst {ZIP_MAX_ENTRIES} er "
            "tilladt. Forventede en .zip med en Shapefile.",
            file=name,
            value=len(entries),
            expected=f"højst {ZIP_MAX_ENTRIES} filer",
        )
    for info in entries:
        _check_entry_path(info, name)
        if info.flag_bits & 0x1:
            raise UnusableFileError(
                f"{name}: zip-arkivet er beskyttet med adgangskode ({info.filename}). "
                "Forventede et zip-arkiv uden adgangskode.",
                file=name,
                value=info.filename,
                expected="zip uden adgangskode",
            )
    limit_bytes = settings.get("upload_limit_mb") * 1_000_000
    for info in entries:
        ratio = info.file_size / max(info.compress_size, 1)
        if ratio > ZIP_MAX_RATIO and info.file_size > limit_bytes:
            raise UnusableFileError(
                f"{name}: zip-arkivet ligner en zip-bombe og pakkes ikke ud: {info.filename} "
                f"fylder {_mb(info.compress_size)} pakket, men {_mb(info.file_size)} udpakket "
                f"({ratio:.0f} gange så meget). Forventede en almindelig zippet Shapefile.",
                file=name,
                value=info.filename,
                expected=f"højst {ZIP_MAX_RATIO} gange komprimering",
            )
    total = sum(info.file_size for info in entries)
    if total > ZIP_SIZE_FACTOR * limit_bytes:
        raise UnusableFileError(
            f"{name}: zip-arkivet fylder {_mb(total)} udpakket; grænsen er "
            f"{ZIP_SIZE_FACTOR} × {settings.get('upload_limit_mb')} MB (indstillingen "
            "TRYG_UPLOAD_LIMIT_MB). Forventede en mindre fil — del den op, eller hæv grænsen.",
            file=name,
            value=_mb(total),
            expected=f"højst {_mb(ZIP_SIZE_FACTOR * limit_bytes)} udpakket",
        )


def _check_entry_path(info: zipfile.ZipInfo, name: str) -> None:
    entry = info.filename.replace("\\", "/")
    parts = PurePosixPath(entry).parts
    if entry.startswith("/") or re.match(r"^[A-Za-z]:", entry) or ".." in parts:
        raise UnusableFileError(
            f"{name}: zip-arkivet indeholder stien '{info.filename}', som peger uden for "
            "arkivets mappe; af sikkerhedshensyn pakkes det ikke ud. Forventede filer med "
            "almindelige navne (fx kommuner.shp).",
            file=name,
            value=info.filename,
            expected="filnavne uden '..' og uden absolut sti",
        )


def _junk(info: zipfile.ZipInfo) -> bool:
    # macOS adds "__MACOSX/._name.shp" resource forks: they end in .shp but are no Shapefile.
    parts = PurePosixPath(info.filename.replace("\\", "/")).parts
    return parts[0] == "__MACOSX" or parts[-1].startswith("._")


def _choose_shapefile(
    shapefiles: list[zipfile.ZipInfo],
    entries: list[zipfile.ZipInfo],
    layer: str | None,
    name: str,
) -> zipfile.ZipInfo:
    if not shapefiles:
        found = ", ".join(i.filename for i in entries[:20]) or "ingen filer"
        more = f" og {len(entries) - 20} flere" if len(entries) > 20 else ""
        hint = ""
        if any(i.filename.lower().endswith((".geojson", ".json", ".gpkg")) for i in entries):
            hint = " Pak filen ud og importér GeoJSON- eller GeoPackage-filen direkte."
        raise UnusableFileError(
            f"{name}: zip-arkivet indeholder ingen Shapefile (.shp); det indeholder: "
            f"{found}{more}. Forventede en .zip med .shp, .shx, .dbf og .prj.{hint}",
            file=name,
            value=found,
            expected=".shp i zip-arkivet",
        )
    by_layer = {i.filename[:-4]: i for i in sorted(shapefiles, key=lambda i: i.filename)}
    names = list(by_layer)
    if layer:
        for key, info in by_layer.items():
            if layer.casefold() in (key.casefold(), PurePosixPath(key).name.casefold()):
                return info
    return by_layer[choose_layer(names, layer, name)]


def _extract_member(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, name: str
) -> None:
    destination = (target / info.filename.replace("\\", "/")).resolve()
    if not destination.is_relative_to(target.resolve()):  # second guard (symlinked folders)
        raise UnusableFileError(
            f"{name}: {info.filename} peger uden for arkivets mappe og pakkes ikke ud. "
            "Forventede almindelige filnavne.",
            file=name,
            value=info.filename,
            expected="filnavne inde i arkivet",
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        # zipfile stops at the declared size, which check_zip_entries has already capped.
        with archive.open(info) as source, destination.open("wb") as out:
            while chunk := source.read(_COPY_CHUNK):
                out.write(chunk)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as exc:
        raise UnusableFileError(
            f"{name}: {info.filename} kan ikke pakkes ud ({exc}). Forventede et helt, "
            "almindeligt zip-arkiv (deflate eller ukomprimeret).",
            file=name,
            value=info.filename,
            expected="et læsbart zip-arkiv",
        ) from None


def _mb(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:.0f} KB"
    # One decimal: 4.5 MB must not read "4 MB" next to a limit of 4 MB.
    return f"{size / 1_000_000:.1f} MB".replace(".", ",")


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


# ---- after reading: 2D, one geometry column, a coordinate system ----------------------------
def _tidy(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    frame = frame.reset_index(drop=True)
    if frame.geometry.name != "geometry" and "geometry" not in frame.columns:
        frame = frame.rename_geometry("geometry")
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if shapely.has_z(geoms).any():
        frame[frame.geometry.name] = gpd.GeoSeries(
            shapely.force_2d(geoms), index=frame.index, crs=frame.crs
        )
        notes.append(
            "Filens koordinater har en tredje værdi (højde, Z — i DAGI-filer -999); den bruges "
            "ikke og er fjernet."
        )
    return frame


@dataclass(frozen=True)
class _Fit:
    """How many geometries look like lon/lat, UTM 32N metres or swapped lat/lon in Denmark."""

    total: int
    lonlat: int
    utm: int
    latlon: int
    example: tuple[float, float] | None

    def most(self, count: int) -> bool:
        return self.total > 0 and count * 2 > self.total


def _fit(frame: gpd.GeoDataFrame) -> _Fit:
    bounds = shapely.bounds(np.asarray(frame.geometry.values, dtype=object))
    bounds = bounds[~np.isnan(bounds).any(axis=1)]
    lo_x, lo_y, hi_x, hi_y = bounds.T if len(bounds) else (np.array([]),) * 4
    return _Fit(
        total=len(bounds),
        lonlat=int((lonlat_in_denmark(lo_x, lo_y) & lonlat_in_denmark(hi_x, hi_y)).sum()),
        utm=int((utm_in_denmark(lo_x, lo_y) & utm_in_denmark(hi_x, hi_y)).sum()),
        latlon=int((lonlat_in_denmark(lo_y, lo_x) & lonlat_in_denmark(hi_y, hi_x)).sum()),
        example=(float(lo_x[0]), float(lo_y[0])) if len(bounds) else None,
    )


def _settle_crs(
    frame: gpd.GeoDataFrame, declared: CRS | None, override: CRS | None, name: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    fit = _fit(frame)
    notes: list[str] = []
    if override is not None:
        if declared is not None and not CRS.from_user_input(declared).equals(override):
            notes.append(
                f"Filen angiver koordinatsystemet {crs_label(declared)}; --crs "
                f"{crs_label(override)} er brugt i stedet."
            )
        _check_fit(override, fit, name, from_option=True)
        return frame.set_crs(override, allow_override=True), notes
    if declared is not None and not (declared.is_geographic or declared.is_projected):
        # A "local" or unknown system (e.g. LOCAL_CS in a .prj) says nothing usable.
        notes.append(
            f"Filens koordinatsystem ({declared.name}) er et lokalt system uden placering på "
            "jorden og er ikke brugt."
        )
        declared = None
    if declared is not None:
        _check_fit(CRS.from_user_input(declared), fit, name, from_option=False)
        return frame.set_crs(declared, allow_override=True), notes
    guessed, note = _guess_crs(fit, name)
    notes.append(note)
    return frame.set_crs(guessed, allow_override=True), notes


def crs_label(crs: CRS | str) -> str:
    """Short Danish-friendly name of a CRS, e.g. ``EPSG:25832 (ETRS89 / UTM zone 32N)``."""
    crs = CRS.from_user_input(crs)
    authority = crs.to_authority()
    code = f"{authority[0]}:{authority[1]}" if authority else crs.to_string()[:40]
    return f"{code} ({crs.name})"


def _example(fit: _Fit) -> str:
    if fit.example is None:
        return ""
    x, y = fit.example
    return f" (fx x={x:.6g}, y={y:.7g})"


def _check_fit(crs: CRS, fit: _Fit, name: str, *, from_option: bool) -> None:
    """Refuse a coordinate system that clearly does not fit the numbers in the file."""
    problem, suggestion = None, None
    if crs.is_geographic and fit.most(fit.utm):
        problem = "koordinaterne er meter som i UTM 32N, ikke grader"
        suggestion = "EPSG:25832"
    elif crs.is_geographic and fit.most(fit.latlon) and not fit.most(fit.lonlat):
        problem = (
            "koordinaterne står i rækkefølgen breddegrad, længdegrad; længdegraden skal stå "
            "først (x), breddegraden bagefter (y)"
        )
    elif crs.is_projected and fit.most(fit.lonlat):
        problem = "koordinaterne er længde-/breddegrader i grader, ikke meter"
        suggestion = "EPSG:4326"
    if problem is None:
        return
    fix = f" Prøv --crs {suggestion}." if suggestion else " Ret koordinaterne i filen."
    if from_option:
        raise UsageError(
            f"--crs {crs_label(crs)} passer ikke til {name}: {problem}{_example(fit)}.{fix}"
        )
    raise UnusableFileError(
        f"{name}: filen angiver koordinatsystemet {crs_label(crs)}, men {problem}"
        f"{_example(fit)}. Forventede koordinater, der passer til koordinatsystemet.{fix}",
        file=name,
        value=_example(fit).strip(" ()"),
        expected=f"koordinater i {crs_label(crs)}",
    )


def _guess_crs(fit: _Fit, name: str) -> tuple[str, str]:
    if fit.total == 0:
        # Nothing to look at: every row will be rejected for its missing geometry anyway.
        return STORE_CRS, "Filen angiver intet koordinatsystem og har ingen geometrier."
    if fit.most(fit.lonlat):
        return "EPSG:4326", (
            "Filen angiver intet koordinatsystem; koordinaterne ligner længde-/breddegrader i "
            "Danmark, så WGS84 (EPSG:4326) er antaget. Angiv --crs, hvis det er forkert."
        )
    if fit.most(fit.utm):
        return STORE_CRS, (
            "Filen angiver intet koordinatsystem; koordinaterne ligner UTM 32N-meter i Danmark, "
            "så ETRS89 / UTM 32N (EPSG:25832) er antaget. Angiv --crs, hvis det er forkert."
        )
    swapped = (
        " De ligner længde-/breddegrader med akserne byttet om (breddegrad først)."
        if fit.most(fit.latlon)
        else ""
    )
    raise UnusableFileError(
        f"{name}: filen angiver intet koordinatsystem, og koordinaterne{_example(fit)} ligner "
        f"hverken længde-/breddegrader i Danmark eller UTM 32N-meter.{swapped} Forventede et "
        f"angivet koordinatsystem — angiv det med --crs, fx {CRS_EXAMPLES}.",
        file=name,
        value=_example(fit).strip(" ()"),
        expected="et koordinatsystem angivet med --crs",
    )


# =============================================================================================
# Row checks shared by the district and place loaders
# =============================================================================================
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
    return f"{value:,.0f}".replace(",", " ")  # Danish digit grouping: 6 020 000


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
