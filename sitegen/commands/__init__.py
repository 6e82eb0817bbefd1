"""One module per command; COMMANDS lists them for the `sitegen` group."""
from __future__ import annotations

import os
from datetime import date, datetime
from pathlib import Path

import click

from .. import errors

site_option = click.option(
    "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The site folder (the one holding site.yaml).")


def build_date_option(func):
    """--build-date: the day the build treats as today (default: today in London)."""
    return click.option(
        "--build-date", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
        envvar="SITEGEN_BUILD_DATE",
        help="Treat this day (YYYY-MM-DD) as today: past events drop out. Also SITEGEN_BUILD_DATE.")(func)


def resolve_build_date(value: datetime | None) -> date:
    """The injected build date, or today in Europe/London."""
    if value:
        return value.date()
    from zoneinfo import ZoneInfo  # only here: a build given its date needs no time zone (2 ms of imports)
    return datetime.now(ZoneInfo("Europe/London")).date()


def site_root(site_dir: Path) -> Path:
    """The absolute site folder."""
    return Path(os.path.abspath(site_dir))


# Command name -> "module:attribute", imported only when that command runs, so
# `sitegen build` does not pay for boto3 and `sitegen publish` not for Jinja.
COMMANDS = {
    "build": "sitegen.commands.build:build_command",
    "check": "sitegen.commands.check:check_command",
    "serve": "sitegen.commands.serve:serve_command",
    "feeds": "sitegen.commands.feeds:feeds_command",
    "publish": "sitegen.commands.publish:publish_command",
    "unpublish": "sitegen.commands.unpublish:unpublish_command",
    "new-area": "sitegen.commands.new_area:new_area_command",
    "import-wards": "sitegen.commands.import_wards:import_wards_command",
    "import-police-uk": "sitegen.commands.import_police_uk:import_police_uk_command",
    "import-postcodes": "sitegen.commands.import_postcodes:import_postcodes_command",
    "intake": "sitegen.commands.intake:intake_group",
}
__all__ = ["COMMANDS", "site_option", "build_date_option", "resolve_build_date", "site_root", "errors"]
