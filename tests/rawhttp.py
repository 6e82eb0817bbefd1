"""Raw HTTP for the hardening and privacy tests: requests written byte by byte on
a socket (stalls, half requests, resets, garbage), a small self-contained form
schema, and `sitegen intake serve` as a subprocess whose whole output is kept.

(No tests here; imported by test_intake_hardening.py and test_server_privacy.py.)
"""
from __future__ import annotations

import json
import os
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
SITEGEN = Path(sys.executable).parent / "sitegen"
FORM_ID = "note"
# Text that must never reach a log: an answer and a client token.
ANSWER = "Alex-Private-Answer-7731"
TOKEN = "tok-private-5512"
NOTE_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "$id": "https://police.example/forms/note/schema.json",
    "type": "object",
    "additionalProperties": False,
    "required": ["message"],
    "properties": {
        "message": {"type": "string", "minLength": 1, "maxLength": 2000, "title": "Your message"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "client_token": {"type": "string", "maxLength": 200},
        "website": {"type": "string", "maxLength": 0},
    },
}


def write_schemas(folder: Path) -> Path:
    """FOLDER/note/schema.json (a one-question form); returns FOLDER."""
    (folder / FORM_ID).mkdir(parents=True, exist_ok=True)
    (folder / FORM_ID / "schema.json").write_text(json.dumps(NOTE_SCHEMA), encoding="utf-8")
    return folder


def head(length: bytes | str | None, content_type: str = "application/json", path: str = f"/submit/{FORM_ID}") -> bytes:
    """A POST's request line and headers, with Content-Length LENGTH (None: no such header)."""
    lines = [f"POST {path} HTTP/1.1", "Host: receiver.test", f"Content-Type: {content_type}", "Connection: close"]
    raw = "\r\n".join(lines).encode("latin-1") + b"\r\n"
    if length is not None:
        raw += b"Content-Length: " + (length.encode("latin-1") if isinstance(length, str) else length) + b"\r\n"
    return raw + b"\r\n"


def answers_json(message: str = ANSWER, **extra) -> bytes:
    """A JSON answers document for the note form, with the private token."""
    return json.dumps({"message": message, "client_token": TOKEN, "website": "", **extra}).encode("utf-8")


@dataclass
class Exchange:
    """What a raw client got back, and how long the server took to answer."""

    response: bytes
    seconds: float

    @property
    def status(self) -> int:
        """The response's status code, or 0 when there was no status line."""
        parts = self.response.split(b"\r\n", 1)[0].split()
        return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0

    def header(self, name: str) -> str:
        """The first value of header NAME, or ''."""
        head_part = self.response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
        for line in head_part.split("\r\n")[1:]:
            key, _, value = line.partition(":")
            if key.strip().lower() == name.lower():
                return value.strip()
        return ""


def exchange(port: int, data: bytes, *, then: str = "read", stall: float = 0.0, timeout: float = 20.0,
             source: str = HOST) -> Exchange:
    """Send DATA to HOST:PORT from SOURCE, wait STALL seconds, then:

    'read': read the answer; 'half': close our side for writing, then read the answer;
    'close': close without reading; 'reset': abort the connection (TCP RST) without reading.
    """
    started = time.monotonic()
    sock = socket.create_connection((HOST, port), timeout=timeout, source_address=(source, 0))
    try:
        if data:
            sock.sendall(data)
        if stall:
            time.sleep(stall)
        if then == "reset":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return Exchange(b"", time.monotonic() - started)
        if then == "close":
            return Exchange(b"", time.monotonic() - started)
        if then == "half":
            sock.shutdown(socket.SHUT_WR)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except (ConnectionResetError, TimeoutError):
            pass
        return Exchange(b"".join(chunks), time.monotonic() - started)
    finally:
        sock.close()


def wait_until_answering(url: str, process: subprocess.Popen, timeout: float = 60.0) -> None:
    """Wait until URL answers; fail with the process's output if it exits first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer within {timeout}s")


def free_port() -> int:
    """A loopback TCP port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class ServerProcess:
    """A server subprocess whose stdout and stderr go to one file, read at the end."""

    def __init__(self, argv: list[str], env: dict, log: Path):
        self.log = log
        self._file = log.open("wb")
        self.process = subprocess.Popen(argv, stdout=self._file, stderr=subprocess.STDOUT, env={**os.environ, **env})

    def output(self) -> str:
        """Everything printed so far."""
        self._file.flush()
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> str:
        """Stop the server (as Ctrl-C or a service manager would) and return all it printed."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._file.close()
        return self.log.read_text(encoding="utf-8", errors="replace")


def intake_serve(schemas: Path, bucket: str, endpoint: str, log: Path, env: dict, header_timeout: float = 0) -> tuple[ServerProcess, int]:
    """`sitegen intake serve` on a free port, listening on 'localhost' so that its own banner names no
    address; HEADER_TIMEOUT (seconds, 0: the server's own 30) shortens the wait for stalled headers.

    The wait is the request handler's socket timeout, a class attribute: with HEADER_TIMEOUT the
    command runs through `python -c` with that attribute set first, otherwise as the `sitegen` script.
    """
    port = free_port()
    args = ["intake", "serve", "--host", "localhost", "--port", str(port), "--bucket", bucket, "--endpoint-url",
            endpoint, "--schemas", str(schemas), "--site-url", "https://police.example/", "--rate-per-minute", "0"]
    if header_timeout:
        launcher = (f"import sys; from sitegen.intake import wsgi; wsgi.QuietHandler.timeout = {header_timeout!r}; "
                    "from sitegen.cli import main; sys.argv[0] = 'sitegen'; main()")
        argv = [sys.executable, "-c", launcher, *args]
    else:
        argv = [str(SITEGEN), *args]
    server = ServerProcess(argv, env, log)
    wait_until_answering(f"http://{HOST}:{port}/health", server.process)
    return server, port
