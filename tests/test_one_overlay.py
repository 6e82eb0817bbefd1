"""One overlay for every translation (issue 20, item 6): a form (forms/<form>.cy.yaml, laid over
the form as parsed) and an area (area.cy.yaml, over the area as checked) go through the same
function, content.translations.overlay_parts.  For any translation giving some of the original's
words (some in the original's own words) and copying some shared values (some changed), the
fallbacks are exactly the words it does not give, each word given is taken, and each changed shared
value is one problem, located at its line in the translation."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.areas import AREA
from sitegen.content.schema import Kind, ListOf, Record, Where
from sitegen.content.translations import optional, overlay_parts
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import Problems
from sitegen.forms.spec import FORM

HERE = Path(__file__).parent
FORM_FILE = HERE / "fixtures/forms_lang/report-test.yaml"
AREA_FILE = HERE / "sites/minimal/content/areas/north-ward/area.yaml"


def quietly(kind: Kind, parsed: Any) -> Any:
    """PARSED as KIND checks it (every key optional), its problems dropped."""
    return optional(kind).check(parsed, Where("x", (1, 1), ""), Problems())


# (kind, the original as parsed, whether overlay_parts takes it as parsed, the original's file,
#  shared values: path -> (a copy, a change), as written in YAML)
SUBJECTS: dict[str, tuple[Record, Any, bool, str, dict[str, tuple[Any, Any]]]] = {
    "form": (FORM, parse_yaml(FORM_FILE.read_text(encoding="utf-8"), "forms/report-test.yaml"), True,
             "forms/report-test.yaml", {
                 "category": ("crime", "other"),
                 "pages.what.questions.kind.required": (True, False),
                 "pages.what.questions.details.max_length": (500, 400),
                 "pages.what.questions.details.type": ("textarea", "text")}),
    "area": (AREA, parse_yaml(AREA_FILE.read_text(encoding="utf-8"), "area.yaml"), False, "area.yaml", {
        "code": ("E05999001", "E05999002"),
        "contact.phone": ("020 7946 0001", "020 7946 0002"),
        "priorities.0.action_date": ("2026-10-01", "2026-10-02"),
        "events.street-surgery-2027-01-10.start": ("2027-01-10T11:30", "2027-01-10T12:30")}),
}


def every_word(name: str) -> frozenset[str]:
    """The paths of every word of subject NAME: what an empty translation leaves out."""
    kind, original, parsed, original_file, _ = SUBJECTS[name]
    base = original if parsed else quietly(kind, original)
    return overlay_parts(kind, base, None, Where("x", (1, 1), ""), Problems(), original_file, parsed).fallbacks


def put(kind: Record, original: dict, out: dict, parts: list[str], value: Any) -> None:
    """OUT (a translation being written, of ORIGINAL checked) given VALUE at the path PARTS:
    keyed lists (ListOf.key) get an item with its key (named in PARTS by the key, or by the
    item's place with ListOf.by_place), lists by place one item per original's."""
    head, *rest = parts
    if not rest:
        out[head] = value
        return
    sub = next(f.kind for f in kind.fields if f.name == head)
    if isinstance(sub, Record):
        put(sub, original[head], out.setdefault(head, {}), rest, value)
        return
    assert isinstance(sub, ListOf) and isinstance(sub.item, Record)
    name, *rest = rest
    items = out.setdefault(head, [] if sub.key else [{} for _ in original[head]])
    if sub.key:
        index = _place(sub, original[head], name)
        key = _text(original[head][index][sub.key])
        item = next((i for i in items if i[sub.key] == key), None)
        if item is None:
            item = {sub.key: key}
            items.append(item)
    else:
        index, item = int(name), items[int(name)]
    put(sub.item, original[head][index], item, rest, value)


def get(kind: Kind, value: Any, parts: list[str]) -> Any:
    """The value at the path PARTS of VALUE, a value of KIND as checked."""
    for part in parts:
        if isinstance(kind, Record):
            kind, value = next(f.kind for f in kind.fields if f.name == part), value[part]
        else:
            assert isinstance(kind, ListOf)
            value = value[_place(kind, value, part)] if kind.key else value[int(part)]
            kind = kind.item
    return value


def _place(kind: ListOf, items: list, part: str) -> int:
    """The place of the item the path part PART names in ITEMS, a list of KIND: by its key, or
    by its place (ListOf.by_place)."""
    if getattr(kind, "by_place", False):
        return int(part)
    return next(i for i, item in enumerate(items) if str(item[kind.key]) == part)


def _text(value: Any) -> Any:
    """VALUE as a translation writes it: a date as its text."""
    return value.isoformat() if hasattr(value, "isoformat") else value


@st.composite
def translations(draw, name: str):
    """(the translation's YAML, the words it gives {path: text}, the shared values it changes)."""
    kind, original, _, _, shared = SUBJECTS[name]
    checked = quietly(kind, original)
    words: dict[str, str] = {}
    text: dict = {}
    for path in sorted(draw(st.sets(st.sampled_from(sorted(every_word(name)))))):
        old = str(get(kind, checked, path.split(".")))
        words[path] = old if draw(st.booleans()) else f"Cy {old}"[:60]   # in the original's words, or not
        put(kind, checked, text, path.split("."), words[path])
    changed = set()
    for path in sorted(draw(st.sets(st.sampled_from(sorted(shared))))):
        change = draw(st.booleans())
        put(kind, checked, text, path.split("."), shared[path][change])
        if change:
            changed.add(path)
    return yaml.safe_dump(text, allow_unicode=True, sort_keys=False), words, changed


def overlaid(name: str, text: str) -> tuple[Any, frozenset[str], list]:
    """Subject NAME with the translation TEXT laid over it: (merged as checked, fallbacks, problems)."""
    kind, original, parsed, original_file, _ = SUBJECTS[name]
    problems = Problems()
    base = original if parsed else quietly(kind, original)
    result = overlay_parts(kind, base, parse_yaml(text, "x.cy.yaml"), Where("x.cy.yaml", (1, 1), ""),
                           problems, original_file, parsed)
    return quietly(kind, result.value) if parsed else result.value, result.fallbacks, list(problems)


def check_subject(name: str, case: tuple[str, dict[str, str], set[str]]) -> None:
    text, words, changed = case
    kind = SUBJECTS[name][0]
    merged, fallbacks, problems = overlaid(name, text)
    assert fallbacks == every_word(name) - set(words), text
    for path, word in words.items():
        assert get(kind, merged, path.split(".")) == word, (path, text)
    lines = text.splitlines()
    assert sorted(p.message.split(":")[0].rpartition(".")[2] for p in problems) == \
        sorted(path.rpartition(".")[2] for path in changed), (text, [str(p) for p in problems])
    for problem in problems:
        key = problem.message.split(":")[0].rpartition(".")[2]
        assert problem.path == "x.cy.yaml" and "is the same in every language" in problem.message
        assert f"{key}:" in lines[problem.line - 1], (str(problem), text)


@settings(max_examples=40, deadline=None)
@given(translations("form"))
def test_a_form_translation_falls_back_exactly_where_it_gives_no_words(case):
    check_subject("form", case)


@settings(max_examples=40, deadline=None)
@given(translations("area"))
def test_an_area_translation_falls_back_exactly_where_it_gives_no_words(case):
    check_subject("area", case)


def test_both_have_words_in_lists_matched_by_key_and_by_place():
    assert {"pages.what.questions.kind.options.don-t-know.label", "pages.what.title"} <= every_word("form")
    assert {"team.1.role", "events.street-surgery-2027-01-10.title"} <= every_word("area")


CHOICE_FORM = """title: Report
pages:
  - id: what
    title: What
    questions:
      - name: agree
        type: radios
        label: Do you agree?
        options:
          - {value: "y", label: Yes}
          - No
          - Don't know
"""
CHOICE_TRANSLATION = """pages:
  - id: what
    questions:
      - name: agree
        options:
          - {value: "y", label: Ydw}
          - No
          - Dim syniad
"""


def test_options_written_as_text_and_words_yaml_would_read_as_true():
    """An option the translation copies as the original's text gives no words (Decap CMS copies
    them); other text cannot say which option it translates (a located problem); a word the
    original wrote as YAML 1.1 reads true (`label: Yes`) is the translation's once translated."""
    problems = Problems()
    original, text = parse_yaml(CHOICE_FORM, "forms/x.yaml"), parse_yaml(CHOICE_TRANSLATION, "x.cy.yaml")
    result = overlay_parts(FORM, original, text, Where("x.cy.yaml", (1, 1), ""), problems, "forms/x.yaml",
                           parsed=True)
    options = quietly(FORM, result.value)["pages"][0]["questions"][0]["options"]
    assert options == [{"value": "y", "label": "Ydw"}, {"value": "no", "label": "No"},
                       {"value": "don-t-know", "label": "Don't know"}]
    prefix = "pages.what.questions.agree"
    assert result.fallbacks == {"title", f"{prefix}.label", f"{prefix}.options.no.label",
                                f"{prefix}.options.don-t-know.label", "pages.what.title"}
    assert [(p.line, "an option is translated as a mapping" in p.message) for p in problems] == [(8, True)]
