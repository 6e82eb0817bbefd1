"""split_front_matter and body_of find the fences without splitting the body into lines
(frontmatter._fences); they must give what splitting every line gave (the reference below,
the code they replaced): the same front matter, body, body line and problems."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content.frontmatter import FENCE, STORY_KEYS, body_of, split_front_matter
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import Problem, SitegenError


def _lines(text: str) -> list[str]:
    *lines, last = text.split("\n")
    return [line + "\n" for line in lines] + ([last] if last else [])


def _closing_fence(lines: list[str], rel_path: str) -> int:
    if not lines or lines[0].strip() != FENCE:
        raise SitegenError([Problem(rel_path, 1, 1, f"must start with front matter: {STORY_KEYS}")])
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return index
    raise SitegenError([Problem(rel_path, 1, 1,
                                "front matter is not closed; did you forget the closing '---' line after it?")])


def _split_by_lines(text: str, rel_path: str):
    lines = _lines(text)
    closing = _closing_fence(lines, rel_path)
    meta = parse_yaml("".join(lines[1:closing]), rel_path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise SitegenError([Problem(rel_path, 2, 1, "front matter must be 'key: value' lines")])
    return meta, "".join(lines[closing + 1:]), closing + 2


def _outcome(read, text: str):
    try:
        return read(text)
    except SitegenError as exc:
        return [str(problem) for problem in exc.problems]


_PIECES = st.sampled_from(["---", " ---", "--- ", "----", "-- -", "\n", "\n", "\n", " ", "\t", "\x0c", "\u2028",
                           "\x85", "title: A", "date: 2026-01-15", "Body text.", "# Heading", ""])


@settings(max_examples=500, deadline=None)
@given(text=st.lists(_PIECES, max_size=12).map("".join))
@example(text="---\ntitle: A\n---\nBody\n")
@example(text="---\ntitle: A\n---")
@example(text="---\n---\n\n")
@example(text="---")
@example(text="")
@example(text=" --- \ntitle: A\n\t---\x0c\nBody\u2028more\n")
def test_fences_are_found_as_by_splitting_every_line(text):
    def split(text):
        doc = split_front_matter(text, "n.md")
        return doc.meta, doc.body, doc.body_line
    assert _outcome(split, text) == _outcome(lambda t: _split_by_lines(t, "n.md"), text)
    if text.strip():
        expected = _outcome(lambda t: "".join(_lines(t)[_closing_fence(_lines(t), "n.md") + 1:]), text)
        assert _outcome(lambda t: body_of(t, "n.md"), text) == expected
