"""The source line under every view and export: where the numbers come from, and when.

Each kind of data is named by what was given at import (``import --source``, the Data page's
"Kilde"), so a police export from another district is never called "Nordjyllands Politi".
Real data imported without a source is named by its file and import date; only demo data (and
a dataset built in code, which has no import record) keeps the registry's wording below.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from ..compute.registry import Indicator
from ..fmt import day
from ..store.dataset import Dataset

#: The registry's wording, used for demo data only. "{partnerskab}" is the partnership's name
#: in the genitive (``partnerskab.toml``, :func:`worded`).
POLICE = "Nordjyllands Politi (anmeldelser)"
SURVEY = "Tryghedsundersøgelsen"
REGISTRATIONS = "{partnerskab} registreringer"
#: The separator between two sources (a source may itself contain commas).
SEPARATOR = "; "


#: Each kind's name in a data label ("Områder: demodata · Hændelser: …").
PART_NAMES = {
    "districts": "Områder",
    "places": "Steder",
    "incidents": "Hændelser",
    "measurements": "Målinger",
    "kommune_crimes": "Anmeldelser pr. kommune",
    "kommune_population": "Befolkning pr. kommune",
}
#: The registry's wording per kind, for a part built in code (no import record).
PART_WORDING = {
    "districts": "områder",
    "places": "steder",
    "incidents": POLICE,
    "measurements": REGISTRATIONS,
    "kommune_crimes": "Danmarks Statistik, Statistikbanken STRAF11",
    "kommune_population": "Danmarks Statistik, Statistikbanken FOLK1A",
}
#: The label of a view whose every part is demo data.
ALL_DEMO = "Demodata"
DEMO_WORD = "demodata"
#: The red badge on a picture or slide of demo data, and of data only partly demo.
BADGE = "DEMODATA"
PARTIAL_BADGE = "DELVIS DEMODATA"


@dataclass(frozen=True)
class DemoMark:
    """Which parts of a view are demo data, and how the view says so.

    ``kinds``: the loaded kinds the view uses that are demo data (empty: none is).
    ``label``: None when no part is demo; :data:`ALL_DEMO` when every part is; otherwise each
    part named ('Områder: demodata · Hændelser: Nordjyllands Politi, udtræk 2025'), so real
    numbers are never called demo and demo boundaries are never called real.
    """

    kinds: tuple[str, ...] = ()
    label: str | None = None

    @property
    def demo(self) -> bool:
        return bool(self.kinds)

    @property
    def partial(self) -> bool:
        return self.label not in (None, ALL_DEMO)


def badge_text(demo: bool, label: str | None) -> str | None:
    """The badge for a view or deck (``demo`` and its demo label): None on real data."""
    if not demo:
        return None
    return BADGE if label in (None, ALL_DEMO) else PARTIAL_BADGE


def part_is_demo(ds: Dataset, kind: str) -> bool:
    """True when the loaded data of ``kind`` is (or contains) demo data."""
    if getattr(ds, kind, None) is None:
        return False
    meta = ds.provenance.get(kind)
    return ds.demo if meta is None else bool(meta.get("demo"))


def data_label(ds: Dataset, kinds: Iterable[str]) -> str:
    """Each loaded part of ``kinds`` with where it comes from, demo parts as 'demodata':
    'Områder: demodata · Hændelser: Nordjyllands Politi, udtræk 2025'."""
    named = []
    for kind in _in_order(kinds):
        if getattr(ds, kind, None) is None:
            continue
        meta = ds.provenance.get(kind) or {}
        if part_is_demo(ds, kind):
            text = str(meta.get("source") or DEMO_WORD)  # an append onto demo names both
        else:
            text = kind_source(ds, kind, PART_WORDING[kind]) or ""
        named.append(f"{PART_NAMES[kind]}: {text}")
    return " · ".join(named)


def demo_mark(ds: Dataset, kinds: Iterable[str]) -> DemoMark:
    """What a view built from ``kinds`` (the data kinds it reads or draws) says about demo data."""
    wanted = _in_order(kinds)
    used = [k for k in wanted if getattr(ds, k, None) is not None]
    if not used:  # a view without data in a demo folder: it still says where it is
        return DemoMark(tuple(wanted), ALL_DEMO) if ds.demo else DemoMark()
    demo = tuple(k for k in used if part_is_demo(ds, k))
    if not demo:
        return DemoMark()
    if len(demo) == len(used):
        return DemoMark(demo, ALL_DEMO)
    return DemoMark(demo, data_label(ds, used))


def _in_order(kinds: Iterable[str]) -> list[str]:
    """``kinds`` once each, in the order of :data:`PART_NAMES` (areas first, then numbers)."""
    wanted = set(kinds)
    return [k for k in PART_NAMES if k in wanted]


def source_line(parts: list[str], *, demo: bool | DemoMark, extracted: date | None = None) -> str:
    """'Kilde: A; B · udtrukket 25.11.2026' — and 'Demodata' first when the data is generated;
    when only some parts are ('Demodata: områder (genereret, ikke rigtige tal) · Kilde: …')."""
    extracted = extracted or date.today()
    mark = demo if isinstance(demo, DemoMark) else DemoMark(("all",) if demo else (), ALL_DEMO)
    prefix = ""
    if mark.partial:
        which = ", ".join(PART_NAMES[k].lower() for k in mark.kinds)
        prefix = f"Demodata: {which} (genereret, ikke rigtige tal) · "
    elif mark.demo:
        prefix = "Demodata (genereret, ikke rigtige tal) · "
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
        return worded(ds, wording)
    if meta.get("source"):
        return str(meta["source"])
    if meta.get("demo"):
        return worded(ds, wording)
    return imported_file(meta)


def worded(ds: Dataset, wording: str) -> str:
    """The registry's ``wording`` with the partnership's name ('Tryg Aalborgs registreringer')."""
    return wording.replace("{partnerskab}", ds.partnership.genitive)


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
    if indicator.survey:
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
