"""Issue 15 class E, the publish side: a publish stopped anywhere is finished
by the next, CDN invalidations included; old assets go only after the pages
that used them are invalidated; a much smaller build is not published
without --allow-shrink, and the default delete limit is relative to the site.

Real `sitegen publish` processes are killed at random points (several seeds)
against moto's S3 and CloudFront over HTTP.
"""
from __future__ import annotations

import json
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.errors import EXIT_USAGE, SitegenError
from sitegen.publish import (
    PublishOptions,
    Target,
    make_clients,
    publish,
    refuse_deletes,
)
from sitegen.publish.headers import Headers
from sitegen.publish.local import LocalFile
from sitegen.publish.plan import Plan, RemoteObject, page_urls
from sitegen.publish.publisher import Prepared
from sitegen.publish.state import STATE_NAME
from test_publish_s3 import (
    PREFIX,
    as_bytes,
    assert_no_page_lacks_an_asset,
    cli,
    invalidations,
    keys,
    site_objects,
    version_one,
    version_two,
    write_build,
)

OLD_CSS = "assets/site.aaaaaaaaaa.css"


def changed_page_paths(before: dict, after: dict) -> set[str]:
    """CDN paths of the pages that changed or went between two builds."""
    pages = {p for p in before if p.endswith(".html") and after.get(p) != before[p]}
    return {url for p in pages for url in page_urls(p)}


def recorded(s3, bucket: str) -> dict:
    return json.loads(s3.get_object(Bucket=bucket, Key=f"{PREFIX}/{STATE_NAME}")["Body"].read())


def invalidated_paths(endpoint: str, distribution_id: str) -> set[str]:
    return {path for batch in invalidations(endpoint, distribution_id) for path in batch}


def publish_process(site, endpoint: str, bucket: str, distribution_id: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitegen.cli", "publish", "--site", str(site),
                             "--endpoint-url", endpoint, "--bucket", bucket, "--prefix", PREFIX,
                             "--distribution-id", distribution_id, "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def assert_assets_outlive_stale_pages(s3, bucket, endpoint, distribution_id, owed: set[str]) -> None:
    """Once the old stylesheet is gone, every page that used it has been invalidated."""
    assert_no_page_lacks_an_asset(s3, bucket)
    if f"{PREFIX}/{OLD_CSS}" not in keys(s3, bucket):
        assert owed <= invalidated_paths(endpoint, distribution_id)


@pytest.mark.parametrize("seed", [7, 8])
def test_killed_publishes_converge_with_every_changed_page_invalidated(tmp_path, moto_endpoint, s3, bucket,
                                                                       distribution, aws_env, seed):
    chance = random.Random(seed)
    first, second = version_one(wards=8), version_two(wards=8)
    write_build(tmp_path, first)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint, distribution_id=distribution)
    publish(PublishOptions(build_dir=tmp_path / "build", target=target, jobs=4))
    write_build(tmp_path, second)
    owed = changed_page_paths(first, second)
    for _ in range(2):
        process = publish_process(tmp_path, moto_endpoint, bucket, distribution)
        try:
            process.wait(timeout=chance.uniform(0.5, 2.5))
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGKILL)
        process.wait()
        assert_assets_outlive_stale_pages(s3, bucket, moto_endpoint, distribution, owed)
    final = publish_process(tmp_path, moto_endpoint, bucket, distribution)
    _, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    assert site_objects(s3, bucket) == as_bytes(second)               # S3 is build/
    assert owed <= invalidated_paths(moto_endpoint, distribution)      # every changed page invalidated
    assert "pending_invalidations" not in recorded(s3, bucket)        # nothing left owed
    assert not [k for k in keys(s3, bucket) if not k.startswith(PREFIX + "/")]


def _stop_at_invalidation(clients) -> None:
    def refuse(**_):
        raise KeyboardInterrupt   # as a kill right after the pages went up
    clients.cloudfront.meta.events.register("before-call.cloudfront.CreateInvalidation", refuse)


def test_a_publish_stopped_before_invalidating_is_finished_by_the_next(tmp_path, moto_endpoint, s3, bucket,
                                                                       distribution, aws_env):
    """The field case: pages uploaded, then killed; the rerun invalidated nothing
    and the old stylesheet was already gone."""
    first, second = version_one(wards=8), version_two(wards=8)
    build = write_build(tmp_path, first)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint, distribution_id=distribution)
    options = PublishOptions(build_dir=build, target=target, jobs=3)
    publish(options)
    write_build(tmp_path, second)
    clients = make_clients(target, jobs=3)
    _stop_at_invalidation(clients)
    with pytest.raises(KeyboardInterrupt):
        publish(options, clients)
    owed = changed_page_paths(first, second)
    assert set(recorded(s3, bucket)["pending_invalidations"]) == owed
    assert f"{PREFIX}/{OLD_CSS}" in keys(s3, bucket)                  # kept: cached pages still use it
    assert invalidations(moto_endpoint, distribution) == []
    summary = publish(options)
    assert summary.uploaded == 0 and set(summary.invalidated) == owed
    assert invalidations(moto_endpoint, distribution) == [sorted(owed)]
    assert site_objects(s3, bucket) == as_bytes(second)
    assert "pending_invalidations" not in recorded(s3, bucket)
    assert publish(options).invalidated == []


def test_what_is_owed_waits_for_a_publish_with_a_distribution(tmp_path, moto_endpoint, s3, bucket,
                                                              distribution, aws_env):
    first, second = version_one(), version_two()
    build = write_build(tmp_path, first)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint, distribution_id=distribution)
    publish(PublishOptions(build_dir=build, target=target))
    write_build(tmp_path, second)
    clients = make_clients(target, jobs=2)
    _stop_at_invalidation(clients)
    with pytest.raises(KeyboardInterrupt):
        publish(PublishOptions(build_dir=build, target=target), clients)
    no_cdn = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint)
    publish(PublishOptions(build_dir=build, target=no_cdn))
    owed = changed_page_paths(first, second)
    assert set(recorded(s3, bucket)["pending_invalidations"]) == owed
    assert set(publish(PublishOptions(build_dir=build, target=target)).invalidated) == owed


# --- the delete guards --------------------------------------------------------------------

def test_a_build_much_smaller_than_the_site_needs_allow_shrink(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path, version_one(wards=10))
    assert cli(tmp_path, moto_endpoint, bucket)[0].exit_code == 0
    before = keys(s3, bucket)
    write_build(tmp_path, {"index.html": "<!doctype html><title>Home</title>"})
    for extra in ((), ("--max-deletes", "1000")):
        result, _ = cli(tmp_path, moto_endpoint, bucket, *extra)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert (f"s3://{bucket}/{PREFIX}/: refusing to shrink the site from 37 published files to 1"
                " (fewer than half); nothing was changed.") in result.stderr
        assert "--allow-shrink" in result.stderr
        assert keys(s3, bucket) == before
    result, summary = cli(tmp_path, moto_endpoint, bucket, "--allow-shrink")
    assert result.exit_code == 0 and summary["deleted"] == 36
    assert site_objects(s3, bucket) == {"index.html": b"<!doctype html><title>Home</title>"}


def _prepared(published: int, local: int, deletes: int) -> Prepared:
    files = tuple(LocalFile(f"p{n}.html", 1, "0" * 32, Headers("text/html", "x")) for n in range(local))
    remote = {f"r{n}": RemoteObject(f"r{n}", 1, "e") for n in range(published)}
    return Prepared(files, remote, {}, Plan((), tuple(f"r{n}" for n in range(deletes)), ()))


@settings(max_examples=100, deadline=None)
@given(published=st.integers(0, 5000), data=st.data())
def test_the_default_delete_limit_is_a_tenth_of_the_published_site(published, data):
    deletes = data.draw(st.integers(0, published))
    local = data.draw(st.integers(published - deletes, published - deletes + 50))
    prepared = _prepared(published, local, deletes)
    options = PublishOptions(build_dir=Path("build"), target=Target("b"))
    shrink = local * 2 < published
    too_many = deletes > max(10, published // 10)
    if shrink or too_many:
        with pytest.raises(SitegenError, match="--allow-shrink"):
            refuse_deletes(prepared, options)
    else:
        refuse_deletes(prepared, options)
    refuse_deletes(prepared, PublishOptions(build_dir=Path("build"), target=Target("b"), allow_shrink=True))
    explicit = PublishOptions(build_dir=Path("build"), target=Target("b"), max_deletes=deletes, allow_shrink=True)
    refuse_deletes(prepared, explicit)
    if deletes:
        with pytest.raises(SitegenError, match=f"refusing to delete {deletes} keys .more than --max-deletes"):
            refuse_deletes(prepared, PublishOptions(build_dir=Path("build"), target=Target("b"),
                                                    max_deletes=deletes - 1, allow_shrink=True))


def test_small_sites_may_always_delete_a_few(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path, version_one(wards=3))            # 16 objects
    cli(tmp_path, moto_endpoint, bucket)
    write_build(tmp_path, version_two(wards=3))           # 4 deletes: over a tenth, under the floor of 10
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 0 and summary["deleted"] == 4


def test_an_interrupted_publish_never_waits_for_ever(tmp_path, moto_endpoint, s3, bucket, distribution, aws_env):
    """A distribution that never finishes invalidating: old assets are kept for the next publish."""
    first, second = version_one(), version_two()
    build = write_build(tmp_path, first)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint, distribution_id=distribution)
    publish(PublishOptions(build_dir=build, target=target))
    write_build(tmp_path, second)
    clients = make_clients(target, jobs=2)

    def in_progress(parsed, **_):
        parsed["Invalidation"]["Status"] = "InProgress"
    clients.cloudfront.meta.events.register("after-call.cloudfront.GetInvalidation", in_progress)
    started = time.monotonic()
    summary = publish(PublishOptions(build_dir=build, target=target, invalidation_wait=0.5), clients)
    assert time.monotonic() - started < 30
    assert summary.deferred == 1 and f"{PREFIX}/{OLD_CSS}" in keys(s3, bucket)
    assert publish(PublishOptions(build_dir=build, target=target)).deleted == 1
    assert f"{PREFIX}/{OLD_CSS}" not in keys(s3, bucket)


# --build-dir relative to the site folder -> words of the refusal (issue 15 class D: publish uploads only a build)
UNSAFE_BUILD_DIRS = {
    ".": "is the site folder or holds it",
    "..": "is the site folder or holds it",
    "content": "is the site's content or inside it",
    ".git": "is the site's .git or inside it",
    ".cache": "is not a sitegen build (it has no .sitegen-build file)",
    "../secrets": "is not a sitegen build (it has no .sitegen-build file)",
}


@pytest.mark.parametrize("build_dir", sorted(UNSAFE_BUILD_DIRS))
def test_publish_uploads_only_a_folder_a_build_wrote(make_site, moto_endpoint, bucket, build_dir):
    site = make_site("minimal")
    (site / ".git").mkdir()
    (site / ".git" / "config").write_text("[remote]\n")
    (site / ".cache").mkdir(exist_ok=True)
    (site / ".cache" / "state.pickle").write_bytes(b"\x80")
    secrets = site.parent / "secrets"
    secrets.mkdir()
    (secrets / ".env").write_text("AWS_SECRET_ACCESS_KEY=x\n")
    (secrets / "index.html").write_text("<!doctype html><title>x</title>")
    result = run_cli("publish", "--site", str(site), "--endpoint-url", moto_endpoint, "--bucket", bucket,
                     "--build-dir", str(site / build_dir), "--build-date", BUILD_DATE, "--json")
    assert result.exit_code == EXIT_USAGE, result.output
    assert f"--build-dir {UNSAFE_BUILD_DIRS[build_dir]}" in result.stderr
    assert "Traceback" not in result.output
    assert boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=bucket).get("KeyCount") == 0


def test_publish_uploads_a_build_written_elsewhere(make_site, moto_endpoint, bucket):
    site = make_site("minimal")
    elsewhere = site.parent / "release"
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE, "--out", str(elsewhere)).exit_code == 0
    result = run_cli("publish", "--site", str(site), "--endpoint-url", moto_endpoint, "--bucket", bucket,
                     "--build-dir", str(elsewhere), "--build-date", BUILD_DATE, "--json")
    assert result.exit_code == 0, result.output
    keys = {o["Key"] for o in boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=bucket)["Contents"]}
    assert "index.html" in keys
