"""Issue 15 follow-up: `sitegen build --out DIR` replaces DIR whole, so it must
never name a folder that holds anything but an earlier build.

Every dangerous --out (the site, a folder holding it, a source folder or one
inside it, .git, a folder of someone's documents) and --state (sources, the
output folder) is refused with exit 2 and a located message, and nothing is
deleted.  Always inside tmp_path copies: on the old code these tests delete
what --out names.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import BUILD_DATE, run_cli
from sitegen.errors import EXIT_USAGE
from sitegen.outputfolder import BUILD_MARKER


def build(site: Path, *args: str, cwd: Path | None = None):
    """`sitegen build --site SITE ARGS`, run from CWD (default: the site folder)."""
    old = os.getcwd()
    os.chdir(cwd or site)
    try:
        return run_cli("build", "--site", str(site), "--build-date", BUILD_DATE, *args)
    finally:
        os.chdir(old)


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under FOLDER (its .cache left out) and its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.parts}


@pytest.fixture
def site(make_site) -> Path:
    folder = make_site("minimal")
    (folder / ".git").mkdir()
    (folder / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "templates").mkdir(exist_ok=True)
    (folder / "templates" / "notes.txt").write_text("an editor's notes\n")
    return folder


# --out as given on the command line (relative to the site folder) -> words the refusal uses
DANGEROUS_OUT = {
    ".": "is the site folder or holds it",
    "..": "is the site folder or holds it",
    "content": "is the site's content or inside it",
    "content/media": "is the site's content or inside it",
    "content/new-folder": "is the site's content or inside it",
    "templates": "is the site's templates or inside it",
    "forms": "is the site's forms or inside it",
    ".git": "is the site's .git or inside it",
    "../mydocs": "is a folder that is not a sitegen build",
}


@pytest.mark.parametrize("out", sorted(DANGEROUS_OUT))
def test_a_dangerous_out_is_refused_and_nothing_is_deleted(site, out):
    mydocs = site.parent / "mydocs"
    mydocs.mkdir()
    (mydocs / "tax-return.pdf").write_bytes(b"%PDF precious")
    before_site, before_docs = tree(site), tree(mydocs)
    result = build(site, "--out", out)
    assert result.exit_code == EXIT_USAGE, result.output
    assert f"{out}: --out {DANGEROUS_OUT[out]}" in result.output
    assert "Traceback" not in result.output
    assert tree(site) == before_site and tree(mydocs) == before_docs
    assert not (site / "build").exists()


def test_a_link_to_a_source_folder_is_refused_as_the_folder(site):
    (site.parent / "shortcut").symlink_to(site / "content")
    before = tree(site)
    result = build(site, "--out", str(site.parent / "shortcut"))
    assert result.exit_code == EXIT_USAGE and "is the site's content or inside it" in result.output
    assert tree(site) == before


@pytest.mark.parametrize("state", ["content/state", "forms", ".", "build", "build/state"])
def test_a_dangerous_state_folder_is_refused(site, state):
    before = tree(site)
    result = build(site, "--state", state)
    assert result.exit_code == EXIT_USAGE, result.output
    assert f"{state}: --state " in result.output
    assert tree(site) == before


def test_every_build_is_marked_and_a_marked_or_empty_folder_is_replaced(site, tmp_path):
    assert build(site).exit_code == 0
    assert (site / "build" / BUILD_MARKER).is_file()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()                                      # empty: may be built into
    assert build(site, "--out", str(elsewhere)).exit_code == 0
    assert (elsewhere / BUILD_MARKER).is_file() and (elsewhere / "index.html").is_file()
    (site / "content" / "pages" / "about.md").write_text("---\ntitle: About\n---\nChanged.\n")
    assert build(site, "--out", str(elsewhere)).exit_code == 0   # an update keeps the marker
    assert build(site, "--out", str(elsewhere), "--clean").exit_code == 0
    assert (elsewhere / BUILD_MARKER).is_file()


def test_the_default_build_folder_from_before_the_marker_is_replaced_once_and_marked(site, tmp_path):
    old_build = site / "build"
    old_build.mkdir()
    (old_build / "index.html").write_text("an earlier sitegen's build, without the marker")
    assert build(site).exit_code == 0
    assert (old_build / BUILD_MARKER).is_file()
    assert "an earlier sitegen" not in (old_build / "index.html").read_text()
    # The same unmarked folder anywhere else is not assumed to be a build.
    other = tmp_path / "other-build"
    other.mkdir()
    (other / "index.html").write_text("unmarked")
    result = build(site, "--out", str(other))
    assert result.exit_code == EXIT_USAGE and (other / "index.html").read_text() == "unmarked"
