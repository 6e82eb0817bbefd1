"""Builds that save their state as a delta of the base file (state.save_state): an edit
in place writes the delta only, and the state read back is the one a whole build of
the same site saves; what the builds make stays what a clean build makes."""
from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

from sitegen.build import Reporter, build
from sitegen.build.state import DELTA_FILE, STATE_FILE, BuildState, load_state

DAY = date(2026, 11, 28)
NEWS = "content/areas/north-ward/news/speed-checks.md"


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def comparable(state: BuildState) -> BuildState:
    """STATE without what depends on when it was made (stamps not yet trusted) or on
    which templates it happened to hash."""
    return dataclasses.replace(state, stamps={k: v[1:] for k, v in state.stamps.items()},
                               folders={k: v[1] for k, v in state.folders.items()}, templates={})


def _with_wards(site: Path, count: int) -> Path:
    """SITE with COUNT more wards: enough entries that an edit to one is a small part of the state."""
    for number in range(count):
        folder = site / f"content/areas/ward-{number}"
        folder.mkdir()
        (folder / "area.yaml").write_text(f"name: Ward {number}\nborough: Borough\n")
    return site


def test_edits_in_place_write_a_delta_that_reads_back_as_a_whole_build_s_state(make_site, tmp_path):
    site = _with_wards(make_site("minimal"), 40)
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, DAY, state_dir=state)
    base = (state / STATE_FILE).read_bytes()
    news = site / NEWS
    for number in range(3):
        news.write_text(news.read_text() + f"\nAn update, number {number}.\n")
        reporter = Reporter()
        build(site, out, DAY, state_dir=state, reporter=reporter)
        assert reporter.selection is not None and not reporter.selection.whole
        assert (state / STATE_FILE).read_bytes() == base and (state / DELTA_FILE).stat().st_size < len(base)
    build(site, tmp_path / "whole", DAY, state_dir=tmp_path / "whole-state")
    narrow, whole = load_state(state), load_state(tmp_path / "whole-state")
    assert comparable(narrow) == dataclasses.replace(comparable(whole), out_dir=narrow.out_dir)
    build(site, tmp_path / "clean", DAY, state_dir=tmp_path / "clean-state", clean=True)
    assert tree(out) == tree(tmp_path / "clean")


def test_a_new_file_writes_a_new_base(make_site, tmp_path):
    site = _with_wards(make_site("minimal"), 40)
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, DAY, state_dir=state)
    base = (state / STATE_FILE).read_bytes()
    (site / "content/areas/north-ward/news/late.md").write_text("---\ntitle: Late\ndate: 2026-11-01\n---\nText.\n")
    build(site, out, DAY, state_dir=state)
    assert (state / STATE_FILE).read_bytes() != base
    assert "areas/north-ward/news/late/index.html" in load_state(state).outputs
