"""sitegen import-postcodes"""
from __future__ import annotations

from pathlib import Path

import click

from ..importers.postcodes import import_postcodes
from . import site_option, site_root


@click.command("import-postcodes")
@site_option
@click.argument("csv_path", metavar="FILE", type=click.Path(dir_okay=False, path_type=Path))
def import_postcodes_command(site_dir: Path, csv_path: Path) -> None:
    """Write the postcode lookup (content/postcodes/) from the ONSPD or NSPL CSV FILE:
    the live postcodes of the site's wards, matched by each area's ONS code."""
    report = import_postcodes(site_root(site_dir), csv_path)
    click.echo(f"Read {report.rows:,} rows in {report.seconds:.1f} s ({report.rows_per_second:,.0f} rows/s);"
               f" kept {report.kept:,} postcodes of the site's wards in {len(report.written)} districts"
               f" ({report.terminated:,} terminated skipped); removed {len(report.removed)} district files"
               " no longer given.")
