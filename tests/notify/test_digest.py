"""The digest "Nyt fra Tryg Geo" received end to end through a local SMTP relay (aiosmtpd)."""

from __future__ import annotations

import io
import re
from email.message import EmailMessage
from pathlib import Path

import pytest
from conftest import REFUSED, Relay, write_secrets
from pypdf import PdfReader

from tryg_geo import access
from tryg_geo.cli import main
from tryg_geo.errors import MailError
from tryg_geo.notify import digest as digest_module
from tryg_geo.notify.digest import run_digest, since_last
from tryg_geo.render import pack
from tryg_geo.role_files import DETAILS, hidden_columns
from tryg_geo.store.dataset import load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.store.notices import digest_log
from tryg_geo.views.digest import KEY

TINY_PDF = b"%PDF-1.4\n%test\n"
#: The real deck maker, kept before the autouse fixture below puts the tiny one in its place.
REAL_DECK = digest_module.meeting_deck


def tiny_deck(ds, digest, role):
    """A stand-in for the meeting deck (the real one is attached in the first test)."""
    return "moede.pdf", TINY_PDF


def parts(message: EmailMessage) -> dict[str, str]:
    plain = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    return {"plain": plain, "html": html}


def attachments(message: EmailMessage) -> list[tuple[str, str, bytes]]:
    return [
        (a.get_filename(), a.get_content_type(), a.get_content())
        for a in message.iter_attachments()
    ]


@pytest.fixture(autouse=True)
def _small_deck(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 23-page meeting deck takes ~15 s to draw and its PDF is tested in tests/render;
    here the digest attaches a stand-in, except in the first test (the real deck of one view)."""
    monkeypatch.setattr(digest_module, "meeting_deck", tiny_deck)


def analyst_words(role: str) -> list[str]:
    """What an analyst's detail looks like in a text: every column and column prefix that
    ``role_files.DETAILS`` withholds from ``role`` in any view (gi_z, p_fdr, mk_*, z_* …) and
    how the digest writes its values ('z = 2,1', 'korrigeret p = 0,01')."""
    words = [r"\bz = \d", r"korrigeret p", r"p-værdi"]
    for detail in DETAILS:
        if access.can(role, detail.capability):
            continue
        words += [rf"\b{re.escape(column)}\b" for column in detail.columns]
        words += [rf"\b{re.escape(prefix)}" for prefix in detail.prefixes]
    return words


def test_a_leaders_digest_arrives_with_both_parts_and_the_real_deck(
    data: Path, relay: Relay, monkeypatch: pytest.MonkeyPatch
) -> None:
    """End to end through the relay with the real meeting deck PDF attached (drawn by the
    deck maker, for one view to keep it fast: the whole deck is tested in
    tests/render/test_deck.py), and no analyst column in any part of a leader's mail nor in
    the attached deck's text."""
    monkeypatch.setattr(digest_module, "meeting_deck", REAL_DECK)
    monkeypatch.setattr(pack, "view_keys", lambda: ["overblik"])
    write_secrets(relay)
    before = len(relay.received)
    code = main(["digest", "--role", "leder", "--to", "leder@aalborg.dk,chef@aalborg.dk"])
    assert code == 0
    recipients, message = relay.received[before]
    assert sorted(recipients) == ["chef@aalborg.dk", "leder@aalborg.dk"]
    assert message["Subject"].startswith("Nyt fra Tryg Geo") and "Demodata" in message["Subject"]
    text = parts(message)
    for part in text.values():
        assert "Demodata" in part and "Nye data" in part and "Nye og tiltagende hotspots" in part
        assert "https://tryggeo.aalborg.dk/" in part
    ((name, mime, pdf),) = attachments(message)
    assert mime == "application/pdf" and re.fullmatch(r"tryg-geo_styregruppe_[\d_-]+\.pdf", name)
    reader = PdfReader(io.BytesIO(pdf))
    deck_text = "\n".join(page.extract_text() for page in reader.pages)
    assert len(reader.pages) >= 3 and "Overblik" in deck_text and "Data pr." in deck_text
    words = analyst_words("leder")
    assert {r"\bgi_z\b", r"\bp_fdr\b", r"\bmk_tau\b", r"\bz_"} <= set(words)
    found = {
        where: [w for w in words if re.search(w, content)]
        for where, content in {**text, "deck": deck_text}.items()
    }
    assert not any(found.values()), found
    (sent,) = digest_log(data)
    assert sent["role"] == "leder" and sent["to"] == ["leder@aalborg.dk", "chef@aalborg.dk"]
    # --since last is exact: the next digest starts where this one was composed.
    assert since_last("leder", Store(data)).isoformat() == sent["until"]
    assert since_last("analytiker", Store(data)) is None


def test_a_leader_gets_no_analyst_column_and_an_analyst_does(data: Path, relay: Relay) -> None:
    store = Store(data)
    ds = load_dataset(store)
    got = {}
    for role in ("leder", "analytiker"):
        run_digest(
            ds,
            store,
            role=role,
            since=None,
            to=[f"{role}@aalborg.dk"],
            deck=tiny_deck,
            smtp=relay.settings(),
        )
        got[role] = parts(relay.received[-1][1])
    withheld = hidden_columns(KEY, "leder")
    assert withheld == {"p_fdr", "gi_z"} and not hidden_columns(KEY, "analytiker")
    for part in got["leder"].values():
        assert not re.search(r"\bz = |korrigeret p", part)
    assert re.search(r"\(z = \d", got["analytiker"]["plain"])
    assert re.search(r"\(z = \d", got["analytiker"]["html"])


def test_every_picture_has_a_text_alternative(data: Path, relay: Relay) -> None:
    (data / "logo.png").write_bytes(Path(__file__).with_name("logo.png").read_bytes())
    (data / "partnerskab.toml").write_text('logo = "logo.png"\n', encoding="utf-8")
    store = Store(data)
    sent = run_digest(
        load_dataset(store),
        store,
        role="leder",
        since=None,
        to=["l@aalborg.dk"],
        deck=tiny_deck,
        smtp=relay.settings(),
    )
    html = parts(sent.message)["html"]
    images = re.findall(r"<img\b[^>]*>", html)
    assert images, "the logo is shown"
    assert all(re.search(r'alt="[^"]+"', img) for img in images)
    related = [p for p in sent.message.walk() if p.get_content_type() == "image/png"]
    assert len(related) == len(images)


def test_a_dry_run_writes_the_eml_and_records_nothing(data: Path, tmp_path: Path) -> None:
    out = tmp_path / "eml"
    argv = ["digest", "--since", "01-01-2026", "--role", "analytiker", "--to", "a@aalborg.dk"]
    assert main([*argv, "--dry-run", str(out)]) == 0
    (eml,) = out.glob("nyt-fra-tryg-geo_analytiker_*.eml")
    assert b"Nyt fra Tryg Geo" in eml.read_bytes()
    assert digest_log(data) == []
    assert main(["digest", "--since", "sidst", "--role", "leder", "--to", "l@aalborg.dk"]) == 2
    assert main(["digest", "--role", "dataansvarlig", "--to", "d@aalborg.dk"]) == 2


def test_a_refused_send_says_why_exits_non_zero_and_records_nothing(
    data: Path, relay: Relay, capsys: pytest.CaptureFixture[str]
) -> None:
    write_secrets(relay)
    store = Store(data)
    with pytest.raises(MailError, match="afviste modtagerne afvist@aalborg.dk"):
        run_digest(
            load_dataset(store),
            store,
            role="leder",
            since=None,
            to=[REFUSED],
            deck=tiny_deck,
            smtp=relay.settings(),
        )
    Path(".streamlit/secrets.toml").write_text(
        relay.secrets().replace(str(relay.port), "1"), encoding="utf-8"
    )
    assert main(["digest", "--role", "leder", "--to", "l@aalborg.dk"]) == 1
    err = capsys.readouterr().err
    assert "Kunne ikke forbinde til mailserveren 127.0.0.1:1" in err and "Intet blev sendt" in err
    assert digest_log(data) == []


def test_broken_smtp_settings_name_the_key(data: Path) -> None:
    Path(".streamlit").mkdir()
    Path(".streamlit/secrets.toml").write_text(
        '[smtp]\nhost = "smtp.aalborg.dk"\nsecurity = "ssl"\nfrom = "t@aalborg.dk"\n',
        encoding="utf-8",
    )
    from tryg_geo.notify.smtp import smtp_settings

    with pytest.raises(MailError, match="security = 'ssl' er ikke tilladt; vælg starttls"):
        smtp_settings()


def test_the_digest_tells_what_arrived_since_and_what_changed(data: Path, tmp_path: Path) -> None:
    import time
    from datetime import datetime, timedelta

    from test_alerts import violence

    from tryg_geo import import_file
    from tryg_geo.views.digest import digest_view

    # The import log stamps to the second: start on the next whole second, after the demo's.
    since = datetime.now().replace(microsecond=0) + timedelta(seconds=1)
    time.sleep(max(0.0, (since - datetime.now()).total_seconds()))
    import_file(
        "incidents", violence(tmp_path / "vold.csv"), mode="append", source="Politiet, test"
    )
    store = Store(data)
    digest = digest_view(
        load_dataset(store), store, role="leder", since=since, base_url="https://t.dk"
    )
    arrived, changes = digest.sections[0], digest.sections[1]
    (line,) = arrived.items  # only the import after `since`, not the demo data before it
    assert line.text.startswith("Hændelser fra demodata; Politiet, test indlæst")
    assert "60 rækker, data fra 03.10.2025 til 20.12.2025" in line.text  # the file's rows
    (midtby,) = [i for i in changes.items if i.text.startswith("Aalborg Midtby")]
    assert "hændelserne steg +" in midtby.text and "markant stigning" in midtby.text
    assert (
        midtby.link.startswith("https://t.dk/tryg-bydel?") and "omr=aalborg-midtby" in midtby.link
    )
    assert "kort=aendring" in midtby.link


def test_the_hot_spot_lines_are_emerging_hot_spots(demo_ds, demo_dir: Path) -> None:
    """New and intensifying hot spots are the emerging hot spot analysis (as on Analyse):
    250 m cells month by month over the digest's period, linked to Analyse's emerging map."""
    from tryg_geo.analysis.emerging import emerging_hotspots
    from tryg_geo.views.digest import digest_view

    digest = digest_view(
        demo_ds, Store(demo_dir), role="leder", since=None, base_url="https://t.dk"
    )
    (section,) = [s for s in digest.sections if "hotspots" in s.title]
    found = emerging_hotspots(
        demo_ds, step="month", start=digest.period[0], end=digest.period[1], size="250m"
    )
    new = sorted(str(c) for c in found.ids[found.category == "new_hot"])
    assert new, "the demo data have new hot spots in their last month"
    line = section.items[0]
    assert line.text.startswith(f"{len(new)} celler er nye hotspots i december 2025")
    named = line.text.split("Stærkest først: ")[1].split(" og ")[0].rstrip(".").split(", ")
    assert set(named) <= set(new) and len(named) == min(len(new), 10)
    assert "kort=emerging" in line.link and "trin=month" in line.link and "celle=250m" in line.link


@pytest.mark.parametrize(
    ("statuses", "wanted"),
    [
        (["ingen data", "intet mål"], "Ingen indsats med et mål har tal i perioden"),
        (["på sporet", "ingen data", "på sporet"], "Alle 2 indsatser med mål og tal i perioden"),
    ],
)
def test_all_on_track_is_said_only_of_initiatives_measured_against_a_target(
    demo_ds, monkeypatch: pytest.MonkeyPatch, statuses: list[str], wanted: str
) -> None:
    """Without numbers nothing is on track: the digest must not say "alle er på sporet"."""
    from types import SimpleNamespace

    from tryg_geo.views import digest as digest_view_module
    from tryg_geo.views.registry import default_filters

    initiatives = [SimpleNamespace(slug=f"i{n}") for n in range(len(statuses))]
    by_slug = dict(zip((i.slug for i in initiatives), statuses, strict=True))
    monkeypatch.setattr(digest_view_module, "load_initiatives", lambda: initiatives)
    monkeypatch.setattr(
        digest_view_module,
        "headline",
        lambda ds, initiative, filters: SimpleNamespace(
            status=by_slug[initiative.slug], suppressed=False
        ),
    )
    section = digest_view_module._off_track(demo_ds, default_filters(demo_ds), "http://x")
    assert section.items == [] and section.empty.startswith(wanted)
