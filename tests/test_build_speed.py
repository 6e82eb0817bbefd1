"""What keeps a build with little to do quick, without changing what it makes: a
build with nothing to do keeps the stamps of files it had to read again; an area
folder whose files all kept their size and time keeps its hashes unread (and
one changed in place, its folder's time unchanged, is still read); a missing
output is found from an open output folder."""
from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build import Reporter, build
from sitegen.build.hashing import Hasher
from sitegen.build.select import any_missing, missing_outputs
from sitegen.build.sources import area_text_unit, area_unit, source_units, translations_unit
from sitegen.build.state import load_state

MINIMAL = Path(__file__).resolve().parent / "sites" / "minimal"
DAY = date(2026, 11, 28)
PAST = time.time_ns() - 3600 * 10**9   # an hour ago: past the hasher's two seconds of doubt


def _settle(site: Path) -> None:
    """Date every file and folder of SITE an hour back, as if saved long before the build."""
    for folder, dirs, files in os.walk(site):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), ns=(PAST, PAST))
    os.utime(site, ns=(PAST, PAST))


def test_a_build_with_nothing_to_do_keeps_the_stamps_of_files_it_read_again(make_site, tmp_path):
    site, out, state = make_site("minimal"), tmp_path / "out", tmp_path / "state"
    _settle(site)
    build(site, out, DAY, state_dir=state)
    area = site / "content/areas/north-ward/area.yaml"
    os.utime(area, ns=(PAST + 10**9, PAST + 10**9))   # touched, not changed
    reporter = Reporter()
    build(site, out, DAY, state_dir=state, reporter=reporter)
    assert reporter.selection is None and reporter.rendered == []
    assert load_state(state).stamps[str(area)][0] == PAST + 10**9
    # The next build with nothing to do reads nothing again.
    found = Hasher(load_state(state).stamps, load_state(state).folders)
    source_units(site, found, load_state(state).sources)
    assert found.fresh == 0


def _units(site: Path, stamps: Hasher | None = None) -> tuple[dict, Hasher]:
    hasher = Hasher(stamps.stamps if stamps else {}, stamps.folders if stamps else {})
    return source_units(site, hasher, None), hasher


@settings(max_examples=25, deadline=None)
@given(change=st.sampled_from(["append", "same size", "new file", "translation", "none"]))
def test_an_unchanged_area_keeps_its_hashes_and_a_changed_one_is_read(change):
    """The fast path (Hasher.unchanged_tree) gives the hashes hashing every file gives."""
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(MINIMAL, site, ignore=shutil.ignore_patterns("expected", ".cache"))
        _changed_area_is_read(site, change)


def _changed_area_is_read(site: Path, change: str) -> None:
    _settle(site)
    first, hasher = _units(site)
    news = site / "content/areas/north-ward/area.yaml"   # (an area's own file, edited as news is)
    folder_time = os.stat(news.parent).st_mtime_ns
    if change == "append":
        with news.open("a") as handle:
            handle.write("# a comment\n")
    elif change == "same size":
        text = news.read_text()
        news.write_text(text.replace("North", "Nurth", 1))
    elif change == "new file":
        (news.parent / "news").mkdir(exist_ok=True)
        (news.parent / "news" / "late.md").write_text("---\ntitle: Late\ndate: 2026-11-01\n---\nText.\n")
    elif change == "translation":
        (news.parent / "area.cy.yaml").write_text("name: Ward y Gogledd\n")
    if change in ("append", "same size"):   # an edit in place leaves the folder's time as it was
        os.utime(news.parent, ns=(folder_time, folder_time))
    fast = Hasher(hasher.stamps, hasher.folders)
    kept = source_units(site, fast, first)
    assert kept == _units(site)[0]   # as a scan hashing every file finds them
    slug = "north-ward"
    same = all(kept[u] == first[u]
               for u in (area_unit(slug), area_text_unit(slug), translations_unit(area_unit(slug))))
    assert same == (change == "none") == (fast.fresh == 0)   # nothing read again, unless changed


def test_missing_outputs_are_found_from_the_open_output_folder(tmp_path):
    (tmp_path / "areas/a").mkdir(parents=True)
    (tmp_path / "areas/a/index.html").write_text("a")
    (tmp_path / "index.html").write_text("home")
    paths = ["index.html", "areas/a/index.html", "areas/b/index.html", "gone.xml", "index.html/x"]
    assert missing_outputs(tmp_path, paths) == ["areas/b/index.html", "gone.xml", "index.html/x"]
    assert missing_outputs(tmp_path, paths, first=True) == ["areas/b/index.html"]
    assert any_missing(tmp_path, paths) and not any_missing(tmp_path, paths[:2])
    assert missing_outputs(tmp_path / "nowhere", paths[:2]) == paths[:2]


def test_work_meanwhile_runs_once_here_while_the_workers_work():
    from sitegen.parallel import parallel_map
    parent, calls = os.getpid(), []
    results = list(parallel_map(lambda item: (item, os.getpid()), range(400), jobs=2,
                                meanwhile=lambda: calls.append(os.getpid())))
    assert calls == [parent] and [r for r, _ in results] == list(range(400))
    assert {pid for _, pid in results} != {parent}   # the items went to the workers
    calls.clear()
    assert list(parallel_map(str, range(3), jobs=2, meanwhile=lambda: calls.append(1))) == ["0", "1", "2"]
    assert calls == [1]   # too few items for workers: called all the same


def test_a_first_build_hashes_while_rendering_and_reports_its_phases_in_order(make_site, tmp_path):
    site = make_site("minimal")
    reporter = Reporter()
    build(site, tmp_path / "out", DAY, state_dir=tmp_path / "state", reporter=reporter, jobs=2)
    assert list(reporter.phases) == ["scan", "load and check", "hash", "write", "keep"] and reporter.cold
    assert load_state(tmp_path / "state").outputs.keys() == set(reporter.rendered + reporter.copied)
    assert (tmp_path / "state" / "areas").is_dir()   # the area cache, kept while rendering


def test_the_walks_for_names_and_links_made_while_workers_load_report_as_one_process_does(make_site):
    """load_and_check walks the sources (links out, bad names) while the workers load the
    areas: its problems, in order, are those of the same check in one process."""
    from sitegen.build.checks import load_and_check
    from sitegen.errors import SitegenError
    site = make_site("minimal")
    for number in range(220):   # enough areas for the loading to go to workers
        folder = site / f"content/areas/ward-{number}"
        folder.mkdir()
        (folder / "area.yaml").write_text(f"name: Ward {number}\n")
    (site / "content/areas/ward-3/bad\u200bname.md").write_text("x")
    (site / "content/areas/ward-4/away.md").symlink_to("/etc/hostname")
    found = []
    for jobs in (1, 2):
        try:
            load_and_check(site, DAY, jobs=jobs)
        except SitegenError as error:
            found.append([str(p) for p in error.problems])
    assert len(found) == 2 and found[0] == found[1]
    assert any("invisible character" in p for p in found[0]) and any("outside the site" in p for p in found[0])


# The files of a small tree, and the folders on the way to them that a test may make links.
_FILES = ["content/a/f.md", "content/b/f.md", "content/a/a/f.md", "content/a/b/f.md", "content/b/a/f.md"]
_FOLDERS = ["content/a", "content/b", "content/a/a", "content/a/b", "content/b/a"]


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(_FOLDERS), st.booleans(), st.permutations(_FILES))
def test_a_link_anywhere_on_the_way_is_refused_with_folders_checked_once(linked, outside, order):
    """Under folders_checked_once (one build), the files reached through the one linked folder
    (to a copy outside the site, or to a hidden folder in it) are refused and the others read,
    in any order of reading: a folder found plain for one file is no link for the next."""
    from sitegen.errors import SitegenError
    from sitegen.sitefiles import folders_checked_once, refuse_link_out
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        for rel in _FILES:
            (site / rel).parent.mkdir(parents=True, exist_ok=True)
            (site / rel).write_text("x")
        away = Path(tmp) / "away" if outside else site / "content" / ".hidden"
        shutil.move(site / linked, away)
        (site / linked).symlink_to(away)
        with folders_checked_once():
            for rel in order:
                refused = True
                try:
                    refuse_link_out(site / rel, rel)
                    refused = False
                except SitegenError as error:
                    assert error.problems[0].path == rel
                assert refused == rel.startswith(linked + "/"), (rel, linked)


def test_a_folder_made_a_link_between_two_builds_is_refused_in_the_second(tmp_path):
    """What one build found to be no link is looked at again by the next (sitegen serve
    builds again in the same process)."""
    from sitegen.errors import SitegenError
    from sitegen.sitefiles import folders_checked_once, refuse_link_out
    site, away = tmp_path / "site", tmp_path / "away"
    (site / "content/a").mkdir(parents=True)
    (site / "content/a/f.md").write_text("x")
    with folders_checked_once():
        refuse_link_out(site / "content/a/f.md", "content/a/f.md")
    shutil.move(site / "content/a", away)
    (site / "content/a").symlink_to(away)
    for scoped in (True, False):
        with folders_checked_once() if scoped else contextlib.nullcontext():
            try:
                refuse_link_out(site / "content/a/f.md", "content/a/f.md")
            except SitegenError:
                continue
            raise AssertionError("a link out was read")


def test_a_site_without_boundaries_is_built_without_importing_shapely(tmp_path):
    """shapely (and numpy behind it) costs a build 0.1 s of imports and 18 MB: only a site with a
    ward boundary needs it.  In a fresh interpreter, as sitegen runs."""
    import subprocess
    import sys
    site = tmp_path / "site"
    shutil.copytree(MINIMAL, site, ignore=shutil.ignore_patterns("expected", ".cache"))
    assert not list(site.rglob("boundary.geojson"))
    script = ("import sys; from datetime import date; from pathlib import Path; from sitegen.build import build; "
              f"build(Path({str(site)!r}), Path({str(tmp_path / 'out')!r}), date(2026, 11, 28), jobs=1); "
              "print(sorted(m for m in ('shapely', 'numpy') if m in sys.modules))")
    imported = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "[]"
