"""Every reason code a loader can give has a Danish label for the Data page."""

from __future__ import annotations

import re
from pathlib import Path

from tryg_geo.ingest import feature_rows, parse
from tryg_geo.ingest.reasons import REASON_LABELS, reason_text

REPO = Path(__file__).resolve().parents[2]


def codes_in_the_code() -> set[str]:
    """Reason codes written in the loaders: reason="…", (mask, "code", …) cases, REASONS keys."""
    codes = set(parse.REASONS) | set(feature_rows.REASONS)
    codes |= {f"missing_{role}" for role in ("area", "indicator")}
    for path in (REPO / "tryg_geo" / "ingest").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        codes |= set(re.findall(r'reason="([a-z0-9_]+)"', text))
        codes |= set(re.findall(r'"reason": "([a-z0-9_]+)"', text))
        # (mask, "code", message) cases on one line, and codes alone on a line of such a case
        codes |= set(re.findall(r'^\s+\([^()\n]*?, "([a-z0-9]+_[a-z0-9_]+)", ', text, re.M))
        codes |= set(re.findall(r'^\s+"([a-z0-9]+_[a-z0-9_]+)",\s*$', text, re.M)) & set(
            re.findall(r'\(\s*[^()]*?,\s*"([a-z0-9_]+)"', text)
        )
    return codes - {"rejected_reasons"}


def codes_in_the_readme() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    part = text.split("Reason codes include", 1)[1].split("###", 1)[0]
    return set(re.findall(r"`([a-z0-9_]+)`", part))


def test_every_code_has_a_danish_label() -> None:
    codes = codes_in_the_code() | codes_in_the_readme()
    assert {"impossible_date", "share_above_100", "negative_count"} <= codes
    assert sorted(codes - set(REASON_LABELS)) == []


def test_labels_are_danish_words_not_codes() -> None:
    assert reason_text("impossible_date") == "Datoen findes ikke"
    assert all("_" not in label for label in REASON_LABELS.values())
    assert reason_text("new_code") == "Anden fejl (new_code)"
