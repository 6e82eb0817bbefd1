"""sitegen serve"""
from __future__ import annotations

from pathlib import Path

import click

from ..serve import serve
from . import build_date_option, resolve_build_date, site_option, site_root


@click.command("serve")
@site_option
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@build_date_option
def serve_command(site_dir: Path, port: int, build_date) -> None:
    """Preview on 127.0.0.1 with rebuild on change and live reload."""
    root = site_root(site_dir)
    serve(root, root / "build", port, resolve_build_date(build_date))
