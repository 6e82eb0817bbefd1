"""One module per command; COMMANDS lists them for the `sitegen` group."""
from __future__ import annotations

import os
import re
from datetime import date, datetime
from pathlib import Path

import click

from .. import errors

site_option = click.option(
    "--site", "site_dir", type=click.Path(file_okay=False, path_type=Path), default=".",
    show_default=True, help="The site folder (the one holding site.yaml).")


class Day(click.DateTime):
    """click.DateTime of the one format YYYY-MM-DD.  A day written with four, two and two ASCII
    digits is read at once, and one the calendar has not (2026-02-30) is refused as that, not
    as text in another format; anything else as click reads it, with its words for a mistake.
    (click reads with datetime.strptime, whose first use imports _strptime and the locale's
    calendar: 1 ms of every build given its date.)"""

    def __init__(self) -> None:
        super().__init__(formats=[DAY_FORMAT])

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None) -> datetime:
        if isinstance(value, str) and _PADDED_DAY.fullmatch(value):
            try:
                return datetime.fromisoformat(value)
            except ValueError as exc:
                self.fail(f"{value!r} is no day of the calendar ({exc}); give a day as YYYY-MM-DD",
                          param, ctx)
        return super().convert(value, param, ctx)


DAY_FORMAT = "%Y-%m-%d"
_PADDED_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")   # what Day reads itself; strptime reads it alike


def build_date_option(func):
    """--build-date: the day the build treats as today (default: today in London)."""
    return click.option(
        "--build-date", type=Day(), default=None,
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
