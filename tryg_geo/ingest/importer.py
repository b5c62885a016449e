"""One import: check the file, run the kind's loader, store the result atomically.

The command line and the dashboard's Data page both call :func:`import_file`, so a file gets
the same validation and the same report wherever it is imported.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pandas as pd

from .. import settings
from ..errors import TrygGeoError, UnusableFileError, UsageError
from ..geo.enrich import enrich_incidents
from ..store.folder import Store, Version, check_kind, data_period
from ..store.schema import KIND_LABELS
from .detect_kind import KindGuess, detect_kind
from .detect_preview import Preview, preview_file
from .districts import read_kommune
from .kommune import Kommune
from .modes import APPEND, REPLACE, appended, check_mode, plan_import
from .result import LoadResult

#: The longest source text accepted (it is printed under every view and in every CSV row).
SOURCE_MAX = 200


def import_file(
    kind: str,
    path: str | os.PathLike[str],
    *,
    columns: dict[str, str | None] | None = None,
    crs: str | None = None,
    layer: str | None = None,
    dry_run: bool = False,
    store: Store | None = None,
    source: str | None = None,
    mode: str = REPLACE,
    kommune: str | None = None,
    kommune_file: str | os.PathLike[str] | None = None,
) -> LoadResult:
    """Validate ``path`` as data of ``kind`` and, unless ``dry_run``, make it the current data.

    Parameters
    ----------
    kind : 'districts', 'incidents', 'measurements', 'places', or a StatBank table by kommune:
        'kommune_crimes' (STRAF11), 'kommune_population' (FOLK1A) (:mod:`.statbank`).
    path : the user's file.
    columns : role -> column name chosen by the user (see :mod:`tryg_geo.ingest.columns`).
    crs : coordinate system of the file when it declares none (or of x/y columns).
    layer : GeoPackage layer or XLSX sheet.
    dry_run : validate and report only; nothing is written.
    store : the data folder (default: ``TRYG_DATA_DIR`` or ``data/``).
    source : where the data comes from, e.g. 'Nordjyllands Politi, udtræk 2025' (``--source``,
        the Data page's "Kilde"); stored with the version and named by every view, PNG and CSV.
        Blank means not given: the views then name the file and the import date.
    mode : 'replace' (default): the file's rows become the data of ``kind``; 'append'
        (incidents only): they are added to the stored incidents, leaving out ids already
        stored (see :mod:`tryg_geo.ingest.modes`). Counted in the report's ``mode`` block, a
        dry run included.
    kommune : districts only: keep the districts of this kommune (code, e.g. '0851'), by the
        file's kommune code column or, without one, by the boundary in ``kommune_file``
        (``--kommune``/``--kommune-fil``; see :mod:`tryg_geo.ingest.kommune`).
    kommune_file : a file of kommune boundaries (DAGI's kommuner.geojson).

    Returns
    -------
    LoadResult
        The report; when no row was accepted the current data is left as it was.

    Raises
    ------
    UsageError
        Unknown kind, column, layer or CRS; a source longer than :data:`SOURCE_MAX` characters;
        an unknown mode, or 'append' for a kind other than incidents; a kommune for a kind other
        than districts, an invalid kommune code, or no way to find its districts.
    UnusableFileError
        The file cannot be used at all (missing, too large, wrong format, no needed columns).
    """
    check_mode(check_kind(kind), mode)
    source = clean_source(source)
    store = store or Store()
    options: dict = {"columns": columns or {}, "crs": crs, "layer": layer}
    try:
        path = _check_file(Path(path))
        if kommune is not None or kommune_file is not None:
            options["kommune"] = _kommune(kind, kommune, kommune_file)
        result = _LOADERS[kind](path, store, **options)
    except TrygGeoError as exc:  # a file that cannot be used is a failed import: log it
        if not dry_run:
            store.log_failed_import(kind, Path(path).name, exc.message)
        raise
    if dry_run:
        result.mode = plan_import(store, result, mode).report()
        return result
    if result.accepted == 0:
        _keep_rejected_of_failed_import(store, result)
        return result
    with store.lock():  # the plan counts the data the write replaces or extends
        result.mode = plan_import(store, result, mode).report()
        if mode == APPEND and store.has(kind):
            store.write_many([_appended_version(store, result, path, source)])
            return result
        new = Version(
            kind, result.frame, result.rejected, result.report(), original=path, source=source
        )
        if kind == "districts" and store.has("incidents"):
            # New districts make every stored district id stale: re-assign them now, under the
            # same lock, and switch both kinds together.
            incidents, note = _reassigned_incidents(store, result.frame)
            store.write_many([new, incidents])
            result.warnings.append(note)
        else:
            store.write_many([new])
    return result


def _kommune(kind: str, code: str | None, boundary_file: str | os.PathLike[str] | None) -> Kommune:
    if kind != "districts":
        raise UsageError(
            f"--kommune gælder kun for {KIND_LABELS['districts']} (districts), ikke for "
            f"{KIND_LABELS[kind]}: det er områderne, der gør data til én kommunes."
        )
    if code is None:
        raise UsageError("--kommune-fil kræver --kommune med koden, fx --kommune 0851.")
    return read_kommune(code, boundary_file)


def _appended_version(store: Store, result: LoadResult, path: Path, source: str | None) -> Version:
    """The stored incidents plus the file's new ones, as one new version.

    The version stays demo data when the stored incidents were (they are still in it), and its
    source names both parts: what was stored (its source, 'demodata' or its file) and the file.
    """
    meta = store.meta(result.kind)
    frame, _ = appended(store.read(result.kind), result)
    before = meta.get("source") or ("demodata" if meta.get("demo") else imported_name(meta))
    parts = [p for p in dict.fromkeys([*before.split("; "), source or result.file]) if p]
    return Version(
        result.kind,
        frame,
        result.rejected,
        result.report(),
        original=path,
        demo=bool(meta.get("demo")),
        source=clean_source("; ".join(parts)[:SOURCE_MAX]),
        period=data_period(result.frame),
    )


def imported_name(meta: dict) -> str:
    """The file a stored version was imported from ('' when unknown)."""
    return str(meta.get("file") or "")


def clean_source(text: str | None) -> str | None:
    """The source as stored: whitespace (line breaks too) collapsed; None when blank.

    Raises
    ------
    UsageError
        When the source is longer than :data:`SOURCE_MAX` characters.
    """
    cleaned = " ".join(str(text or "").split())
    if len(cleaned) > SOURCE_MAX:
        raise UsageError(
            f"Kilden er {len(cleaned)} tegn lang; højst {SOURCE_MAX} tegn. Skriv den kort, "
            "fx 'Nordjyllands Politi, udtræk 2025'."
        )
    return cleaned or None


def _check_file(path: Path) -> Path:
    if not path.is_file():
        raise UnusableFileError(
            f"Filen {path} findes ikke.", file=str(path), expected="en eksisterende fil"
        )
    limit_mb = settings.get("upload_limit_mb")
    size_mb = path.stat().st_size / 1_000_000
    if size_mb > limit_mb:
        raise UnusableFileError(
            f"{path.name} fylder {size_mb:.0f} MB; grænsen er {limit_mb} MB "
            "(indstillingen TRYG_UPLOAD_LIMIT_MB). Del filen op, eller hæv grænsen.",
            file=path.name,
            value=f"{size_mb:.0f} MB",
            expected=f"højst {limit_mb} MB",
        )
    return path


def _load_districts(path: Path, store: Store, **options) -> LoadResult:
    from .districts import load_districts

    return load_districts(path, **options)


def _load_places(path: Path, store: Store, **options) -> LoadResult:
    from .places import load_places

    return load_places(path, **options)


def _load_incidents(path: Path, store: Store, **options) -> LoadResult:
    from .incidents import load_incidents

    districts = store.read("districts") if store.has("districts") else None
    return load_incidents(path, districts=districts, **options)


def _load_measurements(path: Path, store: Store, *, crs: str | None, **options) -> LoadResult:
    from .measurements import load_measurements

    known: list[str] = []
    if store.has("districts"):
        known += store.read("districts")["district_id"].astype(str).tolist()
    if store.has("places"):
        known += store.read("places")["place_id"].astype(str).tolist()
    return load_measurements(path, known_areas=known if known else None, **options)


def _load_statbank(kind: str) -> Callable[..., LoadResult]:
    def load(path: Path, store: Store, **options) -> LoadResult:
        from .statbank import load_statbank

        return load_statbank(kind, path, **options)

    return load


_LOADERS: dict[str, Callable[..., LoadResult]] = {
    "districts": _load_districts,
    "places": _load_places,
    "incidents": _load_incidents,
    "measurements": _load_measurements,
    "kommune_crimes": _load_statbank("kommune_crimes"),
    "kommune_population": _load_statbank("kommune_population"),
}


def _reassigned_incidents(store: Store, districts: pd.DataFrame) -> tuple[Version, str]:
    """The stored incidents with districts assigned again, and a sentence saying what changed."""
    incidents = store.read("incidents")
    before = incidents["district_id"].astype(object)
    enriched = enrich_incidents(incidents, districts)
    changed = int((enriched["district_id"].astype(object).fillna("") != before.fillna("")).sum())
    meta = store.meta("incidents")
    report = dict(meta.get("report", {}))
    report["outside_districts"] = int(enriched["district_id"].isna().sum())
    version = Version(
        "incidents",
        enriched,
        store.read_rejected("incidents"),
        report,
        demo=bool(meta.get("demo")),
        source=meta.get("source"),
    )
    note = (
        f"De gemte {KIND_LABELS['incidents']} fik tildelt de nye områder "
        f"({changed} skiftede område, {report['outside_districts']} ligger uden for)."
    )
    return version, note


def _keep_rejected_of_failed_import(store: Store, result: LoadResult) -> None:
    report = result.report()
    reasons = ", ".join(f"{k} {v}" for k, v in report.get("rejected_reasons", {}).items())
    reason = "Ingen rækker blev godkendt" + (f" (afvist: {reasons})" if reasons else "") + "."
    path = store.record_failed_import(result.kind, result.rejected, report, reason)
    result.warnings.append(
        f"Ingen rækker blev godkendt, så de nuværende {KIND_LABELS[result.kind]} er uændrede. "
        f"De afviste rækker står i {path}."
    )


def import_upload(
    kind: str,
    name: str,
    data: bytes,
    *,
    store: Store | None = None,
    kommune_upload: tuple[str, bytes] | None = None,
    **options,
) -> LoadResult:
    """Import bytes uploaded in the dashboard, with the same checks as :func:`import_file`.

    The store writes the bytes under ``<data>/uploads/`` (:meth:`Store.upload`) with a cleaned
    file name (no folders, no ``..``), so an upload can never write anywhere else.
    ``kommune_upload`` (name, bytes) is an uploaded file of kommune boundaries, staged the same
    way and passed on as ``kommune_file``.
    """
    check_kind(kind)
    store = store or Store()
    with ExitStack() as stack:
        target = stack.enter_context(staged_upload(name, data, store))
        if kommune_upload is not None:
            options["kommune_file"] = stack.enter_context(staged_upload(*kommune_upload, store))
        return import_file(kind, target, store=store, **options)


def preview_upload(
    kind: str,
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    crs: str | None = None,
    store: Store | None = None,
) -> Preview:
    """The uploaded file read as the loader of ``kind`` will read it (the wizard's preview)."""
    check_kind(kind)
    store = store or Store()
    with staged_upload(name, data, store) as target:
        return preview_file(kind, target, layer=layer, crs=crs)


def detect_upload(
    name: str,
    data: bytes,
    *,
    layer: str | None = None,
    crs: str | None = None,
    store: Store | None = None,
) -> KindGuess:
    """The kind an uploaded file seems to hold, and why (the wizard's preselection).

    A file that cannot be read gives a guess of None: the preview that follows names the
    problem in the words of the chosen kind's loader.
    """
    store = store or Store()
    with staged_upload(name, data, store) as target:
        try:
            return detect_kind(target, layer=layer, crs=crs)
        except TrygGeoError:
            return KindGuess(None, "Datatypen kunne ikke genkendes, fordi filen ikke kunne læses.")


@contextmanager
def staged_upload(name: str, data: bytes, store: Store) -> Iterator[Path]:
    """Uploaded bytes as a file of their own under ``<data>/uploads/`` (written by
    :meth:`Store.upload`), removed afterwards.

    Raises
    ------
    UnusableFileError
        The upload is larger than the ``upload_limit_mb`` setting.
    """
    limit_mb = settings.get("upload_limit_mb")
    if len(data) > limit_mb * 1_000_000:
        raise UnusableFileError(
            f"{safe_file_name(name)} fylder {len(data) / 1_000_000:.0f} MB; grænsen er {limit_mb} MB.",
            file=name,
            expected=f"højst {limit_mb} MB",
        )
    with store.upload(safe_file_name(name), data) as target:
        yield target


def safe_file_name(name: str) -> str:
    """The last part of ``name`` with only letters, digits, '.', '-' and '_' (æøå kept)."""
    import re

    base = re.split(r"[\\/]", str(name))[-1]
    cleaned = re.sub(r"[^0-9A-Za-zÆØÅæøå._-]", "_", base).lstrip(".")[:120]
    return cleaned or "upload"
