"""Names to addresses: every slug sitegen derives is readable, non-empty (or refused
at the name), bounded, and the same for two spellings of one name."""
from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.content import MAX_SLUG, slugify
from sitegen.content.areas import AREA
from sitegen.content.schema import Where
from sitegen.content.site import group_boroughs
from sitegen.errors import Problems
from sitegen.model import Area
from test_police_uk import area_yaml, run_import

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
CSV_HEAD = "borough,ward,ons_code,old_code,population_2015,area_sq_km\n"

# Names in several scripts and their addresses (transliterated by text-unidecode).
SCRIPTS = [
    ("北京", "bei-jing"),
    ("Ælfred", "aelfred"),
    ("Αθήνα", "athena"),
    ("Москва", "moskva"),
    ("القاهرة", "lqhr"),
    ("서울", "seoul"),
    ("São Paulo", "sao-paulo"),
    ("Straße", "strasse"),
]
SPELLINGS = [
    ("King's Cross", "kings-cross"),
    ("King’s Cross", "kings-cross"),
    ("Kingʼs Cross", "kings-cross"),
    ("Barking & Dagenham", "barking-and-dagenham"),
    ("Barking and Dagenham", "barking-and-dagenham"),
    ("St. Mary's Park", "st-marys-park"),
]


@pytest.mark.parametrize("name, slug", SCRIPTS + SPELLINGS)
def test_names_in_any_script_give_readable_addresses(name, slug):
    assert slugify(name) == slug


@pytest.mark.parametrize("name", ["🙂", "!!!", "—", "", "   ", "🏳️‍🌈 🙂"])
def test_names_without_letters_or_digits_give_nothing_for_callers_to_refuse(name):
    assert slugify(name) == ""


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_bounded_slug_or_nothing(text):
    slug = slugify(text)
    assert slug == "" or SLUG.match(slug)
    assert len(slug) <= MAX_SLUG
    assert slugify(text) == slug


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=20))
def test_apostrophes_join_a_word_and_ampersands_read_as_and(word):
    assert slugify(f"{word}'s") == slugify(f"{word}’s") == slugify(f"{word}s")
    assert slugify(f"{word} & {word}") == slugify(f"{word} and {word}")


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet="abcdefghij ", min_size=MAX_SLUG + 1, max_size=600))
def test_long_names_keep_a_readable_prefix_and_a_hash(text):
    full = slugify(text, max_length=10_000)
    slug = slugify(text)
    if len(full) > MAX_SLUG:
        assert len(slug) <= MAX_SLUG and re.search(r"-[0-9a-f]{8}$", slug)
        assert full.startswith(slug[:-9])
        assert slugify(text + "x") != slug or slugify(text + "x", max_length=10_000) == full


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=60).filter(str.strip), min_size=1, max_size=6))
def test_any_borough_names_give_pages_at_distinct_addresses_or_located_problems(names):
    problems = Problems()
    areas = []
    for index, name in enumerate(names):
        where = Where(f"content/areas/a{index}/area.yaml", (2, 10), "borough")
        borough = AREA.check({"name": f"A{index}", "borough": name}, where, problems)
        if borough and borough.get("borough"):
            areas.append(Area(slug=f"a{index}", name=f"A{index}", source=where.path, borough=borough["borough"],
                              borough_at=(2, 10)))
    boroughs = group_boroughs(areas, problems)
    assert all(SLUG.match(b.slug) and len(b.slug) <= MAX_SLUG for b in boroughs)
    assert len({b.slug for b in boroughs}) == len(boroughs)
    paged = {a.source for b in boroughs for a in b.areas}
    for index, name in enumerate(names):   # an area whose borough has no page has a located problem
        path = f"content/areas/a{index}/area.yaml"
        assert path in paged or any((p.path, p.line, p.col) == (path, 2, 10) or f"'{name.strip()}'" in p.message
                                    for p in problems), (name, problems)


# ---------------------------------------------------------------- the site


def _set_borough(site: Path, area: str, borough: str) -> Path:
    path = site / "content/areas" / area / "area.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("borough:")]
    lines.insert(1, f"borough: {borough}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _built_text(out: Path) -> str:
    return "".join(p.read_text(encoding="utf-8") for p in out.rglob("*") if p.suffix in (".html", ".xml"))


@pytest.mark.parametrize("name, slug", SCRIPTS[:4])
def test_a_borough_in_another_script_gets_its_own_page(make_site, tmp_path, name, slug):
    site = make_site()
    _set_borough(site, "north-ward", f'"{name}"')
    _set_borough(site, "south-ward", f'"{name}"')
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    assert name in (out / "boroughs" / slug / "index.html").read_text(encoding="utf-8")
    assert not (out / "boroughs/index.html").exists()
    text = _built_text(out)
    assert f"/boroughs/{slug}/" in text and "/boroughs//" not in text


@pytest.mark.parametrize("name", ["🙂", "'!!!'", "'?'", "\"—\""])
def test_a_borough_that_gives_no_address_is_refused_at_the_name(make_site, name):
    site = make_site()
    _set_borough(site, "north-ward", name)
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/areas/north-ward/area.yaml:2:10: borough '" in result.output
    assert "gives an empty address; write it with letters or digits" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("one, other", [("Barking & Dagenham", "Barking and Dagenham"),
                                        ("King's Cross", "Kings Cross"), ("Testshire", "TESTSHIRE")])
def test_a_borough_spelt_two_ways_is_reported_naming_both_files(make_site, one, other):
    site = make_site()
    _set_borough(site, "north-ward", f'"{one}"')
    _set_borough(site, "south-ward", f'"{other}"')
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/areas/north-ward/area.yaml:2:10" in result.output
    assert "content/areas/south-ward/area.yaml:2:10" in result.output
    assert "would share the address /boroughs/" in result.output


def test_news_file_names_become_readable_addresses(make_site, tmp_path):
    site = make_site()
    news = site / "content/areas/north-ward/news"
    news.mkdir(exist_ok=True)
    (news / "Café night at St Mary's.md").write_text(
        "---\ntitle: Café night\ndate: 2026-11-01\n---\nCome along.\n", encoding="utf-8")
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    assert (out / "areas/north-ward/news/cafe-night-at-st-marys/index.html").is_file()
    (news / "🙂.md").write_text("---\ntitle: Smile\ndate: 2026-11-02\n---\nHi.\n", encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/areas/north-ward/news/🙂.md: the file name gives an empty address" in result.output


# ---------------------------------------------------------------- importers


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "wards.csv"
    path.write_text(CSV_HEAD + "".join(row + "\n" for row in rows), encoding="utf-8")
    return path


def test_import_wards_gives_every_script_an_address_that_checks_and_builds(make_site, tmp_path):
    site = make_site()
    wards = SCRIPTS + SPELLINGS[:1]
    rows = [f"Barking & Dagenham,{ward},E0599{i:04d},,1000,1.0" for i, (ward, _) in enumerate(wards)]
    result = run_cli("import-wards", "--site", str(site), str(_csv(tmp_path, rows)))
    assert result.exit_code == 0, result.output
    for ward, slug in wards:
        assert f"name: {ward}" in (site / "content/areas" / slug / "area.yaml").read_text(encoding="utf-8")
    assert not (site / "content/areas/area.yaml").exists()
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    borough = (out / "boroughs/barking-and-dagenham/index.html").read_text(encoding="utf-8")
    assert all(f'href="/areas/{slug}/"' in borough for _, slug in wards)
    rows.append("Barking and Dagenham,Eastbrook,E05999999,,1000,1.0")   # the borough spelt another way
    assert run_cli("import-wards", "--site", str(site), str(_csv(tmp_path, rows))).exit_code == 0
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "content/areas/eastbrook/area.yaml:2:10: borough 'Barking and Dagenham' and 'Barking & Dagenham' at" \
           " content/areas/aelfred/area.yaml:2:10 would share the address /boroughs/barking-and-dagenham/" in result.output


def test_the_field_case_borough_in_chinese_gets_a_real_address(tmp_path):
    site = tmp_path / "site"   # the field case borough-empty-slug, copied here
    (site / "content/areas/test-ward").mkdir(parents=True)
    (site / "site.yaml").write_text("name: Test Police\nbase_url: https://www.test.police.example/\n")
    (site / "content/areas/test-ward/area.yaml").write_text('name: Test Ward\nborough: "北京"\n', encoding="utf-8")
    assert run_cli("check", "--site", str(site)).exit_code == 0
    out = tmp_path / "out"
    assert run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE).exit_code == 0
    assert "https://www.test.police.example/boroughs/bei-jing/" in (out / "sitemap.xml").read_text()
    assert 'href="/boroughs/bei-jing/"' in (out / "index.html").read_text(encoding="utf-8")
    assert sorted(p.relative_to(out).as_posix() for p in (out / "boroughs").rglob("*.html")) == \
        ["boroughs/bei-jing/index.html"]
    assert "/boroughs//" not in _built_text(out) and not (out / "boroughs/index.html").exists()


def test_import_wards_refuses_a_ward_with_no_address_or_a_shared_one(make_site, tmp_path):
    site = make_site()
    before = sorted(p.name for p in (site / "content/areas").iterdir())
    rows = ["Testshire,🙂,E05990001,,10,1", "Testshire,King's Cross,E05990002,,10,1",
            "Testshire,Kings Cross,E05990003,,10,1"]
    result = run_cli("import-wards", "--site", str(site), str(_csv(tmp_path, rows)))
    assert result.exit_code == 1
    assert "wards.csv:2: ward '🙂' gives an empty address" in result.output
    assert "wards.csv:4: ward 'Kings Cross' (Testshire) and 'King's Cross' (Testshire) on line 3" in result.output
    assert sorted(p.name for p in (site / "content/areas").iterdir()) == before


def test_import_wards_knows_an_area_by_its_ons_code(make_site, tmp_path):
    site = make_site()
    old = site / "content/areas/king-s-cross"
    old.mkdir()
    (old / "area.yaml").write_text("name: King's Cross\nborough: Testshire\ncode: E05990002\n", encoding="utf-8")
    result = run_cli("import-wards", "--site", str(site), str(_csv(tmp_path, ["Testshire,King's Cross,E05990002,,1,1"])))
    assert result.exit_code == 0, result.output
    assert "Created 0 areas; left 1" in result.output
    assert not (site / "content/areas/kings-cross").exists()


def test_new_area_bounds_its_slug_and_refuses_a_borough_with_no_address(make_site):
    site = make_site()
    result = run_cli("new-area", "--site", str(site), "a" * (MAX_SLUG + 1), "--name", "King's Cross")
    assert result.exit_code == 2 and "like 'kings-cross'" in result.output
    result = run_cli("new-area", "--site", str(site), "kings-cross", "--name", "King's Cross", "--borough", "🙂")
    assert result.exit_code == 2 and "borough '🙂' gives an empty address" in result.output
    assert not (site / "content/areas/kings-cross").exists()


@pytest.mark.parametrize("name", ["Ward " * 100, "北京" * 250, "🙂" * 300])
def test_police_uk_neighbourhood_with_a_very_long_name_imports(make_site, api, sleeps, name):
    site = make_site("example")
    api.replace("/api/leicestershire/NC04/events", [])   # events are not what this test is about
    api.replace("/api/leicestershire/NC04", {"name": name[:500], "description": "A very long name."})
    result = run_import(site, api, "--force", "leicestershire")
    assert result.exit_code == 0, result.output
    created = [p.name for p in (site / "content/areas").iterdir() if (p / "area.yaml").is_file()
               and "police_uk_id: NC04" in (p / "area.yaml").read_text(encoding="utf-8")]
    assert len(created) == 1
    slug = created[0]
    assert SLUG.match(slug) and len(slug) <= MAX_SLUG and len(slug.encode()) < os.pathconf(site, "PC_NAME_MAX")
    assert area_yaml(site, slug)["name"].startswith(name.split()[0][:2])
    assert run_cli("check", "--site", str(site)).exit_code == 0
    again = run_import(site, api, "--force", "leicestershire")   # the same address again: nothing doubled
    assert again.exit_code == 0 and f"{slug}" in again.output
