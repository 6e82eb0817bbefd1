"""Telling whether the sources changed while a build read them, when the scan took an
unchanged area folder's listings and stamps without noting each file as seen
(Hasher.unchanged_tree, Hasher.changed_since): the answer is the one a scan that
hashed every file, and noted each as seen, gives."""
from __future__ import annotations

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
from sitegen.build.sources import source_units

MINIMAL = Path(__file__).resolve().parent / "sites" / "minimal"
DAY = date(2026, 11, 28)
PAST = time.time_ns() - 3600 * 10**9   # an hour ago: past the hasher's two seconds of doubt
LATER = PAST + 10**9

AREA = "content/areas/north-ward"
CHANGES = ["none", "append", "same size, new time", "new time only", "delete", "new file", "new folder",
           "folder time", "replace by folder", "link"]


def _settle(site: Path) -> None:
    """Date every file and folder of SITE an hour back, as if saved long before the build."""
    for folder, dirs, files in os.walk(site):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), ns=(PAST, PAST))
    os.utime(site, ns=(PAST, PAST))


def _change(site: Path, change: str, where: str) -> None:
    """Make CHANGE to the file WHERE (under the site's area folder), keeping folder times
    where an edit in place would."""
    file = site / AREA / where
    folder_time = os.stat(file.parent).st_mtime_ns
    if change == "append":
        with file.open("a") as handle:
            handle.write("# more\n")
    elif change == "same size, new time":
        file.write_bytes(file.read_bytes().upper())
        os.utime(file, ns=(LATER, LATER))
    elif change == "new time only":
        os.utime(file, ns=(LATER, LATER))
    elif change == "delete":
        file.unlink()
    elif change == "new file":
        (file.parent / "late.md").write_text("x")
    elif change == "new folder":
        (file.parent / "later").mkdir()
    elif change == "folder time":
        os.utime(file.parent, ns=(LATER, LATER))
    elif change == "replace by folder":
        file.unlink()
        file.mkdir()
    elif change == "link":
        file.unlink()
        file.symlink_to(site / "site.yaml")
    if change in ("append", "same size, new time", "new time only", "replace by folder", "link"):
        os.utime(file.parent, ns=(folder_time, folder_time))   # the worst case: as if unseen


@settings(max_examples=60, deadline=None)
@given(change=st.sampled_from(CHANGES), where=st.sampled_from(["area.yaml", "news/speed-checks.md"]),
       read_area=st.booleans())
def test_changed_since_answers_as_a_scan_that_noted_every_file(change, where, read_area):
    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        shutil.copytree(MINIMAL, site, ignore=shutil.ignore_patterns("expected", ".cache"))
        _settle(site)
        first = Hasher({}, {})
        last = source_units(site, first, None)
        fast, slow = Hasher(first.stamps, first.folders), Hasher(first.stamps, first.folders)
        assert source_units(site, fast, last) == source_units(site, slow, None) == last
        assert f"{site}/{AREA}" in fast.unchanged and not slow.unchanged   # (the fast path was taken)
        _change(site, change, where)

        def read(path: str) -> bool:
            return read_area or not path.startswith(f"{site}/{AREA}")

        assert fast.changed_since(read) == slow.changed_since(read) == (read_area and change != "none")


def test_an_unchanged_area_edited_while_a_whole_build_reads_it_and_then_undone_is_not_missed(make_site, tmp_path):
    """The scan found the area unchanged (its files' stamps, not hashed); the whole build
    (site.yaml changed) read the edit; undoing it must still bring the page back."""
    site = make_site("minimal")
    _settle(site)
    out, state = tmp_path / "out", tmp_path / "state"
    news = site / AREA / "news/speed-checks.md"
    page = out / "areas/north-ward/news/speed-checks/index.html"
    build(site, out, DAY, state_dir=state)
    original = news.read_bytes()
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("A tiny site", "A small site"))

    class EditWhileLoading(Reporter):
        def phase(self, name: str):  # type: ignore[no-untyped-def]
            if name == "load and check":
                news.write_bytes(original + b"\nSaved mid-build.\n")
            return super().phase(name)

    during = EditWhileLoading()
    build(site, out, DAY, state_dir=state, reporter=during)
    assert during.selection is not None and during.selection.whole
    assert "Saved mid-build" in page.read_text()
    news.write_bytes(original)   # back to what the scan found
    build(site, out, DAY, state_dir=state)
    assert "Saved mid-build" not in page.read_text()
