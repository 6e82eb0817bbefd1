"""`sitegen publish` against moto's S3 and CloudFront over HTTP on 127.0.0.1.

Builds are small hand-made folders: these tests are about what reaches the
bucket, not about rendering.
"""
from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import EndpointConnectionError
from click.testing import CliRunner

from motoserver import free_port
from sitegen.cli import main
from sitegen.errors import ServiceError
from sitegen.publish import PublishOptions, Target, make_clients, publish
from sitegen.publish.headers import IMMUTABLE, SHORT
from sitegen.publish.plan import group_of
from sitegen.publish.state import STATE_NAME

SITE_YAML = "name: Test Police\nbase_url: https://police.example/\n"
PREFIX = "site"
ASSET_REF = re.compile(r'/assets/[^"]+')


def page(title: str, css: str = "site.aaaaaaaaaa.css", js: str = "app.bbbbbbbbbb.js") -> str:
    return (f'<!doctype html><title>{title}</title><link rel="stylesheet" href="/assets/{css}">'
            f'<script src="/assets/{js}"></script><h1>{title}</h1>')


def version_one(wards: int = 3) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {
        "assets/site.aaaaaaaaaa.css": "body{color:#123}",
        "assets/app.bbbbbbbbbb.js": "console.log(1)",
        "index.html": page("Home"),
        "404.html": page("Not found"),
        "robots.txt": "User-agent: *\n",
        "sitemap.xml": "<urlset/>",
        "media/photo.png": b"\x89PNG\r\n" + bytes(range(256)),
    }
    for n in range(wards):
        files[f"areas/ward-{n}/index.html"] = page(f"Ward {n}")
        files[f"areas/ward-{n}/feed.xml"] = f"<feed>{n}</feed>"
        files[f"areas/ward-{n}/events.ics"] = f"BEGIN:VCALENDAR\r\nX-N:{n}\r\nEND:VCALENDAR\r\n"
    return files


def version_two(wards: int = 3) -> dict[str, str | bytes]:
    """New CSS (new fingerprint) used by every page, ward 0 removed, a new ward."""
    files = version_one(wards)
    del files["assets/site.aaaaaaaaaa.css"]
    files["assets/site.cccccccccc.css"] = "body{color:#456}"
    for path in [p for p in files if p.endswith(".html")]:
        files[path] = files[path].replace("site.aaaaaaaaaa.css", "site.cccccccccc.css")
    for path in [p for p in files if p.startswith("areas/ward-0/")]:
        del files[path]
    files["areas/new-ward/index.html"] = page("New ward", css="site.cccccccccc.css")
    files["sitemap.xml"] = "<urlset>v2</urlset>"
    return files


def write_build(site: Path, files: dict[str, str | bytes], site_yaml: str = SITE_YAML) -> Path:
    """SITE/site.yaml and SITE/build/ holding exactly FILES."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "site.yaml").write_text(site_yaml)
    build = site / "build"
    build.mkdir(exist_ok=True)
    for old in sorted(build.rglob("*"), reverse=True) if build.exists() else []:
        old.unlink() if old.is_file() else old.rmdir()
    for path, content in files.items():
        target = build / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode() if isinstance(content, str) else content)
    return build


def invalidations(moto_endpoint: str, distribution_id: str) -> list[list[str]]:
    """The paths of every invalidation of DISTRIBUTION_ID, oldest first."""
    cloudfront = boto3.client("cloudfront", endpoint_url=moto_endpoint)
    items = cloudfront.list_invalidations(DistributionId=distribution_id)["InvalidationList"].get("Items", [])
    found = []
    for item in items:
        batch = cloudfront.get_invalidation(DistributionId=distribution_id, Id=item["Id"])
        found.append(sorted(batch["Invalidation"]["InvalidationBatch"]["Paths"].get("Items", [])))
    return found


def cli(site: Path, endpoint: str, bucket: str, *args: str):
    """Run `sitegen publish --json` and return (result, parsed JSON or None)."""
    result = CliRunner().invoke(main, ["publish", "--site", str(site), "--endpoint-url", endpoint,
                                       "--bucket", bucket, "--prefix", PREFIX, "--json", *args])
    return result, json.loads(result.stdout) if result.exit_code == 0 else None


def keys(s3, bucket: str) -> dict[str, str]:
    """{key: ETag} of the whole bucket."""
    objects = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {o["Key"]: o["ETag"] for o in objects}


def site_objects(s3, bucket: str) -> dict[str, bytes]:
    """{path: bytes} of the site under PREFIX, the state record left out."""
    found = {}
    for key in keys(s3, bucket):
        path = key[len(PREFIX) + 1:]
        if key.startswith(PREFIX + "/") and path != STATE_NAME:
            found[path] = s3.get_object(Bucket=bucket, Key=key)["Body"].read()
    return found


def as_bytes(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {p: c.encode() if isinstance(c, str) else c for p, c in files.items()}


def assert_no_page_lacks_an_asset(s3, bucket: str) -> None:
    objects = site_objects(s3, bucket)
    for path, body in objects.items():
        if path.endswith(".html"):
            for ref in ASSET_REF.findall(body.decode()):
                assert ref.lstrip("/") in objects, f"{path} points to missing {ref}"


# --- the nightly path ----------------------------------------------------------------

def test_first_publish_uploads_everything_with_the_right_headers(tmp_path, moto_endpoint, s3, bucket):
    files = version_one()
    write_build(tmp_path, files)
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 0, result.output
    assert summary == {"uploaded": len(files), "deleted": 0, "unchanged": 0, "invalidated": []}
    assert site_objects(s3, bucket) == as_bytes(files)
    expected = {
        "index.html": ("text/html; charset=utf-8", SHORT),
        "assets/site.aaaaaaaaaa.css": ("text/css; charset=utf-8", IMMUTABLE),
        "assets/app.bbbbbbbbbb.js": ("text/javascript; charset=utf-8", IMMUTABLE),
        "areas/ward-1/feed.xml": ("application/atom+xml; charset=utf-8", SHORT),
        "areas/ward-1/events.ics": ("text/calendar; charset=utf-8", SHORT),
        "sitemap.xml": ("application/xml; charset=utf-8", SHORT),
        "media/photo.png": ("image/png", "public, max-age=3600"),
    }
    for path, (content_type, cache_control) in expected.items():
        head = s3.head_object(Bucket=bucket, Key=f"{PREFIX}/{path}")
        assert (head["ContentType"], head["CacheControl"]) == (content_type, cache_control), path


def test_second_publish_and_a_fresh_checkout_upload_nothing(tmp_path, moto_endpoint, s3, bucket):
    files = version_one()
    build = write_build(tmp_path, files)
    cli(tmp_path, moto_endpoint, bucket)
    before = keys(s3, bucket)
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert summary == {"uploaded": 0, "deleted": 0, "unchanged": len(files), "invalidated": []}
    later = time.time() + 3600
    for path in build.rglob("*"):
        os.utime(path, (later, later))          # what a fresh CI checkout does to mtimes
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert summary["uploaded"] == 0 and summary["unchanged"] == len(files)
    assert keys(s3, bucket) == before


def test_editing_one_page_uploads_it_alone_and_invalidates_its_paths(tmp_path, moto_endpoint, s3, bucket,
                                                                     distribution):
    files = version_one()
    write_build(tmp_path, files)
    result, summary = cli(tmp_path, moto_endpoint, bucket, "--distribution-id", distribution)
    assert summary["invalidated"] == []           # new pages: nothing cached to forget
    files["areas/ward-1/index.html"] = page("Ward 1, edited")    # same size edits are caught too:
    files["areas/ward-2/feed.xml"] = "<feed>X</feed>"             # '2' -> 'X'
    write_build(tmp_path, files)
    result, summary = cli(tmp_path, moto_endpoint, bucket, "--distribution-id", distribution)
    assert result.exit_code == 0, result.output
    assert summary == {"uploaded": 2, "deleted": 0, "unchanged": len(files) - 2,
                       "invalidated": ["/areas/ward-1/", "/areas/ward-1/index.html"]}
    assert invalidations(moto_endpoint, distribution) == [["/areas/ward-1/", "/areas/ward-1/index.html"]]
    assert site_objects(s3, bucket) == as_bytes(files)


def test_removed_page_is_deleted_after_every_upload(tmp_path, moto_endpoint, s3, bucket, distribution, aws_env):
    write_build(tmp_path, version_one())
    cli(tmp_path, moto_endpoint, bucket)
    files = version_two()
    build = write_build(tmp_path, files)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint, distribution_id=distribution)
    clients = make_clients(target, jobs=4)
    calls: list[tuple[str, str]] = []
    clients.s3.meta.events.register("before-parameter-build.s3", lambda model, params, **_: calls.append(
        (model.name, params.get("Key", ""))))
    clients.cloudfront.meta.events.register("before-call.cloudfront.CreateInvalidation",
                                            lambda model, **_: calls.append((model.name, "")))
    summary = publish(PublishOptions(build_dir=build, target=target, jobs=4), clients)
    assert summary.deleted == 4                    # ward-0's page, feed, calendar and the old CSS
    operations = [name for name, key in calls if not key.endswith(STATE_NAME)]
    writes = [op for op in operations if op in ("PutObject", "DeleteObjects", "CreateInvalidation")]
    # Stale pages go before the CDN is told; the old stylesheet only after it has invalidated them.
    assert writes[-3:] == ["DeleteObjects", "CreateInvalidation", "DeleteObjects"]
    puts = [key[len(PREFIX) + 1:] for name, key in calls if name == "PutObject" and not key.endswith(STATE_NAME)]
    assert puts[0] == "assets/site.cccccccccc.css" and puts[-1] == "sitemap.xml"
    assert [group_of(p) for p in puts] == sorted(group_of(p) for p in puts)     # assets, other, HTML, sitemap
    assert site_objects(s3, bucket) == as_bytes(files)
    assert invalidations(moto_endpoint, distribution) == [sorted(
        ["/", "/index.html", "/404.html", "/areas/ward-0/", "/areas/ward-0/index.html"]
        + [f"/areas/ward-{n}/{tail}" for n in (1, 2) for tail in ("", "index.html")])]


def test_keys_outside_the_prefix_are_never_touched(tmp_path, moto_endpoint, s3, bucket):
    for key in ("other/index.html", "site2/index.html", "sitemap.xml", "siteextra"):
        s3.put_object(Bucket=bucket, Key=key, Body=b"not ours")
    outside = dict(keys(s3, bucket))
    write_build(tmp_path, version_one())
    cli(tmp_path, moto_endpoint, bucket)
    write_build(tmp_path, version_two())
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert summary["deleted"] == 4
    after = keys(s3, bucket)
    assert {k: after[k] for k in outside} == outside


def test_max_deletes_refusal_leaves_the_bucket_untouched(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path, version_one())
    cli(tmp_path, moto_endpoint, bucket)
    before = keys(s3, bucket)
    write_build(tmp_path, version_two())           # 4 deletes, several uploads
    result, _ = cli(tmp_path, moto_endpoint, bucket, "--max-deletes", "3")
    assert result.exit_code == 1
    assert "refusing to delete 4 keys" in result.stderr and "Traceback" not in result.output
    assert keys(s3, bucket) == before
    (tmp_path / "site.yaml").write_text(SITE_YAML + "publish:\n  max_deletes: 3\n")
    assert cli(tmp_path, moto_endpoint, bucket)[0].exit_code == 1
    assert keys(s3, bucket) == before
    result, summary = cli(tmp_path, moto_endpoint, bucket, "--max-deletes", "4")
    assert result.exit_code == 0 and summary["deleted"] == 4


def test_dry_run_prints_the_plan_and_changes_nothing(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path, version_one())
    cli(tmp_path, moto_endpoint, bucket)
    before = keys(s3, bucket)
    write_build(tmp_path, version_two())
    result = CliRunner().invoke(main, ["publish", "--site", str(tmp_path), "--endpoint-url", moto_endpoint,
                                       "--bucket", bucket, "--prefix", PREFIX, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "upload  assets/site.cccccccccc.css  (new)" in result.stdout
    assert "upload  index.html  (content changed)" in result.stdout
    assert "delete  assets/site.aaaaaaaaaa.css" in result.stdout
    result, summary = cli(tmp_path, moto_endpoint, bucket, "--dry-run")
    assert summary["deleted"] == 4 and summary["uploaded"] > 0
    assert keys(s3, bucket) == before


def test_header_change_alone_re_uploads(tmp_path, moto_endpoint, s3, bucket):
    files = version_one()
    write_build(tmp_path, files)
    cli(tmp_path, moto_endpoint, bucket)
    rules = "publish:\n  headers:\n    - {glob: '*.ics', cache_control: 'public, max-age=60'}\n"
    write_build(tmp_path, files, SITE_YAML + rules)
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert summary["uploaded"] == 3                # the three calendars
    head = s3.head_object(Bucket=bucket, Key=f"{PREFIX}/areas/ward-0/events.ics")
    assert head["CacheControl"] == "public, max-age=60"
    assert cli(tmp_path, moto_endpoint, bucket)[1]["uploaded"] == 0


def test_objects_without_a_state_record_are_checked_with_head(tmp_path, moto_endpoint, s3, bucket):
    """A bucket filled by another tool, or a run stopped before recording its state."""
    files = version_one()
    write_build(tmp_path, files)
    cli(tmp_path, moto_endpoint, bucket)
    s3.delete_object(Bucket=bucket, Key=f"{PREFIX}/{STATE_NAME}")
    s3.put_object(Bucket=bucket, Key=f"{PREFIX}/robots.txt", Body=b"User-agent: *\n")   # no headers
    result, summary = cli(tmp_path, moto_endpoint, bucket)
    assert summary["uploaded"] == 1                # robots.txt, for its headers
    assert cli(tmp_path, moto_endpoint, bucket, "--verify")[1]["uploaded"] == 0


def test_multipart_object_is_not_uploaded_again(tmp_path, moto_endpoint, s3, bucket):
    files = version_one()
    files["media/leaflet.pdf"] = os.urandom(64 * 1024)
    write_build(tmp_path, files)
    args = ("--multipart-threshold", "32768")
    assert cli(tmp_path, moto_endpoint, bucket, *args)[1]["uploaded"] == len(files)
    head = s3.head_object(Bucket=bucket, Key=f"{PREFIX}/media/leaflet.pdf")
    assert "-" in head["ETag"] and head["ContentType"] == "application/pdf"
    assert cli(tmp_path, moto_endpoint, bucket, *args)[1]["uploaded"] == 0
    assert cli(tmp_path, moto_endpoint, bucket, *args, "--verify")[1]["uploaded"] == 0   # by its metadata
    files["media/leaflet.pdf"] = os.urandom(64 * 1024)
    write_build(tmp_path, files)
    assert cli(tmp_path, moto_endpoint, bucket, *args)[1]["uploaded"] == 1


def test_invalidation_collapses_to_a_wildcard(tmp_path, moto_endpoint, s3, bucket, distribution):
    files = version_one()
    write_build(tmp_path, files, SITE_YAML + "publish:\n  invalidation_wildcard_over: 3\n")
    cli(tmp_path, moto_endpoint, bucket, "--distribution-id", distribution)
    files = {p: (c + "<!-- v2 -->" if p.endswith(".html") else c) for p, c in files.items()}
    write_build(tmp_path, files, SITE_YAML + "publish:\n  invalidation_wildcard_over: 3\n")
    result, summary = cli(tmp_path, moto_endpoint, bucket, "--distribution-id", distribution)
    assert summary["invalidated"] == ["/*"]
    assert invalidations(moto_endpoint, distribution) == [["/*"]]


def test_bucket_prefix_and_distribution_from_site_yaml(tmp_path, moto_endpoint, s3, bucket, distribution):
    settings = f"publish:\n  bucket: {bucket}\n  prefix: {PREFIX}\n  distribution_id: {distribution}\n"
    files = version_one()
    write_build(tmp_path, files, SITE_YAML + settings)
    result = CliRunner().invoke(main, ["publish", "--site", str(tmp_path), "--endpoint-url", moto_endpoint])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Published to s3://{bucket}/{PREFIX}/: {len(files)} uploaded")
    assert site_objects(s3, bucket) == as_bytes(files)


# --- faults --------------------------------------------------------------------------

def fail_after(clients, puts: int, error: BaseException) -> None:
    """Make the S3 client raise ERROR from the PUTS+1-th PutObject on."""
    count = {"n": 0}

    def maybe_fail(**_):
        count["n"] += 1
        if count["n"] > puts:
            raise error
    clients.s3.meta.events.register("before-call.s3.PutObject", maybe_fail)


@pytest.mark.parametrize("puts", [0, 1, 4, 8, 11])   # of 12 uploads: CSS, 10 pages, sitemap
def test_fault_mid_upload_leaves_a_consistent_site_and_a_re_run_converges(tmp_path, moto_endpoint, s3,
                                                                           bucket, puts, aws_env):
    write_build(tmp_path, version_one(wards=8))
    cli(tmp_path, moto_endpoint, bucket)
    files = version_two(wards=8)
    build = write_build(tmp_path, files)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint)
    options = PublishOptions(build_dir=build, target=target, jobs=3)
    clients = make_clients(target, jobs=3)
    fail_after(clients, puts, EndpointConnectionError(endpoint_url=moto_endpoint))
    with pytest.raises(ServiceError, match="run publish again"):
        publish(options, clients)
    assert_no_page_lacks_an_asset(s3, bucket)
    assert site_objects(s3, bucket) != as_bytes(files)
    summary = publish(options)
    assert site_objects(s3, bucket) == as_bytes(files)
    assert summary.uploaded < len(files)              # what the first attempt did is kept
    assert publish(options).uploaded == 0


def test_ctrl_c_mid_upload_then_a_re_run_converges(tmp_path, moto_endpoint, s3, bucket, aws_env):
    write_build(tmp_path, version_one(wards=8))
    cli(tmp_path, moto_endpoint, bucket)
    files = version_two(wards=8)
    build = write_build(tmp_path, files)
    target = Target(bucket=bucket, prefix=PREFIX, endpoint_url=moto_endpoint)
    options = PublishOptions(build_dir=build, target=target, jobs=2)
    clients = make_clients(target, jobs=2)
    fail_after(clients, 6, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        publish(options, clients)
    assert_no_page_lacks_an_asset(s3, bucket)
    publish(options)
    assert site_objects(s3, bucket) == as_bytes(files)


def test_s3_failing_mid_publish_exits_3_without_a_traceback(tmp_path, moto_endpoint, s3, bucket, monkeypatch):
    write_build(tmp_path, version_one())
    from sitegen.commands import publish as command

    def flaky_clients(target, jobs):
        clients = make_clients(target, jobs)
        fail_after(clients, 2, EndpointConnectionError(endpoint_url=moto_endpoint))
        return clients
    monkeypatch.setattr(command, "make_clients", flaky_clients)
    result, _ = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 3
    assert "Could not connect to the endpoint URL" in result.stderr
    assert "Traceback" not in result.output


def test_unreachable_s3_exits_3_after_retries(tmp_path, monkeypatch, aws_env):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "2")
    write_build(tmp_path, version_one())
    result, _ = cli(tmp_path, f"http://127.0.0.1:{free_port()}", "sitegen-nowhere")
    assert result.exit_code == 3
    assert "s3://sitegen-nowhere/site/" in result.stderr and "gave up after retries" in result.stderr
    assert "Traceback" not in result.output


def test_missing_bucket_exits_3(tmp_path, moto_endpoint, aws_env):
    write_build(tmp_path, version_one())
    result, _ = cli(tmp_path, moto_endpoint, "sitegen-no-such-bucket")
    assert result.exit_code == 3 and "NoSuchBucket" in result.stderr


# --- refusals ------------------------------------------------------------------------

def test_refuses_an_empty_build(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path, {})
    result, _ = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 1 and "the build is empty" in result.stderr
    (tmp_path / "build").rmdir()
    result, _ = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 1 and "run `sitegen build` first" in result.stderr
    assert keys(s3, bucket) == {}


def test_refuses_a_build_without_a_home_page(tmp_path, moto_endpoint, s3, bucket):
    files = version_one()
    del files["index.html"]
    write_build(tmp_path, files)
    result, _ = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 1 and "no index.html" in result.stderr
    assert keys(s3, bucket) == {}


def test_refuses_a_site_that_fails_check(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path, version_one())
    area = tmp_path / "content" / "areas" / "x"
    area.mkdir(parents=True)
    (area / "area.yaml").write_text("name: X\nnot_a_key: 1\n")
    result, _ = cli(tmp_path, moto_endpoint, bucket)
    assert result.exit_code == 1
    assert "content/areas/x/area.yaml:2:1:" in result.stderr and "not_a_key" in result.stderr
    assert keys(s3, bucket) == {}


def test_no_bucket_is_a_usage_error(tmp_path):
    write_build(tmp_path, version_one())
    result = CliRunner().invoke(main, ["publish", "--site", str(tmp_path)])
    assert result.exit_code == 2 and "--bucket" in result.output
