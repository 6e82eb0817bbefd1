"""A preview build never goes live, and a live build never goes under previews/ (issue 19 part 3,
defect 1), against moto's S3 over HTTP.  A build records what it is in its marker file
(`.sitegen-build`: a preview's label on a line `Preview: LABEL`); `sitegen publish` refuses a
preview build outside `previews/` and a live build inside it, with one line saying what to run
(exit 2, a usage error), and uploads nothing.  A live build's marker keeps its bytes."""
from __future__ import annotations

import shutil
from pathlib import Path

import boto3
import pytest

from conftest import ROOT, run_cli
from sitegen.outputfolder import BUILD_MARKER, MARKER_TEXT
from test_incremental import build
from test_publish_s3 import version_one, write_build

DAY = "2026-11-28"


def publish(site: Path, out: Path, endpoint: str, bucket: str, *extra: str):
    return run_cli("publish", "--site", str(site), "--build-dir", str(out), "--endpoint-url", endpoint,
                   "--bucket", bucket, "--build-date", DAY, *extra)


def keys(endpoint: str, bucket: str) -> set[str]:
    listed = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=bucket).get("Contents", [])
    return {item["Key"] for item in listed}


def refused(result, *words: str) -> None:
    assert result.exit_code == 2, result.output + result.stderr
    message = result.stderr
    assert message.count("\n") == 1 and "Traceback" not in message, message
    for word in words:
        assert word in message, message


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """The minimal site built as a preview, and then live into the same folder (a copy of each)."""
    base = tmp_path_factory.mktemp("guard")
    site = base / "site"
    shutil.copytree(ROOT / "tests" / "sites" / "minimal", site, ignore=shutil.ignore_patterns("expected"))
    build(site, base / "out", base / "state", DAY, "--preview", "pull request #7")
    shutil.copytree(base / "out", base / "preview")
    build(site, base / "out", base / "state", DAY)
    return site, base / "preview", base / "out"


def test_the_marker_records_a_preview_and_a_live_build_keeps_its_bytes(builds):
    _, preview, live = builds
    assert (preview / BUILD_MARKER).read_bytes() == MARKER_TEXT + b"Preview: pull request #7\n"
    assert (live / BUILD_MARKER).read_bytes() == MARKER_TEXT


@pytest.mark.parametrize("prefix", [None, "site/", "previewsx/pr-7/", "site/previews/pr-7/"])
def test_a_preview_build_is_refused_outside_previews(builds, moto_endpoint, bucket, prefix):
    site, preview, _ = builds
    extra = () if prefix is None else ("--prefix", prefix)
    refused(publish(site, preview, moto_endpoint, bucket, *extra),
            "pull request #7", "sitegen build", "previews/")
    assert keys(moto_endpoint, bucket) == set()


def test_a_preview_build_goes_under_previews(builds, moto_endpoint, bucket):
    site, preview, _ = builds
    result = publish(site, preview, moto_endpoint, bucket, "--prefix", "previews/pr-7/")
    assert result.exit_code == 0, result.output + result.stderr
    assert "previews/pr-7/index.html" in keys(moto_endpoint, bucket)
    assert f"previews/pr-7/{BUILD_MARKER}" not in keys(moto_endpoint, bucket)


def test_a_live_build_goes_live_and_is_refused_under_previews(builds, moto_endpoint, bucket):
    site, _, live = builds
    refused(publish(site, live, moto_endpoint, bucket, "--prefix", "previews/pr-7/"), "--preview")
    assert keys(moto_endpoint, bucket) == set()
    result = publish(site, live, moto_endpoint, bucket)
    assert result.exit_code == 0, result.output + result.stderr
    assert "index.html" in keys(moto_endpoint, bucket)


def test_a_build_without_the_marker_whose_robots_txt_disallows_all_is_a_preview(tmp_path, moto_endpoint, bucket):
    """The default build/ of a sitegen from before the marker said what it was."""
    files = {**version_one(), "robots.txt": "User-agent: *\nDisallow: /\n"}
    write_build(tmp_path / "site", files)
    result = run_cli("publish", "--site", str(tmp_path / "site"), "--endpoint-url", moto_endpoint,
                     "--bucket", bucket)
    refused(result, "robots.txt")
    assert keys(moto_endpoint, bucket) == set()


@pytest.mark.parametrize("prefix", ["a/../b/", "site//x/", "./site/", "site/.."])
def test_a_bad_publish_prefix_is_a_usage_error(tmp_path, moto_endpoint, bucket, prefix):
    write_build(tmp_path / "site", version_one())
    result = run_cli("publish", "--site", str(tmp_path / "site"), "--endpoint-url", moto_endpoint,
                     "--bucket", bucket, "--prefix", prefix)
    refused(result, "--prefix")
    assert keys(moto_endpoint, bucket) == set()
