"""An email to the resident that their report arrived: the reference, what happens next, how to add
information, as accessible HTML and plain text, through SES.  Never their answers.

Sent only after the report is stored, only when the settings allow it for the form
(`acknowledge: true`, or the form listed in `acknowledge_forms`), and only when the resident
answered a question of type `email` (the schema's `x-sitegen-type`) that was asked (its
show-when condition holds: a resident who asked to be contacted only by phone gets no email).
The address is used as the recipient and nowhere else: it is never logged.  A failure is logged as the
reference and the error class, and never changes the resident's answer.
"""
from __future__ import annotations

import html
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..terminal import printable
from .notify import aws_client, describe, was_asked
from .words import (
    ACK_ADD,
    ACK_CALL,
    ACK_CONTACT_PAGE,
    ACK_CONTACT_US,
    ACK_EMERGENCY,
    ACK_HEADING,
    ACK_NEXT,
    ACK_NEXT_HEADING,
    ACK_NO_REPLY,
    ACK_OR,
    ACK_REFERENCE,
    ACK_SUBJECT,
    ACK_THANKS,
    current,
    say,
)

if TYPE_CHECKING:
    from .config import IntakeSettings
    from .schemas import FormSchema
    from .storage import Stored

LOG = logging.getLogger("sitegen.intake")
MAX_ADDRESS = 254               # RFC 5321's longest usable address
DEFAULT_NEXT = ACK_NEXT


@dataclass(frozen=True)
class Email:
    """One acknowledgement: subject, plain text and HTML."""

    subject: str
    text: str
    html: str


def wanted(settings: IntakeSettings, form_id: str) -> bool:
    """Whether the settings allow acknowledgements for FORM_ID."""
    return bool(settings.ses_from) and (settings.acknowledge or form_id in settings.acknowledge_forms)


def email_address(form: FormSchema, answers: Mapping[str, object]) -> str:
    """The resident's address: the answer to the form's first email question that was asked, or ''.

    A question asked only sometimes (like 'Email address' when the resident chose to be
    contacted by email) counts only when its condition holds: someone who chose 'phone only'
    is never emailed, whatever else was posted.
    """
    for name, prop in form.schema.get("properties", {}).items():
        if isinstance(prop, dict) and prop.get("x-sitegen-type") == "email" \
                and was_asked(form, name, answers):
            answer = answers.get(name)
            if isinstance(answer, str) and "@" in answer and len(answer) <= MAX_ADDRESS \
                    and not any(c in answer for c in "\r\n,;<>"):
                return answer.strip()
    return ""


def form_title(form: FormSchema) -> str:
    """The form's title from its schema in the current language (words.py), or its id."""
    title = form.title_in(current().code)
    return title.strip()[:200] if isinstance(title, str) and title.strip() else form.form_id


def how_to_add(settings: IntakeSettings, reference: str) -> str:
    """One sentence on adding information, quoting REFERENCE."""
    ways = []
    if settings.contact_phone:
        ways.append(say(ACK_CALL, phone=settings.contact_phone))
    if settings.contact_url:
        ways.append(say(ACK_CONTACT_PAGE, url=settings.contact_url))
    how = say(ACK_OR).join(ways) if ways else say(ACK_CONTACT_US)
    return say(ACK_ADD, how=how, reference=reference)


def compose(settings: IntakeSettings, form: FormSchema, reference: str) -> Email:
    """The acknowledgement of REFERENCE for FORM, in plain words, in the language the report was
    answered in (words.current); escaped for HTML."""
    title = form_title(form)
    subject = say(ACK_SUBJECT, reference=reference)
    lines = [say(ACK_THANKS, title=title),
             say(ACK_REFERENCE, reference=reference),
             say(DEFAULT_NEXT),
             how_to_add(settings, reference),
             say(ACK_EMERGENCY),
             say(ACK_NO_REPLY)]
    text = "\n\n".join(lines) + "\n"
    e = html.escape
    body = "".join(f"<p>{e(line)}</p>\n" for line in lines[2:])
    # The reference in bold: the sentence with a marker in its place, escaped, then the marker swapped.
    marked = e(say(ACK_REFERENCE, reference="\x00")).replace("\x00", f"<strong>{e(reference)}</strong>")
    page = (f"<!DOCTYPE html>\n<html lang=\"{e(current().html_lang)}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{e(subject)}</title>\n</head>\n<body>\n"
            f"<h1>{e(say(ACK_HEADING))}</h1>\n<p>{e(lines[0])}</p>\n"
            f"<p>{marked}</p>\n"
            f"<h2>{e(say(ACK_NEXT_HEADING))}</h2>\n{body}</body>\n</html>\n")
    return Email(subject, text, page)


class Acknowledger:
    """Sends acknowledgements through SES (v1 SendEmail); never raises."""

    def __init__(self, settings: IntakeSettings, factory: Callable[[str], object] | None = None):
        self.settings = settings
        self.factory = factory or (lambda service: aws_client(service, settings))
        self._client: Any = self.factory("ses")    # made now (Lambda's init phase), not per request

    def __call__(self, form: FormSchema, stored: Stored, answers: Mapping[str, object]) -> bool:
        """Email the resident about STORED when allowed and they gave an address; whether one was sent."""
        if not wanted(self.settings, form.form_id):
            return False
        address = email_address(form, answers)
        if not address:
            return False
        email = compose(self.settings, form, stored.reference)
        try:
            self._client.send_email(
                Source=self.settings.ses_from, Destination={"ToAddresses": [address]},
                Message={"Subject": {"Data": email.subject, "Charset": "UTF-8"},
                         "Body": {"Text": {"Data": email.text, "Charset": "UTF-8"},
                                  "Html": {"Data": email.html, "Charset": "UTF-8"}}})
        except Exception as exc:  # noqa: BLE001 - the report is stored; never fail the resident
            LOG.warning("intake acknowledge failed ref=%s error=%s", printable(stored.reference),
                        describe(exc))
            return False
        return True
