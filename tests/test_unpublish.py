"""`sitegen unpublish` against moto's S3 over HTTP: a preview's prefix emptied,
paging past 1,000 keys, every other prefix untouched, unsafe prefixes refused, a prefix
without a publish state refused (exit 2), and the state deleted last."""
from __future__ import annotations

import pytest

import sitegen.commands.unpublish as unpublish_module
from conftest import run_cli
from test_publish_s3 import version_one, write_build


def publish(site, endpoint: str, bucket: str, prefix: str) -> None:
    result = run_cli("publish", "--site", str(site), "--endpoint-url", endpoint, "--bucket", bucket,
                     "--prefix", prefix)
    assert result.exit_code == 0, result.output


def all_keys(s3, bucket: str) -> set[str]:
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def test_unpublish_removes_one_preview_and_nothing_else(tmp_path, moto_endpoint, s3, bucket):
    write_build(tmp_path / "site", version_one())
    for prefix in ("", "previews/pr-7/", "previews/pr-70/", "previews/pr-8/"):
        publish(tmp_path / "site", moto_endpoint, bucket, prefix)
    for n in range(1100):   # more than one listing page
        s3.put_object(Bucket=bucket, Key=f"previews/pr-7/extra/{n}.txt", Body=b"x")
    before = all_keys(s3, bucket)
    pr7 = {k for k in before if k.startswith("previews/pr-7/")}
    assert "previews/pr-7/.sitegen-publish.json" in pr7 and len(pr7) > 1100

    result = run_cli("unpublish", "--bucket", bucket, "--prefix", "previews/pr-7/", "--endpoint-url", moto_endpoint)
    assert result.exit_code == 0, result.output
    assert f"{len(pr7)} objects deleted" in result.output
    assert all_keys(s3, bucket) == before - pr7
    assert {"index.html", "previews/pr-70/index.html", "previews/pr-8/index.html"} <= all_keys(s3, bucket)

    again = run_cli("unpublish", "--bucket", bucket, "--prefix", "previews/pr-7", "--endpoint-url", moto_endpoint)
    assert again.exit_code == 0 and "0 objects deleted" in again.output


@pytest.mark.parametrize("prefix", ["", "/", "//", "previews", "previews/", "/previews/", "previews//pr-7/",
                                    "previews/../pr-7/", "./pr-7/"])
def test_unsafe_prefixes_are_refused_in_one_line(prefix, moto_endpoint, s3, bucket):
    s3.put_object(Bucket=bucket, Key="previews/pr-7/index.html", Body=b"x")
    result = run_cli("unpublish", "--bucket", bucket, "--prefix", prefix, "--endpoint-url", moto_endpoint)
    assert result.exit_code == 2   # a usage error, as the README says
    assert result.stderr.count("\n") == 1 and "--prefix" in result.stderr
    assert all_keys(s3, bucket) == {"previews/pr-7/index.html"}


def test_a_prefix_without_a_publish_state_is_refused_and_nothing_deleted(tmp_path, moto_endpoint, s3, bucket):
    """`--prefix site/areas/` of the live site: a folder inside a publish, not a publish."""
    write_build(tmp_path / "site", version_one())
    publish(tmp_path / "site", moto_endpoint, bucket, "site/")
    before = all_keys(s3, bucket)
    assert any(k.startswith("site/areas/") for k in before)
    result = run_cli("unpublish", "--bucket", bucket, "--prefix", "site/areas/", "--endpoint-url", moto_endpoint)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and ".sitegen-publish.json" in result.stderr
    assert "Traceback" not in result.output
    assert all_keys(s3, bucket) == before


def test_an_empty_prefix_is_nothing_to_do(moto_endpoint, s3, bucket):
    result = run_cli("unpublish", "--bucket", bucket, "--prefix", "previews/pr-9/", "--endpoint-url", moto_endpoint)
    assert result.exit_code == 0 and "0 objects deleted" in result.output


def test_the_publish_state_is_deleted_last(tmp_path, moto_endpoint, s3, bucket, monkeypatch):
    """A run stopped part-way leaves the state, so running it again is still accepted."""
    write_build(tmp_path / "site", version_one())
    publish(tmp_path / "site", moto_endpoint, bucket, "previews/pr-5/")
    batches: list[list[str]] = []
    real = unpublish_module.delete_keys

    def recording(client, name, keys):
        batches.append(list(keys))
        real(client, name, keys)

    monkeypatch.setattr(unpublish_module, "delete_keys", recording)
    result = run_cli("unpublish", "--bucket", bucket, "--prefix", "previews/pr-5/", "--endpoint-url", moto_endpoint)
    assert result.exit_code == 0, result.output
    assert batches[-1] == ["previews/pr-5/.sitegen-publish.json"]
    assert not any("previews/pr-5/.sitegen-publish.json" in batch for batch in batches[:-1])
    assert all_keys(s3, bucket) == set()
