"""`sitegen intake serve`, the receiver's settings (flags, environment, site.yaml),
the forms endpoint override, and the `make serve` stack (sitegen.devserver)."""
from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import run_cli
from motoserver import free_port
from sitegen import devserver
from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.intake.config import IntakeSettings, require, resolve
from test_intake_support import JSON, SECRET, json_body, submissions

SITEGEN = Path(sys.executable).parent / "sitegen"
SITE_YAML = "name: Test Police\nbase_url: https://police.example/\n"


def wait_for(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read())
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise AssertionError(f"{url} did not answer")


def post_json(url: str, body: bytes) -> tuple[int, dict]:
    request = urllib.request.Request(url, body, {"Content-Type": JSON}, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_intake_serve_receives_and_stores(tmp_path, bucket, moto_endpoint, schemas, s3, aws_env):
    (tmp_path / "site.yaml").write_text(SITE_YAML + "intake:\n  prefix: from-site-yaml\n", encoding="utf-8")
    port = free_port()
    env = {**os.environ, "SITEGEN_INTAKE_SECRET": SECRET}
    process = subprocess.Popen([str(SITEGEN), "intake", "serve", "--site", str(tmp_path), "--port", str(port),
                                "--bucket", bucket, "--endpoint-url", moto_endpoint, "--schemas", str(schemas)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process)
        status, answer = post_json(f"http://127.0.0.1:{port}/submit/report-crime", json_body())
        assert status == 201, answer
        assert answer["done_url"].startswith("https://police.example/forms/report-crime/done/?ref=")
        [key] = submissions(s3, bucket)
        assert key.startswith("from-site-yaml/report-crime/")
    finally:
        process.terminate()
        _, err = process.communicate(timeout=30)
    assert "outcome=stored" in err and "Alex Example" not in err


def test_intake_serve_needs_a_bucket(tmp_path, schemas):
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    result = run_cli("intake", "serve", "--site", str(tmp_path), "--schemas", str(schemas))
    assert result.exit_code == 2 and "no bucket" in result.output


def test_intake_serve_without_schemas_is_an_input_error(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    result = run_cli("intake", "serve", "--site", str(tmp_path), "--bucket", "b-1")
    assert result.exit_code == 1 and "build/forms" in result.output and "Traceback" not in result.output


def test_intake_serve_exits_3_when_s3_cannot_be_reached(tmp_path, schemas, aws_env):
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    result = run_cli("intake", "serve", "--site", str(tmp_path), "--bucket", "b-1", "--schemas", str(schemas),
                     "--endpoint-url", f"http://127.0.0.1:{free_port()}")
    assert result.exit_code == 3 and "cannot reach the bucket" in result.output


# ---- settings ----

def test_settings_come_from_flags_then_environment_then_site_yaml(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE_YAML + "intake:\n  bucket: yaml-bucket\n  prefix: yaml/\n"
                                        "  max_body_bytes: 4096\n  rate_per_minute: 5\n  schemas: out/forms\n",
                                        encoding="utf-8")
    env = {"SITEGEN_INTAKE_PREFIX": "env/", "SITEGEN_INTAKE_RATE_PER_MINUTE": "7", "SITEGEN_INTAKE_SECRET": "s"}
    settings = resolve(tmp_path, env, {"rate_per_minute": 9, "bucket": None})
    assert (settings.bucket, settings.prefix, settings.max_body_bytes, settings.rate_per_minute) == \
        ("yaml-bucket", "env/", 4096, 9)
    assert settings.schemas == str(tmp_path / "out" / "forms") and settings.secret == "s"
    assert settings.site_url == "https://police.example/" and settings.origin == "https://police.example"


def test_site_yaml_intake_keys_are_checked(tmp_path):
    (tmp_path / "site.yaml").write_text(SITE_YAML + "intake:\n  bukket: x\n  max_body_bytes: lots\n",
                                        encoding="utf-8")
    with pytest.raises(SitegenError) as caught:
        resolve(tmp_path, {}, {})
    text = str(caught.value)
    assert "bukket" in text and "bucket" in text and "max_body_bytes" in text


def test_bad_environment_values_name_the_variable():
    with pytest.raises(SitegenError, match="SITEGEN_INTAKE_MAX_BODY_BYTES"):
        resolve(None, {"SITEGEN_INTAKE_MAX_BODY_BYTES": "big"}, {})


def test_local_runs_may_use_a_random_secret_but_not_lambda():
    settings = IntakeSettings(bucket="b", schemas="s")
    assert len(require(settings, ephemeral_secret=True).secret) == 64
    with pytest.raises(SitegenError):
        require(settings)


def test_forms_endpoint_can_be_overridden_for_a_preview(tmp_path, monkeypatch):
    (tmp_path / "site.yaml").write_text(SITE_YAML + "forms:\n  endpoint: https://forms.police.example/submit\n",
                                        encoding="utf-8")
    assert load_config(tmp_path).forms_endpoint == "https://forms.police.example/submit"
    monkeypatch.setenv("SITEGEN_FORMS_ENDPOINT", "http://127.0.0.1:8001/submit")
    assert load_config(tmp_path).forms_endpoint == "http://127.0.0.1:8001/submit"


# ---- make serve ----

def test_devserver_runs_moto_a_receiver_and_a_preview_posting_to_it(monkeypatch, tmp_path, aws_env):
    monkeypatch.setenv("SITEGEN_FORMS_ENDPOINT", "unset")   # restored after the test; main() sets it
    root = Path(__file__).resolve().parent / "sites" / "forms-basic"
    seen = {}

    def fake_serve(site_root, out_dir, port, build_date):
        """Stands in for the blocking preview: build as it would, then post to the receiver."""
        from sitegen.build import build
        build(site_root, out_dir, build_date, state_dir=tmp_path / "state")
        endpoint = os.environ["SITEGEN_FORMS_ENDPOINT"]
        page = (out_dir / "forms" / "everything" / "index.html").read_text(encoding="utf-8")
        seen["action"] = f'action="{endpoint}/everything"' in page
        seen["health"] = urllib.request.urlopen(endpoint.replace("/submit", "/health"), timeout=10).status
        seen["port"], seen["out"] = port, out_dir
    monkeypatch.setattr("sitegen.serve.serve", fake_serve)
    site = tmp_path / "site"
    shutil.copytree(root, site, ignore=shutil.ignore_patterns("expected", ".cache"))
    port = free_port()
    try:
        assert devserver.main(["--site", str(site), "--port", str(port), "--build-date", "2026-11-28"]) == 0
    finally:
        logger = logging.getLogger("sitegen.intake")
        for handler in [h for h in logger.handlers if getattr(h, "sitegen_devserver", False)]:
            logger.removeHandler(handler)
    assert seen == {"action": True, "health": 200, "port": port, "out": site / ".cache" / "preview"}
    assert not (site / "build").exists()


def test_dev_stack_stores_what_is_posted(schemas, tmp_path, monkeypatch, aws_env):
    with devserver.DevStack(schemas, "http://127.0.0.1:8000/") as stack:
        status, answer = post_json(f"{stack.forms_endpoint}/report-crime", json_body())
        assert status == 201
        assert answer["done_url"].startswith("http://127.0.0.1:8000/forms/report-crime/done/?ref=")
        objects = devserver.s3_client(stack.moto.endpoint).list_objects_v2(Bucket=stack.bucket)["Contents"]
        assert any(o["Key"].endswith(f"{answer['reference']}.json") for o in objects)
    assert stack.moto.process is None
