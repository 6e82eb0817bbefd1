"""sitegen feeds"""
from __future__ import annotations

import sys
from pathlib import Path

import click

from ..content.site import load_site
from ..errors import EXIT_USAGE, Problem, Problems, SitegenError, did_you_mean
from ..feeds.cache import write_summary
from ..feeds.run import FeedJob, RunOptions, collect_jobs, refresh_feeds
from ..feeds.summary import RunSummary
from ..model import Area
from ..terminal import printable
from . import resolve_build_date, site_option, site_root


@click.command("feeds")
@site_option
@click.option("--only", "only", metavar="AREA", default=None,
              help="Fetch only this area's feeds (its folder name under content/areas).")
@click.option("--quiet", is_flag=True, help="No progress bar and no per-feed lines: just the summary.")
def feeds_command(site_dir: Path, only: str | None, quiet: bool) -> None:
    """Fetch the areas' social feeds into the feed cache (.cache/feeds by default).

    Feeds that fail keep their last good copy and are listed; the command still
    exits 0, because the build shows the last good copy.
    """
    root = site_root(site_dir)
    site, problems = load_site(root, resolve_build_date(None))
    _warn_about_content(problems, quiet)
    jobs = collect_jobs(select_areas(site.areas, only))
    options = RunOptions.for_site(site.config)
    try:
        summary = _run(jobs, options, show_progress=not quiet and sys.stderr.isatty())
        saved = write_summary(options.cache_dir, summary.to_json())
    except OSError as exc:
        raise SitegenError([Problem(site.config.feeds.cache_dir, 0, 0,
                                    f"cannot write the feed cache: {exc.strerror or exc}")]) from None
    _report(summary, saved, root, quiet)


def select_areas(areas: tuple[Area, ...], only: str | None) -> tuple[Area, ...]:
    """All AREAS, or just the one whose folder name is ONLY."""
    if only is None:
        return areas
    chosen = tuple(a for a in areas if a.slug == only)
    if not chosen:
        hint = did_you_mean(only, [a.slug for a in areas])
        raise SitegenError([Problem("content/areas", 0, 0, f"no area '{only}'{hint}")],
                           exit_code=EXIT_USAGE)   # --only was given a bad value: a usage error
    return chosen


def _warn_about_content(problems: Problems, quiet: bool) -> None:
    if not problems:
        return
    if not quiet:
        for problem in problems:
            click.echo(printable(problem), err=True)
    click.echo(f"{len(problems)} problems in the content (run `sitegen check`); "
               "fetching the feeds of the areas that loaded.", err=True)


def _run(jobs: list[FeedJob], options: RunOptions, show_progress: bool) -> RunSummary:
    if not (show_progress and jobs):
        return refresh_feeds(jobs, options)
    with click.progressbar(length=len(jobs), label="Fetching feeds", file=sys.stderr) as bar:
        return refresh_feeds(jobs, options, progress=lambda _outcome: bar.update(1))


def _report(summary: RunSummary, saved: Path, root: Path, quiet: bool) -> None:
    if not quiet:
        for line in summary.problem_lines():
            click.echo(printable(line), err=True)
    click.echo(printable(summary.line()))
    if not quiet:
        where = saved.relative_to(root) if saved.is_relative_to(root) else saved
        click.echo(printable(f"Summary saved to {where.as_posix()}."))
