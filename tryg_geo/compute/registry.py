"""The declarative registry of Tryg Aalborg's 17 indsatser and their indicators.

Every indsats and every indikator is declared once, as data, in ``initiatives.toml`` beside this
module; adding one means editing that file only. :func:`load_initiatives` reads the file, checks
every field and returns frozen :class:`Initiative` objects. Any mistake in the file raises
:class:`~tryg_geo.errors.UsageError` with a Danish message naming the file, the indsats, the
field, the value and what is allowed.

An indicator gets its numbers from one of three sources:

``incidents``
    counted from the police incident table, restricted to ``categories`` (empty = all), to
    Friday and Saturday nights 22-06 when ``night_only`` and to the polygon of the place
    ``zone`` when given.
``measurement``
    rows of the measurements table whose ``indicator`` column equals
    :attr:`Indicator.measurement_name`, per district or for the whole kommune.
``place_observation``
    measurement rows as above whose ``area_id`` is one of the place ids in ``places``.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from ..cache import LRU
from ..errors import UsageError
from .registry_model import Indicator, Initiative, listing
from .registry_parse import parse

DEFAULT_PATH: Path = Path(__file__).with_name("initiatives.toml")

# --- public functions -------------------------------------------------------------------------


def load_initiatives(path: Path | None = None) -> list[Initiative]:
    """Read and check the registry of indsatser.

    Parameters
    ----------
    path : Path or None
        A TOML file; ``None`` means the registry shipped with the package, which is read once
        and cached.

    Returns
    -------
    list of Initiative
        In the order of the file.

    Raises
    ------
    UsageError
        If the file is missing, is not valid TOML, or any field is missing, unknown or has a
        value that is not allowed. The message names the file, the indsats, the field, the value
        and the allowed values.
    """
    if path is None or Path(path).resolve() == DEFAULT_PATH.resolve():
        return list(_load_default())
    return list(_load(Path(path)))


def get_initiative(slug: str) -> Initiative:
    """The indsats of the default registry with this slug.

    Parameters
    ----------
    slug : str
        e.g. ``"tryg-bydel"``.

    Returns
    -------
    Initiative

    Raises
    ------
    UsageError
        If no indsats has that slug; the message lists the allowed slugs.
    """
    initiatives = _load_default()
    for initiative in initiatives:
        if initiative.slug == slug:
            return initiative
    raise UsageError(
        f"Ukendt indsats '{slug}'. Tilladte værdier: {listing(i.slug for i in initiatives)}."
    )


def all_indicators() -> list[tuple[Initiative, Indicator]]:
    """Every indicator of the default registry with the indsats it belongs to.

    Returns
    -------
    list of (Initiative, Indicator)
        In the order of the file.
    """
    return [(ini, ind) for ini in _load_default() for ind in ini.indicators]


# --- loading (the field checks are in registry_parse) ---------------------------------------------------------------------


#: The shipped initiatives.toml, read and checked once per process.
_DEFAULT = LRU("initiative_files")


def _load_default() -> tuple[Initiative, ...]:
    return _DEFAULT.get_or_make(DEFAULT_PATH, lambda: _load(DEFAULT_PATH))


def _load(path: Path) -> tuple[Initiative, ...]:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        raise UsageError(f"Filen med indsatser findes ikke: {path}.") from None
    except OSError as exc:
        raise UsageError(f"Filen med indsatser kan ikke læses: {path} ({exc}).") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"{path}: filen er ikke gyldig TOML: {exc}.") from None
    return parse(data, str(path))
