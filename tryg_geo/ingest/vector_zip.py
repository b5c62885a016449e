"""Choosing a layer, and Shapefiles in a zip archive opened safely: no paths outside the folder,
no zip bombs, no thousands of entries; the one Shapefile (or the named layer) is extracted to a
temporary folder.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path, PurePosixPath

from .. import settings
from ..errors import UnusableFileError, UsageError
from ..fmt import number
from .formats import VECTOR_FORMATS

# Zip archives: deflate cannot compress real data much beyond ~1000:1, and blank-padded DBF
# tables reach ~100:1, so a ratio above this on an entry bigger than the upload limit itself
# is the signature of a zip bomb, not of a shapefile.
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 10_000
ZIP_SIZE_FACTOR = 4  # an archive may unpack to this many times the upload limit
_COPY_CHUNK = 1 << 20
#: Geodata a zip may hold that is imported as it is, unpacked (the hint when no .shp is inside).
_UNZIPPED = tuple(s for s, name in VECTOR_FORMATS.items() if name in ("GeoJSON", "GeoPackage"))


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
        if any(i.filename.lower().endswith(_UNZIPPED) for i in entries):
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
        return f"{number(size / 1000)} KB"
    # One decimal: 4.5 MB must not read "4 MB" next to a limit of 4 MB.
    return f"{number(size / 1_000_000, 1)} MB"
