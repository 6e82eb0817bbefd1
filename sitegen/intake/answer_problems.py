"""The page a person sees when their answers were refused and no JavaScript ran.

With JavaScript, forms.js has already checked the answers; a refused post
goes back to the form (`?errors=...#problem`), which restores the draft and
shows each message.  Without it the static form page cannot say what was
wrong, so the receiver answers 422 with this page instead: a GOV.UK-style error
summary listing each problem in the form's own words (`x-sitegen-messages`,
the same messages forms.js shows), and the advice to use the browser's Back
button, which keeps everything typed (the form has no `maxlength`, so that is
everything).
"""
from __future__ import annotations

import html

from ..forms.model import CLIENT_TOKEN
from .answers import FieldError
from .responses import Response, html_page
from .words import CLEARED, PROBLEM, PROBLEM_ADVICE, PROBLEM_TITLE, START_AGAIN, say


def without_javascript(answers: object) -> bool:
    """Whether the post came from a page where forms.js did not run (no client token)."""
    token = answers.get(CLIENT_TOKEN) if isinstance(answers, dict) else None
    return not (isinstance(token, str) and token.strip())


def problems_page(errors: list[FieldError], form_url: str) -> Response:
    """422: 'There is a problem' with each of ERRORS' messages, and the way back to FORM_URL."""
    items = "".join(f"<li>{html.escape(error.message)}</li>" for error in errors)
    e = html.escape
    main = ("<div class=\"govuk-error-summary\" role=\"alert\">"
            f"<h1 class=\"govuk-error-summary__title\">{e(say(PROBLEM))}</h1>"
            "<div class=\"govuk-error-summary__body\">"
            f"<ul class=\"govuk-list govuk-error-summary__list\">{items}</ul></div></div>"
            f"<p>{e(say(PROBLEM_ADVICE))}</p>"
            f"<p><a href=\"{e(form_url)}\">{e(say(START_AGAIN))}</a> {e(say(CLEARED))}</p>")
    return html_page(422, say(PROBLEM_TITLE), main)
