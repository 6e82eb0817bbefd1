"""The receiver through its WSGI app, storing into moto's S3 over HTTP on 127.0.0.1:
what is stored, every class of refusal storing nothing, S3 failures, retries."""
from __future__ import annotations

import hashlib
import io
import json
import logging
from datetime import UTC, datetime

import pytest
from botocore.exceptions import EndpointConnectionError

from motoserver import free_port
from sitegen.forms.submission import make_validator
from sitegen.intake import storage
from sitegen.intake.references import is_valid
from sitegen.intake.storage import S3Writer, SubmissionStore
from test_intake_support import (
    FORM,
    JSON,
    ORIGIN,
    RECEIVED,
    SITE_URL,
    VALID_ANSWERS,
    call,
    form_body,
    json_body,
    make_app,
    stored,
    submissions,
)


def schema_of(schemas) -> dict:
    return json.loads((schemas / "report-crime" / "schema.json").read_text())


# ---- accepted ----

def test_a_json_submission_is_stored_with_exactly_this_json(app, s3, bucket, schemas):
    answer = call(app, body=json_body())
    assert answer.status == 201
    reference = answer.json()["reference"]
    assert is_valid(reference) and reference.startswith("CR-2026-")
    assert answer.json()["done_url"] == f"{SITE_URL}forms/report-crime/done/?ref={reference}"
    raw = (schemas / "report-crime" / "schema.json").read_bytes()
    expected = {
        "reference": reference,
        "form": "report-crime",
        "form_version": "sha256:" + hashlib.sha256(raw).hexdigest(),
        "schema": "https://www.example.police.uk/forms/report-crime/schema.json",
        "received": "2026-11-28T10:15:30.123Z",
        "language": "en-GB",   # the example is in English and Welsh: the force replies in the report's
        "answers": VALID_ANSWERS,
    }
    key = f"submissions/report-crime/2026/11/28/{reference}.json"
    objects = stored(s3, bucket)
    assert objects[key] == (json.dumps(expected, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    head = s3.head_object(Bucket=bucket, Key=key)
    assert head["ServerSideEncryption"] == "AES256" and head["ContentType"] == "application/json"
    assert set(objects) == {key, f"submissions/_claims/report-crime/{reference[8:16]}.json"}


def test_a_form_post_is_converted_by_the_documented_mapping_and_redirected(app, s3, bucket):
    answer = call(app, body=form_body(), content_type=FORM)
    assert answer.status == 303
    location = answer.headers["location"]
    assert location.startswith(f"{SITE_URL}forms/report-crime/done/?ref=CR-2026-")
    [document] = submissions(s3, bucket).values()
    assert document["reference"] == location.rsplit("=", 1)[1]
    # numbers, checkbox lists, date parts, address parts; blanks dropped, CR LF made LF, spaces trimmed
    assert document["answers"] == VALID_ANSWERS


def test_the_reference_is_fixed_by_secret_form_token_and_answers(settings, bucket, s3):
    first = call(make_app(settings), body=json_body()).json()["reference"]
    other_secret = call(make_app(settings, secret="another"), body=json_body()).json()["reference"]
    other_token = call(make_app(settings), body=json_body(token="v1.json.0002")).json()["reference"]
    assert first == "CR-2026-42PJSAXTE"   # pinned: the derivation must not change silently
    assert len({first, other_secret, other_token}) == 3


def test_sse_kms_is_used_when_a_key_is_configured(settings, s3, bucket):
    key_id = "arn:aws:kms:us-east-1:123456789012:key/0b7d0d37-6a31-4a53-9d5c-0d2a4a7f1e11"
    answer = call(make_app(settings, kms_key_id=key_id), body=json_body())
    assert answer.status == 201
    for key in stored(s3, bucket):
        head = s3.head_object(Bucket=bucket, Key=key)
        assert (head["ServerSideEncryption"], head["SSEKMSKeyId"]) == ("aws:kms", key_id)


@pytest.mark.parametrize("change", [
    {}, {"items_value": "350"}, {"items_value": 3.5}, {"loss": "stolen"}, {"loss": ["stolen", "none"]},
    {"incident_date": "2026-11-31"}, {"incident_date": "2026-11-29"}, {"incident_date": "2026-11-28"},
    {"email": "not-an-email"}, {"home_address": {"line1": "1 High Street", "town": "Barking"}},
    {"location": {"line1": "x", "town": "y", "county": "z"}}, {"favourite_colour": "blue"},
    {"contact_methods": ["phone"]}, {"contact_methods": ["phone"], "phone": "01632 960001", "voicemail": "yes"},
    {"suspect_description": "Answer to a question not asked"}, {"crime_type": None}, {"description": ""},
])
def test_the_receiver_accepts_exactly_what_the_schema_accepts(app, schemas, change, s3, bucket):
    document = {**VALID_ANSWERS, **change}
    schema_verdict = make_validator(schema_of(schemas), RECEIVED.date()).is_valid(
        {**document, "client_token": "t", "website": ""})
    answer = call(app, body=json_body(document))
    assert (answer.status == 201) == schema_verdict, answer.body
    assert bool(submissions(s3, bucket)) == schema_verdict


def test_a_retried_token_stores_once_and_keeps_its_reference(app, s3, bucket):
    first = call(app, body=json_body())
    again = call(app, body=json_body())
    assert (first.status, again.status) == (201, 200)
    assert first.json()["reference"] == again.json()["reference"]
    assert len(submissions(s3, bucket)) == 1


def test_the_same_token_with_different_answers_is_a_second_report(app, s3, bucket):
    one = call(app, body=json_body()).json()["reference"]
    two = call(app, body=json_body(full_name="Sam Example")).json()["reference"]
    assert one != two and len(submissions(s3, bucket)) == 2


def test_identical_posts_without_a_token_are_one_report(app, s3, bucket):
    body = form_body(client_token="")
    first, second = call(app, body=body, content_type=FORM), call(app, body=body, content_type=FORM)
    assert first.headers["location"] == second.headers["location"]
    assert len(submissions(s3, bucket)) == 1


def test_a_retry_after_midnight_on_new_years_eve_keeps_reference_and_key(settings, s3, bucket):
    before = datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)
    after = datetime(2027, 1, 1, 0, 0, 5, tzinfo=UTC)
    one = call(make_app(settings, clock=lambda: before), body=json_body()).json()["reference"]
    two = call(make_app(settings, clock=lambda: after), body=json_body()).json()["reference"]
    assert one == two and one.startswith("CR-2026-")
    assert list(submissions(s3, bucket)) == [f"submissions/report-crime/2026/12/31/{one}.json"]


def test_a_chance_clash_of_references_loses_nobody(settings, s3, bucket, monkeypatch):
    real = storage.derive_body
    monkeypatch.setattr(storage, "derive_body", lambda digest, attempt=0: "AAAAAAAA" if attempt == 0
                        else real(digest, attempt))
    app = make_app(settings)
    one = call(app, body=json_body(token="a")).json()["reference"]
    two = call(app, body=json_body(token="b")).json()["reference"]
    again = call(app, body=json_body(token="b")).json()["reference"]
    assert one.startswith("CR-2026-AAAAAAAA") and two != one and again == two
    assert {d["reference"] for d in submissions(s3, bucket).values()} == {one, two}


# ---- refused: each class stores nothing ----

class ExplodingStream(io.BytesIO):
    """A body that must not be read."""

    def read(self, *args):
        raise AssertionError("the body was read")


REFUSALS = {
    "unknown form": (dict(path="/submit/no-such-form", body=json_body()), 404),
    "unknown path": (dict(path="/upload", body=json_body()), 404),
    "hosted-style id with dots": (dict(path="/submit/..%2F..", body=json_body()), 404),
    "GET": (dict(method="GET", body=b""), 405),
    "text/plain": (dict(body=b"crime_type=theft", content_type="text/plain"), 415),
    "multipart": (dict(body=b"--x--", content_type="multipart/form-data; boundary=x"), 415),
    "latin-1 form": (dict(body=form_body(), content_type=FORM + "; charset=iso-8859-1"), 415),
    "no content type": (dict(body=json_body(), content_type=""), 415),
    "over the limit by Content-Length": (dict(body=b"", length=300 * 1024, stream=ExplodingStream()), 413),
    "not JSON": (dict(body=b'{"crime_type": '), 400),
    "JSON NaN": (dict(body=b'{"items_value": NaN}'), 400),
    "not UTF-8": (dict(body=b'{"full_name": "\xff"}'), 400),
    "bad Content-Length": (dict(body=json_body(), length=None, headers={}, environ={"CONTENT_LENGTH": "12x"}), 400),
    "honeypot (JSON)": (dict(body=json_body(website="https://spam.example")), 422),
    "invalid answers (JSON)": (dict(body=json_body(crime_type="arson-by-robot")), 422),
    "unknown field (JSON)": (dict(body=json_body(extra="x")), 422),
    "a list, not an object": (dict(body=b"[1, 2]"), 422),
    "honeypot (form)": (dict(body=form_body(website="cheap pills"), content_type=FORM), 303),
    "invalid answers (form)": (dict(body=form_body(email="nope"), content_type=FORM), 303),
}


@pytest.mark.parametrize("case", REFUSALS)
def test_each_refusal_stores_nothing(app, s3, bucket, case):
    kwargs, status = REFUSALS[case]
    answer = call(app, **kwargs)
    assert answer.status == status, answer.body
    assert "ref=" not in answer.headers.get("location", "") and b"reference" not in answer.body
    assert stored(s3, bucket) == {}


def test_a_body_over_the_limit_is_stopped_while_reading(app, s3, bucket):
    body = json_body(description="x" * (300 * 1024))
    answer = call(app, body=body, length=-1, environ={"wsgi.input_terminated": True})
    assert answer.status == 413 and stored(s3, bucket) == {}
    assert call(app, body=json_body(), length=-1).status == 411


def test_the_limit_is_configurable(settings, s3, bucket):
    small = make_app(settings, max_body_bytes=2048)
    assert call(small, body=json_body(description="x" * 3000)).status == 413
    assert call(small, body=json_body()).status == 201


def test_invalid_answers_get_field_errors_with_the_forms_messages(app):
    answer = call(app, body=json_body(incident_date="2099-01-01", email="nope", home_address={"line1": "1"}))
    assert answer.status == 422
    assert answer.json() == {"error": "invalid", "errors": [
        {"field": "incident_date", "message": "The date it happened must be today or in the past"},
        {"field": "home_address", "message": "Enter the town or city"},
        {"field": "email", "message": "Enter an email address in the correct format, like name@example.com"},
    ]}


def test_json_errors_use_the_message_kinds_forms_js_uses(app, schemas):
    messages = {name: p.get("x-sitegen-messages", {}) for name, p in schema_of(schemas)["properties"].items()}
    answer = call(app, body=json_body(items_value="lots", safe_times=[], incident_date="2026-02-30",
                                      location={"line1": "1", "town": "B", "postcode": "nope"}))
    found = {e["field"]: e["message"] for e in answer.json()["errors"]}
    assert found == {"items_value": messages["items_value"]["number"],
                     "safe_times": messages["safe_times"]["required"],
                     "incident_date": messages["incident_date"]["real"],
                     "location": messages["location"]["postcode"]}


def test_a_refused_form_post_goes_back_to_the_error_summary(app):
    answer = call(app, body=form_body(email="nope", **{"incident_date-day": "31", "incident_date-month": "2"}),
                  content_type=FORM)
    assert answer.headers["location"] == f"{SITE_URL}forms/report-crime/?errors=incident_date,email#problem"
    honeypot = call(app, body=form_body(website="x"), content_type=FORM)
    assert honeypot.headers["location"] == f"{SITE_URL}forms/report-crime/#problem"


def test_refusals_to_people_are_pages_and_to_scripts_json(app):
    page = call(app, body=b"x", content_type="text/plain")
    assert page.headers["content-type"].startswith("text/html") and b"<h1>" in page.body
    assert b'href="https://www.example.police.uk/forms/report-crime/"' in page.body
    script = call(app, body=b"x", content_type="text/plain", headers={"Accept": JSON})
    assert script.json()["error"] == "unsupported_media_type"


# ---- S3 failing ----

def test_s3_down_answers_503_and_acknowledges_nothing(settings):
    down = make_app(settings, endpoint_url=f"http://127.0.0.1:{free_port()}")
    for body, kind in ((json_body(), JSON), (form_body(), FORM)):
        answer = call(down, body=body, content_type=kind)
        assert answer.status == 503 and answer.headers["retry-after"]
        assert "location" not in answer.headers and b"CR-" not in answer.body


def test_a_missing_bucket_answers_503(settings):
    answer = call(make_app(settings, bucket="no-such-bucket-here"), body=json_body())
    assert answer.status == 503 and b"reference" not in answer.body


class FlakyClient:
    """The real client, but put_object fails FAILURES times for keys that PICK selects."""

    def __init__(self, real, failures: int, pick=lambda key: True):
        self.real, self.failures, self.pick, self.calls = real, failures, pick, 0

    def put_object(self, **kwargs):
        if self.pick(kwargs["Key"]) and self.failures > 0:
            self.failures -= 1
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:1")
        return self.real.put_object(**kwargs)

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_s3_errors_are_retried_with_backoff(settings, s3, bucket):
    flaky = FlakyClient(s3, failures=2)
    answer = call(make_app(settings, client=flaky), body=json_body())
    assert answer.status == 201 and len(submissions(s3, bucket)) == 1


def test_a_retry_after_a_failed_write_stores_once_under_the_claimed_reference(settings, s3, bucket):
    failing = FlakyClient(s3, failures=99, pick=lambda key: "/_claims/" not in key)
    assert call(make_app(settings, client=failing), body=json_body()).status == 503
    assert submissions(s3, bucket) == {}
    answer = call(make_app(settings), body=json_body())
    assert answer.status == 201
    [(key, document)] = submissions(s3, bucket).items()
    assert document["reference"] == answer.json()["reference"] and key.endswith(f"{document['reference']}.json")


def test_backoff_grows_and_gives_up_after_the_retries(s3):
    delays = []
    writer = S3Writer(FlakyClient(s3, failures=99), "any-bucket", retries=3, backoff=0.5, sleep=delays.append)
    with pytest.raises(storage.StorageUnavailable):
        writer.put_new("k", b"{}")
    assert len(delays) == 3 and all(0 <= d <= 0.5 * 2 ** i for i, d in enumerate(delays))


# ---- CORS, rate limit, logs ----

def test_cors_preflight_only_for_the_sites_origin(app):
    ok = call(app, method="OPTIONS", headers={"Origin": ORIGIN, "Access-Control-Request-Method": "POST",
                                              "Access-Control-Request-Headers": "content-type"})
    assert ok.status == 204
    assert ok.headers["access-control-allow-origin"] == ORIGIN
    assert "POST" in ok.headers["access-control-allow-methods"]
    assert "Content-Type" in ok.headers["access-control-allow-headers"]
    other = call(app, method="OPTIONS", headers={"Origin": "https://evil.example",
                                                 "Access-Control-Request-Method": "POST"})
    assert other.status == 403 and "access-control-allow-origin" not in other.headers


def test_cors_headers_on_answers_only_for_the_sites_origin(app):
    mine = call(app, body=json_body(), headers={"Origin": ORIGIN})
    assert mine.headers["access-control-allow-origin"] == ORIGIN and "Origin" in mine.headers["vary"]
    theirs = call(app, body=json_body(token="2"), headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in theirs.headers
    refused = call(app, body=b"{", headers={"Origin": ORIGIN})
    assert refused.headers["access-control-allow-origin"] == ORIGIN


def test_rate_limit_per_client_with_retry_after(settings, s3, bucket):
    clock = [0.0]
    app = make_app(settings, rate_per_minute=6, rate_burst=2)
    app.limiter.clock = lambda: clock[0]
    results = [call(app, body=json_body(token=str(i)), client="198.51.100.7").status for i in range(3)]
    assert results == [201, 201, 429]
    limited = call(app, body=json_body(token="x"), client="198.51.100.7")
    assert limited.status == 429 and limited.headers["retry-after"] == "10"
    assert call(app, body=json_body(token="y"), client="198.51.100.8").status == 201   # someone else
    clock[0] = 10.0
    assert call(app, body=json_body(token="z"), client="198.51.100.7").status == 201
    assert len(submissions(s3, bucket)) == 4


def test_logs_name_form_reference_size_and_outcome_but_never_an_answer(settings, s3, bucket, caplog):
    secret_words = "Zebra-Quartz-Marmalade"
    app = make_app(settings)
    down = make_app(settings, endpoint_url=f"http://127.0.0.1:{free_port()}")
    caplog.set_level(logging.DEBUG)
    body = json_body(description=secret_words, full_name=secret_words)
    stored_answer = call(app, body=body)
    call(app, body=json_body(description=secret_words, email=secret_words))
    call(app, body=form_body(description=secret_words, website=secret_words), content_type=FORM)
    call(down, body=body)
    call(app, body=b'{"full_name": "' + secret_words.encode() + b'"', content_type=JSON)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert secret_words not in text and "alex@example.com" not in text
    reference = stored_answer.json()["reference"]
    assert f"form=report-crime ref={reference} bytes={len(body)} outcome=stored status=201" in text
    for outcome in ("outcome=invalid", "outcome=honeypot", "outcome=unavailable", "outcome=bad_body"):
        assert outcome in text


def test_a_malformed_form_id_never_reaches_the_log(app, caplog):
    caplog.set_level(logging.INFO)
    answer = call(app, path="/submit/x\nintake form=forged outcome=stored", body=json_body())
    assert answer.status == 404
    assert "forged" not in caplog.text and "form=(malformed)" in caplog.text


def test_health(app):
    answer = call(app, method="GET", path="/health")
    assert answer.status == 200 and answer.json()["forms"] >= 2


def test_store_refuses_to_spin_forever(s3, bucket, monkeypatch):
    monkeypatch.setattr(storage, "derive_body", lambda digest, attempt=0: "AAAAAAAA")
    store = SubmissionStore(S3Writer(s3, bucket, retries=0), "p/")
    store.store("f", "F", b"1" * 32, RECEIVED, lambda ref: b"{}")
    with pytest.raises(storage.StorageUnavailable):
        store.store("f", "F", b"2" * 32, RECEIVED, lambda ref: b"{}")
