"""The rules forms.js validates with, compiled from the same form as the schema.

They travel in the form's `data-sitegen-rules` attribute as JSON, so the page
needs no inline script.  Conditions are the questions' full `relevant`
conditions: {"field", "is", "many"} matches, {"not": c} and {"all": [c...]}.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping

from babel import Locale

from .. import i18n
from ..i18n import gettext
from ..intake.words import N_
from .model import ALWAYS, All, Condition, Form, Match, Not, Question
from .patterns import DATE, EMAIL, POSTCODE, TEL, anchored


def condition_json(cond: Condition):
    """COND as JSON for forms.js; None when it always holds."""
    if cond == ALWAYS:
        return None
    if isinstance(cond, Match):
        return {"field": cond.field, "is": list(cond.values), "many": cond.many}
    if isinstance(cond, Not):
        return {"not": condition_json(cond.cond)}
    assert isinstance(cond, All)
    return {"all": [condition_json(c) for c in cond.conds]}


def question_rules(question: Question, langs: Mapping[str, str] | None = None) -> dict:
    """What forms.js needs to know to check, show and summarise one question.  LANGS (fallback_langs)
    says which of the words it carries are another language's than the page's: forms.js marks them."""
    rules = {"name": question.name, "type": question.type, "label": question.short_label,
             "page": question.page,
             "when": condition_json(question.relevant), "required": question.required,
             "messages": dict(question.messages)}
    optional = {"min_length": question.min_length, "max_length": question.max_length,
                "pattern": _pattern(question), "must_be": question.must_be,
                "min": question.minimum, "max": question.maximum}
    rules |= {k: v for k, v in optional.items() if v not in (None, "")}
    if question.options:
        rules["options"] = [{"value": o.value, "label": o.label, "exclusive": o.exclusive}
                            for o in question.options]
    if question.type == "address":
        rules["postcode"] = {"pattern": POSTCODE, "required": question.postcode_required}
    if langs:
        rules["lang"] = dict(langs)
    return rules


def fallback_langs(question: Question, lang: str, left_out: Callable[[str], bool],
                   original: Question | None) -> dict[str, str]:
    """The words of QUESTION that forms.js writes and that are the default language's (tag LANG) for
    want of a translation: {path: LANG}, the path in question_rules' words: 'label' (the summary
    label, else the label), 'options.<value>' (an option's label), 'messages.<kind>'.  LEFT_OUT
    says which of the question's words its translation leaves out ('summary_label',
    'options.<value>.label', 'messages.required': fields.field's); a message is the default's too
    where it is ORIGINAL's (the question in the default language), as the messages quoting a word
    left out are (translation._original_messages)."""
    found = {}
    if left_out("summary_label" if question.summary_label else "label"):
        found["label"] = lang
    for option in question.options:
        if left_out(f"options.{option.value}.label"):
            found[f"options.{option.value}"] = lang
    originals = original.messages if original else {}
    for kind, message in question.messages.items():
        if left_out(f"messages.{kind}") or originals.get(kind) == message:
            found[f"messages.{kind}"] = lang
    return found


def _pattern(question: Question) -> str:
    if question.type == "date":
        return DATE
    if question.type == "email":
        return EMAIL
    if question.type == "tel":
        return TEL
    return anchored(question.pattern) if question.pattern else ""


def form_rules(form: Form, langs: Mapping[str, Mapping[str, str]] | None = None) -> dict:
    """The rules of a whole form; a form in a language but the default carries forms.js's words,
    and LANGS, by question name, the fallback_langs of its questions' words."""
    langs = langs or {}
    rules = {
        "id": form.id,
        "sensitive": form.sensitive,
        "pages": [{"id": p.id, "title": p.title, "when": condition_json(p.relevant)} for p in form.pages],
        "questions": [question_rules(q, langs.get(q.name)) for q in form.questions],
    }
    words = script_words()
    if form.lang or words != FORMS_JS_WORDS:   # a site in Welsh alone, or one that words them its own way
        rules["words"] = words
    return rules


# The words forms.js writes, by their key in its WORDS, as the catalogue's messages (English).
SCRIPT_MESSAGES = {"notGiven": N_("Not given"), "change": N_("Change"), "problem": N_("There is a problem"),
                   "error": N_("Error:"), "confirmed": N_("Confirmed"), "unexpected": N_("Unexpected answer")}
# forms.js's own WORDS, which a form's rules replace where the page's words differ.
ENGLISH_MONTHS = Locale("en").months["format"]["wide"]
FORMS_JS_WORDS = SCRIPT_MESSAGES | {"months": [ENGLISH_MONTHS[number] for number in range(1, 13)]}


def script_words() -> dict:
    """The words forms.js writes (its WORDS), in the active language: check-your-answers, the error
    summary's heading, the 'Error:' before the page title, and month names for dates."""
    months = i18n.active().babel_locale.months["format"]["wide"]
    return ({key: gettext(message) for key, message in SCRIPT_MESSAGES.items()}
            | {"months": [months[number] for number in range(1, 13)]})
