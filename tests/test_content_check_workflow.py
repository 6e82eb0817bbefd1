"""The pull-request workflow editors see: check first (annotations on their lines), then build,
with nothing more than read access; actionlint and zizmor run on it with the other workflows
(tests/test_publish_workflows.py)."""
from __future__ import annotations

from pathlib import Path

from test_publish_workflows import load_workflow

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "content-check.yml"


def load() -> dict:
    return load_workflow(WORKFLOW)


def test_it_runs_on_pull_requests_with_read_access_only():
    document = load()
    assert set(document["on"]) == {"pull_request"}
    assert document["permissions"] == {"contents": "read"}
    (job,) = document["jobs"].values()
    assert "permissions" not in job and "environment" not in job and "secrets" not in WORKFLOW.read_text()
    assert job["timeout-minutes"] <= 10


def test_it_checks_with_annotations_before_it_builds():
    (job,) = load()["jobs"].values()
    commands = [step["run"] for step in job["steps"] if "run" in step]
    assert commands == ["make install assets", ".venv/bin/sitegen check --format github", ".venv/bin/sitegen build"]
