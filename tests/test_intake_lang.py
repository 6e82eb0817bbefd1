"""A report answered in Welsh, through the receiver (issue 20, part 4), against moto's S3 over HTTP:
stored once with `"language": "cy"` and a reference of the usual shape; the redirects go to the Welsh
pages; the receiver's own pages and messages are Welsh (the no-JavaScript error page lists each
problem in the form's Welsh words); a language the site does not have is never trusted; staff
tools, the announcement and the acknowledgement carry the language.  The site is
tests/test_forms_lang.py's bilingual one, built once for the module."""
from __future__ import annotations

import json
import re
from urllib.parse import urlencode

import pytest

from conftest import BUILD_DATE, run_cli
from sitegen.i18n import catalogue
from sitegen.intake.acknowledge import compose
from sitegen.intake.notify import build_message
from sitegen.intake.schemas import load_schema
from sitegen.intake.storage import Stored
from sitegen.intake.words import speaking
from test_forms_lang import bilingual_site, welsh_default
from test_intake_support import FORM, JSON, RECEIVED, SITE_URL, call, cli, make_app, submissions

WELSH = catalogue("cy")
REFERENCE = re.compile(r"^[A-Z]{2}-2026-[0-9A-Z]{9}\Z")
PATH = "/submit/report-test"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = bilingual_site(tmp_path_factory.mktemp("intake-lang") / "site")
    out = root.parent / "build"
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def schemas(built):
    """This module's built forms/ (overrides test_intake_support's example site)."""
    return built / "forms"


def post(app, pairs: list[tuple[str, str]], token: str = "v1.form.0001"):
    body = urlencode([("website", ""), ("client_token", token), *pairs]).encode("ascii")
    return call(app, path=PATH, body=body, content_type=FORM)


ANSWERS = [("kind", "small"), ("details", "Rhywbeth ddigwyddodd ger y llyfrgell."), ("email", "")]


def test_a_welsh_report_round_trips_with_its_language(settings, s3, bucket):
    app = make_app(settings)
    welsh = post(app, [("lang", "cy"), *ANSWERS])
    english = post(app, [("kind", "small"), ("details", "Something happened by the library.")], token="v1.form.0002")
    assert welsh.status == english.status == 303
    done = re.fullmatch(re.escape(SITE_URL) + r"cy/forms/report-test/done/\?ref=(.+)", welsh.headers["location"])
    assert done, welsh.headers["location"]
    assert re.fullmatch(re.escape(SITE_URL) + r"forms/report-test/done/\?ref=.+", english.headers["location"])
    reports = {doc["reference"]: doc for doc in submissions(s3, bucket).values()}
    assert len(reports) == 2
    report = reports[done.group(1)]
    assert report["language"] == "cy" and "lang" not in report["answers"]
    assert report["answers"]["details"] == "Rhywbeth ddigwyddodd ger y llyfrgell."
    assert {doc["language"] for doc in reports.values()} == {"cy", "en"}
    assert all(REFERENCE.match(ref) for ref in reports)   # references the same in both languages

    listed = cli(settings, "list", "--language", "cy")
    lines = [line.split() for line in listed.output.splitlines() if not line.endswith("report(s).")]
    assert listed.exit_code == 0 and [(line[0], line[-1]) for line in lines] == [(done.group(1), "cy")]
    shown = cli(settings, "show", done.group(1))
    assert shown.exit_code == 0 and "Language:  cy" in shown.output
    exported = cli(settings, "export", "--format", "csv", "--form", "report-test")
    header, *rows = exported.output.splitlines()
    assert header.startswith("reference,received,form,schema_version,report_language,kind,details")
    assert sorted(row.split(",")[4] for row in rows) == ["cy", "en"]


def test_without_javascript_a_missing_answer_gets_the_problems_in_welsh(settings, s3, bucket):
    refused = post(make_app(settings), [("lang", "cy"), ("kind", ""), ("details", "")], token="")
    assert refused.status == 422
    page = refused.body.decode("utf-8")
    assert '<html lang="cy">' in page
    assert f">{WELSH.gettext('There is a problem')}</h1>" in page
    assert f"<li>{welsh_default('radios', 'Pa fath o brawf oedd e?', 'required')}</li>" in page  # catalogue
    assert "<li>Dywedwch wrthym beth ddigwyddodd</li>" in page               # the translation's own
    assert f'href="{SITE_URL}cy/forms/report-test/"' in page
    assert WELSH.gettext("If a crime is happening now or someone is in danger, call 999.") in page
    assert "There is a problem" not in page and "call 999." not in page
    assert submissions(s3, bucket) == {}


def test_with_javascript_a_refused_post_goes_back_to_the_welsh_form(settings):
    refused = post(make_app(settings), [("lang", "cy"), ("kind", "small"), ("details", "")])
    assert refused.status == 303
    assert refused.headers["location"] == f"{SITE_URL}cy/forms/report-test/?errors=details#problem"


def test_json_errors_and_refusals_are_in_welsh(settings):
    app = make_app(settings)
    body = json.dumps({"lang": "cy", "kind": "small", "details": "", "website": "", "client_token": "t"})
    answer = call(app, path=PATH, body=body.encode(), content_type=JSON)
    assert answer.status == 422
    assert answer.json()["errors"] == [{"field": "details", "message": "Dywedwch wrthym beth ddigwyddodd"}]
    page = call(app, method="GET", path=PATH, content_type=FORM)   # before any answer: the default language
    assert page.status == 405 and '<html lang="en">' in page.body.decode()


def test_a_language_the_site_does_not_have_is_never_trusted(settings, s3, bucket):
    app = make_app(settings)
    for lang in ("fr", "../cy", "CY", "cy/../evil"):
        answer = post(app, [("lang", lang), *ANSWERS])
        assert answer.status == 303
        assert answer.headers["location"] == f"{SITE_URL}forms/report-test/?errors=lang#problem"
    assert submissions(s3, bucket) == {}


def test_the_acknowledgement_and_the_announcement_carry_the_language(settings, built):
    form = load_schema(built / "forms" / "report-test" / "schema.json", "report-test")
    with speaking(form.voice({"lang": "cy"})):
        email = compose(settings, form, "CR-2026-7K4M9Q2XW")
        message = build_message(form, Stored("CR-2026-7K4M9Q2XW", "k", True), RECEIVED, "b", {})
    assert email.subject == WELSH.gettext("We have your report: %(reference)s") % {
        "reference": "CR-2026-7K4M9Q2XW"} != "We have your report: CR-2026-7K4M9Q2XW"
    assert "Rhoi gwybod am brawf" in email.text and '<html lang="cy">' in email.html
    assert "We have" not in email.text
    assert message["language"] == "cy"
    with speaking(form.voice({})):
        assert build_message(form, Stored("R", "k", True), RECEIVED, "b", {})["language"] == "en"
        assert compose(settings, form, "R").subject == "We have your report: R"
