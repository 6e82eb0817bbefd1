"""Issue 18's "Done when", end to end against one moto server over HTTP (S3, SQS and SES on one
endpoint, a server of this module's own so that SES's sent mail can be read from moto's data.json):

a report posted through the receiver's WSGI app as the built form posts it is stored once, announced
once to the queue its routing rule picks (another form's to the default queue), acknowledged by SES
with its reference and none of its answers, readable with `sitegen intake show` and `export`, and
deleted by reference; a queue outage loses no announcement (`sitegen intake redrive` sends it once);
no answer appears in any log line, message or email.

tests/test_deploy_template.py covers the same path through the CloudFormation stack's settings
(stored, announced to the stack's queue, show, delete) but not a routing rule's choice, SES or export.
"""
from __future__ import annotations

import csv
import io
import json
import logging
import re
import urllib.request
import uuid
from dataclasses import replace

import boto3
import pytest

from conftest import run_cli
from motoserver import client_for, own_moto_server
from sitegen.intake.notify import UNANNOUNCED, Route
from test_intake_support import (
    FORM,
    VALID_ANSWERS,
    VALID_PAIRS,
    call,
    cli,
    drain,
    form_body,
    json_body,
    make_app,
)

LOST = {"item_type": "bag", "item_description": "A black rucksack with a laptop inside.",
        "lost_date": "2026-11-20", "lost_location": "Outside 4 Ripple Road", "full_name": "Sam Example",
        "email": "sam@example.com"}
CRIME_EMAIL = dict(VALID_PAIRS)["email"]


own_endpoint = pytest.fixture(scope="module")(own_moto_server)


@pytest.fixture
def world(settings, own_endpoint, aws_env):
    """Settings on this module's server: a bucket, a crime queue (routed), a default queue, a verified
    SES sender, acknowledgements on; and the SQS client."""
    bucket = f"e2e-{uuid.uuid4().hex[:12]}"
    client_for(own_endpoint).create_bucket(Bucket=bucket)
    sqs = boto3.client("sqs", endpoint_url=own_endpoint, region_name="us-east-1")
    crime = sqs.create_queue(QueueName=f"crime-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    contact = sqs.create_queue(QueueName=f"contact-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    sender = f"no-reply-{uuid.uuid4().hex[:8]}@example.police.uk"
    boto3.client("ses", endpoint_url=own_endpoint, region_name="us-east-1").verify_email_identity(
        EmailAddress=sender)
    configured = replace(settings, endpoint_url=own_endpoint, bucket=bucket, notify=contact,
                         routes=(Route("report-crime", "*", crime),), acknowledge=True, ses_from=sender,
                         contact_phone="101")
    return configured, sqs, crime, contact



def emails(endpoint: str) -> list[dict]:
    """Every email moto's SES sent ({destinations, subject, body, ...})."""
    with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as response:
        return json.load(response)["ses"]["Message"]


def personal(answers: dict) -> set[str]:
    """The answers a person could be known by: every typed text answer longer than 3 characters,
    address parts too (an option's value, a slug like 'email' or 'theft', is the form author's)."""
    found = set()
    for value in answers.values():
        parts = value.values() if isinstance(value, dict) else value if isinstance(value, list) else [value]
        found.update(p for p in parts if isinstance(p, str) and len(p) > 3 and not re.fullmatch(r"[a-z-]+", p))
    return found



def test_a_report_goes_from_the_form_to_its_queue_the_resident_staff_and_deletion(
        world, own_endpoint, caplog, monkeypatch, tmp_path):
    settings, sqs, crime_queue, contact_queue = world
    app = make_app(settings)
    caplog.set_level(logging.DEBUG, logger="sitegen")

    # A resident posts the built form (its field names, urlencoded, as a browser does without script).
    crime = call(app, body=form_body(), content_type=FORM)
    assert crime.status == 303, crime.body
    reference = crime.headers["location"].split("ref=")[1]
    lost = call(app, path="/submit/report-lost-property", body=json_body(LOST))
    assert lost.status == 201, lost.body
    lost_reference = lost.json()["reference"]

    # Stored once: one report object per reference.
    s3 = client_for(own_endpoint)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=settings.bucket).get("Contents", [])]
    assert sum(reference in key and "/_claims/" not in key for key in keys) == 1
    assert not [key for key in keys if f"/{UNANNOUNCED}/" in key]

    # Announced once, each to the queue its rule picks; routing fields only.
    crime_messages = [json.loads(body) for body in drain(sqs, crime_queue)]
    contact_messages = [json.loads(body) for body in drain(sqs, contact_queue)]
    assert [m["reference"] for m in crime_messages] == [reference]
    assert [m["reference"] for m in contact_messages] == [lost_reference]
    assert crime_messages[0]["routing"] == {"crime_type": VALID_ANSWERS["crime_type"]}

    # Acknowledged by SES: the reference, never an answer.
    sent = {tuple(m["destinations"]["ToAddresses"]): m for m in emails(own_endpoint)}
    assert set(sent) == {(CRIME_EMAIL,), (LOST["email"],)}
    assert reference in sent[(CRIME_EMAIL,)]["subject"] and reference in sent[(CRIME_EMAIL,)]["body"]

    # Nothing that identifies a person in a message, an email (but its recipient) or a log line.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    secrets = personal(VALID_ANSWERS) | personal(LOST)
    for text in [*map(json.dumps, crime_messages + contact_messages), logged,
                 *(m["subject"] + m["body"] for m in sent.values())]:
        assert [s for s in secrets if s in text] == []

    # Staff read it: show with the questions as asked, and the CSV for the case system.
    shown = cli(settings, "show", reference.lower())
    assert shown.exit_code == 0, shown.output
    assert f"Reference: {reference}" in shown.stdout and VALID_ANSWERS["home_address"]["line1"] in shown.stdout
    exported = cli(settings, "export", "--format", "csv", "--form", "report-crime")
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(io.StringIO(exported.stdout)))
    assert [row["reference"] for row in rows] == [reference]
    assert rows[0]["full_name"] == VALID_ANSWERS["full_name"]

    # The crime queue goes away: the next report is still stored and answered, and re-drive
    # announces it exactly once when the queue is back.
    name = crime_queue.rsplit("/", 1)[1]
    sqs.delete_queue(QueueUrl=crime_queue)
    during = call(app, body=json_body(token="v1.json.outage"))
    assert during.status == 201
    late = during.json()["reference"]
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == crime_queue
    for key, value in {"BUCKET": settings.bucket, "PREFIX": settings.prefix, "ENDPOINT_URL": own_endpoint,
                       "REGION": "us-east-1", "NOTIFY": contact_queue, "RETRIES": "0",
                       "ROUTES": json.dumps([{"form": "report-crime", "ward": "*", "to": crime_queue}])}.items():
        monkeypatch.setenv(f"SITEGEN_INTAKE_{key}", value)
    redriven = run_cli("intake", "redrive", "--site", str(tmp_path))
    assert redriven.exit_code == 0, redriven.output
    assert "Sent 1 waiting announcement(s); 0 still waiting." in redriven.output
    assert run_cli("intake", "redrive", "--site", str(tmp_path)).output.endswith(
        "Sent 0 waiting announcement(s); 0 still waiting.\n")
    assert [json.loads(body)["reference"] for body in drain(sqs, crime_queue)] == [late]
    assert drain(sqs, contact_queue) == []

    # Deleted by reference: the report and its claim go, the deletion is logged without answers.
    deleted = cli(settings, "delete", reference, "--yes")
    assert deleted.exit_code == 0, deleted.output
    assert cli(settings, "show", reference).exit_code == 1
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=settings.bucket).get("Contents", [])]
    assert not [key for key in left if reference in key or f"/{reference.split('-')[2][:8]}." in key]
    log = b"".join(s3.get_object(Bucket=settings.bucket, Key=key)["Body"].read()
                   for key in left if "/_deletions/" in f"/{key}").decode()
    assert reference in log and [s for s in secrets if s in log] == []
