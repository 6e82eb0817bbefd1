"""sitegen import-wards"""
from __future__ import annotations

from pathlib import Path

import click

from ..importers.wards import import_wards
from . import site_option, site_root


@click.command("import-wards")
@site_option
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--borough", default=None, help="Import only the wards of this borough.")
def import_wards_command(site_dir: Path, csv_path: Path, borough: str | None) -> None:
    """Create area folders from a CSV of wards; existing areas are kept as they are."""
    report = import_wards(site_root(site_dir), csv_path, borough)
    click.echo(f"Created {len(report.created)} areas; left {len(report.kept)} existing areas as they were.")
