"""What the receiver answers: one Response type shared by the WSGI app and the
Lambda handler, JSON for scripts, small HTML pages or redirects for people."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from http import HTTPStatus

from .words import BACK, EMERGENCY, current, say

BASE_HEADERS = (("Cache-Control", "no-store"), ("X-Content-Type-Options", "nosniff"),
                ("Referrer-Policy", "no-referrer"))
PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"


@dataclass
class Response:
    """A status, headers in order, and a body."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: str) -> str:
        """The first value of header NAME, or ''."""
        return next((v for k, v in self.headers if k.lower() == name.lower()), "")

    @property
    def status_line(self) -> str:
        """Like '303 See Other'."""
        return f"{self.status} {HTTPStatus(self.status).phrase}"


def json_response(status: int, payload: dict, *extra: tuple[str, str]) -> Response:
    """PAYLOAD as a JSON response."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Response(status, [("Content-Type", "application/json; charset=utf-8"), *BASE_HEADERS, *extra],
                    body)


def page_response(status: int, title: str, message: str, back_url: str = "",
                  *extra: tuple[str, str]) -> Response:
    """A minimal accessible HTML page saying TITLE and MESSAGE, with a link back to the form."""
    back = (f'<p><a href="{html.escape(back_url)}">{html.escape(say(BACK))}</a></p>' if back_url else "")
    return html_page(status, title, f"<h1>{html.escape(title)}</h1><p>{html.escape(message)}</p>{back}",
                     *extra)


def html_page(status: int, title: str, main: str, *extra: tuple[str, str]) -> Response:
    """A minimal accessible HTML page in the current voice's language (words.py): TITLE (text) in
    the head, MAIN (markup, already escaped) then the 999 line in <main>, served under the
    receiver's page CSP."""
    lang = html.escape(current().html_lang)
    body = (f"<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>{html.escape(title)}</title></head><body><main>{main}<p>{html.escape(say(EMERGENCY))}</p>"
            "</main></body></html>\n")
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Security-Policy", PAGE_CSP),
               *BASE_HEADERS]
    return Response(status, headers + list(extra), body.encode("utf-8"))


def redirect(location: str) -> Response:
    """303 See Other to LOCATION."""
    return Response(303,
                    [("Location", location), ("Content-Type", "text/plain; charset=utf-8"), *BASE_HEADERS],
                    f"See {location}\n".encode())


def empty(status: int, *extra: tuple[str, str]) -> Response:
    """A response with no body."""
    return Response(status, [*BASE_HEADERS, *extra])
