"""Issue 15 F: the local servers print no client address, answer, token or
traceback, whatever a client sends.

Each server runs as a real subprocess (`sitegen intake serve`, and `python -m
sitegen.devserver`, which runs the receiver and `sitegen serve`'s preview);
clients on 127.0.0.1 send stalled, partial, reset, oversized and garbage
requests, some carrying an answer and a token; then the server's whole output
is searched.
"""
from __future__ import annotations

import re
import shutil
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import boto3
import pytest

from motoserver import FAKE_AWS_ENV
from rawhttp import (
    ANSWER,
    TOKEN,
    ServerProcess,
    answers_json,
    exchange,
    free_port,
    head,
    intake_serve,
    wait_until_answering,
    write_schemas,
)

HEADER_SECONDS = 1.0   # the receiver's wait for stalled headers, shortened from 30 s for the test
SITES = Path(__file__).parent / "sites"

# name -> (bytes sent, what the client does next, seconds it stalls first)
MALFORMED = {
    "headers stalled past the timeout, then a disconnect": (b"POST /submit/note HTTP/1.1\r\nHost: x\r\nContent-",
                                                           "close", HEADER_SECONDS + 0.5),
    "headers stalled, then a reset": (b"POST /submit/note HTTP/1.1\r\nHost: x\r\nContent-Type: appl", "reset",
                                      HEADER_SECONDS + 0.5),
    "half a request line, then a reset": (b"POST /subm", "reset", 0.2),
    "half the headers, then a disconnect": (b"GET / HTTP/1.1\r\nHost: x\r\nAccept: te", "close", 0.2),
    "connect, then a disconnect": (b"", "close", 0.1),
    "a TLS hello to a plain HTTP port": (bytes.fromhex("160301020001000001fc0303") + bytes(range(256)), "read", 0),
    "an unknown HTTP version": (b"GET / HTTP/9.9\r\n\r\n", "read", 0),
    "a request line of 70,000 bytes": (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", "read", 0),
    "a header line of 70,000 bytes": (b"GET / HTTP/1.1\r\nX-Long: " + b"b" * 70000 + b"\r\n\r\n", "read", 0),
    "101 headers": (b"GET / HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(101)) + b"\r\n", "read", 0),
    "answers with a 5,000-digit Content-Length": (head(b"9" * 5000) + answers_json(), "read", 0),
    "answers cut short, then a reset": (head("300") + answers_json()[:45], "reset", 0.3),
    "whole answers, then a reset before the answer": (head(str(len(answers_json()))) + answers_json(), "reset", 0),
    "answers with a lone surrogate": (head("30") + rb'{"message": "\ud800' + ANSWER.encode()[:10] + b'"}', "read", 0),
}


def send_all(port: int) -> None:
    """Every MALFORMED request to PORT from 127.0.0.1, all at once (each on its own connection)."""
    with ThreadPoolExecutor(len(MALFORMED)) as pool:
        list(pool.map(lambda case: exchange(port, case[0], then=case[1], stall=case[2], timeout=15),
                      MALFORMED.values()))


def assert_private(output: str, ignore: tuple[str, ...] = ()) -> None:
    """OUTPUT (less the lines starting with IGNORE, the servers' own banners) names no client,
    quotes no answer or token, and holds no traceback."""
    kept = "\n".join(line for line in output.splitlines() if not line.startswith(ignore))
    for secret in ("127.0.0.1", "Traceback", ANSWER, ANSWER[:10], TOKEN):
        assert secret not in kept, f"{secret!r} in the server's output:\n{kept}"


@pytest.fixture
def bucket(moto_endpoint) -> str:
    name = f"privacy-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=name)
    return name


def test_intake_serve_prints_no_client_address_answer_or_traceback(tmp_path, bucket, moto_endpoint):
    env = {**FAKE_AWS_ENV, "SITEGEN_INTAKE_SECRET": "ab" * 32, "SITEGEN_INTAKE_BODY_TIMEOUT_SECONDS": "1"}
    server, port = intake_serve(write_schemas(tmp_path / "schemas"), bucket, moto_endpoint, tmp_path / "serve.log",
                                env, header_timeout=HEADER_SECONDS)
    try:
        send_all(port)
        time.sleep(HEADER_SECONDS + 0.5)   # let the last stalled connections time out
        assert exchange(port, b"GET /health HTTP/1.1\r\n\r\n").status == 200   # still serving
    finally:
        output = server.stop()
    assert "outcome=" in output   # the receiver's own lines are there
    assert_private(output)


def test_make_serve_prints_no_client_address_answer_or_traceback(tmp_path):
    site = shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))
    port = free_port()
    server = ServerProcess([sys.executable, "-m", "sitegen.devserver", "--site", str(site), "--port", str(port),
                            "--build-date", "2026-11-28"], {}, tmp_path / "devserver.log")
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/", server.process, timeout=120)
        receiver_port = int(re.search(r"Forms post to http://127\.0\.0\.1:(\d+)/submit", server.output()).group(1))
        for target in (port, receiver_port):
            send_all(target)
        assert exchange(port, b"GET / HTTP/1.1\r\n\r\n").status == 200   # still serving
    finally:
        output = server.stop()
    # The banners name the servers' own addresses, which is fine: only clients must not appear.
    assert_private(output, ignore=("Forms post to ", "List them: ", "Serving "))
