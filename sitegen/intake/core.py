"""The receiver: one core behind two doors (wsgi.py and lambda_handler.py).

`POST /submit/<form-id>` with a JSON or form-urlencoded body, checked in this
order, each refusal storing nothing:

    unknown path or form         404        method other than POST/OPTIONS  405
    content type not accepted    415        body over the limit             413
    Content-Length not a number  400        body unreadable or incomplete   400
    honeypot filled / answers invalid       422 (JSON) or 303 back
    S3 failing after retries     503 with Retry-After
    anything unexpected (a bug)  500, logged by exception type only
    stored                       303 to done/?ref= or JSON

JSON requests get JSON answers.  Form posts (the HTML form, with or without
JavaScript) get a 303: to `forms/<id>/done/?ref=REF` when stored, or back to
`forms/<id>/?errors=name1,name2#problem` when refused, which the form page
shows in its error summary; a refused post made without JavaScript (no client
token) gets 422 and a page listing each problem instead (answer_problems.py).  Log lines carry the form,
reference, size and outcome, never an answer.
"""
from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import SitegenError
from ..terminal import printable
from .answer_problems import problems_page, without_javascript
from .answers import (
    FORM,
    JSON,
    BadBody,
    FieldError,
    field_errors,
    honeypot_filled,
    idempotency_digest,
    media_type,
    parse,
    stored_answers,
)
from .config import IntakeSettings
from .notify import utc_now
from .responses import Response, empty, json_response, page_response, redirect
from .schemas import FORM_ID, FormSchema, SchemaStore
from .storage import StorageUnavailable, SubmissionStore
from .words import (
    BAD_LENGTH,
    DEFAULT_VOICE,
    INCOMPLETE,
    NO_LENGTH,
    NOT_FOUND,
    NOT_READ,
    SERVER_ERROR,
    TOO_LARGE,
    TOO_MANY,
    UNAVAILABLE,
    UNKNOWN_FORM,
    WRONG_METHOD,
    WRONG_TYPE,
    current,
    say,
    speaking,
)

if TYPE_CHECKING:
    from .notify import Announcer

LOG = logging.getLogger("sitegen.intake")
SUBMIT_PATH = re.compile(r"^/submit/([^/]+)/?\Z")
RETRY_AFTER_UNAVAILABLE = "30"
ASCII_DIGITS = re.compile(r"[0-9]+")    # not str.isdigit(), which also takes '²' and other scripts' digits
MAX_LENGTH_DIGITS = 18                  # more digits than this is more than any body limit
MAX_DEPTH = 32                          # nesting of a JSON answers document (forms use 3 at most)


class BadLength(ValueError):
    """A Content-Length that is not a number of bytes (negative, not digits, several values)."""


def declared_length(value: str) -> int | None:
    """The byte count a Content-Length header VALUE declares, or None when it is blank.

    A length of more than MAX_LENGTH_DIGITS digits is returned as sys.maxsize (larger than
    any limit) without converting it; BadLength when VALUE is not ASCII digits.
    """
    digits = value.strip()
    if not digits:
        return None
    if not ASCII_DIGITS.fullmatch(digits):
        raise BadLength(value)
    digits = digits.lstrip("0") or "0"
    return sys.maxsize if len(digits) > MAX_LENGTH_DIGITS else int(digits)


def document_problem(document: object) -> str:
    """What makes a parsed answers DOCUMENT unfit to check and store, in plain words, or ''.

    Refuses text that is not Unicode (a JSON escape of a lone surrogate such as \\ud800,
    which UTF-8 cannot store) and nesting deeper than MAX_DEPTH.  Iterative, so any depth
    is safe to inspect.
    """
    pending = [(document, 1)]
    while pending:
        value, depth = pending.pop()
        if depth > MAX_DEPTH:
            return f"the answers are nested more than {MAX_DEPTH} levels deep"
        if isinstance(value, dict):
            pending.extend((key, depth) for key in value)
            pending.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            pending.extend((item, depth + 1) for item in value)
        elif isinstance(value, str) and not _is_unicode(value):
            return ("the answers hold a character that is not text (a lone "
                    "surrogate escape such as \\ud800); send them as UTF-8 text")
    return ""


def _is_unicode(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@dataclass(frozen=True)
class Request:
    """One HTTP request as both doors see it; header names lower case."""

    method: str
    path: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    client: str = ""

    def header(self, name: str) -> str:
        """Header NAME's value, or ''."""
        return self.headers.get(name.lower(), "")

    @property
    def wants_json(self) -> bool:
        """Whether to answer in JSON (a JSON body, or a client that asks for JSON)."""
        return media_type(self.header("content-type"))[0] == JSON or JSON in self.header("accept")


class Receiver:
    """Validates and stores submissions; see the module docstring."""

    def __init__(self, settings: IntakeSettings, forms: SchemaStore, store: SubmissionStore,
                 clock: Callable[[], datetime] = utc_now, announcer: Announcer | None = None,
                 acknowledger: Callable | None = None):
        self.settings, self.forms, self.store, self.clock = settings, forms, store, clock
        self.announcer, self.acknowledger = announcer, acknowledger   # notify.py, acknowledge.py; never raise
        self.zone: tzinfo
        try:
            self.zone = ZoneInfo(settings.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            self.zone = UTC

    # ---- the doors call these ----

    def handle(self, request: Request) -> Response:
        """The whole answer to REQUEST (its body already read)."""
        try:
            response = self._precheck(request)
            if response is None and len(request.body) > self.settings.max_body_bytes:
                response = self._too_large(request)
            if response is None:
                form = self._form(request)
                if form is None:  # gone since the precheck (schemas reloaded): answered as a failure
                    raise LookupError("the form's schema went away")
                response = self._submit(request, form)
        except Exception as exc:  # noqa: BLE001 - a bug must not leak answers into logs or tracebacks
            return self.failed(request, exc)
        return self._finish(request, response)

    def failed(self, request: Request, exc: Exception) -> Response:
        """500 for a bug: logged as `error_<ExceptionType>` only (its message could quote an answer)."""
        self.log(self._form_id(request), "", len(request.body), f"error_{type(exc).__name__}", 500)
        return self._finish(request, self._page_or_json(
            request, None, 500, "error", say(SERVER_ERROR[0]), say(SERVER_ERROR[1])))

    def precheck(self, request: Request) -> Response | None:
        """A refusal decided before the body is read (route, form, method, type, length), or None."""
        response = self._precheck(request)
        return None if response is None else self._finish(request, response)

    def too_large(self, request: Request) -> Response:
        """413: the body is over the limit (found while reading it)."""
        return self._finish(request, self._too_large(request))

    def incomplete(self, request: Request) -> Response:
        """400: the body ended, stalled past the deadline or broke off before its Content-Length."""
        return self._finish(request, self._refusal(
            request, self._form(request), 400, "incomplete_body", say(INCOMPLETE[0]), say(INCOMPLETE[1])))

    def length_required(self, request: Request) -> Response:
        """411: no Content-Length, so the body cannot be read safely."""
        return self._finish(request, self._refusal(
            request, self._form(request), 411, "length_required", say(NOT_READ), say(NO_LENGTH)))

    def rate_limited(self, request: Request, wait: int) -> Response:
        """429 with Retry-After: this client sent too many requests."""
        form = self._form(request)
        return self._finish(request, self._refusal(
            request, form, 429, "rate_limited", say(TOO_MANY[0]), say(TOO_MANY[1], seconds=wait),
            extra=(("Retry-After", str(wait)),), log_form=self._form_id(request) or ""))

    def log(self, form_id: str | None, reference: str, size: int, outcome: str, status: int) -> None:
        """One line per request: never an answer, a form id only when it is a well-formed one (the whole of
        it: `$` would let a line feed through), and any other text with control characters escaped."""
        shown = form_id if form_id and FORM_ID.fullmatch(form_id) else ("-" if not form_id else "(malformed)")
        LOG.info("intake form=%s ref=%s bytes=%d outcome=%s status=%d", shown, printable(reference or "-"),
                 size, printable(outcome), status)

    # ---- the steps ----

    def _precheck(self, request: Request) -> Response | None:
        form_id = self._form_id(request)
        if form_id is None:
            return self._not_found(request)
        try:
            form = self.forms.get(form_id)
        except (SitegenError, OSError):   # a schema file unreadable or half-written
            return self._unavailable(request, None, "schema_unreadable")
        if form is None:
            return self._refusal(request, None, 404, "unknown_form", say(UNKNOWN_FORM[0]),
                                 say(UNKNOWN_FORM[1]), log_form=form_id)
        if request.method == "OPTIONS":
            return self._preflight(request, form)
        if request.method != "POST":
            return self._refusal(request, form, 405, "method_not_allowed", say(WRONG_METHOD[0]),
                                 say(WRONG_METHOD[1]),
                                 extra=(("Allow", "POST, OPTIONS"),))
        return self._check_head(request, form)

    def _too_large(self, request: Request) -> Response:
        return self._refusal(request, self._form(request), 413, "too_large", say(TOO_LARGE[0]),
                             say(TOO_LARGE[1], size=self.settings.max_body_bytes // 1024))

    def _finish(self, request: Request, response: Response) -> Response:
        """RESPONSE with CORS headers for the allowed origin (preflights carry their own)."""
        return response if request.method == "OPTIONS" else self._cors(request, response)

    def _form_id(self, request: Request) -> str | None:
        match = SUBMIT_PATH.match(request.path)
        return match.group(1) if match else None

    def _form(self, request: Request) -> FormSchema | None:
        form_id = self._form_id(request)
        try:
            return self.forms.get(form_id) if form_id else None
        except (SitegenError, OSError):
            return None

    def _check_head(self, request: Request, form: FormSchema) -> Response | None:
        kind, charset = media_type(request.header("content-type"))
        if kind not in (JSON, FORM) or charset not in ("", "utf-8"):
            return self._refusal(request, form, 415, "unsupported_media_type", say(NOT_READ), say(WRONG_TYPE),
                                 extra=(("Accept-Post", f"{JSON}, {FORM}"),))
        try:
            length = declared_length(request.header("content-length"))
        except BadLength:
            return self._refusal(request, form, 400, "bad_length", say(NOT_READ), say(BAD_LENGTH))
        if length is not None and length > self.settings.max_body_bytes:
            return self._too_large(request)
        return None

    def _submit(self, request: Request, form: FormSchema) -> Response:
        kind = media_type(request.header("content-type"))[0]
        try:
            answers = parse(request.body, kind, form.schema)
        except BadBody as exc:
            return self._refusal(request, form, 400, "bad_body", say(NOT_READ), str(exc))
        problem = document_problem(answers)
        if problem:
            return self._refusal(request, form, 400, "bad_body", say(NOT_READ), problem)
        with speaking(form.voice(answers)):   # what follows is in the language the form was answered in
            return self._answered(request, form, answers)

    def _answered(self, request: Request, form: FormSchema, answers: object) -> Response:
        if honeypot_filled(answers):
            return self._refuse_answers(request, form, [], "honeypot")
        received = self.clock()
        errors = field_errors(form.validator(received.astimezone(self.zone).date()), answers, form.properties,
                              form.messages_in(current().code))
        if errors:
            # The static page cannot say what is wrong.
            if not request.wants_json and without_javascript(answers):
                self.log(form.form_id, "", len(request.body), "invalid", 422)
                return problems_page(errors, self._site(f"forms/{form.form_id}/"))
            return self._refuse_answers(request, form, errors, "invalid")
        assert isinstance(answers, dict), "the schema admits only an object"
        return self._store(request, form, answers, received)

    def _store(self, request: Request, form: FormSchema, answers: dict, received: datetime) -> Response:
        digest = idempotency_digest(self.settings.secret, form.form_id, answers)
        kept = stored_answers(answers)

        def document(reference: str) -> bytes:
            return submission_document(form, reference, received, kept)

        def claimed(reference: str, key: str) -> None:   # a new claim: the outbox marker, before the put
            if self.announcer is not None:
                self.announcer.record(form, reference, key, received, kept)
        try:
            stored = self.store.store(form.form_id, form.prefix, digest, received, document, claimed)
        except StorageUnavailable:
            return self._unavailable(request, form, "unavailable")
        size = len(request.body)
        self.log(form.form_id, stored.reference, size, "stored" if stored.written else "duplicate",
                 303 if not request.wants_json else 201 if stored.written else 200)
        if stored.written:   # a retry's report was announced and acknowledged by the attempt that stored it
            if self.announcer is not None:   # sends, then deletes the marker `claimed` wrote
                self.announcer(form, stored, received, kept)
            if self.acknowledger is not None:
                self.acknowledger(form, stored, kept)
        done = self._site(f"forms/{form.form_id}/done/?ref={quote(stored.reference)}")
        if request.wants_json:
            return json_response(201 if stored.written else 200,
                                 {"reference": stored.reference, "done_url": done})
        return redirect(done)

    def _refuse_answers(self, request: Request, form: FormSchema, errors: list[FieldError],
                        outcome: str) -> Response:
        self.log(form.form_id, "", len(request.body), outcome, 422 if request.wants_json else 303)
        if request.wants_json:
            payload = {"error": outcome if outcome == "invalid" else "refused",
                       "errors": [{"field": e.field, "message": e.message} for e in errors]}
            return json_response(422, payload)
        named = [e.field for e in errors if e.field in form.properties]
        query = f"?errors={quote(','.join(named), safe=',')}" if named else ""
        return redirect(self._site(f"forms/{form.form_id}/{query}#problem"))

    def _unavailable(self, request: Request, form: FormSchema | None, why: str) -> Response:
        return self._refusal(request, form, 503, "unavailable", say(UNAVAILABLE[0]), say(UNAVAILABLE[1]),
                             extra=(("Retry-After", RETRY_AFTER_UNAVAILABLE),), outcome=why)

    def _not_found(self, request: Request) -> Response:
        if request.method == "GET" and request.path in ("/", "/health"):
            return json_response(200, {"status": "ok", "forms": len(self.forms.form_ids())})
        return self._refusal(request, None, 404, "not_found", say(NOT_FOUND[0]), say(NOT_FOUND[1]))

    def _refusal(self, request: Request, form: FormSchema | None, status: int, code: str, title: str,
                 message: str, extra: tuple = (), outcome: str = "", log_form: str = "") -> Response:
        """A refusal, logged: JSON for scripts, a small page for people."""
        self.log(form.form_id if form else log_form, "", len(request.body), outcome or code, status)
        return self._page_or_json(request, form, status, code, title, message, extra)

    def _page_or_json(self, request: Request, form: FormSchema | None, status: int, code: str, title: str,
                      message: str, extra: tuple = ()) -> Response:
        if request.wants_json:
            return json_response(status, {"error": code, "message": message}, *extra)
        # Refused before its answers were read: a page of the form's default language (its `lang`).
        voice = form.voice(None) if form is not None and current() is DEFAULT_VOICE else current()
        with speaking(voice):
            back = self._site(f"forms/{form.form_id}/") if form else ""
            return page_response(status, title, message, back, *extra)

    def _preflight(self, request: Request, form: FormSchema) -> Response:
        origin = request.header("origin")
        method = request.header("access-control-request-method")
        if not origin or origin != self.settings.origin or method not in ("POST", ""):
            self.log(form.form_id, "", 0, "preflight_refused", 403)
            return empty(403, ("Vary", "Origin"))
        self.log(form.form_id, "", 0, "preflight", 204)
        return empty(204, ("Access-Control-Allow-Origin", origin),
                     ("Access-Control-Allow-Methods", "POST, OPTIONS"),
                     ("Access-Control-Allow-Headers", "Content-Type, Accept"),
                     ("Access-Control-Max-Age", "600"),
                     ("Vary", "Origin"))

    def _cors(self, request: Request, response: Response) -> Response:
        """RESPONSE with CORS headers when the request comes from the allowed origin."""
        origin = request.header("origin")
        response.headers.append(("Vary", "Origin"))
        if origin and origin == self.settings.origin:
            response.headers.append(("Access-Control-Allow-Origin", origin))
        return response

    def _site(self, path: str) -> str:
        """PATH on the site people came from (site-relative when no site_url is set), in the
        language the receiver answers in ('/cy/forms/...')."""
        base = self.settings.site_url
        return (base.rstrip("/") if base else "") + current().prefix + "/" + path


def submission_document(form: FormSchema, reference: str, received: datetime, answers: dict) -> bytes:
    """The stored JSON: reference, form id and version, schema, time received (UTC), the language
    answered in (a site of several languages only: the force replies in it), answers."""
    document: dict[str, object] = {
        "reference": reference,
        "form": form.form_id,
        "form_version": form.version,
        "schema": form.schema_id,
        "received": received.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
    }
    if form.languages:
        document["language"] = current().code
    document["answers"] = answers
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def make_receiver(settings: IntakeSettings, watch: bool = False, client=None,
                  clock: Callable[[], datetime] = utc_now) -> Receiver:
    """A Receiver for complete SETTINGS: schemas from settings.schemas, S3 through CLIENT (or a new one)."""
    from .storage import S3Writer, make_client, require_conditional_writes
    client = client or make_client(settings)
    require_conditional_writes(client)
    writer = S3Writer(client, settings.bucket, settings.kms_key_id, settings.retries,
                      settings.backoff_seconds)
    from .acknowledge import Acknowledger
    from .notify import Announcer
    announcer = Announcer(settings, writer) if settings.notify or settings.routes else None
    acknowledger = Acknowledger(settings) if settings.ses_from else None
    return Receiver(settings, SchemaStore(Path(settings.schemas), watch=watch),
                    SubmissionStore(writer, settings.key_prefix), clock, announcer, acknowledger)
