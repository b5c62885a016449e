"""Which hot spots are new: the one answer the digest and the alerts ask of the Gi* analysis.

Today "new" means a cell that is a significant Gi* hot spot (FDR-corrected, as on the Analyse
page) in the period and was not one in the period of the same length just before. Everything
that wants new hot spots calls :func:`new_hotspots`, so when the emerging hot spot categories
(new, intensifying, persistent, …) arrive, this one function changes and the digest and the
alerts follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from ..store.dataset import Dataset
from .hotspots import HotspotResult, cell_hotspots

#: The label of a cell that became a hot spot (the emerging categories will add more).
NEW = "Nyt hot spot"


@dataclass(frozen=True)
class NewHotspots:
    """The cells that are new hot spots, and what the answer rests on.

    ``cells`` has ``cell_id`` and ``label`` (:data:`NEW`); ``now`` and ``before`` are the Gi*
    results of the period and of the period before (for their notes and totals).
    """

    cells: pd.DataFrame
    now: HotspotResult
    before: HotspotResult
    previous: tuple[date, date]

    @property
    def too_few(self) -> bool:
        """Too few incidents in the period for any hot spot (Gi*'s own minimum)."""
        return self.now.too_few


def _hot(result: HotspotResult) -> pd.Series:
    return result.table["hotspot_class"].astype(str).str.startswith("Hot")


def new_hotspots(
    ds: Dataset,
    *,
    start: date,
    end: date,
    size: str = "250m",
    categories: tuple[str, ...] = (),
) -> NewHotspots:
    """The cells of ``size`` that are significant hot spots in ``start``–``end`` and were not
    in the equally long period just before (cached through :func:`cell_hotspots`)."""
    days = (end - start).days + 1
    previous = (start - timedelta(days=days), start - timedelta(days=1))
    now = cell_hotspots(ds, start=start, end=end, categories=categories, size=size)
    before = cell_hotspots(ds, start=previous[0], end=previous[1], categories=categories, size=size)
    fresh = _hot(now) & ~_hot(before).to_numpy()
    cells = now.table.loc[fresh, ["cell_id"]].reset_index(drop=True)
    cells["label"] = NEW
    return NewHotspots(cells, now, before, previous)
