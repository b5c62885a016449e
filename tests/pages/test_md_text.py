"""Data text shown through Streamlit's Markdown stays as written (pages.ui.render.md_text)."""

from __future__ import annotations

import re

import pytest

from pages.ui.render import md_text

#: What CommonMark reads as the start of a list item (ordered or bullet) at a line's start.
LIST_START = re.compile(r"(?m)^\s{0,3}(\d{1,9}[.)]|[-+*])(\s|$)")


@pytest.mark.parametrize(
    "text",
    [
        "4. kvt. 2025 er med i mønstrene, selv om data kun dækker 61 dage.",
        "Første linje\n12. december 2025: 3 hændelser",
        "- 3 hændelser",
        "+ 2",
        "* 1",
        "3) tre",
    ],
)
def test_a_line_that_starts_like_a_list_stays_text(text: str) -> None:
    shown = md_text(text)
    assert not LIST_START.search(shown), shown
    assert shown.replace("\\", "") == text  # only backslashes were added


def test_links_images_and_html_are_escaped() -> None:
    shown = md_text("<img src=x onerror=alert(1)> og [link](http://x) og $x$")
    assert "\\<img" in shown and "\\[link\\]" in shown and "\\$x\\$" in shown
