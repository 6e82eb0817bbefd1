"""Issue 15 A (receiver): every bad request gets the documented status and no
traceback, over real HTTP.

- Bad input, written byte by byte on a socket to `sitegen intake serve` (a
  subprocess, storing into moto's S3 server): lone surrogates in JSON (400),
  Content-Length values that are huge, negative or not numbers (413/400), a
  body that ends or stalls before its Content-Length (400 within the body
  deadline).  The server's whole output has no traceback and no answer.
- S3 failing underneath (the WSGI app in a real wsgiref server thread, its S3
  client pointed at local TCP servers that close, reset, stall or talk
  nonsense): 503 with Retry-After and an `intake s3 failed` line.
- A bug (an exception inside the receiver): 500, logged by type only, through
  both doors.
"""
from __future__ import annotations

import functools
import json
import logging
import re
import socket
import struct
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from conftest import run_cli
from motoserver import FAKE_AWS_ENV
from rawhttp import ANSWER, FORM_ID, TOKEN, answers_json, exchange, head, intake_serve, write_schemas
from sitegen.intake import lambda_handler
from sitegen.intake.config import IntakeSettings
from sitegen.intake.core import (
    MAX_DEPTH,
    BadLength,
    Receiver,
    declared_length,
    document_problem,
    make_receiver,
)
from sitegen.intake.wsgi import IntakeApp, make_wsgi_server

BODY_SECONDS = 0.5
SECRET = "0123456789abcdef" * 4
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}


# ---- the receiver as a subprocess, over raw sockets ----

@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    """A folder with one small form, `note` (tests/rawhttp.py)."""
    return write_schemas(tmp_path_factory.mktemp("schemas"))


@pytest.fixture(scope="module")
def bucket(moto_endpoint) -> str:
    """A new bucket in the session's moto server."""
    name = f"hardening-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_endpoint, **CREDENTIALS).create_bucket(Bucket=name)
    return name


@pytest.fixture(scope="module")
def receiver_server(schemas, bucket, moto_endpoint, tmp_path_factory):
    """`sitegen intake serve` with a 1-second body deadline: (port, function returning its output so far)."""
    env = {**FAKE_AWS_ENV, "SITEGEN_INTAKE_SECRET": SECRET,
           "SITEGEN_INTAKE_BODY_TIMEOUT_SECONDS": str(BODY_SECONDS)}
    server, port = intake_serve(schemas, bucket, moto_endpoint, tmp_path_factory.mktemp("log") / "serve.log", env)
    yield port, server.output
    output = server.stop()
    assert "Traceback" not in output and ANSWER not in output and TOKEN not in output, output


def json_post(body: bytes) -> bytes:
    return head(str(len(body))) + body


LONE_SURROGATES = [
    rb'{"message": "\ud800"}',                          # the example
    rb'{"message": "before \udfff after"}',             # a lone low surrogate
    rb'{"message": "\ude00\ud83d"}',                    # a pair in the wrong order
    rb'{"message": "ok", "tags": ["fine", "\ud83d"]}',  # inside a list
    rb'{"\udc80": "x", "message": "ok"}',               # in a key
]


@pytest.mark.parametrize("body", LONE_SURROGATES)
def test_json_with_a_lone_surrogate_is_400_with_a_plain_message(receiver_server, body):
    port, output = receiver_server
    answer = exchange(port, json_post(body))
    assert answer.status == 400, answer.response
    message = json.loads(answer.response.split(b"\r\n\r\n", 1)[1])["message"]
    assert "surrogate" in message and "UTF-8" in message
    assert "outcome=bad_body status=400" in output()


def test_a_proper_surrogate_pair_is_stored(receiver_server):
    port, _ = receiver_server
    answer = exchange(port, json_post(rb'{"message": "a smile \ud83d\ude00", "website": ""}'))
    assert answer.status == 201, answer.response


@pytest.mark.parametrize("length, status", [
    (b"9" * 5000, 413),          # the example: more digits than int() converts
    (b"1" + b"0" * 18, 413),     # 19 digits
    (b"0" * 4000 + b"12", 400),  # leading zeros: really 12, but the body is 2 bytes -> incomplete
    (b"-5", 400),
    (b"+5", 400),
    ("\u00b2".encode("latin-1"), 400),   # '²': str.isdigit() says yes
    (b"abc", 400),
    (b"1e3", 400),
    (b"10, 10", 400),
    (b"0x10", 400),
    (b"2\r\nContent-Length: 900", 400),   # two headers: which one to believe?
])
def test_content_length_that_is_huge_or_not_a_number(receiver_server, length, status):
    port, output = receiver_server
    answer = exchange(port, head(length) + b"{}")
    assert answer.status == status, answer.response
    assert f"status={status}" in output()


@pytest.mark.parametrize("promised, sent", [(1000, b"{}"), (50, answers_json()[:20]), (10, b"")])
def test_a_body_that_ends_before_its_content_length_is_400(receiver_server, promised, sent):
    port, output = receiver_server
    answer = exchange(port, head(str(promised)) + sent, then="half")
    assert answer.status == 400, answer.response
    assert "outcome=incomplete_body status=400" in output()


@pytest.mark.parametrize("promised, sent", [(1000, b"{}"), (200, answers_json()[:30])])
def test_a_body_that_stalls_is_400_after_the_body_deadline(receiver_server, promised, sent):
    port, _ = receiver_server
    answer = exchange(port, head(str(promised)) + sent, timeout=15)
    assert answer.status == 400, answer.response
    assert BODY_SECONDS <= answer.seconds < BODY_SECONDS + 4


def test_a_body_that_drips_is_400_after_the_body_deadline(receiver_server):
    """One byte at a time, each within any per-read timeout: only a total deadline ends it."""
    port, _ = receiver_server
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        sock.sendall(head("1000"))
        status_line = b""
        for _ in range(40):
            try:
                sock.sendall(b" ")
            except OSError:
                break
            sock.settimeout(0.1)
            try:
                status_line = sock.recv(100)
                break
            except TimeoutError:
                continue
        assert status_line.startswith(b"HTTP/1.0 400"), status_line


# ---- the pure parts, over many inputs ----

@hsettings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_declared_length_is_a_number_of_bytes_or_refused(value):
    try:
        length = declared_length(value)
    except BadLength:
        assert not re.fullmatch(r"[0-9]+", value.strip())
        return
    digits = value.strip()
    assert (length is None) == (digits == "")
    if length is not None:
        assert length == int(digits) or (len(digits.lstrip("0")) > 18 and length > 10 ** 18)


@hsettings(max_examples=100, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=8000), min_size=1, max_size=3))
def test_declared_length_of_any_number_of_digits(sizes):
    for size in sizes:
        assert declared_length("7" * size) == (int("7" * size) if size <= 18 else sys.maxsize)


SURROGATES = st.integers(min_value=0xD800, max_value=0xDFFF).map(chr)   # what a \uXXXX escape can give
JSON_TEXT = st.text(alphabet=st.characters() | SURROGATES, max_size=8)
DOCUMENTS = st.recursive(st.none() | st.booleans() | st.integers() | JSON_TEXT,
                         lambda inner: st.lists(inner, max_size=3) | st.dictionaries(JSON_TEXT, inner, max_size=3),
                         max_leaves=12)


def _strings(document) -> Iterator[str]:
    if isinstance(document, str):
        yield from document
    elif isinstance(document, list):
        for item in document:
            yield from _strings(item)
    elif isinstance(document, dict):
        for key, value in document.items():
            yield from key
            yield from _strings(value)


@hsettings(max_examples=100, deadline=None)
@given(DOCUMENTS)
def test_document_problem_names_exactly_the_documents_utf8_cannot_store(document):
    surrogate = any(0xD800 <= ord(c) <= 0xDFFF for c in _strings(document))
    assert bool(document_problem(document)) == surrogate


@pytest.mark.parametrize("depth, refused", [(MAX_DEPTH, False), (MAX_DEPTH + 1, True), (900, True)])
def test_document_problem_bounds_nesting(depth, refused):
    document: object = "leaf"
    for _ in range(depth - 1):
        document = [document]
    assert bool(document_problem(document)) == refused


# ---- S3 failing underneath: the WSGI app in a wsgiref thread ----

@contextmanager
def fake_s3(behaviour: str) -> Iterator[str]:
    """An endpoint URL on 127.0.0.1 whose server misbehaves as BEHAVIOUR says, for every connection."""
    if behaviour == "refused":
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        yield f"http://127.0.0.1:{port}"   # nothing listens there any more
        return
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    held: list[socket.socket] = []

    def misbehave(conn: socket.socket) -> None:
        conn.settimeout(5)
        try:
            conn.recv(65536)
            if behaviour == "reset":
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            elif behaviour == "garbage":
                conn.sendall(b"\x00\xffnot http at all\r\n\r\n")
            elif behaviour == "half-answer":
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\nContent-Type: application/xml\r\n\r\n<a>")
            elif behaviour == "stall":
                held.append(conn)
                stop.wait(10)
        except OSError:
            pass
        finally:
            conn.close()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=misbehave, args=(conn,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        listener.close()


@functools.cache
def s3_client(endpoint: str):
    """A client like the receiver's (no botocore retries), with short timeouts for the test."""
    config = Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=1, read_timeout=0.3)
    return boto3.session.Session().client("s3", endpoint_url=endpoint, config=config, **CREDENTIALS)


def settings_for(schemas: Path, endpoint: str) -> IntakeSettings:
    return IntakeSettings(bucket="any-bucket", endpoint_url=endpoint, region="us-east-1", schemas=str(schemas),
                          site_url="https://police.example/", secret=SECRET, retries=1, backoff_seconds=0.01,
                          rate_per_minute=0)


@contextmanager
def served(app: Receiver | IntakeApp) -> Iterator[int]:
    """APP (or a receiver's WSGI app) in a wsgiref server thread; yields its port."""
    server = make_wsgi_server(app if isinstance(app, IntakeApp) else IntakeApp(app))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("behaviour, error, body_type", [
    ("close", "ConnectionClosedError", "json"), ("close", "ConnectionClosedError", "form"),
    ("reset", "ConnectionClosedError", "json"), ("refused", "EndpointConnectionError", "form"),
    ("stall", "ReadTimeoutError", "json"), ("garbage", "", "json"), ("half-answer", "", "form"),
])
def test_s3_failing_is_503_with_retry_after_and_a_log_line(schemas, behaviour, error, body_type, caplog, capfd):
    caplog.set_level(logging.INFO, logger="sitegen.intake")
    with fake_s3(behaviour) as endpoint:
        settings = replace(settings_for(schemas, endpoint), retries=0)   # retries are tested elsewhere
        receiver = make_receiver(settings, client=s3_client(endpoint))
        with served(receiver) as port:
            if body_type == "json":
                request = json_post(answers_json())
            else:
                body = f"message={ANSWER}&client_token={TOKEN}&website=".encode()
                request = head(str(len(body)), "application/x-www-form-urlencoded") + body
            answer = exchange(port, request, timeout=30)
    assert answer.status == 503, answer.response
    assert answer.header("Retry-After") == "30"
    failed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("intake s3 failed: ")]
    assert failed and error in failed[-1]
    assert any("outcome=unavailable status=503" in r.getMessage() for r in caplog.records)
    logged = caplog.text + "".join(capfd.readouterr())
    assert "Traceback" not in logged and ANSWER not in logged and TOKEN not in logged and "127.0.0.1" not in logged


# ---- a bug inside the receiver: 500, by type only ----

class Broken(Exception):
    """Stands for a bug whose message quotes an answer."""


class BrokenLimiter:
    """A rate limiter with a bug: fails before the body is read."""

    def __init__(self, error: Exception):
        self.error = error

    def wait_seconds(self, client: str) -> int:
        raise self.error


@pytest.mark.parametrize("error", [Broken(ANSWER), KeyError(ANSWER), RecursionError(ANSWER), UnicodeError(ANSWER)])
@pytest.mark.parametrize("where", ["before the body is read", "after"])
def test_an_unexpected_exception_is_500_logged_by_type_only(schemas, moto_endpoint, error, where, caplog, capfd):
    caplog.set_level(logging.INFO, logger="sitegen.intake")

    def clock() -> datetime:
        raise error
    receiver = make_receiver(settings_for(schemas, moto_endpoint), client=s3_client(moto_endpoint), clock=clock)
    app = IntakeApp(receiver, BrokenLimiter(error) if where == "before the body is read" else None)
    with served(app) as port:
        answer = exchange(port, json_post(answers_json()))
    assert answer.status == 500, answer.response
    assert json.loads(answer.response.split(b"\r\n\r\n", 1)[1])["error"] == "error"
    assert f"outcome=error_{type(error).__name__} status=500" in caplog.text
    logged = caplog.text + "".join(capfd.readouterr()) + answer.response.decode("utf-8", "replace")
    assert "Traceback" not in logged and ANSWER not in logged and TOKEN not in logged


@pytest.mark.parametrize("damage", ["a folder", "not JSON", "not a schema"])
def test_an_unreadable_schema_is_503_with_retry_after(tmp_path, moto_endpoint, damage, caplog, capfd):
    caplog.set_level(logging.INFO, logger="sitegen.intake")
    schema = write_schemas(tmp_path) / FORM_ID / "schema.json"
    receiver = make_receiver(settings_for(tmp_path, moto_endpoint), client=s3_client(moto_endpoint), watch=True)
    if damage == "a folder":
        schema.unlink()
        schema.mkdir()
    else:
        schema.write_text("{" if damage == "not JSON" else '{"type": 12}', encoding="utf-8")
    with served(IntakeApp(receiver)) as port:
        answer = exchange(port, json_post(answers_json()))
    assert answer.status == 503 and answer.header("Retry-After") == "30", answer.response
    assert "outcome=schema_unreadable status=503" in caplog.text
    assert "Traceback" not in "".join(capfd.readouterr())


# ---- the Lambda door ----

def event(body: object, base64: bool = False) -> dict:
    return {"version": "2.0", "rawPath": f"/submit/{FORM_ID}", "headers": {"content-type": "application/json"},
            "requestContext": {"http": {"method": "POST", "path": f"/submit/{FORM_ID}", "sourceIp": "203.0.113.9"},
                               "stage": "$default"},
            "body": body, "isBase64Encoded": base64}


@pytest.fixture
def lambda_receiver(schemas, moto_endpoint, bucket):
    settings = replace(settings_for(schemas, moto_endpoint), bucket=bucket)
    lambda_handler.use_receiver(make_receiver(settings, client=s3_client(moto_endpoint),
                                              clock=lambda: datetime(2026, 11, 28, tzinfo=UTC)))
    yield
    lambda_handler.use_receiver(None)


@pytest.mark.parametrize("body, outcome", [
    *[(raw.decode("ascii"), "bad_body") for raw in LONE_SURROGATES],   # escapes in the JSON text
    ('{"message": "\ud800"}', "bad_event"),   # the event's own string holds the surrogate
    ({"message": "not a string body"}, "bad_event"),
    (12, "bad_event"),
])
def test_the_lambda_door_answers_400_too(lambda_receiver, body, outcome, caplog):
    caplog.set_level(logging.INFO, logger="sitegen.intake")
    result = lambda_handler.handler(event(body))
    assert result["statusCode"] == 400, result
    assert f"outcome={outcome} status=400" in caplog.text


# ---- the command ----

@pytest.mark.parametrize("host", ["127.0.0.1", "no-such-host.invalid"])   # the port is busy; no such host
def test_intake_serve_that_cannot_listen_says_so_without_a_traceback(schemas, bucket, moto_endpoint, host, aws_env,
                                                                   monkeypatch):
    monkeypatch.setenv("SITEGEN_INTAKE_SECRET", SECRET)
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = run_cli("intake", "serve", "--host", host, "--port", str(port), "--bucket", bucket,
                         "--endpoint-url", moto_endpoint, "--schemas", str(schemas))
    assert result.exit_code == 2, result.output
    assert f"{host}:{port}: cannot listen here (" in result.output and "--port" in result.output


@hsettings(max_examples=30, deadline=None)
@given(text=st.text(max_size=6), surrogate=SURROGATES, where=st.sampled_from(["message", "tags", "key"]))
def test_any_lone_surrogate_anywhere_is_400_over_http(receiver_server, text, surrogate, where):
    port, _ = receiver_server
    odd = text + surrogate + text
    document = {"message": odd if where == "message" else "ok", "website": ""}
    if where == "tags":
        document["tags"] = [text, odd]
    elif where == "key":
        document[odd] = "x"
    answer = exchange(port, json_post(json.dumps(document).encode("ascii")))   # the surrogate as a \u escape
    assert answer.status == 400, answer.response
