"""The deck's slide of emerging hot spots: the category map of Analyse for the deck's period.

One view slide like the others (title, key figures, a small table, the map as a picture; the
"Demodata" badge from the view), made from :func:`tryg_geo.views.emerging.emerging_view` (through the registry) with
the Analyse page's defaults (1 km cells, quarters, burglary when no category is chosen), as the
deck's role may have it. The table on the slide is the number of cells per pattern.
"""

from __future__ import annotations

import dataclasses

import pandas as pd

from ..analysis.emerging import DEFAULT_STEP, PATTERNS
from ..compute.filters import Filters
from ..errors import TrygGeoError
from ..fmt import number
from ..role_files import for_role
from ..store.dataset import Dataset
from ..views.analysis_maps import MAP_MODE_PARAM
from ..views.emerging import EMERGING_MODE, STEP_PARAM
from ..views.model import View
from ..views.registry import build_view

#: The cells of the slide: the Analyse page's default (100 m cells are mostly empty over a
#: kommune).
DECK_CELL = "1km"


def emerging_slide_view(ds: Dataset, filters: Filters, role: str) -> View | None:
    """The emerging hot spot view of the slide, or None when the data cannot make one (no
    incidents, or fewer than 8 periods: the slide is then left out)."""
    if not ds.has_incidents:
        return None
    extra = {**filters.extra, MAP_MODE_PARAM: EMERGING_MODE, STEP_PARAM: DEFAULT_STEP}
    try:
        view = build_view("analyse", ds, filters.with_(cell=DECK_CELL, extra=extra))
    except TrygGeoError:
        return None
    counts = view.table["category_key"].value_counts()
    rows = [
        {"Mønster": p.name, "Celler": number(int(counts[p.key]))}
        for p in PATTERNS
        if p.side and counts.get(p.key, 0)
    ]
    display = pd.DataFrame(rows, columns=["Mønster", "Celler"])
    return for_role(dataclasses.replace(view, display=display), role)
