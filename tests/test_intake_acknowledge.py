"""Acknowledgement emails through moto's SES over HTTP: the reference and what happens next, never an
answer; none when the form does not allow it or no address was given; an SES failure changes nothing
for the resident (the report is stored, 303 as always).

Sent emails are read from moto's `/moto-api/data.json`, which dumps every backend and fails (500)
once some other test has made resources it cannot dump (CloudFormation stacks), so this module
has a moto server of its own, serving S3 and SES on one endpoint as the receiver expects."""
from __future__ import annotations

import json
import logging
import urllib.request
import uuid
from dataclasses import replace

import boto3
import pytest

from motoserver import client_for, own_moto_server
from sitegen.intake.acknowledge import compose
from sitegen.intake.notify import is_choice
from sitegen.intake.schemas import load_schema
from test_intake_support import FORM, VALID_ANSWERS, call, form_body, json_body, leaves, make_app, submissions

own_endpoint = pytest.fixture(scope="module")(own_moto_server)


@pytest.fixture
def settings(settings, own_endpoint, aws_env):
    """The intake tests' settings, with a new bucket on this module's server."""
    bucket = f"ack-{uuid.uuid4().hex[:12]}"
    client_for(own_endpoint).create_bucket(Bucket=bucket)
    return replace(settings, endpoint_url=own_endpoint, bucket=bucket)


@pytest.fixture
def sender(own_endpoint, aws_env) -> str:
    """A sender identity verified in moto's SES."""
    address = f"reports-{uuid.uuid4().hex[:8]}@example.police.uk"
    boto3.client("ses", endpoint_url=own_endpoint, region_name="us-east-1").verify_email_identity(
        EmailAddress=address)
    return address


def sent_to(endpoint: str, address: str) -> list[dict]:
    """The emails moto's SES sent to ADDRESS ({subject, body (the HTML part), source, destinations})."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        data = json.load(response)
    return [m for m in data["ses"]["Message"] if m["destinations"].get("ToAddresses") == [address]]



def schema_of_crime(settings) -> dict:
    with open(f"{settings.schemas}/report-crime/schema.json", encoding="utf-8") as file:
        return json.load(file)


def answers_with(address: str, **changes) -> dict:
    return {**VALID_ANSWERS, "email": address, **changes}


def test_the_email_has_the_reference_and_what_next_but_none_of_the_answers(settings, sender, own_endpoint):
    address = f"alex-{uuid.uuid4().hex[:8]}@example.com"
    app = make_app(replace(settings, acknowledge=True, ses_from=sender, contact_phone="101"))
    answers = answers_with(address)
    reference = call(app, body=json_body(answers)).json()["reference"]
    [email] = sent_to(own_endpoint, address)
    assert email["source"] == sender
    assert reference in email["subject"] and reference in email["body"]
    assert 'lang="en-GB"' in email["body"] and "<h1>" in email["body"] and "<img" not in email["body"]
    assert "call 101 and give your reference number" in email["body"]
    typed = {k: v for k, v in answers.items() if not is_choice(schema_of_crime(settings)["properties"][k])}
    for leaf in leaves(typed):      # what the resident typed (choice values like 'email' are the form's words)
        if isinstance(leaf, str) and len(leaf) >= 5:
            assert leaf not in email["body"] and leaf not in email["subject"]


@pytest.mark.parametrize("changes, answers", [
    ({"acknowledge": False, "acknowledge_forms": ("report-lost-property",)}, {}),     # not this form
    ({"acknowledge": True}, {"contact_methods": ["phone"], "phone": "020 7946 0000", "voicemail": "no",
                             "email": None}),
    # an address sent for a question not asked (the resident chose phone only) is not used
    ({"acknowledge": True}, {"contact_methods": ["phone"], "phone": "020 7946 0000", "voicemail": "no"}),
])
def test_no_email_when_the_form_does_not_allow_it_or_no_address_was_given(
        settings, sender, own_endpoint, changes, answers):
    address = f"sam-{uuid.uuid4().hex[:8]}@example.com"
    document = {k: v for k, v in answers_with(address, **answers).items() if v is not None}
    app = make_app(replace(settings, ses_from=sender, **changes))
    assert call(app, body=json_body(document)).status == 201
    assert sent_to(own_endpoint, address) == []


def test_a_form_listed_in_acknowledge_forms_is_acknowledged(settings, sender, own_endpoint):
    address = f"kim-{uuid.uuid4().hex[:8]}@example.com"
    app = make_app(replace(settings, ses_from=sender, acknowledge_forms=("report-crime",)))
    assert call(app, body=json_body(answers_with(address))).status == 201
    assert len(sent_to(own_endpoint, address)) == 1


def test_an_ses_failure_still_stores_the_report_and_answers_303(settings, caplog):
    unverified = f"nobody-{uuid.uuid4().hex[:8]}@example.police.uk"   # SES refuses: MessageRejected
    app = make_app(replace(settings, acknowledge=True, ses_from=unverified))
    with caplog.at_level(logging.INFO, logger="sitegen.intake"):
        answer = call(app, body=form_body(), content_type=FORM)
    assert answer.status == 303 and "/done/?ref=" in answer.headers["location"]
    [report] = submissions(client_for(settings.endpoint_url), settings.bucket).values()
    assert f"intake acknowledge failed ref={report['reference']} error=MessageRejected" in caplog.text
    assert "alex@example.com" not in caplog.text


def test_the_text_and_html_are_plain_and_escaped(schemas):
    form = load_schema(schemas / "report-crime" / "schema.json", "report-crime")
    settings_like = type("S", (), {"contact_phone": "101", "contact_url": "https://x.example/<contact>"})()
    email = compose(settings_like, form, "CR-2026-7K4M9Q2XW")   # type: ignore[arg-type]
    assert "CR-2026-7K4M9Q2XW" in email.text and "call 101" in email.text
    assert "<contact>" not in email.html and "&lt;contact&gt;" in email.html
    assert email.html.count("<h1>") == 1 and "<img" not in email.html
