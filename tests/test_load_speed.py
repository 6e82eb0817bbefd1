"""The loader's fast paths give what the slow ones gave.

parse_yaml takes a string's text at once when the source has no '\\' and no character XML
forbids (so no string can hold one); LoadContext.rel cuts the root's text off a path
instead of pathlib's relative_to.  Each is checked here against the long way.
"""
from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.context import LoadContext
from sitegen.content.yamlsource import LocatedDict, LocatedList, parse_yaml
from sitegen.errors import SitegenError

FAST = settings(max_examples=50, deadline=None)


def _problems(text: str) -> list[str]:
    with pytest.raises(SitegenError) as exc:
        parse_yaml(text, "f.yaml")
    return [str(problem) for problem in exc.value.problems]


def test_an_escaped_control_character_is_found_after_clean_documents_in_one_process():
    clean = "title: Ward panel\nitems:\n  - a\n  - b\n"
    assert parse_yaml(clean, "f.yaml") == {"title": "Ward panel", "items": ["a", "b"]}
    [problem] = _problems('title: "a\\x1fb"\n')
    assert problem.startswith("f.yaml:1:10: contains the control character U+001F"), problem
    assert parse_yaml(clean, "f.yaml") == {"title": "Ward panel", "items": ["a", "b"]}


def test_an_escaped_control_character_used_twice_through_an_alias_is_reported_once():
    [problem] = _problems('a: &x "\\x01"\nb: *x\n')
    assert problem.startswith("f.yaml:1:8: contains the control character U+0001"), problem


def test_a_backslash_without_a_forbidden_character_keeps_the_text():
    value = parse_yaml('a: "tab\\there"\nb: C:\\path\n', "f.yaml")
    assert value == {"a": "tab\there", "b": "C:\\path"}


def test_containers_know_positions_and_written_text():
    value = parse_yaml("team:\n  - name: A\n    phone: 02071234567\n  - No\n", "f.yaml", first_line=3)
    assert isinstance(value, LocatedDict) and isinstance(value["team"], LocatedList)
    assert value.where("team") == (3, 1)
    team = value["team"]
    assert team.where(0) == (4, 5) and team.where(1) == (6, 5)
    assert team.written_as(1) == "No"
    assert team[0].written_as("phone") == "02071234567" and team[0].value_where("phone") == (5, 12)


_PARTS = st.lists(st.sampled_from(["content", "areas", "ward-1", "news", "a b.md", "..", "x.md", "é"]),
                  min_size=0, max_size=4)


@FAST
@given(root=st.sampled_from(["/", "/tmp/site", "/tmp/site/", "site", "."]), parts=_PARTS,
       other=st.sampled_from(["", "/tmp/site2", "/tmp", "site2"]))
def test_rel_is_relative_to_as_posix(root, parts, other):
    ctx = LoadContext(root=Path(root), host="localhost")
    for path in (Path(root).joinpath(*parts), Path(other or root).joinpath(*parts)):
        try:
            expected = PurePosixPath(path).relative_to(Path(root)).as_posix()
        except ValueError:
            with pytest.raises(ValueError):
                ctx.rel(path)
            continue
        assert ctx.rel(path) == expected, (root, path)
