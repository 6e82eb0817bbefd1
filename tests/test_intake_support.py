"""Shared pieces of the intake tests (this module has no tests of its own).

A pytest plugin (registered in conftest.py): its fixtures need no import.
The example site's built schemas, settings for a fresh bucket (tests/motoserver.py's
`bucket`) in the session's moto server, a receiver with a fixed clock and secret,
valid answers to `report-crime` in both body types, and a WSGI caller.
"""
from __future__ import annotations

import io
import json
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode
from wsgiref.util import setup_testing_defaults

import pytest

from motoserver import client_for
from sitegen.intake.config import IntakeSettings
from sitegen.intake.core import make_receiver
from sitegen.intake.wsgi import IntakeApp

FIXTURES = Path(__file__).parent / "fixtures" / "intake"
SECRET = "5f0c1b7e2a9d4c3e8b6a1f0e9d8c7b6a5f4e3d2c1b0a99887766554433221100"
RECEIVED = datetime(2026, 11, 28, 10, 15, 30, 123000, tzinfo=UTC)
SITE_URL = "https://www.example.police.uk/"
ORIGIN = "https://www.example.police.uk"
FORM = "application/x-www-form-urlencoded"
JSON = "application/json"

VALID_ANSWERS = {
    "crime_type": "theft",
    "description": "Someone took my bike from outside the library.\nIt was locked.",
    "incident_date": "2026-11-20",
    "incident_time": "about 2pm",
    "location_type": "street",
    "location": {"line1": "Library, Station Parade", "town": "Barking"},
    "loss": ["stolen"],
    "items": "Blue bicycle, frame number WTU123456",
    "items_value": 350,
    "suspect_known": "no",
    "vehicle_involved": "no",
    "witnesses": "no",
    "reporter_role": "victim",
    "full_name": "Alex Example",
    "home_address": {"line1": "1 High Street", "town": "Barking", "postcode": "IG11 8AA"},
    "contact_methods": ["email"],
    "email": "alex@example.com",
    "safe_times": ["morning", "evening"],
}

# The same answers as the HTML form posts them (see sitegen.forms.submission).
VALID_PAIRS = [
    ("website", ""), ("client_token", "v1.form.0001"),
    ("crime_type", "theft"), ("description", "Someone took my bike from outside the library.\r\nIt was locked."),
    ("incident_date-day", "20"), ("incident_date-month", "11"), ("incident_date-year", "2026"),
    ("incident_time", " about 2pm "), ("location_type", "street"),
    ("location-line1", "Library, Station Parade"), ("location-line2", ""), ("location-town", "Barking"),
    ("location-postcode", ""), ("loss", "stolen"), ("items", "Blue bicycle, frame number WTU123456"),
    ("items_value", "350"), ("suspect_known", "no"), ("suspect_description", ""), ("vehicle_involved", "no"),
    ("vehicle_registration", ""), ("witnesses", "no"), ("reporter_role", "victim"), ("full_name", "Alex Example"),
    ("date_of_birth-day", ""), ("date_of_birth-month", ""), ("date_of_birth-year", ""),
    ("home_address-line1", "1 High Street"), ("home_address-town", "Barking"),
    ("home_address-postcode", "IG11 8AA"), ("contact_methods", "email"), ("email", "alex@example.com"),
    ("phone", ""), ("safe_times", "morning"), ("safe_times", "evening"), ("contact_notes", ""),
]


def json_body(answers: dict | None = None, token: str = "v1.json.0001", **changes) -> bytes:
    """A JSON body: VALID_ANSWERS (or ANSWERS) with CHANGES, a client token and an empty honeypot."""
    document = {**(VALID_ANSWERS if answers is None else answers), "client_token": token, "website": "", **changes}
    return json.dumps(document).encode("utf-8")


def form_body(pairs: list[tuple[str, str]] | None = None, **changes: str) -> bytes:
    """A form-urlencoded body: VALID_PAIRS (or PAIRS) with single-valued CHANGES."""
    pairs = [(k, changes.get(k, v)) for k, v in (VALID_PAIRS if pairs is None else pairs)]
    return urlencode(pairs).encode("ascii")


@dataclass
class Answer:
    """A response as a test reads it."""

    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def call(app, method: str = "POST", path: str = "/submit/report-crime", body: bytes = b"",
         content_type: str = JSON, headers: dict | None = None, length: int | None = None,
         client: str = "192.0.2.10", stream=None, environ: dict | None = None) -> Answer:
    """Call the WSGI APP once, as a server would."""
    env = {"REQUEST_METHOD": method, "PATH_INFO": path, "CONTENT_TYPE": content_type,
           "CONTENT_LENGTH": str(len(body) if length is None else length), "REMOTE_ADDR": client,
           "wsgi.input": stream or io.BytesIO(body)}
    if length == -1:
        del env["CONTENT_LENGTH"]
    for name, value in (headers or {}).items():
        env["HTTP_" + name.upper().replace("-", "_")] = value
    env.update(environ or {})
    setup_testing_defaults(env)
    seen = {}

    def start_response(status, response_headers):
        seen["status"] = int(status.split()[0])
        seen["headers"] = {}
        for k, v in response_headers:
            seen["headers"].setdefault(k.lower(), []).append(v)
    body_out = b"".join(app(env, start_response))
    return Answer(seen["status"], {k: ", ".join(v) for k, v in seen["headers"].items()}, body_out)


@pytest.fixture
def schemas(example_build) -> Path:
    """The example site's built forms/ folder (schema.json files)."""
    return example_build / "forms"


@pytest.fixture
def settings(bucket, moto_endpoint, schemas) -> IntakeSettings:
    """Settings for the test bucket: fast retries, no rate limit."""
    return IntakeSettings(bucket=bucket, prefix="submissions", endpoint_url=moto_endpoint, region="us-east-1",
                          schemas=str(schemas), site_url=SITE_URL, secret=SECRET, retries=2, backoff_seconds=0.01,
                          rate_per_minute=0)


@pytest.fixture
def intake_settings(settings) -> IntakeSettings:
    """`settings`, for a test module where that name is hypothesis's."""
    return settings


def make_app(settings: IntakeSettings, clock=lambda: RECEIVED, client=None, **changes) -> IntakeApp:
    """An IntakeApp for SETTINGS (with CHANGES) and a fixed clock."""
    settings = replace(settings, **changes)
    return IntakeApp(make_receiver(settings, clock=clock, client=client or client_for(settings.endpoint_url)))


@pytest.fixture
def app(settings) -> IntakeApp:
    """The WSGI app for the test bucket."""
    return make_app(settings)


def stored(s3, bucket: str) -> dict[str, bytes]:
    """Every object in BUCKET: key -> bytes."""
    keys = [o["Key"] for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
            for o in page.get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


def submissions(s3, bucket: str) -> dict[str, dict]:
    """The submission objects in BUCKET (claims left out): key -> parsed JSON."""
    return {k: json.loads(v) for k, v in stored(s3, bucket).items() if "/_claims/" not in f"/{k}"}


def leaves(value) -> list:
    """Every scalar inside VALUE (a report's answers, a message), to look for answers where none may be."""
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in leaves(item)]
    return [value]


def drain(sqs, url: str) -> list[str]:
    """The raw bodies of every message waiting on queue URL (deleted as read)."""
    bodies = []
    while batch := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", []):
        for item in batch:
            bodies.append(item["Body"])
            sqs.delete_message(QueueUrl=url, ReceiptHandle=item["ReceiptHandle"])
    return bodies


def cli(settings, *args: str, **kwargs):
    """`sitegen intake ARGS` against SETTINGS' bucket, schemas and endpoint."""
    from conftest import run_cli
    return run_cli("intake", *args, "--bucket", settings.bucket, "--prefix", settings.prefix,
                   "--endpoint-url", settings.endpoint_url, "--region", "us-east-1",
                   "--schemas", settings.schemas, **kwargs)
