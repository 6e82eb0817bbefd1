"""Announcements of stored reports, against moto's SQS, SNS and S3 over HTTP: one message per stored
report on the queue its routing rule picks, no answer in it but routing ones, none for a refused
report, and none lost when the queue goes away mid-run (re-drive announces each exactly once)."""
from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from hypothesis import given
from hypothesis import settings as settings_for_hypothesis
from hypothesis import strategies as st

from conftest import run_cli
from motoserver import FAKE_CREDENTIALS, client_for
from sitegen.errors import SitegenError
from sitegen.intake.config import from_env, from_mapping
from sitegen.intake.notify import (
    GRACE,
    UNANNOUNCED,
    Announcer,
    Route,
    Sender,
    redrive,
    routing_fields,
    routing_values,
)
from sitegen.intake.schemas import FormSchema, load_schema
from sitegen.intake.storage import S3Writer, make_client
from test_intake_support import JSON, RECEIVED, VALID_ANSWERS, call, json_body, leaves, make_app, submissions
from test_intake_support import drain as drain_bodies

WARD_FORM = "report-ward-issue"
WARD_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema", "title": "Report a problem in your ward",
    "type": "object", "additionalProperties": False, "required": ["ward", "details"],
    "properties": {
        "ward": {"title": "Ward", "x-sitegen-type": "select", "type": "string", "enum": ["abbey", "eastbury"]},
        "details": {"title": "What is happening", "x-sitegen-type": "textarea", "type": "string",
                    "maxLength": 500},
        "where": {"title": "Address", "x-sitegen-type": "address", "type": "object"},
        "email": {"title": "Email", "x-sitegen-type": "email", "type": "string"},
        "website": {"type": "string", "maxLength": 0}, "client_token": {"type": "string"},
    },
}
MESSAGE_KEYS = {"reference", "form", "form_version", "bucket", "key", "received", "routing"}


@pytest.fixture
def all_schemas(schemas, tmp_path) -> Path:
    """The example's report-crime schema and a small form that asks for a ward."""
    folder = tmp_path / "forms"
    shutil.copytree(schemas / "report-crime", folder / "report-crime")
    (folder / WARD_FORM).mkdir()
    (folder / WARD_FORM / "schema.json").write_text(json.dumps(WARD_SCHEMA))
    return folder


@pytest.fixture
def sqs(moto_endpoint, aws_env):
    return boto3.client("sqs", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def new_queue(sqs):
    """make() -> the URL of a new queue."""
    return lambda: sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:12]}")["QueueUrl"]


def drain(sqs, url: str) -> list[dict]:
    """Every message waiting on queue URL (deleted as read), parsed."""
    return [json.loads(body) for body in drain_bodies(sqs, url)]



def assert_no_answers(message: dict, answers: dict, routing: tuple = ("crime_type", "ward")) -> None:
    """MESSAGE holds only its own keys; no answer but the routing ones appears anywhere in it."""
    # "language" too, from a site of several languages (the example): the force replies in it
    assert set(message) - {"language"} == MESSAGE_KEYS
    assert set(message["routing"]) <= set(routing)
    private = {name: value for name, value in answers.items() if name not in routing}
    text = json.dumps(message)
    for leaf in leaves(private):
        assert str(leaf) not in leaves({k: v for k, v in message.items() if k != "routing"})
        if isinstance(leaf, str) and len(leaf) >= 5:
            assert leaf not in text


def test_each_stored_report_goes_once_to_the_queue_its_rule_picks(settings, all_schemas, sqs, new_queue):
    default, crime, abbey = new_queue(), new_queue(), new_queue()
    routes = [{"form": WARD_FORM, "ward": "abbey", "to": abbey}, {"form": "report-crime", "ward": "*", "to": crime}]
    app = make_app(from_mapping({"notify": default, "routes": routes}, str, settings), schemas=str(all_schemas))
    crime_answer = call(app, body=json_body(), content_type=JSON)
    ward_answers = {ward: {"ward": ward, "details": f"Cars racing on Ripple Road at night ({ward})",
                           "where": {"line1": "12 Ripple Road", "town": "Barking"}, "email": "sam@example.com"}
                    for ward in ("abbey", "eastbury")}
    ward_refs = {ward: call(app, path=f"/submit/{WARD_FORM}", body=json_body(answers)).json()["reference"]
                 for ward, answers in ward_answers.items()}
    assert crime_answer.status == 201
    got = {name: drain(sqs, url) for name, url in (("default", default), ("crime", crime), ("abbey", abbey))}
    assert [m["reference"] for m in got["crime"]] == [crime_answer.json()["reference"]]
    assert [m["reference"] for m in got["abbey"]] == [ward_refs["abbey"]]
    assert [m["reference"] for m in got["default"]] == [ward_refs["eastbury"]]
    assert got["crime"][0]["routing"] == {"crime_type": "theft"}
    assert got["default"][0]["routing"] == {"ward": "eastbury"}
    assert_no_answers(got["crime"][0], VALID_ANSWERS)
    for message, ward in ((got["abbey"][0], "abbey"), (got["default"][0], "eastbury")):
        assert_no_answers(message, ward_answers[ward])
    stored = submissions(boto3.client("s3", endpoint_url=settings.endpoint_url), settings.bucket)
    assert sorted(m["key"] for ms in got.values() for m in ms) == sorted(stored)


def test_a_refused_or_repeated_report_sends_nothing_more(settings, sqs, new_queue):
    queue = new_queue()
    app = make_app(replace(settings, notify=queue))
    assert call(app, body=json_body(crime_type="not-a-kind")).status == 422
    assert drain(sqs, queue) == []
    assert call(app, body=json_body()).status == 201
    assert call(app, body=json_body()).status == 200       # a retry: stored already, announced already
    assert len(drain(sqs, queue)) == 1


def test_a_free_text_answer_never_routes_whatever_it_is_called(schemas, tmp_path):
    schema = {**WARD_SCHEMA, "properties": {**WARD_SCHEMA["properties"],
                                            "ward": {"x-sitegen-type": "text", "type": "string"}}}
    path = tmp_path / "schema.json"
    path.write_text(json.dumps(schema))
    assert routing_fields(load_schema(path, WARD_FORM), ["ward", "where", "email", "details"]) == []
    crime = load_schema(schemas / "report-crime" / "schema.json", "report-crime")
    assert routing_fields(crime, ["crime_type", "location", "full_name", "email"]) == ["crime_type"]


def test_bad_notification_settings_are_refused_with_their_place():
    with pytest.raises(SitegenError) as caught:
        from_mapping({"notify": "https://example.com/queue", "acknowledge": "perhaps",
                      "routes": [{"form": "report-crime", "to": "sqs-roads"}, "x"]},
                     lambda name: f"site.yaml: intake.{name}")
    text = str(caught.value)
    assert "site.yaml: intake.notify: expected an SQS queue URL" in text
    assert "site.yaml: intake.routes[0].to: expected an SQS queue URL" in text
    assert "site.yaml: intake.routes[1]: expected a mapping" in text
    assert "site.yaml: intake.acknowledge: expected true or false" in text


def test_a_queue_outage_loses_no_announcement_and_redrive_sends_each_once(
        settings, sqs, monkeypatch, tmp_path):
    name = f"q-{uuid.uuid4().hex[:12]}"
    queue = sqs.create_queue(QueueName=name)["QueueUrl"]
    app = make_app(replace(settings, notify=queue))
    received, references = [], []
    for i in range(12):
        if i == 4:               # the queue goes away mid-run (what it held was already read)
            received += drain(sqs, queue)
            sqs.delete_queue(QueueUrl=queue)
        answer = call(app, body=json_body(token=f"outage-{i}"))
        assert answer.status == 201        # the resident is answered as usual
        references.append(answer.json()["reference"])
    s3 = boto3.client("s3", endpoint_url=settings.endpoint_url)
    markers = s3.list_objects_v2(Bucket=settings.bucket, Prefix=f"submissions/{UNANNOUNCED}/").get("Contents", [])
    assert len(markers) == 8
    marker = json.loads(s3.get_object(Bucket=settings.bucket, Key=markers[0]["Key"])["Body"].read())
    assert set(marker) == {"message", "to", "error"} and marker["to"] == queue
    assert_no_answers(marker["message"], VALID_ANSWERS)
    for key, value in {"BUCKET": settings.bucket, "PREFIX": "submissions", "ENDPOINT_URL": settings.endpoint_url,
                       "REGION": "us-east-1", "NOTIFY": queue, "RETRIES": "0"}.items():
        monkeypatch.setenv(f"SITEGEN_INTAKE_{key}", value)
    early = run_cli("intake", "redrive", "--site", str(tmp_path))     # the queue is still gone
    assert early.exit_code == 3 and "Sent 0 waiting announcement(s); 8 still waiting." in early.output
    assert sqs.create_queue(QueueName=name)["QueueUrl"] == queue
    result = run_cli("intake", "redrive", "--site", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert "Sent 8 waiting announcement(s); 0 still waiting." in result.output
    assert run_cli("intake", "redrive", "--site", str(tmp_path)).output.endswith("Sent 0 waiting "
                                                                                "announcement(s); 0 still waiting.\n")
    received += drain(sqs, queue)
    stored = sorted(doc["reference"] for key, doc in submissions(s3, settings.bucket).items()
                    if f"/{UNANNOUNCED}/" not in key)
    assert sorted(m["reference"] for m in received) == stored == sorted(references)
    assert s3.list_objects_v2(Bucket=settings.bucket, Prefix=f"submissions/{UNANNOUNCED}/").get("KeyCount") == 0


def test_an_sns_topic_destination_reaches_its_subscribers(settings, sqs, new_queue, moto_endpoint):
    sns = boto3.client("sns", endpoint_url=moto_endpoint, region_name="us-east-1")
    topic = sns.create_topic(Name=f"t-{uuid.uuid4().hex[:12]}")["TopicArn"]
    queue = new_queue()
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn, Attributes={"RawMessageDelivery": "true"})
    app = make_app(replace(settings, notify=topic))
    reference = call(app, body=json_body()).json()["reference"]
    messages = drain(sqs, queue)
    assert [m["reference"] for m in messages] == [reference]
    assert_no_answers(messages[0], VALID_ANSWERS)


def test_the_environment_carries_the_rules_as_json():
    queue = "https://sqs.eu-west-2.amazonaws.com/123456789012/roads.fifo"
    settings = from_env({"SITEGEN_INTAKE_NOTIFY": "arn:aws:sns:eu-west-2:123456789012:reports",
                         "SITEGEN_INTAKE_ROUTES": json.dumps([{"form": "report-crime", "to": queue}]),
                         "SITEGEN_INTAKE_ACKNOWLEDGE_FORMS": "report-crime, report-hate-crime"})
    assert settings.routes == (Route("report-crime", "*", queue),)
    assert settings.acknowledge_forms == ("report-crime", "report-hate-crime")


def test_a_fifo_queue_takes_a_reference_once_however_often_it_is_sent(settings, sqs):
    queue = sqs.create_queue(QueueName=f"q-{uuid.uuid4().hex[:12]}.fifo",
                             Attributes={"FifoQueue": "true"})["QueueUrl"]
    message = {"reference": "CR-2026-7K4M9Q2XW", "form": "report-crime", "routing": {}}
    sender = Sender(replace(settings, notify=queue))
    sender.send(queue, message)
    sender.send(queue, message)          # a retry after a timeout, or a re-drive of a sent message
    assert [m["reference"] for m in drain(sqs, queue)] == ["CR-2026-7K4M9Q2XW"]


def test_an_answer_to_a_question_not_asked_or_not_an_option_never_routes(schemas):
    crime = load_schema(schemas / "report-crime" / "schema.json", "report-crime")
    # 'voicemail' is asked only when the resident chose phone or text; unasked, the schema lets anything by
    typed = {**VALID_ANSWERS, "voicemail": "Call Alex on 07700 900123"}
    assert routing_values(crime, typed, ["voicemail", "crime_type"]) == {"crime_type": "theft"}
    asked = {**VALID_ANSWERS, "contact_methods": ["phone"], "voicemail": "no"}
    assert routing_values(crime, asked, ["voicemail"]) == {"voicemail": "no"}
    assert routing_values(crime, {**VALID_ANSWERS, "crime_type": "Alex Example"}, ["crime_type"]) == {}


@settings_for_hypothesis(max_examples=50, deadline=None)
@given(values=st.dictionaries(st.sampled_from(["ward", "crime_type", "details", "email", "where", "voicemail"]),
                              st.one_of(st.text(max_size=30), st.lists(st.text(max_size=10), max_size=3),
                                        st.sampled_from(["abbey", "theft", "no", "eastbury"]))))
def test_only_an_option_of_an_asked_choice_question_is_ever_sent(values):
    form = FormSchema(WARD_FORM, WARD_SCHEMA, "sha256:0", "RW")
    sent = routing_values(form, values, ["ward", "crime_type", "details", "email", "where"])
    assert set(sent) <= {"ward"} and all(v in ("abbey", "eastbury") for v in leaves(sent))


# ---- the outbox: a marker before the report, so a receiver killed before sending loses nothing ----

KILLED_RECEIVER = """
import json, sys, time
sys.path.insert(0, sys.argv[2])
from sitegen.intake.config import IntakeSettings
from sitegen.intake.notify import Sender
import test_intake_support as support

def blocked(self, to, message):   # the send hangs (a queue timing out): the parent kills us here
    time.sleep(120)

Sender.send = blocked
given = json.loads(sys.argv[1])
app = support.make_app(IntakeSettings(**given["settings"]))
support.call(app, body=support.json_body(token=given["token"]))
"""


def markers(s3, bucket: str) -> list[dict]:
    """The markers waiting under submissions/_unannounced/, with their LastModified."""
    return s3.list_objects_v2(Bucket=bucket, Prefix=f"submissions/{UNANNOUNCED}/").get("Contents", [])


def reports(s3, bucket: str) -> list[dict]:
    """The stored reports in BUCKET (not claims or markers)."""
    return [doc for doc in submissions(s3, bucket).values() if "answers" in doc]


def redrive_env(monkeypatch, settings, queue: str) -> None:
    """`sitegen intake redrive`'s settings from the environment, as the outage test sets them."""
    for key, value in {"BUCKET": settings.bucket, "PREFIX": "submissions", "ENDPOINT_URL": settings.endpoint_url,
                       "REGION": "us-east-1", "NOTIFY": queue, "RETRIES": "0"}.items():
        monkeypatch.setenv(f"SITEGEN_INTAKE_{key}", value)


def test_a_receiver_killed_after_storing_is_announced_once_by_redrive(settings, sqs, new_queue, monkeypatch,
                                                                      tmp_path):
    queue = new_queue()
    given = {"settings": {name: getattr(settings, name) for name in (
        "bucket", "prefix", "endpoint_url", "region", "schemas", "site_url", "secret", "retries",
        "backoff_seconds", "rate_per_minute")} | {"notify": queue}, "token": "killed-1"}
    s3 = boto3.client("s3", endpoint_url=settings.endpoint_url)
    receiver = subprocess.Popen([sys.executable, "-c", KILLED_RECEIVER, json.dumps(given),
                                 str(Path(__file__).parent)])
    try:
        deadline = time.monotonic() + 60
        while not reports(s3, settings.bucket) and receiver.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)   # the marker is there first: wait for the report itself
        assert receiver.poll() is None, "the receiver ended before it was killed"
    finally:
        receiver.send_signal(signal.SIGKILL)
        receiver.wait(10)
    (reference,) = [doc["reference"] for doc in reports(s3, settings.bucket)]
    assert len(markers(s3, settings.bucket)) == 1 and drain(sqs, queue) == []
    redrive_env(monkeypatch, settings, queue)
    result = run_cli("intake", "redrive", "--site", str(tmp_path))
    assert result.exit_code == 0 and "Sent 1 waiting announcement(s)" in result.output, result.output
    assert [m["reference"] for m in drain(sqs, queue)] == [reference]
    assert markers(s3, settings.bucket) == []
    # The resident's retry finds it stored: no new marker, nothing sent; a second redrive finds nothing.
    retry = call(make_app(replace(settings, notify=queue)), body=json_body(token="killed-1"))
    assert retry.status == 200 and retry.json()["reference"] == reference
    assert markers(s3, settings.bucket) == []
    assert "Sent 0 waiting" in run_cli("intake", "redrive", "--site", str(tmp_path)).output
    assert drain(sqs, queue) == []


def test_a_marker_whose_report_was_never_stored_is_dropped_after_the_grace_period(settings, schemas, sqs,
                                                                                  new_queue):
    queue = new_queue()
    notifying = replace(settings, notify=queue)
    client = client_for(settings.endpoint_url)
    announcer = Announcer(notifying, S3Writer(client, settings.bucket))
    form = load_schema(schemas / "report-crime" / "schema.json", "report-crime")
    reference = "CR-2026-7K4M9Q2XW"
    announcer.record(form, reference, f"submissions/report-crime/2026/11/28/{reference}.json", RECEIVED,
                     VALID_ANSWERS)     # the receiver died (or S3 failed) before the report was put
    (marker,) = markers(client, settings.bucket)
    outcomes: list[tuple[str, str]] = []

    def run(age: timedelta) -> tuple[int, int]:
        return redrive(notifying, client, report=lambda ref, outcome: outcomes.append((ref, outcome)),
                       now=lambda: marker["LastModified"] + age)
    assert run(GRACE - timedelta(seconds=1)) == (0, 0)
    assert len(markers(client, settings.bucket)) == 1 and outcomes[-1] == (reference, "not stored yet: kept")
    assert run(GRACE) == (0, 0)
    assert markers(client, settings.bucket) == [] and outcomes[-1][1].startswith("never stored")
    assert drain(sqs, queue) == []


def test_the_happy_path_writes_the_marker_before_the_report_and_leaves_none(settings, sqs, new_queue):
    queue = new_queue()
    client = make_client(settings, FAKE_CREDENTIALS)
    calls: list[tuple[str, str]] = []
    client.meta.events.register("before-parameter-build.s3.*",
                                lambda model, params, **_: calls.append((model.name, params.get("Key", ""))))
    app = make_app(settings, client=client, notify=queue)
    references = [call(app, body=json_body(token=f"happy-{i}")).json()["reference"] for i in range(3)]
    assert call(app, body=json_body(token="happy-0")).status == 200      # a retry: stored already
    assert sorted(m["reference"] for m in drain(sqs, queue)) == sorted(references)
    assert markers(client, settings.bucket) == []
    writes = [(name, key.split("/")[1]) for name, key in calls if name in ("PutObject", "DeleteObject")]
    assert writes == [("PutObject", "_claims"), ("PutObject", UNANNOUNCED), ("PutObject", "report-crime"),
                      ("DeleteObject", UNANNOUNCED)] * 3 + [("PutObject", "_claims"), ("PutObject", "report-crime")]


def test_a_report_s3_refused_keeps_its_marker_and_the_retry_announces_it_once(settings, sqs, new_queue):
    queue = new_queue()
    client = make_client(settings, FAKE_CREDENTIALS)

    def refuse_reports(params, **_):    # the report's put cannot reach S3 (the claim and marker got through)
        if params["Key"].startswith("submissions/report-crime/"):
            raise EndpointConnectionError(endpoint_url=settings.endpoint_url)
    client.meta.events.register("before-parameter-build.s3.PutObject", refuse_reports)
    assert call(make_app(settings, client=client, notify=queue), body=json_body(token="refused")).status == 503
    assert len(markers(client, settings.bucket)) == 1 and drain(sqs, queue) == []
    retry = call(make_app(settings, notify=queue), body=json_body(token="refused"))
    assert retry.status == 201
    assert [m["reference"] for m in drain(sqs, queue)] == [retry.json()["reference"]]
    assert markers(client_for(settings.endpoint_url), settings.bucket) == []
