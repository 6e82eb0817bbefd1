"""Compile a form to JSON Schema 2020-12: what any receiver validates with.

The schema describes the *answers document*: a JSON object with one property
per question (see `submission.answers_from_post` for how a posted HTML form
becomes one).  A question asked only sometimes appears in `properties` with
annotations alone, and its checks sit in an `if`/`then` under `allOf` whose
`if` is the question's full `relevant` condition; so an answer to a question
that was not asked is ignored, exactly as in the browser.

Two keywords are sitegen's own (a generic validator ignores them):
`x-sitegen-type` names the question type and `x-sitegen-messages` carries its
error messages; `x-sitegen-date: past|future` asks for a date on or before
(after) the day of validation, which `submission.make_validator` checks.
`x-sitegen-routing: ward` marks the address whose postcode gives the report's ward
(the receiver's intake/notify.py).

The schema is the contract: the receiver accepts exactly what it accepts, as
any 2020-12 validator with ECMA-262 regular expressions judges it.  So every
pattern means the same in Python and JavaScript (see `patterns`), a required
text answer must hold a character that is not white space (`NOT_BLANK`, also
searched for in required address lines), and the honeypot must be empty.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .. import i18n
from ..i18n import gettext
from ..intake.words import RECEIVER_WORDS
from .model import (
    ALWAYS,
    CLIENT_TOKEN,
    DECLARATION_VALUE,
    HONEYPOT,
    LANG_FIELD,
    All,
    Condition,
    Form,
    Match,
    Not,
    Question,
)
from .patterns import DATE, EMAIL, NOT_BLANK, POSTCODE, TEL, anchored

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ADDRESS_LINE_MAX = 200

SPAM_FIELDS = {
    HONEYPOT: {"type": "string", "maxLength": 0,
               "description": "Honeypot: a visually hidden text input people leave empty;"
                              " a submission with it filled in comes from a robot and is not kept."},
    CLIENT_TOKEN: {"type": "string", "description": "Filled in by forms.js when the page loaded; absent when"
                                                    " JavaScript did not run."},
}


def compile_schema(form: Form, base_url: str, translations: Mapping[str, Form] | None = None,
                   languages: Mapping[str, str] | None = None, site_root: Path | None = None) -> dict:
    """The JSON Schema of FORM's answers, with its $id under BASE_URL.

    On a site of several LANGUAGES (tag -> the path of its pages, '' for the default, which
    FORM is in) the one schema carries every language: the property `lang` (the tag the form
    was answered in), `x-sitegen-languages` (LANGUAGES itself) and `x-sitegen-translations`
    (tag -> the title, description and each question's title and messages of TRANSLATIONS,
    the form in each other language, and `receiver`: the receiver's own words, English ->
    that language, from the catalogue with the overrides of the site at SITE_ROOT; see
    intake/words.py).  A one-language site's schema has none of these.
    """
    properties: dict[str, object] = {q.name: _property(q) for q in form.questions} | SPAM_FIELDS
    if languages:
        properties[LANG_FIELD] = _lang_property(list(languages))
    schema: dict = {
        "$schema": DIALECT,
        "$id": f"{base_url.rstrip('/')}/forms/{form.id}/schema.json",
        "title": form.title,
        "description": _description(form),
        "type": "object",
        "properties": properties,
        "required": [q.name for q in form.questions if q.required and q.relevant == ALWAYS],
        "additionalProperties": False,
    }
    if languages:
        schema["x-sitegen-languages"] = dict(languages)
        schema["x-sitegen-translations"] = {code: _words(other, site_root)
                                            for code, other in (translations or {}).items()}
    rules = _conditional_rules(form)
    if rules:
        schema["allOf"] = rules
    return schema


def _description(form: Form) -> str:
    return gettext("Answers to '%(title)s'. Each property is a question's field name; see docs/forms.md.") % {
        "title": form.title}


def _lang_property(codes: list[str]) -> dict:
    return {"type": "string", "enum": codes,
            "description": "The language the form was answered in (its page's hidden field); the receiver"
                           " answers in it and stores it with the report. Absent: the first, the default."}


def _words(form: Form, site_root: Path | None) -> dict:
    """The words of FORM (one language's) that the schema carries: title, description, each
    question's title and messages, and the receiver's words that the language has."""
    with i18n.activate(i18n.Language(form.lang or i18n.ENGLISH.code), site_root):
        description = _description(form)
        receiver = {word: gettext(word) for word in RECEIVER_WORDS}
    return {"title": form.title, "description": description,
            "properties": {q.name: {"title": q.label, "x-sitegen-messages": dict(q.messages)}
                           for q in form.questions},
            "receiver": {word: text for word, text in receiver.items() if text != word}}


def _annotations(question: Question) -> dict:
    routing = {"x-sitegen-routing": question.routing} if question.routing else {}
    return {"title": question.label, "x-sitegen-type": question.type,
            "x-sitegen-messages": dict(question.messages)} | routing


def _property(question: Question) -> dict:
    """Annotations always; checks too when the question is always asked."""
    if question.relevant == ALWAYS:
        return _annotations(question) | constraints(question)
    return _annotations(question)


def _conditional_rules(form: Form) -> list[dict]:
    """One if/then per distinct condition, holding the checks of the questions it governs."""
    groups: dict[Condition, list[Question]] = {}
    for question in form.questions:
        if question.relevant != ALWAYS:
            groups.setdefault(question.relevant, []).append(question)
    rules = []
    for cond, questions in groups.items():
        then: dict[str, object] = {"properties": {q.name: constraints(q) for q in questions}}
        required = [q.name for q in questions if q.required]
        if required:
            then["required"] = required
        rules.append({"if": condition_schema(cond), "then": then})
    return rules


def condition_schema(cond: Condition) -> dict:
    """A schema that an answers document satisfies exactly when COND holds."""
    if isinstance(cond, Match):
        value = ({"type": "array", "contains": {"enum": list(cond.values)}} if cond.many
                 else {"enum": list(cond.values)})
        return {"properties": {cond.field: value}, "required": [cond.field]}
    if isinstance(cond, Not):
        return {"not": condition_schema(cond.cond)}
    assert isinstance(cond, All)
    return {"allOf": [condition_schema(c) for c in cond.conds]}


def constraints(question: Question) -> dict:
    """The checks on one question's answer."""
    return _CONSTRAINTS[question.type](question)


def _text(question: Question) -> dict:
    """A string within the lengths; a required one not blank; an email, tel or editor's pattern matched whole.

    Two patterns cannot share one `pattern` keyword, so the not-blank check
    goes under `allOf` when the answer also has a format to match.
    """
    schema: dict = {"type": "string"}
    minimum = max(question.min_length or 0, 1) if question.required else question.min_length
    if minimum is not None:
        schema["minLength"] = minimum
    schema["maxLength"] = question.max_length
    pattern = {"email": EMAIL, "tel": TEL}.get(question.type)
    pattern = pattern or (anchored(question.pattern) if question.pattern else "")
    if pattern:
        schema["pattern"] = pattern
    if question.required:
        if pattern:
            schema["allOf"] = [{"pattern": NOT_BLANK}]
        else:
            schema["pattern"] = NOT_BLANK
    return schema


def _number(question: Question) -> dict:
    schema: dict = {"type": "integer"}
    if question.minimum is not None:
        schema["minimum"] = question.minimum
    if question.maximum is not None:
        schema["maximum"] = question.maximum
    return schema


def _one_of(question: Question) -> dict:
    return {"type": "string", "enum": [o.value for o in question.options]}


def _many_of(question: Question) -> dict:
    schema = {"type": "array", "items": _one_of(question), "uniqueItems": True, "minItems": 1}
    exclusive = [o.value for o in question.options if o.exclusive]
    if exclusive:
        schema["if"] = {"contains": {"enum": exclusive}}
        schema["then"] = {"maxItems": 1}
    return schema


def _date(question: Question) -> dict:
    schema = {"type": "string", "pattern": DATE}
    if question.must_be:
        schema["x-sitegen-date"] = question.must_be
    return schema


def _address(question: Question) -> dict:
    line = {"type": "string", "maxLength": ADDRESS_LINE_MAX}
    needed = line | {"minLength": 1, "pattern": NOT_BLANK}
    return {
        "type": "object",
        "properties": {"line1": needed, "line2": line, "town": needed,
                       "postcode": {"type": "string", "pattern": POSTCODE}},
        "required": ["line1", "town"] + (["postcode"] if question.postcode_required else []),
        "additionalProperties": False,
    }


def _declaration(question: Question) -> dict:
    return {"type": "string", "const": DECLARATION_VALUE}


_CONSTRAINTS = {
    "text": _text, "textarea": _text, "email": _text, "tel": _text, "number": _number,
    "radios": _one_of, "select": _one_of, "checkboxes": _many_of, "date": _date, "address": _address,
    "declaration": _declaration,
}
