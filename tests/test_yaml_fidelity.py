"""YAML as editors write it: text is text, numbers and true/false are read strictly,
syntax errors and list positions in plain words, and hostile structure is bounded.

Issue 14 classes 1 and 12, issue 15 classes A and B for YAML."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.content.frontmatter import body_of, split_front_matter
from sitegen.content.schema import Bool, Choice, Field, Int, ListOf, Record, Str, Where
from sitegen.content.yamlsource import MAX_DEPTH, MAX_TEXT_BYTES, parse_yaml
from sitegen.errors import Problems, SitegenError
from sitegen.importers.police_uk.area_yaml import area_yaml_text
from sitegen.importers.police_uk.existing import scan_areas

FAST = settings(max_examples=100, deadline=None)

# The implicit resolvers YAML 1.1 (PyYAML's SafeLoader) uses for numbers, booleans and null.
GUESSES = {regexp for resolvers in yaml.SafeLoader.yaml_implicit_resolvers.values()
           for tag, regexp in resolvers if tag.rsplit(":", 1)[-1] in ("int", "float", "bool", "null")}


def _plain_and_guessed(text: str) -> bool:
    """TEXT can stand unquoted after 'key: ' and YAML 1.1 reads it as a number, boolean or null."""
    if not text or text != text.strip() or "\n" in text or text in ("~",):
        return False
    try:
        loaded = yaml.safe_load(f"key: {text}\n")
    except (yaml.YAMLError, ValueError):  # PyYAML cannot convert some (`0b_`): still a guess the loader meets
        return True
    return isinstance(loaded, dict) and not isinstance(loaded.get("key"), str)


guessed_scalars = st.one_of(*[st.from_regex(regexp, fullmatch=True)
                              for regexp in sorted(GUESSES, key=str)]).filter(_plain_and_guessed)

TEXT_RECORD = Record(name="test", fields=[Field("title", Str()), Field("items", ListOf(Str()))])


def _check(record: Record, text: str) -> tuple[dict | None, list[str]]:
    problems = Problems()
    out = record.check(parse_yaml(text, "f.yaml"), Where("f.yaml", (1, 1), ""), problems)
    return out, [str(p) for p in problems]


# -- class 1: text is text -----------------------------------------------------------------

@FAST
@given(guessed_scalars)
def test_a_text_field_keeps_what_was_written_for_every_yaml11_guess(text):
    out, problems = _check(TEXT_RECORD, f"title: {text}\nitems:\n  - {text}\n")
    assert (out, problems) == ({"title": text, "items": [text]}, [])


@pytest.mark.parametrize("text", ["02071234567", "1.10", "no", "No", "on", "OFF", "19:30", "0x1F", "1_000",
                                  ".inf", "1e3", "+12", "-0", "null", "0o17", "190:20:30"])
def test_named_guesses_stay_text(text):
    out, problems = _check(TEXT_RECORD, f"title: {text}\n")
    assert (out, problems) == ({"title": text}, [])


@FAST
@given(guessed_scalars)
def test_keys_are_the_text_written(text):
    out, problems = _check(Record(name="test", fields=[Field("title", Str())]), f"{text}: x\n")
    assert out == {} and len(problems) == 1
    assert problems[0].startswith(f"f.yaml:1:1: {text}: unknown key '{text}' in test"), problems


def test_a_choice_names_what_was_written():
    _, problems = _check(Record(name="test", fields=[Field("network", Choice(("x", "web")))]), "network: No\n")
    assert problems == ["f.yaml:1:10: network: expected one of x, web, found 'No'; write one of them exactly as shown"]


def test_empty_and_tilde_are_not_given_but_null_is_a_word_in_text():
    record = Record(name="test", fields=[Field("title", Str(), required=True), Field("count", Int())])
    assert _check(record, "title: Null\ncount: null\n") == ({"title": "Null"}, [])
    out, problems = _check(record, "title: ~\n")
    assert out is None and problems == ["f.yaml:1:8: title: has no value (~ means nothing); write its value"]


@FAST
@given(guessed_scalars.filter(lambda t: not re.fullmatch(r"-?(?:[1-9][0-9]{0,14}|0)", t)))
def test_a_whole_number_is_only_plain_digits_as_written(text):
    out, problems = _check(Record(name="test", fields=[Field("count", Int())]), f"count: {text}\n")
    if text in ("~", "null", "Null", "NULL", ""):
        assert (out, problems) == ({}, [])
    else:
        assert out == {} and len(problems) == 1 and problems[0].startswith("f.yaml:1:8: count: "), problems


@FAST
@given(st.integers(min_value=-10 ** 15 + 1, max_value=10 ** 15 - 1), st.booleans(), st.booleans())
def test_whole_numbers_read_as_written_quoted_or_not(number, quoted, grouped):
    text = f"{number:,}" if grouped else str(number)
    out, problems = _check(Record(name="test", fields=[Field("count", Int())]),
                           f"count: {text!r}\n" if quoted else f"count: {text}\n")
    assert (out, problems) == ({"count": number}, [])


@pytest.mark.parametrize("text, words", [
    ("0x1F", "expected a whole number, found '0x1F'; write it with the digits 0-9"),
    ("017", "'017' starts with 0, which YAML would read as an octal number; write it without the leading zeros"),
    ("1_000", "expected a whole number, found '1_000'"), ("19:30", "expected a whole number, found '19:30'"),
    ("'²'", "expected a whole number, found '²'"), ("1e3", "expected a whole number, found '1e3'"),
    ("1.5", "expected a whole number, found '1.5'"), ("'١٢'", "expected a whole number, found '١٢'"),
    ("9" * 5000, "has 5,000 digits; the most allowed is 15"),
])
def test_numbers_that_are_not_plain_digits_are_refused_by_check(make_site, text, words):
    site = make_site("minimal")
    _edit(site, AREA, "population: 12000", f"population: {text}")
    _assert_problem(_run_check(site), f"{AREA}:4:13:", f"population: {words}")


@pytest.mark.parametrize("word, value", [(w, True) for w in ("true", "True", "TRUE", "yes", "Yes", "on", "ON")]
                         + [(w, False) for w in ("false", "False", "no", "NO", "off", "Off")])
def test_true_and_false_accept_yes_no_on_off(word, value):
    record = Record(name="test", fields=[Field("example", Bool())])
    assert _check(record, f"example: {word}\n") == ({"example": value}, [])
    assert _check(record, f"example: '{word}'\n") == ({"example": value}, [])


def test_true_or_false_refuses_other_words():
    _, problems = _check(Record(name="test", fields=[Field("example", Bool())]), "example: 1\n")
    assert problems == ["f.yaml:1:10: example: expected true or false, found '1';"
                        " write true or false (yes/no and on/off mean the same)"]


def test_field_case_unquoted_phone_is_published_as_written(tmp_path):
    """Field case yaml11-octal-number (input copied here): the page shows 02071234567 and tel:02071234567."""
    site = _write_site(tmp_path, {"content/areas/test-ward/area.yaml":
                                  "name: Test Ward\nborough: Testshire\ncontact:\n  phone: 02071234567\n"})
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    page = (site / "build/areas/test-ward/index.html").read_text(encoding="utf-8")
    assert '<a class="govuk-link" href="tel:02071234567">02071234567</a>' in page
    assert "283457911" not in page


def test_title_no_stays_no_in_every_file_kind(tmp_path):
    site = _write_site(tmp_path, {
        "site.yaml": "name: No\nbase_url: https://www.test.police.example/\nphone:\n  non_emergency: 0101\n",
        "content/areas/test-ward/area.yaml": "name: Yes\nsummary: 1.10\ncode: 0x1F\n",
        "content/areas/test-ward/news/a.md": "---\ntitle: No\ndate: 2026-11-01\nsummary: 19:30\n---\nBody.\n",
        "content/pages/about.md": "---\ntitle: Off\n---\nAbout.\n",
    })
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    ward = (site / "build/areas/test-ward/index.html").read_text(encoding="utf-8")
    assert '<h1 class="govuk-heading-xl">Yes</h1>' in ward
    assert 'content="1.10"' in ward and 'href="tel:0101">0101</a>' in ward
    news = (site / "build/areas/test-ward/news/a/index.html").read_text(encoding="utf-8")
    assert ">No<" in news and "False" not in news
    assert ">Off<" in (site / "build/about/index.html").read_text(encoding="utf-8")


@FAST
@given(guessed_scalars.filter(lambda t: not t.startswith(("-", "?", ":"))))
def test_what_the_importer_keeps_writes_back_as_the_editor_wrote_it(tmp_path_factory, text):
    """import-police-uk rewrites area.yaml keeping editors' keys: their text comes back unchanged."""
    site = tmp_path_factory.mktemp("site")
    folder = site / "content/areas/test-ward"
    folder.mkdir(parents=True)
    (folder / "area.yaml").write_text(f"name: Test Ward\nsummary: {text}\ncontact:\n  phone: '0207'\n"
                                      f"pinned: [summary]\n", encoding="utf-8")
    [existing] = scan_areas(site)
    rewritten = parse_yaml(area_yaml_text(existing.data, "f", "n"), "area.yaml")
    out, problems = _check_area(rewritten)
    assert problems == [] and out["summary"] == text


# -- class 12: messages people understand -------------------------------------------------------

@FAST
@given(st.integers(min_value=1, max_value=30), st.data())
def test_list_positions_count_from_one(size, data):
    bad = data.draw(st.integers(min_value=1, max_value=size))
    items = "".join("  - []\n" if n == bad else f"  - item {n}\n" for n in range(1, size + 1))
    _, problems = _check(TEXT_RECORD, "items:\n" + items)
    assert problems == [f"f.yaml:{bad + 1}:5: items[{bad}]: expected text, found a list;"
                        " write plain text instead (in quotes if it starts with '[', '{', '-' or '#')"]


@pytest.mark.parametrize("text, line, words", [
    ("title: Update: new times\n", 1, "put the whole value in quotes, like title: \"Update: new times\""),
    ("title:Hello\ndate: 2026-01-01\n", 1, "'title:' needs a space after the colon, like 'title: value'"),
    ("a: 1\n\tb: 2\n", 2, "indent with spaces only"),
    ("a:\n  b: 1\n c: 2\n", 3, "indented differently from the lines around it"),
    ("team:\n  - name: x\n   role: y\n", 3, "indented differently from the lines around it"),
    ("title: \"hello\ndate: 2026\n", 1, "the value starting with \" here is never closed; add the closing \""),
    ("title: 'hello\n", 1, "never closed; add the closing '"),
    ("a: 1\na: 2\n", 2, "the key 'a' appears twice in this mapping; keep one of them"),
    ("a: @home\n", 1, "a value cannot start with '@' unless it is in quotes"),
    ("a: *home\n", 1, "put the value in quotes"),
    ("a: [b, c\n", 1, "the '[' here is not closed; add the ']'"),
    ("a: !foo bar\n", 1, "a value starting with '!' is read as a YAML tag; put the value in quotes"),
    ("a: &x 1\nb: &x 2\n", 2, "an anchor name (&name) is used twice"),
    ("a: 1\n---\nb: 2\n", 2, "a line '---' starts a second document"),
    ('a: "b\\ud800"\n', 1, "a backslash escape in a \"double-quoted\" value is not valid"),
    ("title: =\n", 1, "'=' on its own means something special to YAML, not the text; put it in quotes,"
                      " like title: \"=\""),
    ("a: 1\ntitle: <<\n", 2, "'<<' on its own means something special to YAML, not the text; put it in quotes,"
                            " like title: \"<<\""),
    ("- label: =\n", 1, "put it in quotes, like label: \"=\""),
    ('title: "a"b\n', 1, "the value starts with \" and goes on after the closing quote, so YAML cannot tell"
                         " where it ends; put the whole value in quotes, like title: '\"a\"b'"),
    ("a: 1\ntitle: 'it' s\n", 2, "goes on after the closing quote, so YAML cannot tell where it ends; put the whole"
                              " value in quotes, like title: \"'it' s\""),
    ("title: [a] b\n", 1, "goes on after the closing bracket, so YAML cannot tell where it ends; put the whole"
                          " value in quotes, like title: \"[a] b\""),
    ("title: - x\n", 1, "a value starting with '- ' is read as a list item, which cannot follow a key on its line;"
                        " put the value in quotes, like title: \"- x\""),
])
def test_syntax_errors_name_the_likely_mistake(text, line, words):
    with pytest.raises(SitegenError) as caught:
        parse_yaml(text, "f.yaml")
    [problem] = caught.value.problems
    assert problem.line == line and words in problem.message, problem


@pytest.mark.parametrize("text, line, col, words", [
    # Field reports: the opening bracket, not the line after the file's end.
    ("name: [unclosed\nrank: PC\n", 1, 7, "the '[' here is not closed; add the ']'"),
    ("name: A\nrole: PC\nward: abbey\ncontact: {email: a@b.example\n", 4, 10, "the '{' here is not closed"),
    ("contact: {phone: #123, email: a@b.example}\n", 1, 10,
     "because the '#' at line 1, column 18 starts a comment (inside '[...]' and '{...}' too, ' #' starts one)"
     " and hides the rest of the line; put the value in quotes, like \"#123\""),
    ("tags: [a, 'b]', \"c[\", d\n", 1, 7, "the '[' here is not closed"),
])
def test_an_unclosed_bracket_is_reported_where_it_opens(text, line, col, words):
    with pytest.raises(SitegenError) as caught:
        parse_yaml(text, "f.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (line, col) and words in problem.message, problem


@settings(max_examples=60, deadline=None)
@given(before=st.integers(0, 5), after=st.integers(0, 3), indent=st.integers(0, 6),
       items=st.lists(st.from_regex(r"[a-z][a-z0-9 ]{0,8}[a-z0-9]", fullmatch=True), min_size=1, max_size=4),
       bracket=st.sampled_from("[{"))
def test_any_unclosed_bracket_is_reported_at_its_opening(before, after, indent, items, bracket):
    entries = items if bracket == "[" else [f"k{n}: {item}" for n, item in enumerate(items)]
    lines = [f"key{n}: value {n}" for n in range(before)]
    lines.append(f"name:{' ' * (indent + 1)}{bracket}{', '.join(entries)}")
    lines += [f"more{n}: value" for n in range(after)]
    with pytest.raises(SitegenError) as caught:
        parse_yaml("\n".join(lines) + "\n", "f.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (before + 1, 7 + indent), problem
    assert f"the '{bracket}' here is not closed" in problem.message


@pytest.mark.parametrize("text, line, col, words", [
    # Field report: the overriding 'name' was called a duplicate key.
    ("- &p {name: A, role: PC}\n- <<: *p\n  name: B\n", 2, 3,
     "'<<' (YAML merge keys) is not supported; write the keys out"),
    ("name: !!null x\n", 1, 7, "'!!null' is a YAML tag, which sitegen does not take; remove the '!!null' and"
                               " write the value as text"),
    ("a: 1\nopen: !!bool yes\n", 2, 7, "remove the '!!bool'"),
    ("phone: &p !!int 0207\n", 1, 11, "remove the '!!int'"),
    ("tags: [a, !!float 1]\n", 1, 11, "remove the '!!float'"),
    ("team:\n  - name: !!binary eA==\n", 2, 11, "remove the '!!binary'"),
])
def test_merge_keys_and_explicit_tags_are_refused_where_written(text, line, col, words):
    with pytest.raises(SitegenError) as caught:
        parse_yaml(text, "f.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (line, col) and words in problem.message, problem


def test_a_str_tag_and_quoted_exclamation_marks_are_text():
    assert parse_yaml('a: !!str 0207\nb: "!!null"\nc: x!!y\n', "f.yaml") == {"a": "0207", "b": "!!null", "c": "x!!y"}


def test_syntax_errors_in_front_matter_give_the_file_line(make_site):
    site = make_site("minimal")
    _edit(site, NEWS, "title:", "title:Bikes\nbad:")
    _assert_problem(_run_check(site), f"{NEWS}:2:1:", "'title:' needs a space after the colon")


# -- issue 15 A/B: bounded structure, never a traceback ----------------------------------------

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdef", "bcdefg", strict=True))
ATTACKS = {
    "250 lists deep": ("flow", "[" * 250 + "]" * 250, "nested more than"),
    "500 mappings deep": ("flow", "{a: " * 500 + "1" + "}" * 500, "nested more than"),
    "60 block mappings deep": ("block", "".join("  " * i + f"k{i}:\n" for i in range(60)) + "  " * 60 + "v\n",
                               "nested more than"),
    "billion laughs": ("block", LAUGHS, "once its aliases (*name) are expanded"),
    "over a megabyte": ("block", "z: '" + "x" * MAX_TEXT_BYTES + "'\n", "the most sitegen reads from one file"),
}
FILES = {"area": ("minimal", "content/areas/north-ward/area.yaml"),
         "news": ("minimal", "content/areas/north-ward/news/bike-marking.md"),
         "site": ("minimal", "site.yaml"), "page": ("minimal", "content/pages/about.md"),
         "form": ("forms-basic", "forms/everything.yaml"), "triage": ("forms-basic", "forms/triage.yaml")}


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("kind", list(FILES))
def test_hostile_yaml_is_a_located_problem(make_site, kind, attack):
    name, rel = FILES[kind]
    site = make_site(name)
    style, text, words = ATTACKS[attack]
    path = site / rel
    original = path.read_text(encoding="utf-8")
    if rel.endswith(".md"):
        body = f"extra: {text}\n" if style == "flow" else text
        path.write_text(original.replace("---\n", "---\n" + body, 1), encoding="utf-8")
    else:
        path.write_text(original + (f"extra: {text}\n" if style == "flow" else text), encoding="utf-8")
    result = _run_check(site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert any(line.startswith(rel + ":") and words in line for line in result.stderr.splitlines()), \
        result.stderr[:2000]


yamlish = st.text(st.sampled_from(list("ab1 0x:-[]{}\"'\n\t#&*!|>%@`?,.~\\") + ["\x1f", "é", "\ufeff"]),
                  max_size=80)


@FAST
@given(yamlish)
def test_any_text_parses_or_is_a_located_problem(text):
    try:
        parse_yaml(text, "f.yaml", first_line=3)
    except SitegenError as exc:
        assert all(p.path == "f.yaml" and p.line >= 3 and p.message for p in exc.problems), exc.problems


def test_nesting_up_to_the_bound_is_fine():
    value = parse_yaml("a: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2) + "\n", "f.yaml")
    assert isinstance(value["a"], list)


def test_aliases_within_the_bound_load():
    assert parse_yaml("a: &x [1, 2]\nb: *x\n", "f.yaml") == {"a": [1, 2], "b": [1, 2]}


@pytest.mark.parametrize("text", ["title: =\n", "title: <<\n", 'title: "a"b\n', "title: - x\n"])
def test_syntax_messages_never_blame_a_tag_or_the_indentation_when_the_value_needs_quotes(text):
    with pytest.raises(SitegenError) as caught:
        parse_yaml(text, "f.yaml")
    [problem] = caught.value.problems
    assert "tag" not in problem.message and "indented differently" not in problem.message
    assert "in quotes" in problem.message
    assert "not allowed in this context" not in problem.message


# -- a value YAML reads as a comment (`brand: #d4351c`) ---------------------------------------

# What follows '#': the first character is not a space, so YAML still reads a comment.
after_hash = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp"), blacklist_characters="\ufeff"),
                     max_size=30).map(str.rstrip)
hash_values = st.tuples(st.characters(whitelist_categories=("L", "N", "P", "S"), blacklist_characters="#"),
                        after_hash).map(lambda parts: "#" + parts[0] + parts[1])
keys = st.from_regex(r"[a-z][a-z_]{0,12}", fullmatch=True)


@FAST
@given(keys, hash_values, st.integers(min_value=0, max_value=3), st.sampled_from(["", "- "]), st.integers(1, 40))
def test_an_unquoted_value_starting_with_hash_is_a_located_problem(key, value, depth, item, first_line):
    indent = "  " * depth
    lines = [f"{'  ' * level}k{level}:" for level in range(depth)] + [f"{indent}{item}{key}: {value}"]
    with pytest.raises(SitegenError) as caught:
        parse_yaml("\n".join(lines) + "\n", "f.yaml", first_line=first_line)
    [problem] = caught.value.problems
    col = len(indent) + len(item) + len(key) + 3
    assert (problem.line, problem.col) == (first_line + depth, col), problem
    assert problem.message.startswith(f"{key}: '{value}' is read as a comment, so {key} has no value;"
                                      f" put it in quotes: {key}: ")
    suggested = problem.message.split(f"put it in quotes: {key}: ", 1)[1]
    assert parse_yaml(f"{key}: {suggested}\n", "f.yaml") == {key: value}


@FAST
@given(keys, st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), max_size=20), st.integers(1, 4))
def test_a_real_comment_after_a_key_stays_allowed(key, note, spaces):
    assert parse_yaml(f"{key}:{' ' * spaces}# {note}\nother: 1\n", "f.yaml") == {key: None, "other": 1}


VALUE_AS_COMMENT = {
    "site.yaml": ("site.yaml", '  brand: "#4c2c92"', "  brand: #d4351c", 5, 10, "brand", "#d4351c"),
    "area": ("content/areas/north-ward/area.yaml", "summary: The north of the town.",
             "summary: #StopKnifeCrime week of action", 5, 10, "summary", "#StopKnifeCrime week of action"),
    "news": ("content/areas/north-ward/news/bike-marking.md", "summary: Free bike marking at the library.",
             "summary: #StopKnifeCrime week of action", 4, 10, "summary", "#StopKnifeCrime week of action"),
    "page": ("content/pages/about.md", "summary: Who runs it.", "summary: #1 tip", 3, 10, "summary", "#1 tip"),
}


@pytest.mark.parametrize("case", VALUE_AS_COMMENT)
def test_field_cases_value_read_as_comment_in_every_file_kind(make_site, case):
    rel, old, new, line, col, key, value = VALUE_AS_COMMENT[case]
    site = make_site("minimal")
    _edit(site, rel, old, new)
    _assert_problem(_run_check(site), f"{rel}:{line}:{col}:",
                    f"{key}: '{value}' is read as a comment, so {key} has no value;"
                    f' put it in quotes: {key}: "{value}"')


def test_field_case_form_hint_read_as_comment(make_site):
    site = make_site("forms-basic")
    _edit(site, "forms/everything.yaml", "        label: A code\n",
          "        label: A code\n        hint: #1 tip - give the serial number\n")
    _assert_problem(_run_check(site), "forms/everything.yaml:21:15:", "hint: '#1 tip - give the serial number' is read"
                    ' as a comment, so hint has no value; put it in quotes: hint: "#1 tip - give the serial number"')


# -- line numbers in front matter holding U+2028, U+0085 and other separators -------------------

# Line ends to str.splitlines (and, the first three, to YAML 1.1) that are not line ends in a file.
YAML_BREAKS = ["\u2028", "\u2029", "\u0085"]
SEPARATORS = [*YAML_BREAKS, "\x1c", "\x1d", "\x1e", "\v", "\f"]


def _first_problem(text: str) -> tuple[int, int]:
    with pytest.raises(SitegenError) as caught:
        split_front_matter(text, "n.md")
    return caught.value.problems[0].line, caught.value.problems[0].col


@FAST
@given(st.lists(st.sampled_from(YAML_BREAKS), min_size=1, max_size=6),
       st.lists(st.sampled_from(SEPARATORS), max_size=6), st.integers(min_value=0, max_value=5),
       st.sampled_from(['"', "'"]))
def test_front_matter_lines_count_line_feeds_only(in_meta, in_body, blank_lines, quote):
    value = quote + "x".join(["first", *in_meta, "last"]) + quote
    body = "\n" * blank_lines + "Body" + "".join(in_body) + " line.\n"
    text = f"---\ntitle: T\nsummary: {value}\nother: {value}\n---\n" + body
    doc = split_front_matter(text, "n.md")
    assert (doc.body_line, doc.body) == (6, body)
    assert body_of(text, "n.md") == body
    assert doc.meta.where("other") == (4, 1)
    plain = quote + "x".join(["first", *["y"] * len(in_meta), "last"]) + quote
    for broken in ["other:x", "other: #x", "other: [", "other: =", 'other: "a"b', "other: '", "other: \"\\x1f\""]:
        edited = text.replace(f"other: {value}", broken)
        assert _first_problem(edited) == _first_problem(edited.replace(f"summary: {value}", f"summary: {plain}"))


@FAST
@given(st.sampled_from(YAML_BREAKS), st.from_regex(r"[A-Za-z][A-Za-z ]{0,10}", fullmatch=True),
       st.sampled_from(["last", "last: x", "- last"]))
def test_an_unquoted_line_separator_is_named_where_it_is(separator, first, last):
    text = f"a: 1\nsummary: {first}{separator}{last}\nb: 2\n"
    with pytest.raises(SitegenError) as caught:
        parse_yaml(text, "f.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (2, len("summary: ") + len(first) + 1), problem
    assert f"an invisible U+{ord(separator):04X} (line separator) here, which YAML reads as the end of the line;" \
           " delete it, or put the whole value in quotes" in problem.message


def test_field_case_a_bad_link_after_u2028_is_reported_on_its_line(make_site):
    site = make_site("minimal")
    _edit(site, NEWS, "summary: Free bike marking at the library.",
          'summary: "first\u2028second\u0085third"')
    _edit(site, NEWS, "- See [South Ward](/areas/south-ward/).", "- See [Nowhere](/nowhere/).")
    line = (site / NEWS).read_text(encoding="utf-8").split("\n").index("- See [Nowhere](/nowhere/).") + 1
    assert line == 11
    _assert_problem(_run_check(site), f"{NEWS}:{line}:", "link '/nowhere/' points to a page that does not exist")


# -- a required key written with no value ------------------------------------------------------

@FAST
@given(keys, st.sampled_from(["~", ""]), st.sampled_from([Str(), Int(), Bool()]), st.integers(0, 5))
def test_a_required_key_with_no_value_is_reported_at_that_key(key, written, kind, before):
    record = Record(name="test", fields=[Field(key, kind, required=True, doc="What it is.")]
                    + [Field(f"zz{i}", Str()) for i in range(before)])
    text = "".join(f"zz{i}: x\n" for i in range(before)) + f"{key}: {written}\n"
    out, problems = _check(record, text)
    col = len(key) + 3 if written else len(key) + 2
    meaning = " (~ means nothing)" if written else ""
    assert out is None
    assert problems == [f"f.yaml:{before + 1}:{col}: {key}: has no value{meaning}; write its value (What it is)"]


def test_field_case_name_tilde_is_reported_at_its_line():
    from sitegen.content.areas import AREA as AREA_SCHEMA
    problems = Problems()
    AREA_SCHEMA.check(parse_yaml("borough: Testshire\nname: ~\n", "area.yaml"), Where("area.yaml", (1, 1), ""),
                      problems)
    assert [str(p) for p in problems] == ["area.yaml:2:7: name: has no value (~ means nothing);"
                                          " write its value (Ward name)"]


# -- helpers -----------------------------------------------------------------------------

AREA = "content/areas/north-ward/area.yaml"
NEWS = "content/areas/north-ward/news/bike-marking.md"


def _check_area(raw) -> tuple[dict | None, list[str]]:
    from sitegen.content.areas import AREA as AREA_SCHEMA
    problems = Problems()
    out = AREA_SCHEMA.check(raw, Where("area.yaml", (1, 1), ""), problems)
    return out, [str(p) for p in problems]


def _write_site(tmp_path: Path, files: dict[str, str]) -> Path:
    site = tmp_path / "site"
    files = {"site.yaml": "name: Test Police\nbase_url: https://www.test.police.example/\n"} | files
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    return site


def _edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _run_check(site: Path):
    return run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)


def _assert_problem(result, location: str, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(location)]
    assert lines, f"no line starting {location!r} in:\n{result.stderr}"
    assert any(words in line for line in lines), f"{words!r} not in {lines}"
