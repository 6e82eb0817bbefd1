"""parse_yaml reads a mapping of mappings and lists written in blocks, one key or item a line
(an area.yaml), without PyYAML (yamlsource._nested_mapping: importing PyYAML costs a build 10 ms);
what it gives must be what the parser gives: the same values, types, positions and text as
written, or the same problems.  The resolvers both read with are PyYAML's SafeLoader's, less
timestamps (located.implicit_resolvers, compared here with PyYAML's own)."""
from __future__ import annotations

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content.located import LocatedDict, LocatedList, implicit_resolvers
from sitegen.content.yamlsource import _nested_mapping, _parse_fully, parse_yaml
from sitegen.errors import SitegenError

AREA = """name: Ward 7
borough: Borough 0
code: E05000007
population: 8007
summary: The neighbourhood team for ward 7 & its "friends".
team:
  - name: Officer 7A
    role: Police Sergeant
  - name: Officer 7B
    role: Police Constable

contact:
  email: ward-7@example.police.uk
  phone: 020 7946 0007
events:
    -   id: ward-panel
        start: 2027-01-08T19:00
        tags:
          - panel
          - 12
social:
  - network: x
    url: https://x.com/ward7
"""


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
        return _shape(read(text, "f.yaml", first_line))
    except SitegenError as exc:
        return ("problems", [str(problem) for problem in exc.problems])


def test_an_area_file_is_read_without_the_parser_as_the_parser_reads_it():
    quick = _nested_mapping(AREA, 1)
    assert quick is not None and quick["population"] == 8007 and quick.written_as("population") == "8007"
    assert _shape(quick) == _reading(_parse_fully, AREA, 1)


def test_the_resolvers_are_pyyaml_s_less_timestamps():
    theirs = {first: [(tag, pattern.pattern, pattern.flags) for tag, pattern in resolvers
                      if tag != "tag:yaml.org,2002:timestamp"]
              for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    ours = {first: [(tag, pattern.pattern, pattern.flags) for tag, pattern in resolvers]
            for first, resolvers in implicit_resolvers().items()}
    assert ours == {first: found for first, found in theirs.items() if found}


# Values near the quick reading's edge: words, numbers of every kind YAML reads, its special
# words, and (more rarely) the characters that end or change a plain value.
_WORDS = ["Ward", "panel", "2026-01-15", "12", "0", "007", "9" * 5000, "123456789012345678", "0x1F", "1_000", "3.5", "1:30", "yes", "No", "null", "on",
          "é", "ward@x.org", "https://x.org/a", "A & B", "a*b", "!x", "Ŵyl", " ", "  ", "-", "'", '"', "?", ",", "[",
          "{", "}", "|", ">", "%", "\\", "`"]
_TRICKY = ["#", " #", ":", ": ", "\t", "\u2028", "\x85", "\xa0", "<<", "~", "&a", "*a"]
_FIRST = ["Ward", "12", "2026-01-15", "Yes", "null", "x@y", "0x1F", "3.5", "-", "'a'", "/about/", ".5", "+1", "-1", "(a)",
          "=", "£", "é", "~", "?", "!", "&", "*", "[", "{", ",", "%", "@", "`", "|", ">", "\"", "#", "\xa0"]
_VALUES = st.tuples(st.sampled_from(["Ward", "12", "2026-01-15", "/about/"] * 8 + _FIRST + _WORDS + _TRICKY),
                    st.lists(st.sampled_from(_WORDS * 4 + _TRICKY), max_size=4)).map(lambda p: p[0] + "".join(p[1]))
_KEYS = st.sampled_from(["name", "team", "role", "date", "a_b", "yes", "on"] * 3 + ["Title", "x y", "1", "-"])


def _tree(depth: int):
    scalar = _VALUES
    if depth == 0:
        return scalar
    below = _tree(depth - 1)
    return st.one_of(scalar, scalar, st.dictionaries(_KEYS, below, min_size=1, max_size=3),
                     st.lists(below, min_size=1, max_size=3))


def _render(value, indent: int, step: int, dash: str, at_item: bool = False) -> list[str]:
    """VALUE (a dict at the top) as block YAML lines at INDENT columns."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for i, (key, item) in enumerate(value.items()):
            lead = "" if (at_item and i == 0) else pad
            if isinstance(item, (dict, list)):
                lines.append(f"{lead}{key}:")
                lines += _render(item, indent + step, step, dash)
            else:
                lines.append(f"{lead}{key}: {item}")
        return lines
    for item in value:
        if isinstance(item, dict):
            inner = _render(item, indent + len(dash), step, dash, at_item=True)
            lines.append(f"{pad}{dash}{inner[0]}")
            lines += inner[1:]
        elif isinstance(item, list):
            lines.append(f"{pad}{dash}{item!r}")   # a list in a list: flow style, for the parser
        else:
            lines.append(f"{pad}{dash}{item}")
    return lines


@settings(max_examples=1500, deadline=None)
@given(tree=st.dictionaries(_KEYS, _tree(3), min_size=1, max_size=4), step=st.sampled_from([2, 4, 1, 3]),
       dash=st.sampled_from(["- ", "- ", "-  "]), blank=st.integers(0, 30), end=st.sampled_from(["\n", "", "\n\n"]),
       shift=st.sampled_from([None, None, None, " ", "  ", "\t"]), at=st.integers(0, 30),
       first_line=st.sampled_from([1, 2]))
@example(tree={"team": [{"name": "A", "role": "B"}, "12"]}, step=2, dash="- ", blank=0, end="\n", shift=None, at=0,
         first_line=1)
def test_nested_blocks_read_as_the_parser_reads_them(tree, step, dash, blank, end, shift, at, first_line):
    lines = _render(tree, 0, step, dash)
    if shift is not None:   # one line indented differently: most such are mistakes the parser reports
        at %= len(lines)
        lines[at] = shift + lines[at]
    if blank < len(lines):
        lines.insert(blank, "")
    text = "\n".join(lines) + end
    assert _reading(parse_yaml, text, first_line) == _reading(_parse_fully, text, first_line)
