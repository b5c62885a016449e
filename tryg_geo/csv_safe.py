"""Every CSV Tryg Geo writes goes through here: no cell Excel would run as a formula.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a formula
to Excel and LibreOffice (OWASP "CSV injection"): ``=HYPERLINK("http://x";"klik")`` in a
rejected row would become a live link, ``@SUM(A1)`` a calculation, when the analyst opens the
file. :func:`neutralise` puts a single quote in front of such a cell, so the spreadsheet shows
the text as typed. Real numbers stay numbers: a numeric column is never touched, and a text
cell that is a number (``-3``, ``-0,5``, ``+1.234,5``, ``-2.5e3``) is left as it is, because
Excel reads it as that number and runs nothing.

Used by the exports and the pack (:mod:`tryg_geo.render.csv_export`, :mod:`.render.pack`), the
rejected rows the store keeps (:mod:`tryg_geo.store.folder`) and the pages' download buttons.
This module sits below every layer (pandas only), so the store may use it too.
"""

from __future__ import annotations

import re

import pandas as pd

__all__ = ["FORMULA_START", "csv_bytes", "neutralise", "safe_cell"]

#: The first characters that make a spreadsheet read a cell as a formula (OWASP).
FORMULA_START: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
#: A number as Danish or English spreadsheets write it: sign, digits with optional thousands
#: separators, a decimal comma or point, an optional exponent. Nothing else may follow.
_NUMBER = re.compile(
    r"[+-]?(?:\d{1,3}(?:[.,\u00a0 ]\d{3})+|\d+)?(?:[.,]\d+)?(?:[eE][+-]?\d+)?",
)


def _is_number(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and _NUMBER.fullmatch(text) is not None


def safe_cell(value: object) -> object:
    """``value`` as it may stand in a CSV cell: formula-like text gets a leading ``'``.

    Examples
    --------
    >>> safe_cell('=HYPERLINK("http://x","klik")')
    '\\'=HYPERLINK("http://x","klik")'
    >>> safe_cell("-0,5"), safe_cell(-3), safe_cell("Øst")
    ('-0,5', -3, 'Øst')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _is_number(value):
        return "'" + value
    return value


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names are safe (:func:`safe_cell`).

    Numeric, boolean and date columns are returned unchanged; only cells that are ``str``
    are looked at, so a mixed column keeps its numbers.
    """
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or isinstance(out[column].dtype, pd.StringDtype):
            out[column] = out[column].map(safe_cell)
    out.columns = [safe_cell(c) if isinstance(c, str) else c for c in out.columns]
    return out


def csv_bytes(
    frame: pd.DataFrame,
    *,
    sep: str = ",",
    decimal: str = ".",
    bom: bool = False,
    lineterminator: str = "\n",
) -> bytes:
    """``frame`` (without its index) as UTF-8 CSV bytes after :func:`neutralise`.

    Parameters
    ----------
    frame : the table to write.
    sep, decimal, lineterminator : as for :meth:`pandas.DataFrame.to_csv`.
    bom : start with a UTF-8 byte-order mark (Danish Excel then opens the file as UTF-8).
    """
    text = neutralise(frame).to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator=lineterminator
    )
    return ("\ufeff" if bom else "").encode() + text.encode("utf-8")
