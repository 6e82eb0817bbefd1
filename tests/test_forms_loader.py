"""forms/<id>.yaml: the bundled forms load, and each class of bad input is
reported by `sitegen check` as PATH:LINE:COL: message with exit 1."""
from __future__ import annotations

from pathlib import Path

import pytest

from conftest import BUILD_DATE, ROOT, run_cli, today
from sitegen.content.site import load_site
from sitegen.forms.model import ALWAYS, All, Match, Not

FORM = "forms/everything.yaml"


def check(site: Path):
    return run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(site: Path, rel: str, text: str, after: str = "") -> int:
    """The 1-based line of the first TEXT in REL (after the line holding AFTER)."""
    lines = (site / rel).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line) if after else 0
    return next(i for i, line in enumerate(lines) if i >= start and text in line) + 1


def assert_problem(result, path: str, line: int, words: str) -> None:
    """Exit 1, no traceback, and a problem at PATH:LINE: containing WORDS."""
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith(f"{path}:{line}:")]
    assert lines, f"no problem at {path}:{line} in:\n{result.stderr}"
    assert any(words in ln for ln in lines), f"{words!r} not in {lines}"


@pytest.fixture
def site(make_site):
    return make_site("forms-basic")


def test_bundled_forms_and_triage_check_clean():
    result = check(ROOT)
    assert result.exit_code == 0, result.output


def test_fixture_site_checks_clean(site):
    result = check(site)
    assert result.exit_code == 0, result.output


def test_bundled_forms_model():
    bundle = load_site(ROOT, today())[0].forms
    ids = {f.id for f in bundle.forms}
    assert {"report-crime", "report-road-traffic-incident", "report-anti-social-behaviour",
            "report-lost-property", "firearms-licence", "register-an-alarm", "notify-an-event",
            "clares-law"} <= ids
    assert bundle.form("report-hate-crime").sensitive and bundle.form("clares-law").sensitive
    assert not bundle.form("report-crime").sensitive
    assert bundle.form("firearms-licence").is_hosted
    crime = bundle.form("report-crime")
    assert crime.endpoint == "/submit/report-crime"   # the example site.yaml sets no forms.endpoint
    types = {q.type for f in bundle.forms for q in f.questions}
    assert types == {"text", "textarea", "email", "tel", "number", "date", "radios", "checkboxes", "select",
                     "address", "declaration"}


def test_relevance_combines_page_skip_and_show_when(site):
    form = load_site(site, today())[0].forms.form("everything")
    skip = Match("pets", ("none",), many=True)
    assert form.question("name").relevant == ALWAYS
    assert form.question("shade").relevant == Match("colour", ("blue",))
    assert form.question("dog_name").relevant == All((Not(skip), Match("pets", ("dog",), many=True)))
    assert form.question("shade").condition_text == "Answer this only if you answered ‘Blue’ for ‘Favourite colour’."


def test_endpoints_come_from_site_yaml_or_the_form(site):
    forms = load_site(site, today())[0].forms
    assert forms.form("everything").endpoint == "https://intake.example.org/submit/everything"
    assert forms.form("quiet").endpoint == "https://other.example.org/in"


def test_unknown_question_type(site):
    edit(site, FORM, "type: radios", "type: radio")
    assert_problem(check(site), FORM, line_of(site, FORM, "type: radio"),
                   "pages[2].questions[1].type: expected one of text, textarea, email, tel, number, date, radios,"
                   " checkboxes, select, address, declaration, found 'radio'; did you mean 'radios'?")


def test_duplicate_field_names(site):
    edit(site, FORM, "name: code", "name: name")
    first = line_of(site, FORM, "name: name")
    second = line_of(site, FORM, "name: name", after="label: Your name")
    assert_problem(check(site), FORM, second, f"duplicate field name 'name': it is already used at line {first}")


def test_condition_on_unknown_field(site):
    edit(site, FORM, "field: colour", "field: color")
    assert_problem(check(site), FORM, line_of(site, FORM, "field: color"),
                   "condition on unknown field 'color'; did you mean 'colour'?")


def test_condition_on_unknown_option(site):
    edit(site, FORM, "is: blue", "is: bleu")
    assert_problem(check(site), FORM, line_of(site, FORM, "is: bleu"),
                   "condition on unknown option 'bleu' of 'colour'; did you mean 'blue'? (its options are: red,"
                   " green, blue)")


def test_condition_on_a_later_answer(site):
    edit(site, FORM, "      field: colour\n", "      field: dog_name\n")
    assert_problem(check(site), FORM, line_of(site, FORM, "field: dog_name"),
                   "condition on 'dog_name', which is asked later; a condition can only use an earlier answer")


def test_condition_on_a_text_answer(site):
    edit(site, FORM, "      field: colour\n", "      field: name\n")
    assert_problem(check(site), FORM, line_of(site, FORM, "field: name"),
                   "condition on 'name', a text question; conditions can only use the answer to a radios,"
                   " checkboxes or select question")


def test_skip_when_on_its_own_page(site):
    edit(site, FORM, "      field: pets\n      is: none", "      field: dog_name\n      is: none")
    assert_problem(check(site), FORM, line_of(site, FORM, "field: dog_name"),
                   "condition on 'dog_name', which is asked on this page; skip_when can only use an answer from an"
                   " earlier page")


def test_key_that_does_not_suit_the_type(site):
    edit(site, FORM, "        label: Your story\n", "        label: Your story\n        must_be: past\n")
    assert_problem(check(site), FORM, line_of(site, FORM, "must_be: past"),
                   "question 'story': 'must_be' does not apply to a textarea question")


def test_unknown_key_with_hint(site):
    edit(site, FORM, "        label: Your story\n", "        label: Your story\n        max_lenght: 9\n")
    assert_problem(check(site), FORM, line_of(site, FORM, "max_lenght"),
                   "unknown key 'max_lenght' in question; did you mean 'max_length'?")


def test_unquoted_yes_in_options_is_text(site):
    # Text is text: YAML 1.1 would read these as true and false; the options keep what was written.
    edit(site, FORM, 'options: ["Small", "Large"]', "options: [Yes, No]")
    question = next(q for page in load_site(site, today())[0].forms.form("everything").pages
                    for q in page.questions if q.options and q.options[0].label == "Yes")
    assert [(o.value, o.label) for o in question.options] == [("yes", "Yes"), ("no", "No")]


def test_reserved_field_name(site):
    edit(site, FORM, "name: story", "name: website")
    assert_problem(check(site), FORM, line_of(site, FORM, "name: website"),
                   "'website' is reserved for the form's spam checks; choose another name")


@pytest.mark.parametrize("pattern, words", [("[A-Z]{2}[0-9]{2}+", "pattern uses '{2}+', which JavaScript"),
                                            ("[A-Z]{,2}", "pattern uses '{', which JavaScript"),
                                            ("[[A-Z]]", "pattern may change meaning in a future Python")])
def test_pattern_that_javascript_cannot_read(site, pattern, words):
    edit(site, FORM, 'pattern: "[A-Z]{2}[0-9]{2}"', f'pattern: "{pattern}"')
    assert_problem(check(site), FORM, line_of(site, FORM, "pattern:"), words)


def test_pattern_that_browsers_read_differently(site):
    edit(site, FORM, 'pattern: "[A-Z]{2}[0-9]{2}"', 'pattern: "[A-Z]{2}\\\\d{2}"')
    assert_problem(check(site), FORM, line_of(site, FORM, "pattern:"),
                   "pattern uses '\\d', which browsers and Python read differently")


def test_choice_question_without_options(site):
    edit(site, FORM, '        options: ["Small", "Large"]\n', "")
    assert_problem(check(site), FORM, line_of(site, FORM, "type: select"),
                   "a select question needs 'options', at least 2")


def test_hosted_form_with_pages(site):
    path = "forms/hosted-service.yaml"
    edit(site, path, "provider:", "pages: []\nprovider:")
    assert_problem(check(site), path, line_of(site, path, "pages:"),
                   "'pages' does not apply to a hosted form (one with 'hosted_url'); remove it")


def test_sensitive_category_cannot_be_turned_off(site):
    edit(site, "forms/quiet.yaml", "category: domestic-abuse", "category: domestic-abuse\nsensitive: false")
    assert_problem(check(site), "forms/quiet.yaml", 3,
                   "a 'domestic-abuse' form is always sensitive; remove 'sensitive: false'")


def test_form_file_name(site):
    (site / "forms" / "everything.yaml").rename(site / "forms" / "Everything.yaml")
    result = check(site)
    assert result.exit_code == 1
    assert "forms/Everything.yaml: a form file is named like 'report-crime.yaml'" in result.stderr


def test_yaml_syntax_error_in_a_form(site):
    edit(site, FORM, "label: Your name", "label: Your: name")
    assert_problem(check(site), FORM, line_of(site, FORM, "label: Your: name"), "YAML syntax")


def test_site_yaml_link_to_an_undefined_form(site):
    edit(site, "site.yaml", "url: /forms/everything/", "url: /forms/everythin/")
    assert_problem(check(site), "site.yaml", line_of(site, "site.yaml", "/forms/everythin/"),
                   "report_actions[2].url: link '/forms/everythin/' points to the form 'everythin', which is not"
                   " defined (there is no forms/everythin.yaml); did you mean 'everything'?")


def test_markdown_link_to_an_undefined_form(site):
    edit(site, "content/pages/about.md", "(/forms/everything/)", "(/forms/nothing/)")
    assert_problem(check(site), "content/pages/about.md", 4, "link '/forms/nothing/' points to a page that does not exist")


def test_every_problem_is_reported_at_once(site):
    edit(site, FORM, "type: textarea", "type: textbox")
    edit(site, FORM, "is: blue", "is: bleu")
    edit(site, "forms/triage.yaml", "next: phone", "next: phoen")
    result = check(site)
    assert result.exit_code == 1
    assert "4 problems found." in result.stderr   # the typo also leaves node 'phone' unreachable
    assert "answer 'Something else' leads nowhere: there is no node 'phoen'; did you mean 'phone'?" in result.stderr
    assert "node 'phone' cannot be reached from the start node 'first'" in result.stderr


# -- a file that exists but cannot be loaded: only its own problems ---------------------------------

BROKEN = {
    "form YAML": ("forms/everything.yaml", "title:", "title: =\nx:"),
    "form required key": ("forms/everything.yaml", "title:", "title: ~\nx:"),
    "triage YAML": ("forms/triage.yaml", "start:", "start: =\nx:"),
    "triage required key": ("forms/triage.yaml", "start:", "start: ~\nx:"),
}


@pytest.mark.parametrize("case", BROKEN)
def test_a_file_that_fails_to_load_reports_only_its_own_problems(make_site, case):
    """The triage tree, site.yaml and a page link to the broken file; none of them is said to lead nowhere."""
    rel, old, new = BROKEN[case]
    site = make_site("forms-basic")
    edit(site, rel, old, new)
    result = check(site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines()
                if line.startswith(("forms/", "site.yaml", "content/"))]
    assert problems and all(line.startswith(rel + ":") for line in problems), result.stderr
    assert not any(words in result.stderr for words in ("not defined", "there is no forms/", "does not exist"))


@pytest.mark.parametrize("rel, old, new", [
    ("forms/report-lost-property.yaml", "\ntitle:", "\ntitle: =\nx:"),
    ("forms/triage.yaml", "\nstart:", "\nstart: =\nx:"),
    ("forms/report-crime.yaml", "\ntitle:", "\ntitle: =\nx:"),
])
def test_field_cases_a_broken_example_form_reports_only_its_own_problem(make_site, rel, old, new):
    site = make_site("example")
    text = (site / rel).read_text(encoding="utf-8")
    text = ("\n" + text).replace(old, new, 1)[1:]
    (site / rel).write_text(text, encoding="utf-8")
    result = check(site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines() if ":" in line and not line.endswith("found.")]
    assert len(problems) == 1 and problems[0].startswith(rel + ":") and "'=' on its own means something special" \
        in problems[0], result.stderr
