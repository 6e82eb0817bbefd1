"""sitegen publish"""
from __future__ import annotations

import json
from pathlib import Path

import click

from ..build.checks import load_and_check
from ..config import PublishSettings, load_config
from ..errors import EXIT_USAGE, SitegenError
from ..fileio import file_system_failure
from ..outputfolder import refuse_unsafe_build_dir
from ..publish import (
    PublishOptions,
    Summary,
    Target,
    execute,
    make_clients,
    prepare,
    refuse_deletes,
    summarise,
)
from ..publish.clients import prefix_parts_fault
from ..publish.local import refuse_misplaced
from ..publish.report import plan_lines, reporter_for, summary_line
from ..terminal import printable
from . import build_date_option, resolve_build_date, site_option, site_root


def resolve_target(settings: PublishSettings, bucket: str | None, prefix: str | None, region: str | None,
                   endpoint_url: str | None, distribution_id: str | None) -> Target:
    """Flags win over site.yaml `publish:`; a bucket is required from one of them."""
    bucket = bucket or settings.bucket
    if not bucket:
        raise click.UsageError("no bucket: pass --bucket or set publish.bucket in site.yaml")
    prefix = settings.prefix if prefix is None else prefix
    if fault := prefix_parts_fault(prefix):
        raise SitegenError(f"--prefix {prefix}: {fault}; name a folder like site/ or previews/pr-12/",
                           exit_code=EXIT_USAGE)   # one line, printed escaped
    return Target(bucket=bucket, prefix=prefix,
                  region=region or settings.region, endpoint_url=endpoint_url or "",
                  distribution_id=settings.distribution_id if distribution_id is None else distribution_id)


@click.command("publish")
@site_option
@click.option("--bucket", help="S3 bucket (default: publish.bucket in site.yaml).")
@click.option("--prefix", default=None,
              help="Key prefix; nothing outside it is touched (default: publish.prefix).")
@click.option("--endpoint-url", default=None, help="An S3-compatible endpoint, like http://127.0.0.1:9000.")
@click.option("--region", default=None, help="AWS region (default: publish.region, then the AWS config).")
@click.option("--distribution-id", default=None,
              help="CloudFront distribution to invalidate (default: publish.distribution_id).")
@click.option("--dry-run", is_flag=True, help="Print the plan; change nothing.")
@click.option("--max-deletes", type=click.IntRange(0), default=None,
              help="Refuse to delete more keys than this (default: publish.max_deletes, else a tenth of the"
                   " published objects, at least 10).")
@click.option("--allow-shrink", is_flag=True,
              help="Publish a build with fewer than half the files published, deleting what it lacks"
                   " (lifts the default delete limit, not --max-deletes).")
@click.option("--json", "as_json", is_flag=True,
              help="Print one JSON object: uploaded, deleted, unchanged, invalidated.")
@click.option("--jobs", type=click.IntRange(1, 128), default=16, show_default=True, help="Parallel requests.")
@click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The folder to publish (default: build/ in the site folder).")
@click.option("--verify", is_flag=True,
              help="Ignore the recorded publish state; ask S3 about every object (HEAD).")
@click.option("--multipart-threshold", type=click.IntRange(1024), default=8 * 1024 * 1024, show_default=True,
              help="Files this size (bytes) or larger go up in parts.")
@build_date_option
def publish_command(site_dir: Path, bucket, prefix, endpoint_url, region, distribution_id, dry_run: bool,
                    max_deletes, allow_shrink: bool, as_json: bool, jobs: int, build_dir, verify: bool,
                    multipart_threshold: int, build_date) -> None:
    """Sync build/ to S3 in a safe order, then invalidate changed pages on CloudFront.

    Compares sizes, MD5s and headers, never modification times.  Refuses a build
    that is empty, has no index.html or fails `sitegen check`, and one with fewer
    than half the files published unless --allow-shrink.  A publish stopped part-way
    is finished by the next: the CDN paths still owed are kept in the publish state.
    """
    root = site_root(site_dir)
    settings = load_config(root).publish
    target = resolve_target(settings, bucket, prefix, region, endpoint_url, distribution_id)
    build_dir = (build_dir or root / "build").absolute()
    refuse_unsafe_build_dir(root, build_dir)
    refuse_misplaced(build_dir, target.key_prefix)   # a preview never live, a live build never a preview
    load_and_check(root, resolve_build_date(build_date))
    options = PublishOptions(
        build_dir=build_dir, target=target,
        max_deletes=settings.max_deletes if max_deletes is None else max_deletes,
        wildcard_over=settings.invalidation_wildcard_over, header_rules=tuple(settings.headers),
        jobs=jobs, verify=verify, multipart_threshold=multipart_threshold, allow_shrink=allow_shrink)
    try:
        summary = run(options, dry_run, as_json)
    except OSError as exc:   # build/ could not be read: the disk, not the site
        raise file_system_failure(exc, "the live site is consistent", "publish again") from None
    if summary.deferred:
        click.echo(f"{printable(target.where)}: CloudFront had not finished invalidating after"
                   f" {options.invalidation_wait:.0f}s; {summary.deferred} old assets are kept until the next"
                   " publish deletes them", err=True)
    if as_json:
        click.echo(json.dumps(summary.as_dict()))
    elif not dry_run:
        click.echo(f"Published to {printable(target.where)}: " + summary_line(
            summary.uploaded, summary.deleted, summary.unchanged, summary.invalidated))


def run(options: PublishOptions, dry_run: bool, as_json: bool) -> Summary:
    """Plan; print it for a dry run (unless JSON was asked for); refuse or apply."""
    clients = make_clients(options.target, options.jobs)
    prepared = prepare(options, clients)
    if dry_run and not as_json:
        click.echo("\n".join(plan_lines(prepared.plan, prepared.invalidations, options.target.where)))
    refuse_deletes(prepared, options)
    return summarise(prepared) if dry_run else execute(prepared, options, clients, reporter_for())
