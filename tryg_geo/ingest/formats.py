"""The file formats an import reads, as data: one row per file suffix.

:mod:`.tables` (CSV, XLSX), :mod:`.vector_read` (geodata), the incidents loader (points from
either) and the import wizard's file picker all read this one table; it is light (no GDAL), so
a CSV import never loads the vector readers to ask.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileFormat:
    """One suffix an import reads.

    Attributes
    ----------
    suffix : lower case, with the dot ('.gpkg').
    name : the format's Danish name in messages ('GeoPackage').
    family : 'text' (CSV and its kin), 'excel' or 'vector' (geodata read by :mod:`.vector_read`).
    upload : whether the wizard's file picker offers it (a Shapefile's .shp needs its .shx and
        .dbf beside it, so it is uploaded as one .zip).
    """

    suffix: str
    name: str
    family: str
    upload: bool = True


FORMATS: tuple[FileFormat, ...] = (
    FileFormat(".csv", "CSV", "text"),
    FileFormat(".txt", "CSV (tekstfil)", "text"),
    FileFormat(".tsv", "CSV (tabulatorsepareret)", "text"),
    FileFormat(".xlsx", "Excel", "excel"),
    FileFormat(".xlsm", "Excel", "excel"),
    FileFormat(".geojson", "GeoJSON", "vector"),
    FileFormat(".json", "GeoJSON", "vector"),
    FileFormat(".gpkg", "GeoPackage", "vector"),
    FileFormat(".shp", "Shapefile", "vector", upload=False),
    FileFormat(".zip", "zippet Shapefile", "vector"),
    FileFormat(".parquet", "GeoParquet", "vector"),
)
FAMILIES = ("text", "excel", "vector")

#: Tables read as text (CSV) and as Excel workbooks.
TEXT_SUFFIXES = frozenset(f.suffix for f in FORMATS if f.family == "text")
EXCEL_SUFFIXES = frozenset(f.suffix for f in FORMATS if f.family == "excel")
#: Geodata: suffix -> Danish name of the format, for messages.
VECTOR_FORMATS: dict[str, str] = {f.suffix: f.name for f in FORMATS if f.family == "vector"}
#: What the import wizard's file picker accepts (without the dot, as Streamlit wants them).
UPLOAD_TYPES: tuple[str, ...] = tuple(f.suffix.removeprefix(".") for f in FORMATS if f.upload)
#: What the wizard's boundary picker (``--kommune-fil``) accepts: the geodata among them.
VECTOR_UPLOAD_TYPES: tuple[str, ...] = tuple(
    f.suffix.removeprefix(".") for f in FORMATS if f.upload and f.family == "vector"
)
