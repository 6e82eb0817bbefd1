"""Incremental builds give exactly what a clean build gives.

A random series of edits, additions, deletions, template, config and build-date
changes; after each, an incremental build is compared with a clean one, file by
file and byte by byte."""
from __future__ import annotations

import dataclasses
import random
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import run_cli
from sitegen.build import Reporter, Selection
from sitegen.build import build as build_site
from sitegen.build.areacache import SHARD_KIND, shard_of
from sitegen.build.crcfile import checked_body, with_crc
from sitegen.build.state import load_state

AREA = "content/areas/north-ward"


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def dirs(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_dir()}


def build(site: Path, out: Path, state: Path, day: str, *extra: str):
    result = try_build(site, out, state, day, *extra)
    assert result.exit_code == 0, result.output + result.stderr
    return result


def try_build(site: Path, out: Path, state: Path, day: str = "2026-11-28", *extra: str):
    """`sitegen build`, whatever its exit code."""
    return run_cli("build", "--site", str(site), "--out", str(out), "--state", str(state), "--build-date", day, *extra)


def assert_same_as_clean(site: Path, tmp_path: Path, day: str = "2026-11-28") -> None:
    """The incremental build in tmp_path/out is byte for byte a clean build of SITE on DAY."""
    build(site, tmp_path / "clean", tmp_path / "clean-state", day, "--clean")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean")


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
        f"  - id: meeting\n    title: Meeting\n    start: 2026-12-{rng.randint(1, 28):02d}T18:00\n")
    if (site / AREA / "boundary.geojson").exists():   # check refuses a ward without one beside wards with one
        number = int(slug.rpartition("-")[2])
        west, south = 10 + number % 100 * 0.02, 50 + number // 100 * 0.02   # a square of its own
        ring = [[west, south], [west + 0.01, south], [west + 0.01, south + 0.01], [west, south + 0.01],
                [west, south]]
        (folder / "boundary.geojson").write_text(
            f'{{"type":"Feature","properties":{{}},"geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}')


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


def edit_news_body(site, rng):
    files = sorted((site / "content/areas").glob("*/news/*.md"))
    if files:
        path = rng.choice(files)
        path.write_text(path.read_text() + f"\nAn update, number {rng.randint(0, 999)}.\n")


def move_meeting(site, rng):
    """Move one of north ward's meetings to another day in December (its end with it)."""
    path = site / AREA / "area.yaml"
    lines = path.read_text().splitlines()
    index = rng.choice([i for i, line in enumerate(lines) if line.startswith("    start: ")])
    day, minute = f"2026-12-{rng.randint(1, 31):02d}", f"{rng.randint(0, 59):02d}"   # two alike would be refused
    lines[index] = f"    start: {day}T07:{minute}"
    if index + 1 < len(lines) and lines[index + 1].startswith("    end: "):
        lines[index + 1] = f"    end: {day}T08:{minute}"
    path.write_text("\n".join(lines) + "\n")


def rename_area(site, rng):
    folders = sorted(p for p in (site / "content/areas").iterdir() if (p / "area.yaml").is_file())
    path = rng.choice(folders) / "area.yaml"
    lines = [line for line in path.read_text().splitlines() if not line.startswith("name:")]
    path.write_text("\n".join([f"name: Renamed {rng.randint(0, 999)}", *lines]) + "\n")


OPERATIONS = [edit_summary, add_news, delete_news, add_area, delete_area, edit_page,
              change_template, remove_template, change_config, add_media, move_borough,
              edit_news_body, edit_news_body, move_meeting, rename_area]
DAYS = ["2026-11-28", "2026-12-04", "2026-12-30", "2027-01-11"]


def edit_welsh_area(site, rng):
    """Edit north ward's Welsh summary (tests/sites/bilingual)."""
    path = site / AREA / "area.cy.yaml"
    if not path.exists():   # toggle_welsh_area took it away
        return
    path.write_text(path.read_text().replace("summary:", f"summary: Newid {rng.randint(0, 999)}.", 1))


def rename_welsh_area(site, rng):
    """Rename north ward in Welsh: the Welsh home, borough and finder pages and south ward's
    Welsh page (which names its neighbour) show the name; the English pages do not."""
    path = site / AREA / "area.cy.yaml"
    if not path.exists():   # toggle_welsh_area took it away
        return
    lines = [line for line in path.read_text().splitlines() if not line.startswith("name:")]
    path.write_text("\n".join([f"name: Ward {rng.randint(0, 999)}", *lines]) + "\n")


def toggle_welsh_story(site, rng):
    """Translate the story speed-checks into Welsh, or take its translation away."""
    path = site / AREA / "news/speed-checks.cy.md"
    if path.exists() or not (site / AREA / "news/speed-checks.md").exists():
        path.unlink(missing_ok=True)
    else:
        path.write_text(f"---\ntitle: Gwirio cyflymder {rng.randint(0, 999)}\n---\nDarllenwch [amdanom](/about/).\n")


def edit_welsh_site(site, rng):
    path = site / "site.cy.yaml"
    if not path.exists():
        return
    path.write_text(path.read_text().replace("name: Heddlu Prawf", f"name: Heddlu Prawf {rng.randint(0, 9)}", 1))


def toggle_welsh_page(site, rng):
    """Translate the about page into Welsh, or take its translation away."""
    path = site / "content/pages/about.cy.md"
    if path.exists():
        path.unlink()
    else:
        path.write_text(f"---\ntitle: Amdanom ni {rng.randint(0, 999)}\n---\nGweler [y gogledd](/areas/north-ward/).\n")


def _welsh_file(site: Path, rng: random.Random) -> Path:
    """The area.cy.yaml of one of the bilingual site's wards (it may not exist)."""
    return site / "content/areas" / rng.choice(["north-ward", "south-ward"]) / "area.cy.yaml"


def _english_name(welsh: Path) -> str:
    """The name in the area.yaml beside WELSH."""
    return next(line for line in (welsh.parent / "area.yaml").read_text().splitlines()
                if line.startswith("name:")).partition(":")[2].strip()


def toggle_welsh_area(site, rng):
    """Take a ward's area.cy.yaml away, or write one whose name is its English name (the same
    words: only whether it is translated changes, so its name is marked or not elsewhere)."""
    path = _welsh_file(site, rng)
    if not path.parent.is_dir():
        return
    if path.exists():
        path.unlink()
    else:
        path.write_text(f"name: {_english_name(path)}\nsummary: Newid {rng.randint(0, 999)}.\n")


def toggle_welsh_name(site, rng):
    """Take the name out of a ward's area.cy.yaml, or give it back as the English name."""
    path = _welsh_file(site, rng)
    if not path.exists():
        return
    lines = [line for line in path.read_text().splitlines() if not line.startswith("name:")]
    if len(lines) == len(path.read_text().splitlines()):
        lines.insert(0, f"name: {_english_name(path)}")
    path.write_text("".join(f"{line}\n" for line in lines))


def empty_welsh_area(site, rng):
    """Empty a ward's area.cy.yaml (a translation that gives nothing), when it has one."""
    path = _welsh_file(site, rng)
    if path.exists():
        path.write_text("")


def toggle_welsh_site(site, rng):
    """Take site.cy.yaml away, or write one that leaves the name out (or gives the English one)."""
    path = site / "site.cy.yaml"
    if path.exists():
        path.unlink()
    else:
        name = rng.choice(["", "name: Test Police\n"])
        path.write_text(f"{name}description: Safle bach {rng.randint(0, 999)}.\n")


WELSH_OPERATIONS = [edit_welsh_area, edit_welsh_area, rename_welsh_area, toggle_welsh_story, edit_welsh_site,
                    toggle_welsh_page, toggle_welsh_area, toggle_welsh_area, toggle_welsh_name, empty_welsh_area,
                    toggle_welsh_site]


@pytest.mark.parametrize("name, seed", [("minimal", 1), ("minimal", 2), ("minimal", 3), ("minimal", 4),
                                        ("bilingual", 5), ("bilingual", 6), ("bilingual", 7), ("bilingual", 8)])
def test_random_edits_incremental_equals_clean(make_site, tmp_path, name, seed):
    rng = random.Random(seed)
    site = make_site(name)
    operations = OPERATIONS + (WELSH_OPERATIONS if name == "bilingual" else [])
    inc_out, inc_state = tmp_path / "inc", tmp_path / "inc-state"
    day = DAYS[0]
    build(site, inc_out, inc_state, day)
    for step in range(12):
        operation = rng.choice(operations)
        operation(site, rng)
        if rng.random() < 0.25:
            day = rng.choice(DAYS)
        build(site, inc_out, inc_state, day)
        clean_out = tmp_path / f"clean-{step}"
        build(site, clean_out, tmp_path / f"clean-state-{step}", day, "--clean")
        assert tree(inc_out) == tree(clean_out), f"step {step}: {operation.__name__} on {day}"
        assert dirs(inc_out) == dirs(clean_out), f"step {step}: {operation.__name__} left folders behind"
        shutil.rmtree(clean_out)


def build_here(site: Path, tmp_path: Path, day: str = "2026-11-28") -> Reporter:
    """Build SITE into tmp_path/out on DAY; what the build reported."""
    reporter = Reporter()
    build_site(site, tmp_path / "out", date.fromisoformat(day), state_dir=tmp_path / "state", reporter=reporter)
    return reporter


NORTH_WARD_OWN = {"areas/north-ward/index.html", "areas/north-ward/news/index.html",
                  "areas/north-ward/news/speed-checks/index.html", "areas/north-ward/news/bike-marking/index.html",
                  "areas/north-ward/feed.xml", "areas/north-ward/events.ics"}


def test_no_change_rebuild_renders_nothing(make_site, tmp_path):
    site = make_site("minimal")
    build_here(site, tmp_path)
    reported = build_here(site, tmp_path)
    assert reported.selections == [] and reported.rendered == [] and reported.moved == 0
    result = build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert ", 0 rendered)" in result.output   # what the command line prints


def test_one_area_edit_renders_only_what_depends_on_it(make_site, tmp_path):
    site = make_site("minimal")
    build_here(site, tmp_path)
    edit_summary(site, random.Random(1))
    reported = build_here(site, tmp_path)
    # Not the home and borough pages, which show only its name, nor the sitemap, as no page came or went.
    assert reported.selections == [Selection(frozenset({"north-ward"}))]
    assert set(reported.rendered) == NORTH_WARD_OWN and reported.copied == reported.deleted == []


def test_renaming_an_area_rerenders_the_pages_that_list_it(make_site, tmp_path):
    site = make_site("minimal")
    build_here(site, tmp_path)
    area_yaml = site / AREA / "area.yaml"
    area_yaml.write_text(area_yaml.read_text().replace("name: North Ward", "name: Northern Ward"))
    reported = build_here(site, tmp_path)
    # The area alone was selected; its new name reaches other pages, so the whole site was read.
    assert reported.selections == [Selection(frozenset({"north-ward"})), Selection(None)]
    assert set(reported.rendered) == NORTH_WARD_OWN | {"index.html", "boroughs/testshire/index.html"}
    assert "Northern Ward" in (tmp_path / "out/boroughs/testshire/index.html").read_text()


def test_a_forms_own_endpoint_reaches_every_pages_security_policy(make_site, tmp_path):
    site = make_site("example")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    form = site / "forms/report-lost-property.yaml"
    form.write_text(form.read_text() + "endpoint: https://other.example.net/submit/lost-property\n")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "https://other.example.net" in (tmp_path / "out/about/index.html").read_text()
    assert_same_as_clean(site, tmp_path)


def test_a_new_page_puts_the_sitemap_in_the_rebuild(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    add_news(site, random.Random(1))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "/news/news-" in (tmp_path / "out/sitemap.xml").read_text()


class StopWhileMoving(Reporter):
    """A reporter that stops the build (as Ctrl-C would) when AFTER files have moved in."""

    def __init__(self, after: int):
        super().__init__()
        self.after = after

    def moving(self, path: str) -> None:
        if self.moved == self.after:
            raise KeyboardInterrupt
        super().moving(path)


@pytest.mark.parametrize("after", [0, 2, 4])
def test_outputs_a_stopped_build_was_moving_are_made_again(make_site, tmp_path, after):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    area_yaml = site / AREA / "area.yaml"
    original = area_yaml.read_text()
    add_news(site, random.Random(3))   # a whole-site rebuild: the new story, the pages listing it and the sitemap move in
    edit_summary(site, random.Random(3))
    with pytest.raises(KeyboardInterrupt):
        build_site(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state",
                   reporter=StopWhileMoving(after))
    area_yaml.write_text(original)   # the edit is undone: the last recorded state matches the sources again
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert_same_as_clean(site, tmp_path)


@pytest.mark.parametrize("then", ["narrow", "whole"])
def test_a_page_a_stopped_build_was_deleting_is_deleted_by_the_next(make_site, tmp_path, then):
    """A story deleted, and the build that was to remove its page stopped once it had marked
    what it would move and delete: the next build, narrow or of the whole site, deletes the
    page (a marked path left out of the state was published for good: no build knew of it)."""
    site = make_site("minimal")
    story = site / AREA / "news/retracted.md"
    story.write_text("---\ntitle: Retracted\ndate: 2026-11-20\n---\nBody.\n")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert (tmp_path / "out" / AREA.replace("content/", "") / "news/retracted/index.html").is_file()
    story.unlink()
    with pytest.raises(KeyboardInterrupt):
        build_site(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state",
                   reporter=StopWhileMoving(0))
    if then == "whole":
        (site / "site.yaml").write_text((site / "site.yaml").read_text() + "\n# a change to the whole site\n")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert not (tmp_path / "out" / AREA.replace("content/", "") / "news/retracted").exists()
    assert_same_as_clean(site, tmp_path)


def test_build_date_change_rerenders_only_pages_with_events_that_ended(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    # south-ward has no news: its feed is dated the build date, so its dated outputs (page, calendar, feed) change.
    south = {"areas/south-ward/index.html", "areas/south-ward/events.ics", "areas/south-ward/feed.xml"}
    assert set(build_here(site, tmp_path, "2026-11-29").rendered) == south
    # north-ward's meeting of 3 December is over: its page and calendar too.
    north = {"areas/north-ward/index.html", "areas/north-ward/events.ics"}
    assert set(build_here(site, tmp_path, "2026-12-04").rendered) == south | north


def test_deleted_build_folder_is_rebuilt_in_full(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    shutil.rmtree(tmp_path / "out")
    reported = build_here(site, tmp_path)
    assert (tmp_path / "out/index.html").is_file() and reported.cold


def test_failed_incremental_build_changes_nothing(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    before = tree(tmp_path / "out")
    (site / "templates").mkdir()
    (site / "templates/news.html").write_text("{% extends 'base.html' %}{% block content %}{{ missing_name }}{% endblock %}")
    edit_summary(site, random.Random(2))
    result = try_build(site, tmp_path / "out", tmp_path / "state")
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


@pytest.mark.parametrize("change", ["edit", "new day"])
def test_an_area_cache_made_by_other_code_is_not_used(make_site, tmp_path, change):
    import dataclasses
    import pickle

    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    for shard in (tmp_path / "state/areas").glob("*.pickle"):
        code, entries = pickle.loads(checked_body(SHARD_KIND, shard.read_bytes()))
        wrong = {slug: (unit, dataclasses.replace(load, area=dataclasses.replace(load.area, name="Wrong Name")))
                 for slug, (unit, load) in entries.items()}
        shard.write_bytes(with_crc(SHARD_KIND, pickle.dumps(("other code", wrong))))
    day = "2026-11-28"
    if change == "edit":
        edit_summary(site, random.Random(4))
    else:
        day = "2026-12-04"   # north ward's meeting is over: its pages change, not its files
    build(site, tmp_path / "out", tmp_path / "state", day)
    assert_same_as_clean(site, tmp_path, day)
    shard = tmp_path / f"state/areas/{shard_of('north-ward'):02d}.pickle"
    assert pickle.loads(checked_body(SHARD_KIND, shard.read_bytes()))[0] != "other code"


NEWS = f"{AREA}/news/speed-checks.md"


@pytest.mark.parametrize("change", [edit_news_body, edit_summary, move_meeting])
def test_a_change_inside_an_area_rebuilds_only_that_area(make_site, tmp_path, change):
    site = make_site("minimal")
    build_here(site, tmp_path)
    change(site, random.Random(5))
    reported = build_here(site, tmp_path, "2026-12-01")
    # The edited area, and south-ward, whose feed (it has no news) shows the date.
    assert reported.selections == [Selection(frozenset({"north-ward", "south-ward"}))]
    assert set(reported.rendered) <= NORTH_WARD_OWN | {"areas/south-ward/index.html", "areas/south-ward/feed.xml",
                                                       "areas/south-ward/events.ics"}
    assert reported.rendered and not reported.cold
    assert_same_as_clean(site, tmp_path, "2026-12-01")


@pytest.mark.parametrize("change", [rename_area, add_news, delete_news, move_borough, edit_page, add_area])
def test_changes_that_reach_other_pages_read_the_whole_site(make_site, tmp_path, change):
    site = make_site("minimal")
    build_here(site, tmp_path)
    change(site, random.Random(6))
    assert build_here(site, tmp_path).selection == Selection(None)


def test_a_new_day_rebuilds_only_the_areas_whose_meetings_it_ends(make_site, tmp_path):
    site = make_site("minimal")
    build_here(site, tmp_path)
    reported = build_here(site, tmp_path, "2026-12-09")
    assert reported.selections == [Selection(frozenset({"north-ward", "south-ward"}))] and reported.rendered
    assert_same_as_clean(site, tmp_path, "2026-12-09")


def comparable(state):
    """A build state without what depends on when it was made (stamps of files
    changed within the last two seconds are not yet trusted) or on which
    templates it happened to hash."""
    return dataclasses.replace(state, stamps={k: v[1:] for k, v in state.stamps.items()},
                               folders={k: v[1] for k, v in state.folders.items()}, templates={})


def test_a_narrow_rebuild_saves_the_state_a_whole_rebuild_would(make_site, tmp_path):
    site = make_site("minimal")
    build_here(site, tmp_path)
    edit_news_body(site, random.Random(7))
    move_meeting(site, random.Random(7))
    reported = build_here(site, tmp_path, "2026-12-09")
    assert not reported.selection.whole
    narrow = load_state(tmp_path / "state")
    build_site(site, tmp_path / "whole", date(2026, 12, 9), state_dir=tmp_path / "whole-state")
    whole = load_state(tmp_path / "whole-state")
    assert comparable(narrow) == dataclasses.replace(comparable(whole), out_dir=narrow.out_dir)
    assert narrow.templates.items() <= whole.templates.items()


def test_a_broken_link_in_an_edited_area_is_reported_and_changes_nothing(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    before = tree(tmp_path / "out")
    (site / NEWS).write_text((site / NEWS).read_text() + "\nSee [the old page](/areas/gone-ward/).\n")
    result = try_build(site, tmp_path / "out", tmp_path / "state")
    assert result.exit_code == 1
    assert result.stderr.strip() == (f"{NEWS}:7:5: link '/areas/gone-ward/' points to an area or page"
                                     " that does not exist; correct the address or remove the link")
    assert tree(tmp_path / "out") == before


def test_an_edit_in_the_same_clock_tick_as_the_last_build_is_not_missed(make_site, tmp_path):
    """A file system clock ticks coarsely: a file changed just after a build
    read it may keep the modification time (and size) the build saw.  It is
    not taken as unchanged."""
    import os
    site = make_site("minimal")
    news = site / NEWS
    news.write_text(news.read_text().replace("residents", "neighbours"))   # changed just before the build
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    seen = news.stat().st_mtime_ns
    news.write_text(news.read_text().replace("neighbours", "neighbourz"))   # the same size
    os.utime(news, ns=(seen, seen))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "neighbourz" in (tmp_path / "out/areas/north-ward/news/speed-checks/index.html").read_text()


def test_a_file_added_in_the_same_clock_tick_as_the_last_build_is_not_missed(make_site, tmp_path):
    """As above, for a folder that gains a file: its listing is not reused."""
    import os
    site = make_site("minimal")
    folder = site / AREA / "news"
    add_news(site, random.Random(8))   # the folder changed just before the build
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    seen = folder.stat().st_mtime_ns
    add_news(site, random.Random(9))
    os.utime(folder, ns=(seen, seen))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert len(list((tmp_path / "out/areas/north-ward/news").iterdir())) == 5   # index and four stories


@pytest.mark.parametrize("href", ["/media/sub/", "an asset"])   # '/areas/x/index.html' is accepted by both
def test_an_area_rebuild_accepts_no_link_a_full_build_refuses(make_site, tmp_path, href):
    site = make_site("minimal")
    (site / "content/media/sub").mkdir()
    (site / "content/media/sub/index.html").write_text("<p>a media file that happens to be called index.html</p>")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    before = tree(tmp_path / "out")
    if href == "an asset":   # a file the build writes, but not a page or media file a link may lead to
        href = "/" + next(p for p in before if p.startswith("assets/site.") and p.endswith(".css"))
    (site / NEWS).write_text((site / NEWS).read_text() + f"\nSee [this]({href}).\n")
    result = try_build(site, tmp_path / "out", tmp_path / "state")
    assert result.exit_code == 1 and f"link '{href}'" in result.stderr
    assert tree(tmp_path / "out") == before


def test_a_linked_file_that_appears_later_is_seen(make_site, tmp_path):
    """A link to a missing file is in its folder's listing; when the file it
    points to appears, the folder itself has not changed."""
    import os
    import time
    site = make_site("minimal")
    target = site / "content/stories/later.md"   # in a source folder: any other link is refused (test_symlinks.py)
    (site / AREA / "news/later.md").symlink_to(target)
    a_minute_ago = time.time() - 60   # so the folder's listing is trusted next time (not "racy")
    os.utime(site / AREA / "news", (a_minute_ago, a_minute_ago))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    target.parent.mkdir()
    target.write_text("---\ntitle: Arrived later\ndate: 2026-11-20\n---\nIt came.\n")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "Arrived later" in (tmp_path / "out/areas/north-ward/news/later/index.html").read_text()
    target.unlink()
    target.mkdir()   # now a link to a folder: not a story, and no crash
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert not (tmp_path / "out/areas/north-ward/news/later").exists()


def test_a_new_base_url_reaches_the_areas_loaded_under_the_old_one(make_site, tmp_path):
    """Event ids in the calendars carry the site's host, set when an area is loaded."""
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("https://police.example.org/", "https://police.example.net/"))
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert "police.example.net" in (tmp_path / "out/areas/north-ward/events.ics").read_text()
    assert_same_as_clean(site, tmp_path)


def test_a_file_deleted_from_the_output_is_made_again(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    (tmp_path / "out/areas/south-ward/index.html").unlink()
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert (tmp_path / "out/areas/south-ward/index.html").is_file()
    (tmp_path / "out/areas/south-ward/feed.xml").unlink()
    edit_page(site, random.Random(9))   # with a change elsewhere too
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert_same_as_clean(site, tmp_path)


def test_an_asset_deleted_from_the_output_is_copied_again(make_site, tmp_path):
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    asset = next((tmp_path / "out/assets").glob("site.*.css"))
    asset.unlink()
    edit_page(site, random.Random(10))   # a full rebuild, not a no-change one
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert asset.is_file()


def theme_template(site: Path, name: str) -> str:
    from sitegen.render import make_environment
    env = make_environment(site)
    return env.loader.get_source(env, name)[0]


@pytest.mark.parametrize("partial", ["footer", "header", "emergency", "skip_link"])
def test_an_edit_to_a_partial_every_page_shows_reaches_every_page(make_site, tmp_path, partial):
    """The header, footer and banners are rendered once and given to every page,
    not included by the page templates: their edits still reach every page."""
    site = make_site("example")
    build_here(site, tmp_path)
    (site / "templates/partials").mkdir(parents=True, exist_ok=True)
    text = theme_template(site, f"partials/{partial}.html")
    (site / f"templates/partials/{partial}.html").write_text(f"<p>Edited {partial}</p>\n" + text)
    reported = build_here(site, tmp_path)
    pages = {p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.html")} - {
        "admin/index.html"}                 # the editors' admin is Decap's page, not the theme's
    assert pages <= set(reported.rendered)
    assert all(f"Edited {partial}" in (tmp_path / "out" / page).read_text() for page in pages)
    assert_same_as_clean(site, tmp_path)


def test_a_rebuild_leaves_files_whose_bytes_did_not_change_alone(make_site, tmp_path):
    """A template edit re-renders every page; those that come out as they were are
    not written again (same inode, same time), and the build is not made afresh."""
    site = make_site("minimal")
    build_here(site, tmp_path)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    (site / "templates/partials").mkdir(parents=True, exist_ok=True)
    footer = theme_template(site, "partials/footer.html")
    (site / "templates/partials/footer.html").write_text("{# a comment renders as nothing #}" + footer)
    reported = build_here(site, tmp_path)
    assert reported.selection == Selection(None) and not reported.cold
    assert len(reported.rendered) > 5 and set(reported.unchanged) == set(reported.rendered)
    assert reported.moved == 0
    after = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (tmp_path / "out").rglob("*") if p.is_file()}
    assert after == before
    assert_same_as_clean(site, tmp_path)


def test_an_edit_to_site_yaml_that_shapes_no_area_keeps_the_area_cache(make_site, tmp_path):
    """The cache of loaded areas depends on the host and the Markdown engine only."""
    site = make_site("example")
    build_here(site, tmp_path)
    before = shard_files(tmp_path / "state")
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("description:", "description: Edited.", 1))
    reported = build_here(site, tmp_path)
    assert reported.selection == Selection(None) and reported.rendered and not reported.cold
    assert shard_files(tmp_path / "state") == before
    assert_same_as_clean(site, tmp_path)


WELSH_NORTH = f"{AREA}/area.cy.yaml"


@pytest.mark.parametrize("before, after", [
    ("name: North Ward\nsummary: Gogledd.\n", None),   # deleted: its story's translation keeps a Welsh version
    (None, "name: North Ward\nsummary: Gogledd.\n"),   # created
    ("name: North Ward\nsummary: Gogledd.\n", ""),     # emptied
    ("name: North Ward\nsummary: Gogledd.\n", "summary: Gogledd.\n"),   # its name taken out
    ("summary: Gogledd.\n", "name: North Ward\nsummary: Gogledd.\n"),   # its name given
])
def test_whether_a_ward_is_translated_reaches_every_page_that_marks_its_name(make_site, tmp_path, before, after):
    """North ward's Welsh name is its English name, so only whether it is translated (and so marked
    lang="en" on the Welsh home, borough and finder pages and lookups) changes: the incremental
    build makes what a clean build makes (reviewer's finding 4)."""
    site = make_site("bilingual")
    welsh = site / WELSH_NORTH
    for text in (before, after):
        if text is None:
            welsh.unlink(missing_ok=True)
        else:
            welsh.write_text(text)
        build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert_same_as_clean(site, tmp_path)


def test_the_example_s_translation_files_taken_away_and_back(make_site, tmp_path):
    """The reviewer's case: Valence's area.cy.yaml (its Welsh name is its English one; its stories
    stay translated) taken away, then with a form's, a page's and a story's translations: each
    incremental build makes what a clean build makes (giving a file back: the bilingual cases above)."""
    site = make_site("example")
    moved = [site / "content/areas/valence/area.cy.yaml", site / "forms/report-lost-property.cy.yaml",
             site / "content/pages/about.cy.md", site / "content/areas/valence/news/speed-watch-results.cy.md"]
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    for step, gone in enumerate((moved[:1], moved)):
        for path in gone:
            path.unlink(missing_ok=True)
        build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
        clean = tmp_path / f"clean-{step}"
        build(site, clean, tmp_path / f"clean-state-{step}", "2026-11-28", "--clean")
        assert tree(tmp_path / "out") == tree(clean), [path.name for path in gone]
        shutil.rmtree(clean)
