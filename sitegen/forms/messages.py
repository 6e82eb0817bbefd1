"""Error messages in the GOV.UK style, one set per question.

Each kind of mistake has a key; an editor may override any of them under a
question's `messages:`.  The browser shows these messages and the JSON Schema
carries them (`x-sitegen-messages`) so a receiver can show the same words.
"""
from __future__ import annotations

MESSAGE_KINDS = ("required", "too_short", "too_long", "pattern", "number", "too_small", "too_large",
                 "invalid", "missing_day", "missing_month", "missing_year", "real", "past", "future",
                 "line1", "town", "postcode_missing", "postcode")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[1:2].islower() or len(text) == 1 else text


def _noun(summary_label: str, label: str) -> str:
    return _lower_first(summary_label) if summary_label else f"an answer to ‘{label}’"


def _subject(summary_label: str, label: str) -> str:
    return summary_label if summary_label else f"Your answer to ‘{label}’"


def default_messages(qtype: str, label: str, summary_label: str = "", *, min_length=None, max_length=None,
                     minimum=None, maximum=None) -> dict[str, str]:
    """The messages a question of QTYPE uses unless the editor gives their own."""
    noun, subject = _noun(summary_label, label), _subject(summary_label, label)
    verb = "Select" if qtype in ("radios", "checkboxes", "select") else "Enter"
    messages = {"required": f"{verb} {noun}", "invalid": f"Check {_lower_first(subject)}"}
    if qtype == "declaration":
        messages["required"] = "Confirm the declaration to continue"
    if min_length is not None:
        messages["too_short"] = f"{subject} must be {min_length} characters or more"
    if max_length is not None:
        messages["too_long"] = f"{subject} must be {max_length} characters or fewer"
    messages.update(_type_messages(qtype, subject, minimum, maximum))
    return messages


def _type_messages(qtype: str, subject: str, minimum, maximum) -> dict[str, str]:
    if qtype == "email":
        return {"pattern": "Enter an email address in the correct format, like name@example.com"}
    if qtype == "tel":
        return {"pattern": "Enter a telephone number, like 01632 960 001 or +44 7700 900 982"}
    if qtype == "text":
        return {"pattern": f"{subject} is not in the right format"}
    if qtype == "number":
        return {"number": f"{subject} must be a whole number",
                "too_small": f"{subject} must be {minimum} or more",
                "too_large": f"{subject} must be {maximum} or less"}
    if qtype == "date":
        return {"missing_day": f"{subject} must include a day",
                "missing_month": f"{subject} must include a month",
                "missing_year": f"{subject} must include a year", "real": f"{subject} must be a real date",
                "past": f"{subject} must be today or in the past",
                "future": f"{subject} must be today or in the future"}
    if qtype == "address":
        return {"line1": "Enter the building and street", "town": "Enter the town or city",
                "postcode_missing": "Enter the postcode", "postcode": "Enter a real postcode, like SW1A 1AA",
                "too_long": "Each line of the address must be 200 characters or fewer"}
    return {}
