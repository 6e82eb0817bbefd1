"""From a request body to the answers document, and what is wrong with it.

Two body types are accepted:

* `application/json`: the answers document itself, exactly as the form's
  schema describes it (plus `client_token` and `website`, which the schema
  also lists).  It is validated as sent: nothing is trimmed or converted.
* `application/x-www-form-urlencoded` (UTF-8): what the HTML form posts, with
  or without JavaScript.  It becomes the answers document by the one mapping
  in `sitegen.forms.submission.answers_from_post`, which the form pages are
  built to follow (see docs/intake.md): values trimmed with CR LF made LF and
  blanks dropped; checkboxes a list; `NAME-day/-month/-year` a `YYYY-MM-DD`
  date; `NAME-line1/-line2/-town/-postcode` an address object; whole numbers
  integers; unknown fields kept so that the schema refuses them.

The answers are then validated with jsonschema against the schema alone, so
the receiver accepts exactly what the schema accepts.
"""
from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from urllib.parse import parse_qsl

from jsonschema import Draft202012Validator, ValidationError

from ..forms.model import CLIENT_TOKEN, HONEYPOT, LANG_FIELD
from ..forms.patterns import DATE, NOT_BLANK
from ..forms.submission import answers_from_post
from .words import CHECK_ANSWER, NOT_AN_OBJECT, UNEXPECTED, say

JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
MAX_FIELDS = 2000

# jsonschema keyword (at the top level, or inside an address) -> the message kind forms.js uses
_KINDS = {"required": "required", "maxLength": "too_long", "minLength": "too_short", "pattern": "pattern",
          "minimum": "too_small", "maximum": "too_large", "minItems": "required"}
_ADDRESS_KINDS = {"line1": "line1", "town": "town", "postcode": "postcode_missing"}


class BadBody(ValueError):
    """The body cannot be read as its content type says (400)."""


@dataclass(frozen=True)
class FieldError:
    """One answer the schema refuses: the question's field name and a message for people."""

    field: str
    message: str


def media_type(content_type: str) -> tuple[str, str]:
    """(type, charset) from a Content-Type header value, both lower case."""
    kind, _, params = (content_type or "").partition(";")
    charset = ""
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
    return kind.strip().lower(), charset


def parse(body: bytes, kind: str, schema: dict) -> object:
    """The answers document in BODY (of media type KIND) for SCHEMA; BadBody when unreadable."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadBody("the body is not UTF-8") from None
    if kind == JSON:
        return _json(text)
    pairs: dict[str, list[str]] = {}
    try:
        for name, value in parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_FIELDS,
                                     errors="strict"):
            pairs.setdefault(name, []).append(value)
    except (ValueError, UnicodeDecodeError):
        raise BadBody("the form body cannot be read") from None
    return answers_from_post(schema, pairs)


def _refuse_constant(name: str):
    raise BadBody(f"{name} is not JSON")


def _json(text: str) -> object:
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise BadBody(f"the body is not JSON: {exc}") from None


def honeypot_filled(answers: object) -> bool:
    """Whether the hidden field people never see was filled in (by a robot)."""
    if not isinstance(answers, dict) or HONEYPOT not in answers:
        return False
    value = answers[HONEYPOT]
    return not (isinstance(value, str) and not value.strip())


def stored_answers(answers: dict) -> dict:
    """ANSWERS without the fields that are not answers (honeypot, client token, the page's language,
    which the stored report keeps as its `language`)."""
    return {k: v for k, v in answers.items() if k not in (HONEYPOT, CLIENT_TOKEN, LANG_FIELD)}


def idempotency_digest(secret: str, form_id: str, answers: dict) -> bytes:
    """The keyed digest that names a submission: form, client token and answers.

    A retried post (same token, same answers) gets the same digest and so the
    same reference.  Without a token (no JavaScript) the answers alone decide,
    so posting the very same answers twice is one report, not two; the same
    token with different answers is a different report and is kept too.
    """
    token = answers.get(CLIENT_TOKEN)
    token = token.strip() if isinstance(token, str) else ""
    material = json.dumps([form_id, token, stored_answers(answers)], sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
    return hmac.new(secret.encode("utf-8"), material.encode("utf-8"), hashlib.sha256).digest()


def field_errors(validator: Draft202012Validator, answers: object, order: list[str],
                 messages: dict[str, dict]) -> list[FieldError]:
    """What is wrong with ANSWERS, one error per field in ORDER (the form's), with people's messages.

    A field with several problems gets the message forms.js would show: the
    first kind in KIND_ORDER, the order in which forms.js checks an answer.
    """
    kinds: dict[str, str] = {}
    for error in validator.iter_errors(answers):
        for name, kind in _located(error, answers):
            unranked = len(_KIND_RANK)
            if name not in kinds or _KIND_RANK.get(kind, unranked) < _KIND_RANK.get(kinds[name], unranked):
                kinds[name] = kind
    rank = {name: i for i, name in enumerate(order)}
    return [FieldError(n, _message(messages.get(n, {}), kinds[n]))
            for n in sorted(kinds, key=lambda n: (rank.get(n, len(rank)), n))]


def _message(texts: dict, kind: str) -> str:
    return texts.get(kind) or texts.get("invalid") or say(_GENERIC.get(kind, CHECK_ANSWER))


_GENERIC = {"unexpected": UNEXPECTED, "document": NOT_AN_OBJECT}
# The order in which forms.js checks one answer (each question type uses a part of it).
KIND_ORDER = ("required", "invalid", "missing_day", "missing_month", "missing_year", "line1", "town",
              "too_short", "too_long", "number", "pattern", "real", "postcode_missing", "postcode",
              "too_small", "too_large", "past", "future")
_KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}


def _located(error: ValidationError, answers: object) -> list[tuple[str, str]]:
    """(field, message kind) pairs for one error."""
    path = list(error.absolute_path)
    if not isinstance(answers, dict):
        return [("", "document")]
    if path:
        return [(str(path[0]), _kind(error, path))]
    if error.validator == "required":
        return [(n, "required") for n in error.validator_value if n not in error.instance]
    if error.validator == "additionalProperties":
        allowed = error.schema.get("properties", {})
        return [(n, "unexpected") for n in error.instance if n not in allowed]
    return [("", "invalid")]


def _kind(error: ValidationError, path: list) -> str:
    """The message kind for an error inside one field's answer."""
    if error.validator == "x-sitegen-date":
        return str(error.validator_value)
    if len(path) == 1 and error.validator == "pattern" and error.validator_value == DATE:
        return _date_kind(error.instance)
    if len(path) >= 1 and error.validator == "required" and isinstance(error.instance, dict):
        missing = [n for n in error.validator_value if n not in error.instance]
        return _ADDRESS_KINDS.get(missing[0], "invalid") if missing else "invalid"
    if len(path) == 2 and path[1] == "postcode" and error.validator == "pattern":
        return "postcode"
    if _is_blank_error(error):     # a required answer of only white space (JSON): as if not given
        return _ADDRESS_KINDS.get(str(path[1]), "invalid") if len(path) == 2 else "required"
    if len(path) == 1 and error.validator == "type" and error.validator_value == "integer":
        return "number"
    return _KINDS.get(error.validator, "invalid")


def _is_blank_error(error: ValidationError) -> bool:
    """Whether ERROR says a required text answer is empty or only white space."""
    return ((error.validator == "pattern" and error.validator_value == NOT_BLANK)
            or (error.validator == "minLength" and error.validator_value == 1 and error.instance == ""))


def _date_kind(instance: str) -> str:
    """Why a date is refused, read from the parts answers_from_post kept as typed ('YYYY-MM-DD' order).

    As forms.js: a missing day, month or year; anything else is not a 'real' date.
    """
    parts = instance.split("-")
    if len(parts) != 3:
        return "real"
    year, month, day = parts
    return next((f"missing_{name}" for name, part in (("day", day), ("month", month), ("year", year))
                 if not part),
                "real")
