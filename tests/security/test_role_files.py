"""Finding 3 of issue 19: a leder's "Hent CSV" on Analyse held the analysts' detail. The rules
are one table (tryg_geo.role_files); this walks it for every view x file kind x role."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from tryg_geo import access, role_files
from tryg_geo.cli import main
from tryg_geo.errors import UsageError
from tryg_geo.render import csv_export, deck, pack, png_page
from tryg_geo.views.registry import build_view, default_filters, view_keys

#: Every column any rule withholds from some role.
ANALYST_ONLY = {c for d in role_files.DETAILS for c in d.columns}
LEADER_MUST_NOT = {"observed", "expected", "p_value", "gi_z", "p_fdr"}
PARAMS = {"preset": "all", "celle": "1km"}


@pytest.fixture(scope="module")
def views(demo_ds):
    filters = default_filters(demo_ds, PARAMS)
    return {key: build_view(key, demo_ds, filters) for key in view_keys()}


def columns_of(data: bytes) -> set[str]:
    return set(pd.read_csv(io.BytesIO(data), sep=";", encoding="utf-8-sig", nrows=0).columns)


def test_the_table_covers_every_view_file_and_role() -> None:
    table = role_files.visibility_table(view_keys())
    assert len(table) == len(view_keys()) * len(role_files.FILE_KINDS) * len(access.ROLES)
    leader = table[(table["view"] == "analyse") & (table["role"] == "leder")]
    assert set(leader["file"]) == set(role_files.FILE_KINDS)
    for text in leader["columns"]:
        assert set(text.split(", ")) >= LEADER_MUST_NOT
    assert (table[table["role"] == "dataansvarlig"]["columns"] == "-").all()
    assert LEADER_MUST_NOT <= ANALYST_ONLY


def test_every_file_of_every_view_for_every_role(views, monkeypatch) -> None:
    seen: list[tuple[str, object]] = []
    monkeypatch.setattr(png_page, "view_figure", lambda v, size="slide": seen.append(v) or _fig())
    for key, view in views.items():
        for role in access.ROLES:
            withheld = role_files.hidden_columns(key, role)
            screen = role_files.for_role(view, role)
            files = {
                "screen": set(screen.table.columns) | set(getattr(screen.display, "columns", [])),
                "csv": columns_of(csv_export.view_csv(view, "excel", role=role)),
            }
            seen.clear()
            png_page.view_png(view, role=role)
            files["png"] = set(seen[0].table.columns) | set(
                seen[0].map.features.columns if seen[0].map is not None else []
            )
            for kind, columns in files.items():
                assert not columns & withheld, (key, role, kind, columns & withheld)
                if role == "leder":
                    assert not columns & ANALYST_ONLY, (key, kind)
            if not withheld:  # nothing withheld: the role's CSV is the view's whole table
                assert files["csv"] == set(csv_export.csv_table(view).columns)


def _fig():
    from matplotlib.figure import Figure

    return Figure(figsize=(1, 1))  # no pyplot: nothing kept open


def test_leaders_analyse_csv_from_the_page_function(views) -> None:
    view = views["analyse"]
    leader = columns_of(csv_export.view_csv(view, "excel", role="leder"))
    analyst = columns_of(csv_export.view_csv(view, "excel", role="analytiker"))
    assert not leader & LEADER_MUST_NOT
    assert {"knox_ratio", "significant"} <= leader  # what the screen shows leaders
    assert {"observed", "expected", "p_value"} <= analyst
    assert not leader & {"observed", "expected", "p_value"}
    assert "observed" in view.table.columns  # the shared (cached) view itself is untouched


def test_pack_and_deck_for_a_leader(demo_ds, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pack.png_page, "view_png", lambda *a, **k: b"png")
    filters = default_filters(demo_ds, PARAMS)
    pack.make_pack(demo_ds, tmp_path, filters, role="leder")
    written = list(tmp_path.glob("tryg-geo_analyse-*.csv"))
    assert written
    for path in tmp_path.glob("tryg-geo_*.csv"):
        assert not columns_of(path.read_bytes()) & ANALYST_ONLY, path.name
    planned = pack.plan_views(demo_ds, filters, keep=deck.in_deck, role="leder")
    for item in planned:
        if item.view is not None:
            assert not set(item.view.table.columns) & ANALYST_ONLY


@pytest.fixture()
def demo_env(demo_dir: Path, monkeypatch) -> Path:
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    return demo_dir


def test_cli_export_and_analyse_take_the_role(demo_env, tmp_path: Path, capsys) -> None:
    out = tmp_path / "analyse.csv"
    assert (
        main(
            ["export", "--view", "analyse", "--preset", "all", "--role", "leder", "--out", str(out)]
        )
        == 0
    )
    assert not columns_of(out.read_bytes()) & LEADER_MUST_NOT
    hot = tmp_path / "hot.csv"
    assert main(["analyse", "hotspots", "--cell", "1km", "--role", "leder", "--out", str(hot)]) == 0
    assert not columns_of(hot.read_bytes()) & LEADER_MUST_NOT
    # The data folder's owner is dataansvarlig by default: the analysts' columns are there.
    assert main(["export", "--view", "analyse", "--preset", "all", "--out", str(out)]) == 0
    assert {"observed", "expected", "p_value"} <= columns_of(out.read_bytes())


def test_cli_role_is_the_os_users(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(role_files.os, "geteuid", lambda: 999_999)  # not the folder's owner
    monkeypatch.setattr(access, "os_actor", lambda: "kollega")
    assert role_files.cli_role(None, tmp_path) == "leder"  # the most restrictive by default
    with pytest.raises(
        UsageError, match=r"--role analytiker er ikke tilladt for OS-brugeren kollega"
    ):
        role_files.cli_role("analytiker", tmp_path)
    (tmp_path / "roles.toml").write_text('[os_users]\n"kollega" = "analytiker"\n', encoding="utf-8")
    assert role_files.cli_role(None, tmp_path) == "analytiker"
    assert role_files.cli_role("leder", tmp_path) == "leder"  # lower is always allowed
    with pytest.raises(UsageError, match=r"--role 'chef' er ikke tilladt"):
        role_files.cli_role("chef", tmp_path)


def test_analyse_page_panels_follow_the_table() -> None:
    assert not role_files.may_see("leder", "analyse", "hotspot_detail")
    assert role_files.may_see("analytiker", "analyse", "knox_detail")
    with pytest.raises(access.AccessError):
        role_files.may_see("dataansvarlig", "analyse", "hotspot_detial")
