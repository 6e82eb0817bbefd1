"""A Welsh form's words that fall back to English (issue 20; reviewer findings 2, 3, 5, 6).

Each word a translation leaves out is shown as the original has it, in an element whose `lang`
is the default language's, wherever it is written: an option of any question type (an <option>
takes the lang itself: it holds text only), the 'Answer this only if ...' sentence's quoted
words, and what forms.js writes from the rules (error summary, inline error, check your
answers).  The scripts write no English of their own on a page in another language.
"""
from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.forms.fields import field
from sitegen.forms.model import Option, Question
from sitegen.i18n import Language, activate
from sitegen.render import make_environment

HERE = Path(__file__).parent
ENV = make_environment(HERE / "sites" / "minimal")
QUESTION_FIELD = ENV.from_string('{% from "forms/questions.html" import question_field %}'
                                 "{{ question_field(f) }}")
WELSH = Language("cy", "cy")
CHOICE_TYPES = ("radios", "checkboxes", "select")
OTHER_TYPES = ("text", "email", "tel", "number", "textarea", "date", "declaration", "address")
OPTIONS = (Option("keys", "Keys", hint="House or car keys"), Option("phone", "Phone"),
           Option("bag", "Bag & purse"), Option("other", "Something else", exclusive=True))


class Words(HTMLParser):
    """Each text of an HTML fragment, stripped, with the lang of its nearest element that has one."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.langs: list[str] = [""]
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.langs.append(dict(attrs).get("lang") or self.langs[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and len(self.langs) > 1:
            self.langs.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.found.append((" ".join(data.split()), self.langs[-1]))


def words_of(html: str) -> list[tuple[str, str]]:
    parser = Words()
    parser.feed(html)
    return parser.found


def rendered(question: Question, left_out: set[str]) -> str:
    """QUESTION drawn as a Welsh form draws it, with the words at LEFT_OUT's paths falling back."""
    with activate(WELSH):
        return QUESTION_FIELD.render(f=field(question, False, localised=True, written="en",
                                             left_out=lambda path: path in left_out))


def question_of(qtype: str, options: tuple[Option, ...]) -> Question:
    return Question(name="item", type=qtype, label="What did you lose?", page="lost", required=True,
                    hint="Tell us the main thing", summary_label="Item",
                    options=options if qtype in CHOICE_TYPES else ())


@pytest.mark.parametrize("qtype", CHOICE_TYPES + OTHER_TYPES)
@settings(max_examples=15, deadline=None)
@given(options=st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=4, unique_by=lambda o: o.value),
       data=st.data())
def test_every_word_left_out_shows_and_is_marked_the_rest_not(qtype, options, data):
    """Finding 2: a select's option lost its words when marked.  Any question type, any subset of
    its words left out: each shows, in lang="en" exactly when left out."""
    question = question_of(qtype, tuple(options))
    paths = {"label": question.label, "hint": question.hint}
    for option in question.options:
        paths[f"options.{option.value}.label"] = option.label
        if option.hint and qtype != "select":   # an <option> has no hint
            paths[f"options.{option.value}.hint"] = option.hint
    left_out = data.draw(st.sets(st.sampled_from(sorted(paths))))
    found = words_of(rendered(question, left_out))
    for path, words in paths.items():
        langs = {lang for text, lang in found if text == words}
        assert langs, f"{qtype}: {path} ({words!r}) is not shown"
        assert langs == ({"en"} if path in left_out else {""}), (qtype, path, found)
