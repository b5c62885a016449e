"""The rerun caches of pages/ui: shared views, chart specs and the map component's arguments
(the LRU itself is tryg_geo's one cache, tested in tests/store/test_cache.py)."""

from __future__ import annotations

from pages.ui import cache


def test_pinned_keys_are_by_identity_and_keep_the_object():
    a, b = [1], [1]  # equal, not the same, and not hashable
    assert cache.pinned(a, "x") == cache.pinned(a, "x")
    assert cache.pinned(a, "x") != cache.pinned(b, "x")
    assert cache.pinned(a, "x")[1].obj is a


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
    # The heatmap's cells hidden only to protect a small one live in attrs: a new chart.
    marked = frame.copy()
    marked.attrs["complementary"] = frozenset({("mandag", "01")})
    assert cache.content_key(marked) != cache.content_key(frame)


def test_content_key_tells_apart_what_a_chart_would_show_differently():
    """Missing against None against the text 'None', a moved gap, another index, a value
    type: each is another key (a shared key would draw a chart of other numbers)."""
    import numpy as np
    import pandas as pd

    grid = pd.DataFrame(
        np.arange(6.0).reshape(2, 3), index=["mandag", "tirsdag"], columns=list("abc")
    )
    keys = {cache.content_key(grid)}
    moved = grid.copy()
    moved.iloc[0, 0] = np.nan
    keys.add(cache.content_key(moved))
    moved2 = grid.copy()
    moved2.iloc[1, 2] = np.nan
    keys.add(cache.content_key(moved2))
    keys.add(cache.content_key(grid.set_axis(["onsdag", "tirsdag"])))
    keys.add(cache.content_key(grid.astype("float32")))
    texts = [pd.DataFrame({"s": [None, "x"]}), pd.DataFrame({"s": ["None", "x"]})]
    keys.update(cache.content_key(t) for t in texts)
    keys.add(cache.content_key(pd.DataFrame({"s": pd.array([pd.NA, "x"], dtype="string")})))
    assert len(keys) == 8
    assert cache.content_key(grid.copy()) == cache.content_key(grid)


def test_a_roles_copy_of_a_view_is_made_once_and_withholds_for_that_role(monkeypatch):
    """The page asks for a role's copy on every rerun: one object per view and role (so its
    map and detail tables are made once), and each role's copy holds only what it may have."""
    import pandas as pd

    from pages.ui import render
    from tryg_geo.views.model import View

    table = pd.DataFrame({"cell_id": ["a"], "category": ["x"], "mk_p": [0.01], "z_2025_q1": [2.5]})
    view = View("analyse", "T", "", False, "kilde", table)
    made: list[str] = []
    monkeypatch.setattr(render, "role", lambda: "leder")
    leader = render.as_role(view)
    assert render.as_role(view) is leader
    assert list(leader.table.columns) == ["cell_id", "category"]
    monkeypatch.setattr(render, "role", lambda: "analytiker")
    analyst = render.as_role(view)
    assert analyst is not leader and "mk_p" in analyst.table and "z_2025_q1" in analyst.table

    def detail(v: View) -> list[str]:
        made.append(v.title)
        return list(v.table.columns)

    assert render.view_part(detail, analyst) == render.view_part(detail, analyst)
    assert made == ["T"]  # made once for that view object
    render.view_part(detail, leader)
    assert made == ["T", "T"]
