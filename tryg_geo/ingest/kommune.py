"""Keeping only the areas in one kommune: a national boundary file made local at import.

DAGI's kommuner, sogne and postnumre files cover all of Denmark; imported whole, every view
would speak of "hele kommunen" over 592 postal areas. ``import districts … --kommune 0851``
(and the wizard's "Behold kun områderne i kommune …") keeps the areas of one kommune:

* by the file's own kommune code, when it has a column for it (``KOMKODE``, ``kommunekode`` …;
  in DAGI's kommuner file that column is also the id);
* otherwise by the kommune's boundary, taken from a kommuner file (DAGI's ``kommuner.geojson``):
  an area is kept when at least :data:`KOMMUNE_SHARE` of it lies inside the kommune.

The areas left out are neither accepted nor rejected: they are counted as ``outside_kommune``
in the report, with a sentence saying how many were kept and left out, and how.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from shapely.geometry.base import BaseGeometry

from .. import fmt
from ..errors import UsageError
from ..geo.denmark import normal_kommune_code
from .columns import normalise
from .result import LoadResult

#: The share of an area that must lie inside the kommune for the area to be kept. Postal areas
#: cross kommune borders: at 10 % Aalborg keeps its 19 postal areas (9530 Støvring has ~21 %
#: inside), while 9440 Aabybro (~3 %) is left out. Slivers along a border are far below it.
KOMMUNE_SHARE = 0.10
#: Column names (normalised) that hold a kommune code in Danish boundary files.
CODE_COLUMNS = ("komkode", "kommunekode", "kommunenr", "kommunenummer", "kodekommune", "komnr")


@dataclass(frozen=True)
class Kommune:
    """The kommune whose areas an import keeps.

    Attributes
    ----------
    code : four digits, e.g. '0851' (Aalborg).
    boundary : its area in EPSG:25832, when a kommuner file was given (None otherwise).
    name : its name from that file ('' when unknown).
    boundary_file : the name of that file ('' when none).
    """

    code: str
    boundary: BaseGeometry | None = None
    name: str = ""
    boundary_file: str = ""

    @property
    def label(self) -> str:
        """'kommune 0851 (Aalborg)'."""
        return f"kommune {self.code}" + (f" ({self.name})" if self.name else "")


def kommune_code(text: object) -> str:
    """A kommune code as four digits ('851' → '0851', as Excel drops the leading zero).

    Raises
    ------
    UsageError
        When ``text`` is not one to four digits.
    """
    code = normal_kommune_code(text)
    if code is None:
        raise UsageError(
            f"--kommune {str(text).strip()!r}: en kommunekode er fire cifre, fx 0851 (Aalborg) "
            "eller 0751 (Aarhus)."
        )
    return code


def code_column(columns: Iterable[object]) -> str | None:
    """The file's column that holds a kommune code (None when it has none)."""
    by_name = {normalise(c): str(c) for c in columns}
    return next((by_name[n] for n in CODE_COLUMNS if n in by_name), None)


def codes_by_id(ids: np.ndarray, codes: np.ndarray, keep: np.ndarray) -> dict[str, str]:
    """The kommune code of each area id (from its first kept row)."""
    out: dict[str, str] = {}
    for area, code in zip(ids[keep], codes[keep], strict=True):
        out.setdefault(str(area), padded_code(code))
    return out


def keep_in_kommune(
    result: LoadResult,
    kommune: Kommune,
    *,
    codes: Mapping[str, str] | None = None,
    column: str | None = None,
) -> LoadResult:
    """``result`` with only the areas of ``kommune``; the others counted as ``outside_kommune``.

    Parameters
    ----------
    result : a districts result, its frame in EPSG:25832.
    kommune : the kommune to keep.
    codes : area id → kommune code, from the file's ``column`` (see :func:`code_column`);
        without them the areas are judged by ``kommune.boundary``.

    Raises
    ------
    UsageError
        The file has no kommune code column and no boundary was given.
    """
    frame = result.frame
    before = len(frame)
    if codes:
        inside = frame["district_id"].astype(str).map(codes).fillna("").to_numpy() == kommune.code
        how = f"efter kommunekoden i kolonnen '{column}'"
    elif kommune.boundary is not None:
        inside = _share_inside(frame.geometry.to_numpy(), kommune.boundary) >= KOMMUNE_SHARE
        how = (
            f"med mindst {fmt.number(KOMMUNE_SHARE * 100)} % af arealet inden for "
            f"kommunegrænsen fra {kommune.boundary_file}"
        )
    else:
        raise UsageError(
            f"{result.file}: filen har ingen kolonne med kommunekode (fx KOMKODE), så områderne "
            f"i {kommune.label} findes ud fra kommunens grænse: angiv en fil med kommunegrænser "
            "med --kommune-fil (fx DAGI's kommuner.geojson)."
        )
    result.frame = frame[inside].reset_index(drop=True)
    kept = len(result.frame)
    result.outside_kommune = before - kept
    result.kommune = {
        "code": kommune.code,
        "name": kommune.name,
        "kept": kept,
        "dropped": before - kept,
        "by": "code" if codes else "boundary",
    }
    result.warnings.append(
        f"Kun områderne i {kommune.label} er beholdt: {fmt.number(kept)} af "
        f"{fmt.number(before)} ({how}); {fmt.number(before - kept)} er udeladt."
    )
    result.check_counts()
    return result


def _share_inside(geometries: np.ndarray, boundary: BaseGeometry) -> np.ndarray:
    """The share of each geometry's area inside ``boundary`` (0 for an empty geometry)."""
    areas = shapely.area(geometries)
    inside = shapely.area(shapely.intersection(geometries, boundary))
    return np.divide(inside, areas, out=np.zeros_like(areas), where=areas > 0)


def padded_code(code: object) -> str:
    text = "" if code is None or pd.isna(code) else str(code).strip()
    if text.endswith(".0"):  # a code read as a number
        text = text[:-2]
    return normal_kommune_code(text) or text
