"""The digest "Nyt fra Tryg Geo" as data: what arrived, what changed, what needs acting on.

:func:`digest_view` reads the store's records and the analyses the pages already show and
returns a :class:`Digest`: sections of one-line Danish items, each with a link to the page
with the same filters. It holds nothing the recipient's role may not see: the rules are
``role_files.DETAILS`` under the key :data:`KEY` (leaders get the change and whether it is
marked; analysts also the corrected p-values and z-values), counts keep the discretion rule
(``compute.privacy``), and a digest of demo data says "Demodata". The e-mail itself is
written by :mod:`tryg_geo.render.mail`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import pandas as pd

from ..analysis.change import DOWN, UP, district_count_changes
from ..analysis.emerging import emerging_hotspots
from ..compute.filters import Filters
from ..compute.indicators import OFF_TRACK, ON_TRACK, headline
from ..compute.privacy import count_text, hidden_rule
from ..compute.registry import load_initiatives
from ..errors import UsageError
from ..fmt import day, number, percent, signed_percent
from ..periods import label as period_label
from ..role_files import hidden_columns
from ..store.dataset import Dataset
from ..store.folder import Store
from ..store.notices import alert_log
from ..store.schema import KIND_LABELS
from .analysis_maps import CHANGE_MODE, MAP_MODE_PARAM
from .emerging import EMERGING_MODE, STEP_PARAM
from .registry import INITIATIVE_PREFIX, default_filters, page_url

KEY = "nyt"
TITLE = "Nyt fra Tryg Geo"
#: The most items a section lists (the link shows the rest).
MAX_ITEMS = 10
#: The hot spot section: emerging hot spots of 250 m cells, month by month over the digest's
#: period, and the patterns it lists (ArcGIS's new and intensifying hot spots).
HOTSPOT_CELL, HOTSPOT_STEP = "250m", "month"
HOTSPOT_PATTERNS: tuple[str, ...] = ("new_hot", "intensifying_hot")


@dataclass(frozen=True)
class Item:
    """One line of plain Danish and the page that shows it with the same filters."""

    text: str
    link: str


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]
    empty: str  # what the section says when it has no item
    more: int = 0  # items left out beyond MAX_ITEMS
    note: str | None = None  # a caveat under the items (e.g. Gi* on sparse cells)


@dataclass
class Digest:
    """Everything one e-mail says, for one role."""

    title: str
    partnership: str
    role: str
    since: datetime | None
    period: tuple[date, date]
    demo: bool
    sections: list[Section]
    notes: list[str] = field(default_factory=list)
    filters: Filters | None = None

    @property
    def subject(self) -> str:
        demo = " – Demodata" if self.demo else ""
        return (
            f"{self.title}: {self.partnership}, {day(self.period[0])}–{day(self.period[1])}{demo}"
        )

    @property
    def since_text(self) -> str:
        if self.since is None:
            return "Første udgave: alt, der er indlæst."
        return f"Siden sidste udgave {day(self.since)} kl. {self.since:%H.%M}."


def digest_view(
    ds: Dataset,
    store: Store,
    *,
    role: str,
    since: datetime | None,
    base_url: str,
) -> Digest:
    """The digest for ``role`` of what happened after ``since`` (None: everything).

    The analyses use the pages' default filters (the latest 12 months with data), so every
    link opens the page as the digest describes it.
    """
    filters = default_filters(ds)
    detail = "p_fdr" not in hidden_columns(KEY, role)
    sections = [
        _arrived(store, since),
        _changes(ds, filters, base_url, detail),
        _hotspots(ds, filters, base_url, detail),
        _off_track(ds, filters, base_url),
        _alerts(store, since, role, base_url),
    ]
    return Digest(
        title=TITLE,
        partnership=ds.partnership.name,
        role=role,
        since=since,
        period=(filters.start, filters.end),
        demo=bool(ds.demo),
        sections=sections,
        notes=[hidden_rule()],
        filters=filters,
    )


def _capped(title: str, items: list[Item], empty: str) -> Section:
    return Section(title, items[:MAX_ITEMS], empty, max(0, len(items) - MAX_ITEMS))


def _arrived(store: Store, since: datetime | None) -> Section:
    items = []
    for entry in reversed(store.log_entries(last=500)):
        if entry.get("action") != "import" or not _after(entry.get("at"), since):
            continue
        kind = KIND_LABELS.get(entry.get("kind", ""), entry.get("kind", ""))
        source = entry.get("source") or ("demodata" if entry.get("demo") else entry.get("file"))
        span = entry.get("period")
        period = (
            f", data fra {day(date.fromisoformat(span[0]))} til {day(date.fromisoformat(span[1]))}"
            if span
            else ""
        )
        rows = entry.get("accepted", entry.get("rows"))
        counted = f"{count_text(int(rows))} rækker" if rows is not None else "ukendt antal rækker"
        when = datetime.fromisoformat(entry["at"])
        items.append(
            Item(
                f"{kind.capitalize()} fra {source} indlæst {day(when)}: {counted}{period}.",
                "",
            )
        )
    return _capped("Nye data", items, "Ingen nye data siden sidste udgave.")


def _after(stamp: str | None, since: datetime | None) -> bool:
    if not stamp:
        return False
    # Stamps are whole seconds: an import in the second a digest was composed counts for the
    # next one too (twice is better than never).
    return since is None or datetime.fromisoformat(stamp) >= since.replace(microsecond=0)


def _changes(ds: Dataset, filters: Filters, base_url: str, detail: bool) -> Section:
    if not ds.has_incidents:
        return Section("Markante ændringer mod samme periode sidste år", [], "Ingen hændelser.")
    table = district_count_changes(ds, start=filters.start, end=filters.end)
    marked = table[table["significant"] & table["change_class"].isin([UP, DOWN])]
    marked = marked.reindex(marked["change_pct"].abs().sort_values(ascending=False).index)
    items = []
    for row in marked.itertuples():
        word = "steg" if row.change_class == UP else "faldt"
        p = f" (korrigeret p = {number(row.p_fdr, 4)})" if detail else ""
        text = (
            f"{row.district_name}: hændelserne {word} {signed_percent(row.change_pct)}, "
            f"{count_text(int(row.incidents))} mod {count_text(int(row.previous_incidents))} "
            f"samme periode sidste år – {row.change_class.lower()}{p}."
        )
        params = filters.with_(district=row.district_id).to_params() | {MAP_MODE_PARAM: CHANGE_MODE}
        items.append(Item(text, page_url("tryg-bydel", params, base_url)))
    return _capped(
        "Markante ændringer mod samme periode sidste år",
        items,
        "Ingen områder med en markant ændring mod samme periode sidste år.",
    )


def _hotspots(ds: Dataset, filters: Filters, base_url: str, detail: bool) -> Section:
    """New and intensifying hot spots: the emerging hot spot analysis (as on Analyse) of the
    digest's period, one line per pattern, strongest cell (the final month's Gi* z) first."""
    title = "Nye og tiltagende hotspots (250 m-celler)"
    if not ds.has_incidents:
        return Section(title, [], "Ingen hændelser.")
    try:
        found = emerging_hotspots(
            ds, step=HOTSPOT_STEP, start=filters.start, end=filters.end, size=HOTSPOT_CELL
        )
    except UsageError as exc:  # too few months of data
        return Section(title, [], exc.message)
    extra = {**filters.extra, MAP_MODE_PARAM: EMERGING_MODE, STEP_PARAM: HOTSPOT_STEP}
    link = page_url("analyse", filters.with_(cell=HOTSPOT_CELL, extra=extra).to_params(), base_url)
    final_z = found.z[:, -1]
    items = []
    for key in HOTSPOT_PATTERNS:
        rows = [i for i in range(len(found.ids)) if found.category[i] == key]
        if not rows:
            continue
        rows.sort(key=lambda i: -float(final_z[i]))  # strongest first
        named = [
            f"{found.ids[i]} (z = {number(float(final_z[i]), 2)})" if detail else str(found.ids[i])
            for i in rows[:MAX_ITEMS]
        ]
        rest = f" og {number(len(rows) - MAX_ITEMS)} flere" if len(rows) > MAX_ITEMS else ""
        items.append(
            Item(
                f"{_pattern_words(key, len(rows), found.periods)} Stærkest først: "
                f"{', '.join(named)}{rest}.",
                link,
            )
        )
    return _capped(title, items, "Ingen nye eller tiltagende hotspots i perioden.")


def _pattern_words(key: str, cells: int, periods: tuple[str, ...]) -> str:
    """'3 celler er nye hot spots i december 2025: …' — what the pattern means, in the
    digest's months."""
    one = cells == 1
    count = "Én celle" if one else f"{number(cells)} celler"
    first, before, last = (period_label(p) for p in (periods[0], periods[-2], periods[-1]))
    if key == "new_hot":
        what = "er et nyt hotspot" if one else "er nye hotspots"
        return f"{count} {what} i {last}: ikke et hotspot i nogen måned før ({first}–{before})."
    what = "er et tiltagende hotspot" if one else "er tiltagende hotspots"
    return (
        f"{count} {what}: hotspot i mindst 90 % af månederne {first}–{last}, også den sidste, "
        "og stadig stærkere."
    )


def _off_track(ds: Dataset, filters: Filters, base_url: str) -> Section:
    items = []
    on_track = 0
    for initiative in load_initiatives():
        summary = headline(ds, initiative, filters)
        on_track += summary.status == ON_TRACK and not summary.suppressed
        if summary.status != OFF_TRACK or summary.suppressed:
            continue
        unit = summary.indicator.unit
        shown = percent(summary.value, 1) if unit == "andel" else number(summary.value, 1)
        target = percent(summary.target, 1) if unit == "andel" else number(summary.target, 1)
        word = "under" if summary.indicator.higher_is_better else "over"
        params = filters.with_(initiative=initiative.slug).to_params()
        items.append(
            Item(
                f"{initiative.title}: {summary.indicator.label} er {shown} ({summary.period}), "
                f"{word} målet på {target}.",
                page_url(f"{INITIATIVE_PREFIX}{initiative.slug}", params, base_url),
            )
        )
    # "All on track" only when some initiative was measured against its target: without
    # numbers nothing is on track, and the mail must not say so.
    empty = (
        f"Alle {number(on_track)} indsatser med mål og tal i perioden er på sporet."
        if on_track
        else "Ingen indsats med et mål har tal i perioden, så intet kan vurderes mod målet."
    )
    return _capped("Indsatser, der ikke er på sporet", items, empty)


def _alerts(store: Store, since: datetime | None, role: str, base_url: str) -> Section:
    items = [
        Item(
            f"{entry.get('rule')}: {entry.get('text')}",
            page_url(entry.get("view", "overblik"), entry.get("params") or {}, base_url),
        )
        for entry in alert_log(store.root)
        if role in (entry.get("roles") or []) and _after(entry.get("fired_at"), since)
    ]
    return _capped("Alarmer", items, "Ingen alarmer siden sidste udgave.")


def digest_frame(digest: Digest) -> pd.DataFrame:
    """The digest as one row per item (section, text, link): the tests' and the CSV's view."""
    return pd.DataFrame(
        [(s.title, i.text, i.link) for s in digest.sections for i in s.items],
        columns=["section", "text", "link"],
    )
