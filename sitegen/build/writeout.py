"""Writing a build's outputs: rendered aside in a staging folder, then either
swapped in as a whole new tree (a first build) or moved in file by file.

Nothing reaches the output folder until every output has rendered.  When
updating, an output whose bytes are those already in the output folder is
left alone (a new sitegen or a template edit re-renders every page, most of
them to the same bytes); the others are staged flat, one file each with no
folders, and move in one rename each, marked first in the state folder so
that a build stopped part-way makes them again (sitegen/build/state.py).
"""
from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..content.medianames import media_file
from ..errors import Problem, SitegenError
from ..fileio import naming
from ..outputfolder import BUILD_MARKER, marker_text
from ..outputs.base import Output, RenderContext
from ..outputs.catalogue import render
from ..parallel import parallel_map
from .report import Reporter
from .staging import delete_outputs, move_staged, staging, swap_into_place, write_file
from .state import mark_moving


@dataclass
class Changes:
    """What a build changes in the output folder: outputs to RENDER, assets
    and media to COPY (build paths) and build paths to DELETE."""

    render: list[Output]
    copy: set[str]
    delete: set[str]


def write_whole_tree(ctx: RenderContext, out_dir: Path, jobs: int, reporter: Reporter,
                     rendered: Callable[[], None], meanwhile: Callable[[], object] | None = None) -> None:
    """Render every output of CTX, with every asset and media file, into a
    new tree and swap it in for OUT_DIR, calling RENDERED in between, and
    MEANWHILE while the workers render."""
    statics = static_paths(ctx)
    with staging(out_dir) as stage:
        write_file(stage / BUILD_MARKER, marker_text(ctx.site.config.preview))   # publish reads it
        render_into(ctx, ctx.outputs, stage, jobs, meanwhile)
        copy_static(ctx, stage, set(statics))
        rendered()
        swap_into_place(stage, out_dir)
    reporter.made([o.path for o in ctx.outputs], sorted(statics), [], cold=True)


def write_changes(ctx: RenderContext, changes: Changes, out_dir: Path, state_dir: Path, jobs: int,
                  reporter: Reporter, rendered: Callable[[], None]) -> None:
    """Render and copy CHANGES aside, call RENDERED, then move those that differ
    from OUT_DIR's files in and delete what CHANGES names."""
    with staging(out_dir) as stage:
        staged = render_aside(ctx, changes.render, stage, out_dir, jobs)
        staged.update(copy_aside(ctx, stage, changes.copy))
        rendered()
        marker = marker_text(ctx.site.config.preview)   # says whether the build is a preview
        if not same_bytes(f"{out_dir}/{BUILD_MARKER}", marker):
            write_file(stage / BUILD_MARKER, marker)
            staged[BUILD_MARKER] = BUILD_MARKER
        # Note what is about to change first: a build stopped part-way makes it again.
        mark_moving(state_dir, set(staged.values()) | changes.delete)
        move_staged(stage, staged, out_dir, reporter.moving)
        delete_outputs(out_dir, changes.delete)
    moved = set(staged.values())
    reporter.made([o.path for o in changes.render], sorted(changes.copy), sorted(changes.delete), cold=False,
                  unchanged=[o.path for o in changes.render if o.path not in moved])


def static_paths(ctx: RenderContext) -> dict[str, str]:
    """Build path -> asset name or media URL, for every file copied rather than rendered."""
    paths = {asset.path: name for name, asset in ctx.assets.items()}
    paths.update((url.lstrip("/"), url) for url in ctx.site.media)
    return paths


def render_aside(ctx: RenderContext, outputs: list[Output], stage: Path, out_dir: Path,
                 jobs: int) -> dict[str, str]:
    """Render OUTPUTS (in JOBS processes when there are many), each into a file of
    its own in STAGE, except those whose bytes OUT_DIR already holds; staged
    name -> build path of those written."""
    def render_one(item: tuple[int, Output]) -> bool:
        index, output = item
        content = render_located(ctx, output)
        if same_bytes(f"{out_dir}/{output.path}", content):
            return False
        write_file(f"{stage}/{index}", content)
        return True

    written = parallel_map(render_one, list(enumerate(outputs)), jobs)
    return {str(index): o.path for (index, o), wrote in zip(enumerate(outputs), written) if wrote}


def copy_aside(ctx: RenderContext, stage: Path, paths: set[str]) -> dict[str, str]:
    """Copy the assets and media files at the build PATHS into STAGE, a file each;
    staged name -> build path."""
    wanted = [(path, name) for path, name in static_paths(ctx).items() if path in paths]
    for number, (_, name) in enumerate(wanted):
        _copy_one(ctx, name, stage / f"static-{number}")
    return {f"static-{number}": path for number, (path, _) in enumerate(wanted)}


def same_bytes(path: str, content: bytes) -> bool:
    """Whether the file at PATH holds CONTENT (False if it cannot be read)."""
    try:
        if os.stat(path).st_size != len(content):
            return False
        with open(path, "rb") as handle:
            return handle.read() == content
    except OSError:
        return False


def render_into(ctx: RenderContext, outputs: list[Output], target: Path, jobs: int,
                meanwhile: Callable[[], object] | None = None) -> None:
    """Render OUTPUTS into TARGET, in JOBS processes when there are many (calling
    MEANWHILE here while they render)."""
    made: set[str] = set()

    def render_one(output: Output) -> None:
        write_file(f"{target}/{output.path}", render_located(ctx, output), made)

    for _ in parallel_map(render_one, outputs, jobs, meanwhile=meanwhile):
        pass


def copy_static(ctx: RenderContext, target: Path, paths: set[str]) -> None:
    """Write the assets and media files at the build PATHS into TARGET, at those paths."""
    for path, name in static_paths(ctx).items():
        if path in paths:
            (target / path).parent.mkdir(parents=True, exist_ok=True)
            _copy_one(ctx, name, target / path)


def _copy_one(ctx: RenderContext, name: str, target: Path) -> None:
    """Write the asset NAME, or the media file at the site path NAME, to TARGET."""
    asset = ctx.assets.get(name)
    if asset is not None:
        write_file(target, asset.content)
        return
    with naming(target):
        shutil.copyfile(media_file(ctx.site.config.root, name), target)


def render_located(ctx: RenderContext, output: Output) -> bytes:
    """Render OUTPUT, turning a template mistake into a located problem."""
    try:
        return render(ctx, output)
    except jinja2.TemplateError as exc:
        raise _template_problem(ctx, output, exc, str(exc)) from exc
    except TEMPLATE_MISTAKES as exc:
        # What a template's own code raises (`url(none)`, `'x' in 3`, `1 / 0`); a mistake in
        # sitegen's Python, with no template on its way, stays a traceback for a bug report.
        if _template_location(exc)[1] == 0:
            raise
        raise _template_problem(ctx, output, exc, f"{type(exc).__name__}: {exc}") from exc


TEMPLATE_MISTAKES = (TypeError, ValueError, AttributeError, LookupError, ArithmeticError)


def _template_problem(ctx: RenderContext, output: Output, exc: Exception, what: str) -> SitegenError:
    """The located problem for EXC, raised while rendering OUTPUT, told as WHAT."""
    name, line = _template_location(exc)
    where = os.path.relpath(name, ctx.site.config.root) if os.path.isabs(name) else name
    return SitegenError([Problem(where, line, 0, f"template error while making {output.path}: {what}")])


def _template_location(exc: Exception) -> tuple[str, int]:
    """The template file and line an error came from (Jinja puts them in the traceback);
    ('templates', 0) when no template is on its way."""
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
