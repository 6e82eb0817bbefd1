"""Preview server: serves build/, rebuilds when a source changes, and reloads
open pages.  Live reload is injected into responses by the server only, so the
built files stay exactly what a publish would upload.

A rebuild that fails, for the site's input or the disk, prints why (escaped for
the terminal: messages quote file names and text), shows the problems over every
open page until the next good build reloads it, and the last good build stays
served.  Clients get the bounds of sitegen.localserver: a total deadline for the
request head, and a timeout on every read and write."""
from __future__ import annotations

import functools
import http.server
import json
import re
import threading
import urllib.parse
from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path

import click
import watchfiles

from .build import build
from .errors import Problem, SitegenError
from .fileio import file_system_failure
from .localserver import BoundedRequestMixin, PrivateHandlerMixin, PrivateThreadingHTTPServer, listen
from .terminal import printable

RELOAD_PATH = "/__sitegen/reload.js"
STATUS_PATH = "/__sitegen/status"
# A language's folder (i18n.Language.path, one safe segment): never "." or "..", never a separator.
LANGUAGE_SEGMENT = re.compile(r"[a-z0-9][a-z0-9-]*")
# Polls the status each second: a new good build reloads the page; a failed rebuild shows
# its problems over the page (file, line and message, as text: never parsed as HTML) until
# the next good build reloads it.  Styled through the CSSOM, which the pages' CSP allows.
RELOAD_JS = b"""(function () {
  var seen = null, shown = "";
  function overlay(problems) {
    var old = document.getElementById("sitegen-build-problems");
    var key = JSON.stringify(problems);
    if (key === shown) { return; }
    shown = key;
    if (old) { old.remove(); }
    if (!problems.length) { return; }
    var box = document.createElement("div");
    box.id = "sitegen-build-problems";
    box.setAttribute("role", "alert");
    var s = box.style;
    s.position = "fixed"; s.top = "0"; s.left = "0"; s.right = "0"; s.zIndex = "2147483647";
    s.maxHeight = "60vh"; s.overflow = "auto"; s.background = "#0b0c0c"; s.color = "#ffffff";
    s.borderBottom = "5px solid #d4351c"; s.padding = "15px 20px"; s.font = "16px/1.4 monospace";
    var title = document.createElement("h2");
    title.textContent = "The site did not build: still showing the last good build";
    title.style.margin = "0 0 10px"; title.style.font = "bold 19px/1.3 arial, sans-serif";
    box.appendChild(title);
    var list = document.createElement("ul");
    list.style.margin = "0"; list.style.paddingLeft = "20px";
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p;
      list.appendChild(item);
    });
    box.appendChild(list);
    var close = document.createElement("button");
    close.type = "button"; close.textContent = "Hide";
    close.style.marginTop = "10px"; close.style.font = "16px arial, sans-serif";
    close.addEventListener("click", function () { box.remove(); });
    box.appendChild(close);
    document.body.insertBefore(box, document.body.firstChild);
  }
  function poll() {
    fetch("/__sitegen/status", {cache: "no-store"})
    .then(function (r) { return r.json(); }).then(function (status) {
      if (seen !== null && status.version !== seen) { location.reload(); return; }
      seen = status.version;
      overlay(status.problems);
    }).catch(function () {}).finally(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"""
WATCHED = ("site.yaml", "content", "templates", "forms", "assets")
HOST = "127.0.0.1"


class BuildVersion:
    """A counter pages poll, bumped after each good build (and each failed one while there is no
    build, so the problems page follows), and the problems of the last failed attempt (empty after
    a good one)."""

    def __init__(self) -> None:
        self.value = 0
        self.problems: list[Problem] = []
        self.lock = threading.Lock()

    def bump(self, problems: list[Problem] | None = None, announce: bool = True) -> None:
        """Note a build attempt: a good one (no PROBLEMS), or one that failed with PROBLEMS;
        ANNOUNCE tells open pages to reload."""
        with self.lock:
            self.value += 1 if announce else 0
            self.problems = list(problems or [])

    def status(self) -> bytes:
        """What open pages poll, as JSON: {"version": N, "problems": ["PATH:LINE:COL: message", ...]},
        control characters shown as escapes (the page shows each as text)."""
        with self.lock:
            problems = [printable(problem) for problem in self.problems]
            return json.dumps({"version": self.value, "problems": problems}).encode()


def no_build_page(problems: list[Problem]) -> bytes:
    """The page served (status 503) while the site has never built: PROBLEMS, control characters shown
    as escapes and HTML-escaped."""
    items = "".join(f"<li>{escape(printable(problem))}</li>" for problem in problems) or "<li>Building…</li>"
    return ('<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8">'
            "<title>No build yet</title></head>"
            f"<body><h1>The site does not build yet</h1><p>Fix these problems and save; this page reloads"
            f" when the site builds.</p><ul>{items}</ul></body></html>").encode()


class PreviewHandler(PrivateHandlerMixin, BoundedRequestMixin, http.server.SimpleHTTPRequestHandler):
    """Serves the build folder, adding the live-reload script to HTML; logs nothing about clients;
    waits for a client within BoundedRequestMixin's bounds."""

    version: BuildVersion

    def do_GET(self) -> None:
        if self.path == RELOAD_PATH:
            return self._send(200, "text/javascript", RELOAD_JS)
        if self.path == STATUS_PATH:
            return self._send(200, "application/json", self.version.status())
        if not Path(self.directory).is_dir():   # no good build yet: say why, until there is one
            page = no_build_page(self.version.problems).replace(b"</body>", self._reload_tag(), 1)
            return self._send(503, "text/html; charset=utf-8", page)
        html = self._html_for(self.path.split("?", 1)[0])
        if html is None or self.path.startswith("/admin/"):   # a reload would lose an editor's unsaved work
            return super().do_GET()
        self._send(200, "text/html; charset=utf-8", html.replace(b"</body>", self._reload_tag(), 1))

    @staticmethod
    def _reload_tag() -> bytes:
        return f'<script src="{RELOAD_PATH}"></script></body>'.encode()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        not_found = self._not_found_page()
        if code == 404 and not_found.is_file():
            return self._send(404, "text/html; charset=utf-8", not_found.read_bytes())
        super().send_error(code, message, explain)

    def _not_found_page(self) -> Path:
        """The 404 page for the requested path: a language's own (cy/404.html for /cy/...) where the
        path's first segment is a folder holding one, else the build's 404.html."""
        root = Path(self.directory)
        first = urllib.parse.unquote(self.path.split("?", 1)[0]).lstrip("/").split("/", 1)[0]
        if LANGUAGE_SEGMENT.fullmatch(first) and (root / first / "404.html").is_file():
            return root / first / "404.html"
        return root / "404.html"

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
        problems = exc.problems
    except OSError as exc:   # the disk, not the site: say so and keep serving
        failure = file_system_failure(exc, "the folder served is untouched", "save a file to build again")
        problems = failure.problems
    else:
        version.bump()
        click.echo(f"Built {result.pages} pages.")
        return True
    has_build = out_dir.is_dir()
    version.bump(problems, announce=not has_build)
    report_failure(problems, has_build)
    return False


def report_failure(problems: list[Problem], has_build: bool = True) -> None:
    """PROBLEMS on stderr, one line each with control characters shown as escapes, then what happens
    next: the last good build stays served, or (HAS_BUILD false) a page listing the problems."""
    for problem in problems:
        click.echo(printable(problem), err=True)
    if has_build:
        click.echo("Build failed; still serving the last good build.", err=True)
    else:
        click.echo("Build failed; no build yet: the preview shows these problems until the site builds.",
                   err=True)


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
