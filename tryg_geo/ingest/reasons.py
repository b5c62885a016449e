"""Reason codes of rejected rows in Danish words, for the Data page and its downloads.

The codes (``impossible_date``) stay in ``rejected.csv`` and ``import --json``, where scripts
read them; a person on the Data page reads the short Danish label instead.
"""

from __future__ import annotations

#: reason code -> short Danish label (what is wrong with the row).
REASON_LABELS: dict[str, str] = {
    # times and periods
    "missing_time": "Tidspunkt mangler",
    "missing_value": "Feltet er tomt",
    "unparseable_date": "Ukendt datoformat",
    "impossible_date": "Datoen findes ikke",
    "future_date": "Dato i fremtiden",
    "too_old_date": "Dato før 1990",
    "missing_period": "Periode mangler",
    "unparseable_period": "Ukendt periode",
    # what and where
    "missing_category": "Kategori mangler",
    "missing_coordinates": "Koordinater mangler",
    "not_a_number": "Ikke et tal",
    "not_finite": "Ikke et endeligt tal",
    "latlon_swapped": "Bredde- og længdegrad byttet om",
    "utm_in_latlon": "Meter-koordinater i lat/lon-kolonner",
    "xy_swapped": "X og Y byttet om",
    "latlon_in_xy": "Grader i x/y-kolonner",
    "outside_denmark": "Uden for Danmark",
    # ids and rows
    "missing_id": "Id mangler",
    "duplicate_id": "Id findes to gange",
    "conflicting_duplicate": "Modstridende dublet",
    "too_many_fields": "For mange felter i rækken",
    # measurements
    "missing_area": "Område mangler",
    "missing_indicator": "Indikator mangler",
    "n_not_a_number": "Antal svar er ikke et tal",
    "n_not_positive": "Antal svar under 1",
    "negative_count": "Negativt antal",
    "not_whole_number": "Ikke et helt tal",
    "share_negative": "Negativ andel",
    "share_above_100": "Andel over 100 %",
    # geometries and districts
    "missing_geometry": "Geometri mangler",
    "wrong_geometry_type": "Forkert geometritype",
    "invalid_geometry": "Ugyldig geometri",
    "mixed_geometry_types": "Blandede geometrityper",
    "negative_population": "Negativ befolkning",
    "implausible_population": "Usandsynlig befolkning",
    # StatBank tables by kommune
    "not_total": "Ikke en total",
    "not_kommune": "Ikke en kommune",
    "not_published": "Ikke offentliggjort",
}


def reason_text(code: str) -> str:
    """The Danish label of a reason code; an unknown code is shown as 'Anden fejl (code)'."""
    return REASON_LABELS.get(str(code), f"Anden fejl ({code})")
