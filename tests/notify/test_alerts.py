"""Alerts: checked after every import, logged once, e-mailed through the relay, and shown on
Overblik only to the roles they concern."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
import tiny_data
from conftest import Relay, write_secrets

from tryg_geo import alerts_for, import_file, import_upload, mark_alert_seen
from tryg_geo.cli import main
from tryg_geo.notify.alerts import check_alerts
from tryg_geo.store.folder import Store
from tryg_geo.store.notices import alert_log

RULES = """
[[regel]]
navn = "Vold i Midtbyen"
type = "stigning"
kategori = "vold"
omraade = "Aalborg Midtby"
over_procent = 30
modtagere = ["leder", "chef@aalborg.dk"]

[[regel]]
navn = "Vold om natten i Midtbyen"
type = "stigning"
kategori = "vold"
visning = "natteliv"
omraade = "aalborg-midtby"
over_procent = 1000
modtagere = ["analytiker"]
"""
ROLES = '[users]\n"leder@aalborg.dk" = "leder"\n"analytiker@aalborg.dk" = "analytiker"\n'


def violence(path: Path, count: int = 60) -> Path:
    """``count`` violent incidents on weekend nights in the midtby in the demo data's last
    quarter (October to December 2025): far above the same quarter a year before."""
    lines = ["Journalnr;Dato;Klokkeslæt;Kategori;Breddegrad;Længdegrad"]
    first = date(2025, 10, 3)  # a Friday
    for number in range(count):
        day = first + timedelta(days=7 * (number % 12) + (number // 12) % 2)
        jitter = (number % 9) * 0.0001  # a few metres apart, all inside the midtby
        lat, lon = (f"{v:.6f}".replace(".", ",") for v in (57.0475 + jitter, 9.9205 - jitter))
        lines.append(f"{9000 + number};{day:%d-%m-%Y};23:30;Vold;{lat};{lon}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_an_import_fires_the_rule_once_and_mails_it(
    data: Path, relay: Relay, tmp_path: Path
) -> None:
    (data / "alerts.toml").write_text(RULES, encoding="utf-8")
    (data / "roles.toml").write_text(ROLES, encoding="utf-8")
    write_secrets(relay)
    before = len(relay.received)
    code = main(["import", "incidents", str(violence(tmp_path / "vold.csv")), "--mode", "append"])
    assert code == 0
    (alert,) = alert_log(data)  # the night rule's 1000 % is not reached
    assert alert["rule"] == "Vold i Midtbyen" and alert["roles"] == ["leder"]
    assert "Aalborg Midtby steg +" in alert["text"] and "markant" in alert["text"]
    assert alert["view"] == "tryg-bydel" and alert["params"]["omr"] == "aalborg-midtby"
    mails = relay.received[before:]
    assert sorted(r for recipients, _ in mails for r in recipients) == [
        "chef@aalborg.dk",
        "leder@aalborg.dk",
    ]
    _, message = mails[0]
    body = message.get_body(("plain",)).get_content()
    assert "Vold i Midtbyen" in body and "Demodata" in body
    assert "https://tryggeo.aalborg.dk/tryg-bydel?" in body
    assert alert_log(data)[0]["mailed_to"] == ["chef@aalborg.dk", "leder@aalborg.dk"]
    # The same data again: nothing fires twice, nothing is mailed again.
    assert check_alerts(Store(data)).fired == []
    assert len(alert_log(data)) == 1 and len(relay.received) == before + 2


def test_alerts_reach_only_their_roles_until_marked_seen(data: Path, tmp_path: Path) -> None:
    (data / "alerts.toml").write_text(RULES, encoding="utf-8")
    result = import_file("incidents", violence(tmp_path / "vold.csv"), mode="append")
    assert any(w.startswith("Alarm: Vold i Midtbyen") for w in result.warnings)
    assert [a["rule"] for a in alerts_for("leder", "leder@aalborg.dk")] == ["Vold i Midtbyen"]
    assert alerts_for("analytiker", "analytiker@aalborg.dk") == []
    assert [a["rule"] for a in alerts_for("analytiker", "chef@aalborg.dk")] == ["Vold i Midtbyen"]
    key = alert_log(data)[0]["key"]
    mark_alert_seen("leder@aalborg.dk", key)
    assert alerts_for("leder", "leder@aalborg.dk") == []
    assert len(alerts_for("leder", "anden.leder@aalborg.dk")) == 1  # per user


def test_a_broken_rules_file_never_stops_an_import(data: Path, tmp_path: Path) -> None:
    (data / "alerts.toml").write_text(RULES.replace("over_procent = 30", "over_procent = -3"))
    result = import_file("incidents", violence(tmp_path / "vold.csv"), mode="append")
    assert result.accepted == 60
    assert any(
        "Alarmerne blev ikke tjekket: Alarmfilen" in w
        and "regel 1, linje 2" in w
        and "over_procent" in w
        for w in result.warnings
    )
    assert alert_log(data) == []


def test_the_wizards_upload_checks_the_rules_too(data: Path, tmp_path: Path) -> None:
    """The Data page imports through ``tryg_geo.import_upload``: it ends in the same check."""
    (data / "alerts.toml").write_text(RULES, encoding="utf-8")
    upload = violence(tmp_path / "vold.csv").read_bytes()
    result = import_upload("incidents", "vold.csv", upload, mode="append")
    assert result.accepted == 60
    assert [a["rule"] for a in alert_log(data)] == ["Vold i Midtbyen"]


# ---- "ny_hotspot" and "under_maal" on tiny stores made to trigger them ------------------------
HOTSPOT_RULE = """
[[regel]]
navn = "Nyt hot spot"
type = "ny_hotspot"
celle = "250m"
modtagere = ["analytiker"]
"""
TARGET_RULE = """
[[regel]]
navn = "Tryghed under mål"
type = "under_maal"
indikator = "tryg_andel"
periode = "12m"
modtagere = ["leder"]
"""


def block(per_cell: int, when: str) -> list[pd.DataFrame]:
    """``per_cell`` incidents in each cell of a 3 × 3 block of 250 m cells in district Alfa
    (centre cell x 554 250–554 500, y 6 322 250–6 322 500) on day ``when``."""
    x, y = tiny_data.X0 + 375, tiny_data.Y0 + 375
    return [
        tiny_data.incidents_at(per_cell, when=when, where=(x + dx * 250, y + dy * 250))
        for dx in (-1, 0, 1)
        for dy in (-1, 0, 1)
    ]


def rules_in(root: Path, text: str, monkeypatch: pytest.MonkeyPatch) -> Store:
    (root / "alerts.toml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)  # no .streamlit/secrets.toml here: nothing is mailed
    return Store(root)


def test_a_new_hot_spot_fires_once_and_a_lasting_one_never(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Emerging hot spots by quarter, twelve back from the last day with data (20.11.2025): the
    # block is hot in the last quarter and in none before (one incident in 2023 gives the
    # series its length): a new hot spot.
    early = tiny_data.incidents_at(1, when="2023-01-15 12:00")
    new = tmp_path / "new"
    tiny_data.build(new, incidents=[early, *block(5, "2025-11-20 01:00")])
    store = rules_in(new, HOTSPOT_RULE, monkeypatch)
    run = check_alerts(store)
    (alert,) = run.fired
    assert alert["kind"] == "ny_hotspot" and alert["roles"] == ["analytiker"]
    assert alert["view"] == "analyse" and alert["params"]["celle"] == "250m"
    assert "hotspots i 250m-celler i 4. kvt. 2025 (01.10.2025–20.11.2025)" in alert["text"]
    assert "i nogen af perioderne før (1. kvt. 2023–3. kvt. 2025)" in alert["text"]
    assert "250m_" in alert["text"]  # the cells are named
    assert alert_log(new) == run.fired
    # The same data again: nothing fires twice.
    assert check_alerts(store).fired == [] and len(alert_log(new)) == 1
    # The same block in an earlier quarter too: a hot spot before, so not a new one.
    again = tmp_path / "again"
    tiny_data.build(
        again, incidents=[early, *block(5, "2025-05-15 01:00"), *block(5, "2025-11-20 01:00")]
    )
    assert check_alerts(rules_in(again, HOTSPOT_RULE, monkeypatch)).fired == []
    assert alert_log(again) == []
    # Too short a series for emerging hot spots: the rule says why instead of firing.
    short = tmp_path / "short"
    tiny_data.build(short, incidents=block(5, "2025-11-20 01:00"))
    run = check_alerts(rules_in(short, HOTSPOT_RULE, monkeypatch))
    assert run.fired == [] and alert_log(short) == []
    assert any("'Nyt hot spot'" in p and "mindst 8 perioder" in p for p in run.problems)


def test_tryghed_below_target_fires_once_for_that_district_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    below = tmp_path / "below"
    tiny_data.build(
        below,
        measurements=[
            tiny_data.measurement("tryg_andel", "a", "2025", 0.70, n=400),  # target 0.9
            tiny_data.measurement("tryg_andel", "b", "2025", 0.95, n=400),
            tiny_data.measurement("tryg_andel", "c", "2025", 0.90, n=400),  # on target
        ],
    )
    store = rules_in(below, TARGET_RULE, monkeypatch)
    (alert,) = check_alerts(store).fired
    assert alert["kind"] == "under_maal" and alert["roles"] == ["leder"]
    assert alert["text"].startswith("Trygge i nabolaget i Alfa: 70,0 % i 2025, under målet 90,0 %")
    assert alert["view"].startswith("indsats/")
    assert check_alerts(store).fired == [] and len(alert_log(below)) == 1
    # Every district at or above the target: nothing fires.
    met = tmp_path / "met"
    tiny_data.build(
        met,
        measurements=[
            tiny_data.measurement("tryg_andel", area, "2025", 0.92, n=400) for area in "abc"
        ],
    )
    assert check_alerts(rules_in(met, TARGET_RULE, monkeypatch)).fired == []
