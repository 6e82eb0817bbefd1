"""fileio.read_bytes stops at a plain file's first short read (its end) instead of reading once
more to see it: what it gives must be the file's first LIMIT bytes, whatever its size."""
from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.fileio import read_bytes


@pytest.mark.parametrize("size", [0, 1, 9, 10, 11, 65535, 65536, 65537, 200_000])
@pytest.mark.parametrize("limit", [1, 10, 11, 70_000, 1_000_001])
def test_the_first_bytes_of_a_file_up_to_the_limit(tmp_path: Path, size: int, limit: int):
    path = tmp_path / "f.md"
    data = bytes(range(256)) * (size // 256 + 1)
    path.write_bytes(data[:size])
    assert read_bytes(path, limit) == data[:size][:limit]
