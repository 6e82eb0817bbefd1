"""The `sitegen` command: a click group whose commands live in sitegen/commands/.

Every command takes --site DIR.  A SitegenError becomes its lines on stderr
(control characters shown as escapes: messages quote text from outside) and
its exit code (1 bad input, 3 an outside service failed); never a traceback.
The program `sitegen` is run(): main() in a process of its own.
"""
from __future__ import annotations

import gc
import importlib

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


# Allocations between two young-generation collections: mypy's figure, for a program that
# allocates much and lives briefly (Python's 700 collects ~35 times in a one-area edit).
YOUNG_COLLECTION_EVERY = 200_000


def run() -> None:
    """The `sitegen` program ([project.scripts] in pyproject.toml): main() with the garbage
    collector set for a process that ends with its command.  A command that runs on (`serve`,
    `intake`) keeps the raised threshold (its cyclic garbage is still collected, every 200,000
    allocations rather than 700) and freezes nothing until it ends.  Not for main() called
    in a process that goes on after it (the tests): what it froze would never be collected."""
    _, middle, old = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, old)
    try:
        main()
    finally:
        # Python's exit runs full collections over every object still alive (~20 ms of a one-area
        # edit: the build state); frozen, they are skipped, and the exit frees the memory all the same.
        gc.freeze()


if __name__ == "__main__":  # pragma: no cover
    run()
