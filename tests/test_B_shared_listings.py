"""The base file holds equal folder listings once (state._shared): they read back equal to
what was saved, and as one object, which the builds after keep and save shared."""
from __future__ import annotations

from sitegen.build.state import BuildState, load_state, save_state


def test_equal_listings_read_back_as_one_object(tmp_path):
    listing = (("area.yaml", False), ("news", True))
    folders = {f"/site/content/areas/ward-{n}": (n, tuple(pair for pair in listing)) for n in range(5)}
    folders["/site/content/areas/ward-9/news"] = (9, (("a.md", False),))
    state = BuildState(outputs={"index.html": "0" * 32}, folders=folders)
    assert len({id(names) for _, names in folders.values()}) == 6   # (six objects, five of them equal)
    save_state(tmp_path, state)
    read = load_state(tmp_path)
    assert read.folders == folders
    assert len({id(names) for _, names in read.folders.values()}) == 2
