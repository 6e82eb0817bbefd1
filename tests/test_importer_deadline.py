"""The importer's HTTP client: a total deadline per request and a size cap, against
a real server on 127.0.0.1 that drips its answer a byte at a time."""
from __future__ import annotations

import json
import ssl
import time

import pytest

from sitegen.errors import EXIT_SERVICE, ServiceError
from sitegen.importers.http import HttpClient, RetryPolicy

try:
    from feedserver import FeedServer, self_signed_certificate
except ImportError:  # tests/ is a package
    from tests.feedserver import FeedServer, self_signed_certificate

ANSWER = json.dumps([{"id": "E05000026", "name": "Abbey"}]).encode()


def client(server, seconds: float, attempts: int = 1) -> HttpClient:
    return HttpClient(server.url("/api"), timeout=seconds, policy=RetryPolicy(attempts=attempts),
                      sleep=lambda _seconds: None)


def failure(api: HttpClient, path: str) -> tuple[ServiceError, float]:
    started = time.monotonic()
    with pytest.raises(ServiceError) as caught:
        api.get_json(path)
    return caught.value, time.monotonic() - started


@pytest.mark.parametrize("drip_head", [False, True], ids=["body", "status line and headers"])
def test_a_dripping_server_is_cut_off_at_the_deadline_with_exit_3_naming_the_url(feed_server, drip_head):
    # One byte every 0.2 s never trips the 1-second socket timeout, and the whole answer would take 8 s.
    feed_server.add("/api/forces", body=ANSWER + b" " * 20, drip=0.2, drip_head=drip_head,
                    content_type="application/json")
    error, took = failure(client(feed_server, 1.0), "/forces")
    assert took < 2.5
    assert error.exit_code == EXIT_SERVICE
    expected = "no answer within 1 second" if drip_head else \
        "the answer was still arriving after 1 second, the limit for a whole request"
    assert str(error) == f"{feed_server.url('/api/forces')}: {expected}; gave up after 1 attempts"


def test_every_attempt_has_its_own_deadline_and_the_total_is_bounded(feed_server):
    feed_server.add("/api/forces", body=ANSWER, drip=0.2, content_type="application/json")
    error, took = failure(client(feed_server, 0.5, attempts=3), "/forces")
    assert "gave up after 3 attempts" in str(error)
    assert len(feed_server.seen("/api/forces")) == 3
    assert took < 3.0


def test_a_slow_answer_within_the_deadline_is_read_whole(feed_server):
    feed_server.add("/api/forces", body=ANSWER, drip=0.005, content_type="application/json")
    assert client(feed_server, 5.0).get_json("/forces") == json.loads(ANSWER)


@pytest.mark.parametrize("send_length", [True, False], ids=["Content-Length", "no length"])
def test_an_answer_over_the_size_cap_is_refused(feed_server, send_length):
    feed_server.add("/api/big", body=b"[" + b"1," * 5000 + b"1]", send_length=send_length,
                    content_type="application/json")
    api = client(feed_server, 5.0)
    api.max_bytes = 1000
    error, _ = failure(api, "/big")
    assert str(error) == f"{feed_server.url('/api/big')}: the answer is larger than 1,000 bytes; refusing it"
    assert error.exit_code == EXIT_SERVICE


@pytest.fixture
def tls_api(tmp_path, monkeypatch):
    """A FeedServer speaking TLS on 127.0.0.1 with a certificate the system store is told to trust."""
    cert, key = self_signed_certificate(tmp_path, "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # read by OpenSSL's default verify paths
    server = FeedServer(tls=context).start()
    yield server
    server.stop()


def test_the_deadline_holds_over_https_too(tls_api):
    def https(path: str) -> str:
        return tls_api.url(path).replace("http://", "https://")

    tls_api.add("/api/fast", body=ANSWER, content_type="application/json")
    tls_api.add("/api/forces", body=ANSWER + b" " * 20, drip=0.2, content_type="application/json")
    api = HttpClient(https("/api"), timeout=1.0, policy=RetryPolicy(attempts=1), sleep=lambda _seconds: None)
    assert api.get_json("/fast") == json.loads(ANSWER)
    error, took = failure(api, "/forces")
    assert took < 2.5
    assert str(error) == (f"{https('/api/forces')}: the answer was still arriving after 1 second, "
                          "the limit for a whole request; gave up after 1 attempts")
