"""sitegen check"""
from __future__ import annotations

from pathlib import Path

import click

from ..errors import SitegenError
from ..problemformats import FORMATS, github_lines, json_document
from ..terminal import printable
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("check")
@site_option
@build_date_option
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True,
              help="text for people; github for GitHub Actions annotations on a pull request's lines"
                   " (::error file=...,line=...,col=...::message); json for other tools.")
def check_command(site_dir: Path, build_date, output_format: str) -> None:
    """Validate everything a build reads; write nothing.  Exit 1 when there are problems."""
    from ..build.checks import load_and_check
    from ..content.translations import required_languages, translation_warnings
    from ..i18n import catalogue_warnings
    root, here = site_root(site_dir), Path.cwd()
    try:
        site, outputs = load_and_check(root, resolve_build_date(build_date))
    except SitegenError as exc:
        if output_format == "text":
            raise   # the command line prints each problem (sitegen/cli.py)
        shown = github_lines(exc.problems, root, here) if output_format == "github" else \
            [json_document(exc.problems, root, here)]
        click.echo("\n".join(shown))
        raise click.exceptions.Exit(exc.exit_code) from None
    warnings = [*site.warnings, *translation_warnings(site, required_languages(site.config))]
    warnings += catalogue_warnings(root, site.config.languages)   # fuzzy messages of locale/<ll>.po
    if output_format == "json":
        click.echo(json_document([], root, here, {"areas": len(site.areas), "pages": len(site.pages),
                                                  "outputs": len(outputs)}, warnings))
        return
    for line in github_lines(warnings, root, here) if output_format == "github" else map(printable, warnings):
        click.echo(line)   # warnings (a missing translation): told, and the check still passes
    click.echo(f"No problems found: {len(site.areas)} areas, {len(site.pages)} pages, "
               f"{len(outputs)} outputs.")
