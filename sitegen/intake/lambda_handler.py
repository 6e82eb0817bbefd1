"""The AWS Lambda door: API Gateway HTTP API (payload format 2.0) and Lambda
function URL events, which share one shape, into the same core as the WSGI app.

Handler: `sitegen.intake.lambda_handler.handler`.  Settings come from
SITEGEN_INTAKE_* environment variables, schemas from `forms/` beside the code
(see docs/intake.md).  The receiver is built once per execution environment.

`redrive_handler` is the scheduled door (an EventBridge rule, every 15 minutes in
deploy/sitegen.yaml): it sends the announcements waiting in the outbox, as
`sitegen intake redrive` does, under a role of its own.
"""
from __future__ import annotations

import base64
import binascii
import logging
import os
import threading

from .core import Receiver, Request, make_receiver
from .responses import Response, json_response

LOG = logging.getLogger("sitegen.intake")
_RECEIVER: Receiver | None = None
_LOCK = threading.Lock()


def handler(event: dict, context: object = None) -> dict:
    """Answer one HTTP event from API Gateway (HTTP API, v2) or a function URL."""
    try:
        request = request_from_event(event)
    except (KeyError, TypeError, ValueError, AttributeError, binascii.Error):  # ValueError: lone surrogates
        LOG.info("intake form=- ref=- bytes=0 outcome=bad_event status=400")
        return event_response(json_response(400, {"error": "bad_event"}))
    return event_response(receiver().handle(request))


def receiver() -> Receiver:
    """The receiver of this execution environment, made on first use from the environment."""
    global _RECEIVER
    with _LOCK:
        if _RECEIVER is None:
            from .config import lambda_settings
            logging.getLogger("sitegen").setLevel(logging.INFO)
            _RECEIVER = make_receiver(lambda_settings())
        return _RECEIVER


def use_receiver(value: Receiver | None) -> None:
    """Set (or with None, forget) the receiver the handler uses: for tests and custom start-up."""
    global _RECEIVER
    with _LOCK:
        _RECEIVER = value


def request_from_event(event: dict) -> Request:
    """The Request in a payload-2.0 EVENT (header names lower-cased, base64 bodies decoded)."""
    http = event["requestContext"]["http"]
    headers = {str(k).lower(): str(v) for k, v in (event.get("headers") or {}).items()}
    body = event.get("body") or ""
    raw = base64.b64decode(body, validate=True) if event.get("isBase64Encoded") else body.encode("utf-8")
    return Request(http["method"].upper(), _path(event), headers, raw, http.get("sourceIp", ""))


def _path(event: dict) -> str:
    """rawPath without the API Gateway stage, when the stage is not $default."""
    path = event.get("rawPath") or event["requestContext"]["http"].get("path") or "/"
    stage = event["requestContext"].get("stage") or "$default"
    if stage != "$default" and path.startswith(f"/{stage}/"):
        path = path[len(stage) + 1:]
    return path


def event_response(response: Response) -> dict:
    """RESPONSE in the shape API Gateway and function URLs expect (repeated headers joined)."""
    headers: dict[str, str] = {}
    for name, value in response.headers:
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return {"statusCode": response.status, "headers": headers, "body": response.body.decode("utf-8"),
            "isBase64Encoded": False}


def redrive_handler(event: dict, context: object = None) -> dict:
    """Send every announcement waiting in the outbox whose report is stored (notify.redrive);
    logs each reference with what was done, never an answer.  Returns {"sent": N, "failed": M}."""
    from ..errors import Problem, SitegenError
    from .config import IntakeSettings, env_name, from_env
    from .notify import redrive
    from .storage import make_client
    logging.getLogger("sitegen").setLevel(logging.INFO)
    settings = from_env(os.environ, IntakeSettings())   # the outbox needs no reference secret or schemas
    if not settings.bucket:
        raise SitegenError([Problem(env_name("bucket"), 0, 0, "not set: the bucket whose outbox to send")])
    sent, failed = redrive(settings, make_client(settings),
                           report=lambda reference, outcome: LOG.info("intake redrive ref=%s outcome=%s",
                                                                      reference, outcome))
    LOG.info("intake redrive sent=%d failed=%d", sent, failed)
    return {"sent": sent, "failed": failed}
