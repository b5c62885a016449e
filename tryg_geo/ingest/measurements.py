"""Loading measurements (målinger): survey results and activity numbers per area and period.

A measurement is one number for one area (a district id, a place id or ``kommune``), one
period (``2024``, ``2024-Q3``, ``2024-05``) and one indicator, optionally with ``n`` (the
respondents or base behind it). Place observations are measurements whose area is a place id.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from ..store.schema import COLUMNS
from .aliases import canonical_indicators
from .columns import find_columns, require
from .parse import explain, parse_numbers, parse_periods
from .result import LoadResult, Rejections, reject_reasons, reject_where
from .tables import Table, read_table
from .template import is_template, name_sheets, read_template

ROLES = ("area", "period", "indicator", "value", "n")
_WHAT = {"area": "område", "period": "periode", "indicator": "indikator", "value": "værdi"}
SHARE_SUFFIXES = ("andel", "_pct", "procent")


def load_measurements(
    path: Path,
    *,
    columns: dict[str, str | None] | None = None,
    layer: str | None = None,
    known_areas: Iterable[str] | None = None,
) -> LoadResult:
    """Read and validate a measurement table (CSV or XLSX).

    Parameters
    ----------
    path : the file.
    columns : role -> column chosen by the user (roles: area, period, indicator, value, n).
    layer : the sheet of an XLSX file.
    known_areas : district and place ids in the store; other areas are accepted with a warning.

    Returns
    -------
    LoadResult
        Shares are stored as 0–1 whatever the file used; the warnings say which scale was found.
    """
    path = Path(path)
    sheets: list[str] | None = None
    if layer is None and is_template(path):
        # A filled template: every indicator sheet, no column choice, shares in percent.
        table, sheets = read_template(path, ROLES)
    else:
        table = read_table(path, ROLES, sheet=layer)
    found = find_columns(table.frame.columns, ROLES, columns, file=path.name)
    require(found, _WHAT, file=path.name, columns=table.frame.columns, what=_WHAT)
    rejections = Rejections()
    area, indicator = _check_text(table, found, rejections)
    notes = list(table.notes)
    indicator = _registry_names(indicator, notes)
    periods = _check_periods(table, found, rejections)
    values = _check_values(table, found, rejections)
    n = _check_n(table, found, rejections)
    values = _scale_shares(
        table, found, rejections, indicator, values, notes, percent=True if sheets else None
    )
    _check_counts_not_negative(table, found, rejections, indicator, values)
    frame = pd.DataFrame({"area_id": area, "indicator": indicator, "value": values, "n": n}).join(
        periods
    )
    keep = _alive(len(frame), rejections)
    duplicates = _check_duplicates(table, found, frame, rejections, keep)
    keep = _alive(len(frame), rejections) & ~duplicates
    accepted = frame[keep][list(COLUMNS["measurements"])].reset_index(drop=True)
    accepted["n"] = accepted["n"].astype("Int64")
    notes += _area_warnings(accepted, known_areas)
    rejected = table.with_bad_rows(rejections.frame())
    result = LoadResult(
        kind="measurements",
        file=path.name,
        frame=accepted,
        rejected=name_sheets(rejected, sheets) if sheets else rejected,
        rows_read=table.rows_read,
        duplicates=int(duplicates.sum()),
        warnings=notes,
    )
    result.check_counts()
    return result


def _alive(n: int, rejections: Rejections) -> np.ndarray:
    keep = np.ones(n, dtype=bool)
    keep[list(rejections.positions)] = False
    return keep


def _check_text(table: Table, found: dict, rejections: Rejections) -> tuple[np.ndarray, np.ndarray]:
    out = []
    for role, expected in (
        ("area", "et område-id, et sted-id eller 'kommune'"),
        ("indicator", "et indikatornavn som 'tryg_andel'"),
    ):
        column = found[role]
        text = table.frame[column].str.strip()
        reject_where(
            rejections,
            (text == "").to_numpy(),
            rows=table.rows,
            column=column,
            values=text,
            reason=f"missing_{role}",
            message=explain("missing_value", expected),
        )
        out.append(text.to_numpy(dtype=object))
    # "Kommune", "KOMMUNE" and "kommune" all mean the whole municipality.
    area = out[0]
    lowered = np.char.lower(area.astype(str))
    area = np.where(lowered == "kommune", "kommune", area).astype(object)
    return area, out[1]


def _check_periods(table: Table, found: dict, rejections: Rejections) -> pd.DataFrame:
    column = found["period"]
    periods, reasons = parse_periods(table.frame[column])
    for reason in ("missing_value", "unparseable_period"):
        reject_where(
            rejections,
            reasons == reason,
            rows=table.rows,
            column=column,
            values=table.frame[column],
            reason="missing_period" if reason == "missing_value" else reason,
            message=explain(reason, "2024, 2024-Q3 eller 2024-05"),
        )
    return periods


def _check_values(table: Table, found: dict, rejections: Rejections) -> np.ndarray:
    column = found["value"]
    values, reasons, _ = parse_numbers(table.frame[column])
    reject_reasons(
        rejections,
        reasons,
        rows=table.rows,
        column=column,
        values=table.frame[column],
        expected="et tal, fx 0,87 eller 87 eller 1.234",
    )
    return values


def _check_n(table: Table, found: dict, rejections: Rejections) -> np.ndarray:
    column = found.get("n")
    if column is None:
        return np.full(len(table.frame), np.nan)
    n, reasons, _ = parse_numbers(table.frame[column])
    empty = reasons == "missing_value"
    bad = (reasons != "") & ~empty
    reject_where(
        rejections,
        bad,
        rows=table.rows,
        column=column,
        values=table.frame[column],
        reason="n_not_a_number",
        message=explain("not_a_number", "et helt antal svar ≥ 1"),
    )
    ok = reasons == ""
    reject_where(
        rejections,
        ok & ((n < 1) | (n != np.round(n))),
        rows=table.rows,
        column=column,
        values=table.frame[column],
        reason="n_not_positive",
        message="Antal svar (n) skal være et helt tal på mindst 1: en andel med 0 svar betyder ingenting.",
    )
    return np.where(ok, n, np.nan)


def is_share_indicator(name: str) -> bool:
    """True when ``name`` is a share: unit 'andel' in the registry, or a name ending in 'andel'."""
    from ..compute.registry import all_indicators

    units = {ind.measurement_name: ind.unit for _, ind in all_indicators()}
    if name in units:
        return units[name] == "andel"
    return name.lower().endswith(SHARE_SUFFIXES)


def _registry_names(indicator: np.ndarray, notes: list[str]) -> np.ndarray:
    """Survey and statistics names (``tryg_i_nabolaget``) as the registry's (``tryg_andel``)."""
    names, renamed = canonical_indicators(indicator)
    if renamed:
        notes.append(
            "Indikatornavne blev læst som registrets: "
            + ", ".join(f"{old} → {new}" for old, new in sorted(renamed.items()))
            + " (se aliases.toml)."
        )
    return names


def _scale_shares(
    table, found, rejections, indicator, values, notes, *, percent: bool | None = None
) -> np.ndarray:
    """Store shares as 0–1: per file, shares above 1 mean the file uses percent.

    ``percent`` given (a template says its shares are percent) overrides the guess.
    """
    column = found["value"]
    share_names = {name for name in pd.unique(indicator) if name and is_share_indicator(str(name))}
    is_share = np.isin(indicator, list(share_names)) & _alive(len(values), rejections)
    if not is_share.any():
        return values
    # Percent when most shares are above 1 (87,5); a few values above 1 among 0–1 shares are
    # errors to reject, not a sign that the whole file is in percent.
    if percent is None:
        percent = bool(np.nanmean(values[is_share] > 1.0) >= 0.5)
    if percent:
        notes.append("Andele blev læst som procent (0–100) og gemt som 0–1.")
        values = np.where(is_share, values / 100.0, values)
    else:
        notes.append("Andele blev læst som brøker (0–1).")
    scale = "0–100 %" if percent else "0–1"
    reject_where(
        rejections,
        is_share & (values > 1.0),
        rows=table.rows,
        column=column,
        values=table.frame[column],
        reason="share_above_100",
        message=f"En andel kan ikke være over 100 %; forventet {scale}.",
    )
    reject_where(
        rejections,
        is_share & (values < 0.0),
        rows=table.rows,
        column=column,
        values=table.frame[column],
        reason="share_negative",
        message=f"En andel kan ikke være negativ; forventet {scale}.",
    )
    return values


COUNTED_UNITS = ("antal", "personer", "timer", "pr_1000")


def _check_counts_not_negative(table, found, rejections, indicator, values) -> None:
    """Counts, people, hours and rates cannot be below zero."""
    from ..compute.registry import all_indicators

    units = {ind.measurement_name: ind.unit for _, ind in all_indicators()}
    counted = np.array([units.get(str(name)) in COUNTED_UNITS for name in indicator], dtype=bool)
    reject_where(
        rejections,
        counted & (values < 0),
        rows=table.rows,
        column=found["value"],
        values=table.frame[found["value"]],
        reason="negative_count",
        message="Et antal (personer, timer, hændelser) kan ikke være negativt; forventet 0 eller mere.",
    )


def _check_duplicates(table, found, frame, rejections, keep) -> np.ndarray:
    """Exact repeats are dropped as duplicates; the same key with another value is rejected."""
    key = (
        frame["area_id"].astype(str)
        + "\x1f"
        + frame["period"].astype(str)
        + "\x1f"
        + frame["indicator"].astype(str)
    )
    full = key + "\x1f" + frame["value"].astype(str) + "\x1f" + frame["n"].astype(str)
    live_key = key.where(keep, None)
    repeated = live_key.duplicated(keep="first").to_numpy() & keep
    exact = full.where(keep, None).duplicated(keep="first").to_numpy() & repeated
    reject_where(
        rejections,
        repeated & ~exact,
        rows=table.rows,
        column=found["value"],
        values=table.frame[found["value"]],
        reason="conflicting_duplicate",
        message="Samme område, periode og indikator står allerede i en tidligere række med en anden værdi; den første er beholdt.",
    )
    return exact


def _area_warnings(frame: pd.DataFrame, known_areas: Iterable[str] | None) -> list[str]:
    warnings: list[str] = []
    if known_areas is not None:
        known = set(map(str, known_areas)) | {"kommune"}
        unknown = sorted(set(frame["area_id"]) - known)
        if unknown:
            warnings.append(
                f"{len(unknown)} område-id'er findes ikke blandt de indlæste områder og steder "
                f"(fx {', '.join(unknown[:5])}); målingerne er gemt, men vises ikke på kort."
            )
    from ..compute.registry import all_indicators

    registered = {ind.measurement_name for _, ind in all_indicators()}
    extra = sorted(set(frame["indicator"]) - registered)
    if extra:
        warnings.append(
            f"{len(extra)} indikatorer står ikke i indsatsregistret (fx {', '.join(extra[:5])}); "
            "de er gemt, men vises først, når de tilføjes i initiatives.toml."
        )
    return warnings
