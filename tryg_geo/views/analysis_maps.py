"""Maps of the analyses (issue 12): Gi* hotspot cells, Gi* districts, tested change per district.

Every builder returns a :class:`~tryg_geo.views.model.MapSpec` like the other maps, so the page,
the PNG and the CSV show the same thing. Popups show a class; a count only when it is shown
anywhere else too (never from 1 to the discretion limit − 1).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from ..analysis.change import CHANGE_CLASSES, CHANGE_COLOURS
from ..analysis.hotspots import (
    HOTSPOT_CLASSES,
    HOTSPOT_COLOURS,
    NOT_SIGNIFICANT,
    HotspotResult,
    cell_hotspots,
    district_hotspots,
)
from ..compute.filters import Filters
from ..compute.privacy import complementary, shown_count
from ..store.dataset import WGS84, Dataset
from .cell_features import CellClass, cell_features, cells_map
from .mapspec import FEATURE_COLUMNS
from .model import NO_DATA_COLOR, Legend, MapSpec, View

FDR_NOTE = (
    "Hotspots er beregnet med Getis-Ord Gi* (som ArcGIS' Hot Spot Analysis): en celle (eller et "
    "område) er et hotspot, når den og dens naboer tilsammen har flere hændelser, end "
    "tilfældigheder kan forklare. Signifikansen er korrigeret for, at mange celler testes på én gang (False "
    "Discovery Rate, Benjamini–Hochberg)."
)


def hotspot_legend(title: str) -> Legend:
    """Every class from the coldest to the hottest (legends read from low to high)."""
    return Legend(title, [(HOTSPOT_COLOURS[c], c) for c in reversed(HOTSPOT_CLASSES)])


def _count_label(count: float, hidden: bool) -> str:
    """'12 hændelser', '<5 hændelser', or 'skjult' for a count (``count``: the true one)
    hidden only so that a small one cannot be worked out from the total."""
    if not hidden and (not np.isfinite(count) or count <= 0):
        return "ingen hændelser"
    if complementary([count], [hidden])[0]:
        return shown_count(count, hidden, is_complementary=True)
    return f"{shown_count(count, hidden)} hændelser"


def hotspot_cells_map(ds: Dataset, result: HotspotResult, *, title: str) -> MapSpec:
    """The significant cells of ``result`` coloured by class (not significant: not drawn).

    The popup says the class and the count (``<5`` when small); the strongest
    :data:`~tryg_geo.views.cell_features.MAX_CELL_FEATURES` cells are features of their own,
    the rest one shape per class.
    """
    table = result.table.assign(hidden=result.hidden())
    significant = table[table["hotspot_class"] != NOT_SIGNIFICANT]
    order = np.argsort(-np.abs(significant["gi_z"].to_numpy()), kind="stable")
    significant = significant.iloc[order]
    names = significant["cell_id"].tolist()
    shapes = ds.cell_shapes(names) if names else np.array([], dtype=object)
    classes = significant["hotspot_class"].to_numpy()
    counts = significant["incidents"].to_numpy(dtype="float64")
    hidden = significant["hidden"].to_numpy(dtype=bool)
    features = cell_features(
        names,
        shapes,
        classes,
        lambda i: [
            f"{c} · {_count_label(n, h)}"
            for c, n, h in zip(classes[i], counts[i], hidden[i], strict=True)
        ],
        {
            cls: CellClass(HOTSPOT_COLOURS[cls], f"klasse-{number}", f"Øvrige celler: {cls}", cls)
            for number, cls in enumerate(HOTSPOT_CLASSES, start=1)
        },
    )
    return cells_map(ds, features, hotspot_legend(title), shapes)


def _district_features(
    ds: Dataset, colours: pd.Series, labels: pd.Series
) -> gpd.GeoDataFrame | None:
    shapes = ds.districts_wgs84
    if shapes is None or not len(shapes):
        return None
    ids = shapes["district_id"].astype(str)
    return gpd.GeoDataFrame(
        {
            "feature_id": ids.to_numpy(),
            "name": shapes["name"].astype(str).to_numpy(),
            "label": labels.reindex(ids).fillna("Ingen data").to_numpy(),
            "color": colours.reindex(ids).fillna(NO_DATA_COLOR).to_numpy(),
        },
        geometry=shapes.geometry.to_numpy(),
        crs=WGS84,
    )[FEATURE_COLUMNS]


def hotspot_districts_map(
    ds: Dataset, result: HotspotResult, shown: pd.Series, *, selected: str | None = None
) -> MapSpec | None:
    """Districts coloured by their Gi* class; ``shown`` is each district's value as shown on the
    ordinary map (already with '<5'), so the popup gives away nothing the map does not."""
    table = result.table.set_index("district_id")
    classes = table["hotspot_class"]
    labels = pd.Series(
        [f"{c} · {shown.get(i, 'Ingen data')}" for i, c in classes.items()], index=classes.index
    )
    features = _district_features(ds, classes.map(HOTSPOT_COLOURS), labels)
    if features is None:
        return None
    basis = "hændelser pr. 1.000 indb." if result.basis == "pr_1000" else "antal hændelser"
    return MapSpec(
        kind="areas",
        features=features,
        legend=hotspot_legend(f"Hotspots (Gi*) af {basis}"),
        water=ds.water_wgs84,
        selected=selected,
    )


def change_districts_map(
    ds: Dataset, changes: pd.DataFrame, shown: pd.Series, *, what: str, selected: str | None = None
) -> MapSpec | None:
    """Districts coloured by the tested change from last year (see
    :mod:`tryg_geo.analysis.change`); ``shown`` is the change as shown in the table."""
    table = changes.set_index("district_id")
    classes = table["change_class"]
    labels = pd.Series(
        [f"{c} · {shown.get(i, '–')}" for i, c in classes.items()], index=classes.index
    )
    features = _district_features(ds, classes.map(CHANGE_COLOURS), labels)
    if features is None:
        return None
    entries = [(CHANGE_COLOURS[c], c) for c in reversed(CHANGE_CLASSES[:3])]
    entries.append((CHANGE_COLOURS[CHANGE_CLASSES[3]], CHANGE_CLASSES[3]))
    return MapSpec(
        kind="areas",
        features=features,
        legend=Legend(f"Ændring mod året før: {what}", entries),
        water=ds.water_wgs84,
        selected=selected,
    )


# ---- the Hotspots layer of Natteliv -------------------------------------------------------------
#: URL parameter and value of the Natteliv map layer.
LAYER_PARAM, HOTSPOT_LAYER = "lag", "hotspots"


def night_hotspot_map(ds: Dataset, filters: Filters) -> tuple[MapSpec, list[str]]:
    """Gi* hotspots of the night incidents of the Natteliv view (its period, categories, nights
    and cell size), and the notes that explain them."""
    result = cell_hotspots(
        ds,
        start=filters.start,
        end=filters.end,
        categories=tuple(filters.categories),
        size=filters.cell,
        night=(tuple(filters.nights), filters.night_start, filters.night_end),
    )
    notes = [n for n in (result.sparse_note, result.summary(), FDR_NOTE) if n]
    return hotspot_cells_map(ds, result, title=f"Hotspots om natten, {filters.cell} (Gi*)"), notes


# ---- the map modes of Tryg bydel --------------------------------------------------------------
#: URL parameter of the district map mode and its values (empty: the indicator itself).
MAP_MODE_PARAM, HOTSPOT_MODE, CHANGE_MODE = "kort", "hotspots", "aendring"
CHANGE_NOTE = (
    "Ændring mod året før er testet for hvert område: antal hændelser med en eksakt "
    "Poisson-test (betinget binomialtest), andele fra Tryghedsundersøgelsen med en test af to "
    "andele. p-værdierne er korrigeret for, at alle områder testes på én gang "
    "(Benjamini–Hochberg); 'markant' betyder justeret p < 0,05. Områder med færre end "
    "diskretionsgrænsen testes ikke."
)


def _shown_labels(view: View) -> pd.Series:
    """Each district's label on the ordinary map (already with '<5' where hidden)."""
    if view.map is None or not len(view.map.features):
        return pd.Series(dtype=object)
    features = view.map.features
    return pd.Series(features["label"].to_numpy(), index=features["feature_id"].astype(str))


def apply_hotspot_mode(ds: Dataset, filters: Filters, view: View) -> None:
    """Tryg bydel's "Hotspots" map: Gi* between districts (queen contiguity) of incidents per
    1 000 inhabitants (counts without population); the table gets ``hotspot_class``."""
    if ds.districts is None or not len(ds.districts):
        return
    result = district_hotspots(
        ds, start=filters.start, end=filters.end, categories=tuple(filters.categories)
    )
    spec = hotspot_districts_map(ds, result, _shown_labels(view), selected=filters.district)
    if spec is not None and view.map is not None:
        spec.bounds = view.map.bounds
    view.map = spec
    classes = result.table.set_index("district_id")["hotspot_class"]
    view.table = view.table.assign(hotspot_class=view.table["district_id"].map(classes))
    view.notes += [result.summary(), FDR_NOTE]


def apply_change_mode(
    ds: Dataset, filters: Filters, view: View, changes: pd.DataFrame, shown: pd.Series, what: str
) -> None:
    """Tryg bydel's "Ændring mod året før" map from tested ``changes`` (see
    :mod:`tryg_geo.analysis.change`); the table gets ``change_class`` and ``significant``."""
    spec = change_districts_map(ds, changes, shown, what=what, selected=filters.district)
    if spec is not None and view.map is not None:
        spec.bounds = view.map.bounds
    view.map = spec
    table = changes.set_index("district_id")
    view.table = view.table.assign(
        change_class=view.table["district_id"].map(table["change_class"]),
        significant=view.table["district_id"].map(table["significant"]).astype("boolean"),
    )
    counts = changes["change_class"].value_counts()
    view.notes += [
        f"{counts.get(CHANGE_CLASSES[0], 0)} områder med markant stigning og "
        f"{counts.get(CHANGE_CLASSES[2], 0)} med markant fald mod samme periode året før.",
        CHANGE_NOTE,
    ]
