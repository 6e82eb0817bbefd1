"""The Lambda handler on recorded API Gateway HTTP API (v2) and function URL events
(tests/fixtures/intake/), configured from the environment as in AWS, storing into
moto's S3 server on 127.0.0.1."""
from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
import zipfile

import pytest

from conftest import run_cli
from motoserver import free_port
from sitegen.errors import SitegenError
from sitegen.intake import lambda_handler
from sitegen.intake.config import lambda_settings
from sitegen.intake.core import make_receiver
from test_intake_support import FIXTURES, ORIGIN, RECEIVED, SECRET, VALID_ANSWERS, client_for, submissions


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@pytest.fixture
def lambda_env(monkeypatch, bucket, moto_endpoint, schemas, aws_env):
    """SITEGEN_INTAKE_* as a deployment would set them; the handler builds its receiver from them."""
    for name, value in {"BUCKET": bucket, "PREFIX": "reports/", "ENDPOINT_URL": moto_endpoint, "SCHEMAS": str(schemas),
                        "SECRET": SECRET, "SITE_URL": "https://www.example.police.uk/", "RETRIES": "1",
                        "BACKOFF_SECONDS": "0.01"}.items():
        monkeypatch.setenv(f"SITEGEN_INTAKE_{name}", value)
    lambda_handler.use_receiver(None)
    yield
    lambda_handler.use_receiver(None)


@pytest.fixture
def fixed_clock(lambda_env):
    """The handler's receiver, from the environment, with the tests' fixed clock."""
    lambda_handler.use_receiver(make_receiver(lambda_settings(), clock=lambda: RECEIVED, client=client_for(
        lambda_settings().endpoint_url)))


def test_api_gateway_json_event_is_stored_and_answered_in_json(lambda_env, s3, bucket):
    result = lambda_handler.handler(load("apigw-http-api-json.json"), None)
    assert result["statusCode"] == 201 and result["isBase64Encoded"] is False
    assert result["headers"]["Content-Type"].startswith("application/json")
    assert result["headers"]["Access-Control-Allow-Origin"] == ORIGIN
    reference = json.loads(result["body"])["reference"]
    [(key, document)] = submissions(s3, bucket).items()
    assert key.startswith("reports/report-crime/") and key.endswith(f"/{reference}.json")
    assert document["answers"] == VALID_ANSWERS and document["reference"] == reference


@pytest.mark.parametrize("name", ["apigw-http-api-form-named-stage.json", "function-url-form.json"])
def test_form_events_with_base64_bodies_redirect_to_the_confirmation(fixed_clock, s3, bucket, name):
    result = lambda_handler.handler(load(name), None)
    assert result["statusCode"] == 303
    location = result["headers"]["Location"]
    assert location.startswith("https://www.example.police.uk/forms/report-crime/done/?ref=CR-2026-")
    [document] = submissions(s3, bucket).values()
    assert document["answers"] == VALID_ANSWERS and location.endswith(document["reference"])
    assert document["received"] == "2026-11-28T10:15:30.123Z"


def test_a_repeated_event_stores_once(fixed_clock, s3, bucket):
    event = load("function-url-form.json")
    first, second = lambda_handler.handler(event, None), lambda_handler.handler(event, None)
    assert first["headers"]["Location"] == second["headers"]["Location"]
    assert len(submissions(s3, bucket)) == 1


def test_preflight_from_the_site(lambda_env):
    result = lambda_handler.handler(load("function-url-preflight.json"), None)
    assert result["statusCode"] == 204
    assert result["headers"]["Access-Control-Allow-Origin"] == ORIGIN


def test_unknown_form_event_is_404_and_stores_nothing(lambda_env, s3, bucket):
    result = lambda_handler.handler(load("apigw-http-api-unknown-form.json"), None)
    assert result["statusCode"] == 404 and json.loads(result["body"])["error"] == "unknown_form"
    assert submissions(s3, bucket) == {}


def test_an_event_over_the_limit_is_413(lambda_env, s3, bucket):
    event = load("function-url-form.json")
    big = base64.b64decode(event["body"]) + b"&contact_notes=" + b"x" * (300 * 1024)
    event["body"] = base64.b64encode(big).decode("ascii")
    event["headers"]["content-length"] = str(len(big))
    assert lambda_handler.handler(event, None)["statusCode"] == 413
    del event["headers"]["content-length"]           # the size is checked on the body too
    assert lambda_handler.handler(event, None)["statusCode"] == 413
    assert submissions(s3, bucket) == {}


def test_a_malformed_event_is_400(lambda_env):
    assert lambda_handler.handler({"version": "2.0"}, None)["statusCode"] == 400
    event = load("function-url-form.json")
    event["body"] = "not base64!"
    assert lambda_handler.handler(event, None)["statusCode"] == 400


def test_s3_down_in_lambda_is_503(lambda_env, monkeypatch):
    monkeypatch.setenv("SITEGEN_INTAKE_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    result = lambda_handler.handler(load("apigw-http-api-json.json"), None)
    assert result["statusCode"] == 503 and "reference" not in result["body"]


def test_lambda_refuses_to_start_without_a_secret(lambda_env, monkeypatch):
    monkeypatch.delenv("SITEGEN_INTAKE_SECRET")
    with pytest.raises(SitegenError, match="SITEGEN_INTAKE_SECRET"):
        lambda_settings()


def test_lambda_reads_schemas_beside_the_code_by_default(monkeypatch, tmp_path):
    monkeypatch.setenv("LAMBDA_TASK_ROOT", str(tmp_path))
    settings = lambda_settings({"LAMBDA_TASK_ROOT": str(tmp_path), "SITEGEN_INTAKE_BUCKET": "b",
                                "SITEGEN_INTAKE_SECRET": "s"})
    assert settings.schemas == str(tmp_path / "forms")


HANDLER_RUN = """
import json, sys
import sitegen
assert sitegen.__file__.startswith(sys.argv[1]), sitegen.__file__
from sitegen.intake.lambda_handler import handler
result = handler(json.load(open(sys.argv[2])), None)
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("jinja2", "yaml", "markdown", "click", "watchfiles"))
print(json.dumps({"result": result, "loaded": loaded}))
"""


def test_the_lambda_zip_runs_the_handler_without_the_site_sources(tmp_path, schemas, bucket, moto_endpoint, s3,
                                                                    aws_env):
    out = tmp_path / "intake.zip"
    result = run_cli("intake", "package", "--schemas", str(schemas), "--out", str(out))
    assert result.exit_code == 0, result.output
    task = tmp_path / "task"
    with zipfile.ZipFile(out) as archive:
        names = archive.namelist()
        archive.extractall(task)
    assert "sitegen/intake/lambda_handler.py" in names and "forms/report-crime/schema.json" in names
    assert not [n for n in names if "theme" in n or n.endswith((".html", ".yaml"))]
    env = {**os.environ, "PYTHONPATH": str(task), "LAMBDA_TASK_ROOT": str(task), "SITEGEN_INTAKE_BUCKET": bucket,
           "SITEGEN_INTAKE_ENDPOINT_URL": moto_endpoint, "SITEGEN_INTAKE_SECRET": SECRET}
    env.pop("SITEGEN_INTAKE_SCHEMAS", None)
    run = subprocess.run([sys.executable, "-c", HANDLER_RUN, str(task), str(FIXTURES / "apigw-http-api-json.json")],
                         cwd=task, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found["result"]["statusCode"] == 201 and found["loaded"] == []
    assert len(submissions(s3, bucket)) == 1
    again = tmp_path / "again.zip"
    run_cli("intake", "package", "--schemas", str(schemas), "--out", str(again))
    assert again.read_bytes() == out.read_bytes()
