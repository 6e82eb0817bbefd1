"""boto3 clients for S3 and CloudFront, and how their failures are reported.

Credentials, region and retry limits come from the usual boto3 chain
(environment, shared config, SSO, web identity/OIDC, instance roles).  Retries
use botocore's "standard" mode with exponential backoff; AWS_MAX_ATTEMPTS sets
how many attempts (3 by default).  `endpoint_url` points both clients at any
S3-compatible service (MinIO, moto, ...); AWS_ENDPOINT_URL_S3 and
AWS_ENDPOINT_URL_CLOUDFRONT work as usual when it is not given.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import boto3
from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

from ..errors import ServiceError


@dataclass(frozen=True)
class Target:
    """Where a site is published."""

    bucket: str
    prefix: str = ""
    region: str = ""
    endpoint_url: str = ""
    distribution_id: str = ""

    @property
    def where(self) -> str:
        """'s3://bucket/prefix/' for messages."""
        return f"s3://{self.bucket}/{self.key_prefix}"

    @property
    def key_prefix(self) -> str:
        """The prefix as used in keys: '' or 'some/prefix/'."""
        prefix = self.prefix.strip("/")
        return prefix + "/" if prefix else ""

    def key(self, path: str) -> str:
        """The S3 key of a path relative to build/."""
        return self.key_prefix + path


def prefix_parts_fault(prefix: str) -> str:
    """Why PREFIX cannot name a folder of keys ('' if it can; '' and '/' are the bucket's root):
    an empty, '.' or '..' part, which S3 keeps as written but a reader of the keys would not."""
    parts = prefix.strip("/").split("/")
    if prefix.strip("/") and any(part in ("", ".", "..") for part in parts):
        return "the prefix has an empty, '.' or '..' part"
    return ""


@dataclass
class Clients:
    """The S3 client, and a CloudFront client made on first use."""

    s3: Any
    session: Any
    config: Config
    endpoint_url: str | None = None
    _cloudfront: Any = None

    @property
    def cloudfront(self) -> Any:
        """A CloudFront client (same endpoint override as S3, if any)."""
        if self._cloudfront is None:
            self._cloudfront = self.session.client("cloudfront", endpoint_url=self.endpoint_url,
                                                   config=self.config)
        return self._cloudfront


def client_config(jobs: int, endpoint_url: str = "") -> Config:
    """Standard retries with backoff, a connection pool as large as the thread pool."""
    return Config(
        retries={"mode": "standard"},
        max_pool_connections=max(jobs, 10),
        connect_timeout=10,
        read_timeout=60,
        user_agent_extra="sitegen-publish",
        s3={"addressing_style": "path"} if endpoint_url else None,
    )


def make_clients(target: Target, jobs: int) -> Clients:
    """Clients for TARGET, with JOBS pooled connections."""
    session = boto3.session.Session(region_name=target.region or None)
    config = client_config(jobs, target.endpoint_url)
    endpoint = target.endpoint_url or None
    with service_errors(target.where):
        s3 = session.client("s3", endpoint_url=endpoint, config=config)
    return Clients(s3=s3, session=session, config=config, endpoint_url=endpoint)


def describe(exc: Exception) -> str:
    """A one-line explanation of a boto3/botocore failure."""
    if isinstance(exc, NoCredentialsError):
        return ("no AWS credentials found (environment, ~/.aws, SSO, web identity or instance role);"
                " in GitHub Actions use aws-actions/configure-aws-credentials")
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = error.get("Code", "Error")
        message = error.get("Message") or exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", "")
        return f"{exc.operation_name} failed: {code}: {message}"
    return f"{type(exc).__name__}: {exc}"


def was_retried(exc: Exception) -> bool:
    """True for failures botocore retries (connection, throttling, 5xx); not for refusals."""
    if isinstance(exc, NoCredentialsError):
        return False
    if isinstance(exc, ClientError):
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0)
        return status >= 500 or status == 429
    return True


@contextmanager
def service_errors(where: str, note: str = "") -> Iterator[None]:
    """Turn any boto3/botocore failure inside the block into a ServiceError (exit 3).

    NOTE says what state the failure leaves things in.
    """
    try:
        yield
    except (BotoCoreError, ClientError, Boto3Error) as exc:
        message = describe(exc) + (" (gave up after retries)" if was_retried(exc) else "")
        raise ServiceError(where, message + (f"; {note}" if note else "")) from exc
