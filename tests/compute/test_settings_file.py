"""settings.toml is read again when it changes while the server runs, and only then."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tryg_geo import settings


def test_an_edited_settings_file_is_read_again(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRYG_MIN_COUNT", raising=False)
    path = tmp_path / "settings.toml"
    path.write_text("min_count = 7\n", encoding="utf-8")
    assert settings.get("min_count") == 7
    reads = []
    monkeypatch.setattr(settings.tomllib, "loads", lambda text: reads.append(text) or {})
    assert settings.get("min_count") == 7 and reads == []  # unchanged: not read again
    monkeypatch.undo()
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRYG_MIN_COUNT", raising=False)
    path.write_text("min_count = 9\n", encoding="utf-8")  # same size
    stamp = path.stat().st_mtime_ns
    os.utime(path, ns=(stamp + 1_000_000, stamp + 1_000_000))
    assert settings.get("min_count") == 9
    path.unlink()
    assert settings.get("min_count") == settings.SETTINGS["min_count"].default


def test_a_broken_settings_file_is_refused_in_danish(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TRYG_MIN_COUNT", raising=False)
    (tmp_path / "settings.toml").write_text("min_count = \n", encoding="utf-8")
    with pytest.raises(settings.UsageError, match="Indstillingsfilen .* kan ikke læses"):
        settings.get("min_count")
