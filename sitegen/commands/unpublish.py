"""sitegen unpublish: remove a preview (or any one site) from its bucket prefix."""
from __future__ import annotations

from collections.abc import Iterator

import click

from ..errors import ServiceError, SitegenError
from ..publish import Target, make_clients
from ..publish.clients import service_errors
from ..terminal import printable


def prefix_fault(prefix: str) -> str:
    """Why PREFIX may not be unpublished ('' if it may): it must name a folder at least
    two levels deep, like previews/pr-12/, so a slip can never empty the bucket or
    every preview at once."""
    parts = prefix.strip("/").split("/")
    if not prefix.strip("/"):
        return "the prefix is empty or '/': that is the whole bucket"
    if any(part in ("", ".", "..") for part in parts):
        return "the prefix has an empty, '.' or '..' part"
    if len(parts) < 2:
        return f"'{parts[0]}/' is a top-level folder: name one site inside it, like {parts[0]}/pr-12/"
    return ""


def listed_keys(s3, bucket: str, key_prefix: str) -> Iterator[list[str]]:
    """The keys under KEY_PREFIX (ending '/'), a page (at most 1,000) at a time."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=key_prefix)
    for page in pages:
        keys = [item["Key"] for item in page.get("Contents", [])]
        if keys:
            yield keys


def delete_keys(s3, bucket: str, keys: list[str]) -> None:
    """Delete KEYS (a listing's page: at most 1,000, as DeleteObjects takes); raise ServiceError
    (exit 3) naming any S3 refused."""
    response = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys], "Quiet": True})
    errors = response.get("Errors", [])
    if errors:
        first = errors[0]
        raise ServiceError(f"s3://{bucket}/{first.get('Key', '')}",
                           f"S3 refused to delete it ({first.get('Code', '')}: {first.get('Message', '')})"
                           f" and {len(errors) - 1} more; run unpublish again once the role may delete there")


def unpublish(target: Target) -> int:
    """Delete every object under TARGET's prefix, the publish state with them; the count."""
    clients = make_clients(target, jobs=4)
    deleted = 0
    with service_errors(target.where, "some objects may be left; run unpublish again"):
        for keys in listed_keys(clients.s3, target.bucket, target.key_prefix):
            delete_keys(clients.s3, target.bucket, keys)
            deleted += len(keys)
    return deleted


@click.command("unpublish")
@click.option("--bucket", required=True, help="S3 bucket.")
@click.option("--prefix", required=True,
              help="The folder to empty, at least two levels deep, like previews/pr-12/ (never the root).")
@click.option("--endpoint-url", default=None, help="An S3-compatible endpoint, like http://127.0.0.1:9000.")
@click.option("--region", default=None, help="AWS region (default: the AWS config).")
def unpublish_command(bucket: str, prefix: str, endpoint_url: str | None, region: str | None) -> None:
    """Delete everything published under --prefix (a pull request's preview, say), and
    its publish state.  Keys outside the prefix, including sibling folders like
    previews/pr-120/ beside previews/pr-12/, are never touched.  Invalidates nothing."""
    fault = prefix_fault(prefix)
    if fault:
        raise SitegenError(f"--prefix {prefix}: {fault}")   # printed escaped, as every problem is
    target = Target(bucket=bucket, prefix=prefix, region=region or "", endpoint_url=endpoint_url or "")
    deleted = unpublish(target)
    click.echo(f"Unpublished {printable(target.where)}: {deleted} objects deleted.")
