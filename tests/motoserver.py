"""A moto server on 127.0.0.1 for tests that talk to AWS APIs over real HTTP.

    from motoserver import moto_endpoint, aws_env   # fixtures; add to a test module

    def test_x(moto_endpoint, aws_env):
        s3 = boto3.client("s3", endpoint_url=moto_endpoint)

`MotoProcess` (sitegen.devserver's, which the preview uses too) starts
`moto.server` as a subprocess on a free loopback port and waits until it
answers; one shared server (`shared_endpoint()`) serves the whole test session
and is stopped when Python exits.  Every moto backend (S3,
CloudFront, ...) answers on the one endpoint; use a fresh bucket per test.
`aws_env` points boto3 at fake credentials and keeps it from reading the
developer's AWS files or the instance metadata service, so nothing leaves the
machine.
"""
from __future__ import annotations

import atexit
import os

import pytest

from sitegen.devserver import HOST, MotoProcess, free_port  # noqa: F401 - re-exported for tests

_SHARED: MotoProcess | None = None


def shared_endpoint() -> str:
    """The endpoint of the one server shared by the test session (started on first use)."""
    global _SHARED
    if _SHARED is None:
        _SHARED = MotoProcess().start()
        atexit.register(_SHARED.stop)
    return _SHARED.endpoint


FAKE_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
UNSET_AWS_ENV = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3",
                 "AWS_ENDPOINT_URL_CLOUDFRONT", "AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE",
                 "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                 "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE")


@pytest.fixture(scope="session")
def moto_endpoint() -> str:
    """URL of a moto server on 127.0.0.1 shared by the session."""
    return shared_endpoint()


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials; no AWS config files, profiles or metadata service."""
    for name in UNSET_AWS_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_AWS_ENV.items():
        monkeypatch.setenv(name, value)
