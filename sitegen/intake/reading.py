"""Reading the reports bucket for staff: list, show, export and delete reports.

The key layout (storage.py) answers most questions without opening a report:

    <prefix><form>/<yyyy>/<mm>/<dd>/<reference>.json   a report, by the UTC day received
    <prefix>_claims/<form>/<8 characters>.json         reference -> report key (no answers)
    <prefix>_schemas/<form>/<sha256 hex>.json          each schema version reports were answered against
    <prefix>_deletions/<yyyy-mm-dd>.jsonl              who deleted which reference, and when

Listing by day and form reads only keys (one LIST per form, or per form and
day); a ward filter has to open each report.  A report is found by its
reference through its claim.  S3 decrypts SSE-S3 and SSE-KMS objects on GET
for a caller allowed kms:Decrypt, so reading needs no keys of its own.

Question labels come from the schema version a report records
(`form_version`, the SHA-256 of the published schema.json): from
`_schemas/` (written by `sitegen intake keep-schemas` at each deployment), or
the local built schema when its digest matches.  When neither has it, the
question ids stand in for the labels and the output says so.

Everything a resident wrote is passed through `sitegen.terminal.printable`
before it reaches a terminal, and through `csv_cell` before it reaches a CSV.
"""
from __future__ import annotations

import csv
import getpass
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path

from ..errors import Problem, ServiceError, SitegenError
from ..forms.model import CLIENT_TOKEN, HONEYPOT, LANG_FIELD
from ..terminal import printable
from .notify import marker_key
from .references import form_prefix, is_valid, normalise
from .schemas import FORM_ID
from .storage import CLAIMS, encryption_args, error_code, make_client

SCHEMAS = "_schemas"
DELETIONS = "_deletions"
WEEK = 7                  # a --from/--to range shorter than this is listed day by day
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")   # "'" too, so that escaping can be undone
# A formula behind leading whitespace (Unicode spaces, line breaks) or NULs: spreadsheets that trim
# on import (LibreOffice's "Trim spaces", Google Sheets) run it; ASVS 1.2.10 lists the NUL too.
_HIDDEN_FORMULA = re.compile(r"[\s\0]*[=+\-@]|\0")
FIXED_COLUMNS = ("reference", "received", "form", "schema_version")
LANGUAGE_COLUMN = "report_language"   # after them when a report has one: the language to reply in
_HINTS = {   # what staff can do about the S3 failures they meet most
    "NoCredentialsError": "no AWS credentials here: sign in (aws sso login, or the force's way) "
                          "or assume the staff read role",
    "AccessDenied": "the role you are using may not do this (reading needs the staff read role, "
                    "deleting the delete role; with SSE-KMS, kms:Decrypt on the reports key)",
    "NoSuchBucket": "check --bucket (or intake.bucket, SITEGEN_INTAKE_BUCKET) and --region",
    "EndpointConnectionError": "S3 could not be reached: check the network, --region and --endpoint-url",
}
_KEY = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*)/([0-9]{4})/([0-9]{2})/([0-9]{2})/([A-Z0-9-]+)\.json\Z")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")


class NotFound(SitegenError):
    """No report has this reference (exit 1)."""


@dataclass(frozen=True)
class ReportKey:
    """One report as its key names it: form, UTC day received, reference; when S3 wrote it."""

    key: str
    form: str
    day: date
    reference: str
    written: datetime


def parse_key(prefix: str, key: str, written: datetime) -> ReportKey | None:
    """The report KEY names under PREFIX, or None for any other object (claims, schemas, logs)."""
    if not key.startswith(prefix):
        return None
    match = _KEY.match(key[len(prefix):])
    if not match:
        return None
    form, year, month, day, reference = match.groups()
    try:
        received = date(int(year), int(month), int(day))
    except ValueError:
        return None
    return ReportKey(key, form, received, reference, written)


def parse_day(text: str, option: str) -> date:
    """TEXT (YYYY-MM-DD) as a date; SitegenError naming OPTION when it is not one."""
    try:
        if _DAY.match(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise SitegenError([Problem(option, 0, 0, f"{printable(text)!r} is not a day; write it like 2026-11-28")])


def day_range(day: str | None, start: str | None, end: str | None) -> tuple[date | None, date | None]:
    """The first and last UTC day asked for by --day or --from/--to (None: open); SitegenError if mixed."""
    if day and (start or end):
        raise SitegenError([Problem("--day", 0, 0, "give --day, or --from and --to, not both")])
    if day:
        one = parse_day(day, "--day")
        return one, one
    first = parse_day(start, "--from") if start else None
    last = parse_day(end, "--to") if end else None
    if first and last and first > last:
        raise SitegenError([Problem("--to", 0, 0, f"{last} is before --from {first}; swap them")])
    return first, last


def parse_reference(text: str) -> str:
    """TEXT as a reference (Crockford's reading rules); SitegenError (exit 1) when it is not one.

    Copied from an email, a document or a case system it may hold typographic dashes (en dash,
    non-breaking hyphen, minus), full-width letters or zero-width characters: read as typed ones.
    """
    reference = normalise(_plain(text))
    if not reference or not is_valid(reference):
        raise SitegenError([Problem("REFERENCE", 0, 0,
                                    f"{printable(text)!r} is not a report reference; references look like "
                                    "CR-2026-7K4M9Q2XW (letters, the year, nine characters)")])
    return reference


def _plain(text: str) -> str:
    """TEXT in NFKC (full-width letters as ASCII) with every dash as '-' and format characters dropped."""
    folded = unicodedata.normalize("NFKC", text)
    return "".join("-" if unicodedata.category(c) == "Pd" or c == "\u2212" else c for c in folded
                   if unicodedata.category(c) != "Cf")


def csv_cell(text: str) -> str:
    """TEXT safe as a spreadsheet cell: a leading = + - @ tab, CR or ' gets a leading apostrophe,
    and so does = + - @ behind leading whitespace or NULs, or a leading NUL.

    Spreadsheets run a cell starting = + - @ as a formula (CSV injection); the apostrophe
    makes it text.  `csv_uncell` undoes it exactly.
    """
    return "'" + text if _needs_apostrophe(text) else text


def _needs_apostrophe(text: str) -> bool:
    """Whether TEXT starts with a formula character, or one behind whitespace or NULs."""
    return text.startswith(FORMULA_START) or bool(_HIDDEN_FORMULA.match(text))


def csv_uncell(cell: str) -> str:
    """The text `csv_cell` was given for CELL."""
    return cell[1:] if cell.startswith("'") and _needs_apostrophe(cell[1:]) else cell


def answer_text(value: object) -> str:
    """An answer as one line of text: lists joined by '; ', address parts by ', ', numbers as JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(answer_text(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(answer_text(item) for item in value.values() if item not in ("", None))
    return "" if value is None else json.dumps(value)


def version_hex(version: object) -> str:
    """The hex digest of a 'sha256:<hex>' schema version, or '' when it is not one."""
    text = str(version or "")
    digest = text.removeprefix("sha256:")
    return digest if text.startswith("sha256:") and re.fullmatch(r"[0-9a-f]{64}", digest) else ""


def staff_client(service: str, settings):
    """A boto3 client for SERVICE ('s3', 'sts') at SETTINGS' endpoint and region, with botocore's
    standard retries (4 attempts, backoff and jitter): the reading tool is not in a hurry."""
    return make_client(settings, service=service, connect_timeout=5, read_timeout=30, attempts=4)


def reader_for(settings) -> Reader:
    """A Reader for IntakeSettings SETTINGS (bucket, prefix, endpoint, region, schemas, KMS key)."""
    if not settings.bucket:
        raise SitegenError([Problem("SITEGEN_INTAKE_BUCKET", 0, 0, "no bucket: pass --bucket, set "
                                    "intake.bucket in site.yaml or SITEGEN_INTAKE_BUCKET")])
    schemas = Path(settings.schemas) if settings.schemas else None
    return Reader(staff_client("s3", settings), settings.bucket, settings.key_prefix, schemas,
                  settings.kms_key_id)


class Reader:
    """Reports in BUCKET under PREFIX through the S3 CLIENT; SCHEMAS is the local built forms folder.

    S3 failures (after botocore's retries) become ServiceError (exit 3); a missing report NotFound.
    """

    def __init__(self, client, bucket: str, prefix: str = "", schemas: Path | None = None,
                 kms_key_id: str = ""):
        self.client, self.bucket, self.prefix, self.schemas = client, bucket, prefix, schemas
        # Without a key named, no SSE header: the bucket's default encryption applies (the template's
        # bucket denies a put naming SSE-S3 or another key, but not one naming none).
        self.encryption = encryption_args(kms_key_id) if kms_key_id else {}
        self._schema_cache: dict[tuple[str, str], dict | None] = {}

    # ---- S3, with failures made ServiceError ----

    def _s3(self, action: Callable[[], object], what: str):
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            return action()
        except (BotoCoreError, ClientError) as exc:
            code = error_code(exc)
            name = f"{type(exc).__name__} {printable(code)}".rstrip() if code != type(exc).__name__ else code
            hint = _HINTS.get(code or type(exc).__name__, "")
            raise ServiceError(f"s3://{self.bucket}/{printable(what)}",
                               f"S3 failed: {name}{'; ' + hint if hint else ''}") from None

    def _get(self, key: str) -> bytes | None:
        """The bytes at KEY, or None when there is no such object."""
        from botocore.exceptions import ClientError

        def get():
            try:
                return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            except ClientError as exc:
                if exc.response.get("Error", {}).get("Code") in ("NoSuchKey", "404"):
                    return None
                raise
        return self._s3(get, key)

    def _list(self, prefix: str, delimiter: str = "") -> Iterator[dict]:
        """Each ListObjectsV2 page under PREFIX."""
        paginator = self.client.get_paginator("list_objects_v2")
        extra = {"Delimiter": delimiter} if delimiter else {}
        pages = self._s3(lambda: list(paginator.paginate(Bucket=self.bucket, Prefix=prefix, **extra)), prefix)
        yield from pages

    # ---- listing ----

    def forms(self) -> list[str]:
        """The form ids that have reports (the bucket's form folders)."""
        return sorted(self._form_folders(self.prefix))

    def _form_folders(self, under: str) -> list[str]:
        """The names of the folders just UNDER the prefix that are form ids."""
        names = (common["Prefix"][len(under):].rstrip("/")
                 for page in self._list(under, "/") for common in page.get("CommonPrefixes", []))
        return [name for name in names if FORM_ID.match(name)]

    def keys(self, form: str | None = None, first: date | None = None,
             last: date | None = None) -> list[ReportKey]:
        """The reports of FORM (or every form) received FIRST..LAST (UTC days, inclusive), by day and time."""
        found: list[ReportKey] = []
        for form_id in [form] if form else self.forms():
            for prefix in self._day_prefixes(form_id, first, last):
                for page in self._list(prefix):
                    for item in page.get("Contents", []):
                        report = parse_key(self.prefix, item["Key"], item["LastModified"])
                        if report and report.form == form_id and _within(report.day, first, last):
                            found.append(report)
        return sorted(found, key=lambda r: (r.day, r.written, r.reference))

    def _day_prefixes(self, form_id: str, first: date | None, last: date | None) -> list[str]:
        """The prefixes to list for FIRST..LAST: each day's for up to a week, else the longest common
        one (the month's, the year's, or the form's whole folder); `keys` drops days outside."""
        base = f"{self.prefix}{form_id}/"
        if not (first and last):
            return [base]
        if (last - first).days < WEEK:
            return [f"{base}{first + timedelta(days=n):%Y/%m/%d}/" for n in range((last - first).days + 1)]
        for shape in ("%Y/%m/", "%Y/"):
            if f"{first:{shape}}" == f"{last:{shape}}":
                return [f"{base}{first:{shape}}"]
        return [base]

    # ---- one report ----

    def find(self, reference: str) -> dict:
        """REFERENCE's claim ({"reference", "key", "digest"}, with "form" and "claim_key"); else NotFound."""
        body = reference.split("-")[2][:8]
        for form_id in self._claim_forms(reference):
            claim_key = f"{self.prefix}{CLAIMS}/{form_id}/{body}.json"
            raw = self._get(claim_key)
            if raw is None:
                continue
            claim = json.loads(raw)
            if claim.get("reference") == reference:
                return {**claim, "form": form_id, "claim_key": claim_key}
        raise NotFound([Problem(reference, 0, 0, "no report has this reference in "
                                                 f"s3://{self.bucket}/{self.prefix}; check it was read out "
                                                 "right, or whether it was deleted")])

    def _claim_forms(self, reference: str) -> list[str]:
        """The forms with claims, those whose reference prefix is REFERENCE's first."""
        found = self._form_folders(f"{self.prefix}{CLAIMS}/")
        wanted = reference.split("-")[0]
        return sorted(found, key=lambda form: (form_prefix(form, self.current_schema(form)) != wanted, form))

    def document(self, key: str) -> dict:
        """The stored report at KEY; NotFound when it has gone (deleted or expired)."""
        raw = self._get(key)
        if raw is None:
            raise NotFound([Problem(key, 0, 0, "the report's claim is here but the report is not "
                                                "(deleted or past its retention)")])
        return json.loads(raw)

    def documents(self, keys: list[str], workers: int = 8) -> list[dict]:
        """The stored reports at KEYS, in order, WORKERS GETs at a time (an export of a month is
        thousands of GETs: one at a time, tens of milliseconds each, it took minutes)."""
        from concurrent.futures import ThreadPoolExecutor
        if len(keys) < 2:
            return [self.document(key) for key in keys]
        with ThreadPoolExecutor(min(workers, len(keys))) as pool:
            return list(pool.map(self.document, keys))

    def report(self, reference: str) -> dict:
        """The stored report with REFERENCE."""
        return self.document(self.find(reference)["key"])

    # ---- schema versions ----

    def schema_for(self, form: str, version: object) -> dict | None:
        """The schema VERSION of FORM: from `_schemas/`, or the local built one if its digest matches."""
        digest = version_hex(version)
        if not digest or not FORM_ID.match(form):
            return None
        if (form, digest) not in self._schema_cache:
            raw = self._get(f"{self.prefix}{SCHEMAS}/{form}/{digest}.json")
            if raw is None:
                raw = self._local_schema(form, digest)
            self._schema_cache[form, digest] = json.loads(raw) if raw else None
        return self._schema_cache[form, digest]

    def current_schema(self, form: str) -> dict | None:
        """FORM's local built schema (today's questions, for CSV column order), or None."""
        path = self.schemas / form / "schema.json" if self.schemas and FORM_ID.match(form) else None
        return json.loads(path.read_bytes()) if path is not None and path.is_file() else None

    def put_lifecycle(self, configuration: dict) -> None:
        """Put CONFIGURATION ({"Rules": [...]}) on the bucket, replacing its lifecycle rules."""
        self._s3(lambda: self.client.put_bucket_lifecycle_configuration(
            Bucket=self.bucket, LifecycleConfiguration=configuration), "(lifecycle)")

    def _local_schema(self, form: str, digest: str) -> bytes | None:
        path = self.schemas / form / "schema.json" if self.schemas else None
        if path is None or not path.is_file():
            return None
        data = path.read_bytes()
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def keep_schemas(self) -> list[str]:
        """Copy each local built schema into `_schemas/<form>/<sha256>.json` (kept ones untouched).

        Returns the keys written now.  Run at each deployment of the receiver, so every
        version reports are answered against can be read later.
        """
        from botocore.exceptions import ClientError
        if self.schemas is None or not self.schemas.is_dir():
            raise SitegenError([Problem(str(self.schemas), 0, 0, "schema folder not found; run `sitegen "
                                                                  "build` first or pass --schemas DIR")])
        written = []
        for path in sorted(self.schemas.glob("*/schema.json")):
            form = path.parent.name
            if not FORM_ID.match(form):
                continue
            data = path.read_bytes()
            key = f"{self.prefix}{SCHEMAS}/{form}/{hashlib.sha256(data).hexdigest()}.json"

            def put(key=key, data=data) -> bool:
                try:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=data, IfNoneMatch="*",
                                           ContentType="application/json", **self.encryption)
                except ClientError as exc:
                    if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") == 412:
                        return False
                    raise
                return True
            if self._s3(put, key):
                written.append(key)
        return written

    # ---- deletion ----

    def delete(self, reference: str, who: str, when: datetime, claim: dict | None = None) -> dict:
        """Delete REFERENCE's report, claim and re-drive markers, then log it; the log entry.
        CLAIM: find(REFERENCE), when the caller has it (to ask before deleting).

        The entry holds the reference, form, keys, who and when: never an answer.
        """
        claim = claim or self.find(reference)
        keys = [claim["key"], claim["claim_key"], *self._markers(reference)]
        for key in keys:
            self._delete(key)
        entry = {"reference": reference, "form": claim["form"], "deleted": keys, "by": who,
                 "at": _stamp(when)}
        try:
            self._append_log(when, entry)
        except ServiceError as exc:
            line = json.dumps(entry, ensure_ascii=True, sort_keys=True)
            problem = exc.problems[0]
            raise ServiceError(problem.path, f"{reference} IS deleted, but its deletion log line could not "
                                             f"be written ({problem.message}); record this line by hand: "
                                             f"{line}") from None
        return entry

    def _delete(self, key: str) -> None:
        """Delete KEY for good: every version of it when the bucket keeps versions (as docs/intake.md
        advises), since a plain delete there only hides the report behind a delete marker."""
        listing = self._s3(lambda: self.client.list_object_versions(Bucket=self.bucket, Prefix=key), key)
        ids = [item["VersionId"] for group in ("Versions", "DeleteMarkers") for item in listing.get(group, [])
               if item["Key"] == key and item.get("VersionId") not in (None, "null")]
        for version in ids or [""]:
            extra = {"VersionId": version} if version else {}
            self._s3(partial(self.client.delete_object, Bucket=self.bucket, Key=key, **extra), key)

    def _markers(self, reference: str) -> list[str]:
        """REFERENCE's re-drive marker (an announcement not yet sent) when there is one."""
        key = marker_key(self.prefix, reference)
        return [key] if self._get(key) is not None else []

    def _append_log(self, when: datetime, entry: dict, attempts: int = 8) -> str:
        """Append ENTRY to `_deletions/<day>.jsonl` by conditional put (If-Match its ETag, or
        If-None-Match for a new day), reading again when someone else appended first."""
        from botocore.exceptions import ClientError
        key = f"{self.prefix}{DELETIONS}/{when.astimezone(UTC):%Y-%m-%d}.jsonl"
        line = (json.dumps(entry, ensure_ascii=True, sort_keys=True) + "\n").encode("ascii")
        for _ in range(attempts):
            def append() -> bool:
                try:
                    current = self.client.get_object(Bucket=self.bucket, Key=key)
                    body, condition = current["Body"].read(), {"IfMatch": current["ETag"]}
                except ClientError as exc:
                    if exc.response.get("Error", {}).get("Code") not in ("NoSuchKey", "404"):
                        raise
                    body, condition = b"", {"IfNoneMatch": "*"}
                try:
                    self.client.put_object(Bucket=self.bucket, Key=key, Body=body + line,
                                           ContentType="application/x-ndjson", **condition, **self.encryption)
                except ClientError as exc:
                    if exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") in (409, 412):
                        return False
                    raise
                return True
            if self._s3(append, key):
                return key
        raise ServiceError(f"s3://{self.bucket}/{key}", "the deletion log kept changing; "
                                                         f"record this line by hand: {line.decode().strip()}")


def ward_of(document: dict) -> list[str]:
    """The ward slugs a report is about: its `ward` answer (a choice of the form's, as notify.py routes)."""
    answers = _answers(document)
    ward = answers.get("ward")
    return [str(w) for w in ward] if isinstance(ward, list) else [str(ward)] if ward else []


def _answers(document: dict) -> dict:
    answers = document.get("answers")
    return answers if isinstance(answers, dict) else {}


def _within(day: date, first: date | None, last: date | None) -> bool:
    return (first is None or day >= first) and (last is None or day <= last)


def caller_identity(sts_client) -> str:
    """Who is deleting: the AWS caller's ARN, or the local user name when STS cannot say."""
    try:
        return str(sts_client.get_caller_identity()["Arn"])
    except Exception:  # noqa: BLE001 - no STS (a local S3 endpoint): the login name is the best we have
        try:
            return f"local user {getpass.getuser()}"
        except (OSError, KeyError):
            return "unknown local user"


# ---- what is printed ----

def labels(schema: dict | None) -> dict[str, str]:
    """Question id -> label (the schema property's title), in the schema's order."""
    properties = (schema or {}).get("properties", {})
    return {name: str(prop.get("title") or name) if isinstance(prop, dict) else name
            for name, prop in properties.items()}


def render_report(document: dict, schema: dict | None) -> list[str]:
    """DOCUMENT as lines for a terminal: a heading, then each answer under its question's label.

    Labels come from SCHEMA (the version answered against) when known.  Every text is printable():
    an answer's own line breaks become separate indented lines, control characters escapes.
    """
    answers = _answers(document)
    named = labels(schema)
    lines = [f"Reference: {printable(document.get('reference', ''))}",
             f"Form:      {printable(document.get('form', ''))}",
             f"Received:  {printable(document.get('received', ''))}",
             f"Schema:    {printable(document.get('form_version', ''))}"]
    if document.get("language"):   # a site of several languages: reply in the resident's
        lines.insert(3, f"Language:  {printable(str(document['language']))} (reply in this language)")
    if schema is None:
        lines.append("           (this schema version is not kept: question ids shown instead of labels)")
    order = [name for name in named if name in answers] + sorted(set(answers) - set(named))
    for name in order:
        lines.append("")
        lines.append(printable(named.get(name, name)))
        for part in answer_text(answers[name]).split("\n") or [""]:
            lines.append("    " + printable(part))
    return lines


def columns(form: str, schema: dict | None, documents: Iterable[dict]) -> list[str]:
    """FORM's CSV columns: FIXED_COLUMNS (and LANGUAGE_COLUMN when a report has a language: a site of
    several), SCHEMA's question ids in order, then other answer ids sorted."""
    documents = list(documents)
    never = (HONEYPOT, CLIENT_TOKEN, LANG_FIELD)   # never stored as answers
    named = [name for name in labels(schema) if name not in never]
    extra = sorted({name for d in documents for name in (d.get("answers") or {}) if name not in named})
    language = [LANGUAGE_COLUMN] if any(d.get("language") for d in documents) else []
    return [*FIXED_COLUMNS, *language, *named, *extra]


def csv_text(header: list[str], documents: Iterable[dict]) -> str:
    """The CSV (RFC 4180, CRLF) of DOCUMENTS under HEADER, every cell through csv_cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    fixed_count = len(FIXED_COLUMNS) + (header[len(FIXED_COLUMNS):][:1] == [LANGUAGE_COLUMN])
    for document in documents:
        answers = document.get("answers") or {}
        fixed = [document.get("reference", ""), document.get("received", ""), document.get("form", ""),
                 document.get("form_version", ""), document.get("language", "")][:fixed_count]
        row = [*fixed, *(answer_text(answers.get(name)) for name in header[fixed_count:])]
        writer.writerow([csv_cell(str(cell)) for cell in row])
    return out.getvalue()


def for_terminal(text: str) -> str:
    """TEXT (an export) as it may be shown on a terminal: each line through printable(), so escapes
    and bidi overrides show as \\x1b, \\u202e; its line breaks (a cell's too) stay line breaks."""
    return "\n".join(printable(line.removesuffix("\r")) for line in text.split("\n"))


def jsonl_line(document: dict) -> str:
    """DOCUMENT as one JSON Lines line: the stored JSON on one line, non-ASCII as \\u escapes."""
    return json.dumps(document, ensure_ascii=True, separators=(",", ":")) + "\n"   # inert on a terminal


# ---- what the commands print ----

def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def list_lines(reader: Reader, day: str | None, start: str | None, end: str | None, form: str | None,
               ward: str | None, language: str | None = None) -> Iterator[str]:
    """'REFERENCE  TIME  FORM' per report chosen (TIME: when S3 stored it, UTC).

    Day and form are answered from keys; WARD and LANGUAGE open each report (its `ward`
    answer, its `language`), and then each line ends with the report's language, if it has one.
    """
    first, last = day_range(day, start, end)
    reports = reader.keys(_form_id(form), first, last)
    if not (ward or language):
        for report in reports:
            yield f"{report.reference}  {_stamp(report.written)}  {report.form}"
        return
    # the reports fetched 8 at a time, as export does
    for report, document in zip(reports, reader.documents([r.key for r in reports]), strict=True):
        said = str(document.get("language") or "")
        if (not ward or ward in ward_of(document)) and (not language or said == language):
            yield f"{report.reference}  {_stamp(report.written)}  {report.form}" + (
                f"  {printable(said)}" if said else "")


def export_text(reader: Reader, fmt: str, day: str | None, start: str | None, end: str | None,
                form: str | None) -> str:
    """The reports chosen as CSV (one form: SitegenError when they span several) or JSON Lines."""
    first, last = day_range(day, start, end)
    chosen = reader.keys(_form_id(form), first, last)
    documents = reader.documents([report.key for report in chosen])
    if fmt == "jsonl":
        return "".join(jsonl_line(document) for document in documents)
    forms = sorted({report.form for report in chosen})
    if len(forms) > 1:
        raise SitegenError([Problem("--form", 0, 0, "a CSV holds one form's reports; pass --form with one "
                                                    f"of: {', '.join(forms)} (or use --format jsonl)")])
    form_id = forms[0] if forms else (form or "")
    current = reader.current_schema(form_id)
    return csv_text(columns(form_id, current, documents), documents)


def _form_id(form: str | None) -> str | None:
    if form is not None and not FORM_ID.match(form):
        raise SitegenError([Problem("--form", 0, 0, f"{printable(form)!r} is not a form id; "
                                                    "form ids look like report-crime")])
    return form
