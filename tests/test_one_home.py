"""Each small table has one home (issue 22): a second copy written by hand fails here.

The source scans look for the literal form a copy would take; the behavioural tests check that
what the pages offer is what the parsers accept.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tryg_geo.compute.filters import NIGHT_END, NIGHT_ENDS, NIGHT_START, NIGHT_STARTS, Filters
from tryg_geo.errors import UsageError
from tryg_geo.geo.grid import CELL_CHOICES, CELL_SIZES
from tryg_geo.views.choices import CELLS, parse_hours

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted(
    [*(ROOT / "tryg_geo").rglob("*.py"), *(ROOT / "pages").rglob("*.py"), ROOT / "dashboard.py"]
)


def copies(pattern: str, home: str) -> list[str]:
    """Lines outside ``home`` (a path relative to the repository) that match ``pattern``."""
    found = []
    for path in SOURCES:
        if path == ROOT / home:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(pattern, line) and not line.lstrip().startswith("#"):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    return found


# ---- cell sizes --------------------------------------------------------------------------------
def test_cell_sizes_are_listed_once():
    assert copies(r"[\"']100m[\"'],\s*[\"']250m[\"']", "tryg_geo/geo/grid.py") == []
    assert copies(r"100m\|250m", "tryg_geo/geo/grid.py") == []


def test_every_choosable_cell_size_is_a_grid_size():
    assert set(CELL_CHOICES) <= set(CELL_SIZES)
    assert CELLS == CELL_CHOICES
    for cell in CELL_CHOICES:
        assert _filters({"celle": cell}).cell == cell
    assert _filters({"celle": "10km"}).cell == "100m"  # a grid size no page offers


# ---- night hours -------------------------------------------------------------------------------
def _filters(params: dict[str, str]) -> Filters:
    return Filters.from_params(params, data_start=date(2024, 1, 1), data_end=date(2025, 12, 31))


def test_the_url_and_the_command_line_accept_exactly_the_hours_the_page_offers():
    for start in range(24):
        for end in range(24):
            offered = start in NIGHT_STARTS and end in NIGHT_ENDS
            got = _filters({"nat": f"{start}-{end}"})
            default = (NIGHT_START, NIGHT_END)
            assert (got.night_start, got.night_end) == ((start, end) if offered else default)
            if offered:
                assert parse_hours(f"{start}-{end}") == (start, end)
            else:
                with pytest.raises(UsageError):
                    parse_hours(f"{start}-{end}")


def test_night_hours_are_listed_once():
    assert (
        copies(
            r"range\(\s*18\s*,\s*24\s*\)|range\(\s*1\s*,\s*10\s*\)", "tryg_geo/compute/filters.py"
        )
        == []
    )
    page = (ROOT / "pages" / "natteliv.py").read_text(encoding="utf-8")
    assert "NIGHT_STARTS" in page and "NIGHT_ENDS" in page


# ---- Danish numbers ----------------------------------------------------------------------------
def test_numbers_are_formatted_by_fmt_only():
    """Thousands and decimals are written by tryg_geo.fmt: no ',' format spec turned Danish by
    replacing characters, and no digit grouping with a space."""
    spec = (
        r"\{[\w.\[\]()']+:[^\s{}]*,[^\s{}]*\}"  # a ',' format spec: f"{value:,.0f}"
        r"|\.replace\(\s*\"[.,]\"\s*,\s*\"[.,]\"\s*\)"  # '.' and ',' swapped by hand
        r"|\.replace\(\s*\",\"\s*,\s*\" \"\s*\)"  # thousands grouped with a space
    )
    assert copies(spec, "tryg_geo/fmt.py") == []
