"""A small police export over the demo districts, written as Danish Excel writes it.

43 rows (cp1252, ';', decimal comma, dd-mm-yyyy, a separate clock time): 40 good incidents from
2 September to 25 November 2025 in the midtby, Vestbyen, Vejgaard, Nørresundby and in Jomfru
Ane Gade on weekend nights, and 3 bad rows (an impossible date, no category, no position).
This is the "own data" a new user imports; every count here is chosen, so a test knows them.
"""

from __future__ import annotations

from pathlib import Path

#: Where the incidents happen: (lat, lon) near the demo districts' centres (DOMAIN.md).
SPOTS = {
    "jomfru-ane-gade": (57.0510, 9.9182),
    "midtby": (57.0470, 9.9210),
    "vestbyen": (57.0490, 9.9020),
    "vejgaard": (57.0440, 9.9470),
    "noerresundby": (57.0580, 9.9250),
}
#: (day, month, clock, category, spot) of the 40 good rows, all in 2025.
ROWS: tuple[tuple[int, int, str, str, str], ...] = (
    *((d, 9, "23:30", "Vold", "jomfru-ane-gade") for d in (5, 6, 12, 13, 19, 20, 26, 27)),
    *((d, 10, "01:15", "Vold", "jomfru-ane-gade") for d in (4, 11, 18, 25)),
    *((d, 10, "02:40", "Narkotika", "jomfru-ane-gade") for d in (3, 10, 17, 24)),
    *((d, 11, "00:20", "Ordensforstyrrelse", "jomfru-ane-gade") for d in (1, 8, 15, 22)),
    *((d, 9, "14:00", "Indbrud i beboelse", "vestbyen") for d in (2, 9, 16)),
    *((d, 10, "10:30", "Indbrud i beboelse", "vejgaard") for d in (7, 14, 21, 28)),
    *((d, 11, "16:45", "Indbrud i beboelse", "noerresundby") for d in (4, 11, 18, 25)),
    *((d, 9, "12:10", "Tyveri", "midtby") for d in (3, 10, 17, 24)),
    *((d, 10, "13:50", "Hærværk", "midtby") for d in (1, 8, 15, 22, 29)),
)
GOOD, BAD = len(ROWS), 3
SOURCE = "Nordjyllands Politi, testudtræk 2025"
FIRST_DAY, LAST_DAY = "02.09.2025", "25.11.2025"


def police_csv(path: Path) -> Path:
    """Write the export (40 good rows, then 3 bad ones) to ``path``."""
    lines = ["Journalnr;Dato;Klokkeslæt;Kategori;Breddegrad;Længdegrad"]
    for number, (d, month, clock, category, spot) in enumerate(ROWS, start=5001):
        lat, lon = SPOTS[spot]
        jitter = (number % 7) * 0.0002  # a few metres apart, inside the same spot
        lat_text = f"{lat + jitter:.6f}".replace(".", ",")
        lon_text = f"{lon - jitter:.6f}".replace(".", ",")
        lines.append(f"{number};{d:02d}-{month:02d}-2025;{clock};{category};{lat_text};{lon_text}")
    lines += [
        "6001;31-02-2025;22:00;Vold;57,051000;9,918200",  # impossible date
        "6002;12-10-2025;22:00;;57,051000;9,918200",  # no category
        "6003;13-10-2025;22:00;Vold;;",  # no position
    ]
    assert len(lines) == 1 + GOOD + BAD
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path
