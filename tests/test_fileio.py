"""Atomic writes: whole files or none, with the permissions any new file gets."""
from __future__ import annotations

import pytest

from sitegen.fileio import atomic_write


def test_a_written_file_has_the_permissions_open_would_give(tmp_path):
    atomic_write(tmp_path / "atomic.yaml", "name: Abbey\n")
    (tmp_path / "plain.yaml").write_text("name: Abbey\n")
    assert (tmp_path / "atomic.yaml").stat().st_mode == (tmp_path / "plain.yaml").stat().st_mode


def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path):
    target = tmp_path / "state.pickle"
    atomic_write(target, b"old")

    def fail_half_way(handle):
        handle.write(b"half")
        raise OSError("disk full")

    with pytest.raises(OSError):
        atomic_write(target, fail_half_way, cache=True)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["state.pickle"]
