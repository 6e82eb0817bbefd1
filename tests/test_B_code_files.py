"""The code hash reads sitegen's .py files found by os.walk (sources._python_files):
every one Path.rglob finds, once each, none else, in an order that does not depend
on the order the file system lists them in."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.sources import PACKAGE_DIR, _python_files

names = st.sampled_from(["a.py", "b.py", "a-b.py", "a_b.py", "x.txt", "py", "c.pyc", "Z.py"])
folders = st.sampled_from(["", "a", "a/b", "a-b", "b", "a/b/c", "__pycache__"])


@settings(max_examples=40, deadline=None)
@given(files=st.lists(st.tuples(folders, names), max_size=12, unique=True))
def test_the_python_files_are_those_rglob_finds_in_a_fixed_order(tmp_path_factory, files):
    root = tmp_path_factory.mktemp("code")
    for folder, name in files:
        (root / folder).mkdir(parents=True, exist_ok=True)
        (root / folder / name).write_text("x")
    found = _python_files(root)
    assert sorted(found) == sorted(str(p) for p in root.rglob("*.py")) and len(set(found)) == len(found)
    again = tmp_path_factory.mktemp("code")   # the same files made in the opposite order
    for folder, name in reversed(files):
        (again / folder).mkdir(parents=True, exist_ok=True)
        (again / folder / name).write_text("x")
    assert [p[len(str(again)):] for p in _python_files(again)] == [p[len(str(root)):] for p in found]


def test_sitegen_s_own_files_are_all_found():
    assert sorted(_python_files(PACKAGE_DIR)) == sorted(str(p) for p in PACKAGE_DIR.rglob("*.py"))
