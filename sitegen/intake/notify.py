"""One message per stored report to the force's queue or topic, routed by form and ward.

A message (JSON, at most a few hundred bytes) carries only what routes a report and
finds it in S3, never an answer that identifies a person:

    {"reference": "CR-2026-7K4M9Q2XW", "form": "report-crime", "form_version": "sha256:...",
     "bucket": "force-reports", "key": "web-forms/report-crime/2026/11/28/CR-2026-7K4M9Q2XW.json",
     "received": "2026-11-28T10:15:30.123Z", "routing": {"crime_type": "theft", "ward": "abbey"}}

and, on a site of several languages, `"language": "cy"`: the language the report was answered in,
which the force replies in (Welsh Language Standards); also a message attribute for filtering.

`routing` holds the answers to routing questions only: questions named in the
`routing_fields` setting (default `ward`, `crime_type`) or marked `x-sitegen-routing` in the
schema, AND whose answer is one of a fixed list of options (radios, select, checkboxes):
such an answer is a value the form's author wrote, never something a person typed.  A
free-text address, a name or an email never qualifies, whatever it is called.

`routing.ward` may also come from an address question marked `x-sitegen-routing: ward` (the
form's `routing: ward`, on where the thing happened): its postcode part is looked up in the
site's postcode lookup (wards.py) and the ward sent only when the postcode lies in exactly one
ward of the site.  The postcode and every other part of the address are never sent.

The destination is an SQS queue URL (`https://sqs.`...) or an SNS topic ARN
(`arn:aws:sns:`...): the first route whose form and ward match (`*` matches any), else
`notify`.  FIFO queues and topics (`.fifo`) get the reference as MessageDeduplicationId.

S3 is the outbox (so a receiver killed between storing and sending loses nothing):

1. right after a NEW reference claim and BEFORE the report is put, a marker (the message and
   its destination, no answers) is written to `<prefix>_unannounced/<reference>.json`
   (`Announcer.record`; the reference is only known once claimed);
2. the report is put; 3. the message is sent, retried with backoff;
4. the marker is deleted once sent, and kept when the send fails or the put failed.

A retry of a stored report (claim found, report already there) writes no marker and sends
nothing.  `sitegen intake redrive` sends a marker's message only when the report it names
exists (HEAD), then deletes the marker; a marker whose report is missing is deleted unsent once
older than GRACE (the receiver died or S3 failed before the put), and kept while younger.
Delivery is at least once (AWS's model; a redrive racing a live receiver may send twice):
consumers dedupe by reference.
"""
from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem
from ..terminal import printable
from .storage import Stored, error_code, make_client, retrying
from .words import current

if TYPE_CHECKING:
    from .config import IntakeSettings
    from .schemas import FormSchema
    from .storage import S3Writer
    from .wards import WardLookup

LOG = logging.getLogger("sitegen.intake")
UNANNOUNCED = "_unannounced"     # beside _claims: a form id never starts with '_', so no report lives here
SQS_URL = re.compile(r"^https://(?:sqs\.[a-z0-9-]+|[a-z0-9-]+\.queue)\.amazonaws\.com(?:\.cn)?/[0-9]{12}/[A-Za-z0-9_-]{1,80}(?:\.fifo)?\Z")
SNS_ARN = re.compile(r"^arn:aws(?:-[a-z]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(?:\.fifo)?\Z")
LOCAL_SQS_URL = re.compile(  # moto or ElasticMQ on this machine
    r"^https?://(?:127\.0\.0\.1|localhost)(?::[0-9]{1,5})?/[0-9]{12}/[A-Za-z0-9_-]{1,80}(?:\.fifo)?\Z")
SLUG = re.compile(r"^(?:\*|[a-z0-9]+(?:-[a-z0-9]+)*)\Z")
CHOICE_TYPES = ("radios", "select", "checkboxes")
DEFAULT_ROUTING_FIELDS = ("ward", "crime_type")
MAX_ROUTING_VALUE = 100          # characters: option values are short slugs
_RETRYABLE_STATUS = {408, 429, 500, 502, 503, 504}
MAX_SEND_RETRIES = 2             # 3 attempts of at most 1 s + 3 s: the resident waits; a marker loses nothing
GRACE = timedelta(minutes=15)    # a marker with no report this old was never stored: Lambda's limit is 15 min


@dataclass(frozen=True)
class Route:
    """One routing rule: reports of FORM (or '*') about WARD (or '*') go TO a queue or topic."""

    form: str
    ward: str
    to: str

    def matches(self, form_id: str, ward: str) -> bool:
        """Whether a report of FORM_ID about WARD ('' when none) takes this route."""
        return self.form in ("*", form_id) and self.ward in ("*", ward)


# ---- settings ----

def destination_problem(value: str) -> str:
    """What is wrong with VALUE as a destination, in plain words, or ''."""
    if SNS_ARN.match(value) or SQS_URL.match(value) or LOCAL_SQS_URL.match(value):
        return ""
    if value.startswith("arn:aws:sqs:"):
        return "this is a queue's ARN; give its URL (aws sqs get-queue-url --queue-name NAME)"
    return (f"expected an SQS queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME) or an SNS "
            f"topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME), found {printable(value)[:200]!r}")


def parse_routes(value: object, where: str) -> tuple[tuple[Route, ...], list[Problem]]:
    """Routes from VALUE (a list of {form, ward, to}, or its JSON text from the environment).

    Returns (routes, problems); each problem is located as WHERE[i].key.
    """
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return (), [Problem(where, 0, 0, "expected a JSON list of {form, ward, to} rules")]
    if not isinstance(value, list):
        return (), [Problem(where, 0, 0, "expected a list of rules like {form: report-crime, ward: '*', "
                                          "to: https://sqs...}")]
    routes, problems = [], []
    for index, rule in enumerate(value):
        here = f"{where}[{index}]"
        if not isinstance(rule, dict):
            problems.append(Problem(here, 0, 0, "expected a mapping with form, ward and to"))
            continue
        unknown = sorted(set(map(str, rule)) - {"form", "ward", "to"})
        if unknown:
            problems.append(Problem(f"{here}.{unknown[0]}", 0, 0,
                                    "unknown key; a rule has form, ward and to"))
        form, ward, to = (str(rule.get(k, "*") if k != "to" else rule.get(k, "")).strip()
                          for k in ("form", "ward", "to"))
        for key, slug in (("form", form), ("ward", ward)):
            if not SLUG.match(slug):
                problems.append(Problem(f"{here}.{key}", 0, 0, f"expected an id like abbey-road or *, "
                                                                f"found {printable(slug)[:100]!r}"))
        problem = destination_problem(to)
        if problem:
            problems.append(Problem(f"{here}.to", 0, 0, problem))
        routes.append(Route(form, ward, to))
    return tuple(routes), problems


def parse_names(value: object) -> tuple[str, ...]:
    """A list of names from a YAML list or a comma-separated string (the environment)."""
    items = value.split(",") if isinstance(value, str) else value if isinstance(value, list) else [value]
    return tuple(str(item).strip() for item in items if str(item).strip())


def parse_flag(value: object) -> bool:
    """True/False from YAML or the environment ('true', 'yes', '1' / 'false', 'no', '0'); else ValueError."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1", "on"):
        return True
    if text in ("false", "no", "0", "off"):
        return False
    raise ValueError(value)


# ---- messages ----

def is_choice(prop: object) -> bool:
    """Whether a schema property is a question answered from a fixed list of options."""
    return isinstance(prop, dict) and prop.get("x-sitegen-type") in CHOICE_TYPES


def routing_fields(form: FormSchema, names: Iterable[str]) -> list[str]:
    """FORM's questions whose answers may be sent: choice questions named in NAMES or marked routing."""
    chosen = set(names)
    return [name for name, prop in form.schema.get("properties", {}).items()
            if is_choice(prop) and (name in chosen or prop.get("x-sitegen-routing") is True)]


def options(form: FormSchema, name: str) -> set[str]:
    """The option values of choice question NAME, from its checks wherever the schema keeps them
    (the property itself, or an if/then rule when the question is asked only sometimes)."""
    found: set[str] = set()
    places = [form.schema.get("properties", {}).get(name)]
    places += [rule.get("then", {}).get("properties", {}).get(name)
               for rule in form.schema.get("allOf", []) if isinstance(rule, dict)]
    for place in places:
        if isinstance(place, dict):
            items = place.get("items")
            enum = place.get("enum", items.get("enum", []) if isinstance(items, dict) else [])
            found.update(value for value in enum or [] if isinstance(value, str))
    return found


def was_asked(form: FormSchema, name: str, answers: Mapping[str, object]) -> bool:
    """Whether question NAME was asked: every if/then rule governing it holds for ANSWERS.

    An answer to a question that was not asked is not checked by the schema (as in the
    browser), so it may hold anything: it is never used.
    """
    from jsonschema import Draft202012Validator
    for rule in form.schema.get("allOf", []):
        governed = rule.get("then", {}).get("properties", {}) if isinstance(rule, dict) else {}
        if name in governed and not Draft202012Validator(rule.get("if", {})).is_valid(dict(answers)):
            return False
    return True


def ward_questions(form: FormSchema) -> list[str]:
    """FORM's address questions marked `x-sitegen-routing: ward`: their postcode gives the ward."""
    return [name for name, prop in form.schema.get("properties", {}).items()
            if isinstance(prop, dict) and prop.get("x-sitegen-type") == "address"
            and prop.get("x-sitegen-routing") == "ward"]


def address_ward(form: FormSchema, answers: Mapping[str, object], wards: WardLookup | None) -> str:
    """The one ward of the postcode given to FORM's first asked ward question, or '' (no lookup,
    no postcode, a postcode unknown or in more than one ward)."""
    for name in ward_questions(form) if wards is not None else []:
        answer = answers.get(name)
        if isinstance(answer, dict) and was_asked(form, name, answers):
            return wards.ward(answer.get("postcode")) if wards is not None else ""
    return ""


def routing_values(form: FormSchema, answers: Mapping[str, object],
                   names: Iterable[str], wards: WardLookup | None = None) -> dict[str, object]:
    """The answers to FORM's routing questions (see routing_fields) that were asked and are among the
    question's options, and `ward` from a marked address's postcode by WARDS (when no choice question
    gave one); every other answer is left out."""
    values: dict[str, object] = {}
    ward = address_ward(form, answers, wards)
    if ward:
        values["ward"] = ward
    for name in routing_fields(form, names):
        answer, allowed = answers.get(name), options(form, name)
        if not was_asked(form, name, answers):
            continue
        if isinstance(answer, str) and answer in allowed and len(answer) <= MAX_ROUTING_VALUE:
            values[name] = answer
        elif isinstance(answer, list) and answer and all(a in allowed for a in answer) \
                and all(isinstance(a, str) and len(a) <= MAX_ROUTING_VALUE for a in answer):
            values[name] = list(answer)[:20]
    return values


def build_message(form: FormSchema, stored: Stored, received: datetime, bucket: str,
                  answers: Mapping[str, object], names: Iterable[str] = DEFAULT_ROUTING_FIELDS,
                  wards: WardLookup | None = None) -> dict:
    """The announcement of a STORED report (see the module docstring): no answer but routing ones;
    on a site of several languages, the `language` it was answered in (the force replies in it)."""
    message = {
        "reference": stored.reference,
        "form": form.form_id,
        "form_version": form.version,
        "bucket": bucket,
        "key": stored.key,
        "received": received.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "routing": routing_values(form, answers, names, wards),
    }
    if form.languages:
        message["language"] = current().code
    return message


def destination(message: Mapping, routes: Iterable[Route], default: str) -> str:
    """The queue URL or topic ARN for MESSAGE: the first matching route, else DEFAULT ('' for none)."""
    ward = message.get("routing", {}).get("ward", "")
    ward = ward if isinstance(ward, str) else ""
    for route in routes:
        if route.matches(str(message.get("form", "")), ward):
            return route.to
    return default


# ---- sending ----

class SendFailed(Exception):
    """A message could not be sent after retries; its text is the error class and code only."""


class Sender:
    """Sends messages to SQS or SNS with retries; clients made once, on first use (thread-safe)."""

    def __init__(self, settings: IntakeSettings, sleep: Callable[[float], None] = time.sleep,
                 factory: Callable[[str], object] | None = None):
        self.settings, self.sleep = settings, sleep
        self.factory = factory or (lambda service: aws_client(service, settings))
        self._clients: dict[str, object] = {}
        self._lock = threading.Lock()

    def client(self, service: str):
        """The boto3 client for SERVICE ('sqs' or 'sns')."""
        with self._lock:
            if service not in self._clients:
                self._clients[service] = self.factory(service)
            return self._clients[service]

    def send(self, to: str, message: Mapping) -> None:
        """Send MESSAGE to TO (queue URL or topic ARN); SendFailed after min(retries, 2) retries."""
        body = json.dumps(message, ensure_ascii=True, sort_keys=True)
        attributes = {name: {"DataType": "String", "StringValue": str(value)}
                      for name, value in (("form", message["form"]),
                                          ("ward", message.get("routing", {}).get("ward", "")),
                                          ("language", message.get("language", "")))
                      if isinstance(value, str) and value}
        fifo = {"MessageGroupId": str(message["form"]), "MessageDeduplicationId": str(message["reference"])} \
            if to.endswith(".fifo") else {}
        if to.startswith("arn:"):
            self._retrying(lambda: self.client("sns").publish(TopicArn=to, Message=body,
                                                              MessageAttributes=attributes, **fifo))
        else:
            self._retrying(lambda: self.client("sqs").send_message(QueueUrl=to, MessageBody=body,
                                                                   MessageAttributes=attributes, **fifo))

    def _retrying(self, action: Callable[[], object]) -> None:
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            retrying(action, min(self.settings.retries, MAX_SEND_RETRIES), self.settings.backoff_seconds,
                     self.sleep, _RETRYABLE_STATUS)
        except (BotoCoreError, ClientError, OSError) as exc:
            raise SendFailed(describe(exc)) from None


def aws_client(service: str, settings: IntakeSettings):
    """A boto3 client for SERVICE with short timeouts (the resident is waiting) and botocore's retries off."""
    return make_client(settings, service=service, connect_timeout=1, read_timeout=3)


def describe(exc: Exception | None) -> str:
    """EXC's class and AWS error code, like 'ClientError AWS.SimpleQueueService.NonExistentQueue'
    (storage.describe, the code left out when it only repeats the class), safe to log."""
    code, name = error_code(exc), type(exc).__name__
    return printable(f"{name}{f' {code}' if code and code != name else ''}")[:200]


def marker_key(prefix: str, reference: str) -> str:
    """Where the unsent message of REFERENCE waits for re-drive."""
    return f"{prefix}{UNANNOUNCED}/{reference}.json"


def marker_body(message: Mapping, to: str, error: str = "") -> bytes:
    """A marker's JSON: {"message": MESSAGE, "to": TO, "error": why the last send failed, or ''}."""
    return json.dumps({"message": message, "to": to, "error": error}).encode("utf-8")


class Announcer:
    """The outbox (see the module docstring): `record` before the put, then call after it.

    Calling never raises: the report is stored, and the resident's answer must not depend on the queue.
    """

    def __init__(self, settings: IntakeSettings, writer: S3Writer, sender: Sender | None = None):
        self.settings, self.writer = settings, writer
        self.sender = sender or Sender(settings)
        from .wards import WardLookup, default_source  # its size is checked now: a bad file stops start-up
        self.wards = WardLookup(Path(settings.postcodes) if settings.postcodes
                                else default_source(settings.schemas))
        # Clients are made now (Lambda's init phase), not by the first resident's request.
        for to in {settings.notify, *(route.to for route in settings.routes)} - {""}:
            self.sender.client("sns" if to.startswith("arn:") else "sqs")

    def record(self, form: FormSchema, reference: str, key: str, received: datetime,
               answers: Mapping) -> None:
        """Write the marker of the report REFERENCE about to be put at KEY (the outbox's first step).

        Raises StorageUnavailable when S3 cannot take it: the report is then not put either.
        """
        message = build_message(form, Stored(reference, key, True), received, self.settings.bucket, answers,
                                self.settings.routing_fields, self.wards)
        to = destination(message, self.settings.routes, self.settings.notify)
        if to:
            self.writer.put_new(marker_key(self.settings.key_prefix, reference), marker_body(message, to))

    def __call__(self, form: FormSchema, stored: Stored, received: datetime, answers: Mapping) -> None:
        """Announce STORED, which this request wrote, and delete its marker once sent."""
        message = build_message(form, stored, received, self.settings.bucket, answers,
                                self.settings.routing_fields, self.wards)
        try:
            self.announce(message)
        except Exception as exc:  # noqa: BLE001 - the report is stored; never fail the resident
            LOG.error("intake notify failed ref=%s error=%s", printable(stored.reference), describe(exc))

    def announce(self, message: Mapping) -> None:
        """Send MESSAGE to its destination, then delete its marker; when sending fails, keep the marker
        (writing it if `record` did not: a report claimed by an earlier attempt whose marker is gone)."""
        to = destination(message, self.settings.routes, self.settings.notify)
        if not to:
            return
        key = marker_key(self.settings.key_prefix, str(message["reference"]))
        try:
            self.sender.send(to, message)
        except SendFailed as exc:
            LOG.warning("intake notify deferred ref=%s error=%s", printable(message["reference"]), exc)
            self.writer.put_new(key, marker_body(message, to, str(exc)))
            return
        try:
            self.writer.client.delete_object(Bucket=self.writer.bucket, Key=key)
        except Exception as exc:  # noqa: BLE001 - sent: a marker left behind is sent again (at least once)
            LOG.warning("intake marker kept ref=%s error=%s", printable(message["reference"]), describe(exc))


def report_exists(client, bucket: str, key: str) -> bool:
    """Whether KEY is in BUCKET.  Asked by listing (s3:ListBucket), not HEAD, which would need
    s3:GetObject on reports: whoever re-drives announcements never needs to read one."""
    if not key:
        return False
    found = client.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1).get("Contents", [])
    return bool(found) and found[0]["Key"] == key


def utc_now() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def redrive(settings: IntakeSettings, client, sender: Sender | None = None,
            report: Callable[[str, str], None] = lambda reference, outcome: None,
            now: Callable[[], datetime] = utc_now, grace: timedelta = GRACE) -> tuple[int, int]:
    """Send the messages waiting under <prefix>_unannounced/ whose report is stored, deleting each
    marker once sent.

    A marker whose report does not exist is deleted unsent once older than GRACE (by its
    LastModified against NOW()), and kept while younger (its receiver may still be putting it).
    The destination is worked out again from the current settings (a fixed queue URL takes
    effect).  REPORT(reference, 'sent'|error|what was done) is called for each.  Returns
    (sent, failed); a marker whose send failed is kept for the next run.
    """
    sender = sender or Sender(settings)
    prefix = f"{settings.key_prefix}{UNANNOUNCED}/"
    sent = failed = 0
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=settings.bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            marker = json.loads(client.get_object(Bucket=settings.bucket, Key=item["Key"])["Body"].read())
            message = marker["message"]
            if not report_exists(client, settings.bucket, str(message.get("key", ""))):
                if now() - item["LastModified"] < grace:
                    report(str(message.get("reference", "")), "not stored yet: kept")
                    continue
                client.delete_object(Bucket=settings.bucket, Key=item["Key"])
                report(str(message.get("reference", "")), "never stored: marker deleted, nothing sent")
                continue
            to = destination(message, settings.routes, settings.notify) or str(marker.get("to", ""))
            try:
                sender.send(to, message)
            except SendFailed as exc:
                failed += 1
                report(str(message.get("reference", "")), str(exc))
                continue
            client.delete_object(Bucket=settings.bucket, Key=item["Key"])
            sent += 1
            report(str(message.get("reference", "")), "sent")
    return sent, failed
