"""Whose dashboard this is: the partnership's name, kommune, partners, logo and colour.

One setting, ``partnerskab.toml`` in the data folder, read here (the store is the only code that
reads the data folder) and carried by the loaded :class:`~tryg_geo.store.dataset.Dataset` to
every view, PNG, slide and page. Without the file the partnership is Tryg Aalborg::

    navn = "Tryg Aarhus"
    kommune = "Aarhus Kommune"
    kommunekode = "0751"
    partnere = ["Aarhus Kommune", "Østjyllands Politi"]
    logo = "logo.png"          # a PNG or JPEG in the data folder (optional)
    farve = "#rrggbb"          # the accent colour of headings and slides (optional)
    sammenlign = ["København", "Aarhus", "Odense"]  # kommuner beside ours on Overblik (optional)

A broken file never shows another partnership's name: :func:`load_partnership` raises
:class:`~tryg_geo.errors.UsageError` naming the file, the key, the value and what is allowed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..cache import LRU
from ..errors import UsageError
from ..geo.denmark import normal_kommune_code
from ..geo.kommuner import kommune_code

PARTNERSHIP_FILE = "partnerskab.toml"
#: The keys of ``partnerskab.toml``, with what each holds (for the error messages).
KEYS: dict[str, str] = {
    "navn": 'partnerskabets navn, fx "Tryg Aarhus"',
    "kommune": 'kommunens navn, fx "Aarhus Kommune"',
    "kommunekode": 'kommunekoden, fx "0751" (751 læses som 0751)',
    "partnere": 'en liste af navne, fx ["Aarhus Kommune", "Østjyllands Politi"]',
    "logo": 'en PNG- eller JPEG-fil i data-mappen, fx "logo.png"',
    "farve": 'en farve som "#rrggbb": "#" og seks hex-cifre (0–9, a–f)',
    "sammenlign": 'en liste af kommuner (navne eller koder), fx ["København", "Aarhus", "461"]',
}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_LOGO_SUFFIXES = (".png", ".jpg", ".jpeg")
_NAME_MAX = 60


@dataclass(frozen=True)
class Partnership:
    """The partnership a dashboard belongs to (defaults: Tryg Aalborg)."""

    name: str = "Tryg Aalborg"
    kommune: str = "Aalborg Kommune"
    kommune_code: str = "0851"
    partners: tuple[str, ...] = (
        "Aalborg Kommune",
        "Nordjyllands Politi",
        "Psykiatrien i Region Nordjylland",
    )
    logo: Path | None = None
    #: The colour of the partnership's line on PNGs and slides; None: the usual grey.
    colour: str | None = None
    #: The kommuner shown beside ours on Overblik, as four-digit codes (``sammenlign``); empty:
    #: the largest kommuner by population (:func:`tryg_geo.compute.kommuner.comparison_codes`).
    compare: tuple[str, ...] = ()
    #: Where the setting came from: the file, or '' for the defaults.
    source: str = field(default="", compare=False)

    @property
    def genitive(self) -> str:
        """'Tryg Aalborgs', "Tryg Aarhus'" (Danish: an s, or only an apostrophe after s/x/z)."""
        return self.name + ("'" if self.name[-1:].lower() in "sxz" else "s")

    @property
    def partners_line(self) -> str:
        """The partners in one line: 'Aalborg Kommune · Nordjyllands Politi · …'."""
        return " · ".join(self.partners)


def parse_partnership(text: str, *, source: str, folder: Path) -> Partnership:
    """Parse the text of a ``partnerskab.toml`` (``folder`` is where a logo is looked for).

    Raises
    ------
    UsageError
        A TOML syntax error, an unknown key, a value of the wrong type, an empty or too long
        name, a kommune code that is not four digits, a colour that is not #rrggbb, or a logo
        that is not a PNG or JPEG file in the data folder.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Indstillingsfilen {source} kan ikke læses: {exc}.") from None
    unknown = [key for key in data if key not in KEYS]
    if unknown:
        raise UsageError(
            f"Indstillingsfilen {source} har en ukendt nøgle {unknown[0]!r}; tilladte nøgler er "
            f"{', '.join(KEYS)}."
        )
    default = Partnership()
    return Partnership(
        name=_text(data, "navn", default.name, source),
        kommune=_text(data, "kommune", default.kommune, source),
        kommune_code=_code(data, source, default.kommune_code),
        partners=_partners(data, source, default.partners),
        logo=_logo(data, source, folder),
        colour=_colour(data, source, default.colour),
        compare=_compare(data, source),
        source=source,
    )


def _wrong(source: str, key: str, value: Any) -> UsageError:
    return UsageError(
        f"Indstillingsfilen {source}: {key} = {value!r} kan ikke bruges; {key} skal være "
        f"{KEYS[key]}."
    )


def _text(data: dict[str, Any], key: str, default: str, source: str) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > _NAME_MAX:
        raise _wrong(source, key, value)
    return " ".join(value.split())


def _code(data: dict[str, Any], source: str, default: str) -> str:
    value = data.get("kommunekode", default)
    code = normal_kommune_code(value)
    if code is None:
        raise _wrong(source, "kommunekode", value)
    return code


def _partners(data: dict[str, Any], source: str, default: tuple[str, ...]) -> tuple[str, ...]:
    value = data.get("partnere", list(default))
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _wrong(source, "partnere", value)
    return tuple(" ".join(v.split()) for v in value)


def _compare(data: dict[str, Any], source: str) -> tuple[str, ...]:
    value = data.get("sammenlign", [])
    if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
        raise _wrong(source, "sammenlign", value)
    codes = [kommune_code(str(v)) for v in value]
    unknown = [str(v) for v, c in zip(value, codes, strict=True) if c is None or c == "000"]
    if unknown:
        raise UsageError(
            f"Indstillingsfilen {source}: sammenlign nævner {unknown[0]!r}, som ikke er en "
            f"kommune; sammenlign skal være {KEYS['sammenlign']}."
        )
    return tuple(dict.fromkeys(c for c in codes if c))


def _logo(data: dict[str, Any], source: str, folder: Path) -> Path | None:
    value = data.get("logo")
    if value is None:
        return None
    if not isinstance(value, str) or Path(value).name != value:  # no folders, no '..'
        raise _wrong(source, "logo", value)
    path = folder / value
    if path.suffix.lower() not in _LOGO_SUFFIXES or not path.is_file():
        raise UsageError(
            f"Indstillingsfilen {source}: logo = {value!r} findes ikke som PNG- eller JPEG-fil "
            f"i data-mappen {folder}; læg filen dér, eller fjern linjen."
        )
    return path


def _colour(data: dict[str, Any], source: str, default: str | None) -> str | None:
    value = data.get("farve", default)
    if value is None:
        return None
    if not isinstance(value, str) or not _COLOUR.fullmatch(value.strip()):
        raise _wrong(source, "farve", value)
    return value.strip().lower()


_PARSED = LRU("partnership_files")  # by path and stat: a changed file is read again


def partnership_stamp(data_dir: Path) -> str:
    """What changes when ``partnerskab.toml`` changes ('' without the file): part of the data
    version, so every cached view is made again with the new name."""
    try:
        stat = (Path(data_dir) / PARTNERSHIP_FILE).stat()
    except FileNotFoundError:
        return ""
    return f"{stat.st_mtime_ns}-{stat.st_size}"


def load_partnership(data_dir: Path) -> Partnership:
    """The partnership of the data folder ``data_dir`` (the defaults without a file).

    Raises
    ------
    UsageError
        When the file cannot be read or parsed (see :func:`parse_partnership`).
    """
    path = Path(data_dir) / PARTNERSHIP_FILE
    try:
        stat = path.stat()
    except FileNotFoundError:
        return Partnership()
    return _PARSED.get_or_make(
        (path, stat.st_mtime_ns, stat.st_size), lambda: _read_partnership(path)
    )


def _read_partnership(path: Path) -> Partnership:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(
            f"Indstillingsfilen {path} kan ikke læses ({exc}); den skal være UTF-8-tekst."
        ) from None
    return parse_partnership(text, source=str(path), folder=path.parent)
