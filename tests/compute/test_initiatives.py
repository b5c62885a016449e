"""The registry of Tryg Aalborg's 17 indsatser: the shipped file and every validation error."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tryg_geo.compute.registry import (
    Indicator,
    Initiative,
    all_indicators,
    get_initiative,
    load_initiatives,
)
from tryg_geo.compute.registry_model import AREAS, CATEGORIES, PARTNERS, SOURCES, UNITS
from tryg_geo.errors import UsageError

TITLES = [
    "Tryg bydel",
    "Patientens team",
    "FRI-TID",
    "Formidling af viden om tryghed",
    '"En Vej Ind"',
    "Børne- og ungesamråd",
    "Et trygt natteliv",
    "Sikkerhed på havnefronten",
    "Antiradikalisering",
    "Forebyggelsesseminarer",
    "Trivsel for pårørende",
    "Socialt udsatte i byens rum og pladser",
    "Introforløb for flygtninge",
    "Tryghedsambassadører",
    "Bekymrende fravær i skolen",
    "Tryghedsvandringer",
    "Demensindsatser",
]


# --- the shipped registry ---------------------------------------------------------------------


def test_all_17_initiatives_with_exact_titles_in_order() -> None:
    assert [i.title for i in load_initiatives()] == TITLES


def test_slugs_are_kebab_case_ascii_and_unique() -> None:
    slugs = [i.slug for i in load_initiatives()]
    assert len(set(slugs)) == 17
    for slug in slugs:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug), slug
    for slug in ("tryg-bydel", "et-trygt-natteliv", "sikkerhed-paa-havnefronten", "en-vej-ind"):
        assert slug in slugs


def test_every_initiative_is_complete() -> None:
    for ini in load_initiatives():
        assert ini.partners and set(ini.partners) <= set(PARTNERS)
        assert 1 <= len(ini.indicators) <= 3
        assert ini.description.count(".") >= 2, ini.slug
        assert ini.data_needed.endswith("."), ini.slug


def test_every_indicator_is_of_a_real_kind() -> None:
    pairs = all_indicators()
    ids = [ind.id for _, ind in pairs]
    assert len(ids) == len(set(ids))
    for ini, ind in pairs:
        assert ind.source in SOURCES, (ini.slug, ind.id)
        assert ind.unit in UNITS
        assert ind.area in AREAS
        assert ind.help.strip() and ind.label.strip()
        if ind.source == "incidents":
            assert set(ind.categories) <= set(CATEGORIES)
            assert ind.indicator is None
        else:
            assert ind.indicator
            assert ind.measurement_name == ind.indicator
        if ind.source == "place_observation":
            assert ind.area == "place" and ind.places
        if ind.unit == "andel" and ind.target is not None:
            assert 0 <= ind.target <= 1


def test_every_headline_resolves() -> None:
    for ini in load_initiatives():
        assert ini.headline_indicator.id == ini.headline
        assert ini.headline_indicator in ini.indicators


def test_domain_shape_of_key_initiatives() -> None:
    bydel = get_initiative("tryg-bydel")
    assert bydel.headline == "tryg_andel"
    tryg = bydel.headline_indicator
    assert (tryg.source, tryg.unit, tryg.area, tryg.higher_is_better) == (
        "measurement",
        "andel",
        "district",
        True,
    )
    assert tryg.target == pytest.approx(0.9)
    ids = {i.id: i for i in bydel.indicators}
    assert "tillid_politi_andel" in ids
    assert ids["indbrud_pr_1000"].categories == ("indbrud i beboelse",)
    assert ids["indbrud_pr_1000"].unit == "pr_1000"

    night = get_initiative("et-trygt-natteliv").headline_indicator
    assert night.source == "incidents" and night.night_only and night.zone == "jomfru-ane-gade"
    assert {"vold", "trusler"} <= set(night.categories)
    assert "tryg_natteliv_andel" in {i.id for i in get_initiative("et-trygt-natteliv").indicators}

    fravaer = get_initiative("bekymrende-fravaer-i-skolen").headline_indicator
    assert fravaer.id == "bekymrende_fravaer_andel" and fravaer.higher_is_better is False


def test_shared_place_observation_names_agree() -> None:
    by_name: dict[str, set[tuple[str, bool]]] = {}
    for _, ind in all_indicators():
        if ind.source != "incidents":
            by_name.setdefault(ind.measurement_name, set()).add((ind.unit, ind.higher_is_better))
    assert all(len(v) == 1 for v in by_name.values())
    places = {
        p
        for _, ind in all_indicators()
        if ind.measurement_name == "personer_til_stede"
        for p in ind.places
    }
    assert {"havnefronten", "nytorv", "gammeltorv"} <= places


def test_default_registry_is_cached_and_explicit_path_is_equal(tmp_path: Path) -> None:
    first = load_initiatives()
    assert load_initiatives() == first
    assert load_initiatives()[0] is first[0]
    copy = tmp_path / "kopi.toml"
    copy.write_text(
        (Path(__file__).parents[2] / "tryg_geo" / "compute" / "initiatives.toml").read_text(
            "utf-8"
        ),
        "utf-8",
    )
    assert load_initiatives(copy) == first


def test_get_initiative_unknown_slug_lists_allowed() -> None:
    with pytest.raises(
        UsageError, match=r"Ukendt indsats 'tryg-by'\. Tilladte værdier: .*'tryg-bydel'"
    ):
        get_initiative("tryg-by")


def test_measurement_name_falls_back_to_id() -> None:
    ind = Indicator(
        id="x_andel",
        label="X",
        unit="andel",
        source="measurement",
        area="kommune",
        higher_is_better=True,
        help="Hjælp.",
    )
    assert ind.measurement_name == "x_andel"


def test_headline_indicator_of_hand_built_initiative_raises() -> None:
    ind = Indicator("a", "A", "antal", "measurement", "kommune", True, "Hjælp.", indicator="a")
    ini = Initiative("x", "X", ("Kommune",), "D.", "b", "Data.", (ind,))
    with pytest.raises(
        UsageError, match=r"feltet 'headline' har værdien 'b'.*Tilladte værdier: 'a'"
    ):
        _ = ini.headline_indicator


# --- validation errors ------------------------------------------------------------------------

INITIATIVE = """
[[initiative]]
slug = "{slug}"
title = "Prøve"
partners = {partners}
description = "En prøve. Kun til test."
headline = "{headline}"
data_needed = "Kræver målingen proeve_antal."
{extra_initiative}
"""

INDICATOR = """
[[initiative.indicator]]
id = "{id}"
label = "Prøve"
unit = "{unit}"
source = "{source}"
area = "{area}"
higher_is_better = true
help = "Sådan måles det."
{extra}
"""


def _initiative(
    slug: str = "proeve",
    partners: str = '["Kommune"]',
    headline: str = "proeve_antal",
    extra_initiative: str = "",
) -> str:
    return INITIATIVE.format(
        slug=slug, partners=partners, headline=headline, extra_initiative=extra_initiative
    )


def _indicator(
    id: str = "proeve_antal",
    unit: str = "antal",
    source: str = "measurement",
    area: str = "kommune",
    extra: str = 'indicator = "proeve_antal"',
) -> str:
    return INDICATOR.format(id=id, unit=unit, source=source, area=area, extra=extra)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "indsatser.toml"
    path.write_text(text, "utf-8")
    return path


def _raises(tmp_path: Path, text: str, pattern: str) -> str:
    path = _write(tmp_path, text)
    with pytest.raises(UsageError, match=pattern) as info:
        load_initiatives(path)
    assert str(path) in str(info.value)
    return str(info.value)


def test_minimal_file_loads(tmp_path: Path) -> None:
    [ini] = load_initiatives(_write(tmp_path, _initiative() + _indicator()))
    assert ini.slug == "proeve" and ini.headline_indicator.measurement_name == "proeve_antal"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"Filen med indsatser findes ikke: .*mangler\.toml"):
        load_initiatives(tmp_path / "mangler.toml")


def test_invalid_toml(tmp_path: Path) -> None:
    _raises(tmp_path, "[[initiative]\nslug = ", r"ikke gyldig TOML")


def test_empty_file(tmp_path: Path) -> None:
    _raises(tmp_path, "", r"feltet 'initiative' mangler eller er tomt")


def test_unknown_top_level_key(tmp_path: Path) -> None:
    text = "version = 2\n" + _initiative() + _indicator()
    _raises(
        tmp_path,
        text,
        r"filen: ukendt felt 'version' med værdien 2\. Tilladte felter: 'initiative'",
    )


def test_unknown_initiative_key(tmp_path: Path) -> None:
    text = _initiative(extra_initiative='budget = "stort"') + _indicator()
    _raises(
        tmp_path,
        text,
        r"indsatsen 'proeve': ukendt felt 'budget' med værdien 'stort'\. Tilladte felter: 'slug'.*",
    )


def test_unknown_indicator_key(tmp_path: Path) -> None:
    text = _initiative() + _indicator(extra='indicator = "proeve_antal"\nfarve = "rød"')
    _raises(
        tmp_path,
        text,
        r"indsatsen 'proeve', indikatoren 'proeve_antal': ukendt felt 'farve'.*Tilladte felter: "
        r"'id', 'label'",
    )


@pytest.mark.parametrize("field", ["title", "description", "headline", "data_needed", "partners"])
def test_missing_initiative_field(tmp_path: Path, field: str) -> None:
    text = "\n".join(
        line
        for line in (_initiative() + _indicator()).splitlines()
        if not line.startswith(f"{field} =")
    )
    _raises(tmp_path, text, rf"indsatsen 'proeve': feltet '{field}' mangler")


def test_missing_slug_names_the_position(tmp_path: Path) -> None:
    text = (_initiative() + _indicator()).replace('slug = "proeve"\n', "")
    _raises(tmp_path, text, r"indsats nr\. 1: feltet 'slug' mangler")


def test_initiative_without_indicators(tmp_path: Path) -> None:
    _raises(tmp_path, _initiative(), r"indsatsen 'proeve': feltet 'indicator' mangler")


def test_too_many_indicators(tmp_path: Path) -> None:
    text = _initiative(headline="a") + "".join(
        _indicator(id=i, extra=f'indicator = "{i}"') for i in ("a", "b", "c", "d")
    )
    _raises(tmp_path, text, r"indsatsen 'proeve': har 4 tabeller .*Tilladt: 1 til 3")


@pytest.mark.parametrize("field", ["label", "unit", "source", "area", "higher_is_better", "help"])
def test_missing_indicator_field(tmp_path: Path, field: str) -> None:
    text = "\n".join(
        line
        for line in (_initiative() + _indicator()).splitlines()
        if not line.startswith(f"{field} =")
    )
    _raises(tmp_path, text, rf"indikatoren 'proeve_antal': feltet '{field}' mangler")


def test_bad_slug(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative(slug="Tryg_Bydel") + _indicator(),
        r"indsats nr\. 1: feltet 'slug' har værdien 'Tryg_Bydel', som ikke er tilladt\. "
        r"Tilladte værdier: små bogstaver",
    )


def test_bad_indicator_id(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative(headline="Proeve-Antal") + _indicator(id="Proeve-Antal"),
        r"indikator nr\. 1: feltet 'id' har værdien 'Proeve-Antal'",
    )


def test_unknown_source(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(source="survey"),
        r"indsatsen 'proeve', indikatoren 'proeve_antal': feltet 'source' har værdien 'survey', "
        r"som ikke er tilladt\. "
        r"Tilladte værdier: 'incidents', 'measurement', 'place_observation'\.",
    )


def test_unknown_unit(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(unit="procent"),
        r"feltet 'unit' har værdien 'procent'.*Tilladte værdier: 'andel', 'antal', 'pr_1000', "
        r"'personer', 'timer', 'score'\.",
    )


def test_unknown_area(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(area="sogn"),
        r"feltet 'area' har værdien 'sogn'.*Tilladte værdier: 'district', 'kommune', 'place'\.",
    )


def test_unknown_partner(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative(partners='["Kommune", "Region"]') + _indicator(),
        r"indsatsen 'proeve': feltet 'partners' har værdien 'Region'.*"
        r"Tilladte værdier: 'Kommune', 'Politi', 'Psykiatri'\.",
    )


def test_empty_partners(tmp_path: Path) -> None:
    _raises(
        tmp_path, _initiative(partners="[]") + _indicator(), r"feltet 'partners' har værdien \[\]"
    )


def test_headline_not_among_indicators(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative(headline="tryg_andel") + _indicator(),
        r"indsatsen 'proeve': feltet 'headline' har værdien 'tryg_andel', som ikke er tilladt\. "
        r"Tilladte værdier: 'proeve_antal'\.",
    )


def test_duplicate_slug(tmp_path: Path) -> None:
    text = (
        _initiative()
        + _indicator()
        + _initiative(headline="andet_antal")
        + _indicator(id="andet_antal", extra='indicator = "andet_antal"')
    )
    _raises(
        tmp_path, text, r"indsats nr\. 2: feltet 'slug' har værdien 'proeve', som allerede er brugt"
    )


def test_duplicate_indicator_id_across_initiatives(tmp_path: Path) -> None:
    text = _initiative() + _indicator() + _initiative(slug="anden") + _indicator()
    _raises(
        tmp_path,
        text,
        r"indsatsen 'anden', indikatoren 'proeve_antal': feltet 'id' har værdien 'proeve_antal', "
        r"som allerede er brugt i indsatsen 'proeve'",
    )


def test_incidents_without_categories(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(source="incidents", extra=""),
        r"indikatoren 'proeve_antal': feltet 'categories' mangler\. Det skal være en liste med "
        r"værdier blandt 'vold', 'trusler'",
    )


def test_incidents_with_unknown_category(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(source="incidents", extra='categories = ["vold", "slagsmål"]'),
        r"feltet 'categories' har værdien 'slagsmål', som ikke er tilladt\. Tilladte værdier: "
        r"'vold', 'trusler', 'indbrud i beboelse'.*'brandstiftelse'\.",
    )


def test_incidents_with_empty_categories_means_all(tmp_path: Path) -> None:
    [ini] = load_initiatives(
        _write(tmp_path, _initiative() + _indicator(source="incidents", extra="categories = []"))
    )
    assert ini.indicators[0].categories == ()


def test_incidents_with_measurement_name(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative()
        + _indicator(source="incidents", extra='categories = []\nindicator = "proeve_antal"'),
        r"feltet 'indicator' gælder ikke for source 'incidents'\. Det er kun tilladt for source "
        r"'measurement', 'place_observation'\.",
    )


def test_incidents_unit_must_be_a_count(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(source="incidents", unit="andel", extra="categories = []"),
        r"feltet 'unit' har værdien 'andel'.*Tilladte værdier: 'antal', 'pr_1000'\.",
    )


def test_incidents_zone_needs_place_area(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative()
        + _indicator(source="incidents", extra='categories = ["vold"]\nzone = "havnefronten"'),
        r"feltet 'area' har værdien 'kommune'.*'place', når feltet 'zone' er sat",
    )


def test_incidents_bad_zone_id(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative()
        + _indicator(
            source="incidents", area="place", extra='categories = ["vold"]\nzone = "Jomfru Ane"'
        ),
        r"feltet 'zone' har værdien 'Jomfru Ane'",
    )


def test_night_only_must_be_bool(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(source="incidents", extra='categories = []\nnight_only = "ja"'),
        r"feltet 'night_only' har værdien 'ja'.*Tilladte værdier: true, false\.",
    )


def test_measurement_without_indicator_name(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(extra=""),
        r"indikatoren 'proeve_antal': feltet 'indicator' mangler\. "
        r"Det skal være navnet på målingen",
    )


def test_measurement_with_categories(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(extra='indicator = "proeve_antal"\ncategories = ["vold"]'),
        r"feltet 'categories' gælder ikke for source 'measurement'\. Det er kun tilladt for "
        r"source 'incidents'\.",
    )


def test_measurement_at_place_area(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(area="place"),
        r"feltet 'area' har værdien 'place'.*Tilladte værdier: 'district', 'kommune'\.",
    )


def test_place_observation_needs_places(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(source="place_observation", area="place"),
        r"feltet 'places' mangler",
    )


def test_place_observation_loads(tmp_path: Path) -> None:
    extra = 'indicator = "klager"\nplaces = ["nytorv", "gammeltorv"]'
    [ini] = load_initiatives(
        _write(
            tmp_path,
            _initiative() + _indicator(source="place_observation", area="place", extra=extra),
        )
    )
    assert ini.indicators[0].places == ("nytorv", "gammeltorv")
    assert ini.indicators[0].measurement_name == "klager"


def test_shared_measurement_name_with_other_unit(tmp_path: Path) -> None:
    text = (
        _initiative()
        + _indicator()
        + _initiative(slug="anden", headline="andet")
        + _indicator(id="andet", unit="personer")
    )
    _raises(
        tmp_path,
        text,
        r"indikatoren 'andet': feltet 'unit' har værdien 'personer', men målingen 'proeve_antal' "
        r"bruges også af indsatsen 'proeve'.*Tilladt værdi: 'antal'\.",
    )


def test_share_target_outside_0_1(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(unit="andel", extra='indicator = "proeve_antal"\ntarget = 90'),
        r"feltet 'target' har værdien 90, som ikke er tilladt\. "
        r"Tilladte værdier: et tal fra 0 til 1",
    )


def test_target_must_be_a_number(tmp_path: Path) -> None:
    _raises(
        tmp_path,
        _initiative() + _indicator(extra='indicator = "proeve_antal"\ntarget = "høj"'),
        r"feltet 'target' har værdien 'høj'.*et tal\.",
    )


def test_wrong_type_of_text_field(tmp_path: Path) -> None:
    text = (_initiative() + _indicator()).replace('title = "Prøve"', "title = 17")
    _raises(tmp_path, text, r"feltet 'title' har værdien 17.*en ikke-tom tekst")
