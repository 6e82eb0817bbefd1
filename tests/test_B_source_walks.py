"""bad_names names each folder by cutting the walk's top off its path, not by pathlib's
relative_to; outside_links walks with path strings: both must name what they named before,
from a site root given absolute or relative, through a linked source folder too."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.errors import Problem
from sitegen.sitefiles import SOURCES, bad_names, folder_name_problems, name_fault


def _bad_names_by_relative_to(root: Path) -> list[Problem]:
    """bad_names as it was, naming each folder with Path.relative_to (what each folder holds
    is judged by the same folder_name_problems)."""
    problems = []
    for source in SOURCES:
        for folder, dirs, files in os.walk(root / source):
            problems.extend(folder_name_problems(Path(folder).relative_to(root).as_posix(), dirs, files))
            dirs[:] = [d for d in dirs if not name_fault(d)]
    return problems


_NAMES = st.sampled_from(["a", "A", "b.md", "B.MD", "news", " lead", "tab\there", "caf\u00e9", "cafe\u0301", "x\u202ey",
                          "ok-name", "dir "])
_TREES = st.lists(st.lists(_NAMES, min_size=1, max_size=3), max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(tree=_TREES, relative=st.booleans(), linked=st.booleans())
def test_bad_names_names_folders_as_relative_to_did(tmp_path_factory, tree, relative, linked):
    site = tmp_path_factory.mktemp("site")
    real = site / ("real-content" if linked else "content")
    real.mkdir()
    if linked:
        (site / "content").symlink_to(real.name)
    for parts in tree:
        *folders, last = parts
        folder = real.joinpath(*folders)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / last).touch()
        except OSError:   # a file already where a folder is asked for, or the other way round
            continue
    (site / "assets").mkdir()
    (site / "assets" / "Logo.svg").write_text("x")
    (site / "assets" / "logo.svg").write_text("x")
    root = Path(os.path.relpath(site)) if relative else site
    assert bad_names(root) == _bad_names_by_relative_to(root)
