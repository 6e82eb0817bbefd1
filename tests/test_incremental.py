"""Incremental builds give exactly what a clean build gives.

A random series of edits, additions, deletions, template, config and build-date
changes; after each, an incremental build is compared with a clean one, file by
file and byte by byte."""
from __future__ import annotations

import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli

AREA = "content/areas/north-ward"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dirs(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def build(site: Path, out: Path, state: Path, day: str, *extra: str):
    result = run_cli("build", "--site", str(site), "--out", str(out), "--state", str(state), "--build-date", day, *extra)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def edit_summary(site, rng):
    path = site / AREA / "area.yaml"
    path.write_text(path.read_text().replace("summary:", f"summary: Edited {rng.randint(0, 999)}.", 1))


def add_news(site, rng):
    slug = f"news-{rng.randint(0, 9999)}"
    (site / AREA / "news" / f"{slug}.md").write_text(
        f"---\ntitle: Story {slug}\ndate: 2026-11-{rng.randint(1, 27):02d}\n---\nBody of {slug}.\n")


def delete_news(site, rng):
    files = sorted((site / AREA / "news").glob("*.md"))
    linked = {"bike-marking.md"}  # other pages link to it... none do; keep the fixture's own
    candidates = [f for f in files if f.name not in linked]
    if candidates:
        rng.choice(candidates).unlink()


def add_area(site, rng):
    slug = f"ward-{rng.randint(0, 9999)}"
    folder = site / "content/areas" / slug
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "area.yaml").write_text(
        f"name: Ward {slug}\nborough: {rng.choice(['Testshire', 'Otherton'])}\nevents:\n"
        f"  - title: Meeting\n    start: 2026-12-{rng.randint(1, 28):02d}T18:00\n")


def delete_area(site, rng):
    folders = sorted(p for p in (site / "content/areas").iterdir() if p.name.startswith("ward-"))
    if folders:
        shutil.rmtree(rng.choice(folders))


def edit_page(site, rng):
    path = site / "content/pages/about.md"
    path.write_text(path.read_text() + f"\nMore text {rng.randint(0, 999)}.\n")


def change_template(site, rng):
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/partials").mkdir(exist_ok=True)
    (site / "templates/partials/area_team.html").write_text(
        f"<h2 class=\"govuk-heading-l\" id=\"team\">Team {rng.randint(0, 999)}</h2>\n")


def remove_template(site, rng):
    shutil.rmtree(site / "templates", ignore_errors=True)


def change_config(site, rng):
    path = site / "site.yaml"
    text = path.read_text()
    colour = f'"#{rng.randint(0, 0x3fffff):06x}"'
    lines = [line for line in text.splitlines() if not line.startswith("  brand:")]
    lines.insert(lines.index("colours:") + 1, f"  brand: {colour}")
    path.write_text("\n".join(lines) + "\n")


def move_borough(site, rng):
    folders = sorted(p for p in (site / "content/areas").iterdir() if (p / "area.yaml").is_file())
    path = rng.choice(folders) / "area.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("borough:")]
    lines.insert(1, f"borough: {rng.choice(['Testshire', 'Otherton', 'Newtown'])}")
    path.write_text("\n".join(lines) + "\n")


def add_media(site, rng):
    (site / "content/media" / f"extra-{rng.randint(0, 99)}.txt").write_text("hello")


OPERATIONS = [edit_summary, add_news, delete_news, add_area, delete_area, edit_page,
              change_template, remove_template, change_config, add_media, move_borough]
DAYS = ["2026-11-28", "2026-12-04", "2026-12-30", "2027-01-11"]


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_edits_incremental_equals_clean(make_site, tmp_path, seed):
    rng = random.Random(seed)
    site = make_site("minimal")
    inc_out, inc_state = tmp_path / "inc", tmp_path / "inc-state"
    day = DAYS[0]
    build(site, inc_out, inc_state, day)
    for step in range(12):
        operation = rng.choice(OPERATIONS)
        operation(site, rng)
        if rng.random() < 0.25:
            day = rng.choice(DAYS)
        build(site, inc_out, inc_state, day)
        clean_out = tmp_path / f"clean-{step}"
        build(site, clean_out, tmp_path / f"clean-state-{step}", day, "--clean")
        assert tree(inc_out) == tree(clean_out), f"step {step}: {operation.__name__} on {day}"
        assert dirs(inc_out) == dirs(clean_out), f"step {step}: {operation.__name__} left folders behind"
        shutil.rmtree(clean_out)


def test_no_change_rebuild_renders_nothing(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    result = build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert ", 0 rendered)" in result.output


def test_one_area_edit_renders_only_what_depends_on_it(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    edit_summary(site, random.Random(1))
    result = build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    # ward page, news index, 2 news pages, feed, calendar; not the home and
    # borough pages, which show only its name, nor the sitemap, as no page came or went
    assert ", 6 rendered)" in result.output, result.output


def test_renaming_an_area_rerenders_the_pages_that_list_it(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    area_yaml = site / AREA / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("name: North Ward", "name: Northern Ward"))
    result = build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert ", 8 rendered)" in result.output, result.output   # the six above, the home and the borough page
    assert "Northern Ward" in (tmp_path / "out/boroughs/testshire/index.html").read_text()


def test_a_forms_own_endpoint_reaches_every_pages_security_policy(make_site, tmp_path):
    site = make_site("example")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    form = site / "forms/report-lost-property.yaml"
    form.write_text(form.read_text() + "endpoint: https://other.example.net/submit/lost-property\n")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    build(site, tmp_path / "clean", tmp_path / "clean-state", "2026-11-28", "--clean")
    assert "https://other.example.net" in (tmp_path / "out/about/index.html").read_text()
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_a_new_page_puts_the_sitemap_in_the_rebuild(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    add_news(site, random.Random(1))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "/news/news-" in (tmp_path / "out/sitemap.xml").read_text()


def test_outputs_a_stopped_build_was_moving_are_made_again(make_site, tmp_path, monkeypatch):
    import sitegen.build
    import sitegen.writeout
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    area_yaml = site / AREA / "area.yaml"
    original = area_yaml.read_text()
    edit_summary(site, random.Random(3))
    real_move = sitegen.writeout.move_into

    def move_then_stop(stage, out_dir):
        real_move(stage, out_dir)
        raise KeyboardInterrupt   # the build stops before it records what it did

    monkeypatch.setattr(sitegen.writeout, "move_into", move_then_stop)
    with pytest.raises(KeyboardInterrupt):
        sitegen.build.build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    monkeypatch.undo()
    area_yaml.write_text(original)   # the edit is undone: the last recorded state matches the sources again
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    build(site, tmp_path / "clean", tmp_path / "clean-state", "2026-11-28", "--clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


def test_build_date_change_rerenders_only_pages_with_events_that_ended(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert ", 0 rendered)" in build(site, tmp_path / "out", tmp_path / "state", "2026-11-29").output
    assert ", 2 rendered)" in build(site, tmp_path / "out", tmp_path / "state", "2026-12-04").output


def test_deleted_build_folder_is_rebuilt_in_full(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    shutil.rmtree(tmp_path / "out")
    result = build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert (tmp_path / "out/index.html").is_file() and ", 0 rendered)" not in result.output


def test_failed_incremental_build_changes_nothing(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    before = tree(tmp_path / "out")
    (site / "templates").mkdir()
    (site / "templates/news.html").write_text("{% extends 'base.html' %}{% block content %}{{ missing_name }}{% endblock %}")
    edit_summary(site, random.Random(2))
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--state", str(tmp_path / "state"),
                     "--build-date", "2026-11-28")
    assert result.exit_code == 1 and "templates/news.html" in result.stderr
    assert tree(tmp_path / "out") == before


def test_parallel_build_equals_serial_build(make_site, tmp_path):
    site = make_site("minimal")
    for index in range(250):  # enough for both loading and rendering to go parallel
        add_area(site, random.Random(index))
    build(site, tmp_path / "one", tmp_path / "s1", "2026-11-28", "--jobs", "1")
    build(site, tmp_path / "two", tmp_path / "s2", "2026-11-28", "--jobs", "2")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")


def shard_files(state: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in sorted((state / "areas").glob("*.pickle"))}


def test_an_area_edit_rewrites_only_its_shard_of_the_area_cache(make_site, tmp_path):
    from sitegen.areacache import shard_of
    site = make_site("example")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    before = shard_files(tmp_path / "state")
    edited = "abbey-barking-and-dagenham"
    area_yaml = site / "content/areas" / edited / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("population: 14750", "population: 14751"))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    after = shard_files(tmp_path / "state")
    assert after.keys() == before.keys() and len(after) > 1
    assert {name for name in after if after[name] != before[name]} == {f"{shard_of(edited):02d}.pickle"}


def test_an_area_cache_made_by_other_code_is_not_used(make_site, tmp_path):
    import pickle
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    for shard in (tmp_path / "state/areas").glob("*.pickle"):
        code, entries = pickle.loads(shard.read_bytes())
        shard.write_bytes(pickle.dumps(("other code", {slug: ("", None) for slug in entries})))
    edit_summary(site, random.Random(4))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    build(site, tmp_path / "clean", tmp_path / "clean-state", "2026-11-28", "--clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")
    for shard in (tmp_path / "state/areas").glob("*.pickle"):
        assert pickle.loads(shard.read_bytes())[0] != "other code"
