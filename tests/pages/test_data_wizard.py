"""The Data page's import wizard in AppTest: file → preview → proposed columns → dry run → Importér.

AppTest cannot drive ``st.file_uploader``; as in ``test_pages.py`` the widget is replaced by a
stand-in returning the file, so everything after the upload is the page's own code. The real
upload widget is driven in Chromium in ``tests/browser/test_wizard_browser.py``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import streamlit
import tiny_data
from openpyxl import load_workbook
from pyproj import Transformer
from streamlit.testing.v1 import AppTest

from tryg_geo import fmt
from tryg_geo.compute.registry import get_initiative
from tryg_geo.ingest.template import build_template
from tryg_geo.store.folder import Store
from tryg_geo.store.schema import REJECTED_COLUMNS

REPO = Path(__file__).resolve().parents[2]
DATA_PAGE = str(REPO / "pages" / "data.py")
TO_LONLAT = Transformer.from_crs("EPSG:25832", "EPSG:4326", always_xy=True)


class FakeUpload:
    """What ``st.file_uploader`` returns for an uploaded file (name and bytes)."""

    def __init__(self, name: str, data: bytes) -> None:
        self.name = name
        self._data = data

    def getvalue(self) -> bytes:
        return self._data


@pytest.fixture()
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    """A data folder of its own with the three tiny districts."""
    monkeypatch.setenv("TRYG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRYG_BASEMAP", "none")
    store = Store(tmp_path / "data")
    rejected = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    store.write("districts", tiny_data.districts(), rejected=rejected, report={"file": "t"})
    return store


def upload(monkeypatch: pytest.MonkeyPatch, name: str, data: bytes) -> None:
    monkeypatch.setattr(streamlit, "file_uploader", lambda *a, **k: FakeUpload(name, data))


def open_data_page(kind: str | None = None) -> AppTest:
    at = AppTest.from_file(DATA_PAGE, default_timeout=60).run()
    assert not at.exception, at.exception
    if kind:
        at.selectbox(key="wizard_kind").set_value(kind).run()
        assert not at.exception, at.exception
    return at


def box(at: AppTest, label: str):
    (found,) = [s for s in at.selectbox if s.label.rstrip(" *") == label]
    return found


def police_csv() -> bytes:
    """A police export: Danish lat/lon in columns named Y and X, dd-mm-yyyy, one bad date."""
    lines = ["Anmeldelsesdato;Gerningskode;Y;X"]
    for i in range(12):
        lon, lat = TO_LONLAT.transform(tiny_data.X0 + 100 + 200 * i, tiny_data.Y0 + 500)
        day = f"{i + 1:02d}-03-2024"
        lines.append(
            f"{day};{'Vold' if i % 2 else 'Hærværk'};{lat:.6f};{lon:.6f}".replace(".", ",")
        )
    lines.append("31-02-2024;Vold;57,04;9,90")
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def test_without_a_file_the_page_asks_for_one(store: Store) -> None:
    at = open_data_page()
    assert any("Vælg en fil" in i.value for i in at.info)
    assert not at.button


def test_police_file_is_proposed_checked_and_imported_with_one_click(store, monkeypatch) -> None:
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page("incidents")
    # 1. Preview of the first rows and the column names.
    preview = at.dataframe[0].value
    assert list(preview.columns) == ["Anmeldelsesdato", "Gerningskode", "Y", "X"]
    assert len(preview) == 5
    # 2. Every role pre-filled; Y/X proposed by content as lat/lon, and the page says why.
    assert box(at, "Dato/tidspunkt").value == "Anmeldelsesdato"
    assert box(at, "Kategori").value == "Gerningskode"
    assert (box(at, "Breddegrad (lat)").value, box(at, "Længdegrad (lon)").value) == ("Y", "X")
    assert box(at, "X (øst, EPSG:25832)").value == "(ingen)"
    reasons = " ".join(c.value for c in at.caption)
    assert "breddegrader i Danmark" in reasons
    # 3. The dry run appears by itself: counts, reasons, a map, and nothing stored yet.
    counts = {m.label: m.value for m in at.metric}
    assert counts == {
        "Læst": "13",
        "Godkendt": "12",
        "Afvist": "1",
        "Dubletter": "0",
        "Uden for områderne": "0",
    }
    assert [s.value for s in at.success] == ["12 af 13 rækker ville blive godkendt"]
    assert "Afvist pr. årsag: Datoen findes ikke (1)" in reasons
    assert at.get("image")  # the small map of what would be stored
    assert not store.has("incidents")
    # 4. One click, with the source typed in the Kilde field.
    at.text_input(key="wizard_source").input("Nordjyllands Politi, udtræk 2024")
    at.button(key="wizard_go").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Importeret: 12 hændelser er gemt") for s in at.success)
    assert store.meta("incidents")["source"] == "Nordjyllands Politi, udtræk 2024"
    (status,) = [df.value for df in at.dataframe if "Datatype" in df.value.columns]
    row = status.set_index("Datatype").loc["hændelser"]
    assert (row["Rækker"], row["Kilde"]) == ("12", "Nordjyllands Politi, udtræk 2024")
    stored = store.read("incidents")
    assert len(stored) == 12
    assert set(stored["district_id"].astype(str)) <= {"a", "b", "c"}


def test_changing_a_column_reruns_the_check(store, monkeypatch) -> None:
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page("incidents")
    box(at, "Kategori").set_value("Anmeldelsesdato").run()
    assert not at.exception, at.exception
    assert {m.label: m.value for m in at.metric}["Godkendt"] == "12"
    box(at, "Breddegrad (lat)").set_value("(ingen)").run()
    warnings = [w.value for w in at.warning]
    assert any("Vælg kolonnen for Breddegrad (lat)" in w for w in warnings), warnings
    assert not any("--" in w for w in warnings)
    assert not at.metric  # no dry run without coordinates


def test_missing_id_speaks_of_the_page_not_of_cli_flags(store, monkeypatch, tmp_path) -> None:
    square = [[[9.90, 57.04], [9.91, 57.04], [9.91, 57.045], [9.90, 57.04]]]
    features = [
        {
            "type": "Feature",
            "properties": {"areal": 1.5 + i / 10},
            "geometry": {"type": "Polygon", "coordinates": square},
        }
        for i in range(3)
    ]
    data = json.dumps({"type": "FeatureCollection", "features": features}).encode()
    upload(monkeypatch, "grænser.geojson", data)
    at = open_data_page("districts")
    assert box(at, "Id").value == "(ingen)"
    (warning,) = [w.value for w in at.warning]
    assert warning.startswith("Vælg kolonnen for Id")
    assert "--id-col" not in warning


def test_filled_template_imports_without_column_choice(store, monkeypatch, tmp_path) -> None:
    path = tmp_path / "skabelon.xlsx"
    path.write_bytes(build_template(get_initiative("fri-tid"), today=date(2026, 11, 30)))
    book = load_workbook(path)
    book["fritid_deltagere"]["E2"] = 40
    book["fritid_aktiviteter"]["E2"] = -1
    book.save(path)
    upload(monkeypatch, path.name, path.read_bytes())
    at = open_data_page("measurements")
    assert [box(at, r).value for r in ("Område", "Periode", "Indikator", "Værdi")] == [
        "område",
        "periode",
        "indikator",
        "værdi",
    ]
    assert {m.label: m.value for m in at.metric}["Godkendt"] == "1"
    rejected = [df.value for df in at.dataframe if "Ark" in df.value.columns]
    (table,) = rejected
    assert table[["Ark", "Række", "Kolonne", "Årsag"]].values.tolist() == [
        ["fritid_aktiviteter", 2, "værdi", "Negativt antal"]
    ]
    at.button(key="wizard_go").click().run()
    assert store.read("measurements")["indicator"].tolist() == ["fritid_deltagere"]


def test_only_an_importer_gets_the_import_button(store, monkeypatch) -> None:
    upload(monkeypatch, "politi.csv", police_csv())

    def page() -> None:
        from pages import ui

        ui.import_wizard(can_import=False)

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception, at.exception
    at.selectbox(key="wizard_kind").set_value("incidents").run()
    assert at.metric  # the check is shown
    assert not [b for b in at.button if b.label == "Importér"]
    assert any("Kun en dataansvarlig" in i.value for i in at.info)


def test_initiative_page_offers_its_template(store: Store) -> None:
    at = AppTest.from_file(str(REPO / "pages" / "indsatser.py"), default_timeout=60)
    at.query_params["indsats"] = "fri-tid"
    at.run()
    assert not at.exception, at.exception
    labels = [getattr(e, "proto", None) for e in at.get("download_button")]
    assert any(p is not None and p.label == "Hent skabelon (Excel)" for p in labels)


DAGI = REPO.parent / "shared" / "data" / "dagi" / "postnumre.geojson"


@pytest.mark.skipif(not DAGI.exists(), reason="the DAGI files are not beside the project")
def test_real_dagi_postal_areas_in_the_wizard(store, monkeypatch) -> None:
    upload(monkeypatch, DAGI.name, DAGI.read_bytes())
    at = open_data_page("districts")
    assert list(at.dataframe[0].value.columns) == ["POSTNR_TXT", "POSTBYNAVN"]
    assert (box(at, "Id").value, box(at, "Navn").value) == ("POSTNR_TXT", "POSTBYNAVN")
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Læst"], counts["Godkendt"], counts["Dubletter"]) == ("805", "592", "213")
    assert at.get("image")


def test_counts_have_the_danish_thousands_dot(store, monkeypatch) -> None:
    # 1.203 rows read: the dry run's metrics and sentence, and after the import the status table.
    lines = ["Anmeldelsesdato;Gerningskode;Y;X"]
    lon, lat = TO_LONLAT.transform(tiny_data.X0 + 100, tiny_data.Y0 + 500)
    point = f"{lat:.6f};{lon:.6f}".replace(".", ",")
    lines += [f"{1 + i % 28:02d}-{1 + i % 12:02d}-2024;Vold;{point}" for i in range(1202)]
    lines.append("31-02-2024;Vold;57,04;9,90")
    upload(monkeypatch, "politi.csv", ("\r\n".join(lines) + "\r\n").encode("cp1252"))
    at = open_data_page("incidents")
    counts = {m.label: m.value for m in at.metric}
    assert counts["Læst"] == "1.203" and counts["Afvist"] == "1"
    assert at.success[0].value.endswith("af 1.203 rækker ville blive godkendt")
    at.button(key="wizard_go").click().run()
    assert not at.exception, at.exception
    (status,) = [df.value for df in at.dataframe if "Datatype" in df.value.columns]
    rows = status.set_index("Datatype").loc["hændelser", "Rækker"]
    assert rows == fmt.number(store.meta("incidents")["rows"]) and "." in rows


# ---- import modes, the done state, Danish reasons (issue 20, findings 1 and 11) ----------------
def store_demo_incidents(store: Store, count: int) -> None:
    """``count`` demo incidents in district "a", as ``make_demo`` would mark them."""
    frame = tiny_data.incidents_at(count, when="2024-02-10 22:00")
    frame["incident_id"] = [f"demo-{i}" for i in range(count)]
    frame["source"] = None
    frame["initiative"] = None
    frame = tryg_geo_enrich(frame, tiny_data.districts())
    rejected = pd.DataFrame(columns=list(REJECTED_COLUMNS))
    store.write("incidents", frame, rejected=rejected, report={"file": "demo"}, demo=True)


def tryg_geo_enrich(frame: pd.DataFrame, districts) -> pd.DataFrame:
    from tryg_geo.geo.enrich import enrich_incidents

    return enrich_incidents(frame, districts)


def text_of(at: AppTest) -> str:
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "success", "warning")
        for e in at.get(kind)
    ]
    return "\n".join(str(p) for p in parts)


def test_import_asks_append_or_replace_and_shows_the_counts_before(store, monkeypatch) -> None:
    store_demo_incidents(store, 30)
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page("incidents")
    (mode,) = at.radio
    assert mode.options == ["Tilføj til de nuværende", "Erstat alle"]
    assert mode.value == "replace"  # the stored incidents are demo data: replacing is proposed
    infos = [i.value for i in at.info]
    assert "Ved import: 30 hændelser erstattes af 12. De nuværende hændelser er demodata." in infos
    mode.set_value("append").run()
    infos = [i.value for i in at.info]
    assert any(
        i.startswith("Ved import: 30 + 12 hændelser, heraf 0 dubletter (id findes allerede)")
        for i in infos
    ), infos
    at.button(key="wizard_go").click().run()
    assert not at.exception, at.exception
    assert len(store.read("incidents")) == 42
    assert store.meta("incidents")["demo"] is True  # the 30 demo incidents are still in it
    (done,) = at.success
    assert done.value.startswith("Importeret: 12 nye hændelser er gemt og bruges nu")
    assert "42 hændelser i alt" in done.value


def test_appending_the_same_file_again_counts_it_as_duplicates(store, monkeypatch) -> None:
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page("incidents")
    at.button(key="wizard_go").click().run()
    at.button(key="wizard_again").click().run()
    assert not at.exception, at.exception
    (mode,) = at.radio
    assert mode.value == "append"  # real data stored: adding is proposed
    assert any(
        i.value.startswith("Ved import: 12 + 12 hændelser, heraf 12 dubletter") for i in at.info
    )
    at.button(key="wizard_go").click().run()
    assert len(store.read("incidents")) == 12


def test_other_kinds_say_they_are_replaced(store, monkeypatch) -> None:
    upload(monkeypatch, "m.csv", "område;periode;indikator;værdi\na;2024;tryg_andel;80\n".encode())
    at = open_data_page("measurements")
    at.button(key="wizard_go").click().run()
    at.button(key="wizard_again").click().run()
    assert not at.radio
    assert "Målinger erstattes altid som en helhed" in text_of(at)
    assert "Ved import: 1 målinger erstattes af 1." in [i.value for i in at.info]


def test_after_the_import_the_wizard_is_done_not_still_checking(store, monkeypatch) -> None:
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page("incidents")
    at.button(key="wizard_go").click().run()
    assert not at.exception, at.exception
    headers = [h.value for h in at.subheader]
    assert "3. Kontrol — intet er gemt endnu" not in headers
    assert "Importeret" in headers
    assert not [b for b in at.button if b.label == "Importér"]
    assert [s.value for s in at.success] == [
        "Importeret: 12 hændelser er gemt og bruges nu – fil: politi.csv."
    ]
    # A new import starts over with the check.
    at.button(key="wizard_again").click().run()
    assert "3. Kontrol — intet er gemt endnu" in [h.value for h in at.subheader]
    assert [b for b in at.button if b.label == "Importér"]


def test_rejected_rows_are_explained_in_danish(store, monkeypatch) -> None:
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page("incidents")
    (table,) = [df for df in at.dataframe if "Forklaring" in df.value.columns]
    assert table.value["Årsag"].tolist() == ["Datoen findes ikke"]
    assert "impossible_date" not in text_of(at) + table.value.to_string()
    config = json.loads(table.proto.columns)
    assert config["Forklaring"]["width"] == "large"


def test_the_kind_is_detected_from_the_file_and_preselected(store, monkeypatch) -> None:
    """No kind chosen: a police CSV is recognised as incidents, said why, and checked as such."""
    upload(monkeypatch, "politi.csv", police_csv())
    at = open_data_page()
    assert at.selectbox(key="wizard_kind").value == "incidents"
    infos = [i.value for i in at.info]
    assert any(
        "Genkendt som hændelser: kolonner med dato og koordinater ('Anmeldelsesdato', 'Y' og 'X')"
        in i
        for i in infos
    ), infos
    assert {m.label: m.value for m in at.metric}["Godkendt"] == "12"
    # The user's own choice then stands (the next rerun does not preselect again) and the page
    # says the file looked like something else.
    at.selectbox(key="wizard_kind").set_value("districts").run()
    assert at.selectbox(key="wizard_kind").value == "districts"
    assert any("Du har valgt områder" in w.value for w in at.warning)


def test_a_district_file_is_preselected_as_districts(store, monkeypatch) -> None:
    square = [[[9.90, 57.04], [9.91, 57.04], [9.91, 57.045], [9.90, 57.04]]]
    feature = {"type": "Feature", "properties": {"id": "x", "navn": "X"}}
    feature["geometry"] = {"type": "Polygon", "coordinates": square}
    data = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    upload(monkeypatch, "bydele.geojson", data)
    at = open_data_page()
    assert at.selectbox(key="wizard_kind").value == "districts"
    assert any("Genkendt som områder" in i.value for i in at.info)


def test_a_national_file_keeps_one_kommune_in_the_wizard(store, monkeypatch, tmp_path) -> None:
    """Postal areas without a kommune code, and a kommuner file for the boundary."""
    from shapely.geometry import box

    def geojson(rows: list[dict], name: str) -> FakeUpload:
        path = tmp_path / name
        gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:25832").to_file(path)
        return FakeUpload(name, path.read_bytes())

    x, y = tiny_data.X0, tiny_data.Y0
    files = {
        "wizard_upload": geojson(
            [
                {"POSTNR_TXT": str(code), "POSTBYNAVN": f"By {code}", "geometry": box(x + dx, y, x + dx + 1000, y + 1000)}
                for code, dx in ((9000, 0), (9200, 1500), (9400, 6000))
            ],
            "postnumre.geojson",
        ),
        "wizard_kommune_file_0": geojson(
            [
                {"KOMKODE": "0851", "KOMNAVN": "Aalborg", "geometry": box(x - 100, y - 100, x + 5000, y + 5000)},
                {"KOMKODE": "0849", "KOMNAVN": "Jammerbugt", "geometry": box(x + 5000, y - 100, x + 9000, y + 5000)},
            ],
            "kommuner.geojson",
        ),
    }  # fmt: skip
    monkeypatch.setattr(streamlit, "file_uploader", lambda *a, key=None, **k: files.get(key))
    at = open_data_page()
    assert at.selectbox(key="wizard_kind").value == "districts"
    assert {m.label: m.value for m in at.metric}["Godkendt"] == "3"
    at.checkbox(key="wizard_kommune_on").check().run()
    at.text_input(key="wizard_kommune").input("0851").run()
    assert not at.exception, at.exception
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Godkendt"], counts["Uden for kommunen"]) == ("2", "1")
    assert "Kun områderne i kommune 0851 (Aalborg) er beholdt: 2 af 3" in text_of(at)
    at.button(key="wizard_go").click().run()
    assert sorted(store.read("districts")["district_id"]) == ["9000", "9200"]


def test_a_statbank_file_is_detected_checked_and_imported(store, monkeypatch) -> None:
    """StatBank's FOLK1A export: recognised by its header, no columns to choose, rows counted."""
    path = REPO / "tests" / "fixtures" / "statbank" / "folk1a_navne.csv"
    upload(monkeypatch, path.name, path.read_bytes())
    at = open_data_page()
    assert at.selectbox(key="wizard_kind").value == "kommune_population"
    assert any("Statistikbanken" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.key and s.key.startswith("wizard_col_")]
    counts = {m.label: m.value for m in at.metric}
    assert (counts["Læst"], counts["Godkendt"], counts["Afvist"]) == ("20", "18", "2")
    assert "Ikke en total (2)" in " ".join(c.value for c in at.caption)
    at.button(key="wizard_go").click().run()
    assert not at.exception, at.exception
    assert store.has("kommune_population") and len(store.read("kommune_population")) == 18
