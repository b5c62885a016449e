"""Real survey and statistics names of the registry's indicators (``aliases.toml``).

A measurement named ``tryg_i_nabolaget`` (the Tryghedsundersøgelsen's own name) is the
registry's ``tryg_andel``: :func:`canonical_indicators` maps such names to the registry's, so
the importer checks their unit. The aliases are data, declared in ``aliases.toml`` beside
this module; :func:`load_aliases` checks that every alias points at a registry indicator
and that no name is used twice.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from ..cache import LRU
from ..compute.registry import all_indicators
from ..errors import UsageError
from .columns import normalise

ALIASES_PATH: Path = Path(__file__).with_name("aliases.toml")


#: Checked alias files by path (the file is data shipped with the package: read once).
_LOADED = LRU("alias_files")


def load_aliases(path: Path = ALIASES_PATH) -> dict[str, str]:
    """Normalised alias -> the registry's indicator name (read once per path; not to be changed).

    Raises
    ------
    UsageError
        The file is missing or not TOML, an entry names an indicator the registry does not
        have, or a name is listed twice (or is itself a registry indicator of another name).
    """
    return _LOADED.get_or_make(Path(path), lambda: _read(Path(path)))


def _read(path: Path) -> dict[str, str]:
    try:
        with Path(path).open("rb") as f:
            data = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise UsageError(f"{path}: indikatornavnene kan ikke læses ({exc}).") from None
    return _checked(path, data)


def _checked(path: Path, data: dict[str, Any]) -> dict[str, str]:
    registry = {ind.measurement_name for _, ind in all_indicators()}
    by_norm = {normalise(name): name for name in registry}
    out: dict[str, str] = {}
    for number, entry in enumerate(data.get("alias", []), start=1):
        target = entry.get("indicator")
        if target not in registry:
            raise UsageError(
                f"{path}, alias nr. {number}: indikatoren {target!r} findes ikke i "
                f"initiatives.toml. Tilladte værdier: {', '.join(sorted(registry))}."
            )
        for name in entry.get("names", []):
            key = normalise(name)
            taken = out.get(key) or (by_norm.get(key) if by_norm.get(key) != target else None)
            if taken is not None and taken != target:
                raise UsageError(
                    f"{path}, alias nr. {number}: navnet {name!r} bruges allerede for {taken!r}."
                )
            out[key] = target
    return out


def known_indicator_names() -> list[str]:
    """Every name an indicator may have in a file: the registry's names and all aliases."""
    registry = [ind.measurement_name for _, ind in all_indicators()]
    return sorted(set(registry) | set(load_aliases()))


def canonical_indicators(names: Iterable[object]) -> tuple[np.ndarray, dict[str, str]]:
    """Each name as the registry's indicator name when it is a known alias.

    Returns
    -------
    tuple[numpy.ndarray, dict[str, str]]
        The names (object array, unknown names unchanged) and the renames made
        (file name -> registry name), for the import report.
    """
    aliases = load_aliases()
    registry = {ind.measurement_name for _, ind in all_indicators()}
    names = np.asarray(list(names), dtype=object)
    renamed: dict[str, str] = {}
    lookup: dict[object, object] = {}
    for name in dict.fromkeys(names.tolist()):
        text = "" if name is None else str(name)
        target = aliases.get(normalise(text)) if text not in registry else None
        lookup[name] = target or name
        if target:
            renamed[text] = target
    return np.array([lookup[n] for n in names.tolist()], dtype=object), renamed
