"""parse_yaml reads lines of 'key: text' (a story's front matter) without the parser
(yamlsource._flat_mapping); what it gives must be what the parser gives: the same
values, types, positions and text as written, or the same problems."""
from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content.yamlloader import parse_fully as _parse_fully
from sitegen.content.yamlsource import LocatedDict, LocatedList, _flat_mapping, parse_yaml
from sitegen.errors import SitegenError


def _shape(value):
    """VALUE with its containers' positions and written text, to compare two readings whole."""
    if isinstance(value, LocatedDict):
        return ("dict", value.pos, value.key_pos, value.value_pos, getattr(value, "written", {}),
                {key: _shape(item) for key, item in value.items()})
    if isinstance(value, LocatedList):
        return ("list", value.pos, value.item_pos, getattr(value, "written", {}), [_shape(item) for item in value])
    return (type(value).__name__, value)


def _reading(read, text: str, first_line: int):
    try:
        return _shape(read(text, "f.md", first_line))
    except SitegenError as exc:
        return ("problems", [str(problem) for problem in exc.problems])


# Text near the fast path's edge: words, numbers and YAML's special words, and (more rarely)
# the characters that end or change a plain value (comments, keys, quotes, tabs, line separators).
_WORDS = ["Ward", "panel", "news", "2026-01-15", "12", "0x1F", "1_000", "3.5", ".5", "yes", "No", "null", "~", "on",
          "é", "Ŵyl", "ⅻ", "²", " ", "  ", "-", "'", "?", ",", ".", "(", ")", "/", "=", "+", "£"]
_TRICKY = ['"', "#", " #", ":", ": ", "\t", "\u2028", "\x85", "\xa0", "!", "&", "*", "[", "]", "{", "%", "@", "`",
           "|", ">", "\\", "<<"]
_FIRST = st.sampled_from(["Ward", "news", "2026-01-15", "12", "Yes", "null", "ⅻ", "0x1F", "3.5"] * 6 + _WORDS + _TRICKY)
_VALUES = st.tuples(_FIRST, st.lists(st.sampled_from(_WORDS * 6 + _TRICKY), max_size=5)).map(
    lambda parts: parts[0] + "".join(parts[1]))
_KEYS = st.sampled_from(["title", "date", "summary", "slug", "a_b", "_"] * 4 + ["Title", "yes", "x y", "1", "-"])
_LINES = st.lists(st.tuples(_KEYS, st.sampled_from([": "] * 8 + [":  ", ":", " : ", ":\t"]), _VALUES),
                  min_size=0, max_size=4)


@settings(max_examples=1000, deadline=None)
@given(lines=_LINES, end=st.sampled_from(["\n", "", "\n\n"]), first_line=st.sampled_from([1, 2, 7]))
@example(lines=[("title", ": ", "News 0 from ward 0"), ("date", ": ", "2026-01-15"),
                ("summary", ": ", "Update 0.")], end="\n", first_line=2)
@example(lines=[("title", ": ", "Yes"), ("date", ": ", "2026-01-15")], end="\n", first_line=2)
@example(lines=[("title", ": ", "A  b"), ("title", ": ", "c")], end="\n", first_line=2)
def test_flat_lines_read_as_the_parser_reads_them(lines, end, first_line):
    text = "\n".join(f"{key}{colon}{value}" for key, colon, value in lines) + (end if lines else "")
    assert _reading(parse_yaml, text, first_line) == _reading(_parse_fully, text, first_line)


def test_a_story_front_matter_is_read_without_the_parser():
    text = "title: Residents' meeting, 5 May (hall)\ndate: 2026-01-15\nsummary: Café 2 - more/less?\n"
    flat = _flat_mapping(text, 2)
    assert flat is not None and _shape(flat) == _shape(_parse_fully(text, "f.md", 2))
    assert flat.value_where("summary") == (4, 10)


@pytest.mark.parametrize("text", ["title: 12\n", "title: yes\n", "title: a # b\n", "title: a: b\n", "title: a \n",
                                  "title: a\n\ndate: b\n", "title: a\ntitle: b\n", "  title: a\n", "title: \u2028a\n"])
def test_what_the_parser_must_read_is_left_to_it(text):
    assert _flat_mapping(text, 1) is None


@pytest.mark.parametrize("length", [64, 65, 1000, 1024, 1025, 1031, 3000])
def test_a_long_key_reads_as_the_parser_reads_it(length):
    """libyaml refuses a key of over 1,024 characters with its own words and place (the
    reviewer's finding 5); a key of any length reads, or fails, as the parser has it."""
    for text in (f"title: Hello\n{'a' * length}: x\n", f"{'k' * length}: x\n"):
        assert _reading(parse_yaml, text, 2) == _reading(_parse_fully, text, 2)
