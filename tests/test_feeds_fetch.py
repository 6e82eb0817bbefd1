"""One fetch against a real server on 127.0.0.1: statuses, limits, redirects, addresses, TLS."""
from __future__ import annotations

import socket
import ssl
import threading
import time

import pytest

from sitegen.feeds.deadlines import Deadlines
from sitegen.feeds.fetch import FetchError, Limits, Network, Request, fetch, plain_connect

try:
    from feedserver import FeedServer, rss, self_signed_certificate
except ImportError:  # tests/ is a package
    from tests.feedserver import FeedServer, rss, self_signed_certificate

LOCAL = Limits(connect_timeout=1, read_timeout=1, max_bytes=2 * 1024 * 1024, max_redirects=3, allow_private=True)
PUBLIC_LOOKING = "93.184.216.34"  # what the stub resolver claims for public names; never contacted


SYSTEM_NETWORK = Network()


def get(url: str, limits: Limits = LOCAL, network: Network = SYSTEM_NETWORK, **request) -> object:
    return fetch(Request(url, "sitegen-test (+https://police.example/; Example Police)", **request), limits, network)


def test_a_good_feed_comes_back_with_its_validators(feed_server):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"', headers={"Last-Modified": "Mon, 02 Nov 2026 10:00:00 GMT"})
    response = get(url)
    assert response.status == 200 and response.body == rss()
    assert response.headers["etag"] == '"v1"'
    assert response.headers["last-modified"] == "Mon, 02 Nov 2026 10:00:00 GMT"
    sent = feed_server.seen("/abbey.rss")[0].headers
    assert sent["user-agent"].startswith("sitegen-test") and "Example Police" in sent["user-agent"]
    assert "if-none-match" not in sent


def test_conditional_headers_are_sent_and_304_has_no_body(feed_server):
    url = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    response = get(url, etag='"v1"', last_modified="Mon, 02 Nov 2026 10:00:00 GMT")
    assert response.status == 304 and response.body == b""
    sent = feed_server.seen("/abbey.rss")[0].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Mon, 02 Nov 2026 10:00:00 GMT"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_error_statuses_come_back_without_reading_the_body(feed_server, status):
    url = feed_server.add("/e", status=status, body=b"<rss>not for us</rss>", headers={"Retry-After": "120"})
    response = get(url)
    assert response.status == status and response.body == b""
    assert response.headers["retry-after"] == "120"


def test_a_redirect_chain_is_followed_up_to_the_limit(feed_server):
    feed_server.add("/feed.rss", body=rss())
    feed_server.add("/r3", status=308, headers={"Location": "/feed.rss"})
    feed_server.add("/r2", status=302, headers={"Location": feed_server.url("/r3")})
    first = feed_server.add("/r1", status=301, headers={"Location": "r2"})
    response = get(first)
    assert response.status == 200 and response.url == feed_server.url("/feed.rss")
    feed_server.add("/r0", status=301, headers={"Location": "/r1"})
    with pytest.raises(FetchError, match="more than 3 redirects"):
        get(feed_server.url("/r0"))


@pytest.mark.parametrize("location", ["javascript:alert(1)", "ftp://127.0.0.1/feed", "file:///etc/passwd",
                                      "data:text/xml,<rss/>"])
def test_redirects_to_other_schemes_are_refused(feed_server, location):
    url = feed_server.add("/r", status=302, headers={"Location": location})
    with pytest.raises(FetchError, match="only http and https"):
        get(url)


def test_a_redirect_without_location_fails(feed_server):
    with pytest.raises(FetchError, match="without a Location"):
        get(feed_server.add("/r", status=301))


def test_a_declared_big_body_is_refused_before_reading(feed_server):
    url = feed_server.add("/big", body=b"x" * 5_000_000)
    with pytest.raises(FetchError, match="larger than the 2,097,152 byte limit"):
        get(url)


def test_an_undeclared_big_body_is_cut_off_while_streaming(feed_server):
    url = feed_server.add("/big", body=b"<rss>" + b"x" * 5_000_000, send_length=False)
    with pytest.raises(FetchError, match="larger than the 2,097,152 byte limit$"):
        get(url)


def test_a_slow_server_times_out_at_the_read_timeout(feed_server):
    url = feed_server.add("/slow", body=rss(), delay=3)
    started = time.monotonic()
    with pytest.raises(FetchError, match="timed out"):
        get(url)
    assert time.monotonic() - started < 2.5  # read timeout 1 s; the server would take 3 s


def test_a_dripping_server_is_cut_off_at_the_deadline(feed_server):
    url = feed_server.add("/drip", body=rss(), drip=0.2)  # a byte every 0.2 s: no single read times out
    started = time.monotonic()
    with pytest.raises(FetchError, match="took longer than 2 seconds"):
        get(url)
    assert time.monotonic() - started < 4


def test_compressed_bodies_are_refused(feed_server):
    url = feed_server.add("/gz", body=b"\x1f\x8b...", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="Content-Encoding"):
        get(url)


@pytest.mark.parametrize("url, message", [
    ("ftp://news.example/feed", "only http and https"),
    ("http://user:secret@news.example/feed", "no user name or password"),
    ("http://news.example:99999/feed", "not a valid URL"),
    ("http:///feed", "needs a host name"),
])
def test_bad_urls_are_refused_without_a_connection(url, message):
    with pytest.raises(FetchError, match=message):
        get(url, network=_no_traffic())


def test_nothing_listens_is_a_failure(feed_server):
    port = feed_server.port
    feed_server.stop()
    with pytest.raises(FetchError, match="refused|Error"):
        get(f"http://127.0.0.1:{port}/feed")


# --- private addresses: a stub resolver, and a connector that only ever reaches 127.0.0.1 ------------

class _StubNet:
    """Resolves names from a table; connects only to PUBLIC_LOOKING, by going to the local server."""

    def __init__(self, names: dict[str, list[str]], server: FeedServer | None = None):
        self.names, self.server, self.connected = names, server, []

    def resolve(self, host: str, port: int) -> list[str]:
        return self.names[host]

    def connect(self, address: str, port: int, timeout: float) -> socket.socket:
        self.connected.append(address)
        assert address == PUBLIC_LOOKING and self.server is not None, f"tried to connect to {address}"
        return plain_connect("127.0.0.1", self.server.port, timeout)

    def network(self) -> Network:
        return Network(resolve=self.resolve, connect=self.connect)


def _no_traffic() -> Network:
    def refuse(*args):
        raise AssertionError(f"no connection expected: {args}")
    return Network(resolve=refuse, connect=refuse)


PUBLIC_ONLY = Limits(connect_timeout=1, read_timeout=1, max_redirects=3, allow_private=False)


@pytest.mark.parametrize("addresses", [["10.0.0.7"], ["169.254.169.254"], ["127.0.0.1"], ["::1"],
                                       ["fd00::1"], [PUBLIC_LOOKING, "192.168.1.20"]])
def test_names_resolving_to_private_addresses_are_refused(addresses):
    stub = _StubNet({"feeds.example": addresses})
    with pytest.raises(FetchError, match="private, loopback or link-local"):
        get("http://feeds.example/abbey.rss", PUBLIC_ONLY, stub.network())
    assert stub.connected == []


def test_private_ip_literals_are_refused_without_a_connection():
    def refuse(*args):
        raise AssertionError("no connection expected")
    with pytest.raises(FetchError, match="refused: 10.1.2.3 is a private"):
        get("http://10.1.2.3/feed", PUBLIC_ONLY, Network(connect=refuse))


def test_every_redirect_is_checked_after_resolution(feed_server):
    feed_server.add("/hop", status=302, headers={"Location": "http://metadata.internal/latest/"})
    stub = _StubNet({"feeds.example": [PUBLIC_LOOKING], "metadata.internal": ["169.254.169.254"]}, feed_server)
    with pytest.raises(FetchError, match="metadata.internal resolves to 169.254.169.254"):
        get(f"http://feeds.example:{feed_server.port}/hop", PUBLIC_ONLY, stub.network())
    assert stub.connected == [PUBLIC_LOOKING]


def test_a_public_name_connects_to_the_checked_address_with_its_own_host_header(feed_server):
    feed_server.add("/abbey.rss", body=rss())
    stub = _StubNet({"feeds.example": [PUBLIC_LOOKING]}, feed_server)
    response = get(f"http://feeds.example:{feed_server.port}/abbey.rss", PUBLIC_ONLY, stub.network())
    assert response.status == 200
    assert stub.connected == [PUBLIC_LOOKING]
    assert feed_server.seen("/abbey.rss")[0].headers["host"] == f"feeds.example:{feed_server.port}"


# --- TLS: a local server with a certificate made for the test ----------------------------------------

@pytest.fixture
def tls_server(tmp_path):
    cert, key = self_signed_certificate(tmp_path, "feeds.localtest")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    server = FeedServer(tls=context).start()
    yield server, cert
    server.stop()


def test_https_verifies_the_certificate_against_the_host_name(tls_server):
    server, cert = tls_server
    server.add("/abbey.rss", body=rss())
    names = {"feeds.localtest": ["127.0.0.1"]}
    trusting = Network(resolve=lambda host, port: names[host], ssl_context=ssl.create_default_context(cafile=str(cert)))
    response = get(f"https://feeds.localtest:{server.port}/abbey.rss", network=trusting)
    assert response.status == 200 and response.body == rss()
    with pytest.raises(FetchError, match="TLS failed"):
        get(f"https://feeds.localtest:{server.port}/abbey.rss", network=Network(resolve=lambda h, p: names[h]))


def test_deadlines_run_due_actions_and_skip_cancelled_ones():
    deadlines, done, called = Deadlines(), threading.Event(), []
    token = deadlines.schedule(time.monotonic() + 0.05, lambda: called.append("cancelled"))
    deadlines.cancel(token)
    deadlines.schedule(time.monotonic() + 0.1, done.set)
    assert done.wait(10)
    assert called == []


def test_validators_that_are_not_plain_text_are_not_sent_back(feed_server):
    url = feed_server.add("/abbey.rss", body=rss())
    assert get(url, etag='"v1"\r\nX-Injected: yes', last_modified="Mon\x00day").status == 200
    sent = feed_server.seen("/abbey.rss")[0].headers
    assert "if-none-match" not in sent and "if-modified-since" not in sent and "x-injected" not in sent


def test_paths_with_spaces_and_non_ascii_are_percent_encoded(feed_server):
    feed_server.add("/caf%C3%A9%20news.rss", body=rss())
    assert get(feed_server.url("/café news.rss")).status == 200
