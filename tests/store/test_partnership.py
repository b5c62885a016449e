"""``partnerskab.toml``: Tryg Aalborg without it, every key checked with a Danish error, and a
change seen by every cache (it is part of the data version)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tryg_geo.errors import UsageError
from tryg_geo.store.folder import Store
from tryg_geo.store.partnership import PARTNERSHIP_FILE, Partnership, load_partnership


def write(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / PARTNERSHIP_FILE).write_text(text, encoding="utf-8")
    return folder


def test_without_a_file_it_is_tryg_aalborg(tmp_path: Path) -> None:
    partnership = load_partnership(tmp_path)
    assert partnership == Partnership()
    assert (partnership.name, partnership.kommune, partnership.kommune_code) == (
        "Tryg Aalborg", "Aalborg Kommune", "0851",
    )  # fmt: skip
    assert partnership.genitive == "Tryg Aalborgs" and partnership.colour is None


def test_a_partial_file_keeps_the_other_defaults(tmp_path: Path) -> None:
    folder = write(tmp_path, 'navn = "Tryg Aarhus"\nkommune = "Aarhus Kommune"\n')
    partnership = load_partnership(folder)
    assert (partnership.name, partnership.genitive) == ("Tryg Aarhus", "Tryg Aarhus'")
    assert partnership.kommune_code == Partnership().kommune_code


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('navn = "Tryg Aarhus', "kan ikke læses"),
        ('by = "Aarhus"', "ukendt nøgle 'by'; tilladte nøgler er navn, kommune"),
        ('navn = ""', "navn = '' kan ikke bruges; navn skal være partnerskabets navn"),
        ('kommunekode = "08510"', "kommunekode = '08510' kan ikke bruges; kommunekode skal være"),
        (
            'farve = "blå"',
            "farve = 'blå' kan ikke bruges; farve skal være en farve som \"#rrggbb\"",
        ),
        ('partnere = "Politiet"', "partnere = 'Politiet' kan ikke bruges"),
        ('logo = "../logo.png"', "logo = '../logo.png' kan ikke bruges"),
        ('logo = "logo.png"', "findes ikke som PNG- eller JPEG-fil i data-mappen"),
    ],
)
def test_a_broken_file_is_refused_in_danish(tmp_path: Path, text: str, words: str) -> None:
    folder = write(tmp_path, text)
    with pytest.raises(UsageError) as caught:
        load_partnership(folder)
    assert words in caught.value.message and PARTNERSHIP_FILE in caught.value.message


@pytest.mark.parametrize(
    "written", ["kommunekode = 751", 'kommunekode = "751"', 'kommunekode = " 0751 "']
)
def test_a_kommune_code_is_read_as_the_import_reads_it(tmp_path: Path, written: str) -> None:
    # Excel and a TOML integer drop the leading zero; --kommune 751 is accepted, so is this.
    assert load_partnership(write(tmp_path, written)).kommune_code == "0751"


def test_a_change_changes_the_data_version(tmp_path: Path) -> None:
    store = Store(tmp_path / "data")
    before = store.version()
    write(store.root, 'navn = "Tryg Aarhus"\n')
    assert store.version() != before
    assert store.partnership().name == "Tryg Aarhus"
