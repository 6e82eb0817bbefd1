"""Many people at once, over real HTTP: the threaded WSGI server on 127.0.0.1 in
front of the receiver, storing into moto's S3 server."""
from __future__ import annotations

import http.client
import json
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest

from sitegen.intake.references import is_valid
from sitegen.intake.wsgi import serve_in_thread
from test_intake_support import FORM, JSON, form_body, json_body, make_app, submissions

COUNT = 200


@pytest.fixture
def server(settings):
    """The receiver on a free port; yields its base URL."""
    running, url = serve_in_thread(make_app(settings))
    yield url
    running.shutdown()
    running.server_close()


def post(url: str, body: bytes, content_type: str) -> tuple[int, dict, bytes]:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        connection.request("POST", "/submit/report-crime", body, {"Content-Type": content_type})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def run_together(count: int, action) -> list:
    """ACTION(i) for i in range(COUNT), each in its own thread, all released at once."""
    start = threading.Barrier(count)

    def one(i):
        start.wait()
        return action(i)
    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(one, range(count)))


def test_200_concurrent_submissions_are_each_stored_exactly_once(server, s3, bucket):
    def submit(i):
        if i % 2:
            return post(server, json_body(token=f"t-{i}", description=f"Report number {i}"), JSON)
        return post(server, form_body(client_token=f"t-{i}", description=f"Report number {i}"), FORM)
    results = run_together(COUNT, submit)
    references = {}
    for i, (status, headers, body) in enumerate(results):
        assert status == (201 if i % 2 else 303), body
        references[i] = json.loads(body)["reference"] if i % 2 else headers["Location"].rsplit("=", 1)[1]
    assert len(set(references.values())) == COUNT and all(is_valid(r) for r in references.values())
    stored = submissions(s3, bucket)
    assert len(stored) == COUNT
    by_reference = {d["reference"]: d for d in stored.values()}
    for i, reference in references.items():
        assert by_reference[reference]["answers"]["description"] == f"Report number {i}"


def test_concurrent_retries_of_one_submission_store_it_once(server, s3, bucket):
    body = json_body(token="the-same-token")
    results = run_together(20, lambda i: post(server, body, JSON))
    assert {status for status, _, _ in results} <= {200, 201}
    assert len({json.loads(b)["reference"] for _, _, b in results}) == 1
    assert len(submissions(s3, bucket)) == 1
