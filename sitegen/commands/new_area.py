"""sitegen new-area"""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..content import MAX_SLUG, slugify
from ..content.areas import AREAS_DIR
from ..content.schema import SLUG_RE
from ..errors import Problem, SitegenError
from ..fileio import atomic_write
from ..importers.checked import area_yaml_problems, checked_value
from ..importers.scaffold import area_yaml
from ..terminal import printable
from . import site_option, site_root


def _slug(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not SLUG_RE.match(value) or len(value) > MAX_SLUG:
        name = ctx.params.get("name") or ""
        # An over-long SLUG would only be cut short with a hash: the ward's name gives a better one.
        tried = (slugify(name), slugify(value)) if len(value) > MAX_SLUG else (slugify(value), slugify(name))
        suggestion = next((s for s in tried if SLUG_RE.match(s) and len(s) <= MAX_SLUG), "abbey-road")
        raise click.BadParameter(f"'{printable(value)}' {slug_fault(value)}; use one like "
                                 f"'{suggestion}' (an area's SLUG is lowercase letters, digits "
                                 f"and single hyphens between them, at most {MAX_SLUG} characters)")
    return value


def slug_fault(value: str) -> str:
    """What is first wrong with VALUE as an area's slug, like 'has two hyphens in a row' ('' if nothing)."""
    if not value:
        return "is empty"
    if len(value) > MAX_SLUG:
        return f"is {len(value)} characters long"
    if "--" in value:
        return "has two hyphens in a row"
    if value.startswith("-") or value.endswith("-"):
        return "starts or ends with a hyphen"
    if value != value.lower():
        return "has capital letters"
    bad = next((char for char in value if not (char.isascii() and (char.isalnum() or char == "-"))), None)
    return f"holds '{printable(bad)}', which is not a letter a-z, a digit or a hyphen" if bad else ""


def _area_value(key: str) -> Callable[[click.Context, click.Parameter, str | None], str | None]:
    """A click callback refusing, as a usage error, a value check would refuse as area.yaml key KEY."""
    def callback(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        checked, messages = checked_value(key, value)
        if messages:
            raise click.BadParameter(printable("; ".join(messages)))  # messages may quote the value
        return checked
    return callback


@click.command("new-area")
@site_option
@click.argument("slug", callback=_slug)
@click.option("--name", required=True, is_eager=True, callback=_area_value("name"),
              help="The ward's name as residents know it.")
@click.option("--borough", default=None, callback=_area_value("borough"),
              help="The borough or district it belongs to.")
def new_area_command(site_dir: Path, slug: str, name: str, borough: str | None) -> None:
    """Scaffold content/areas/SLUG/ with an area.yaml that passes check."""
    root = site_root(site_dir)
    target = root / AREAS_DIR / slug / "area.yaml"
    if target.exists():
        raise SitegenError([Problem(target.relative_to(root).as_posix(), 0, 0,
                                    "already exists; choose another slug or edit the existing area")])
    fields = {"name": name}
    if borough:
        fields["borough"] = borough
    text = area_yaml(fields)
    problems = area_yaml_problems(text, target.relative_to(root).as_posix())
    if problems:   # each value was checked above; this guards the file as a whole
        raise SitegenError(problems)
    atomic_write(target, text)
    (target.parent / "news").mkdir(exist_ok=True)
    click.echo(f"Created {target.relative_to(root)}. Fill it in, then run 'sitegen check'.")
