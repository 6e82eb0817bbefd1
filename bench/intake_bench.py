"""Print how many form submissions a second the receiver stores, with p50/p99 latency.

    .venv/bin/python bench/intake_bench.py [--requests N] [--concurrency C] [--notify]

Everything runs on 127.0.0.1: moto's S3 server as a subprocess (see
sitegen/devserver.py), the example site's schemas built into a temporary folder,
and a bounded number of requests (default 400 per row) from C threads
(default 8).  Rows, side by side:

  validate only         parse + jsonschema, no S3: the receiver's own cost
  S3 put only (peer)    one plain put_object per submission: the floor S3 sets
  WSGI app, JSON        the WSGI app called in-process; JSON bodies
  WSGI app, form        the same with form-urlencoded bodies (the HTML form)
  HTTP server, form     through the threaded wsgiref server over loopback HTTP
  (--notify) SQS send only (peer)  one plain send_message per report: the floor moto's SQS sets
  (--notify) ... + SQS  the two WSGI rows again, announcing each report to moto's SQS
                        through the S3 outbox (a marker put before the report, deleted once sent)
  (--notify) ... + SQS, no outbox  the same without the marker (how it was before the outbox):
                        the outbox's cost is the difference, measured in the same run

A stored submission is two conditional puts (claim, then the report), so the
receiver's rows sit near half the peer's rate when S3 is the bottleneck.
Figures only; nothing is asserted.  Expect ±20% between runs on a 2-core machine.
"""
from __future__ import annotations

import argparse
import http.client
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import date
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from sitegen.devserver import MotoProcess, s3_client, use_fake_aws  # noqa: E402
from sitegen.intake.answers import field_errors, parse  # noqa: E402
from sitegen.intake.config import IntakeSettings  # noqa: E402
from sitegen.intake.core import make_receiver  # noqa: E402
from sitegen.intake.schemas import SchemaStore  # noqa: E402
from sitegen.intake.wsgi import IntakeApp, serve_in_thread  # noqa: E402

SITEGEN = Path(sys.executable).parent / "sitegen"
ANSWERS = {
    "crime_type": "theft", "description": "Someone took my bike from outside the library.",
    "incident_date": "2026-11-20", "location_type": "street", "location": {"line1": "Station Parade", "town": "Barking"},
    "loss": ["stolen"], "items": "Blue bicycle", "items_value": 350, "suspect_known": "no", "vehicle_involved": "no",
    "witnesses": "no", "reporter_role": "victim", "full_name": "Alex Example",
    "home_address": {"line1": "1 High Street", "town": "Barking", "postcode": "IG11 8AA"},
    "contact_methods": ["email"], "email": "alex@example.com", "safe_times": ["morning"],
}
PAIRS = [("crime_type", "theft"), ("description", "Someone took my bike from outside the library."),
         ("incident_date-day", "20"), ("incident_date-month", "11"), ("incident_date-year", "2026"),
         ("location_type", "street"), ("location-line1", "Station Parade"), ("location-town", "Barking"),
         ("loss", "stolen"), ("items", "Blue bicycle"), ("items_value", "350"), ("suspect_known", "no"),
         ("vehicle_involved", "no"), ("witnesses", "no"), ("reporter_role", "victim"), ("full_name", "Alex Example"),
         ("home_address-line1", "1 High Street"), ("home_address-town", "Barking"),
         ("home_address-postcode", "IG11 8AA"), ("contact_methods", "email"), ("email", "alex@example.com"),
         ("safe_times", "morning"), ("website", "")]


def json_body(i: int) -> bytes:
    return json.dumps({**ANSWERS, "client_token": f"bench-{uuid.uuid4().hex}-{i}", "website": ""}).encode()


def form_body(i: int) -> bytes:
    return urlencode(PAIRS + [("client_token", f"bench-{uuid.uuid4().hex}-{i}")]).encode()


def build_schemas(workdir: Path) -> Path:
    """The example site's forms/ folder, built into WORKDIR."""
    out = workdir / "build"
    subprocess.run([str(SITEGEN), "build", "--site", str(ROOT), "--out", str(out), "--state", str(workdir / "state"),
                    "--build-date", "2026-11-28"], check=True, capture_output=True)
    return out / "forms"


def timed(count: int, concurrency: int, action) -> tuple[float, list[float]]:
    """Run ACTION(i) COUNT times from CONCURRENCY threads: (seconds, latencies)."""
    def one(i):
        started = time.perf_counter()
        action(i)
        return time.perf_counter() - started
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        latencies = list(pool.map(one, range(count)))
    return time.perf_counter() - started, latencies


def call_app(app: IntakeApp, body: bytes, content_type: str) -> int:
    """One request through the WSGI app in-process; its status."""
    environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/submit/report-crime", "CONTENT_TYPE": content_type,
               "CONTENT_LENGTH": str(len(body)), "REMOTE_ADDR": "127.0.0.1", "wsgi.input": io.BytesIO(body)}
    seen = []
    b"".join(app(environ, lambda status, headers: seen.append(int(status.split()[0]))))
    if seen[0] not in (201, 303):
        raise RuntimeError(f"status {seen[0]}")
    return seen[0]


def post_http(port: int, body: bytes) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("POST", "/submit/report-crime", body, {"Content-Type": "application/x-www-form-urlencoded"})
    status = connection.getresponse().status
    connection.close()
    if status != 303:
        raise RuntimeError(f"status {status}")
    return status


def row(name: str, seconds: float, latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"{name:<32} {len(latencies):>8} {seconds:>8.2f} {len(latencies) / seconds:>9.1f} "
            f"{statistics.median(ordered) * 1000:>8.1f} {p99 * 1000:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="Requests per row (default 400).")
    parser.add_argument("--concurrency", type=int, default=8, help="Client threads (default 8).")
    parser.add_argument("--notify", action="store_true",
                        help="Also the WSGI rows with notification on (one SQS message per report).")
    args = parser.parse_args()
    use_fake_aws()
    with tempfile.TemporaryDirectory(prefix="intake-bench-") as tmp:
        schemas = build_schemas(Path(tmp))
        moto = MotoProcess().start()
        try:
            run_rows(moto.endpoint, schemas, args.requests, args.concurrency, args.notify)
        finally:
            moto.stop()


def run_rows(endpoint: str, schemas: Path, count: int, concurrency: int, notify: bool = False) -> None:
    client = s3_client(endpoint)
    settings = IntakeSettings(endpoint_url=endpoint, region="us-east-1", schemas=str(schemas), secret="bench",
                              rate_per_minute=0, max_connections=max(10, concurrency * 2))
    form = SchemaStore(schemas).get("report-crime")
    print(f"{count} requests per row, {concurrency} client threads, moto S3 at {endpoint}")
    print(f"{'':<32} {'requests':>8} {'seconds':>8} {'per sec':>9} {'p50 ms':>8} {'p99 ms':>8}")
    validator = form.validator(date(2026, 11, 28))

    def validate(i: int) -> None:
        answers = parse(form_body(i), "application/x-www-form-urlencoded", form.schema)
        if field_errors(validator, answers, form.properties, form.messages):
            raise RuntimeError("the bench's answers are invalid")
    print(row("validate only", *timed(count, concurrency, validate)))
    rows = [("S3 put only (peer)", None), ("WSGI app, JSON", "json"), ("WSGI app, form", "form"),
            ("HTTP server, form", "http")]
    rows += [("WSGI app, JSON + SQS, no outbox", "json"), ("WSGI app, JSON + SQS", "json"),
             ("WSGI app, form + SQS, no outbox", "form"), ("WSGI app, form + SQS", "form")] if notify else []
    if notify:
        print(row("SQS send only (peer)", *_sqs_peer(endpoint, settings, count, concurrency)))
    for name, kind in rows:
        bucket = f"bench-{uuid.uuid4().hex[:12]}"
        client.create_bucket(Bucket=bucket)
        queue = _queue(endpoint) if "+ SQS" in name else ""
        app = IntakeApp(make_receiver(replace(settings, bucket=bucket, notify=queue), client=client))
        if name.endswith("no outbox"):
            app.receiver.announcer = _without_outbox(app.receiver.announcer)
        server, _ = serve_in_thread(app) if kind == "http" else (None, "")
        try:
            print(row(name, *timed(count, concurrency, _action(kind, app, client, bucket, server))))
        finally:
            if server is not None:
                server.shutdown()
                server.server_close()
        _check_stored(client, bucket, count, 1 if kind is None else 2)
        if queue:
            _check_announced(endpoint, queue, count)


def _action(kind: str | None, app: IntakeApp, client, bucket: str, server):
    """What one request of a row does."""
    if kind is None:
        return lambda i: client.put_object(Bucket=bucket, Key=f"peer/{i}.json", Body=json_body(i),
                                           ServerSideEncryption="AES256", ContentType="application/json")
    if kind == "json":
        return lambda i: call_app(app, json_body(i), "application/json")
    if kind == "form":
        return lambda i: call_app(app, form_body(i), "application/x-www-form-urlencoded")
    return lambda i: post_http(server.server_address[1], form_body(i))


def _queue(endpoint: str) -> str:
    """A new queue in moto's SQS: its URL."""
    import boto3
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
    return sqs.create_queue(QueueName=f"bench-{uuid.uuid4().hex[:12]}")["QueueUrl"]


def _without_outbox(announcer):
    """ANNOUNCER as it was before the outbox: no marker before the put, none to delete after the send."""
    from sitegen.intake.notify import Announcer, SendFailed, destination

    class NoOutbox(Announcer):
        def record(self, *args, **kwargs) -> None:
            pass

        def announce(self, message) -> None:
            to = destination(message, self.settings.routes, self.settings.notify)
            try:
                self.sender.send(to, message)
            except SendFailed:
                pass
    return NoOutbox(announcer.settings, announcer.writer, announcer.sender)


def _sqs_peer(endpoint: str, settings: IntakeSettings, count: int, concurrency: int):
    """COUNT plain sends of a typical announcement to a new queue: (seconds, latencies)."""
    from sitegen.intake.notify import Sender
    queue, sender = _queue(endpoint), Sender(settings)
    message = {"reference": "CR-2026-7K4M9Q2XW", "form": "report-crime", "routing": {"crime_type": "theft"}}
    sender.client("sqs")
    return timed(count, concurrency, lambda i: sender.send(queue, message))


def _check_announced(endpoint: str, queue: str, count: int) -> None:
    import boto3
    sqs = boto3.client("sqs", endpoint_url=endpoint, region_name="us-east-1")
    waiting = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["ApproximateNumberOfMessages"])
    found = int(waiting["Attributes"]["ApproximateNumberOfMessages"])
    if found != count:
        print(f"  !! expected {count} messages on the queue, found {found}")


def _check_stored(client, bucket: str, count: int, per_submission: int) -> None:
    keys = sum(len(page.get("Contents", [])) for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket))
    if keys != count * per_submission:
        print(f"  !! expected {count * per_submission} objects, found {keys}")


if __name__ == "__main__":
    main()
