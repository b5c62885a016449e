"""The district loader on real DAGI boundaries (skipped when ../shared/data/dagi is absent).

Real exports have what hand-made test files lack: Z = -999 on every coordinate, islands as extra
rows repeating their code, the CRS written as OGC CRS84, and æøå in names.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import shapely

from tryg_geo.ingest.districts import load_districts

DAGI = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "dagi"

pytestmark = [
    pytest.mark.dagi,
    pytest.mark.skipif(not DAGI.is_dir(), reason=f"DAGI-mappen {DAGI} findes ikke her"),
]

#: The 19 postal areas with at least 10 % of their area inside Aalborg Kommune (0851) in this
#: DAGI edition: 18 lie (almost) wholly inside, and 9530 Støvring has ~21 % inside. The next
#: candidate, 9440 Aabybro, has only ~3 %, so the threshold is not on a knife's edge.
AALBORG_POSTAL_CODES = (
    "9000", "9200", "9210", "9220", "9230", "9240", "9260", "9270", "9280", "9293",
    "9310", "9362", "9370", "9380", "9381", "9382", "9400", "9430", "9530",
)  # fmt: skip
AALBORG_SHARE = 0.10
CHRISTIANSOE = "0411"  # Ertholmene: in DAGI's file, but governed by the state, not a kommune


def subset(source: Path, target: Path, key: str, codes: set[str]) -> tuple[Path, int]:
    """Write the features of ``source`` whose ``key`` is in ``codes``, keeping crs, Z and all."""
    body = json.loads(source.read_text(encoding="utf-8"))
    body["features"] = [f for f in body["features"] if f["properties"][key] in codes]
    target.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return target, len(body["features"])


@pytest.fixture(scope="module")
def kommuner():
    return load_districts(DAGI / "kommuner.geojson")


@pytest.fixture(scope="module")
def postnumre():
    started = time.perf_counter()
    result = load_districts(DAGI / "postnumre.geojson")
    result.seconds = time.perf_counter() - started
    return result


def test_whole_kommuner_file(kommuner):
    frame = kommuner.frame
    assert kommuner.rows_read == 311 and len(kommuner.rejected) == 0
    # 98 municipalities plus Christiansø, which DAGI carries with a code of its own.
    assert kommuner.accepted == 99 and kommuner.duplicates == 311 - 99
    municipalities = frame[frame["district_id"] != CHRISTIANSOE]
    assert len(municipalities) == 98 and municipalities["name"].is_unique
    assert frame.crs.to_epsg() == 25832 and frame.is_valid.all() and not frame.has_z.any()
    assert any("tredje værdi" in w for w in kommuner.warnings)


def test_aalborg_kommune_dissolves_to_one_district(tmp_path):
    path, rows = subset(
        DAGI / "kommuner.geojson", tmp_path / "aalborg.geojson", "KOMKODE", {"0851"}
    )
    result = load_districts(path)
    assert rows > 1  # Aalborg has islands in the Limfjord, each on its own row
    assert result.accepted == 1 and result.duplicates == rows - 1
    row = result.frame.iloc[0]
    assert row["district_id"] == "0851" and row["name"] == "Aalborg"
    assert row.geometry.geom_type == "MultiPolygon" and row.geometry.is_valid
    assert 1.0e9 < row.geometry.area < 1.2e9  # Aalborg Kommune is about 1 140 km²


def test_aalborg_postal_codes_are_the_ones_in_the_data(kommuner, postnumre):
    aalborg = kommuner.frame.set_index("district_id").geometry["0851"]
    areas = postnumre.frame.set_index("district_id").geometry
    share = shapely.area(shapely.intersection(areas.to_numpy(), aalborg)) / areas.area.to_numpy()
    inside = sorted(areas.index[share >= AALBORG_SHARE])
    assert inside == list(AALBORG_POSTAL_CODES)


def test_aalborg_postal_areas_load_as_19_districts(tmp_path):
    path, rows = subset(
        DAGI / "postnumre.geojson",
        tmp_path / "aalborg_postnumre.geojson",
        "POSTNR_TXT",
        set(AALBORG_POSTAL_CODES),
    )
    result = load_districts(path)
    frame = result.frame
    assert result.accepted == 19 and len(result.rejected) == 0
    assert result.rows_read == rows == result.accepted + result.duplicates
    assert sorted(frame["district_id"]) == list(AALBORG_POSTAL_CODES)
    assert frame.crs.to_epsg() == 25832
    assert frame.is_valid.all() and not frame.has_z.any()
    assert set(frame.geom_type) == {"MultiPolygon"}
    assert "Nørresundby" in set(frame["name"]) and "Aalborg SØ" in set(frame["name"])
    assert not any("overlapper" in w for w in result.warnings)


def test_whole_postnumre_file_loads_quickly(postnumre):
    assert postnumre.rows_read == 805 and len(postnumre.rejected) == 0
    assert postnumre.accepted == 592 and postnumre.duplicates == 805 - 592
    assert any("slået sammen til 97 områder" in w for w in postnumre.warnings)
    assert postnumre.seconds < 10  # ~0.3 s on a laptop; generous for slow CI machines


def test_national_postal_file_keeps_aalborgs_19_areas_with_the_kommune_boundary() -> None:
    """``import districts postnumre.geojson --kommune 0851 --kommune-fil kommuner.geojson``."""
    from tryg_geo.ingest.districts import load_districts as load
    from tryg_geo.ingest.districts import read_kommune
    from tryg_geo.ingest.kommune import KOMMUNE_SHARE

    assert KOMMUNE_SHARE == AALBORG_SHARE  # the threshold the 19 codes above were found with
    aalborg = read_kommune("0851", DAGI / "kommuner.geojson")
    result = load(DAGI / "postnumre.geojson", kommune=aalborg)
    assert sorted(result.frame["district_id"]) == list(AALBORG_POSTAL_CODES)
    assert result.kommune == {
        "code": "0851", "name": "Aalborg", "kept": 19, "dropped": 592 - 19, "by": "boundary",
    }  # fmt: skip
    assert result.rows_read == 805 == result.accepted + result.duplicates + 573


def test_national_kommuner_file_keeps_aalborg_by_its_code() -> None:
    from tryg_geo.ingest.districts import load_districts as load
    from tryg_geo.ingest.kommune import Kommune

    result = load(DAGI / "kommuner.geojson", kommune=Kommune("0851"))
    assert result.frame["district_id"].tolist() == ["0851"]
    assert (result.kommune["kept"], result.kommune["dropped"]) == (1, 98)
