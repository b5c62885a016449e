"""Excel templates for the numbers an initiative's coordinators report themselves.

``python -m tryg_geo template indsats/<slug> --out F.xlsx`` and the initiative page's
"Hent skabelon (Excel)" both call :func:`build_template`: a workbook with Danish instructions on
the first sheet and one sheet per measured indicator, with exactly the columns the measurements
loader needs (``område``, ``periode``, ``indikator``, ``værdi`` and ``n`` for shares), rows
pre-filled with the areas and the coming periods, and data validation on the values.

A filled template is imported as measurements with no column choice: the loader recognises it
(:func:`is_template`) and reads every indicator sheet (:func:`read_template`). Rows whose value
is still empty are not data yet and are skipped; a wrongly filled row is rejected with its
sheet, row, column, value and what was expected (:func:`name_sheets`).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from .. import palette
from ..compute.registry import Indicator, Initiative, get_initiative
from ..errors import UnusableFileError, UsageError
from ..store.folder import Store
from .formats import EXCEL_SUFFIXES
from .tables import Table, read_table

#: Written into the workbook's keywords, so the loader knows a template when it sees one.
TEMPLATE_KEYWORD = "tryg_geo-skabelon"
INSTRUCTIONS_SHEET = "Vejledning"
#: Row numbers of the sheets of one template are kept apart as sheet * ROW_BASE + row.
ROW_BASE = 1_000_000
#: How many coming periods a template holds, per period length.
PERIOD_COUNTS = {"month": 12, "quarter": 4, "year": 2}
PERIOD_WORDS = {"month": "måned", "quarter": "kvartal", "year": "år"}
HEADER = ("område", "områdenavn", "periode", "indikator", "værdi")

#: What a value of each unit must be: (validation type, minimum, maximum, Danish rule).
VALUE_RULES: dict[str, tuple[str, float, float | None, str]] = {
    "andel": ("decimal", 0, 100, "en procent mellem 0 og 100, fx 87,5"),
    "antal": ("whole", 0, None, "et helt tal på 0 eller mere"),
    "personer": ("whole", 0, None, "et helt antal personer på 0 eller mere"),
    "timer": ("decimal", 0, None, "et antal timer på 0 eller mere, fx 12,5"),
    "score": ("decimal", 0, 100, "en score mellem 0 og 100"),
    "pr_1000": ("decimal", 0, None, "et tal pr. 1.000 indbyggere på 0 eller mere"),
}
N_RULE = "et helt antal svar på mindst 1"

# openpyxl takes the hex digits without '#'.
_HEADER_FILL = PatternFill("solid", fgColor=palette.TEMPLATE_HEADER.lstrip("#").upper())
_INPUT_FILL = PatternFill("solid", fgColor=palette.TEMPLATE_INPUT.lstrip("#").upper())


@dataclass(frozen=True)
class SheetPlan:
    """One indicator sheet of a template."""

    title: str
    indicator: Indicator
    areas: tuple[tuple[str, str], ...]  # (id, name)
    periods: tuple[str, ...]

    @property
    def with_n(self) -> bool:
        return self.indicator.unit == "andel"

    @property
    def header(self) -> tuple[str, ...]:
        return HEADER + (("n",) if self.with_n else ())


def template_indicators(initiative: Initiative) -> list[Indicator]:
    """The indicators of ``initiative`` that coordinators report (not counted from incidents)."""
    seen: set[str] = set()
    out = []
    for indicator in initiative.indicators:
        if indicator.source == "incidents" or indicator.measurement_name in seen:
            continue
        seen.add(indicator.measurement_name)
        out.append(indicator)
    return out


def period_length(initiative: Initiative) -> str:
    """'month', 'quarter' or 'year': how often the initiative's numbers are reported.

    Read from the registry's ``data_needed`` sentence ("opgørelse pr. måned/kvartal/halvår/år");
    half-years are reported per quarter, because a period is a year, a quarter or a month.
    """
    text = initiative.data_needed.lower()
    if "pr. måned" in text:
        return "month"
    if "pr. kvartal" in text or "pr. halvår" in text:
        return "quarter"
    if "pr. år" in text or "pr. skoleår" in text or "undersøgelse" in text:
        return "year"
    return "quarter"


def coming_periods(length: str, today: date) -> list[str]:
    """The current period and the following ones, as the measurements loader writes them."""
    count = PERIOD_COUNTS[length]
    if length == "year":
        return [str(today.year + i) for i in range(count)]
    if length == "quarter":
        first = (today.year * 4) + (today.month - 1) // 3
        return [f"{q // 4}-Q{q % 4 + 1}" for q in range(first, first + count)]
    first = today.year * 12 + today.month - 1
    return [f"{m // 12}-{m % 12 + 1:02d}" for m in range(first, first + count)]


def template_areas(
    indicator: Indicator, districts: pd.DataFrame | None
) -> tuple[tuple[str, str], ...]:
    """The areas a sheet is pre-filled with: districts from the store, places, or 'kommune'."""
    if indicator.area == "place" and indicator.places:
        return tuple((place, place) for place in indicator.places)
    if indicator.area == "district" and districts is not None and len(districts):
        ordered = districts.sort_values("name")
        return tuple(
            (str(i), str(n)) for i, n in zip(ordered["district_id"], ordered["name"], strict=True)
        )
    return (("kommune", "Hele kommunen"),)


def plan_template(
    initiative: Initiative, *, districts: pd.DataFrame | None = None, today: date | None = None
) -> list[SheetPlan]:
    """The indicator sheets of ``initiative``'s template.

    Raises
    ------
    UsageError
        When every indicator of the initiative is counted from the police's incidents.
    """
    indicators = template_indicators(initiative)
    if not indicators:
        raise UsageError(
            f"Indsatsen '{initiative.slug}' får alle sine tal fra politiets hændelser; "
            "der er ingen skabelon at udfylde."
        )
    periods = tuple(coming_periods(period_length(initiative), today or date.today()))
    titles: set[str] = set()
    plans = []
    for indicator in indicators:
        title = indicator.measurement_name[:31]
        while title in titles:
            title = title[:29] + f"_{len(titles)}"
        titles.add(title)
        plans.append(SheetPlan(title, indicator, template_areas(indicator, districts), periods))
    return plans


def build_template(
    initiative: Initiative, *, districts: pd.DataFrame | None = None, today: date | None = None
) -> bytes:
    """The XLSX template of ``initiative`` as bytes.

    Parameters
    ----------
    initiative : the indsats.
    districts : the stored districts (``district_id``, ``name``) for indicators per district;
        without them such sheets hold one row for the whole kommune.
    today : the date the coming periods start from (default: today).

    Raises
    ------
    UsageError
        When the initiative has no indicator to report by hand.
    """
    plans = plan_template(initiative, districts=districts, today=today)
    book = Workbook()
    book.properties.keywords = TEMPLATE_KEYWORD
    book.properties.title = f"Skabelon: {initiative.title}"
    book.properties.subject = initiative.slug
    _instructions(book.active, initiative, plans)
    for plan in plans:
        _indicator_sheet(book.create_sheet(plan.title), plan)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_for(key: str, store: Store | None = None) -> tuple[str, bytes, list[str]]:
    """The template of ``indsats/<slug>`` (or ``<slug>``) with the stored districts.

    Returns
    -------
    tuple[str, bytes, list[str]]
        A file name (``skabelon-<slug>.xlsx``), the XLSX bytes and the indicator sheets.

    Raises
    ------
    UsageError
        Unknown initiative (the message lists the allowed ones), or one without a template.
    """
    slug = key.removeprefix("indsats/")
    initiative = get_initiative(slug)
    store = store or Store()
    districts = store.read("districts") if store.has("districts") else None
    plans = plan_template(initiative, districts=districts)
    data = build_template(initiative, districts=districts)
    return f"skabelon-{slug}.xlsx", data, [plan.title for plan in plans]


def _instructions(sheet, initiative: Initiative, plans: Sequence[SheetPlan]) -> None:
    sheet.title = INSTRUCTIONS_SHEET
    length = PERIOD_WORDS[period_length(initiative)]
    lines = [
        (f"Skabelon til {initiative.title}", True),
        ("", False),
        (
            "Udfyld kolonnen 'værdi' (og 'n' for andele) på hvert ark. Ret ikke i kolonnerne "
            "område, periode og indikator: de fortæller, hvad tallet gælder.",
            False,
        ),
        (
            f"Rækkerne er udfyldt med områderne og de kommende perioder (pr. {length}). "
            "Rækker uden værdi springes over ved importen, så I kan udfylde perioderne "
            "efterhånden og importere filen igen.",
            False,
        ),
        (
            "Importér den udfyldte fil på siden Data (datatype Målinger) eller med "
            "python -m tryg_geo import measurements <fil>.xlsx. Rækker med fejl afvises "
            "med ark, række, kolonne, værdi og hvad der var forventet.",
            False,
        ),
        ("", False),
        ("Ark og hvad der skal stå i 'værdi':", True),
    ]
    for plan in plans:
        rule = VALUE_RULES[plan.indicator.unit][3]
        extra = f"; i 'n' {N_RULE} (antal besvarelser)" if plan.with_n else ""
        lines.append((f"{plan.title}: {plan.indicator.label} — {rule}{extra}.", False))
        lines.append((f"    {plan.indicator.help}", False))
    counted = [i for i in initiative.indicators if i.source == "incidents"]
    if counted:
        lines.append(("", False))
        lines.append(
            (
                "Tal, der tælles fra politiets hændelser ("
                + ", ".join(i.label for i in counted)
                + "), kommer fra politiets udtræk og skal ikke udfyldes her.",
                False,
            )
        )
    for number, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=number, column=1, value=text)
        cell.font = Font(bold=bold, size=14 if number == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.column_dimensions["A"].width = 110


def _indicator_sheet(sheet, plan: SheetPlan) -> None:
    header = plan.header
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for area_id, area_name in plan.areas:
        for period in plan.periods:
            row = [area_id, area_name, period, plan.indicator.measurement_name, None]
            sheet.append(row + ([None] if plan.with_n else []))
    last = sheet.max_row
    kind, low, high, rule = VALUE_RULES[plan.indicator.unit]
    _validate(sheet, f"E2:E{max(last, 2)}", kind, low, high, "værdi", rule)
    if plan.with_n:
        _validate(sheet, f"F2:F{max(last, 2)}", "whole", 1, None, "n", N_RULE)
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=len(header)):
        for cell in row:
            cell.fill = _INPUT_FILL
    for letter, width in zip("ABCDEF", (18, 28, 12, 34, 12, 10), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"


def _validate(
    sheet, cells: str, kind: str, low: float, high: float | None, column: str, rule: str
) -> None:
    if high is None:
        validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low))
    else:
        validation = DataValidation(
            type=kind, operator="between", formula1=str(low), formula2=str(high)
        )
    validation.allow_blank = True
    validation.showErrorMessage = True
    validation.errorTitle = f"Ugyldig {column}"
    validation.error = f"Kolonnen '{column}' skal være {rule}."
    validation.showInputMessage = True
    validation.promptTitle = column
    validation.prompt = f"Skriv {rule}."
    sheet.add_data_validation(validation)
    validation.add(cells)


# ---- reading a filled template -------------------------------------------------------------
def is_template(path: Path) -> bool:
    """True when ``path`` is an XLSX workbook made by :func:`build_template`."""
    if Path(path).suffix.lower() not in EXCEL_SUFFIXES:
        return False
    try:
        book = load_workbook(path, read_only=True)
    except Exception:  # a damaged workbook is the table reader's to explain
        return False
    try:
        return (book.properties.keywords or "") == TEMPLATE_KEYWORD
    finally:
        book.close()


def template_sheets(path: Path) -> list[str]:
    """The indicator sheets of a template, in workbook order."""
    book = load_workbook(path, read_only=True)
    try:
        return [name for name in book.sheetnames if name != INSTRUCTIONS_SHEET]
    finally:
        book.close()


def read_template(path: Path, roles: tuple[str, ...]) -> tuple[Table, list[str]]:
    """Every indicator sheet of a template as one table, without the rows not yet filled.

    Row numbers are ``sheet number * ROW_BASE + row`` so that :func:`name_sheets` can tell the
    sheets apart in the rejected rows.

    Returns
    -------
    tuple[Table, list[str]]
        The rows and the sheet names (index = sheet number).
    """
    sheets = template_sheets(path)
    frames, rows, notes = [], [], []
    skipped = 0
    for number, name in enumerate(sheets):
        table = read_table(path, roles, sheet=name)
        value = _column(table.frame, "værdi")
        n = _column(table.frame, "n")
        filled = value.str.strip() != ""
        if n is not None:
            filled |= n.str.strip() != ""
        skipped += int((~filled).sum())
        frames.append(table.frame[filled.to_numpy()])
        rows.append(table.rows[filled.to_numpy()] + number * ROW_BASE)
    frame = pd.concat(frames, ignore_index=True).fillna("")
    if frame.empty:
        raise UnusableFileError(
            f"{Path(path).name}: skabelonen har endnu ingen udfyldte værdier (arkene "
            f"{', '.join(repr(s) for s in sheets)}). Skriv tallene i kolonnen 'værdi'.",
            file=Path(path).name,
            column="værdi",
            expected="mindst én udfyldt værdi",
        )
    notes.append(
        f"Læst som skabelon med arkene {', '.join(repr(s) for s in sheets)}."
        + (
            f" {skipped} rækker uden værdi blev sprunget over (ikke udfyldt endnu)."
            if skipped
            else ""
        )
    )
    return Table(frame, pd.concat(rows, ignore_index=True), notes), sheets


def _column(frame: pd.DataFrame, name: str) -> pd.Series | None:
    return frame[name] if name in frame.columns else None


def name_sheets(rejected: pd.DataFrame, sheets: Sequence[str]) -> pd.DataFrame:
    """Rejected rows of :func:`read_template` with their sheet and true row number.

    Adds a ``sheet`` column and starts each message with sheet, row, column and value.
    """
    out = rejected.copy()
    if out.empty:
        out.insert(0, "sheet", pd.Series(dtype=object))
        return out
    encoded = out["row"].astype("int64")
    out.insert(0, "sheet", [sheets[int(r) // ROW_BASE] for r in encoded])
    out["row"] = (encoded % ROW_BASE).to_numpy()
    out["message"] = [
        f"Ark '{s}', række {r}, kolonnen '{c}' = {_shown(v)}: {m}"
        for s, r, c, v, m in zip(
            out["sheet"], out["row"], out["column"], out["value"], out["message"], strict=True
        )
    ]
    return out


def _shown(value: object) -> str:
    text = "" if value is None else str(value)
    return "(tom)" if text == "" else repr(text)
