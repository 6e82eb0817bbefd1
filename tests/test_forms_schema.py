"""The JSON Schema compiler and the posted-form conversion.

VERDICTS is one table of answers (as a browser posts them) with the fields
each gets wrong; this module runs it through the schema, and
test_browser_forms_verdicts.py runs the same table through forms.js in
Chromium: both must agree with the table, so they agree with each other.
"""
from __future__ import annotations

import json
from datetime import date

import pytest
from jsonschema import Draft202012Validator

from conftest import BUILD_DATE, ROOT, SITES, run_cli, today
from sitegen.content.site import load_site
from sitegen.forms.schema import compile_schema
from sitegen.forms.submission import answers_from_post, fields_in_error, make_validator

TODAY = "2026-11-28"

BASE = {
    "name": "Ann", "colour": "red", "pets": ["cat"],
    "past_date-day": "3", "past_date-month": "11", "past_date-year": "2026",
    "home-line1": "1 High Street", "home-town": "Barking", "home-postcode": "IG11 8AA",
    "declaration": "yes", "website": "", "client_token": "",
}
EVERYTHING_OPTIONAL = {
    "code": "AB12", "story": "Short.", "email": "ann@example.com", "phone": "(020) 7946 0000", "count": "3",
    "size": "small", "future_date-day": "1", "future_date-month": "1", "future_date-year": "2030",
    "place-line1": "Park Road", "place-town": "Dagenham", "place-postcode": "RM9 6XX",
}

# (what it tests, changes to BASE (None removes a field), fields in error)
VERDICTS = [
    ("the base answers", {}, set()),
    ("every optional question answered", EVERYTHING_OPTIONAL, set()),
    ("required text missing", {"name": None}, {"name"}),
    ("blank counts as missing", {"name": "   "}, {"name"}),
    ("spaces around are ignored", {"name": "  Ann  "}, set()),
    ("too short", {"name": "A"}, {"name"}),
    ("too long", {"name": "A" * 21}, {"name"}),
    ("length counts characters, not UTF-16 units", {"name": "😀" * 20}, set()),
    ("one emoji too many", {"name": "😀" * 21}, {"name"}),
    ("CR LF counts as one character", {"story": "x" * 24 + "\r\n" + "y" * 25}, set()),
    ("textarea too long", {"story": "x" * 51}, {"story"}),
    ("pattern must match the whole answer", {"code": "AB123"}, {"code"}),
    ("pattern is case-sensitive", {"code": "ab12"}, {"code"}),
    ("email without a domain", {"email": "ann@example"}, {"email"}),
    ("phone too short", {"phone": "12"}, {"phone"}),
    ("number below min", {"count": "0"}, {"count"}),
    ("number above max", {"count": "11"}, {"count"}),
    ("number with a decimal point", {"count": "2.5"}, {"count"}),
    ("number that is a word", {"count": "three"}, {"count"}),
    ("number with spaces", {"count": " 7 "}, set()),
    ("radios: unknown option", {"colour": "purple"}, {"colour"}),
    ("radios: missing", {"colour": None}, {"colour"}),
    ("radios: two answers", {"colour": ["red", "blue"]}, {"colour"}),
    ("show_when holds, question unanswered", {"colour": "blue"}, {"shade"}),
    ("show_when holds, question answered", {"colour": "blue", "shade": "Navy"}, set()),
    ("show_when false: the answer is ignored", {"colour": "red", "shade": "x" * 40}, set()),
    ("show_when holds: the answer is checked", {"colour": "blue", "shade": "x" * 40}, {"shade"}),
    ("checkboxes: none ticked", {"pets": None}, {"pets"}),
    ("checkboxes: unknown option", {"pets": ["fish"]}, {"pets"}),
    ("checkboxes: the same box twice", {"pets": ["cat", "cat"]}, {"pets"}),
    ("checkboxes: exclusive with another", {"pets": ["cat", "none"]}, {"pets"}),
    ("checkboxes condition holds, question unanswered", {"pets": ["cat", "dog"]}, {"dog_name"}),
    ("checkboxes condition holds, question answered", {"pets": ["dog"], "dog_name": "Rex"}, set()),
    ("skipped page: its answers are ignored", {"pets": ["none"], "dog_name": "x" * 600}, set()),
    ("select: unknown option", {"size": "medium"}, {"size"}),
    ("date in the future where past is asked", {"past_date-day": "25", "past_date-month": "12"}, {"past_date"}),
    ("today counts as the past", {"past_date-day": "28"}, set()),
    ("31 April is not a date", {"past_date-day": "31", "past_date-month": "4"}, {"past_date"}),
    ("29 February in a leap year", {"past_date-day": "29", "past_date-month": "2", "past_date-year": "2024"}, set()),
    ("29 February in another year", {"past_date-day": "29", "past_date-month": "2", "past_date-year": "2023"},
     {"past_date"}),
    ("date without a month", {"past_date-month": None}, {"past_date"}),
    ("two-digit year", {"past_date-year": "26"}, {"past_date"}),
    ("day that is not a number", {"past_date-day": "1x"}, {"past_date"}),
    ("required date missing", {"past_date-day": None, "past_date-month": None, "past_date-year": None},
     {"past_date"}),
    ("date in the past where future is asked",
     {"future_date-day": "1", "future_date-month": "1", "future_date-year": "2020"}, {"future_date"}),
    ("today counts as the future",
     {"future_date-day": "28", "future_date-month": "11", "future_date-year": "2026"}, set()),
    ("address without a town", {"home-town": None}, {"home"}),
    ("address without a required postcode", {"home-postcode": None}, {"home"}),
    ("postcode that is not one", {"home-postcode": "ABC 123"}, {"home"}),
    ("postcode in lower case, no space", {"home-postcode": "ig118aa"}, set()),
    ("address line too long", {"home-line1": "x" * 201}, {"home"}),
    ("required address missing", {"home-line1": None, "home-town": None, "home-postcode": None}, {"home"}),
    ("optional address with only line 2", {"place-line2": "Flat 2"}, {"place"}),
    ("optional postcode left out", {"place-line1": "Park Road", "place-town": "Dagenham"}, set()),
    ("declaration not ticked", {"declaration": None}, {"declaration"}),
    ("declaration with another value", {"declaration": "no"}, {"declaration"}),
    ("a client token is allowed", {"client_token": "v1.abc.def"}, set()),
    ("an unknown field", {"hacker": "x"}, {"hacker"}),
    ("an unknown blank field is dropped", {"hacker": ""}, set()),
    ("several mistakes at once", {"name": None, "colour": "purple", "declaration": None},
     {"name", "colour", "declaration"}),
]


def posted(changes: dict) -> dict[str, list[str]]:
    """BASE with CHANGES, as name -> list of posted values."""
    pairs = {**BASE, **changes}
    return {k: (v if isinstance(v, list) else [v]) for k, v in pairs.items() if v is not None}


@pytest.fixture(scope="module")
def everything():
    return load_site(SITES / "forms-basic", today())[0].forms.form("everything")


@pytest.fixture(scope="module")
def schema(everything):
    return compile_schema(everything, "https://forms.example.org/")


def schema_verdict(schema: dict, changes: dict) -> set[str]:
    """The fields the schema says are wrong."""
    validator = make_validator(schema, date.fromisoformat(TODAY))
    return fields_in_error(validator, answers_from_post(schema, posted(changes)))


@pytest.mark.parametrize("what, changes, wrong", VERDICTS, ids=[v[0] for v in VERDICTS])
def test_schema_verdicts(schema, what, changes, wrong):
    assert schema_verdict(schema, changes) == wrong


def test_schemas_are_valid_2020_12(tmp_path):
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(ROOT), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("forms/*/schema.json"))
    assert len(files) == 5
    for path in files:
        schema = json.loads(path.read_text())
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"https://www.example.police.uk/forms/{path.parent.name}/schema.json"
    assert not (out / "forms" / "firearms-licence" / "schema.json").exists()   # hosted: nothing to post


def test_required_and_conditional_structure():
    crime = load_site(ROOT, today())[0].forms.form("report-crime")
    schema = compile_schema(crime, "https://www.example.police.uk/")
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["additionalProperties"] is False
    assert {"crime_type", "description", "incident_date", "location", "loss"} <= set(schema["required"])
    assert "suspect_description" not in schema["required"]
    assert "website" not in schema["required"] and "client_token" not in schema["required"]
    rule = next(r for r in schema["allOf"] if "suspect_description" in r["then"]["properties"])
    assert rule["if"] == {"properties": {"suspect_known": {"enum": ["yes"]}}, "required": ["suspect_known"]}
    assert rule["then"]["required"] == ["suspect_description"]
    assert schema["properties"]["suspect_description"]["x-sitegen-messages"]["required"] == "Describe the people who did it"


def test_posted_form_becomes_the_answers_document(schema):
    answers = answers_from_post(schema, {
        "name": ["  Ann "], "story": ["one\r\ntwo"], "count": ["7"], "pets": ["cat", "dog"],
        "past_date-day": ["3"], "past_date-month": ["4"], "past_date-year": ["2026"],
        "home-line1": ["1 High St"], "home-line2": [""], "home-town": ["Barking"], "home-postcode": ["IG11 8AA"],
        "future_date-day": [""], "website": [""], "client_token": ["v1.x"]})
    assert answers == {
        "name": "Ann", "story": "one\ntwo", "count": 7, "pets": ["cat", "dog"], "past_date": "2026-04-03",
        "home": {"line1": "1 High St", "town": "Barking", "postcode": "IG11 8AA"}, "client_token": "v1.x"}


def test_a_broken_date_stays_broken(schema):
    answers = answers_from_post(schema, {"past_date-day": ["3"], "past_date-year": ["2026"]})
    assert answers["past_date"] == "2026--3"


def test_validator_checks_past_and_future_against_its_day(schema):
    answers = answers_from_post(schema, posted({}))
    assert not fields_in_error(make_validator(schema, date(2026, 11, 3)), answers)
    assert fields_in_error(make_validator(schema, date(2026, 11, 2)), answers) == {"past_date"}
