"""What each role may see in each view and each file, declared once, as data.

The pages, the download buttons, ``export``, ``analyse``, ``pack`` and ``deck`` all hand a
view through :func:`for_role` before anything is drawn or written, so a file never holds more
than the screen shows the same person. The rules are the table :data:`DETAILS`: per view, the
columns of its table (the CSV), of its display table (screen and PNG), the map layers and the
page panels that need a capability of :data:`tryg_geo.access.CAPABILITIES`.
:func:`visibility_table` spells the table out for every view × file kind × role (README,
``tests/security/test_role_files.py``).

Today one view has such detail: Analyse. Leaders see hotspot classes and Knox ratios with
their significance; the z-scores, p-values and pair counts behind them (``gi_z``,
``p_value``, ``p_fdr``, ``observed``, ``expected``) are the analysts'.

The command line has no sign-in; its role is :func:`cli_role` (see its docstring and the
README, "Sikkerhed").
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import access
from .errors import AccessError, UsageError
from .views.model import MapSpec, View

__all__ = [
    "ALL_ROLE",
    "DETAILS",
    "FILE_KINDS",
    "LEAST_ROLE",
    "MAP_LAYERS",
    "Detail",
    "cli_role",
    "for_role",
    "hidden_columns",
    "may_see",
    "visibility_table",
]

#: The default of every export: the most restrictive role (a forgotten role gives least).
LEAST_ROLE: str = access.ROLES[0]
#: The role that may see everything (for a view already made for its role).
ALL_ROLE: str = access.ROLES[-1]
#: Every kind of output a view is turned into: the page, a CSV, a PNG, a deck, a pack, and the
#: time slider's animation (GIF/MP4, each frame a step of the view).
FILE_KINDS: tuple[str, ...] = ("screen", "csv", "png", "deck", "pack", "animation")
#: The layers of a map (:class:`~tryg_geo.views.model.MapSpec`) a rule may hold back.
MAP_LAYERS: tuple[str, ...] = ("features", "outline", "water", "zones")


@dataclass(frozen=True)
class Detail:
    """One part of a view that only roles with ``capability`` may have, in every file kind.

    Attributes
    ----------
    view : a view key (``analyse``) or a prefix ending in ``*`` (``indsats/*``).
    capability : the capability needed (:data:`tryg_geo.access.CAPABILITIES`).
    columns : columns of the view's table and display table (and of its map's features).
    prefixes : columns starting with one of these (a series per period, ``z_2025-Q1``).
    layers : map layers (:data:`MAP_LAYERS`) left off the map.
    panels : names of page-only parts; the page asks :func:`may_see` before building them.
    help : why, in Danish (README, messages).
    """

    view: str
    capability: str
    columns: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    layers: tuple[str, ...] = ()
    panels: tuple[str, ...] = ()
    help: str = ""

    def covers(self, key: str) -> bool:
        if self.view.endswith("*"):
            return key.startswith(self.view[:-1])
        return key == self.view


DETAILS: tuple[Detail, ...] = (
    Detail(
        "analyse",
        "analyst_detail",
        columns=("gi_z", "p_value", "p_fdr", "observed", "expected"),
        panels=("hotspot_detail", "knox_detail"),
        help="Hotspots' z- og p-værdier og nær-gentagelsens observerede og forventede par er "
        "analytikernes detaljer; ledere ser klasser, Knox-ratioer og om de er signifikante.",
    ),
    Detail(
        "nyt",
        "analyst_detail",
        columns=("p_fdr", "gi_z"),
        help="Nyhedsbrevet «Nyt fra Tryg Geo»: ændringernes korrigerede p-værdier og de nye "
        "hotspots' z-værdier står kun i analytikernes udgave; ledere får ændringen, og om den "
        "er markant.",
    ),
    Detail(
        "analyse",
        "analyst_detail",
        columns=("mk_s", "mk_tau", "mk_p", "mk_z"),
        prefixes=("z_",),
        panels=("emerging_detail",),
        help="Nye og vedvarende hotspots: z-værdierne pr. periode og Mann–Kendall-tendensen "
        "(S, tau, p) er analytikernes detaljer; ledere ser kortet og mønstrene.",
    ),
)


def _check_role(role: str | None) -> None:
    if role is not None and role not in access.ROLES:
        raise AccessError(f"Ukendt rolle {role!r}; tilladte: {', '.join(access.ROLES)}.")


def _withheld(key: str, role: str | None) -> list[Detail]:
    _check_role(role)
    return [d for d in DETAILS if d.covers(key) and not access.can(role, d.capability)]


def hidden_columns(key: str, role: str | None) -> frozenset[str]:
    """The columns of view ``key`` that ``role`` may not have (in any file); a prefix of
    :attr:`Detail.prefixes` is given with a trailing ``*`` (``z_*``)."""
    withheld = _withheld(key, role)
    return frozenset(
        [c for d in withheld for c in d.columns] + [f"{p}*" for d in withheld for p in d.prefixes]
    )


def hidden_layers(key: str, role: str | None) -> frozenset[str]:
    """The map layers of view ``key`` that ``role`` may not have."""
    return frozenset(layer for d in _withheld(key, role) for layer in d.layers)


def may_see(role: str | None, key: str, panel: str) -> bool:
    """Whether ``role`` may see the page panel ``panel`` of view ``key``.

    Raises
    ------
    AccessError
        When no rule of :data:`DETAILS` names ``panel`` for ``key`` (a typo must not show it).
    """
    rules = [d for d in DETAILS if d.covers(key) and panel in d.panels]
    if not rules:
        raise AccessError(f"Ukendt del {panel!r} af visningen {key!r} i role_files.DETAILS.")
    _check_role(role)
    return all(access.can(role, d.capability) for d in rules)


def withholds(key: str, role: str | None) -> bool:
    """Whether ``role`` may not have some column or map layer of view ``key`` (then
    :func:`for_role` makes a copy; otherwise it returns the view itself)."""
    return bool(hidden_columns(key, role) or hidden_layers(key, role))


def for_role(view: View, role: str | None) -> View:
    """``view`` as ``role`` may have it: withheld columns and map layers taken out.

    The view itself is not changed (it may be cached and shared between sessions); a view
    with nothing withheld is returned as it is.
    """
    if not withholds(view.key, role):
        return view
    columns = hidden_columns(view.key, role)
    layers = hidden_layers(view.key, role)
    return dataclasses.replace(
        view,
        table=_drop(view.table, columns),
        display=None if view.display is None else _drop(view.display, columns),
        map=None if view.map is None else _map_for(view.map, columns, layers),
    )


def _hidden(column: object, columns: frozenset[str]) -> bool:
    name = str(column)
    return name in columns or any(c.endswith("*") and name.startswith(c[:-1]) for c in columns)


def _drop(table: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    columns = frozenset(columns)
    return table.drop(columns=[c for c in table.columns if _hidden(c, columns)])


def _map_for(spec: MapSpec, columns: frozenset[str], layers: frozenset[str]) -> MapSpec:
    features = _drop(spec.features, columns)
    if "features" in layers:
        features = features.iloc[0:0]
    return dataclasses.replace(
        spec,
        features=features,
        **{layer: None for layer in ("outline", "water", "zones") if layer in layers},
    )


def visibility_table(keys: Iterable[str]) -> pd.DataFrame:
    """The rules spelt out: one row per view × file kind × role, with the columns, layers and
    panels withheld (``-`` when none). ``keys``: the views to list (e.g.
    :func:`tryg_geo.views.registry.view_keys`)."""
    rows = []
    for key in keys:
        for kind in FILE_KINDS:
            for role in access.ROLES:
                withheld = _withheld(key, role)
                panels = [p for d in withheld for p in d.panels] if kind == "screen" else []
                rows.append(
                    {
                        "view": key,
                        "file": kind,
                        "role": role,
                        "columns": ", ".join(sorted(hidden_columns(key, role))) or "-",
                        "layers": ", ".join(sorted(hidden_layers(key, role))) or "-",
                        "panels": ", ".join(panels) or "-",
                    }
                )
    return pd.DataFrame(rows)


# ---- the command line's role ---------------------------------------------------------------


def cli_role(requested: str | None, data_dir: str | os.PathLike[str]) -> str:
    """The role of ``python -m tryg_geo export|analyse|pack|deck``: what its files may hold.

    The command line has no sign-in, so the role comes from the operating system: the
    account that owns the process (:func:`tryg_geo.access.os_actor`). Its role is its line in
    ``[os_users]`` of ``roles.toml``; without one, the account that owns the data folder (the
    service account that imports) is ``dataansvarlig``, and every other account the most
    restrictive role, ``leder``. ``--role`` may ask for a lower role (to make a leader's
    pack), never a higher one.

    Raises
    ------
    UsageError
        When ``requested`` is not a role, or is above the account's role.
    AccessError
        When ``roles.toml`` exists but cannot be read (see :func:`tryg_geo.access.load_roles`).
    """
    if requested is not None and requested not in access.ROLES:
        raise UsageError(f"--role {requested!r} er ikke tilladt; vælg {', '.join(access.ROLES)}.")
    who = access.os_actor()
    entitled = _os_role(who, Path(data_dir))
    if requested is None:
        return entitled
    if access.ROLES.index(requested) > access.ROLES.index(entitled):
        raise UsageError(
            f"--role {requested} er ikke tilladt for OS-brugeren {who}, som har rollen "
            f"{entitled}. Bed den dataansvarlige om en linje i [os_users] i roles.toml, eller "
            f"kør som den konto, der ejer datamappen."
        )
    return requested


def _os_role(who: str, data_dir: Path) -> str:
    listed = access.os_user_role(who, data_dir)
    if listed is not None:
        return listed
    try:
        owner = data_dir.stat().st_uid
    except OSError:
        owner = None
    return access.ROLES[-1] if owner == os.geteuid() else access.ROLES[0]
