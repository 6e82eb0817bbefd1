"""A moto server on 127.0.0.1 for tests that talk to AWS APIs over real HTTP.

A pytest plugin (registered in conftest.py), so its fixtures need no import:

    def test_x(moto_endpoint, aws_env, s3, bucket):
        s3.put_object(Bucket=bucket, Key="a", Body=b"...")

`MotoProcess` (sitegen.devserver's, which the preview uses too) starts
`moto.server` as a subprocess on a free loopback port and waits until it
answers; one shared server (`shared_endpoint()`) serves the whole test session
and is stopped when Python exits.  Every moto backend (S3,
CloudFront, ...) answers on the one endpoint; use a fresh bucket per test.
`aws_env` points boto3 at fake credentials and keeps it from reading the
developer's AWS files or the instance metadata service, so nothing leaves the
machine.  `s3` is a client for it (one per session), `bucket` a new empty
bucket and `distribution` a new CloudFront distribution.
"""
from __future__ import annotations

import atexit
import os
import uuid

import boto3
import pytest

from sitegen.devserver import HOST, MotoProcess, free_port  # noqa: F401 - re-exported for tests
from sitegen.intake.config import IntakeSettings

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


FAKE_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
_CLIENTS: dict[str, object] = {}


def client_for(endpoint: str):
    """One S3 client per endpoint for the session (making one takes a while), with fake credentials."""
    if endpoint not in _CLIENTS:
        from sitegen.intake.storage import make_client
        _CLIENTS[endpoint] = make_client(IntakeSettings(endpoint_url=endpoint, region="us-east-1", max_connections=64),
                                         credentials=FAKE_CREDENTIALS)
    return _CLIENTS[endpoint]


@pytest.fixture
def s3(moto_endpoint, aws_env):
    """A boto3 S3 client for the moto server."""
    return client_for(moto_endpoint)


@pytest.fixture
def bucket(s3) -> str:
    """A new, empty bucket."""
    name = f"test-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def distribution(moto_endpoint, aws_env) -> str:
    """A new CloudFront distribution (an S3 origin, no aliases); its id."""
    cloudfront = boto3.client("cloudfront", endpoint_url=moto_endpoint)
    config = {
        "CallerReference": uuid.uuid4().hex, "Comment": "", "Enabled": True,
        "Origins": {"Quantity": 1, "Items": [{"Id": "s3", "DomainName": "site.s3.amazonaws.com",
                                              "S3OriginConfig": {"OriginAccessIdentity": ""}}]},
        "DefaultCacheBehavior": {"TargetOriginId": "s3", "ViewerProtocolPolicy": "redirect-to-https",
                                 "MinTTL": 0, "ForwardedValues": {"QueryString": False,
                                                                  "Cookies": {"Forward": "none"}},
                                 "TrustedSigners": {"Enabled": False, "Quantity": 0}},
    }
    return cloudfront.create_distribution(DistributionConfig=config)["Distribution"]["Id"]


def own_moto_server():
    """A moto server for one test module alone (its endpoint), for state another module's
    CloudFormation stack would spoil (moto's /moto-api/data.json): in that module,
    `own_endpoint = pytest.fixture(scope="module")(own_moto_server)`."""
    moto = MotoProcess().start()
    yield moto.endpoint
    moto.stop()
