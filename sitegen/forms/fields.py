"""Each question as the parameters of a govuk-frontend-jinja macro.

No input carries anything that lets the browser change or refuse what people
type: no `maxlength` (browsers silently cut pasted text at it), no `minlength`
or `pattern`, and the form is `novalidate`.  Limits and formats are checked
and explained in the GOV.UK error summary and beside the field: by forms.js
before posting, and by the receiver (from the schema) for every post.
`required` stays on questions that are always asked, for assistive technology
(with `novalidate` the browser does not act on it).
"""
from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from ..i18n import gettext
from ..intake.words import N_
from .model import ALWAYS, DECLARATION_VALUE, Question

LARGE_LIMIT = 1000   # characters; above it the count shows only when three quarters are used
WIDTHS = {"tel": "govuk-input--width-20", "number": "govuk-input--width-10", "email": ""}
ADDRESS_LABELS = (("line1", N_("Address line 1"), "address-line1", ""),
                  ("line2", N_("Address line 2 (optional)"), "address-line2", ""),
                  ("town", N_("Town or city"), "address-level2", "govuk-!-width-two-thirds"),
                  ("postcode", N_("Postcode"), "postal-code", "govuk-input--width-10"))
DATE_LABELS = {"day": N_("Day"), "month": N_("Month"), "year": N_("Year")}


def field(question: Question, sensitive: bool, localised: bool = False, written: str = "",
          left_out: Callable[[str], bool] | None = None) -> dict:
    """{'name', 'macro', 'params'} for QUESTION; SENSITIVE forms drop autocomplete tokens.  LOCALISED (a
    form in a language but the default) gives the GOV.UK components' own words (a character count's,
    a date's parts) in the active language; otherwise they keep their English defaults, as before.
    WRITTEN, a language tag, marks the question's own words with it (a form shown untranslated:
    label, hint, options; not the theme's words around them, such as '(optional)').  LEFT_OUT, for
    a form translated in part, says which of them its translation leaves out, by their path in the
    question ('label', 'hint', 'options.<value>.label'): only those are marked."""
    builder = _BUILDERS[question.type]
    macro = "character_count" if question.type == "textarea" and question.max_length else builder[0]
    params = builder[1](question, sensitive)
    if localised and macro == "character_count":
        params |= _count_words()
    if localised and question.type == "date":
        for item in params["items"]:
            item["label"] = gettext(DATE_LABELS[item["name"]])
    if written:
        _mark(params, question, written, left_out or (lambda _path: True))
    return {"name": question.name, "type": question.type, "macro": macro, "params": params}


def _marked(text: str, lang: str) -> Markup:
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def _mark(params: dict, question: Question, lang: str, left_out: Callable[[str], bool]) -> None:
    """PARAMS (a macro's, changed in place) with QUESTION's own words that LEFT_OUT names (by path:
    'label', 'hint', 'options.<value>.label') inside <span lang=LANG>: the components take `html`
    for `text` where a label, legend or option holds markup; a dropdown's <option>, which holds
    text only, keeps its text and takes lang=LANG itself."""
    own: dict[str, Markup] = {}
    if left_out("label"):
        label = (_marked(question.label, lang) if question.required else
                 Markup(escape(gettext("%(label)s (optional)"))) % {"label": _marked(question.label, lang)})
        own |= {question.label: _marked(question.label, lang), _label_text(question): label}
    if question.summary_label and left_out("summary_label"):
        own[question.summary_label] = _marked(question.summary_label, lang)
    for option in question.options:
        if left_out(f"options.{option.value}.label"):
            own[option.label] = _marked(option.label, lang)
        if option.hint and left_out(f"options.{option.value}.hint"):
            own[option.hint] = _marked(option.hint, lang)
    places = [params.get("label"), (params.get("fieldset") or {}).get("legend")]
    for item in params.get("items") or ():
        if item.get("value") is None:   # a date's or an address's parts, not an option
            continue
        if question.type == "select":   # an <option> holds text only: it takes the lang itself
            if item.get("text") in own:
                item["attributes"] = {**(item.get("attributes") or {}), "lang": lang}
        else:
            places += [item, item.get("hint")]
    for place in places:
        if place and place.get("text") in own:
            place["html"] = own[place.pop("text")]
    hint = params.get("hint")
    if hint and question.hint and left_out("hint"):
        hint["html"] = Markup(hint["html"].replace(escape(question.hint), _marked(question.hint, lang)))


def condition_words(trigger: Question, values: tuple[str, ...],
                    quote: Callable[[str, str], str] | None = None) -> str:
    """The answers VALUES of TRIGGER that a condition waits for, in words ending its sentence ('Answer
    this only if ...'): "you answered ‘Yes’ for ‘Do you want us to contact you?’", plain text.  With
    QUOTE(path, words), each quoted word of TRIGGER (path 'label', 'options.<value>.label') is as
    QUOTE gives it, and the words are Markup (escaped, but for what QUOTE gives as Markup)."""
    words: Callable[[str], str] = (lambda text: Markup(escape(text))) if quote else str
    say = quote or (lambda _path, text: text)
    quoted = [words("‘{}’").format(say(f"options.{v}.label", trigger.option_label(v))) for v in values]
    options = words(gettext(" or ")).join(quoted)
    sentence = (gettext("you ticked %(options)s for ‘%(question)s’") if trigger.type == "checkboxes"
                else gettext("you answered %(options)s for ‘%(question)s’"))
    return words(sentence) % {"options": options, "question": say("label", trigger.label)}


def marked_condition(text: str, trigger: Question, values: tuple[str, ...], lang: str,
                     left_out: Callable[[str], bool]) -> str:
    """TEXT, a condition's sentence on TRIGGER's answers VALUES ('Answer this only if you answered
    ‘Yes’ for ‘...’.'), as Markup with the quoted words LEFT_OUT names (by their path in TRIGGER:
    'label', 'options.<value>.label') inside <span lang=LANG>, so a sentence in the page's language
    quotes them as the default's; TEXT itself when none is (or LANG is '')."""
    if not lang or not any(left_out(path) for path in ["label"] + [f"options.{v}.label" for v in values]):
        return text

    def quote(path: str, words: str) -> str:
        return _marked(words, lang) if left_out(path) else words

    return Markup(escape(text).replace(escape(condition_words(trigger, values)),
                                       condition_words(trigger, values, quote)))


def _label_text(question: Question) -> str:
    if question.required:
        return question.label
    return gettext("%(label)s (optional)") % {"label": question.label}


def _count_words() -> dict:
    """The character count's words in the active language (its JavaScript's too)."""
    return {"textareaDescriptionText": gettext("You can enter up to %{count} characters"),
            "charactersUnderLimitText": {"one": gettext("You have %{count} character remaining"),
                                         "other": gettext("You have %{count} characters remaining")},
            "charactersAtLimitText": gettext("You have 0 characters remaining"),
            "charactersOverLimitText": {"one": gettext("You have %{count} character too many"),
                                        "other": gettext("You have %{count} characters too many")}}


def _hint(question: Question) -> dict | None:
    parts = []
    if question.condition_text:
        parts.append(Markup('<span class="sitegen-condition">{}</span>').format(question.condition_text))
    if question.hint:
        parts.append(escape(question.hint))
    return {"html": Markup(" ").join(parts)} if parts else None


def _native_required(question: Question) -> bool:
    """The browser may insist on an answer only when the question is always asked."""
    return question.required and question.relevant == ALWAYS


def _attributes(question: Question) -> dict:
    return {"required": {"value": True, "optional": True}} if _native_required(question) else {}


def _legend(question: Question, text: str = "") -> dict:
    return {"legend": {"text": text or _label_text(question), "classes": "govuk-fieldset__legend--s"}}


def _autocomplete(question: Question, sensitive: bool, token: str = ""):
    if sensitive:
        return None
    return token or question.autocomplete or None


def _input(question: Question, sensitive: bool) -> dict:
    qtype = question.type
    return {
        "id": question.name, "name": question.name,
        "type": {"email": "email", "tel": "tel"}.get(qtype, "text"),
        "label": {"text": _label_text(question), "classes": "govuk-label--s"}, "hint": _hint(question),
        "classes": WIDTHS.get(qtype, ""), "autocomplete": _autocomplete(question, sensitive),
        "inputmode": "numeric" if qtype == "number" else None,
        "spellcheck": False if qtype in ("email", "tel", "number") else None,
        "attributes": _attributes(question),
    }


def _textarea(question: Question, sensitive: bool) -> dict:
    """A GOV.UK character count: its limit is a data attribute, so nothing typed is cut, and people
    see how many characters are left (with JavaScript, only near a large limit)."""
    params = {"id": question.name, "name": question.name, "rows": question.rows,
              "label": {"text": _label_text(question), "classes": "govuk-label--s"}, "hint": _hint(question),
              "attributes": _attributes(question)}
    if question.max_length:
        params |= {"maxlength": question.max_length,
                   "threshold": 75 if question.max_length > LARGE_LIMIT else None}
    return params


def _date(question: Question, sensitive: bool) -> dict:
    items = [{"name": part, "classes": width, "attributes": _attributes(question)}
             for part, width in (("day", "govuk-input--width-2"), ("month", "govuk-input--width-2"),
                                 ("year", "govuk-input--width-4"))]
    return {"id": question.name, "namePrefix": question.name, "fieldset": _legend(question),
            "hint": _hint(question), "items": items}


def _choice_items(question: Question) -> list[dict]:
    required = {"required": {"value": True, "optional": True}} if _native_required(question) else {}
    items: list[dict] = []
    for option in question.options:
        if option.exclusive:
            items.append({"divider": "or"})
        item = {"value": option.value, "text": option.label, "attributes": dict(required)}
        if option.hint:
            item["hint"] = {"text": option.hint}
        if option.exclusive:
            item["behaviour"] = "exclusive"
        items.append(item)
    return items


def _radios(question: Question, sensitive: bool) -> dict:
    return {"name": question.name, "idPrefix": question.name, "fieldset": _legend(question),
            "hint": _hint(question), "items": _choice_items(question)}


def _checkboxes(question: Question, sensitive: bool) -> dict:
    params = _radios(question, sensitive)
    for item in params["items"]:   # the browser cannot say 'at least one box'; forms.js and the receiver do
        item.get("attributes", {}).pop("required", None)
    return params


def _select(question: Question, sensitive: bool) -> dict:
    items = [{"value": "", "text": gettext("Choose an option")}]
    items += [{"value": o.value, "text": o.label} for o in question.options]
    return {"id": question.name, "name": question.name,
            "label": {"text": _label_text(question), "classes": "govuk-label--s"},
            "hint": _hint(question), "items": items, "attributes": _attributes(question)}


def _declaration(question: Question, sensitive: bool) -> dict:
    required = {"required": {"value": True, "optional": True}} if _native_required(question) else {}
    return {"name": question.name, "idPrefix": question.name,
            "fieldset": _legend(question, question.summary_label or gettext("Declaration")),
            "hint": _hint(question),
            "items": [{"value": DECLARATION_VALUE, "text": question.label, "attributes": required}]}


def _address(question: Question, sensitive: bool) -> dict:
    items = []
    for part, label, token, width in ADDRESS_LABELS:
        needed = _native_required(question) and (part in ("line1", "town") or
                                                 (part == "postcode" and question.postcode_required))
        attrs = {"required": {"value": True, "optional": True}} if needed else {}
        optional = part == "postcode" and not question.postcode_required
        text = gettext("Postcode (optional)") if optional else gettext(label)
        items.append({"id": f"{question.name}-{part}", "name": f"{question.name}-{part}",
                      "label": {"text": text}, "classes": width, "attributes": attrs,
                      "autocomplete": _autocomplete(question, sensitive, token)
                      if question.autocomplete == "address" else None})
    hint = _hint(question)
    fieldset = _legend(question) | {"role": "group"}
    if hint:
        fieldset["describedBy"] = f"{question.name}-hint"
    return {"fieldset": fieldset, "hint": hint | {"id": f"{question.name}-hint"} if hint else None,
            "items": items}


_BUILDERS = {
    "text": ("input", _input), "email": ("input", _input), "tel": ("input", _input),
    "number": ("input", _input),
    "textarea": ("textarea", _textarea), "date": ("date", _date), "radios": ("radios", _radios),
    "checkboxes": ("checkboxes", _checkboxes), "select": ("select", _select),
    "declaration": ("checkboxes", _declaration), "address": ("address", _address),
}
