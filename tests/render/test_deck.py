"""The steering-group deck: PowerPoint and PDF with the same pages, a picture and speaker notes
per view, the initiatives without data on their own slide, and the discretion rule kept."""

from __future__ import annotations

import dataclasses
import io
import re
from datetime import date
from pathlib import Path

import pytest
import tiny_data
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from tiny_data import X0, Y0, incidents_at, measurement

import tryg_geo.render.deck as deck
import tryg_geo.render.pack as pack
from tryg_geo.cli import main
from tryg_geo.compute.registry import all_indicators
from tryg_geo.compute.series import COUNT_UNITS
from tryg_geo.errors import ExportError, UsageError
from tryg_geo.fmt import day
from tryg_geo.render.deck_emerging import emerging_slide_view
from tryg_geo.store.dataset import Dataset
from tryg_geo.store.partnership import Partnership
from tryg_geo.views.registry import build_view, default_filters

EARLY = {"preset": "custom", "fra": "2015-02-01", "til": "2015-03-31"}  # before most initiatives
EXTRACTED = date(2026, 11, 25)
UNIT_BY_LABEL = {ind.label: ind.unit for _, ind in all_indicators()}


@pytest.fixture(scope="module")
def ds(demo_ds) -> Dataset:
    return demo_ds


@pytest.fixture(scope="module")
def filters(ds):
    return default_filters(ds, EARLY)


@pytest.fixture(scope="module")
def pptx_deck(ds, filters) -> deck.Deck:
    return deck.make_deck(ds, filters, "pptx", extracted=EXTRACTED)


@pytest.fixture(scope="module")
def pdf_deck(ds, filters) -> deck.Deck:
    return deck.make_deck(ds, filters, "pdf", extracted=EXTRACTED)


@pytest.fixture(scope="module")
def prs(pptx_deck):
    return Presentation(io.BytesIO(pptx_deck.data))


def pictures(slide) -> list:
    return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text


def test_slides_in_order_with_titles(prs, pptx_deck, ds, filters):
    shown = [p for p in pack.plan_views(ds, filters, keep=deck.in_deck) if p.view is not None]
    # Two months at the data's start hold fewer than 8 quarters: no emerging slide.
    assert emerging_slide_view(ds, filters, "leder") is None
    expected = [deck.deck_title(ds)] + [p.view.title for p in shown]
    expected += [deck.NO_DATA_TITLE, deck.CLOSING_TITLE]
    assert [s.shapes.title.text for s in prs.slides] == expected
    assert [p.key for p in shown][:4] == ["overblik", "tryg-bydel", "natteliv", "byens-rum"]
    assert all(p.key.startswith("indsats/") for p in shown[4:])
    assert any(p.key.startswith("indsats/") for p in shown)
    assert pptx_deck.view_slides == len(shown)


def test_the_emerging_slide_is_the_category_map_as_the_role_may_have_it(ds):
    filters = default_filters(ds, {"preset": "custom", "fra": "2023-01-01", "til": "2025-12-31"})
    leader = emerging_slide_view(ds, filters, "leder")
    assert leader is not None and leader.demo and leader.map is not None
    assert leader.map.legend.title.startswith("Mønster over 12 perioder")
    assert leader.display.columns.tolist() == ["Mønster", "Celler"]
    assert not [c for c in leader.table.columns if c.startswith(("z_", "mk_"))]
    analyst = emerging_slide_view(ds, filters, "analytiker")
    assert [c for c in analyst.table.columns if c.startswith("z_")]
    slides, _ = deck.deck_slides(ds, filters, [], role="leder")
    assert [s.view.title for s in slides if s.view is not None] == [leader.title]


def test_the_deck_takes_the_meeting_views_only():
    keys = ["overblik", "analyse", "natteliv", "indsats/fri-tid", "noget-nyt"]
    assert [k for k in keys if deck.in_deck(k)] == ["overblik", "natteliv", "indsats/fri-tid"]


def test_sixteen_by_nine(prs, pdf_deck):
    assert prs.slide_width * 9 == prs.slide_height * 16
    for page in PdfReader(io.BytesIO(pdf_deck.data)).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width * 9 == pytest.approx(height * 16)


def test_one_picture_per_map_and_none_elsewhere(prs, pptx_deck):
    """The map is the only picture of a slide, placed in its box (not over the slide)."""
    for slide, planned in zip(prs.slides, pptx_deck.slides, strict=True):
        found = pictures(slide)
        if planned.view is None or planned.view.map is None:
            assert found == [], slide.shapes.title.text
            continue
        (picture,) = found
        image = Image.open(io.BytesIO(picture.image.blob))
        assert image.format == "PNG"
        assert image.size[0] >= picture.width / 914_400 * 150  # sharp: at least 150 dpi
        assert picture.width < prs.slide_width and picture.top > prs.slide_height // 5


def test_speaker_notes_hold_the_views_own_texts_period_and_source(prs, pptx_deck, filters):
    period = f"{day(filters.start)}–{day(filters.end)}"
    for slide, planned in zip(prs.slides, pptx_deck.slides, strict=True):
        text = notes(slide)
        assert text.strip(), slide.shapes.title.text
        assert period in text
        view = planned.view
        if view is None:
            continue
        assert view.source in text
        assert f"\n\nPeriode: {period}.\n{view.source}" in text
        for kpi in view.kpis:
            assert f"{kpi.label}: {kpi.value}" in text
        for sentence in view.highlights:
            assert sentence in text


def test_overblik_notes_read_like_the_dashboard(prs, pptx_deck):
    index = next(i for i, s in enumerate(pptx_deck.slides) if s.view and s.view.key == "overblik")
    text = notes(prs.slides[index])
    view = pptx_deck.slides[index].view
    assert text.startswith(f"{view.title}\n{view.subtitle}\n\nNøgletal:\n• ")
    assert "Det vigtigste:\n• " + view.highlights[0] in text


def test_cover_says_period_extraction_date_and_demodata(prs, filters):
    text = slide_text(prs.slides[0])
    assert "Tryg Aalborg – styregruppemøde" in text  # the default partnership
    assert f"Periode {day(filters.start)}–{day(filters.end)}" in text
    assert "Data udtrukket 25.11.2026" in text
    assert Partnership().partners_line in text
    assert "Demodata" in text and "DEMODATA" in text


def test_no_data_slide_lists_the_initiatives_without_data(prs, pptx_deck, ds, filters):
    left_out = pptx_deck.left_out
    assert left_out and all(p.key.startswith("indsats/") for p in left_out)
    for planned in left_out:
        assert len(build_view(planned.key, ds, filters).table) == 0
    slide = prs.slides[len(prs.slides) - 2]
    assert slide.shapes.title.text == deck.NO_DATA_TITLE
    text = slide_text(slide)
    for planned in left_out:
        assert planned.title in text
    titles = [s.shapes.title.text for s in prs.slides]
    assert not set(p.title for p in left_out) & set(titles)


def test_closing_slide_names_sources_and_discretion(prs):
    slide = prs.slides[len(prs.slides) - 1]
    text = slide_text(slide)
    assert "Kilder: Nordjyllands Politi (anmeldelser); Tryghedsundersøgelsen" in text
    assert "Diskretion: tal under 5 vises ikke" in text and "'<5'" in text
    assert "Demodata" in text


def test_pdf_has_the_same_pages(pdf_deck, pptx_deck, prs, filters):
    reader = PdfReader(io.BytesIO(pdf_deck.data))
    assert len(reader.pages) == len(prs.slides) == len(pptx_deck.slides)
    assert reader.metadata.title == "Tryg Aalborg – styregruppemøde"
    cover = reader.pages[0].extract_text()
    assert "styregruppemøde" in cover and "DEMODATA" in cover
    assert f"{day(filters.start)}–{day(filters.end)}" in cover
    for page, slide in zip(reader.pages[1:-2], pptx_deck.slides[1:-2], strict=True):
        assert slide.view is not None
        assert slide.view.title.split(" – ")[0] in page.extract_text()
    assert deck.NO_DATA_TITLE in reader.pages[-2].extract_text()
    assert "Kilder" in reader.pages[-1].extract_text()


def test_progress_goes_from_zero_to_done(ds, filters, monkeypatch):
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv", "indsats/patientens-team"])
    seen: list[tuple[float, str]] = []
    result = deck.make_deck(ds, filters, "pdf", progress=lambda s, t: seen.append((s, t)))
    shares = [s for s, _ in seen]
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    assert any("(1 af 1)" in text for _, text in seen)
    assert [s.title for s in result.slides][-2:] == [deck.NO_DATA_TITLE, deck.CLOSING_TITLE]
    assert result.file_name == "tryg-geo_styregruppe_2015-02-01_2015-03-31.pdf"
    assert result.mime == "application/pdf"


def test_format_follows_the_suffix(ds, filters, tmp_path, monkeypatch):
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv"])
    written = deck.write_deck(ds, tmp_path / "møde.PDF", filters)
    assert (tmp_path / "møde.PDF").read_bytes()[:5] == b"%PDF-"
    assert written.fmt == "pdf" and len(written.slides) == 3  # cover, natteliv, closing
    deck.write_deck(ds, tmp_path / "ud" / "møde.pptx", filters)
    assert (tmp_path / "ud" / "møde.pptx").read_bytes()[:2] == b"PK"
    with pytest.raises(UsageError, match=r"\.pptx \(PowerPoint\) eller \.pdf"):
        deck.write_deck(ds, tmp_path / "møde.key", filters)
    with pytest.raises(UsageError, match="pptx eller pdf"):
        deck.make_deck(ds, filters, "odp")
    assert not (tmp_path / "møde.key").exists()


def test_a_view_that_breaks_discretion_stops_the_whole_deck(ds, tmp_path, monkeypatch):
    real = pack.build_view

    def leaky(key, ds_, filters_):
        view = real(key, ds_, filters_)
        if key != "natteliv":
            return view
        table = view.table.copy()
        table.loc[table.index[0], "incidents"] = 2
        return dataclasses.replace(view, table=table)

    monkeypatch.setattr(pack, "build_view", leaky)
    out = tmp_path / "møde.pptx"
    with pytest.raises(ExportError, match="Præsentationen blev ikke lavet: tallene for 'natteliv'"):
        deck.write_deck(ds, out, default_filters(ds, {}))
    assert not out.exists()


# ---- discretion on data full of small counts --------------------------------------------------
@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Dataset:
    """Counts from 1 to 4 in districts, places, nights and measurements; not demo data."""
    b = (X0 + 1_512.7, Y0 + 311.9)
    return tiny_data.build(
        tmp_path_factory.mktemp("tiny"),
        incidents=[
            incidents_at(3, when="2025-06-14 01:00", where="nytorv"),
            incidents_at(12, when="2025-07-05 12:00", where="jf-kennedys-plads"),
            incidents_at(4, category="hærværk", when="2025-06-14 23:00", where="jomfru-ane-gade"),
            incidents_at(2, category="røveri", when="2025-09-01 12:00", where=b),
            incidents_at(9, category="indbrud i beboelse", when="2025-04-02 10:00", where=b),
            incidents_at(7, category="trusler", when="2024-06-15 01:00", where="havnefronten"),
        ],
        measurements=[
            measurement("tryg_andel", "a", "2025", 0.8, 3),
            measurement("tryg_andel", "b", "2025", 0.9, 50),
            measurement("tryg_andel", "kommune", "2025", 0.85, 93),
            measurement("klager", "nytorv", "2025-05", 2),
            measurement("klager", "gammeltorv", "2025-05", 11),
            measurement("patientforloeb", "kommune", "2025-03", 4),
            measurement("genindlaeggelse_andel", "kommune", "2025", 0.5, 2),
        ],
        demo=False,
    )


def kpi_lines(text: str) -> list[str]:
    """The key-figure bullets of a slide's notes."""
    section = text.partition("Nøgletal:\n")[2].split("\n\n")[0]
    return [line.removeprefix("• ") for line in section.splitlines()]


def test_no_count_below_five_in_notes_or_text(tiny):
    filters = default_filters(tiny, {"preset": "custom", "fra": "2025-01-01", "til": "2025-12-31"})
    made = deck.make_deck(tiny, filters, "pptx", extracted=EXTRACTED)
    prs = Presentation(io.BytesIO(made.data))
    hidden = 0
    for slide in prs.slides:
        text = notes(slide)
        assert not re.search(r"\bn\s*=\s*[1-4]\b", text), text
        for line in kpi_lines(text):
            label, _, rest = line.partition(": ")
            unit = next((u for lbl, u in UNIT_BY_LABEL.items() if label.startswith(lbl)), None)
            if "Hændelser" in label or unit in COUNT_UNITS:
                value = rest.split(" (")[0].split(". ")[0]
                assert not tiny_data.small_counts_in_text([value]), line
                hidden += "<5" in value
    for slide, planned in zip(prs.slides, made.slides, strict=True):
        if planned.view is None:  # the deck's own text: cover, Uden data, closing
            assert not tiny_data.small_counts_in_text([slide_text(slide), notes(slide)])
            continue
        for shape in slide.shapes:  # charts: hidden periods are gaps, never a small count
            if shape.has_chart:
                for series in shape.chart.plots[0].series:
                    values = [v for v in series.values if v is not None]
                    units = {f"Graf: {t.title}": t.unit for t in planned.view.trends}
                    if units.get(shape.name) in COUNT_UNITS:
                        assert not [v for v in values if 0 < v < 5], (shape.name, values)
    assert hidden > 0  # there was something to hide, and it was hidden
    assert "Demodata" not in "\n".join(slide_text(s) + notes(s) for s in prs.slides)


def test_output_folder_error_is_an_export_error(ds, filters, tmp_path, monkeypatch):
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv"])
    blocker = tmp_path / "fil"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="kan ikke laves"):
        deck.write_deck(ds, Path(blocker / "under" / "møde.pdf"), filters)


def test_cli_deck(demo_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    monkeypatch.setattr(pack, "view_keys", lambda: ["natteliv", "indsats/patientens-team"])
    out = tmp_path / "møde.pptx"
    args = ["deck", "--out", str(out), "--from", "01-02-2015", "--to", "31-03-2015"]
    code = main([*args, "--category", "vold"])
    stdout, err = capsys.readouterr()
    assert code == 0, err
    assert stdout.strip() == (
        f"Præsentation gemt: {out} (PowerPoint, 4 sider: 1 visning, 1 uden data) – Demodata"
    )
    prs = Presentation(out)
    assert [s.shapes.title.text for s in prs.slides][2:] == [
        deck.NO_DATA_TITLE,
        deck.CLOSING_TITLE,
    ]
    assert "Kategorier: vold" in slide_text(prs.slides[0])
    assert main(["deck", "--out", str(tmp_path / "møde.pdf")]) == 0
    # The last 12 months: Natteliv, the emerging hot spots (12 quarters back), cover, closing.
    assert len(PdfReader(tmp_path / "møde.pdf").pages) == 5


def test_cli_deck_errors(demo_dir, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRYG_DATA_DIR", str(demo_dir))
    assert main(["deck"]) == 2
    assert "--out mangler" in capsys.readouterr().err
    assert main(["deck", "--out", str(tmp_path / "møde.docx")]) == 2
    assert ".pptx (PowerPoint) eller .pdf" in capsys.readouterr().err
    assert main(["deck", "--out", str(tmp_path / "m.pdf"), "--from", "31-13-2025"]) == 2
    assert "--from '31-13-2025' er ikke en dato" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())
