"""The coordinate system of a vector file after reading: the declared one, the --crs option, or
a safe guess for Denmark (lon/lat or UTM 32N), with Danish notes; Z values dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS
from pyproj.exceptions import CRSError

from ..errors import UnusableFileError, UsageError
from ..geo.denmark import lonlat_in_denmark, utm_in_denmark
from ..store.schema import STORE_CRS

CRS_EXAMPLES = "EPSG:25832 (UTM 32N, meter) eller EPSG:4326 (længde/bredde, grader)"


def parse_crs(text: str) -> CRS:
    """The coordinate system named by the user (``EPSG:25832``, ``25832``, a WKT or PROJ string).

    Raises
    ------
    UsageError
        When ``text`` names no coordinate system, or one that is neither geographic nor
        projected (e.g. a height system).
    """
    value = str(text).strip()
    if value.isdigit():  # analysts often write just the EPSG number
        value = f"EPSG:{value}"
    try:
        parsed = CRS.from_user_input(value)
    except CRSError:
        raise UsageError(
            f"--crs {text!r} er ikke et kendt koordinatsystem. Forventede fx {CRS_EXAMPLES}."
        ) from None
    if not (parsed.is_geographic or parsed.is_projected):
        raise UsageError(
            f"--crs {text!r} ({parsed.name}) er ikke et koordinatsystem for kort i 2D. "
            f"Forventede fx {CRS_EXAMPLES}."
        )
    return parsed


# ---- after reading: 2D, one geometry column, a coordinate system ----------------------------
def tidy(frame: gpd.GeoDataFrame, notes: list[str]) -> gpd.GeoDataFrame:
    frame = frame.reset_index(drop=True)
    if frame.geometry.name != "geometry" and "geometry" not in frame.columns:
        frame = frame.rename_geometry("geometry")
    geoms = np.asarray(frame.geometry.values, dtype=object)
    if shapely.has_z(geoms).any():
        frame[frame.geometry.name] = gpd.GeoSeries(
            shapely.force_2d(geoms), index=frame.index, crs=frame.crs
        )
        notes.append(
            "Filens koordinater har en tredje værdi (højde, Z — i DAGI-filer -999); den bruges "
            "ikke og er fjernet."
        )
    return frame


@dataclass(frozen=True)
class _Fit:
    """How many geometries look like lon/lat, UTM 32N metres or swapped lat/lon in Denmark."""

    total: int
    lonlat: int
    utm: int
    latlon: int
    example: tuple[float, float] | None

    def most(self, count: int) -> bool:
        return self.total > 0 and count * 2 > self.total


def _fit(frame: gpd.GeoDataFrame) -> _Fit:
    bounds = shapely.bounds(np.asarray(frame.geometry.values, dtype=object))
    bounds = bounds[~np.isnan(bounds).any(axis=1)]
    lo_x, lo_y, hi_x, hi_y = bounds.T if len(bounds) else (np.array([]),) * 4
    return _Fit(
        total=len(bounds),
        lonlat=int((lonlat_in_denmark(lo_x, lo_y) & lonlat_in_denmark(hi_x, hi_y)).sum()),
        utm=int((utm_in_denmark(lo_x, lo_y) & utm_in_denmark(hi_x, hi_y)).sum()),
        latlon=int((lonlat_in_denmark(lo_y, lo_x) & lonlat_in_denmark(hi_y, hi_x)).sum()),
        example=(float(lo_x[0]), float(lo_y[0])) if len(bounds) else None,
    )


def settle_crs(
    frame: gpd.GeoDataFrame, declared: CRS | None, override: CRS | None, name: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    fit = _fit(frame)
    notes: list[str] = []
    if override is not None:
        if declared is not None and not CRS.from_user_input(declared).equals(override):
            notes.append(
                f"Filen angiver koordinatsystemet {crs_label(declared)}; --crs "
                f"{crs_label(override)} er brugt i stedet."
            )
        _check_fit(override, fit, name, from_option=True)
        return frame.set_crs(override, allow_override=True), notes
    if declared is not None and not (declared.is_geographic or declared.is_projected):
        # A "local" or unknown system (e.g. LOCAL_CS in a .prj) says nothing usable.
        notes.append(
            f"Filens koordinatsystem ({declared.name}) er et lokalt system uden placering på "
            "jorden og er ikke brugt."
        )
        declared = None
    if declared is not None:
        _check_fit(CRS.from_user_input(declared), fit, name, from_option=False)
        return frame.set_crs(declared, allow_override=True), notes
    guessed, note = _guess_crs(fit, name)
    notes.append(note)
    return frame.set_crs(guessed, allow_override=True), notes


def crs_label(crs: CRS | str) -> str:
    """Short Danish-friendly name of a CRS, e.g. ``EPSG:25832 (ETRS89 / UTM zone 32N)``."""
    crs = CRS.from_user_input(crs)
    authority = crs.to_authority()
    code = f"{authority[0]}:{authority[1]}" if authority else crs.to_string()[:40]
    return f"{code} ({crs.name})"


def _example(fit: _Fit) -> str:
    if fit.example is None:
        return ""
    x, y = fit.example
    return f" (fx x={x:.6g}, y={y:.7g})"


def _check_fit(crs: CRS, fit: _Fit, name: str, *, from_option: bool) -> None:
    """Refuse a coordinate system that clearly does not fit the numbers in the file."""
    problem, suggestion = None, None
    if crs.is_geographic and fit.most(fit.utm):
        problem = "koordinaterne er meter som i UTM 32N, ikke grader"
        suggestion = "EPSG:25832"
    elif crs.is_geographic and fit.most(fit.latlon) and not fit.most(fit.lonlat):
        problem = (
            "koordinaterne står i rækkefølgen breddegrad, længdegrad; længdegraden skal stå "
            "først (x), breddegraden bagefter (y)"
        )
    elif crs.is_projected and fit.most(fit.lonlat):
        problem = "koordinaterne er længde-/breddegrader i grader, ikke meter"
        suggestion = "EPSG:4326"
    if problem is None:
        return
    fix = f" Prøv --crs {suggestion}." if suggestion else " Ret koordinaterne i filen."
    if from_option:
        raise UsageError(
            f"--crs {crs_label(crs)} passer ikke til {name}: {problem}{_example(fit)}.{fix}"
        )
    raise UnusableFileError(
        f"{name}: filen angiver koordinatsystemet {crs_label(crs)}, men {problem}"
        f"{_example(fit)}. Forventede koordinater, der passer til koordinatsystemet.{fix}",
        file=name,
        value=_example(fit).strip(" ()"),
        expected=f"koordinater i {crs_label(crs)}",
    )


def _guess_crs(fit: _Fit, name: str) -> tuple[str, str]:
    if fit.total == 0:
        # Nothing to look at: every row will be rejected for its missing geometry anyway.
        return STORE_CRS, "Filen angiver intet koordinatsystem og har ingen geometrier."
    if fit.most(fit.lonlat):
        return "EPSG:4326", (
            "Filen angiver intet koordinatsystem; koordinaterne ligner længde-/breddegrader i "
            "Danmark, så WGS84 (EPSG:4326) er antaget. Angiv --crs, hvis det er forkert."
        )
    if fit.most(fit.utm):
        return STORE_CRS, (
            "Filen angiver intet koordinatsystem; koordinaterne ligner UTM 32N-meter i Danmark, "
            "så ETRS89 / UTM 32N (EPSG:25832) er antaget. Angiv --crs, hvis det er forkert."
        )
    swapped = (
        " De ligner længde-/breddegrader med akserne byttet om (breddegrad først)."
        if fit.most(fit.latlon)
        else ""
    )
    raise UnusableFileError(
        f"{name}: filen angiver intet koordinatsystem, og koordinaterne{_example(fit)} ligner "
        f"hverken længde-/breddegrader i Danmark eller UTM 32N-meter.{swapped} Forventede et "
        f"angivet koordinatsystem — angiv det med --crs, fx {CRS_EXAMPLES}.",
        file=name,
        value=_example(fit).strip(" ()"),
        expected="et koordinatsystem angivet med --crs",
    )
