"""sitegen build"""
from __future__ import annotations

import time
from pathlib import Path

import click

from ..build import build
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("build")
@site_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: build/ in the site folder).")
@click.option("--clean", is_flag=True, help="Ignore the build state and render everything.")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Worker processes (default: cores).")
@build_date_option
def build_command(site_dir: Path, out_dir: Path | None, clean: bool, jobs: int | None, build_date) -> None:
    """Build the site into build/ (or --out).  Reads the feed cache, never the network."""
    root = site_root(site_dir)
    started = time.perf_counter()
    result = build(root, (out_dir or root / "build").absolute(), resolve_build_date(build_date))
    seconds = time.perf_counter() - started
    click.echo(f"Built {result.pages} pages ({result.files} files) into {result.out_dir} in {seconds:.2f}s.")
