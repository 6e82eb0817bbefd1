"""sitegen build"""
from __future__ import annotations

import time
from pathlib import Path

import click

from ..build import build
from ..build.state import default_state_dir
from ..fileio import file_system_failure
from ..outputfolder import default_out, refuse_unsafe_out, refuse_unsafe_state
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("build")
@site_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: build/ in the site folder). Replaced whole: it must be"
                   " new, empty or an earlier build, and outside the site's sources.")
@click.option("--clean", is_flag=True, help="Ignore the build state and render everything.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: the cores).")
@click.option("--state", "state_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build state is kept between builds (default: .cache/build). The event"
                   " ledger stays in the site's .cache/build/events, shared by every build of the site.")
@build_date_option
def build_command(site_dir: Path, out_dir: Path | None, clean: bool, jobs: int | None, state_dir: Path | None,
                  build_date) -> None:
    """Build the site into build/ (or --out), rendering only what changed since the last build.

    Reads the feed cache, never the network."""
    root = site_root(site_dir)
    started = time.perf_counter()
    out, day = (out_dir or default_out(root)).absolute(), resolve_build_date(build_date)
    state_dir = state_dir.absolute() if state_dir else default_state_dir(root)
    refuse_unsafe_out(root, out)   # a build replaces its output folder whole
    refuse_unsafe_state(root, state_dir, out)
    try:
        result = build(root, out, day, clean=clean, jobs=jobs, state_dir=state_dir)
    except OSError as exc:   # the disk, not the site: exit 3, and build/ is as it was
        raise file_system_failure(exc) from None
    seconds = time.perf_counter() - started
    click.echo(f"Built {result.pages} pages ({result.files} files, {result.rendered} rendered) "
               f"into {result.out_dir} in {seconds:.2f}s.")

