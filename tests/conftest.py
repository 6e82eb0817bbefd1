"""Shared fixtures: sites built into temporary folders, a static HTTP server,
and headless Chromium (Debian's, driven by Playwright) with axe-core."""
from __future__ import annotations

import functools
import http.server
import shutil
import threading
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main

# Modules whose fixtures every test module may use by name, without importing them (test_police_uk:
# the fake police.uk API; test_browser_forms: the example site served with a receiver, and a tab).
pytest_plugins = ["browser", "motoserver", "feedserver", "test_intake_support", "test_police_uk", "test_browser_forms"]

ROOT = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"
BUILD_DATE = "2026-11-28"


def run_cli(*args: str, **kwargs):
    """Run `sitegen ARGS` through click's CliRunner; returns the Result."""
    runner = CliRunner()
    return runner.invoke(main, list(args), catch_exceptions=False, **kwargs)


@pytest.fixture
def make_site(tmp_path):
    """Copy tests/sites/NAME (or the bundled example site with NAME='example') into tmp_path."""
    def copy(name: str = "minimal") -> Path:
        target = tmp_path / name
        if name == "example":
            target.mkdir()
            shutil.copy(ROOT / "site.yaml", target / "site.yaml")
            shutil.copytree(ROOT / "content", target / "content")
            for extra in ("forms", "templates"):
                if (ROOT / extra).is_dir():
                    shutil.copytree(ROOT / extra, target / extra)
        else:
            shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns("expected", ".cache"))
        return target
    return copy


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static file handler that does not log every request."""

    def log_message(self, format, *args):  # noqa: A002
        pass


@pytest.fixture(scope="session")
def serve_dir():
    """Serve a folder on 127.0.0.1; returns a function folder -> base URL."""
    servers = []

    def start(folder: Path) -> str:
        handler = functools.partial(QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def example_build(tmp_path_factory) -> Path:
    """The bundled example site, built once for the session."""
    out = tmp_path_factory.mktemp("example") / "build"
    result = run_cli("build", "--site", str(ROOT), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(out.parent / "state"))
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="session")
def bilingual_build(tmp_path_factory) -> Path:
    """tests/sites/bilingual (north-ward translated as Ward y Gogledd, south-ward not), built
    once for the session on BUILD_DATE; read it, never change it."""
    root = tmp_path_factory.mktemp("bilingual")
    shutil.copytree(SITES / "bilingual", root / "site", ignore=shutil.ignore_patterns(".cache"))
    result = run_cli("build", "--site", str(root / "site"), "--out", str(root / "out"),
                     "--build-date", BUILD_DATE, "--state", str(root / "state"))
    assert result.exit_code == 0, result.output
    return root / "out"


def today() -> date:
    """The build date tests inject."""
    return date.fromisoformat(BUILD_DATE)
