"""Rendering planned outputs into a folder, and putting changed ones in place.

Shared by the full build (sitegen/build.py) and the rebuild of a few areas
(sitegen/arearebuild.py).  Nothing reaches the output folder until every
output has rendered; changed files then move in one rename each.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import jinja2

from . import incremental as inc
from .content.medianames import media_file
from .errors import Problem, SitegenError
from .fileio import naming
from .outputs import Output, RenderContext, render
from .parallel import parallel_map
from .staging import delete_outputs, move_into, staging, write_file


def update_outputs(ctx: RenderContext, todo: list[Output], static: set[str], stale: set[str],
                   out_dir: Path, state_dir: Path, jobs: int) -> None:
    """Render TODO and copy the STATIC paths aside, then move them into OUT_DIR
    and delete the STALE paths."""
    with staging(out_dir) as stage:
        render_into(ctx, todo, stage, jobs)
        copy_static(ctx, ctx.site.config.root, stage, static_names(ctx, static))
        # Note what is about to change first: a crash part-way re-renders it next time.
        inc.mark_moving(state_dir, {o.path for o in todo} | static | stale)
        move_into(stage, out_dir)
        delete_outputs(out_dir, stale)


def static_names(ctx: RenderContext, paths: set[str]) -> set[str]:
    """The asset names and media URLs of the build paths PATHS."""
    names = {name for name, asset in ctx.assets.items() if asset.path in paths}
    return names | {url for url in ctx.site.media if url.lstrip("/") in paths}


def render_into(ctx: RenderContext, outputs: list[Output], target: Path, jobs: int) -> None:
    """Render OUTPUTS into TARGET, in JOBS processes when there are many."""
    global _RENDER
    _RENDER = (ctx, target, set())
    try:
        for _ in parallel_map(_render_one, outputs, jobs):
            pass
    finally:
        _RENDER = None


_RENDER: tuple | None = None


def _render_one(output: Output) -> None:
    assert _RENDER is not None, "set in each worker before any output"
    ctx, target, made = _RENDER
    write_file(f"{target}/{output.path}", render_located(ctx, output), made)


def copy_static(ctx: RenderContext, root: Path, target: Path, names: set[str]) -> None:
    """Write the assets and media files named in NAMES into TARGET."""
    made: set = set()
    for name, asset in ctx.assets.items():
        if name in names:
            write_file(target / asset.path, asset.content, made)
    for url in ctx.site.media:
        if url in names:
            (target / url.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            with naming(target / url.lstrip("/")):
                shutil.copyfile(media_file(root, url), target / url.lstrip("/"))


def render_located(ctx: RenderContext, output: Output) -> bytes:
    """Render OUTPUT, turning a template mistake into a located problem."""
    try:
        return render(ctx, output)
    except jinja2.TemplateError as exc:
        name, line = _template_location(exc)
        where = os.path.relpath(name, ctx.site.config.root) if os.path.isabs(name) else name
        raise SitegenError([Problem(where, line, 0, f"template error while making {output.path}: {exc}")]) from exc


def _template_location(exc: jinja2.TemplateError) -> tuple[str, int]:
    """The template file and line an error came from (Jinja puts them in the traceback)."""
    filename = getattr(exc, "filename", None)   # TemplateSyntaxError and TemplateNotFound have one
    if filename:
        return filename, getattr(exc, "lineno", 0) or 0
    found = ("templates", 0)
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".html", ".xml", ".txt")):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
