"""The build, in one screen: load, plan, check, render, write atomically.

    site.yaml + content/ ──► load_site ──► plan ──► check links ──► render ──► stage ──► swap into build/

A build never touches the network (feeds come from their cache) and never reads
the clock (dates come from content or the injected build date), so the same
input always gives the same bytes.  It writes into a staging folder beside the
output and swaps it in only when everything succeeded: a failed build leaves the
previous one exactly as it was.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import jinja2

from .assets import collect_assets
from .content.site import MEDIA_DIR, load_site
from .errors import Problem, SitegenError
from .links import check_links
from .model import Site
from .outputs import Output, RenderContext, plan, render
from .render import make_environment


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote."""

    pages: int
    files: int
    out_dir: Path


def load_and_check(root: Path, build_date: date) -> tuple[Site, list[Output]]:
    """Load ROOT and check everything a build reads; raise with every problem."""
    site, problems = load_site(root, build_date)
    outputs = plan(site)
    urls = {o.url for o in outputs} | set(site.media)
    problems.extend(check_links(site, urls))
    problems.extend(check_templates(root))
    problems.raise_if_any()
    return site, outputs


def check_templates(root: Path) -> list[Problem]:
    """Syntax errors in the site's own template overrides."""
    env = make_environment(root)
    problems = []
    template_dir = root / "templates"
    for path in sorted(template_dir.rglob("*.html")) if template_dir.is_dir() else []:
        try:
            env.parse(path.read_text(encoding="utf-8"), path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(path.relative_to(root).as_posix(), exc.lineno, 0, f"template: {exc.message}"))
    return problems


def build(root: Path, out_dir: Path, build_date: date) -> BuildResult:
    """Build the site at ROOT into OUT_DIR, replacing it only on success."""
    site, outputs = load_and_check(root, build_date)
    ctx = RenderContext(site=site, env=make_environment(root), assets=collect_assets(site.config))
    stage = _stage_dir(out_dir)
    try:
        files = _write_all(ctx, outputs, root, stage)
        _swap_into_place(stage, out_dir)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    pages = sum(1 for o in outputs if o.path.endswith(".html"))
    return BuildResult(pages=pages, files=files, out_dir=out_dir)


def _write_all(ctx: RenderContext, outputs: list[Output], root: Path, stage: Path) -> int:
    for output in outputs:
        write_file(stage / output.path, _render_located(ctx, output))
    for asset in ctx.assets.values():
        write_file(stage / asset.path, asset.content)
    for url in ctx.site.media:
        target = stage / url.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / MEDIA_DIR / url[len("/media/"):], target)
    return len(outputs) + len(ctx.assets) + len(ctx.site.media)


def _render_located(ctx: RenderContext, output: Output) -> bytes:
    """Render OUTPUT, turning a template mistake into a located problem."""
    try:
        return render(ctx, output)
    except jinja2.TemplateError as exc:
        name, line = _template_location(exc)
        where = os.path.relpath(name, ctx.site.config.root) if os.path.isabs(name) else name
        raise SitegenError([Problem(where, line, 0, f"template error while making {output.path}: {exc}")])


def _template_location(exc: jinja2.TemplateError) -> tuple[str, int]:
    """The template file and line an error came from (Jinja puts them in the traceback)."""
    if getattr(exc, "filename", None):
        return exc.filename, getattr(exc, "lineno", 0) or 0
    found = ("templates", 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def write_file(path: Path, content: bytes) -> None:
    """Write CONTENT to PATH, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _stage_dir(out_dir: Path) -> Path:
    stage = out_dir.parent / f".{out_dir.name}.staging-{os.getpid()}"
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    return stage


def _swap_into_place(stage: Path, out_dir: Path) -> None:
    """Replace OUT_DIR by STAGE with two renames; the old tree is removed last."""
    old = out_dir.parent / f".{out_dir.name}.old-{os.getpid()}"
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(stage, out_dir)
    shutil.rmtree(old, ignore_errors=True)
