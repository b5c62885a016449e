"""Import modes: replace (the default) or append incidents, with duplicates counted before and
left out after; rollback after an append returns to the data before it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import tiny_data

from tryg_geo.errors import UsageError
from tryg_geo.ingest.importer import import_file
from tryg_geo.ingest.modes import ImportPlan
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS

HEADER = "id;dato;kategori;x;y\n"


def police(tmp_path: Path, ids: range, name: str = "politi.csv", *, with_id: bool = True) -> Path:
    """Incidents inside district "a", one per id, on different days."""
    x, y = tiny_data.X0 + 300, tiny_data.Y0 + 300
    header = HEADER if with_id else "dato;kategori;x;y\n"
    rows = [
        (f"{i};" if with_id else "") + f"{1 + i % 28:02d}-03-2024 10:00;Vold;{x + i};{y}\n"
        for i in ids
    ]
    path = tmp_path / name
    path.write_bytes((header + "".join(rows)).encode("cp1252"))
    return path


@pytest.fixture()
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "data")
    rejected = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    store.write("districts", tiny_data.districts(), rejected=rejected, report={"file": "t"})
    return store


def test_replace_is_the_default_and_says_so(store, tmp_path) -> None:
    import_file("incidents", police(tmp_path, range(1, 201)), store=store)
    result = import_file("incidents", police(tmp_path, range(500, 540), "maj.csv"), store=store)
    assert len(store.read("incidents")) == 40
    assert result.report()["mode"] == {
        "mode": "replace",
        "before": 200,
        "new": 40,
        "already_stored": 0,
        "after": 40,
    }


def test_append_adds_and_leaves_out_stored_ids(store, tmp_path) -> None:
    import_file("incidents", police(tmp_path, range(1, 201)), store=store, source="Politi, marts")
    # 40 rows, of which ids 195..200 are already stored.
    file = police(tmp_path, range(195, 235), "april.csv")
    dry = import_file("incidents", file, store=store, mode="append", dry_run=True)
    assert dry.report()["mode"] == {
        "mode": "append",
        "before": 200,
        "new": 40,
        "already_stored": 6,
        "after": 234,
    }
    assert len(store.read("incidents")) == 200  # a dry run writes nothing
    done = import_file("incidents", file, store=store, mode="append", source="Politi, april")
    stored = store.read("incidents")
    assert len(stored) == 234 == done.report()["mode"]["after"]
    assert stored["incident_id"].is_unique
    assert set(stored["incident_id"]) == {str(i) for i in range(1, 235)}
    assert isinstance(stored["category"].dtype, pd.CategoricalDtype)
    assert set(stored["district_id"].astype(str)) == {"a"}
    assert store.meta("incidents")["source"] == "Politi, marts; Politi, april"
    # Rollback still works: back to the 200 of before the append.
    store.rollback("incidents")
    assert len(store.read("incidents")) == 200


def test_append_without_ids_matches_on_time_category_and_place(store, tmp_path) -> None:
    import_file("incidents", police(tmp_path, range(1, 11), with_id=False), store=store)
    again = police(tmp_path, range(6, 16), "igen.csv", with_id=False)
    result = import_file("incidents", again, store=store, mode="append")
    stored = store.read("incidents")
    assert result.report()["mode"]["already_stored"] == 5
    assert len(stored) == 15 and stored["incident_id"].is_unique


def test_append_onto_demo_keeps_the_demo_flag_and_names_both(store, tmp_path) -> None:
    rejected = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    demo = import_file("incidents", police(tmp_path, range(1, 4)), store=store, dry_run=True)
    store.write("incidents", demo.frame, rejected=rejected, report=demo.report(), demo=True)
    import_file("incidents", police(tmp_path, range(10, 12), "x.csv"), store=store, mode="append")
    meta = store.meta("incidents")
    assert meta["demo"] is True and meta["source"] == "demodata; x.csv"


def test_append_into_an_empty_folder_is_a_first_import(store, tmp_path) -> None:
    result = import_file("incidents", police(tmp_path, range(1, 6)), store=store, mode="append")
    assert len(store.read("incidents")) == 5
    assert result.report()["mode"]["before"] == 0


def test_append_is_only_for_incidents(store, tmp_path) -> None:
    path = tmp_path / "m.csv"
    path.write_text("område;periode;indikator;værdi\na;2024;tryg_andel;87,5\n", encoding="utf-8")
    with pytest.raises(UsageError, match="kun bruges til hændelser"):
        import_file("measurements", path, store=store, mode="append")
    with pytest.raises(UsageError, match="Ukendt importtilstand 'add'"):
        import_file("incidents", path, store=store, mode="add")


def test_plan_sentences() -> None:
    assert (
        ImportPlan("incidents", "append", 200_000, 40).sentence()
        == "200.000 + 40 hændelser, heraf 0 dubletter (id findes allerede) – "
        "200.040 hændelser i alt bagefter"
    )
    assert ImportPlan("incidents", "replace", 200_000, 40).sentence() == (
        "200.000 hændelser erstattes af 40"
    )
