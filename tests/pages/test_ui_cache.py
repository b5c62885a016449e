"""The rerun caches of pages/ui: shared views, chart specs and the map component's arguments
(the LRU itself is tryg_geo's one cache, tested in tests/store/test_cache.py)."""

from __future__ import annotations

import streamlit_folium

from pages.ui import cache
from pages.ui.render import folium_args
from tryg_geo import build_view, default_filters, spec_map


def test_pinned_keys_are_by_identity_and_keep_the_object():
    a, b = [1], [1]  # equal, not the same, and not hashable
    assert cache.pinned(a, "x") == cache.pinned(a, "x")
    assert cache.pinned(a, "x") != cache.pinned(b, "x")
    assert cache.pinned(a, "x")[1].obj is a


def test_folium_args_are_what_st_folium_sends(demo_ds):
    """Same script, HTML, header, links and component key as st_folium's own call."""
    view = build_view("natteliv", demo_ds, default_filters(demo_ds, {}))
    captured = {}

    def record(**kwargs):
        captured.update(kwargs)
        return kwargs.get("default")

    original = streamlit_folium._component_func
    streamlit_folium._component_func = record
    try:
        streamlit_folium.st_folium(
            spec_map(view.map, basemap="none"),
            returned_objects=["last_active_drawing"],
            key="kort",
            height=560,
            width="stretch",
        )
    finally:
        streamlit_folium._component_func = original
    ours = folium_args(spec_map(view.map, basemap="none"), key="kort", height=560)
    captured.pop("on_change")
    assert ours == captured
    assert 'performance.mark("tryg-map-drawn"' in ours["script"]


def test_content_key_follows_the_values_not_the_object():
    import pandas as pd

    from tryg_geo.views.model import Trend

    frame = pd.DataFrame({"period": pd.to_datetime(["2025-01-01"]), "value": [1.5]})
    same = Trend("T", frame.copy(), "antal")
    assert cache.content_key(Trend("T", frame, "antal")) == cache.content_key(same)
    other = Trend("T", frame.assign(value=[2.5]), "antal")
    assert cache.content_key(other) != cache.content_key(same)
    assert cache.content_key(Trend("U", frame, "antal")) != cache.content_key(same)
    assert cache.content_key(frame.rename(columns={"value": "v"})) != cache.content_key(frame)
