"""sitegen build"""
from __future__ import annotations

import time
from pathlib import Path

import click

from .. import incremental
from ..collector import collector_paused
from ..fileio import file_system_failure
from ..incremental import BuildResult
from ..outputfolder import default_out, refuse_unsafe_out, refuse_unsafe_state
from ..staging import clean_leftovers
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("build")
@site_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: build/ in the site folder). Replaced whole: it must be"
                   " new, empty or an earlier build, and outside the site's sources.")
@click.option("--clean", is_flag=True, help="Ignore the build state and render everything.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None, help="Worker processes (default: the cores).")
@click.option("--state", "state_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build state is kept between builds (default: .cache/build).")
@build_date_option
def build_command(site_dir: Path, out_dir: Path | None, clean: bool, jobs: int | None, state_dir: Path | None,
                  build_date) -> None:
    """Build the site into build/ (or --out), rendering only what changed since the last build.

    Reads the feed cache, never the network."""
    root = site_root(site_dir)
    started = time.perf_counter()
    out, day = (out_dir or default_out(root)).absolute(), resolve_build_date(build_date)
    state_dir = state_dir.absolute() if state_dir else incremental.default_state_dir(root)
    refuse_unsafe_out(root, out)   # a build replaces its output folder whole
    refuse_unsafe_state(root, state_dir, out)
    try:
        result = _build(root, out, day, clean, jobs, state_dir)
    except OSError as exc:   # the disk, not the site: exit 3, and build/ is as it was
        raise file_system_failure(exc) from None
    seconds = time.perf_counter() - started
    click.echo(f"Built {result.pages} pages ({result.files} files, {result.rendered} rendered) "
               f"into {result.out_dir} in {seconds:.2f}s.")


def _build(root: Path, out: Path, day, clean: bool, jobs: int | None, state_dir: Path) -> BuildResult:
    # Checked before the whole generator is imported: a no-change build, or
    # one that only some areas' files changed, costs little.
    clean_leftovers(out)   # every build, also one with nothing to do, clears what dead ones left
    with collector_paused():
        found = incremental.scan(root, out, state_dir, clean)
        result = incremental.up_to_date(found, root, out, day)
        if result is None:
            from ..arearebuild import rebuild_areas
            result = rebuild_areas(found, root, out, day, state_dir)
    if result is None:
        from ..build import build
        result = build(root, out, day, clean=clean, jobs=jobs, state_dir=state_dir, found=found)
    return result
