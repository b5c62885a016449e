"""Makes the hand-made files of the wizard tests (run: python tests/data/wizard/make_files.py).

politi_udtraek.csv: a Danish police export as Excel writes it — cp1252, ';', decimal comma,
dd-mm-yyyy dates, UTM coordinates in columns no alias knows (X_koordinat, Y_koordinat).

politi_gerningsdato.csv: the other common police layout — the date in "Gerningsdato", the time
of day alone in "Gerningstidspunkt", a case number "Journalnr" beside a postal code "Postnr",
UTM in "Øst (UTM32)"/"Nord (UTM32)" with decimal comma; 12 good rows and 2 bad ones.
"""

from __future__ import annotations

import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
CATEGORIES = ("Indbrud i beboelse", "Vold", "Hærværk", "Tyveri fra bil", "Røveri")


def police_export() -> str:
    rng = random.Random(11)
    lines = [
        "Journalnr;Anmeldelsesdato;Klokkeslæt;Gerningskode;X_koordinat;Y_koordinat;Politikreds"
    ]
    for number in range(40):
        day, month = rng.randint(1, 28), rng.randint(1, 12)
        x = 555_700 + rng.uniform(-2500, 2500)
        y = 6_323_400 + rng.uniform(-3000, 1500)
        lines.append(
            f"4100-{73000 + number};{day:02d}-{month:02d}-2024;{rng.randint(0, 23):02d}:"
            f"{rng.randint(0, 59):02d};{rng.choice(CATEGORIES)};{x:.1f};{y:.1f};"
            "Nordjyllands Politi"
        )
    lines = [line if i == 0 else _comma(line) for i, line in enumerate(lines)]
    lines.append("4100-73998;31-02-2024;12:00;Vold;555700,0;6323400,0;Nordjyllands Politi")
    lines.append("4100-73999;03-03-2024;12:00;Vold;;;Nordjyllands Politi")
    return "\r\n".join(lines) + "\r\n"


def police_export_by_date() -> str:
    rng = random.Random(23)
    lines = [
        "Journalnr;Gerningsdato;Gerningstidspunkt;Gerningskode;Øst (UTM32);Nord (UTM32);Postnr;By"
    ]
    for number in range(12):
        x = 555_700 + rng.uniform(-2500, 2500)
        y = 6_323_400 + rng.uniform(-3000, 1500)
        lines.append(
            f"5100-8230{number:04d}-{rng.randint(10, 99)};{rng.randint(1, 28):02d}-"
            f"{rng.randint(1, 12):02d}-2023;{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d};"
            f"{rng.choice(CATEGORIES)};{x:.1f};{y:.1f};9000;Aalborg".replace(".", ",")
        )
    lines.append("5100-BAD-0;31-02-2023;10:40;Vold;555700,0;6323400,0;9000;Aalborg")
    lines.append("5100-BAD-1;03-03-2023;12:00;Vold;;;9000;Aalborg")
    return "\r\n".join(lines) + "\r\n"


def _comma(line: str) -> str:
    fields = line.split(";")
    fields[4] = fields[4].replace(".", ",")
    fields[5] = fields[5].replace(".", ",")
    return ";".join(fields)


if __name__ == "__main__":
    (HERE / "politi_udtraek.csv").write_bytes(police_export().encode("cp1252"))
    (HERE / "politi_gerningsdato.csv").write_bytes(police_export_by_date().encode("cp1252"))
