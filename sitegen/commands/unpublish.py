"""sitegen unpublish: remove a preview (or any one site) from its bucket prefix."""
from __future__ import annotations

from collections.abc import Iterator

import click
from botocore.exceptions import ClientError

from ..errors import EXIT_USAGE, Problem, ServiceError, SitegenError
from ..publish import Target, make_clients
from ..publish.clients import prefix_parts_fault, service_errors
from ..publish.state import STATE_NAME
from ..terminal import printable


def prefix_fault(prefix: str) -> str:
    """Why PREFIX may not be unpublished ('' if it may): it must name a folder at least
    two levels deep, like previews/pr-12/, so a slip can never empty the bucket or
    every preview at once."""
    parts = prefix.strip("/").split("/")
    if not prefix.strip("/"):
        return "the prefix is empty or '/': that is the whole bucket"
    if fault := prefix_parts_fault(prefix):
        return fault
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
    """Delete every object under TARGET's prefix, the publish state last, and return the count.

    Raises SitegenError (exit 2) when objects are there but no publish state is (the prefix is
    a folder inside a site, like site/areas/, or not sitegen's), deleting nothing.  The state
    goes last so that a run stopped part-way can be run again."""
    clients = make_clients(target, jobs=4)
    state_key, deleted, has_state = target.key(STATE_NAME), 0, None
    with service_errors(target.where, "some objects may be left; run unpublish again"):
        for keys in listed_keys(clients.s3, target.bucket, target.key_prefix):
            if has_state is None:
                has_state = state_key in keys or _exists(clients.s3, target.bucket, state_key)
                if not has_state:
                    raise SitegenError([Problem(target.where, 0, 0, (
                        f"holds no sitegen publish ({STATE_NAME} is not there), so nothing was deleted;"
                        " pass the --prefix that `sitegen publish` wrote, like previews/pr-12/"))],
                        exit_code=EXIT_USAGE)
            others = [key for key in keys if key != state_key]
            if others:
                delete_keys(clients.s3, target.bucket, others)
                deleted += len(others)
        if has_state:
            delete_keys(clients.s3, target.bucket, [state_key])
            deleted += 1
    return deleted


def _exists(s3, bucket: str, key: str) -> bool:
    """Whether the object KEY exists (one HEAD)."""
    try:
        s3.head_object(Bucket=bucket, Key=key)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return False
        raise
    return True


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
        # A usage error (exit 2), printed escaped, as every problem is.
        raise SitegenError(f"--prefix {prefix}: {fault}", exit_code=EXIT_USAGE)
    target = Target(bucket=bucket, prefix=prefix, region=region or "", endpoint_url=endpoint_url or "")
    deleted = unpublish(target)
    click.echo(f"Unpublished {printable(target.where)}: {deleted} objects deleted.")
