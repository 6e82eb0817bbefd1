"""Form answers as people type them (issue 14, class 9).

* No question kind gets an attribute that makes the browser discard or refuse
  input (`maxlength`, `minlength`, `pattern`, `size`, ...), and every form is
  `novalidate`: limits are explained in the error summary instead, by forms.js
  and by the receiver, in the same words.
* A month may be typed as a word or an abbreviation (`June`, `jun`, `Sept.`):
  the receiver's date-parts parser and forms.js read one table of inputs, and
  many generated ones, exactly alike; both trim the same white space.
* A blank optional date is 'Not given' on Check your answers.

The field cases form-maxlength-truncation and form-date-month-name are
tests/sites/lost-item (their site, plus one optional date question).
"""
from __future__ import annotations

import json
import re
import uuid
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, SITES, run_cli
from sitegen.forms.fields import field
from sitegen.forms.model import ALWAYS, QUESTION_TYPES, Match, Option, Question
from sitegen.forms.patterns import DATE, SPACE_CHARS, date_from_parts, month_number, whole_number
from sitegen.forms.submission import answers_from_post, clean
from sitegen.intake.config import IntakeSettings
from test_intake_support import FORM, SECRET, call, client_for, make_app, submissions

# Attributes with which a browser cuts, blocks or second-guesses what people type.
REFUSING = {"maxlength", "minlength", "pattern", "size", "min", "max", "step"}
LONG_DESCRIPTION = ("The rucksack is navy blue with a red luggage tag and a broken zip. " * 4)[:260] \
    + " Laptop serial AB12345."
TOO_LONG = "Description must be 200 characters or fewer"
LAST_YEAR = str(date.today().year - 1)


# ---- no attribute that discards input, for every question kind ----

questions = st.builds(
    Question, name=st.sampled_from(["answer", "what_happened", "q1"]), type=st.sampled_from(QUESTION_TYPES),
    label=st.just("A question"), page=st.just("p"), required=st.booleans(),
    min_length=st.none() | st.integers(0, 50), max_length=st.none() | st.integers(1, 10000),
    pattern=st.sampled_from(["", "[A-Z]{2}[0-9]{2}", "[a-z ]+"]),
    options=st.just((Option("a", "A"), Option("b", "B", exclusive=True))), postcode_required=st.booleans(),
    relevant=st.sampled_from([ALWAYS, Match("other", ("yes",))]), autocomplete=st.sampled_from(["", "address"]))


def _attribute_sets(params) -> list[dict]:
    """Every `attributes` mapping anywhere in a macro's parameters."""
    if isinstance(params, dict):
        found = [params["attributes"]] if isinstance(params.get("attributes"), dict) else []
        return found + [a for value in params.values() for a in _attribute_sets(value)]
    if isinstance(params, list):
        return [a for value in params for a in _attribute_sets(value)]
    return []


@settings(max_examples=100, deadline=None)
@given(question=questions, sensitive=st.booleans())
def test_no_question_kind_is_given_an_attribute_that_discards_input(question, sensitive):
    params = field(question, sensitive)["params"]
    for attributes in _attribute_sets(params):
        assert not REFUSING & {name.lower() for name in attributes}, (question.type, attributes)


class _Inputs(HTMLParser):
    """The attributes of every input, textarea, select and form in a page."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("input", "textarea", "select", "form"):
            self.found.append((tag, dict(attrs)))


def _built(tmp_path_factory, site: Path) -> Path:
    out = tmp_path_factory.mktemp(site.name) / "build"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(out.parent / "state"))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def lost_item(tmp_path_factory) -> Path:
    """The field cases' site, built."""
    return _built(tmp_path_factory, SITES / "lost-item")


def test_built_forms_keep_everything_typed_and_leave_checks_to_the_error_summary(tmp_path_factory, lost_item,
                                                                                 example_build):
    pages = [*example_build.glob("forms/*/index.html"), *lost_item.glob("forms/*/index.html"),
             *_built(tmp_path_factory, SITES / "forms-basic").glob("forms/*/index.html")]
    forms = 0
    for page in pages:
        parser = _Inputs()
        parser.feed(page.read_text(encoding="utf-8"))
        for tag, attrs in parser.found:
            if tag == "form" and "data-sitegen-rules" in attrs:
                forms += 1
                assert "novalidate" in attrs, page
            assert not REFUSING & set(attrs), (page, tag, attrs)
    assert forms >= 7     # every native form: 5 examples, the field cases' and the everything form


# ---- month names: the receiver and forms.js read the same table ----

# (day, month, year as typed and trimmed) -> the date both read, or None when the parts cannot be read
DATE_TABLE = [
    ("29", "June", "2026", "2026-06-29"), ("29", "june", "2026", "2026-06-29"), ("29", "JUN", "2026", "2026-06-29"),
    ("29", "jun", "2026", "2026-06-29"), ("29", "Jun.", "2026", "2026-06-29"), ("1", "Sept", "2026", "2026-09-01"),
    ("1", "sept.", "2026", "2026-09-01"), ("1", "SEP", "2026", "2026-09-01"), ("1", "September", "2026", "2026-09-01"),
    ("5", "6", "2026", "2026-06-05"), ("05", "06", "2026", "2026-06-05"), ("31", "dec", "1999", "1999-12-31"),
    ("1", "Mar", "2026", "2026-03-01"), ("1", "may", "2026", "2026-05-01"), ("1", "May.", "2026", "2026-05-01"),
    ("1", "februar", "2024", "2024-02-01"), ("1", "13", "2026", "2026-13-01"), ("1", "0", "2026", "2026-00-01"),
    ("1", "Ju", "2026", None), ("1", "Junee", "2026", None), ("1", "jun..", "2026", None), ("1", "juni", "2026", None),
    ("1", "6.", "2026", None), ("1", "Mai", "2026", "2026-05-01"), ("1", "１", "2026", None), ("1", "٦", "2026", None),
    ("1", "Mehefin", "2026", "2026-06-01"), ("1", "gorffennaf.", "2026", "2026-07-01"),   # Welsh names too
    ("1", "Maw", "2026", "2026-03-01"), ("1", "Ma", "2026", None),
    ("1", "ｊｕｎｅ", "2026", None), ("1", "\u212aug", "2026", None), ("1", "June", "26", None),
    ("1", "June", "02026", None), ("123", "June", "2026", None), ("", "June", "2026", None), ("1", "", "2026", None),
    ("1", "6 ", "2026", None), ("1", "J une", "2026", None), ("1", "Sept.ember", "2026", None),
]

# (as typed, the integer it is or None): GOV.UK lets people type separators and a pound sign.
NUMBER_TABLE = [
    ("1000", 1000), ("1,000", 1000), ("1 000", 1000), ("£500", 500), ("£1,000", 1000), ("-£5", -5), ("-1", -1),
    ("12,345,678", 12345678), ("0", 0), ("007", 7), ("1,00", None), ("1,0000", None), (",100", None),
    ("1,000 000", None), ("£ 5", None), ("5£", None), ("£-5", None), ("1.5", None), ("1.000", None), ("three", None),
    ("", None), ("1,000,", None), ("1  000", None), ("١٢", None), ("1\u00a0000", None), ("--1", None),
]
number_like = st.text(alphabet=st.sampled_from("0123456789, £-.\u00a0"), max_size=12)
YEARS = ["0000", "0001", "1066", "1899", "1900", "1901", "1999", "2000", "2026", "9999"]

month_like = st.text(alphabet=st.sampled_from("JjUuNnEeSsPpTtAaRrMmYyOoCcVvDdBbLlGgFfHhIiWw0123456789.\u212a\u0130ı "),
                     max_size=11)
space_like = st.text(alphabet=st.sampled_from(SPACE_CHARS + "\u200b\u180e\x00a\r\nz"), max_size=8)


def sample(strategy, count: int) -> list:
    """COUNT examples of STRATEGY, collected for one batch in the browser."""
    found: list = []

    @settings(max_examples=count, deadline=None, database=None)
    @given(strategy)
    def collect(example):
        found.append(example)

    collect()
    return found


@pytest.mark.parametrize("day, month, year, iso", DATE_TABLE)
def test_the_receiver_reads_the_date_table(day, month, year, iso):
    assert date_from_parts(day, month, year) == iso
    schema = {"properties": {"d": {"x-sitegen-type": "date"}}}
    posted = answers_from_post(schema, {"d-day": [f" {day}"], "d-month": [f"{month}\r\n"], "d-year": [year]})
    if iso:
        assert posted == {"d": iso}


@pytest.mark.parametrize("written, number", NUMBER_TABLE)
def test_the_receiver_reads_numbers_as_people_write_them(written, number):
    assert whole_number(written) == number
    posted = answers_from_post({"properties": {"n": {"x-sitegen-type": "number"}}}, {"n": [written]})
    kept_as_typed = written or None     # a blank answer is no answer
    assert posted.get("n") == (kept_as_typed if number is None else number)


@settings(max_examples=100, deadline=None)
@given(year=st.integers(0, 9999), month=st.integers(1, 12), day=st.integers(1, 31))
def test_a_date_is_accepted_exactly_when_it_is_real_and_from_1900_on(year, month, day):
    iso = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        real = date(year, month, day).year >= 1900
    except ValueError:
        real = False
    assert bool(re.match(DATE, iso)) == real, iso


@pytest.fixture(scope="module")
def lost_item_url(lost_item, serve_dir) -> str:
    return serve_dir(lost_item) + "/forms/report-lost-item/"


def js(page, url: str, script: str, arg):
    """Run SCRIPT(forms, arg) in the built form page, forms being forms.js's exports."""
    page.goto(url)
    return page.evaluate(f"""async (arg) => {{
        const forms = await import(document.querySelector('script[src*="/forms."]').src);
        return ({script})(forms, arg);
    }}""", arg)


@pytest.mark.browser
def test_forms_js_reads_months_and_trims_exactly_as_the_receiver(page, lost_item_url):
    months = sorted({m for _, m, _, _ in DATE_TABLE} | set(sample(month_like, 100)))
    spaces = sample(space_like, 100) + [" x ", "\ufeffx", "x\x1c", "\x85x\u3000"]
    numbers = [written for written, _ in NUMBER_TABLE] + sample(number_like, 100)
    found = js(page, lost_item_url, """(forms, [table, months, spaces, numbers]) => ({
        dates: table.map(([d, m, y]) => forms.dateFromParts(d, m, y)),
        months: months.map((m) => forms.monthNumber(m)),
        cleaned: spaces.map((s) => forms.clean(s)),
        numbers: numbers.map((n) => forms.wholeNumber(n)),
    })""", [[row[:3] for row in DATE_TABLE], months, spaces, numbers])
    assert found["dates"] == [iso for *_, iso in DATE_TABLE]
    assert found["months"] == [month_number(m) for m in months]
    assert found["cleaned"] == [clean(s) for s in spaces]
    assert found["numbers"] == [whole_number(n) for n in numbers]


# ---- the field cases, in Chromium and at the receiver ----

@pytest.mark.browser
def test_pasted_text_and_a_month_name_stay_and_the_limit_is_explained(page, lost_item_url):
    page.goto(lost_item_url)
    page.focus("#item_description")
    page.keyboard.insert_text(LONG_DESCRIPTION)               # what pasting does
    assert page.input_value("#item_description") == LONG_DESCRIPTION and len(LONG_DESCRIPTION) == 283
    assert page.inner_text(".govuk-character-count__status") == "You have 83 characters too many"
    page.fill("#lost_date-day", "29")
    page.focus("#lost_date-month")
    page.keyboard.type("June")
    assert page.input_value("#lost_date-month") == "June"
    page.fill("#lost_date-year", LAST_YEAR)
    page.click("[data-sitegen-continue] button")
    summary = page.locator(".govuk-error-summary__list")
    assert summary.inner_text().strip() == TOO_LONG               # the date with 'June' is fine
    assert TOO_LONG in page.inner_text("#item_description-error")   # and beside the field
    assert page.input_value("#item_description") == LONG_DESCRIPTION


@pytest.mark.browser
def test_without_javascript_nothing_typed_is_cut(page_without_js, lost_item_url):
    page = page_without_js
    page.goto(lost_item_url)
    page.focus("#item_description")
    page.keyboard.insert_text(LONG_DESCRIPTION)
    page.focus("#lost_date-month")
    page.keyboard.type("sept.")
    assert page.input_value("#item_description") == LONG_DESCRIPTION
    assert page.inner_text("#item_description-info") == "You can enter up to 200 characters"
    assert page.input_value("#lost_date-month") == "sept."
    assert page.evaluate("document.querySelector('form[data-sitegen-rules]').noValidate")


@pytest.mark.browser
def test_a_blank_optional_date_is_not_given_on_check_your_answers(page, lost_item_url):
    page.goto(lost_item_url)
    page.fill("#item_description", "A navy rucksack")
    for part, value in (("day", "29"), ("month", "jun"), ("year", LAST_YEAR)):
        page.fill(f"#lost_date-{part}", value)
    page.click("[data-sitegen-continue] button")
    page.wait_for_selector("#page-found:not([hidden])")
    page.click("[data-sitegen-continue] button")
    page.wait_for_selector("[data-sitegen-check]:not([hidden])")
    rows = dict(page.locator(".govuk-summary-list__row").evaluate_all(
        "rows => rows.map(r => [r.querySelector('dt').textContent, r.querySelector('.sitegen-answer').textContent])"))
    assert rows == {"Date lost": f"29 June {LAST_YEAR}", "Date found": "Not given",
                    "Description": "A navy rucksack"}


@pytest.fixture
def receiver(lost_item, moto_endpoint, aws_env):
    """The receiver for the lost-item form, storing into a fresh moto bucket; (app, s3, bucket)."""
    s3 = client_for(moto_endpoint)
    bucket = f"intake-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    intake = IntakeSettings(bucket=bucket, prefix="reports/", endpoint_url=moto_endpoint, region="us-east-1",
                            schemas=str(lost_item / "forms"), site_url="https://www.test.police.example/",
                            secret=SECRET, retries=2, backoff_seconds=0.01, rate_per_minute=0)
    return make_app(intake), s3, bucket


def _post(app, **fields: str):
    return call(app, path="/submit/report-lost-item", body=urlencode(fields).encode("ascii"), content_type=FORM)


@pytest.mark.parametrize("month", ["June", "jun", "JUN", "6", "06"])
def test_a_month_written_as_a_word_is_stored_as_that_month(receiver, month):
    app, s3, bucket = receiver
    answer = _post(app, item_description="A navy rucksack", **{"lost_date-day": "29", "lost_date-month": month,
                                                                  "lost_date-year": "2025"}, client_token="v1.a.b")
    assert answer.status == 303
    assert answer.headers["location"].startswith("https://www.test.police.example/forms/report-lost-item/done/?ref=")
    [stored] = submissions(s3, bucket).values()
    assert stored["answers"]["lost_date"] == "2025-06-29"


@pytest.mark.parametrize("year", ["0000", "0001", "1899"])
def test_a_year_before_1900_is_refused_as_no_real_date_posted_or_sent_as_json(receiver, year):
    app, s3, bucket = receiver
    answer = _post(app, item_description="A navy rucksack", client_token="",
                   **{"lost_date-day": "1", "lost_date-month": "1", "lost_date-year": year})
    assert answer.status == 422
    assert "<li>Date lost must be a real date</li>" in answer.body.decode("utf-8")
    sent = json.dumps({"item_description": "A navy rucksack", "lost_date": f"{year}-01-01"}).encode("utf-8")
    answer = call(app, path="/submit/report-lost-item", body=sent)
    assert answer.status == 422 and "Date lost must be a real date" in answer.body.decode("utf-8")
    assert not submissions(s3, bucket)


def test_without_javascript_the_receiver_explains_the_limit_in_the_forms_words(receiver):
    app, s3, bucket = receiver
    fields = {"item_description": LONG_DESCRIPTION, "lost_date-day": "29", "lost_date-month": "June",
              "lost_date-year": "2025", "client_token": "", "website": ""}
    answer = _post(app, **fields)
    assert answer.status == 422
    page = answer.body.decode("utf-8")
    assert f"<li>{TOO_LONG}</li>" in page and "Back button" in page and "There is a problem" in page
    assert _post(app, **{**fields, "client_token": "v1.a.b"}).status == 303      # forms.js ran: back to the page
    assert not submissions(s3, bucket)


# ---- the page and the receiver: the same verdict and the same message, for many posts ----

def _part_values(kind: str) -> st.SearchStrategy:
    common = st.sampled_from(["", " ", "\u3000", "x", "AB12", "a" * 21, "ab\n", "1", "12", "June", "sept.", "13"])
    by_kind = {
        "day": st.sampled_from(["1", "29", "31", "0", "x", "1.5", "٣", "1,2", "-1"]), "month": st.sampled_from(
            ["6", "06", "June", "jun", "Sept.", "Ju", "13", "feb"]), "year": st.sampled_from(["2026", "2030", "26",
                                                                                            *YEARS]),
        "postcode": st.sampled_from(["IG11 8AA", "ig118aa", "SW1A1AA", "12345"]),
        "email": st.sampled_from(["ann@example.com", "ann@example", "ann@ex ample.com"]),
        "tel": st.sampled_from(["(020) 7946 0000", "+44 7700 900 982", "123"]),
        "number": st.sampled_from(["3", "0", "11", "-1", "3.5", "three", *(w for w, _ in NUMBER_TABLE)])
        | number_like,
        "line": st.text(alphabet="ab \n", max_size=3) | st.just("x" * 201),
    }
    return common | by_kind.get(kind, st.text(max_size=25)) | st.text(max_size=6)


def _kind_of(name: str, rules: dict) -> str:
    base, _, part = name.partition("-")
    if part in ("day", "month", "year", "postcode"):
        return part
    if part:
        return "line"
    question = next(q for q in rules["questions"] if q["name"] == base)
    return question["type"]


@st.composite
def _posts(draw, rules: dict) -> dict[str, list[str]]:
    """Posted pairs for the form of RULES: some names left out, some values valid, many not."""
    names = [n for q in rules["questions"] for n in (
        [f"{q['name']}-{p}" for p in ("day", "month", "year")] if q["type"] == "date" else
        [f"{q['name']}-{p}" for p in ("line1", "line2", "town", "postcode")] if q["type"] == "address" else [q["name"]])]
    pairs: dict[str, list[str]] = {}
    for name in names:
        question = next(q for q in rules["questions"] if name.partition("-")[0] == q["name"])
        if not draw(st.integers(0, 3)):
            continue
        if question.get("options"):
            values = [o["value"] for o in question["options"]] + ["purple"]
            pairs[name] = draw(st.lists(st.sampled_from(values), min_size=1, max_size=2))
        elif question["type"] == "declaration":
            pairs[name] = [draw(st.sampled_from(["yes", "no"]))]
        else:
            pairs[name] = [draw(_part_values(_kind_of(name, rules)))]
    return pairs


@pytest.mark.browser
def test_the_page_and_the_receiver_give_the_same_message_for_every_post(page, tmp_path_factory, serve_dir):
    from sitegen.forms.submission import make_validator
    from sitegen.intake.answers import field_errors
    out = _built(tmp_path_factory, SITES / "forms-basic")
    url = serve_dir(out) + "/forms/everything/"
    schema = json.loads((out / "forms" / "everything" / "schema.json").read_text(encoding="utf-8"))
    page.goto(url)
    rules = json.loads(page.get_attribute("form[data-sitegen-rules]", "data-sitegen-rules"))
    posts = sample(_posts(rules), 100)
    today = "2026-11-28"
    in_page = js(page, url, """(forms, [rules, posts, today]) => posts.map((pairs) =>
        Object.fromEntries(forms.validateAnswers(rules, pairs, today).map((e) => [e.name, e.message])))""",
                 [rules, posts, today])
    validator = make_validator(schema, date.fromisoformat(today))
    messages = {n: p.get("x-sitegen-messages", {}) for n, p in schema["properties"].items()}
    differ = []
    for pairs, by_page in zip(posts, in_page):
        errors = field_errors(validator, answers_from_post(schema, pairs), list(schema["properties"]), messages)
        by_receiver = {e.field: e.message for e in errors}
        if by_page != by_receiver:
            differ.append(f"{pairs}\n  page {by_page}\n  receiver {by_receiver}")
    assert not differ, f"{len(differ)} of {len(posts)} differ:\n" + "\n".join(differ[:8])
