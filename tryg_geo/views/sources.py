"""The source line under every view and export: where the numbers come from, and when.

Each kind of data is named by what was given at import (``import --source``, the Data page's
"Kilde"), so a police export from another district is never called "Nordjyllands Politi".
Real data imported without a source is named by its file and import date; only demo data (and
a dataset built in code, which has no import record) keeps the registry's wording below.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from ..compute.registry import Indicator
from ..fmt import day
from ..store.dataset import Dataset

#: The registry's wording, used for demo data only.
POLICE = "Nordjyllands Politi (anmeldelser)"
SURVEY = "Tryghedsundersøgelsen"
REGISTRATIONS = "Tryg Aalborgs registreringer"
#: Measurements that come from Tryghedsundersøgelsen (the rest are Tryg Aalborg's own).
SURVEY_MEASUREMENTS = frozenset({"tryg_andel", "tillid_politi_andel"})
#: The separator between two sources (a source may itself contain commas).
SEPARATOR = "; "


def source_line(parts: list[str], *, demo: bool, extracted: date | None = None) -> str:
    """'Kilde: A; B · udtrukket 25.11.2026' — and 'Demodata' first when the data is generated."""
    extracted = extracted or date.today()
    prefix = "Demodata (genereret, ikke rigtige tal) · " if demo else ""
    named = SEPARATOR.join(parts) if parts else "ingen data indlæst"
    return f"{prefix}Kilde: {named} · udtrukket {day(extracted)}"


def kind_source(ds: Dataset, kind: str, wording: str) -> str | None:
    """Where the loaded data of ``kind`` comes from, in words; None when ``kind`` is not loaded.

    Parameters
    ----------
    ds : the loaded data (its ``provenance`` holds each kind's import record).
    kind : 'incidents', 'measurements', 'districts' or 'places'.
    wording : the registry's name for this data (e.g. :data:`POLICE`), used for demo data.

    Returns
    -------
    str or None
        The source given at import; else, for demo data, ``wording``; else the file's name
        and import date ('politi_2025.csv (importeret 30.11.2026)').
    """
    if getattr(ds, kind, None) is None:
        return None
    meta = ds.provenance.get(kind)
    if meta is None:  # built in code, not read from a data folder: no import record
        return wording
    if meta.get("source"):
        return str(meta["source"])
    if meta.get("demo"):
        return wording
    return imported_file(meta)


def imported_file(meta: dict) -> str:
    """'politi_2025.csv (importeret 30.11.2026)' from a version's meta.json."""
    name = str(meta.get("file") or "ukendt fil")
    stamp = str(meta.get("imported_at") or "")
    try:
        return f"{name} (importeret {day(date.fromisoformat(stamp[:10]))})"
    except ValueError:
        return name


def indicator_part(indicator: Indicator) -> tuple[str, str]:
    """The kind an indicator's numbers come from, and the registry's wording for it."""
    if indicator.source == "incidents":
        return "incidents", POLICE
    if indicator.measurement_name in SURVEY_MEASUREMENTS:
        return "measurements", SURVEY
    return "measurements", REGISTRATIONS


def indicator_source(ds: Dataset, indicator: Indicator) -> str:
    """The source of one indicator's numbers ('' when its kind of data is not loaded)."""
    return kind_source(ds, *indicator_part(indicator)) or ""


def data_sources(ds: Dataset, parts: Iterable[tuple[str, str]]) -> list[str]:
    """The sources of ``parts`` ((kind, registry wording) pairs): loaded kinds only, once each."""
    named: list[str] = []
    for kind, wording in parts:
        text = kind_source(ds, kind, wording)
        if text and text not in named:
            named.append(text)
    return named
