"""sitegen import-police-uk"""
from __future__ import annotations

from pathlib import Path

import click

from ..content.schema import SLUG_RE
from ..importers.http import HttpClient
from ..importers.police_uk import DEFAULT_API_URL, import_police_uk
from ..terminal import printable
from . import site_option, site_root


def _force_id(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not SLUG_RE.match(value):
        raise click.BadParameter("a police.uk force id is lowercase letters, "
                                 "digits and hyphens, like 'metropolitan'")
    return value


@click.command("import-police-uk")
@site_option
@click.option("--force", "force_id", required=True, callback=_force_id, metavar="FORCE",
              help="data.police.uk force id, like 'metropolitan' or 'leicestershire'.")
@click.option("--neighbourhood", "neighbourhoods", multiple=True, metavar="ID",
              help="Import only this neighbourhood (repeat for several). Default: every one of the force.")
@click.option("--api-url", default=DEFAULT_API_URL, show_default=True, help="Base URL of the police.uk API.")
def import_police_uk_command(site_dir: Path, force_id: str, neighbourhoods: tuple[str, ...],
                             api_url: str) -> None:
    """Create or refresh areas from the data.police.uk neighbourhood API.

    What came from the API is refreshed; news pages, keys the API does not
    supply and keys listed under `pinned:` in area.yaml are left as written.
    """
    report = import_police_uk(site_root(site_dir), force_id, list(neighbourhoods), HttpClient(api_url))
    for line in report.lines():
        click.echo(printable(line))  # names and values from the API
