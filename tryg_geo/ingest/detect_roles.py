"""The roles (columns) each data kind needs, their Danish labels, and a proposal for one role.

See :mod:`tryg_geo.ingest.detect` for how columns are proposed."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

#: Roles each kind can use, in the order the wizard shows them.
KIND_ROLES: dict[str, tuple[str, ...]] = {
    "districts": ("id", "name", "population", "group"),
    "places": ("id", "name", "kind"),
    "incidents": (
        "datetime",
        "time",
        "category",
        "lat",
        "lon",
        "x",
        "y",
        "id",
        "source",
        "initiative",
    ),
    "measurements": ("area", "period", "indicator", "value", "n"),
    # StatBank's files have fixed columns (tryg_geo.ingest.statbank): nothing to choose
    "kommune_crimes": (),
    "kommune_population": (),
}
#: Roles a kind cannot do without (incidents also need lat/lon or x/y: see :func:`missing_roles`).
REQUIRED_ROLES: dict[str, tuple[str, ...]] = {
    "districts": ("id",),
    "places": ("id",),
    "incidents": ("datetime", "category"),
    "measurements": ("area", "period", "indicator", "value"),
    "kommune_crimes": (),
    "kommune_population": (),
}
#: The label of each role on the Data page (the page's words for ``--id-col`` etc.).
ROLE_LABELS: dict[str, str] = {
    "id": "Id",
    "name": "Navn",
    "population": "Befolkning",
    "group": "Gruppe (sammenlign med)",
    "datetime": "Dato/tidspunkt",
    "time": "Klokkeslæt",
    "category": "Kategori",
    "lat": "Breddegrad (lat)",
    "lon": "Længdegrad (lon)",
    "x": "X (øst, EPSG:25832)",
    "y": "Y (nord, EPSG:25832)",
    "source": "Kilde pr. række",
    "initiative": "Indsats",
    "area": "Område",
    "period": "Periode",
    "indicator": "Indikator",
    "value": "Værdi",
    "n": "Antal svar (n)",
    "kind": "Art",
}


@dataclass(frozen=True)
class Proposal:
    """The column proposed for one role.

    Attributes
    ----------
    role : str
        A key of :data:`ROLE_LABELS`.
    column : str or None
        The proposed column, or None when no column fits.
    by : str
        ``"navn"`` (the column name is a known alias), ``"indhold"`` (chosen by content) or
        ``""`` (nothing proposed).
    reason : str
        One Danish sentence saying why: for a proposal by content, and for one by name where
        the content decided between named columns (a date column chosen over a
        "Gerningstidspunkt" holding times of day only). Empty otherwise.
    """

    role: str
    column: str | None
    by: str = ""
    reason: str = ""


def missing_roles(kind: str, chosen: Mapping[str, str | None]) -> list[str]:
    """The required roles of ``kind`` that have no column in ``chosen`` (role -> column).

    For incidents, lat/lon or x/y are needed as a pair: when neither pair is complete the
    missing members of the more complete pair are listed (lat and lon when both are empty).
    """
    missing = [role for role in REQUIRED_ROLES[kind] if not chosen.get(role)]
    if kind == "incidents":
        latlon = [r for r in ("lat", "lon") if not chosen.get(r)]
        xy = [r for r in ("x", "y") if not chosen.get(r)]
        if latlon and xy:
            missing += latlon if len(latlon) <= len(xy) else xy
    return missing


def missing_message(missing: Sequence[str]) -> str:
    """The Data page's sentence for roles without a column: 'Vælg kolonnen for Id.'"""
    labels = [ROLE_LABELS[role] for role in missing]
    listing = labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " og " + labels[-1]
    return f"Vælg kolonnen for {listing} under 2. Kolonner; uden den kan filen ikke importeres."
