"""The discretion threshold is a setting: with ``TRYG_MIN_COUNT=10`` no view, CSV, PNG or deck
says "<5", and no count from 1 to 9 is shown anywhere (issue 22).

Every view of the registry is built on a tiny store full of counts from 1 to 12 and on a fresh
copy of the demo data (a dataset of its own: no result cached under the default limit can
answer). The checks of ``tests/compute/test_privacy.py`` read the limit from the setting, so
they look for 1–9 here; the texts are scanned for "<5" and for a small count next to its word.
"""

from __future__ import annotations

import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import texts as T
import tiny_data
from compute.test_privacy import all_problems, csv_exports, tiny_incidents, tiny_measurements
from matplotlib.text import Text
from pptx import Presentation

from tryg_geo.compute.privacy import hidden_text, threshold
from tryg_geo.compute.series import COUNT_UNITS
from tryg_geo.render import deck
from tryg_geo.render.png_page import view_figure
from tryg_geo.store.dataset import Dataset, load_dataset
from tryg_geo.store.folder import Store
from tryg_geo.views.model import View
from tryg_geo.views.registry import build_view, default_filters, view_keys

TEN = 10
#: A count below ten next to what it counts ("7 hændelser", "n=7", "(9 hændelser)").
SMALL_COUNT = re.compile(
    r"(?<![\d.,<−+–-])[1-9]\s+(?:hændelse|hændelser|anmeldelser|personer|svar|par)\b"
    r"|\bn\s*=\s*[1-9](?![\d.])"
)
#: The default limit written into a text.
FIVE = re.compile(r"<\s?5(?![\d.,])|under 5 |færre end 5 ")
YEAR = {"preset": "custom", "fra": "2025-01-01", "til": "2025-12-31"}
#: Filters per store: the year, and on the tiny store one category with 9 incidents, so that
#: the texts that count the filtered incidents ("Kun 9 hændelser …") meet a small count too.
CASES = {
    "tiny": YEAR,
    "tiny, 9 burglaries": YEAR | {"kat": "indbrud i beboelse", "omr": "b"},
    "demo": {},
}


@pytest.fixture(scope="module")
def limit_ten() -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRYG_MIN_COUNT", str(TEN))
        assert threshold() == TEN
        yield


@pytest.fixture(scope="module")
def stores(limit_ten, demo_dir: Path, tmp_path_factory) -> dict[str, Dataset]:
    tiny = tiny_data.build(
        tmp_path_factory.mktemp("tiny10"),
        incidents=tiny_incidents(),
        measurements=tiny_measurements(),
    )
    folder = tmp_path_factory.mktemp("demo10") / "data"
    shutil.copytree(demo_dir, folder)
    return {"tiny": tiny, "demo": load_dataset(Store(folder))}


def _png_texts(view: View) -> list[str]:
    figure = view_figure(view)
    return [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]


def _text_problems(where: str, texts: list[str]) -> list[str]:
    problems = []
    for text in texts:
        if FIVE.search(text):
            problems.append(f"{where}: '<5' in {text!r}")
        if match := SMALL_COUNT.search(text):
            problems.append(f"{where}: {match.group(0)!r} in {text!r}")
    return problems


@pytest.mark.parametrize("case", list(CASES))
def test_every_view_and_file_follows_a_threshold_of_ten(stores, case):
    store = case.split(",")[0]
    ds = stores[store]
    filters = default_filters(ds, CASES[case])
    problems: list[str] = []
    shown_hidden = 0
    for key in view_keys():
        view = build_view(key, ds, filters)
        problems += [f"{key}: {p}" for p in all_problems(view, filters)]
        words = T.view_texts(view)
        shown_hidden += sum(hidden_text() in w for w in words)
        problems += _text_problems(key, words)
        for dialect, data in csv_exports(view).items():
            problems += _text_problems(f"{key} CSV {dialect}", [data.decode("utf-8-sig")])
        if case != "demo":  # each PNG costs a figure: the store full of small counts only
            problems += _text_problems(f"{key} PNG", _png_texts(view))
    assert problems == []
    if store == "tiny":
        assert shown_hidden > 0  # there was something to hide, and it says '<10'


def test_the_deck_follows_a_threshold_of_ten(stores):
    ds = stores["tiny"]
    made = deck.make_deck(ds, default_filters(ds, YEAR), "pptx")
    prs = Presentation(io.BytesIO(made.data))
    problems: list[str] = []
    for number, (slide, planned) in enumerate(zip(prs.slides, made.slides, strict=True)):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        texts.append(slide.notes_slide.notes_text_frame.text)
        problems += _text_problems(f"slide {number}", texts)
        units = {f"Graf: {t.title}": t.unit for t in planned.view.trends} if planned.view else {}
        for shape in slide.shapes:
            if shape.has_chart and units.get(shape.name) in COUNT_UNITS:
                values = [v for s in shape.chart.plots[0].series for v in s.values if v]
                problems += [f"{shape.name}: {v}" for v in values if 0 < v < TEN]
    assert problems == []
    closing = "\n".join(made.slides[-1].bullets)
    assert f"tal under {TEN} vises ikke" in closing and f"'<{TEN}'" in closing


#: Inline copies of the rule "is this count shown, and how": a comparison with the limit, the
#: limit read from the settings, or '<5' chosen beside a number (privacy.shown_count does it).
#: (A written '<5' in a text is caught by the tests above, which run with the limit at 10.)
INLINE_RULE = re.compile(
    r"[<>]=?\s*(?:privacy\.)?threshold\(\)"
    r"|settings\.get\([\"']min_count"
    r"|hidden_text\([^)]*\)\s+if\b"
    r"|\belse\s+(?:privacy\.)?hidden_text\("
)


def test_one_rule_decides_what_is_shown():
    """Only compute/privacy.py compares a count with the threshold or picks '<5' for it."""
    package = Path(__file__).resolve().parents[2] / "tryg_geo"
    home = package / "compute" / "privacy.py"
    found = [
        f"{path.relative_to(package)}:{number}: {line.strip()}"
        for path in sorted(package.rglob("*.py"))
        if path != home
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE_RULE.search(line) and not line.lstrip().startswith("#")
    ]
    assert found == []
