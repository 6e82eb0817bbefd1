"""The `sitegen` command: a click group whose commands live in sitegen/commands/.

Every command takes --site DIR.  A SitegenError becomes its lines on stderr
and its exit code (1 bad input, 3 an outside service failed); never a traceback.
"""
from __future__ import annotations

import sys

import click

from .errors import SitegenError
from .commands import COMMANDS


class SitegenGroup(click.Group):
    """A group that reports SitegenError as located lines and an exit code."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SitegenError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            if len(exc.problems) > 1:
                click.echo(f"{len(exc.problems)} problems found.", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=SitegenGroup)
@click.version_option(package_name="sitegen")
def main() -> None:
    """Build local-area police sites from YAML and Markdown."""


for command in COMMANDS:
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
