"""The pull-request preview workflow's shape (issue 19 part 3): pull_request only,
forks skipped, the narrow preview role through OIDC, build --preview then publish
to previews/pr-N/ then one comment; closed -> unpublish.  actionlint and zizmor
run on it with the others in tests/test_publish_workflows.py."""
from __future__ import annotations

from pathlib import Path

import yaml

WORKFLOW = Path(__file__).resolve().parent.parent / ".github" / "workflows" / "preview.yml"
FORK_GUARD = "github.event.pull_request.head.repo.full_name == github.repository"


def load() -> dict:
    text = WORKFLOW.read_text()
    assert "pull_request_target" not in text
    return yaml.safe_load(text)


def runs(job: dict) -> list[str]:
    return [step.get("run", "") for step in job["steps"]]


def test_pull_request_events_only():
    workflow = load()
    events = workflow[True]   # YAML 1.1 reads the key `on` as True
    assert list(events) == ["pull_request"]
    assert events["pull_request"]["types"] == ["opened", "synchronize", "reopened", "closed"]
    assert workflow["permissions"] == {}


def test_both_jobs_skip_forks_and_use_the_preview_role():
    jobs = load()["jobs"]
    assert set(jobs) == {"publish", "remove"}
    assert "!= 'closed'" in jobs["publish"]["if"] and "== 'closed'" in jobs["remove"]["if"]
    for job in jobs.values():
        assert FORK_GUARD in job["if"]
        assert "environment" not in job   # the preview role trusts the token's sub repo:OWNER/REPO:pull_request
        assert job["permissions"] == {"contents": "read", "id-token": "write", "pull-requests": "write"}
        aws = [s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/configure-aws-credentials@")]
        assert len(aws) == 1 and aws[0]["with"]["role-to-assume"] == "${{ vars.PREVIEW_ROLE_ARN }}"
        for step in job["steps"]:
            if "uses" in step:
                ref = step["uses"].split("@")[1]
                assert len(ref) == 40 and all(c in "0123456789abcdef" for c in ref), step["uses"]
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False
            assert "${{" not in step.get("run", ""), "values reach scripts through env"


def test_publish_builds_a_preview_publishes_it_then_comments_once():
    job = load()["jobs"]["publish"]
    steps = runs(job)
    order = [next(i for i, run in enumerate(steps) if needle in run)
             for needle in ("sitegen build --preview \"pull request #$PR_NUMBER\"",
                            "sitegen publish --bucket \"$PREVIEW_BUCKET\" --prefix \"previews/pr-$PR_NUMBER/\"",
                            "gh api")]
    assert order == sorted(order)
    aws = next(i for i, s in enumerate(job["steps"]) if "aws-actions" in s.get("uses", ""))
    assert order[0] < aws < order[1]   # the build runs before any credentials exist
    assert '--distribution-id ""' in steps[order[1]]   # never invalidates the live site
    comment = steps[order[2]]
    assert "--method PATCH" in comment and "--method POST" in comment   # updated, not repeated
    assert job["steps"][order[2]]["env"]["URL_TEMPLATE"] == "${{ vars.PREVIEW_URL_TEMPLATE }}"


def test_closed_unpublishes_the_prefix():
    steps = runs(load()["jobs"]["remove"])
    assert any("sitegen unpublish --bucket \"$PREVIEW_BUCKET\" --prefix \"previews/pr-$PR_NUMBER/\"" in run
               for run in steps)
    assert not any("sitegen publish" in run or "sitegen build" in run for run in steps)


def test_remove_runs_the_base_branch_s_code_not_the_pull_request_s():
    """A pull request whose code fails `make install` must still be removed: the remove job checks
    out the base branch (github.event.pull_request.base.ref), never the head or the merge commit."""
    job = load()["jobs"]["remove"]
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["ref"] == "${{ github.event.pull_request.base.ref }}"
    publish = load()["jobs"]["publish"]
    checkout = next(s for s in publish["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert "ref" not in checkout["with"]   # the preview is of the pull request's code
