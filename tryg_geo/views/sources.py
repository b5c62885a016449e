"""The source line under every view and export: where the numbers come from, and when."""

from __future__ import annotations

from datetime import date

from ..fmt import day


def source_line(parts: list[str], *, demo: bool, extracted: date | None = None) -> str:
    """'Kilde: A, B; udtrukket 25.11.2026' — and 'Demodata' first when the data is generated."""
    extracted = extracted or date.today()
    prefix = "Demodata (genereret, ikke rigtige tal) · " if demo else ""
    return f"{prefix}Kilde: {', '.join(parts)}; udtrukket {day(extracted)}"


POLICE = "Nordjyllands Politi (anmeldelser)"
SURVEY = "Tryghedsundersøgelsen"
REGISTRATIONS = "Tryg Aalborgs registreringer"
