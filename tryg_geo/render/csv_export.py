"""The CSV snapshot of a view: exactly the numbers shown, after checking the discretion rule.

Made from the same :class:`~tryg_geo.views.model.View` as the screen, by the dashboard's
buttons and by ``python -m tryg_geo export``/``pack``: one code path, the same numbers.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from ..compute.privacy import COMPLEMENTARY_TEXT, COMPLEMENTARY_WHY, small, threshold
from ..csv_safe import csv_bytes
from ..errors import ExportError, UsageError
from ..role_files import LEAST_ROLE, for_role
from ..views.model import View
from ..views.sources import SEPARATOR as SOURCE_SEPARATOR

DIALECTS: dict[str, str] = {"excel": "Excel (dansk)", "standard": "Standard"}

#: Every column a CSV export can have, with its meaning (README and index.md show this list).
COLUMN_DOCS: dict[str, str] = {
    "view": "Visningen, som tallene kommer fra (fx natteliv eller indsats/tryg-bydel).",
    "data": "'Demodata', når tallene er genererede eksempeldata; er kun en del af data "
    "demodata, nævnes hver del (fx 'Områder: demodata · Hændelser: Nordjyllands Politi').",
    "source": "Datakilden, som den blev angivet ved import (fx 'Nordjyllands Politi, udtræk "
    "2025'); uden angivelse filens navn og importdato. I analysernes CSV hele kildelinjen med "
    "udtrækkets dato (Demodata, når data er genererede).",
    "data_as_of": "Data pr.: datoen for den seneste hændelse og for den seneste import, så "
    "ingen tager sidste kvartals tal for dagens (Kommuner: Statistikbankens seneste kvartal og "
    "importen af dens tabeller).",
    "slug": "Indsatsens korte navn (som i indsats/<slug>).",
    "title": "Indsatsens navn.",
    "part": "Del af indsatsens visning: nøgletal, udvikling eller kort.",
    "indicator": "Indikatorens id (fx tryg_andel, haendelser_pr_1000).",
    "unit": "Enhed: andel (0–1), antal, pr_1000, personer, timer eller score.",
    "period": "Perioden tallet gælder (år, måned, kvartal eller fra/til).",
    "previous_period": "Samme periode året før.",
    "value": "Tallet som vist (andele som 0–1).",
    "previous_value": "Tallet for samme periode året før.",
    "n": "Antal svar eller forløb bag en andel.",
    "ci_low": "Nedre grænse af 95 %-intervallet for en andel.",
    "ci_high": "Øvre grænse af 95 %-intervallet for en andel.",
    "small_n": "ja, når andelen bygger på for få svar (usikker).",
    "change": "Ændring mod året før i enheden change_unit.",
    "change_unit": "Enhed for change: relativ (0,1 = +10 %), procentpoint eller point.",
    "change_pp": "Ændring mod året før i procentpoint.",
    "change_pct": "Relativ ændring mod året før (0,1 = +10 %); tom, når et tal er skjult.",
    "target": "Målet for indikatoren (samme enhed som value).",
    "status": "Status mod målet: på sporet, ikke på sporet, intet mål eller ingen data.",
    "significant": "ja, når ændringen (for Knox: ratioen) næppe skyldes tilfældigheder (p < 0,05, Benjamini–Hochberg-korrigeret på Overblik).",
    "suppressed": "ja, når et tal i rækken er skjult, fordi det er under diskretionsgrænsen "
    "eller (complementary = ja) så en lille optælling ikke kan regnes ud af totalen.",
    "previous_suppressed": "ja, når tallet for året før er skjult.",
    "complementary": "ja, når tallet er skjult uden selv at være lille: det er "
    f"{COMPLEMENTARY_WHY}, og står som '{COMPLEMENTARY_TEXT}'.",
    "previous_complementary": "ja, når tallet for året før er skjult, så en lille optælling "
    "ikke kan regnes ud af totalen.",
    "value_complementary": "ja, når value er skjult, så en lille optælling ikke kan regnes "
    "ud af totalen (står som 'skjult').",
    "previous_value_complementary": "ja, når previous_value er skjult, så en lille optælling "
    "ikke kan regnes ud af totalen.",
    "incidents_complementary": "ja, når incidents er skjult, så en lille optælling ikke kan "
    "regnes ud af totalen (står som 'skjult').",
    "previous_incidents_complementary": "ja, når previous_incidents er skjult, så en lille "
    "optælling ikke kan regnes ud af totalen.",
    "value_suppressed": "ja, når value er skjult.",
    "previous_value_suppressed": "ja, når previous_value er skjult.",
    "incidents_suppressed": "ja, når incidents er skjult.",
    "previous_incidents_suppressed": "ja, når previous_incidents er skjult.",
    "district_id": "Områdets id.",
    "district_name": "Områdets navn.",
    "area_id": "Id for området eller stedet, tallet gælder (kommune = hele kommunen).",
    "area_name": "Navnet på området eller stedet.",
    "place_id": "Stedets id.",
    "place_name": "Stedets navn.",
    "kind": "Stedets art (torv, plads, park, havnefront …).",
    "cell_id": "Cellens id i Det Danske Kvadratnet (DDKN).",
    "cell_size": "Cellestørrelse: 100m, 250m eller 1km.",
    "categories": "Hændelseskategorierne, der er talt med.",
    "population": "Indbyggere i området.",
    "incidents": "Antal hændelser (tom, når tallet er skjult).",
    "previous_incidents": "Antal hændelser i samme periode året før (tom, når skjult).",
    "incidents_per_1000": "Hændelser pr. 1.000 indbyggere (tom, når antallet er skjult).",
    "incidents_change_pct": "Relativ ændring i hændelser mod året før (0,1 = +10 %).",
    "change_class": "Ændringen testet: markant stigning, markant fald, ingen sikker ændring eller for få til en test.",
    "gi_z": "Getis-Ord Gi* z-værdi for cellen og dens naboer (2 decimaler).",
    "p_value": "Tosidet p-værdi (for Knox: andelen af permutationer med mindst så mange par).",
    "p_fdr": "p-værdien korrigeret for mange test (Benjamini–Hochberg, False Discovery Rate).",
    "hotspot_class": "Hot spot / cold spot 99 %, 95 %, 90 % eller ikke signifikant.",
    "space_from_m": "Nær-gentagelse: afstandsbåndets start i meter (med).",
    "space_to_m": "Nær-gentagelse: afstandsbåndets slut i meter (ikke med); tom for det åbne bånd.",
    "time_from_days": "Nær-gentagelse: tidsbåndets start i dage (med).",
    "time_to_days": "Nær-gentagelse: tidsbåndets slut i dage (ikke med); tom for det åbne bånd.",
    "observed": "Observerede par af hændelser i båndet (tom, når under diskretionsgrænsen).",
    "expected": "Forventede par, når datoerne blandes tilfældigt (gennemsnit over permutationer).",
    "knox_ratio": "Knox-ratio: observeret / forventet (over 1 = flere par end tilfældigt).",
    "category": "Nye og vedvarende hotspots: cellens mønster på dansk (fx Vedvarende hotspot); "
    "kun celler med et mønster har en række.",
    "category_key": "Mønstrets faste nøgle (fx persistent_hot, som ArcGIS' Persistent Hot Spot).",
    "hot_steps": "Antal perioder, hvor cellen var et signifikant hotspot.",
    "cold_steps": "Antal perioder, hvor cellen var et signifikant coldspot.",
    "mk_s": "Mann–Kendall S for cellens Gi* z-værdier over perioderne (analytikere).",
    "mk_tau": "Kendalls tau for tendensen (−1 til 1; analytikere).",
    "mk_p": "Tendensens tosidede p-værdi (Mann–Kendall; analytikere).",
    "mk_z": "Tendensens z-værdi (Mann–Kendall; analytikere).",
    "z_<periode>": "Gi* z-værdi i perioden, fx z_2025_q1 for 1. kvartal 2025 (analytikere).",
}
COUNTED_UNITS = ("antal", "personer")  # values that count people or events: discretion applies


# ---- CSV --------------------------------------------------------------------------------------
def view_csv(view: View, dialect: str = "excel", *, role: str = LEAST_ROLE) -> bytes:
    """The view's table as ``role`` may have it, as CSV bytes, after the discretion check.

    Parameters
    ----------
    view : the view shown on screen.
    dialect : 'excel' — ';', decimal comma, UTF-8 with BOM, CRLF (Danish Excel opens it on a
        double-click) — or 'standard' — ',', decimal point, UTF-8, LF. In both, text that a
        spreadsheet would run as a formula gets a leading apostrophe (:mod:`tryg_geo.csv_safe`).
    role : whose file it is: columns the role may not see are left out
        (:func:`tryg_geo.role_files.for_role`); default the most restrictive role.

    Raises
    ------
    UsageError
        When ``dialect`` is not one of :data:`DIALECTS`.
    ExportError
        When a count below the threshold would be written (see :func:`suppression_problems`).
    """
    check_dialect(dialect)
    table = csv_table(for_role(view, role))
    return frame_csv(table, dialect, what=f"visningen {view.key!r}")


def frame_csv(table: pd.DataFrame, dialect: str = "excel", *, what: str = "tabellen") -> bytes:
    """A table as CSV bytes in ``dialect``, exactly its columns, after the discretion check.

    Raises
    ------
    UsageError
        When ``dialect`` is not one of :data:`DIALECTS`.
    ExportError
        When a count below the threshold would be written (see :func:`suppression_problems`).
    """
    check_dialect(dialect)
    problems = suppression_problems(table)
    if problems:
        raise ExportError(
            f"CSV for {what} blev ikke lavet, fordi den ville vise små tal: "
            + "; ".join(problems)
            + ". Det er en fejl i Tryg Geo; kontakt udviklerne."
        )
    return dialect_bytes(table, dialect)


def dialect_bytes(table: pd.DataFrame, dialect: str) -> bytes:
    """``table`` as CSV bytes in ``dialect``, formula-like text neutralised
    (:func:`tryg_geo.csv_safe.neutralise`); no discretion check (for indexes and listings)."""
    check_dialect(dialect)
    if dialect == "excel":
        return csv_bytes(table, sep=";", decimal=",", bom=True, lineterminator="\r\n")
    return csv_bytes(table)


def check_dialect(dialect: str) -> str:
    """Return ``dialect`` when allowed, else raise a Danish :class:`UsageError`."""
    if dialect not in DIALECTS:
        raise UsageError(f"--dialect {dialect!r} er ikke tilladt; vælg {' eller '.join(DIALECTS)}.")
    return dialect


def csv_table(view: View) -> pd.DataFrame:
    """The exported columns: ``view``, ``data`` (on demo data: 'Demodata', or when only some
    parts are demo each part named, :attr:`View.demo_label`), ``source``, then the
    view's table with yes/no columns written as 'ja'/'nej', and last ``data_as_of`` ("Data
    pr. …", :attr:`View.as_of`).

    ``source`` is the table's own per-row column when it has one (Overblik and the indsatser,
    whose rows come from different data), else the view's sources (:attr:`View.sources`).
    """
    table = view.table.copy()
    for column in table.columns:
        if table[column].dtype == bool:
            table[column] = np.where(table[column].to_numpy(), "ja", "nej").astype(object)
        elif isinstance(table[column].dtype, pd.BooleanDtype):
            table[column] = table[column].map({True: "ja", False: "nej"})
    source = (
        table.pop("source").astype(object)
        if "source" in table.columns
        else pd.Series(SOURCE_SEPARATOR.join(view.sources), index=table.index, dtype=object)
    )
    table.insert(0, "view", view.key)
    if view.demo:  # 'Demodata', or each part named when only some are demo
        table.insert(1, "data", view.demo_label or "Demodata")
    table.insert(2 if view.demo else 1, "source", source)
    if view.as_of:  # how fresh the numbers are: the last column of every row (no CSV footer)
        table["data_as_of"] = view.as_of
    return table


def read_csv(data: bytes, dialect: str = "excel") -> pd.DataFrame:
    """Read an exported CSV back (the inverse of :func:`view_csv`, used by tests and ``pack``)."""
    check_dialect(dialect)
    if dialect == "excel":
        return pd.read_csv(io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig")
    return pd.read_csv(io.BytesIO(data), encoding="utf-8")


def _count_columns(table: pd.DataFrame) -> list[str]:
    names = ("incidents", "previous_incidents", "count", "n")
    return [
        c
        for c in table.columns
        if c in names or c.endswith("_count") or (c.endswith("_incidents") and c != "incidents")
    ]


def _small(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce").astype("float64")
    return pd.Series(small(numbers), index=numbers.index)


def _filled(values: pd.Series) -> pd.Series:
    values = pd.Series(values)
    if pd.api.types.is_numeric_dtype(values.dtype):  # a number is never a blank text
        return values.notna()
    return values.notna() & (values.astype(str).str.strip() != "")


def is_flagged(values: pd.Series) -> pd.Series:
    if values.dtype == bool:
        return values
    words = values.isin(["ja", "nej"])
    if words.all():  # the CSV's own yes/no column: compared at once, not value by value
        return values.eq("ja").astype(bool)
    return values.map(lambda v: v is True or v == "ja" or v is np.True_).astype(bool)


def suppression_problems(table: pd.DataFrame) -> list[str]:
    """What in ``table`` breaks the discretion rule, in Danish; empty when nothing does.

    Checked: no count column (incidents, previous_incidents, n, …_count) and no ``value`` or
    ``previous_value`` of unit 'antal' or 'personer' holds a number from 1 to threshold − 1; where a
    ``<column>_suppressed`` flag is set, ``<column>`` is empty; where the row flag
    ``suppressed`` is set (in tables without column flags), the row's own count, rate, value
    and change are empty (last year's count has its own check above).
    """
    problems = []
    for column in _count_columns(table):
        if _small(table[column]).any():
            problems.append(f"kolonnen {column} har tal under {threshold()}")
    if "unit" in table.columns:
        counts = table["unit"].astype(str).isin(COUNTED_UNITS)
        for column in ("value", "previous_value"):
            if column in table.columns and (_small(table[column]) & counts).any():
                problems.append(f"kolonnen {column} har antal under {threshold()}")
    flags = [c for c in table.columns if c.endswith("_suppressed")]
    for flag in flags:
        base = flag.removesuffix("_suppressed")
        base = base if base in table.columns else f"{base}_value"
        if base in table.columns and (is_flagged(table[flag]) & _filled(table[base])).any():
            problems.append(f"kolonnen {base} har et tal, hvor {flag} er sat")
    if "suppressed" in table.columns and not flags:
        hidden = is_flagged(table["suppressed"])
        for column in ("incidents", "incidents_per_1000", "value", "change_pct", "count"):
            if column in table.columns and (hidden & _filled(table[column])).any():
                problems.append(f"kolonnen {column} har et tal i en skjult række")
    return problems
