"""Issue 15 A and C, the last paths to the terminal: `sitegen serve`'s rebuild
messages, `sitegen publish`'s plan, and the receiver's log lines show text from
outside (file names, S3 keys and error codes, form ids from the path) with its
control characters escaped; a preview rebuild that the disk fails, and a busy
--port, are messages, never tracebacks.
"""
from __future__ import annotations

import contextlib
import http.server
import io
import logging
import resource
import shutil
import socket
import subprocess
import sys
import threading
import time
import unicodedata
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import boto3
import pytest
from botocore.config import Config
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from rawhttp import HOST, answers_json, exchange, free_port, head, wait_until_answering, write_schemas
from sitegen.cli import main
from sitegen.errors import Problem
from sitegen.intake.config import IntakeSettings
from sitegen.intake.core import Request, make_receiver
from sitegen.intake.wsgi import IntakeApp, make_wsgi_server
from sitegen.publish.headers import headers_for
from sitegen.publish.local import LocalFile
from sitegen.publish.plan import NEW, Plan, Upload
from sitegen.publish.report import plan_lines
from sitegen.serve import BuildVersion, Preview, rebuild, report_failure

SITES = Path(__file__).parent / "sites"
BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
RETITLE, CLEAR, FAKE_LINE = "\x1b]0;owned\x07", "\x1b[2J", "\rAll good.\n"
ATTACKS = [RETITLE, CLEAR, FAKE_LINE, "\x9b2J", "\u202eevil", "\x85next", "\u2028"]


def dangerous(ch: str) -> bool:
    """What a terminal acts on: C0 but tab, DEL, C1, bidi controls, line and paragraph separators."""
    return (unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch != "\t") or ord(ch) in BIDI


def raw_controls(output: str) -> list[str]:
    """The dangerous characters in OUTPUT, less the line ends that are ours."""
    return [ch for ch in output if dangerous(ch) and ch != "\n"]


def assert_lines_clean(lines: list[str]) -> None:
    """Each of LINES (one message or log line) holds nothing a terminal acts on, a line feed included."""
    for line in lines:
        assert not any(dangerous(ch) for ch in line), repr(line)


controls = st.sampled_from([chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *BIDI, 0x2028, 0x2029)])
hostile_text = st.lists(st.one_of(controls, st.text(max_size=3), st.sampled_from(ATTACKS)), min_size=1,
                        max_size=8).map("".join)


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))


# --- sitegen serve: rebuild problems -------------------------------------------------------------

@given(st.lists(st.tuples(hostile_text, hostile_text), min_size=1, max_size=4))
@settings(max_examples=100, deadline=None)
def test_a_failed_preview_rebuild_prints_each_problem_on_one_clean_line(problems):
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        report_failure([Problem(path, 3, 1, message) for path, message in problems])
    lines = stderr.getvalue().split("\n")
    assert lines[-1] == "" and len(lines) == len(problems) + 2   # a line per problem, then "Build failed..."
    assert_lines_clean(lines)


@pytest.mark.parametrize("attack", [RETITLE, FAKE_LINE, "\u202eevil"])
def test_a_preview_rebuild_shows_a_hostile_file_name_escaped(site, attack, capsys):
    news = site / "content" / "areas" / "north-ward" / "news"
    (news / f"bad{attack}.md").write_text("---\ntitle: Bad\n---\nA control character \x1b here.\n")
    assert not rebuild(site, site / "build", date(2026, 11, 28), BuildVersion())
    shown = capsys.readouterr().err
    assert not raw_controls(shown), shown
    assert f"bad{attack.encode('unicode_escape').decode()}.md:" in shown


# --- sitegen serve: a disk that fails during a rebuild -------------------------------------------

def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


class Printed:
    """A subprocess's stdout and stderr, collected by a thread (a pipe: no file-size limit applies)."""

    def __init__(self, process: subprocess.Popen):
        self.text, self.process = "", process
        self.thread = threading.Thread(target=self._collect, daemon=True)
        self.thread.start()

    def _collect(self) -> None:
        for line in self.process.stdout:
            self.text += line

    def wait_for(self, words: str, seconds: float = 60.0, after: int = 0) -> bool:
        """Whether WORDS is printed (past character AFTER) within SECONDS."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if words in self.text[after:]:
                return True
            time.sleep(0.1)
        return False


def limit_file_size(pid: int, size: int | None) -> None:
    """Let process PID write regular files up to SIZE bytes (None: without limit), like a full disk."""
    _, hard = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (hard if size is None else size, hard))


def test_a_disk_failure_in_a_preview_rebuild_is_a_message_and_serving_goes_on(site):
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "sitegen.cli", "serve", "--site", str(site), "--port",
                                str(port), "--build-date", "2026-11-28"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
    printed = Printed(process)
    page = site / "content" / "pages" / "about.md"
    try:
        wait_until_answering(f"http://{HOST}:{port}/", process, timeout=120)
        assert printed.wait_for("Built ")
        home = fetch(f"http://{HOST}:{port}/")
        for size in (0, 2048):   # nothing at all, then a little: the disk fills at different points
            mark = len(printed.text)
            limit_file_size(process.pid, size)
            page.write_text(page.read_text() + "\nMore.\n")
            assert printed.wait_for("Build failed; still serving the last good build.", after=mark), printed.text
            limit_file_size(process.pid, None)
            assert "save a file to build again" in printed.text[mark:]
            assert fetch(f"http://{HOST}:{port}/") == home   # the last good build, still served
        mark = len(printed.text)
        page.write_text(page.read_text() + "\nAgain.\n")
        assert printed.wait_for("Built ", after=mark), printed.text   # the watcher lived on
    finally:
        process.terminate()
        process.wait(timeout=20)
        printed.thread.join(timeout=5)
    assert "Traceback" not in printed.text, printed.text


def test_a_preview_of_a_site_that_never_built_serves_its_problems_until_it_builds(site, tmp_path, capsys):
    """No stock 'File not found' and no 'still serving the last good build' when there is none: a
    503 page lists the problems (escaped), the terminal says 'no build yet', and the next good build
    is served."""
    broken = site / "content" / "areas" / "north-ward" / "news" / "bad<b>&.md"
    broken.write_text("---\ntitle: Bad\n---\nA control character \x1b here.\n")
    preview = Preview(site, tmp_path / "build", 0, date(2026, 11, 28))
    try:
        assert "no build yet" in capsys.readouterr().err
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(preview.url + "areas/", timeout=10)
        page = refused.value.read().decode()
        assert refused.value.code == 503 and "File not found" not in page
        assert "bad&lt;b&gt;&amp;.md:" in page and "<b>" not in page
        broken.unlink()   # the watcher rebuilds
        deadline = time.monotonic() + 60
        while not (tmp_path / "build").is_dir() and time.monotonic() < deadline:
            time.sleep(0.2)
        with urllib.request.urlopen(preview.url + "areas/north-ward/", timeout=10) as answer:
            assert answer.status == 200 and "Test Police" in answer.read().decode()
    finally:
        preview.stop()


# --- sitegen serve: a port it cannot listen on ---------------------------------------------------

@pytest.mark.parametrize("holder", ["127.0.0.1", "0.0.0.0"])
def test_serve_on_a_busy_port_is_a_located_problem_and_exit_2(site, holder):
    with socket.create_server((holder, 0)) as busy:
        port = busy.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--site", str(site), "--port", str(port)])
    assert result.exit_code == 2, result.output   # a usage problem: choose another --port
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert f"127.0.0.1:{port}: cannot listen here (" in result.output and "--port" in result.output
    assert not (site / "build").exists()   # refused before building


# --- sitegen publish: the plan -------------------------------------------------------------------

names = st.lists(hostile_text.map(lambda text: f"media/{text}.png"), min_size=1, max_size=4, unique=True)


@given(uploads=names, deletes=names, where=hostile_text)
@settings(max_examples=100, deadline=None)
def test_the_publish_plan_shows_names_and_keys_escaped(uploads, deletes, where):
    files = [LocalFile(path, 1, "0" * 32, headers_for(path)) for path in uploads]
    plan = Plan(tuple(Upload(file, NEW) for file in files), tuple(deletes), ())
    lines = plan_lines(plan, ["/" + name for name in deletes], where)
    assert_lines_clean(lines)
    assert len(lines) == 1 + 1 + len(uploads) + 1 + len(deletes) + 1 + len(deletes) + 1


def test_publish_dry_run_prints_hostile_file_names_and_keys_escaped(tmp_path, moto_endpoint, aws_env):
    s3 = boto3.client("s3", endpoint_url=moto_endpoint)
    bucket = f"sitegen-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    for attack in (RETITLE, CLEAR, "\x9b2J", "\u202eevil"):   # (moto cannot route a key holding CR LF)
        s3.put_object(Bucket=bucket, Key=f"site/old{attack}.txt", Body=b"stale")
    (tmp_path / "site.yaml").write_text("name: Test Police\nbase_url: https://police.example/\n")
    build = tmp_path / "build"
    (build / "media").mkdir(parents=True)
    (build / "index.html").write_text("<!doctype html><title>Home</title><h1>Home</h1>")
    hostile = [build / "media" / f"photo{attack}.png" for attack in ATTACKS]
    for path in hostile:
        path.write_bytes(b"\x89PNG\r\n")
    args = ["publish", "--site", str(tmp_path), "--endpoint-url", moto_endpoint, "--bucket", bucket,
            "--prefix", "site", "--dry-run", "--allow-shrink"]
    refused = CliRunner().invoke(main, args)   # such names are refused (sitefiles.name_fault), shown escaped
    assert refused.exit_code == 1 and not raw_controls(refused.output), refused.output
    assert "photo\\x1b]0;owned\\x07.png: the name holds a control character" in refused.output
    for path in hostile:
        path.unlink()
    result = CliRunner().invoke(main, args)    # the bucket's own stale keys are listed escaped
    assert result.exit_code == 0, result.output
    assert not raw_controls(result.output), result.output
    assert "delete  old\\x1b[2J.txt" in result.output


# --- the receiver's log lines --------------------------------------------------------------------

SECRET = "0123456789abcdef" * 4


class Lines(logging.Handler):
    """Every message logged to sitegen.intake while in use."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def intake_lines() -> Iterator[Lines]:
    logger = logging.getLogger("sitegen.intake")
    lines, level = Lines(), logger.level
    logger.addHandler(lines)
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(lines)
        logger.setLevel(level)


def receiver_for(schemas: Path, endpoint: str, retries: int = 0):
    client = boto3.session.Session().client(
        "s3", endpoint_url=endpoint, aws_access_key_id="testing", aws_secret_access_key="testing",
        region_name="us-east-1", config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=2,
                                               read_timeout=5))
    settings = IntakeSettings(bucket="any-bucket", endpoint_url=endpoint, region="us-east-1", schemas=str(schemas),
                              site_url="https://police.example/", secret=SECRET, retries=retries,
                              backoff_seconds=0.01, rate_per_minute=0)
    return make_receiver(settings, client=client)


@pytest.fixture(scope="module")
def schemas(tmp_path_factory) -> Path:
    return write_schemas(tmp_path_factory.mktemp("schemas"))


@pytest.fixture(scope="module")
def receiver(schemas, moto_endpoint):
    return receiver_for(schemas, moto_endpoint)


@given(form_id=st.one_of(hostile_text, hostile_text.map(lambda text: "note" + text)),
       method=st.sampled_from(["POST", "GET", "OPTIONS"]))
@example(form_id="note\n", method="POST")   # a well-formed id up to the line feed (`$` matches before it)
@example(form_id="note-2\n", method="GET")
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_receiver_log_lines_never_carry_control_characters_from_the_path(receiver, form_id, method):
    with intake_lines() as lines:
        receiver.handle(Request(method, f"/submit/{form_id}", {"content-type": "application/json"},
                                answers_json()))
    assert lines.messages
    assert_lines_clean(lines.messages)


def test_a_line_feed_in_the_form_id_over_http_is_one_clean_log_line(receiver):
    server = make_wsgi_server(IntakeApp(receiver))
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        with intake_lines() as lines:
            answer = exchange(server.server_address[1], head("2", path="/submit/note%0a") + b"{}")
    finally:
        server.shutdown()
        server.server_close()
    assert answer.status == 404
    assert lines.messages == ["intake form=(malformed) ref=- bytes=0 outcome=unknown_form status=404"]


@contextlib.contextmanager
def s3_answering_with_code(codes: list[str]) -> Iterator[str]:
    """An endpoint on 127.0.0.1 answering every request 503 with S3's error XML, its Code codes[0]."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"   # answers botocore's Expect: 100-continue at once

        def log_message(self, format, *args):
            pass

        def _error(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            body = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{codes[0]}</Code>'
                    "<Message>Please reduce your request rate.</Message></Error>").encode()
            self.send_response(503)
            self.send_header("Content-Type", "application/xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_PUT = do_GET = do_HEAD = do_POST = _error

    server = http.server.ThreadingHTTPServer((HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


xml_hostile = st.lists(st.one_of(st.sampled_from(["\n", "\r\n", "\x85", "\x9b2J", "\u202e", "\u2028", "\x7f"]),
                                 st.text(st.characters(codec="ascii", categories=["L", "N"]), max_size=4)),
                       min_size=1, max_size=6).map("".join)


def test_s3_error_codes_in_the_receivers_log_are_escaped(schemas):
    codes = ["SlowDown"]
    with s3_answering_with_code(codes) as endpoint:
        receiver = receiver_for(schemas, endpoint)

        @given(code=xml_hostile)
        @settings(max_examples=30, deadline=None)
        def check(code):
            codes[0] = code
            with intake_lines() as lines:
                response = receiver.handle(Request("POST", "/submit/note", {"content-type": "application/json"},
                                                   answers_json()))
            assert response.status == 503
            failed = [m for m in lines.messages if m.startswith("intake s3 failed: ClientError")]
            assert failed, lines.messages
            assert_lines_clean(lines.messages)

        check()
        codes[0] = "Slow\nDown intake form=note ref=FAKE-1 bytes=1 outcome=stored status=303"
        with intake_lines() as lines:
            receiver.handle(Request("POST", "/submit/note", {"content-type": "application/json"}, answers_json()))
        assert "intake s3 failed: ClientError Slow\\nDown intake form=note ref=FAKE-1" in lines.messages[0]
