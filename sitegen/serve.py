"""Preview server: serves build/, rebuilds when a source changes, and reloads
open pages.  Live reload is injected into responses by the server only, so the
built files stay exactly what a publish would upload.

A rebuild that fails, for the site's input or the disk, prints why (escaped for
the terminal: messages quote file names and text) and the last good build stays
served.  Clients get the bounds of sitegen.localserver: a total deadline for the
request head, and a timeout on every read and write."""
from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
import watchfiles

from .build import build
from .errors import Problem, SitegenError
from .fileio import file_system_failure
from .localserver import BoundedRequestMixin, PrivateHandlerMixin, PrivateThreadingHTTPServer, listen
from .terminal import printable

RELOAD_PATH = "/__sitegen/reload.js"
VERSION_PATH = "/__sitegen/version"
RELOAD_JS = b"""(function () {
  var seen = null;
  function poll() {
    fetch("/__sitegen/version", {cache: "no-store"}).then(function (r) { return r.text(); }).then(function (v) {
      if (seen !== null && v !== seen) { location.reload(); }
      seen = v;
    }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
WATCHED = ("site.yaml", "content", "templates", "forms", "assets")
HOST = "127.0.0.1"


class BuildVersion:
    """A counter bumped after each successful build; pages poll it."""

    def __init__(self) -> None:
        self.value = 0
        self.lock = threading.Lock()

    def bump(self) -> None:
        """Note a new build."""
        with self.lock:
            self.value += 1


class PreviewHandler(PrivateHandlerMixin, BoundedRequestMixin, http.server.SimpleHTTPRequestHandler):
    """Serves the build folder, adding the live-reload script to HTML; logs nothing about clients;
    waits for a client within BoundedRequestMixin's bounds."""

    version: BuildVersion

    def do_GET(self) -> None:
        if self.path == RELOAD_PATH:
            return self._send(200, "text/javascript", RELOAD_JS)
        if self.path == VERSION_PATH:
            return self._send(200, "text/plain", str(self.version.value).encode())
        html = self._html_for(self.path.split("?", 1)[0])
        if html is None:
            return super().do_GET()
        script = f'<script src="{RELOAD_PATH}"></script></body>'.encode()
        self._send(200, "text/html; charset=utf-8", html.replace(b"</body>", script, 1))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = Path(self.directory) / "404.html"
        if code == 404 and not_found.is_file():
            return self._send(404, "text/html; charset=utf-8", not_found.read_bytes())
        super().send_error(code, message, explain)

    def _html_for(self, url_path: str) -> bytes | None:
        path = Path(self.translate_path(url_path))
        if path.is_dir():
            path = path / "index.html"
        return path.read_bytes() if path.suffix == ".html" and path.is_file() else None

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


def rebuild(root: Path, out_dir: Path, build_date: date, version: BuildVersion) -> bool:
    """Build once, printing problems (the site's, or the disk's) instead of stopping; True on success."""
    try:
        result = build(root, out_dir, build_date)
    except SitegenError as exc:
        report_failure(exc.problems)
        return False
    except OSError as exc:   # the disk, not the site: say so and keep serving
        failure = file_system_failure(exc, "the folder served is untouched", "save a file to build again")
        report_failure(failure.problems)
        return False
    version.bump()
    click.echo(f"Built {result.pages} pages.")
    return True


def report_failure(problems: list[Problem]) -> None:
    """PROBLEMS on stderr, one line each with control characters shown as escapes, then what happens next."""
    for problem in problems:
        click.echo(printable(problem), err=True)
    click.echo("Build failed; still serving the last good build.", err=True)


def watch_and_rebuild(root: Path, on_change: Callable[[], object], stop: threading.Event) -> None:
    """Call ON_CHANGE after each batch of changes under the watched paths."""
    paths = [root / name for name in WATCHED if (root / name).exists()]
    for _changes in watchfiles.watch(*paths, stop_event=stop, debounce=300):
        on_change()


class Preview:
    """A running preview: the HTTP server and the watcher that rebuilds."""

    def __init__(self, root: Path, out_dir: Path, port: int, build_date: date):
        """Listen on 127.0.0.1:PORT (SitegenError naming it when it cannot), build, then serve and watch."""
        self.version = BuildVersion()
        handler = functools.partial(type("Handler", (PreviewHandler,), {"version": self.version}),
                                    directory=str(out_dir))
        self.server = listen(lambda: PrivateThreadingHTTPServer((HOST, port), handler), HOST, port,
                             "stop what uses the port, or pass another --port")
        rebuild(root, out_dir, build_date, self.version)
        self.stop_event = threading.Event()
        on_change = functools.partial(rebuild, root, out_dir, build_date, self.version)
        self.threads = [threading.Thread(target=watch_and_rebuild, args=(root, on_change, self.stop_event),
                                         daemon=True),
                        threading.Thread(target=self.server.serve_forever, daemon=True)]
        for thread in self.threads:
            thread.start()

    @property
    def url(self) -> str:
        """Where the preview is served."""
        return f"http://{HOST}:{self.server.server_address[1]}/"

    def stop(self) -> None:
        """Stop serving and watching."""
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()


def serve(root: Path, out_dir: Path, port: int, build_date: date) -> None:
    """Build, then serve OUT_DIR on 127.0.0.1:PORT, rebuilding on change until Ctrl-C."""
    preview = Preview(root, out_dir, port, build_date)
    click.echo(f"Serving {printable(out_dir)} on {preview.url} (Ctrl-C to stop)")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        preview.stop()
