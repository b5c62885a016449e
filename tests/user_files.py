"""Small hand-made user files, written the way a kommune and a police district deliver them.

Four square districts near Aalborg as GeoJSON (with or without a population column) and a
police export as Danish Excel writes it (cp1252, ';', decimal comma, dd-mm-yyyy). Every count
is chosen here, so a test knows the true count per district.
"""

from __future__ import annotations

import json
from pathlib import Path

#: (id, name, population, (min lon, min lat)) of four 0.01° × 0.01° squares side by side.
DISTRICTS = (
    ("9000", "Aalborg C", 26_000, (9.90, 57.03)),
    ("9200", "Aalborg SV", 14_000, (9.91, 57.03)),
    ("9220", "Aalborg Øst", 31_000, (9.92, 57.03)),
    ("9400", "Nørresundby", 22_000, (9.93, 57.03)),
)
SIDE = 0.01
#: incidents per district id in 2025: 3 in 9200 is hidden as '<5', and 9400, the smallest
#: other count, is hidden beside it (the kommune total is shown); 9000 and 9220 are shown.
COUNTS = {"9000": 40, "9200": 3, "9220": 17, "9400": 9}
SOURCE = "Sydøstjyllands Politi, udtræk 2025"


def districts_geojson(path: Path, *, population: bool = True) -> Path:
    """The three districts as a GeoJSON FeatureCollection in CRS84."""
    features = []
    for district_id, name, people, (lon, lat) in DISTRICTS:
        ring = [
            [lon, lat],
            [lon + SIDE, lat],
            [lon + SIDE, lat + SIDE],
            [lon, lat + SIDE],
            [lon, lat],
        ]
        properties = {"id": district_id, "navn": name}
        if population:
            properties["befolkning"] = people
        features.append(
            {
                "type": "Feature",
                "properties": properties,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        )
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8"
    )
    return path


def police_csv(path: Path, counts: dict[str, int] | None = None) -> Path:
    """A police export: ``counts`` burglaries per district id in 2025, cp1252, ';', comma."""
    counts = COUNTS if counts is None else counts
    lines = ["Journalnr;Dato;Klokkeslæt;Kategori;Breddegrad;Længdegrad"]
    number = 1000
    for district_id, count in counts.items():
        lon, lat = next(d[3] for d in DISTRICTS if d[0] == district_id)
        for i in range(count):
            number += 1
            day, month = 1 + i % 28, 1 + i % 12
            y = f"{lat + SIDE * (0.2 + 0.6 * (i % 7) / 7):.6f}".replace(".", ",")
            x = f"{lon + SIDE * (0.2 + 0.6 * (i % 5) / 5):.6f}".replace(".", ",")
            lines.append(
                f"{number};{day:02d}-{month:02d}-2025;2{i % 4}:15;Indbrud i beboelse;{y};{x}"
            )
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path
