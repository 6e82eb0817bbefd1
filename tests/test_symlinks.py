"""Issue 15 class D: nothing outside the site folder is read or published
through a symbolic link; `check` (and so every build) names each such link.

Every shape of link (absolute, relative with ../, to a folder, a chain of
links, dangling) in every place a build reads (media, pages, news, area.yaml,
template overrides, assets, forms) is refused; a link inside the site works.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import threading
from datetime import date
from pathlib import Path

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.build import Reporter, Selection, build
from sitegen.build.select import scan
from sitegen.build.sources import MEDIA, area_unit
from sitegen.errors import SitegenError
from sitegen.outputfolder import BUILD_MARKER
from sitegen.sitefiles import outside_links, outside_target

SECRET = "SECRET-OUTSIDE-THE-SITE"


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the site holding files a link might point at."""
    folder = tmp_path / "outside"
    (folder / "dir").mkdir(parents=True)
    (folder / "passwd").write_text(f"root:x:0:0:{SECRET}\n")
    (folder / "dir" / "passwd").write_text(f"{SECRET}\n")
    (folder / "page.md").write_text(f"---\ntitle: Stolen\n---\n{SECRET}\n")
    return folder


def _absolute(link: Path, outside: Path, name: str) -> Path:
    link.symlink_to(outside / name)
    return outside / name


def _relative(link: Path, outside: Path, name: str) -> Path:
    link.symlink_to(os.path.relpath(outside / name, link.parent))
    return outside / name


def _chain(link: Path, outside: Path, name: str) -> Path:
    """site link -> another link in the site -> the file outside."""
    middle = link.parent / f".middle-{link.name}"
    middle.symlink_to(outside / name)
    link.symlink_to(middle.name)
    return outside / name


SHAPES = {"absolute": _absolute, "relative ../": _relative, "chain": _chain}

# place in the site -> the file outside it points at
PLACES = {
    "content/media/passwd": "passwd",
    "content/pages/stolen.md": "page.md",
    "content/areas/north-ward/news/stolen.md": "page.md",
    "templates/page.html": "passwd",
    "assets/site.css": "passwd",
}


def _secret_published(build: Path) -> bool:
    return any(SECRET.encode() in p.read_bytes() for p in build.rglob("*") if p.is_file())


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("place", PLACES)
def test_a_link_out_of_the_site_is_reported_and_never_read(make_site, outside, place, shape):
    site = make_site("minimal")
    link = site / place
    link.parent.mkdir(parents=True, exist_ok=True)
    target = SHAPES[shape](link, outside, PLACES[place])
    expected = (f"{place}: is a link to a file outside the site ({os.path.realpath(target)});"
                " copy the file into the site instead")
    check = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert check.exit_code == 1 and expected in check.stderr.splitlines()
    build = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert build.exit_code == 1 and expected in build.stderr.splitlines()
    assert not (site / "build").exists() or not _secret_published(site / "build")


def test_the_field_example_media_link_to_etc_passwd(make_site):
    site = make_site("minimal")
    (site / "content/media/passwd").symlink_to("/etc/passwd")
    check = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert check.exit_code == 1
    assert ("content/media/passwd: is a link to a file outside the site (/etc/passwd);"
            " copy the file into the site instead") in check.stderr.splitlines()


@pytest.mark.parametrize("place", ["content/media/photos", "content/areas/stolen-ward", "forms"])
def test_a_link_to_a_folder_outside_is_reported_and_its_files_never_read(make_site, outside, place):
    site = make_site("minimal")
    link = site / place
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(outside / "dir")
    (outside / "dir" / "area.yaml").write_text(f"name: {SECRET}\n")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert (f"{place}: is a link to a folder outside the site ({os.path.realpath(outside / 'dir')});"
            " copy the folder into the site instead") in result.stderr.splitlines()
    assert "Traceback" not in result.output


def test_a_dangling_link_pointing_outside_is_reported(make_site, tmp_path):
    site = make_site("minimal")
    (site / "content/media/gone.png").symlink_to(tmp_path / "no-such-file.png")
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert f"content/media/gone.png: is a link to a missing file outside the site ({tmp_path}/no-such-file.png)" \
        in result.stderr


def test_an_area_yaml_linked_from_outside_is_not_read(make_site, outside):
    site = make_site("minimal")
    area = site / "content/areas/north-ward/area.yaml"
    (outside / "area.yaml").write_text(area.read_text().replace("North Ward", SECRET))
    area.unlink()
    area.symlink_to(outside / "area.yaml")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert "content/areas/north-ward/area.yaml: is a link to a file outside the site" in result.stderr
    assert SECRET not in result.output


def test_links_to_sources_are_followed_as_before(make_site):
    site = make_site("minimal")
    shared = site / "assets" / "shared"     # a source folder: links may lead only into one
    shared.mkdir(parents=True)
    (shared / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (site / "content/media/logo.svg").symlink_to("../../assets/shared/logo.svg")
    (site / "content/media/chain.svg").symlink_to("logo.svg")
    (site / "content/pages/about-us.md").symlink_to("about.md")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    assert (site / "build/media/logo.svg").read_bytes() == (shared / "logo.svg").read_bytes()
    assert (site / "build/media/chain.svg").is_file() and (site / "build/about-us/index.html").is_file()
    assert outside_links(site) == []


def test_a_loop_of_links_inside_the_site_ends(make_site):
    site = make_site("minimal")
    (site / "content/media/loop").symlink_to(".")
    assert outside_links(site) == []


def test_outside_target_over_link_shapes(tmp_path):
    site, elsewhere = tmp_path / "site", tmp_path / "site-elsewhere"   # a sibling sharing the name's start
    (site / "a").mkdir(parents=True)
    elsewhere.mkdir()
    (site / "a/file").write_text("x")
    cases = {"a/in": "file", "a/up-in": "../a/file", "a/out": str(elsewhere), "a/up-out": "../../site-elsewhere",
             "a/root": "/"}
    for name, target in cases.items():
        (site / name).symlink_to(target)
    assert outside_target(site, site / "a/in") is None
    assert outside_target(site, site / "a/up-in") is None
    assert outside_target(site, site / "a/out") == str(elsewhere)
    assert outside_target(site, site / "a/up-out") == str(elsewhere)
    assert outside_target(site, site / "a/root") == "/"
    assert outside_target(site, site) is None


def source_units(site: Path) -> dict:
    """The source units of SITE as a build's first scan finds them."""
    return scan(site, site / "build", site / ".cache/build", clean=True).sources


def test_the_source_scan_does_not_read_through_a_link_out(make_site, outside):
    """The incremental scan hashes where such a link leads, never what it leads to."""
    site = make_site("minimal")
    (site / "content/media/passwd").symlink_to(outside / "passwd")
    (site / "content/pages/stolen.md").symlink_to(outside / "page.md")
    (site / "content/areas/stolen-ward").symlink_to(outside / "dir")
    before = source_units(site)
    for name in ("passwd", "page.md", "dir/passwd"):
        (outside / name).write_text("changed outside the site")
    assert source_units(site) == before
    (site / "content/media/passwd").unlink()
    (site / "content/media/passwd").symlink_to(outside / "page.md")
    assert source_units(site)[MEDIA] != before[MEDIA]


def test_a_link_out_added_after_a_build_stops_the_next_build(make_site, outside):
    site = make_site("minimal")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    before = {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()}
    (site / "content/areas/north-ward/news/stolen.md").symlink_to(outside / "page.md")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert "content/areas/north-ward/news/stolen.md: is a link to a file outside the site" in result.stderr
    assert {p: p.read_bytes() for p in (site / "build").rglob("*") if p.is_file()} == before


def test_a_link_out_in_an_area_folder_stops_the_area_rebuild_too(make_site, outside):
    """Even where the area loader reads nothing (a stray file), the build says what `check` says."""
    site = make_site("minimal")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    (site / "content/areas/north-ward/notes.txt").symlink_to(outside / "passwd")
    expected = "content/areas/north-ward/notes.txt: is a link to a file outside the site"
    for command in ("check", "build"):
        result = run_cli(command, "--site", str(site), "--build-date", BUILD_DATE)
        assert result.exit_code == 1 and expected in result.stderr


# --- publish reads nothing outside build/ --------------------------------------------------

def _link_to_passwd(build: Path, outside: Path) -> Path:
    (build / "passwd.txt").symlink_to(outside / "passwd")
    return outside / "passwd"


def _link_to_folder(build: Path, outside: Path) -> Path:
    (build / "media" / "docs").symlink_to(outside / "dir")
    return outside / "dir"


def _relative_chain(build: Path, outside: Path) -> Path:
    (build / "media" / "inner.txt").symlink_to(os.path.relpath(outside / "passwd", build / "media"))
    (build / "areas" / "stolen.html").symlink_to("../media/inner.txt")
    return outside / "passwd"


BUILD_LINKS = {"passwd.txt": _link_to_passwd, "media/docs": _link_to_folder, "areas/stolen.html": _relative_chain}


@pytest.mark.parametrize("entry", sorted(BUILD_LINKS))
def test_publish_refuses_a_link_out_of_build_and_uploads_nothing(make_site, outside, moto_endpoint, bucket,
                                                                   entry):
    site = make_site("minimal")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    target = BUILD_LINKS[entry](site / "build", outside)
    result = run_cli("publish", "--site", str(site), "--endpoint-url", moto_endpoint, "--bucket", bucket,
                     "--build-date", BUILD_DATE, "--json")
    assert result.exit_code == 1, result.output
    assert f"build/{entry}: is a link to {os.path.realpath(target)}, outside the build folder" in result.stderr
    assert "Traceback" not in result.output
    assert boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_publish_sends_a_link_inside_build_and_never_the_build_marker(make_site, moto_endpoint, bucket):
    site = make_site("minimal")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    (site / "build" / "home.html").symlink_to("index.html")
    result = run_cli("publish", "--site", str(site), "--endpoint-url", moto_endpoint, "--bucket", bucket,
                     "--build-date", BUILD_DATE, "--json")
    assert result.exit_code == 0, result.output
    s3 = boto3.client("s3", endpoint_url=moto_endpoint)
    keys = {o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])}
    assert "home.html" in keys and "index.html" in keys
    assert BUILD_MARKER not in keys and (site / "build" / BUILD_MARKER).is_file()


# --- links that stay in the site but lead to what is not a source (issue 15 class D, round 3) -------------

# what a link leads to, relative to the site -> content written there
NOT_SOURCES = {".git/config": "[core]\n", ".env": "AWS_SECRET_ACCESS_KEY=x\n", ".cache/build/state.bin": "p",
               "build/index.html": "<p>old</p>", "node_modules/ajv/package.json": "{}", "site.yaml": None,
               "content/.drafts/plan.md": "---\ntitle: x\n---\n", "content/media/.git/config": "[core]\n",
               ".git": None, "shared/logo.svg": "<svg/>"}
LINK_PLACES = ["content/media/leaked.txt", "content/media/sub/leaked.txt", "content/pages/leaked.md",
               "content/areas/north-ward/news/leaked.md", "templates/leaked.html", "assets/leaked.css",
               "forms/leaked.yaml"]


def _not_source(site: Path, target: str) -> Path:
    path = site / target
    if (content := NOT_SOURCES[target]) is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content)
    elif not path.exists():
        path.mkdir()
    return path


@pytest.mark.parametrize("absolute", [False, True])
@pytest.mark.parametrize("place", LINK_PLACES)
@pytest.mark.parametrize("target", sorted(NOT_SOURCES))
def test_a_link_to_what_is_not_a_source_is_reported_at_the_link(make_site, target, place, absolute):
    site = make_site("minimal")
    path = _not_source(site, target)
    link = site / place
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(path if absolute else os.path.relpath(path, link.parent))
    problems = [p for p in outside_links(site) if p.path == place]
    assert len(problems) == 1, outside_links(site)
    assert f"is a link to {target}, which is not a source of the site" in problems[0].message


@pytest.mark.parametrize("target", ["content/pages/about.md", "content/media/bike.svg", "assets", "content/media"])
def test_a_link_to_a_source_is_no_problem(make_site, target):
    site = make_site("minimal")
    link = site / "content/media/linked"
    link.symlink_to(os.path.relpath(site / target, link.parent))
    assert outside_links(site) == []


def test_the_reviewers_gitconfig_link_fails_check_and_build_and_is_never_published(make_site, moto_endpoint,
                                                                                    bucket):
    site = make_site("minimal")
    _not_source(site, ".git/config")
    (site / "content/media/gitconfig.txt").symlink_to("../../.git/config")
    expected = ("content/media/gitconfig.txt: is a link to .git/config, which is not a source of the site"
                " (links may lead only into content/, templates/, assets/ and forms/")
    check = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert check.exit_code == 1 and expected in check.stderr, check.output
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 1
    assert not (site / "build").exists()
    published = run_cli("publish", "--site", str(site), "--endpoint-url", moto_endpoint, "--bucket", bucket,
                        "--build-date", BUILD_DATE, "--json")
    assert published.exit_code == 1 and expected in published.stderr and "Traceback" not in published.output
    assert boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=bucket).get("KeyCount") == 0


names = st.text(st.characters(blacklist_characters="/\x00"), min_size=1, max_size=6).filter(
    lambda n: n not in (".", ".."))


@settings(max_examples=200, deadline=None)
@given(st.lists(names, min_size=0, max_size=4), st.lists(names, min_size=1, max_size=4))
def test_the_site_folder_of_a_file_is_found_from_its_relative_name(root_parts, rel_parts):
    """root_of gives back the folder a site file was named relative to, the
    quick way for plain paths and the careful way for any other."""
    from sitegen.sitefiles import root_of
    root, rel = Path("/", *root_parts), "/".join(rel_parts)
    assert root_of(root / rel, rel) == root
    assert root_of(root / rel, "other/" + rel) is None or root_parts[-1:] == ["other"]


# --- links to folders inside an area are hashed through (issue 16) ---------------------------

def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build_here(site: Path, tmp_path: Path) -> Reporter:
    """Build SITE into tmp_path/out (state in tmp_path/state); what the build reported."""
    reporter = Reporter()
    build(site, tmp_path / "out", date.fromisoformat(BUILD_DATE), state_dir=tmp_path / "state", reporter=reporter)
    return reporter


def _assert_same_as_clean(site: Path, tmp_path: Path) -> None:
    """The incremental build in tmp_path/out is byte for byte a clean build of SITE."""
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "clean"), "--state",
                     str(tmp_path / "clean-state"), "--build-date", BUILD_DATE, "--clean")
    assert result.exit_code == 0, result.output
    assert _tree(tmp_path / "out") == _tree(tmp_path / "clean")


def _link_news_to_common(site: Path) -> Path:
    """Move north-ward's news to content/common/news, leaving a link in its place."""
    common = site / "content/common/news"
    common.parent.mkdir()
    (site / "content/areas/north-ward/news").rename(common)
    (site / "content/areas/north-ward/news").symlink_to("../../common/news")
    return common


SPEED_CHECKS = "areas/north-ward/news/speed-checks/index.html"


def test_an_edit_inside_a_linked_news_folder_rebuilds_its_page(make_site, tmp_path):
    site = make_site("minimal")
    common = _link_news_to_common(site)
    _build_here(site, tmp_path)
    with (common / "speed-checks.md").open("a") as story:
        story.write("\nEdited through the link XYZZY.\n")
    reported = _build_here(site, tmp_path)
    assert SPEED_CHECKS in reported.rendered
    assert b"XYZZY" in (tmp_path / "out" / SPEED_CHECKS).read_bytes()
    _assert_same_as_clean(site, tmp_path)


def test_a_linked_folder_moved_to_another_with_the_same_time_is_listed_afresh(make_site, tmp_path):
    """The listing of a linked folder is kept by where the link leads, not by the link's name."""
    site = make_site("minimal")
    common = _link_news_to_common(site)
    _build_here(site, tmp_path)
    other = common.parent / "other-news"   # the same stories and one more: the old listing would hash the same
    shutil.copytree(common, other)
    (other / "new-story.md").write_text("---\ntitle: A new story\ndate: 2026-11-20\n---\nNew.\n")
    stamp = common.stat().st_mtime_ns - 10 * 10**9   # long settled, so a cached listing would be trusted
    os.utime(common, ns=(stamp, stamp))
    _build_here(site, tmp_path)                       # the listing of common/news kept at STAMP
    os.utime(other, ns=(stamp, stamp))
    link = site / "content/areas/north-ward/news"
    link.unlink()
    link.symlink_to("../../common/other-news")
    reported = _build_here(site, tmp_path)
    assert "areas/north-ward/news/new-story/index.html" in reported.rendered
    _assert_same_as_clean(site, tmp_path)


def _scan_within(site: Path, seconds: float) -> dict:
    """source_units(SITE), failing the test if it takes longer than SECONDS (a loop followed for ever)."""
    found: list[dict] = []
    worker = threading.Thread(target=lambda: found.append(source_units(site)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the scan did not end"
    assert found, "the scan raised"
    return found[0]


def test_a_loop_of_links_in_an_area_neither_hangs_nor_crashes_the_scan(make_site, tmp_path):
    site = make_site("minimal")
    news = site / "content/areas/north-ward/news"
    (news / "self").symlink_to(".")
    (news / "up").symlink_to("..")
    (news / "area").symlink_to("../../north-ward")
    units = _scan_within(site, 20)
    assert units[area_unit("north-ward")] and units == _scan_within(site, 20)
    check = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert "Traceback" not in check.output and check.exit_code == 0, check.output
    _build_here(site, tmp_path)
    with (news / "speed-checks.md").open("a") as story:
        story.write("\nStill rebuilt.\n")
    assert SPEED_CHECKS in _build_here(site, tmp_path).rendered
    _assert_same_as_clean(site, tmp_path)


def _draft_area(site: Path) -> Path:
    draft = site / "content/areas/.draft"
    shutil.copytree(site / "content/areas/north-ward", draft)
    return draft


def test_an_edit_in_a_hidden_area_folder_selects_nothing(make_site, tmp_path):
    site = make_site("minimal")
    draft = _draft_area(site)
    _build_here(site, tmp_path)
    with (draft / "news/speed-checks.md").open("a") as story:
        story.write("\nA draft edit.\n")
    (draft / "news/another.md").write_text("---\ntitle: Draft\ndate: 2026-11-20\n---\nDraft.\n")
    reported = _build_here(site, tmp_path)
    assert reported.selections == [] and reported.rendered == []
    _assert_same_as_clean(site, tmp_path)


def test_an_edit_beside_a_hidden_area_edit_selects_its_own_area_alone(make_site, tmp_path):
    site = make_site("minimal")
    draft = _draft_area(site)
    _build_here(site, tmp_path)
    for folder in (draft, site / "content/areas/north-ward"):
        with (folder / "news/speed-checks.md").open("a") as story:
            story.write("\nEdited.\n")
    assert _build_here(site, tmp_path).selections[0] == Selection(frozenset({"north-ward"}))
    _assert_same_as_clean(site, tmp_path)


def test_a_link_out_added_in_a_hidden_area_folder_is_still_reported_by_the_build(make_site, outside):
    site = make_site("minimal")
    draft = _draft_area(site)
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    (draft / "news/stolen.md").symlink_to(outside / "page.md")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert "content/areas/.draft/news/stolen.md: is a link to a file outside the site" in result.stderr


def _ping_pong(site: Path) -> None:
    """Two links in north-ward's news leading to each other: opening either fails (ELOOP)."""
    news = site / "content/areas/north-ward/news"
    (news / "ping").symlink_to("pong")
    (news / "pong").symlink_to("ping")


def test_a_loop_of_links_to_nothing_neither_hangs_nor_crashes_the_scan(make_site, tmp_path):
    site = make_site("minimal")
    before = _scan_within(site, 20)
    _ping_pong(site)
    assert _scan_within(site, 20) == before   # hashed as a link to nothing (yet)
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--state",
                     str(tmp_path / "state"), "--build-date", BUILD_DATE)
    assert "Traceback" not in result.output and "Too many levels of symbolic links" in result.stderr


def test_check_names_a_loop_of_links_to_nothing(make_site):
    site = make_site("minimal")
    _ping_pong(site)
    check = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert "Traceback" not in check.output + check.stderr and check.exit_code == 1
    assert "is a link that leads nowhere" in check.stderr


class _SwapAtWrite(Reporter):
    """A reporter that, as the build starts writing, does to the site what SWAP does: an
    editor (or anyone) saving mid-build, after the story was read and let through."""

    def __init__(self, swap) -> None:
        super().__init__()
        self.swap, self.done = swap, False

    @contextlib.contextmanager
    def phase(self, name: str):
        if name == "write" and not self.done:
            self.done = True
            self.swap()
        with super().phase(name):
            yield


@pytest.mark.parametrize("target", ["page.md", "passwd"])
def test_a_story_swapped_for_a_link_out_mid_build_is_refused_not_read(make_site, outside, tmp_path, target):
    """A story read and let through at load, replaced by a link out of the site before its body
    is read again to render its page and feed entry: refused, and nothing of it published."""
    site = make_site("minimal")
    story = site / "content/areas/north-ward/news/speed-checks.md"

    def swap() -> None:
        story.unlink()
        story.symlink_to(outside / target)

    with pytest.raises(SitegenError) as refused:
        build(site, tmp_path / "out", date(2026, 11, 28), jobs=1, reporter=_SwapAtWrite(swap))
    assert "outside the site" in str(refused.value)
    published = [p for p in (tmp_path / "out").rglob("*") if p.is_file()] if (tmp_path / "out").exists() else []
    assert not any(SECRET in p.read_text(errors="replace") for p in published)
