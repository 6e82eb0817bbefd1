"""sitegen check"""
from __future__ import annotations

from pathlib import Path

import click

from ..build.checks import load_and_check
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("check")
@site_option
@build_date_option
def check_command(site_dir: Path, build_date) -> None:
    """Validate everything a build reads; write nothing."""
    site, outputs = load_and_check(site_root(site_dir), resolve_build_date(build_date))
    click.echo(f"No problems found: {len(site.areas)} areas, {len(site.pages)} pages, "
               f"{len(outputs)} outputs.")
