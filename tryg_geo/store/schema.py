"""What the store holds: one table per data kind, with fixed column names.

Every loader produces exactly these columns; every reader of the store may rely on them.
Geometries are stored in EPSG:25832 (ETRS89 / UTM 32N), times as naive local time in
Europe/Copenhagen.
"""

from __future__ import annotations

STORE_CRS = "EPSG:25832"
LOCAL_TZ = "Europe/Copenhagen"

#: The partnership's own data (demodata makes these).
LOCAL_KINDS: tuple[str, ...] = ("districts", "incidents", "measurements", "places")
#: Statistics Denmark's StatBank tables by kommune (tryg_geo.ingest.statbank).
STATBANK_KINDS: tuple[str, ...] = ("kommune_crimes", "kommune_population")
KINDS: tuple[str, ...] = LOCAL_KINDS + STATBANK_KINDS
GEO_KINDS: frozenset[str] = frozenset({"districts", "places"})

#: Danish names of the kinds, for messages and the dashboard.
KIND_LABELS: dict[str, str] = {
    "districts": "områder",
    "incidents": "hændelser",
    "measurements": "målinger",
    "places": "steder",
    "kommune_crimes": "anmeldelser pr. kommune (Statistikbanken)",
    "kommune_population": "befolkning pr. kommune (Statistikbanken)",
}

COLUMNS: dict[str, tuple[str, ...]] = {
    # district_id: str, name: str, population: Int64 (nullable), geometry: MultiPolygon
    "districts": ("district_id", "name", "population", "geometry"),
    # time: datetime64 naive local; category: category; x/y: float64 EPSG:25832;
    # district_id: category, <NA> when outside every district; cell_100m: category
    # ("100m_<N/100>_<E/100>"); hour: int8 0-23; weekday: int8 0=Monday .. 6=Sunday;
    # source/initiative: category, may be <NA>.
    "incidents": (
        "incident_id",
        "time",
        "category",
        "x",
        "y",
        "district_id",
        "cell_100m",
        "hour",
        "weekday",
        "source",
        "initiative",
    ),
    # area_id: str (district id, place id or "kommune"); period: normalised "2024",
    # "2024-Q3" or "2024-05"; period_start/period_end: datetime64 (end exclusive);
    # indicator: str; value: float64 (shares as 0-1); n: Int64 (nullable)
    "measurements": (
        "area_id",
        "period",
        "period_start",
        "period_end",
        "indicator",
        "value",
        "n",
    ),
    # place_id: str, name: str, kind: str (torv, plads, park, havnefront, nattelivszone, ...)
    "places": ("place_id", "name", "kind", "geometry"),
    # area_code: str ('0851', '000' for Hele landet); area_name: StatBank's name; category: the
    # type of offence (population: 'Befolkning'); period: '2025-Q1'; period_start: datetime64;
    # value: float64 (a count)
    "kommune_crimes": ("area_code", "area_name", "category", "period", "period_start", "value"),
    "kommune_population": (
        "area_code",
        "area_name",
        "category",
        "period",
        "period_start",
        "value",
    ),
}

#: Columns of every rejected-rows table.
REJECTED_COLUMNS: tuple[str, ...] = ("row", "column", "value", "reason", "message")
