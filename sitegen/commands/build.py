"""sitegen build"""
from __future__ import annotations

import os
import time
import unicodedata
from pathlib import Path

import click

from ..build import build
from ..build.state import default_state_dir
from ..configenv import PREVIEW
from ..errors import EXIT_USAGE, SitegenError
from ..fileio import file_system_failure
from ..outputfolder import default_out, refuse_unsafe_out, refuse_unsafe_state
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("build")
@site_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: build/ in the site folder). Replaced whole: it must be"
                   " new, empty or an earlier build, and outside the site's sources.")
@click.option("--clean", is_flag=True, help="Ignore the build state and render everything.")
@click.option("--jobs", type=click.IntRange(1, 256), default=None,
              help="Worker processes (default: the cores).")
@click.option("--state", "state_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where the build state is kept between builds (default: .cache/build). The event"
                   " ledger stays in the site's .cache/build/events, shared by every build of the site.")
@click.option("--preview", "preview", metavar="LABEL", default=None,
              help="Build a preview (for example --preview 'pull request #12'): every page is marked noindex"
                   " and shows a banner naming LABEL, and robots.txt disallows everything.")
@build_date_option
def build_command(site_dir: Path, out_dir: Path | None, clean: bool, jobs: int | None, state_dir: Path | None,
                  preview: str | None, build_date) -> None:
    """Build the site into build/ (or --out), rendering only what changed since the last build.

    Reads the feed cache, never the network."""
    root = site_root(site_dir)
    # The label reaches the pages as a config value, so the build state tells a
    # preview build from a live one and never mixes their pages.
    label, before = checked_preview_label(preview), os.environ.get(PREVIEW)
    started = time.perf_counter()
    out, day = (out_dir or default_out(root)).absolute(), resolve_build_date(build_date)
    state_dir = state_dir.absolute() if state_dir else default_state_dir(root)
    refuse_unsafe_out(root, out)   # a build replaces its output folder whole
    refuse_unsafe_state(root, state_dir, out)
    os.environ[PREVIEW] = label   # worker processes inherit it
    try:
        result = build(root, out, day, clean=clean, jobs=jobs, state_dir=state_dir)
    except OSError as exc:   # the disk, not the site: exit 3, and build/ is as it was
        raise file_system_failure(exc) from None
    finally:
        _restore(PREVIEW, before)
    seconds = time.perf_counter() - started
    click.echo(f"Built {result.pages} pages ({result.files} files, {result.rendered} rendered) "
               f"into {result.out_dir} in {seconds:.2f}s.")



MAX_PREVIEW = 80   # characters of a preview label


def checked_preview_label(label: str | None) -> str:
    """LABEL checked ('' for no preview): at most MAX_PREVIEW characters, no control
    characters, not blank.  Raises SitegenError (a usage error: exit 2, one line) otherwise; the
    pages escape it as they do any text."""
    if label is None:
        return ""
    label = label.strip()
    if not label:
        raise _usage("--preview: the label is empty; name it, e.g. --preview 'pull request #12'")
    if len(label) > MAX_PREVIEW:
        raise _usage(f"--preview: the label is {len(label)} characters long; keep it to {MAX_PREVIEW}")
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in label):
        raise _usage("--preview: the label holds a control character; use plain text on one line")
    return label


def _usage(message: str) -> SitegenError:
    """MESSAGE as a usage error: the command line was given a bad value (exit 2)."""
    return SitegenError(message, exit_code=EXIT_USAGE)


def _restore(name: str, value: str | None) -> None:
    """Set environment variable NAME back to VALUE (None: unset)."""
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
