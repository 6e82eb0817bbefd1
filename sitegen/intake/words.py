"""The receiver's words, in the language a report was answered in.

The receiver (a Lambda, or `sitegen intake serve`) has no message catalogue: on a site of
several languages the build puts what it needs into each form's schema.json, under
`x-sitegen-translations.<tag>.receiver` (English -> that language, from the theme's
catalogue and the site's overrides, for every message of RECEIVER_WORDS), with the form's
own words beside them.  `FormSchema.voice` picks the language a post names in its `lang`
field (only one of the schema's `x-sitegen-languages`; anything else is the default), and
everything the receiver writes inside `speaking(voice)` is in it: pages, messages, redirects
(`prefix`), the acknowledgement email.  A one-language site's schemas carry none of this,
and the receiver writes English as it always has.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

DEFAULT_HTML_LANG = "en-GB"


def N_(message: str) -> str:
    """MESSAGE itself: marks an English message for the catalogue's extraction (pybabel's N_)."""
    return message


# Every message the receiver writes through `say`, as the catalogue's message ids.
SERVER_ERROR = (N_("Sorry, something went wrong"),
                N_("Nothing has been sent. Go back and send your answers again."))
INCOMPLETE = (N_("We did not receive all of your answers"),
              N_("Your answers did not arrive in full. Go back and send the form again."))
NOT_READ = N_("We could not read your answers")
NO_LENGTH = N_("Your browser did not say how long your answers were. Go back and send them again.")
TOO_MANY = (N_("Too many attempts"), N_("Wait %(seconds)s seconds, then go back and send the form again."))
UNKNOWN_FORM = (N_("Form not found"), N_("We do not have this form."))
WRONG_METHOD = (N_("Send the form to send your answers"),
                N_("This address only accepts answers sent from the form."))
TOO_LARGE = (N_("Your answers are too long"),
             N_("We can accept up to %(size)s KB. Go back, shorten your longest answers and send the form"
                " again."))
WRONG_TYPE = N_("Answers must be sent as application/json or application/x-www-form-urlencoded in UTF-8.")
BAD_LENGTH = N_("The request's Content-Length is not a number of bytes.")
UNAVAILABLE = (N_("Sorry, we could not send your answers"),
               N_("Nothing has been sent. Wait a few minutes, then go back and send the form again."))
NOT_FOUND = (N_("Page not found"), N_("Forms send their answers to /submit/<form>."))
BACK = N_("Go back to the form")
EMERGENCY = N_("If a crime is happening now or someone is in danger, call 999.")
PROBLEM = N_("There is a problem")
PROBLEM_TITLE = N_("Error: There is a problem with your answers")
PROBLEM_ADVICE = N_("Nothing has been sent yet. Use your browser’s Back button to return to the form (in"
                    " most browsers what you typed is still there), change these answers, then send the"
                    " form again.")
START_AGAIN = N_("Start the form again")
CLEARED = N_("(your answers will be cleared)")
CHECK_ANSWER = N_("Check this answer")
UNEXPECTED = N_("Unexpected answer")
NOT_AN_OBJECT = N_("The answers must be a JSON object")
ACK_SUBJECT = N_("We have your report: %(reference)s")
ACK_HEADING = N_("We have received your report")
ACK_THANKS = N_("Thank you. We have received your answers to '%(title)s'.")
ACK_REFERENCE = N_("Your reference number is %(reference)s. Keep it: quote it if you contact us about this.")
ACK_NEXT_HEADING = N_("What happens next")
ACK_NEXT = N_("We will read your report and contact you if we need to know more or when we have an update.")
ACK_CALL = N_("call %(phone)s")
ACK_CONTACT_PAGE = N_("use our contact page at %(url)s")
ACK_OR = N_(" or ")
ACK_CONTACT_US = N_("contact us")
ACK_ADD = N_("To tell us more, %(how)s and give your reference number, %(reference)s.")
ACK_EMERGENCY = N_("If someone is in danger or a crime is happening now, call 999.")
ACK_NO_REPLY = N_("Please do not reply to this email: replies are not read.")

RECEIVER_WORDS: tuple[str, ...] = tuple(dict.fromkeys(
    word for item in (SERVER_ERROR, INCOMPLETE, NOT_READ, NO_LENGTH, TOO_MANY, UNKNOWN_FORM, WRONG_METHOD,
                      TOO_LARGE, WRONG_TYPE, BAD_LENGTH, UNAVAILABLE, NOT_FOUND, BACK, EMERGENCY, PROBLEM,
                      PROBLEM_TITLE, PROBLEM_ADVICE, START_AGAIN, CLEARED, CHECK_ANSWER, UNEXPECTED,
                      NOT_AN_OBJECT, ACK_SUBJECT, ACK_HEADING, ACK_THANKS, ACK_REFERENCE, ACK_NEXT_HEADING,
                      ACK_NEXT, ACK_CALL, ACK_CONTACT_PAGE, ACK_OR, ACK_CONTACT_US, ACK_ADD, ACK_EMERGENCY,
                      ACK_NO_REPLY)
    for word in ((item,) if isinstance(item, str) else item)))


@dataclass(frozen=True)
class Voice:
    """A language the receiver answers in: CODE, its tag ('' on a one-language site), PATH, the
    folder of its pages ('' for the default), and WORDS, English -> this language."""

    code: str = ""
    path: str = ""
    words: Mapping[str, str] = field(default_factory=dict)

    @property
    def prefix(self) -> str:
        """'' for the default language, else '/cy': before a site path."""
        return f"/{self.path}" if self.path else ""

    @property
    def html_lang(self) -> str:
        """The `lang` of the receiver's own pages."""
        return self.code or DEFAULT_HTML_LANG


DEFAULT_VOICE = Voice()
_voice: ContextVar[Voice] = ContextVar("sitegen_intake_voice", default=DEFAULT_VOICE)


@contextmanager
def speaking(voice: Voice) -> Iterator[Voice]:
    """Within the block (this thread or task only), `say` and `current` are VOICE's."""
    token = _voice.set(voice)
    try:
        yield voice
    finally:
        _voice.reset(token)


def current() -> Voice:
    """The voice the receiver answers in now (English on a one-language site)."""
    return _voice.get()


def say(message: str, **values: object) -> str:
    """MESSAGE (one of RECEIVER_WORDS) in the current voice, with VALUES put in its %(name)s
    places; the English when the voice has no word for it or its word does not fit VALUES."""
    text = _voice.get().words.get(message) or message
    if not values:
        return text
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        return message % values
