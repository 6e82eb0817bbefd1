"""The moving mark (state.MOVING_FILE) as load_state reads it: none, the paths a stopped
build was moving (vouched for as nothing), or, unreadable in any way, no state at all."""
from __future__ import annotations

import pytest

from sitegen.build.state import MOVING_FILE, BuildState, load_state, mark_moving, save_state

STATE = BuildState(outputs={"index.html": "1" * 32, "a/index.html": "2" * 32})


def test_no_mark_reads_the_state_as_saved(tmp_path):
    save_state(tmp_path, STATE)
    assert load_state(tmp_path) == STATE


def test_a_mark_vouches_for_its_paths_as_nothing(tmp_path):
    save_state(tmp_path, STATE)
    mark_moving(tmp_path, {"a/index.html", "new.html"})
    read = load_state(tmp_path)
    assert read.outputs == {"index.html": "1" * 32, "a/index.html": "", "new.html": ""}


@pytest.mark.parametrize("content", [b"not json", b'{"a": 1', b"3", b'[["x"]]', b"\xff\xfe[]"])
def test_an_unreadable_mark_is_no_state(tmp_path, content):
    save_state(tmp_path, STATE)
    (tmp_path / MOVING_FILE).write_bytes(content)
    assert load_state(tmp_path) == BuildState()
