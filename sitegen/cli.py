"""The `sitegen` command: a click group whose commands live in sitegen/commands/.

Every command takes --site DIR.  A SitegenError becomes its lines on stderr
(control characters shown as escapes: messages quote text from outside) and
its exit code (1 bad input, 3 an outside service failed); never a traceback.
"""
from __future__ import annotations

import importlib
import sys

import click

from .commands import COMMANDS
from .errors import SitegenError
from .terminal import printable


class SitegenGroup(click.Group):
    """A group that imports each command when it is used, and reports
    SitegenError as located lines and an exit code."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute = COMMANDS[name].split(":")
        return getattr(importlib.import_module(module), attribute)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except SitegenError as exc:
            for problem in exc.problems:
                click.echo(printable(problem), err=True)
            if len(exc.problems) > 1:
                click.echo(f"{len(exc.problems)} problems found.", err=True)
            ctx.exit(exc.exit_code)


@click.group(cls=SitegenGroup)
@click.version_option(package_name="sitegen")
def main() -> None:
    """Build local-area police sites from YAML and Markdown."""


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
