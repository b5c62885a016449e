"""``alerts.toml``: a good file parses; a broken one names the rule, its line and the field."""

from __future__ import annotations

import pytest

from tryg_geo.compute.alert_rules import parse_alert_rules
from tryg_geo.errors import UsageError

GOOD = """
# Data owner's rules
[[regel]]
navn = "Vold i nattelivet"
type = "stigning"
kategori = "vold"
visning = "natteliv"
omraade = "aalborg-midtby"
over_procent = 30
modtagere = ["leder", "Chef@Aalborg.dk"]

[[regel]]
navn = "Nye hot spots"
type = "ny_hotspot"
celle = "250m"
modtagere = ["analytiker"]

[[regel]]
navn = "Tryghed under mål"
type = "under_maal"
indikator = "tryg_andel"
periode = "12m"
modtagere = ["leder"]
"""


def test_a_good_file_gives_every_rule() -> None:
    rise, hot, target = parse_alert_rules(GOOD)
    assert (rise.kind, rise.category, rise.view, rise.district, rise.over_pct) == (
        "stigning",
        "vold",
        "natteliv",
        "aalborg-midtby",
        30.0,
    )
    assert rise.roles == ("leder",) and rise.addresses == ("chef@aalborg.dk",)
    assert (hot.cell, hot.period, hot.roles) == ("250m", "kvartal", ("analytiker",))
    assert (target.indicator, target.period) == ("tryg_andel", "12m")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            ("over_procent = 30", 'over_procent = "tredive"'),
            "regel 1, linje 3 (Vold i nattelivet): feltet over_procent = 'tredive' kan ikke bruges",
        ),
        (
            ('celle = "250m"', 'celle = "300m"'),
            "regel 2, linje 12 (Nye hot spots): feltet celle = '300m' kan ikke bruges; celle skal "
            "være en af 100m, 250m, 1km",
        ),
        (
            ('indikator = "tryg_andel"', 'indikator = "tryghed"'),
            "regel 3, linje 18 (Tryghed under mål): feltet indikator = 'tryghed'",
        ),
        (
            ('modtagere = ["analytiker"]', 'modtagere = ["chefen"]'),
            "regel 2, linje 12 (Nye hot spots): feltet modtagere = 'chefen' kan ikke bruges; "
            "modtagere skal være en liste af roller",
        ),
        (
            ('omraade = "aalborg-midtby"\n', ""),
            "regel 1, linje 3 (Vold i nattelivet): feltet omraade mangler",
        ),
        (('type = "ny_hotspot"', 'type = "hotspot"'), "feltet type = 'hotspot' kan ikke bruges"),
        (
            ('periode = "12m"', 'perioden = "12m"'),
            "regel 3, linje 18 (Tryghed under mål): ukendt felt 'perioden'",
        ),
        (('navn = "Nye hot spots"', 'navn = "Vold i nattelivet"'), "bruges af flere regler"),
        (('[[regel]]\nnavn = "Nye', '[regel]\nnavn = "Nye'), "kan ikke læses"),
    ],
)
def test_a_broken_rule_is_named_with_its_line_and_field(
    edit: tuple[str, str], message: str
) -> None:
    assert edit[0] in GOOD
    with pytest.raises(UsageError) as caught:
        parse_alert_rules(GOOD.replace(*edit), source="alerts.toml")
    assert caught.value.message.startswith("Alarmfilen alerts.toml")
    assert message in caught.value.message
