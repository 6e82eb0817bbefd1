"""Submissions in S3, each stored exactly once, and only then acknowledged.

    <prefix><form>/<yyyy>/<mm>/<dd>/<reference>.json   the submission (UTC date received)
    <prefix>_claims/<form>/<8 characters>.json         which digest owns a reference

Every write is a conditional put (`If-None-Match: *`), encrypted with SSE-S3,
or SSE-KMS when a key is configured.  `SubmissionStore.store`:

1. works out the reference from the submission's keyed digest and claims it
   with a conditional put of a small claim object (the digest, the reference,
   the submission's key: no answers);
2. if the claim exists already, reads it: the same digest means this is a
   retry (or a concurrent twin) and the claimed reference and key are reused,
   even across midnight or New Year; another digest means two submissions
   met on one reference by chance (40 bits), and the next candidate is tried;
3. puts the submission with a conditional put: already there means an earlier
   attempt with the same digest stored it.

So a retried post stores one object, concurrent twins converge on one key,
and a chance clash never overwrites or drops anyone's report.  Each S3
request is retried with exponential backoff and jitter; when that fails,
StorageUnavailable goes up and nothing is acknowledged.
"""
from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from ..errors import Problem, SitegenError
from ..terminal import printable
from .references import derive_body, make_reference

T = TypeVar("T")

LOG = logging.getLogger("sitegen.intake")
CLAIMS = "_claims"
MAX_CANDIDATES = 16
_RETRYABLE_STATUS = {408, 409, 429, 500, 502, 503, 504}


class StorageUnavailable(Exception):
    """S3 could not be written after retries: answer 503, acknowledge nothing."""


@dataclass(frozen=True)
class Stored:
    """The outcome of a store: the reference, the object key, and whether this call wrote it."""

    reference: str
    key: str
    written: bool


def make_client(settings, credentials: dict | None = None, service: str = "s3", connect_timeout: float = 3,
                read_timeout: float = 10, attempts: int = 1):
    """A boto3 client of SERVICE for SETTINGS' endpoint and region (botocore's own retries off
    with ATTEMPTS 1: the receiver retries itself, see retrying()).

    CREDENTIALS (aws_access_key_id, ...) are for local endpoints; otherwise boto3's usual chain.
    """
    import boto3
    from botocore.config import Config
    config = Config(retries={"max_attempts": attempts, "mode": "standard"}, connect_timeout=connect_timeout,
                    read_timeout=read_timeout, max_pool_connections=settings.max_connections)
    return boto3.session.Session().client(service, endpoint_url=settings.endpoint_url or None,
                                          region_name=settings.region or None, config=config,
                                          **(credentials or {}))


def require_conditional_writes(client) -> None:
    """Refuse to start with a botocore too old to send If-None-Match on PutObject (August 2024)."""
    members = client.meta.service_model.operation_model("PutObject").input_shape.members
    if "IfNoneMatch" not in members:
        raise SitegenError([Problem("boto3", 0, 0, "this botocore cannot make conditional writes (PutObject "
                                                    "IfNoneMatch); install a newer boto3 with the receiver")])


def encryption_args(kms_key_id: str) -> dict:
    """PutObject arguments for SSE-KMS with KMS_KEY_ID, or SSE-S3 when it is ''."""
    if kms_key_id:
        return {"ServerSideEncryption": "aws:kms", "SSEKMSKeyId": kms_key_id}
    return {"ServerSideEncryption": "AES256"}


class S3Writer:
    """Conditional puts and small reads in one bucket, retried with backoff."""

    def __init__(self, client, bucket: str, kms_key_id: str = "", retries: int = 3, backoff: float = 0.2,
                 sleep: Callable[[float], None] = time.sleep):
        self.client, self.bucket, self.retries = client, bucket, retries
        self.backoff, self.sleep = backoff, sleep
        self.encryption = encryption_args(kms_key_id)

    def put_new(self, key: str, body: bytes) -> bool:
        """Write KEY only if it does not exist: True when written, False when it was there."""
        from botocore.exceptions import ClientError

        def put():
            try:
                self.client.put_object(Bucket=self.bucket, Key=key, Body=body, IfNoneMatch="*",
                                       ContentType="application/json", **self.encryption)
                return True
            except ClientError as exc:
                if status_of(exc) == 412:
                    return False
                raise
        return self._retrying(put)

    def get_json(self, key: str) -> dict | None:
        """The JSON object at KEY, or None when there is none."""
        from botocore.exceptions import ClientError

        def get():
            try:
                body = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
            except ClientError as exc:
                if status_of(exc) == 404:
                    return None
                raise
            return json.loads(body)
        return self._retrying(get)

    def _retrying(self, action: Callable[[], object]):
        """ACTION, tried 1 + retries times with exponential backoff and full jitter."""
        from botocore.exceptions import BotoCoreError, ClientError
        try:
            return retrying(action, self.retries, self.backoff, self.sleep, _RETRYABLE_STATUS, ValueError)
        except (BotoCoreError, ClientError, OSError, ValueError) as exc:
            LOG.warning("intake s3 failed: %s", printable(describe(exc)))   # S3's error code is its text
            raise StorageUnavailable(describe(exc)) from None


def retrying(action: Callable[[], T], retries: int, backoff: float, sleep: Callable[[float], object],
             retryable: set[int], *also: type[Exception]) -> T:
    """ACTION's result, trying it 1 + RETRIES times while AWS fails in a way worth trying again
    (no answer, or an HTTP status in RETRYABLE), waiting a random part of BACKOFF * 2**attempt
    seconds between tries (full jitter); the last failure is raised.  ALSO: other exception
    types to retry (a body that stops part-way)."""
    from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError
    for attempt in range(retries + 1):
        try:
            return action()
        except (BotoCoreError, ClientError, OSError, *also) as exc:
            if isinstance(exc, ParamValidationError) or attempt == retries or (
                    isinstance(exc, ClientError) and status_of(exc) not in retryable):
                raise
            sleep(random.uniform(0, backoff * 2 ** attempt))
    raise AssertionError("unreachable: the last attempt returns or raises")


def status_of(exc: Exception) -> int:
    """The HTTP status of an AWS ClientError, or 0 when it has none."""
    response = getattr(exc, "response", None)
    metadata = response.get("ResponseMetadata") if isinstance(response, dict) else None
    status = metadata.get("HTTPStatusCode") if isinstance(metadata, dict) else 0
    return status if isinstance(status, int) else 0


def error_code(exc: Exception | None) -> str:
    """AWS's error code of EXC ('SlowDown', 'NoSuchBucket'), or '' (connection failures,
    ReadTimeoutError and the like, carry `response = None`)."""
    response = getattr(exc, "response", None)
    error = response.get("Error") if isinstance(response, dict) else None
    code = error.get("Code") if isinstance(error, dict) else ""
    return code if isinstance(code, str) else ""


def describe(exc: Exception | None) -> str:
    """The exception's type and AWS's error code when it has one, like 'ClientError SlowDown'."""
    code = error_code(exc)
    return f"{type(exc).__name__}{f' {code}' if code else ''}"


def submission_key(prefix: str, form_id: str, received: datetime, reference: str) -> str:
    """<prefix><form>/<yyyy>/<mm>/<dd>/<reference>.json for a submission RECEIVED (UTC)."""
    return f"{prefix}{form_id}/{received:%Y/%m/%d}/{reference}.json"


class SubmissionStore:
    """Stores each submission once under its reference (see the module docstring)."""

    def __init__(self, writer: S3Writer, prefix: str = ""):
        self.writer, self.prefix = writer, prefix

    def store(self, form_id: str, ref_prefix: str, digest: bytes, received: datetime,
              document: Callable[[str], bytes],
              claimed: Callable[[str, str], None] | None = None) -> Stored:
        """Store DOCUMENT(reference) for the submission named by DIGEST; StorageUnavailable on failure.

        CLAIMED(reference, key), when given, is called once this call has made a NEW claim (the
        first attempt for DIGEST), before the submission is put: notify.py's outbox marker.
        """
        for attempt in range(MAX_CANDIDATES):
            claim = self._claim(form_id, ref_prefix, digest, received, attempt, claimed)
            if claim is not None:
                written = self.writer.put_new(claim["key"], document(claim["reference"]))
                return Stored(claim["reference"], claim["key"], written)
        raise StorageUnavailable("no free reference")

    def _claim(self, form_id: str, ref_prefix: str, digest: bytes, received: datetime,
               attempt: int, claimed: Callable[[str, str], None] | None = None) -> dict | None:
        """This digest's claim on candidate ATTEMPT (new or earlier), or None when another digest holds it."""
        body = derive_body(digest, attempt)
        reference = make_reference(ref_prefix, received.year, body)
        claim = {"digest": digest.hex(), "reference": reference,
                 "key": submission_key(self.prefix, form_id, received, reference)}
        claim_key = f"{self.prefix}{CLAIMS}/{form_id}/{body}.json"
        if self.writer.put_new(claim_key, json.dumps(claim).encode("utf-8")):
            if claimed is not None:
                claimed(reference, claim["key"])
            return claim
        existing = self.writer.get_json(claim_key)
        if existing is None:
            raise StorageUnavailable("claim vanished")
        if existing.get("digest") != claim["digest"]:
            LOG.info("intake reference clash form=%s attempt=%d", printable(form_id), attempt)
            return None
        return existing
