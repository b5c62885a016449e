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
from tryg_geo.views.choices import parse_hours

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


# ---- colours -----------------------------------------------------------------------------------
#: A colour written as '#rrggbb' or '#rgb', as openpyxl's or python-pptx's bare hex digits, or
#: as CSS rgb()/rgba().
COLOUR = (
    r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b"
    r"|(?:fgColor=|rgb\(|=\s*)[\"'][0-9A-Fa-f]{6}[\"']"
    r"|\brgba?\(\s*\d"
)


def test_colours_come_from_the_palette():
    # render/a11y.py measures colours (its messages show an example); it draws none.
    found = [c for c in copies(COLOUR, "tryg_geo/palette.py") if "render/a11y.py" not in c]
    assert found == []


def test_the_hidden_grey_is_one_grey():
    from tryg_geo import palette
    from tryg_geo.analysis.change import CHANGE_COLOURS, NOT_TESTED
    from tryg_geo.views.model import SUPPRESSED_COLOR

    assert SUPPRESSED_COLOR == CHANGE_COLOURS[NOT_TESTED] == palette.HIDDEN


# ---- URL keys ----------------------------------------------------------------------------------
def test_url_keys_are_named_once():
    """Pages and views name a URL key by its constant (compute.filters.URL_KEYS,
    views.analysis_maps, views.analyse), never by a written key."""
    from tryg_geo.compute.filters import URL_KEYS
    from tryg_geo.views.analyse import PERMUTATION_PARAM
    from tryg_geo.views.analysis_maps import LAYER_PARAM, MAP_MODE_PARAM

    keys = "|".join([*URL_KEYS.values(), LAYER_PARAM, MAP_MODE_PARAM, PERMUTATION_PARAM])
    by_literal = (
        rf"(?:extra|params|query_params)(?:\.get\(|\[)\s*[\"']|\{{\s*[\"'](?:{keys})[\"']\s*:"
    )
    assert copies(by_literal, "tryg_geo/compute/filters.py") == []


def test_the_url_round_trip_uses_every_key():
    filters = _filters({}).with_(district="b", indicator="x", place_indicator="y", initiative="z")
    filters = filters.with_(categories=("røveri",))
    from tryg_geo.compute.filters import URL_KEYS

    assert set(filters.to_params()) == set(URL_KEYS.values())
    assert _filters(filters.to_params()) == filters


# ---- import formats ----------------------------------------------------------------------------
def test_import_formats_are_one_table():
    from tryg_geo.ingest import formats, tables, vector_read

    assert set(vector_read._READERS) == set(formats.VECTOR_FORMATS) == set(vector_read.FORMATS)
    assert set(formats.VECTOR_FORMATS) == tables.GEO_SUFFIXES
    assert {
        f.suffix for f in formats.FORMATS
    } == tables.TEXT_SUFFIXES | tables.EXCEL_SUFFIXES | tables.GEO_SUFFIXES
    # Two suffixes written side by side outside the table are a second list of formats.
    suffix = "|".join(re.escape(f.suffix) for f in formats.FORMATS)
    listed = rf"[\"'](?:{suffix})[\"']\s*[,:][^\n]*[\"'](?:{suffix})[\"']|in\s*\(\s*[\"'](?:{suffix})[\"']"
    assert copies(listed, "tryg_geo/ingest/formats.py") == []
    wizard = (ROOT / "pages" / "ui" / "wizard.py").read_text(encoding="utf-8")
    assert "FILE_TYPES = list(UPLOAD_TYPES)" in wizard


# ---- indicator facts ---------------------------------------------------------------------------
def test_the_survey_is_named_by_the_registry():
    from tryg_geo.compute.registry import all_indicators
    from tryg_geo.views.sources import SURVEY, indicator_part

    for _, indicator in all_indicators():
        assert (indicator_part(indicator)[1] == SURVEY) == indicator.survey, indicator.id
    assert any(i.survey for _, i in all_indicators())
    assert copies(r"[\"']tillid_politi_andel[\"']", "tryg_geo/demo/measurements.py") == []


# ---- period names ------------------------------------------------------------------------------
def test_period_names_are_read_in_one_place():
    slicing = (
        r"\[\s*4\s*:\s*6\s*\]|\[\s*5\s*:\s*7?\s*\]"  # '2025-Q2'[4:6], '2025-05'[5:]
        r"|str\.len\(\)\s*==\s*7|len\(str\([^)]*period[^)]*\]?\)\)\s*=="  # a name's length
        r"|contains\(\s*\"Q\"\s*\)"
    )
    assert copies(slicing, "tryg_geo/periods.py") == []


def test_what_the_import_writes_the_periods_module_reads():
    from tryg_geo import periods
    from tryg_geo.ingest.parse import parse_period

    for text, label, months in (
        ("2024", "2024", 12),
        ("2024K2", "2. kvt. 2024", 3),
        ("Q3 2024", "3. kvt. 2024", 3),
        ("maj 2024", "maj 2024", 1),
        ("2024M05", "maj 2024", 1),
        ("05/2024", "maj 2024", 1),
    ):
        name, start, end = parse_period(text)
        period = periods.parse(name)
        assert period is not None and period.name == name, text
        assert (period.label(), period.months) == (label, months), text
        assert start.month == period.first_month and start.year == period.year
        assert periods.parse(period.year_before().name) == period.year_before()
    assert periods.parse("2024-13") is None and periods.label("kommune") == "kommune"
