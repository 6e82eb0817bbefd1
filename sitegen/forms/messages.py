"""Error messages in the GOV.UK style, one set per question.

Each kind of mistake has a key; an editor may override any of them under a
question's `messages:`.  The browser shows these messages and the JSON Schema
carries them (`x-sitegen-messages`) so a receiver can show the same words.
The defaults are the theme catalogue's, in the language active when the form
is read (i18n.activate): "Enter …" in English, "Rhowch …" in Welsh.
"""
from __future__ import annotations

from ..i18n import gettext

MESSAGE_KINDS = ("required", "too_short", "too_long", "pattern", "number", "too_small", "too_large",
                 "invalid", "missing_day", "missing_month", "missing_year", "real", "past", "future",
                 "line1", "town", "postcode_missing", "postcode")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _noun(summary_label: str, label: str) -> str:
    return _lower_first(summary_label) if summary_label else gettext("an answer to ‘%(label)s’") % {
        "label": label}


def _subject(summary_label: str, label: str) -> str:
    return summary_label if summary_label else gettext("Your answer to ‘%(label)s’") % {"label": label}


def default_messages(qtype: str, label: str, summary_label: str = "", *, min_length=None, max_length=None,
                     minimum=None, maximum=None) -> dict[str, str]:
    """The messages a question of QTYPE uses unless the editor gives their own."""
    noun, subject = _noun(summary_label, label), _subject(summary_label, label)
    words = {"noun": noun, "subject": subject, "lower_subject": _lower_first(subject)}
    required = (gettext("Select %(noun)s") if qtype in ("radios", "checkboxes", "select")
                else gettext("Enter %(noun)s"))
    messages = {"required": required % words, "invalid": gettext("Check %(lower_subject)s") % words}
    if qtype == "declaration":
        messages["required"] = gettext("Confirm the declaration to continue")
    if min_length is not None:
        messages["too_short"] = gettext("%(subject)s must be %(count)s characters or more") % (
            words | {"count": min_length})
    if max_length is not None:
        messages["too_long"] = gettext("%(subject)s must be %(count)s characters or fewer") % (
            words | {"count": max_length})
    messages.update(_type_messages(qtype, words, minimum, maximum))
    return messages


def _type_messages(qtype: str, words: dict, minimum, maximum) -> dict[str, str]:
    if qtype == "email":
        return {"pattern": gettext("Enter an email address in the correct format, like name@example.com")}
    if qtype == "tel":
        return {"pattern": gettext("Enter a telephone number, like 01632 960 001 or +44 7700 900 982")}
    if qtype == "text":
        return {"pattern": gettext("%(subject)s is not in the right format") % words}
    if qtype == "number":
        return {"number": gettext("%(subject)s must be a whole number") % words,
                "too_small": gettext("%(subject)s must be %(count)s or more") % (words | {"count": minimum}),
                "too_large": gettext("%(subject)s must be %(count)s or less") % (words | {"count": maximum})}
    if qtype == "date":
        return {"missing_day": gettext("%(subject)s must include a day") % words,
                "missing_month": gettext("%(subject)s must include a month") % words,
                "missing_year": gettext("%(subject)s must include a year") % words,
                "real": gettext("%(subject)s must be a real date") % words,
                "past": gettext("%(subject)s must be today or in the past") % words,
                "future": gettext("%(subject)s must be today or in the future") % words}
    if qtype == "address":
        return {"line1": gettext("Enter the building and street"), "town": gettext("Enter the town or city"),
                "postcode_missing": gettext("Enter the postcode"),
                "postcode": gettext("Enter a real postcode, like SW1A 1AA"),
                "too_long": gettext("Each line of the address must be 200 characters or fewer")}
    return {}
