"""Commands through click's CliRunner: build, check, new-area, import-wards."""
from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import BUILD_DATE, ROOT, run_cli

CSV = ROOT / "data" / "london-wards.csv"


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_build_prints_a_summary(make_site, tmp_path):
    site = make_site("minimal")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 0
    assert result.output.startswith("Built 9 pages (")
    assert (site / "build" / "index.html").is_file()


def test_failed_build_leaves_previous_build_untouched(make_site):
    site = make_site("minimal")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    before = snapshot(site / "build")
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("team:", "teem:"))
    (site / "content/pages/new.md").write_text("---\ntitle: New\n---\nHello\n")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert snapshot(site / "build") == before
    assert [p.name for p in site.iterdir() if p.name.startswith(".build")] == []


def test_failed_render_leaves_previous_build_untouched(make_site):
    site = make_site("minimal")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    before = snapshot(site / "build")
    (site / "templates").mkdir()
    (site / "templates/borough.html").write_text("{% extends 'base.html' %}{% block content %}{{ no_such_thing }}{% endblock %}")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert "templates/borough.html" in result.stderr and "no_such_thing" in result.stderr
    assert snapshot(site / "build") == before


def test_site_template_overrides_theme_file_by_file(make_site, tmp_path):
    site = make_site("minimal")
    (site / "templates").mkdir()
    (site / "templates/borough.html").write_text(
        "{% extends 'base.html' %}{% block content %}<h1 class='govuk-heading-xl'>Custom {{ borough.name }}</h1>{% endblock %}")
    assert run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE).exit_code == 0
    assert "Custom Testshire" in (tmp_path / "b/boroughs/testshire/index.html").read_text()
    assert "North Ward" in (tmp_path / "b/areas/north-ward/index.html").read_text()


def test_check_writes_nothing(make_site):
    site = make_site("minimal")
    before = snapshot(site)
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    assert "No problems found" in result.output
    assert snapshot(site) == before


def test_new_area_scaffolds_an_area_that_passes_check_and_builds(make_site):
    site = make_site("minimal")
    result = run_cli("new-area", "east-ward", "--name", "East Ward", "--borough", "Testshire", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert run_cli("check", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    page = (site / "build/areas/east-ward/index.html").read_text()
    assert "East Ward" in page and "/boroughs/testshire/" in page


def test_new_area_refuses_an_existing_or_bad_slug(make_site):
    site = make_site("minimal")
    result = run_cli("new-area", "north-ward", "--name", "North", "--site", str(site))
    assert result.exit_code == 1 and "already exists" in result.stderr
    result = run_cli("new-area", "../escape", "--name", "X", "--site", str(site))
    assert result.exit_code == 2 and "lowercase letters" in result.stderr
    assert not (site.parent / "escape").exists()


def test_import_wards_creates_a_borough_and_keeps_editors_work(make_site):
    site = make_site("minimal")
    result = run_cli("import-wards", str(CSV), "--borough", "Camden", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "Created 18 areas" in result.output
    area = site / "content/areas/belsize/area.yaml"
    assert "code: E05000128" in area.read_text()
    area.write_text(area.read_text() + "summary: Written by an editor.\n")
    result = run_cli("import-wards", str(CSV), "--borough", "camden", "--site", str(site))
    assert "Created 0 areas; left 18 existing" in result.output
    assert "Written by an editor." in area.read_text()
    assert run_cli("check", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0


def test_import_wards_all_624_wards_have_distinct_slugs(make_site):
    site = make_site("minimal")
    result = run_cli("import-wards", str(CSV), "--site", str(site))
    assert "Created 624 areas" in result.output
    assert (site / "content/areas/abbey-merton").is_dir() and (site / "content/areas/abbey-barking-and-dagenham").is_dir()


def test_import_wards_bad_csv_names_the_line(make_site, tmp_path):
    site = make_site("minimal")
    bad = tmp_path / "bad.csv"
    bad.write_text("borough,ward,ons_code,old_code,population_2015\nCamden,Belsize,E05000128,00AGGA,many\n")
    result = run_cli("import-wards", str(bad), "--site", str(site))
    assert result.exit_code == 1
    assert f"{bad}:2:" in result.stderr and "expected a whole number" in result.stderr
    result = run_cli("import-wards", str(CSV), "--borough", "Atlantis", "--site", str(site))
    assert result.exit_code == 1 and "no wards in borough 'Atlantis'" in result.stderr
