"""The wizard's path on real-looking files, and the `template` command (CLI = page)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tryg_geo.cli import main
from tryg_geo.errors import ColumnError
from tryg_geo.ingest.detect import extra_aliases, propose_columns
from tryg_geo.ingest.detect_preview import preview_file
from tryg_geo.ingest.detect_roles import missing_roles
from tryg_geo.ingest.importer import import_file, import_upload, preview_upload
from tryg_geo.store.folder import Store

REPO = Path(__file__).resolve().parents[2]
POLICE = REPO / "tests" / "data" / "wizard" / "politi_udtraek.csv"
POLICE_BY_DATE = REPO / "tests" / "data" / "wizard" / "politi_gerningsdato.csv"
DAGI = REPO.parent / "shared" / "data" / "dagi" / "postnumre.geojson"


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("TRYG_DATA_DIR", str(folder))
    return folder


def _chosen(kind: str, path: Path) -> dict[str, str | None]:
    preview = preview_file(kind, path)
    proposals = propose_columns(kind, preview.frame, extra_aliases=extra_aliases(kind))
    return {role: p.column for role, p in proposals.items()}


def test_police_export_imports_with_the_proposed_columns_only() -> None:
    """cp1252, ';', decimal comma, dd-mm-yyyy, X_koordinat/Y_koordinat: no column typed."""
    chosen = _chosen("incidents", POLICE)
    assert missing_roles("incidents", chosen) == []
    assert (chosen["x"], chosen["y"]) == ("X_koordinat", "Y_koordinat")
    assert (chosen["datetime"], chosen["time"]) == ("Anmeldelsesdato", "Klokkeslæt")
    # Without the proposals the loader finds no coordinates: the wizard is what makes it work.
    with pytest.raises(ColumnError) as caught:
        import_file("incidents", POLICE, dry_run=True)
    assert caught.value.roles == ("lat", "lon")
    result = import_upload("incidents", POLICE.name, POLICE.read_bytes(), columns=chosen)
    assert (result.rows_read, result.accepted) == (42, 40)
    assert sorted(result.rejected["reason"]) == ["impossible_date", "missing_coordinates"]
    assert Store().read("incidents")["category"].nunique() == 5


def test_gerningsdato_export_guesses_date_time_and_case_number() -> None:
    """Gerningsdato + Gerningstidspunkt (time of day only) + Journalnr beside Postnr: the page's
    proposals and the command line's guesses agree and every good row is accepted."""
    preview = preview_file("incidents", POLICE_BY_DATE)
    proposals = propose_columns(
        "incidents", preview.frame, extra_aliases=extra_aliases("incidents")
    )
    chosen = {role: p.column for role, p in proposals.items()}
    assert (chosen["datetime"], chosen["time"]) == ("Gerningsdato", "Gerningstidspunkt")
    assert chosen["id"] == "Journalnr"
    assert (chosen["x"], chosen["y"]) == ("Øst (UTM32)", "Nord (UTM32)")
    assert chosen["category"] == "Gerningskode"
    # the preview says why the "-tidspunkt" column is not the date
    assert "'Gerningstidspunkt' er kun klokkeslæt" in proposals["datetime"].reason
    assert "datoen fra 'Gerningsdato'" in proposals["time"].reason
    result = import_file("incidents", POLICE_BY_DATE, dry_run=True)  # the CLI's own guesses
    assert (result.rows_read, result.accepted) == (14, 12)
    assert sorted(result.rejected["reason"]) == ["impossible_date", "missing_coordinates"]
    assert result.id_column == "Journalnr"
    assert result.frame["incident_id"].str.startswith("5100-823").all()
    assert (result.frame["time"].dt.minute > 0).any()  # the time of day was read, not midnight
    paged = import_upload(
        "incidents", POLICE_BY_DATE.name, POLICE_BY_DATE.read_bytes(), columns=chosen, dry_run=True
    )
    assert paged.accepted == 12


def test_preview_of_an_upload_reads_like_the_loader() -> None:
    preview = preview_upload("incidents", POLICE.name, POLICE.read_bytes())
    assert preview.columns[:4] == ["Journalnr", "Anmeldelsesdato", "Klokkeslæt", "Gerningskode"]
    assert len(preview.frame) == 42
    assert preview.head()["Gerningskode"].str.len().min() > 0
    assert "cp1252" in preview.notes[0]
    assert not list((Store().root / "uploads").iterdir())  # the staged copy is gone


@pytest.mark.skipif(not DAGI.exists(), reason="the DAGI files are not beside the project")
def test_dagi_postal_areas_are_proposed_by_name_and_import() -> None:
    chosen = _chosen("districts", DAGI)
    assert chosen == {"id": "POSTNR_TXT", "name": "POSTBYNAVN", "population": None, "group": None}
    result = import_file("districts", DAGI, columns=chosen, dry_run=True)
    assert result.accepted == 592 and result.rows_read == 805


def test_missing_id_on_the_command_line_names_the_option(tmp_path: Path, capsys) -> None:
    path = tmp_path / "d.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"areal": 1.5},
                        "geometry": {
                            "type": "Polygon",
                            "coordinates": [
                                [[9.9, 57.0], [9.91, 57.0], [9.91, 57.01], [9.9, 57.0]]
                            ],
                        },
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    code = main(["import", "districts", str(path)])
    err = capsys.readouterr().err
    assert code == 1
    assert "--id-col" in err


def test_template_command_writes_a_workbook_that_imports(tmp_path: Path, capsys) -> None:
    out = tmp_path / "ambassadoerer.xlsx"
    assert main(["template", "indsats/tryghedsambassadoerer", "--out", str(out)]) == 0
    assert "ambassadoer_timer" in capsys.readouterr().out
    book = load_workbook(out)
    book["ambassadoer_timer"]["E2"] = 12.5
    book["ambassadoerer_aktive"]["E2"] = 7
    book.save(out)
    assert main(["import", "measurements", str(out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["rows_read"], report["accepted"], report["rejected"]) == (2, 2, 0)
    stored = Store().read("measurements").sort_values("indicator")
    assert stored["indicator"].tolist() == ["ambassadoer_timer", "ambassadoerer_aktive"]
    assert stored["value"].tolist() == [12.5, 7.0]


def test_template_of_an_unknown_initiative_is_a_usage_error(tmp_path: Path, capsys) -> None:
    code = main(["template", "indsats/findes-ikke", "--out", str(tmp_path / "x.xlsx")])
    assert code == 2
    assert "tryg-bydel" in capsys.readouterr().err


def test_cli_error_proposes_the_columns_the_wizard_would(capsys) -> None:
    """CLI = UI: the command line names the columns the page pre-fills, as options."""
    code = main(["import", "incidents", str(POLICE), "--dry-run"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Forslag ud fra indholdet: --x-col X_koordinat --y-col Y_koordinat. 'X_koordinat'" in err
    assert err.rstrip().endswith("m).")
    code = main(
        [
            "import",
            "incidents",
            str(POLICE),
            "--dry-run",
            "--x-col",
            "X_koordinat",
            "--y-col",
            "Y_koordinat",
        ]
    )
    assert code == 0
    assert "40" in capsys.readouterr().out


def test_preview_of_a_long_csv_reads_the_first_rows_and_counts_the_rest(tmp_path) -> None:
    """The preview parses what the proposals look at; the check reads the whole file once."""
    from tryg_geo.ingest.detect_content import SAMPLE_ROWS

    total = SAMPLE_ROWS + 321
    lines = ["Udtræk fra politiet", "", "dato;kategori;lat;lon"]
    lines += [f"0{1 + i % 9}-03-2024;Vold;57,04{i % 10};9,91" for i in range(total)]
    path = tmp_path / "lang.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    preview = preview_file("incidents", path)
    assert len(preview.frame) == SAMPLE_ROWS
    assert (preview.row_count, preview.rows_exact) == (total, False)
    assert import_file("incidents", path, dry_run=True).rows_read == total
    short = preview_file("incidents", POLICE)
    assert (short.row_count, short.rows_exact) == (len(short.frame), True)
