"""Issue 15 B: the local servers give a client a bounded total time for its
request line and headers, however it sends them.

A socket timeout bounds each read, so a client dripping one byte at a time,
each well inside it, held a thread of `sitegen intake serve` for ever (and the
preview had no timeout at all).  Each server runs as a real subprocess with the
total wait shortened to HEAD_SECONDS; clients on 127.0.0.1 drip or stall in
the request line or the headers and must be cut off (408, or the connection
closed) within that time plus scheduling slack, while a client that is slow
but finishes in time is answered as usual.
"""
from __future__ import annotations

import re
import select
import shutil
import socket
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path

import boto3
import pytest

from motoserver import FAKE_AWS_ENV
from rawhttp import HOST, Exchange, ServerProcess, free_port, wait_until_answering, write_schemas

HEAD_SECONDS = 1.0     # the servers' total wait for a request head, shortened from 10 s
DRIP_SECONDS = 0.2     # one byte this often: far inside every per-read timeout (30 s)
SLACK = 3.0            # two shared cores: scheduling, the deadline thread, the answer
GIVE_UP = 8.0          # a client never cut off by now was never going to be (a per-read timeout is 30 s)
SITES = Path(__file__).parent / "sites"

# name -> (bytes sent at once, bytes then dripped one at a time, repeated for ever)
CLIENTS = {
    "a request line dripped": (b"", b"GET /" + b"a" * 50),
    "a request line dripped after a quick start": (b"POST /submit/note HT", b"T"),
    "headers dripped after the request line": (b"GET / HTTP/1.1\r\n", b"X-Drip: " + b"d" * 40 + b"\r\n"),
    "a POST whose headers drip": (b"POST /submit/note HTTP/1.1\r\nContent-Type: application/json\r\n",
                                  b"X-Pad: 1\r\n"),
    "silence after connecting": (b"", b""),
    "silence after half the headers": (b"GET / HTTP/1.1\r\nHost: x\r\nAcc", b""),
}


@dataclass
class Outcome:
    """When the server cut the client off (None: not within GIVE_UP), and what it answered."""

    seconds: float | None
    answer: bytes


def drip(port: int, start: bytes, repeated: bytes) -> Outcome:
    """Send START, then REPEATED a byte every DRIP_SECONDS (or nothing, if empty), until the server
    answers or closes the connection, or GIVE_UP seconds pass."""
    began = time.monotonic()
    sock = socket.create_connection((HOST, port), timeout=GIVE_UP)
    try:
        if start:
            sock.sendall(start)
        dripped = cycle(repeated) if repeated else None
        while time.monotonic() - began < GIVE_UP:
            try:
                if dripped is not None:
                    sock.send(bytes([next(dripped)]))
                readable, _, _ = select.select([sock], [], [], DRIP_SECONDS)
                if readable:
                    return Outcome(time.monotonic() - began, _read_rest(sock))
            except (ConnectionResetError, BrokenPipeError):
                return Outcome(time.monotonic() - began, b"")
        return Outcome(None, b"")
    finally:
        sock.close()


def _read_rest(sock: socket.socket) -> bytes:
    chunks = []
    try:
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    except (ConnectionResetError, TimeoutError):
        pass
    return b"".join(chunks)


def assert_bounded(port: int) -> None:
    """Every CLIENT to PORT, all at once, is cut off within HEAD_SECONDS + SLACK, with a 408 when
    an answer arrives; a slow client that finishes in time is answered normally."""
    with ThreadPoolExecutor(len(CLIENTS) + 1) as pool:
        outcomes = dict(zip(CLIENTS, pool.map(lambda case: drip(port, *case), CLIENTS.values())))
    for name, outcome in outcomes.items():
        assert outcome.seconds is not None, f"{name}: never cut off in {GIVE_UP:g} s"
        assert HEAD_SECONDS - 0.1 <= outcome.seconds <= HEAD_SECONDS + SLACK, \
            f"{name}: cut off after {outcome.seconds:.2f} s"
        if outcome.answer:
            assert re.match(rb"HTTP/1\.[01] 408 ", outcome.answer), f"{name}: {outcome.answer[:80]!r}"
    assert slow_request(port, b"GET /health HTTP/1.0\r\n\r\n", HEAD_SECONDS / 4).status in (200, 404)


def slow_request(port: int, request: bytes, seconds: float) -> Exchange:
    """REQUEST sent a byte at a time over SECONDS, then the whole answer."""
    with socket.create_connection((HOST, port), timeout=10) as sock:
        for byte in request:
            sock.sendall(bytes([byte]))
            time.sleep(seconds / len(request))
        return Exchange(_read_rest(sock), seconds)


def launched(settings: str, module_or_cli: list[str]) -> list[str]:
    """argv running sitegen (['-m', 'sitegen.devserver', ...] or the CLI's arguments) after SETTINGS (Python)."""
    if module_or_cli[0] == "-m":
        module = module_or_cli[1]
        start = f"import runpy; sys.argv[0] = {module!r}; runpy.run_module({module!r}, run_name='__main__')"
        rest = module_or_cli[2:]
    else:
        start = "from sitegen.cli import main; sys.argv[0] = 'sitegen'; main()"
        rest = module_or_cli
    return [sys.executable, "-c", f"import sys; {settings}; {start}", *rest]


SHORT_HEAD = f"from sitegen.localserver import BoundedRequestMixin; BoundedRequestMixin.head_seconds = {HEAD_SECONDS!r}"


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))


def test_sitegen_serve_cuts_off_a_dripping_or_silent_client(site, tmp_path):
    port = free_port()
    server = ServerProcess(launched(SHORT_HEAD, ["serve", "--site", str(site), "--port", str(port),
                                                 "--build-date", "2026-11-28"]), {}, tmp_path / "serve.log")
    try:
        wait_until_answering(f"http://{HOST}:{port}/", server.process, timeout=120)
        assert_bounded(port)
    finally:
        output = server.stop()
    assert "Traceback" not in output


def test_intake_serve_cuts_off_a_dripping_or_silent_client(tmp_path, moto_endpoint):
    bucket = f"bounded-{uuid.uuid4().hex[:12]}"
    boto3.client("s3", endpoint_url=moto_endpoint, region_name="us-east-1", aws_access_key_id="testing",
                 aws_secret_access_key="testing").create_bucket(Bucket=bucket)
    port = free_port()
    argv = launched(SHORT_HEAD, ["intake", "serve", "--host", "localhost", "--port", str(port), "--bucket", bucket,
                                 "--endpoint-url", moto_endpoint, "--schemas", str(write_schemas(tmp_path / "schemas")),
                                 "--site-url", "https://police.example/", "--rate-per-minute", "0"])
    server = ServerProcess(argv, {**FAKE_AWS_ENV, "SITEGEN_INTAKE_SECRET": "ab" * 32}, tmp_path / "intake.log")
    try:
        wait_until_answering(f"http://{HOST}:{port}/health", server.process)
        assert_bounded(port)
    finally:
        output = server.stop()
    assert "Traceback" not in output


def test_make_serve_cuts_off_a_dripping_or_silent_client_on_both_servers(site, tmp_path):
    port = free_port()
    server = ServerProcess(launched(SHORT_HEAD, ["-m", "sitegen.devserver", "--site", str(site), "--port", str(port),
                                                 "--build-date", "2026-11-28"]), {}, tmp_path / "devserver.log")
    try:
        wait_until_answering(f"http://{HOST}:{port}/", server.process, timeout=120)
        receiver_port = int(re.search(r"Forms post to http://127\.0\.0\.1:(\d+)/submit", server.output()).group(1))
        with ThreadPoolExecutor(2) as pool:
            list(pool.map(assert_bounded, (port, receiver_port)))
    finally:
        output = server.stop()
    assert "Traceback" not in output
