"""Where a body's links are written is found by searching the whole body once
(context._places_in) and, for the usual '[text](', without walking back over the text
(context._link_start's fast path); each must give what the line-by-line search and the
walk give (context.walked_link_start, the walk _link_start takes for any other link)."""
from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content.context import LinkLines, _link_start, _places_holding, _places_in, walked_link_start

_LINE = st.text(alphabet="ab/(%.) ", max_size=12)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, max_size=5), needle=st.text(alphabet="ab/(%.)\n", max_size=4))
@example(lines=["a/a/a", "", "a/"], needle="a/")
@example(lines=["aaa", "aaaa"], needle="aa")
def test_the_whole_body_searched_at_once_gives_each_line_s_places(lines, needle):
    assert _places_in("\n".join(lines), needle) == _places_holding(lines, needle)


@settings(max_examples=500, deadline=None)
@given(before=st.text(alphabet="[]!\\ab(", max_size=14), angle=st.booleans(), after=st.text(alphabet="ab)", max_size=3))
@example(before="see ![pic [1]", angle=False, after="/i.png)")
@example(before="[a", angle=True, after="x)")
@example(before="\\[a", angle=False, after=")")
@example(before="[", angle=False, after=")")
def test_a_link_starts_where_the_walk_back_finds_it(before, angle, after):
    text = f"{before}]({'<' if angle else ''}{after}"
    col = len(before) + 3 + angle
    assert _link_start(text, col) == walked_link_start(text, col)


def test_repeated_links_are_placed_in_order_across_lines():
    lines = ["See [a](/x/) and [b](/x/).", "", "  [c](/x/) then ![d](/y.png)"]
    finder = LinkLines(lines, ["/x/", "/x/", "/x/", "/y.png"])
    assert [finder.position_of(h) for h in ["/x/", "/x/", "/x/", "/y.png"]] == [(0, 5), (0, 18), (2, 3), (2, 17)]


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="]([)a\n", max_size=12))
def test_text_left_as_a_link_is_looked_for_by_pattern_as_by_in(text):
    from sitegen.content.markup import _LINK_TEXT_END
    assert (_LINK_TEXT_END.search(text) is None) == ("](" not in text)
