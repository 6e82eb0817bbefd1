"""The editors' admin as published to S3 behind the CDN.

Every file the example build puts under admin/ gets a content type a browser uses as it should
(WebAssembly as application/wasm, so it compiles as it streams) and is revalidated on every use,
never the fingerprinted assets' year-long cache. In Chromium, the admin served with the headers
deploy/sitegen.yaml's `/admin/*` behaviour adds starts with no Content-Security-Policy violation,
while with the public pages' policy (what every path got before) Decap CMS is blocked.
"""
from __future__ import annotations

import functools
import http.server
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import PurePosixPath

import pytest
from cfnlint.decode import decode

from conftest import ROOT
from sitegen.publish.headers import IMMUTABLE, NO_CACHE, SHORT, headers_for
from sitegen.publish.local import scan
from webserver import CdnHandler

TEMPLATE = ROOT / "deploy" / "sitegen.yaml"
FORMS = "https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com"
# What each kind of file under admin/ is served as; a new kind in the vendor folder fails the test
# until sitegen/publish/headers.py knows it.
ADMIN_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".yml": "application/yaml",
    ".js": "text/javascript; charset=utf-8",
    ".wasm": "application/wasm",
    ".txt": "text/plain; charset=utf-8",
}


def test_every_admin_file_has_a_known_type_and_is_revalidated_on_every_use(example_build):
    files = [f for f in scan(example_build) if f.path.startswith("admin/")]
    names = {f.path for f in files}
    assert {"admin/index.html", "admin/config.yml", "admin/decap-cms.js", "admin/sitegen-admin.js"} <= names
    assert any(name.endswith(".wasm") for name in names)
    for file in files:
        suffix = PurePosixPath(file.path).suffix
        assert file.headers.content_type == ADMIN_TYPES.get(suffix), file.path
        assert file.headers.cache_control == NO_CACHE, file.path


@pytest.mark.parametrize("path, cache_control", [
    ("assets/site.0123456789.css", IMMUTABLE),      # fingerprinted, as before
    ("areas/admin/index.html", SHORT),              # a ward called Admin is a public page
    ("administration/index.html", SHORT),
    ("admin/a.0123456789.js", NO_CACHE),            # not under assets/: not a fingerprint
])
def test_only_the_admin_folder_is_revalidated_every_time(path, cache_control):
    assert headers_for(path).cache_control == cache_control


def test_site_rules_still_win_over_the_admin_s_default():
    rules = ({"glob": "admin/*", "cache_control": "no-store"},)
    assert headers_for("admin/config.yml", rules).cache_control == "no-store"


# ---- in Chromium, with the CDN's headers ----

@functools.cache
def template_policies() -> tuple[str, str]:
    """(the public pages' CSP header with the forms' origin FORMS, the /admin/* behaviour's)."""
    parsed, problems = decode(str(TEMPLATE))
    assert not problems, problems
    resources = parsed["Resources"]
    public, admin = (resources[name]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"][
        "ContentSecurityPolicy"]["ContentSecurityPolicy"] for name in ("SecurityHeadersPolicy", "AdminHeadersPolicy"))
    return public["Fn::Sub"][0].replace("${Forms}", FORMS), admin


def cdn_headers(path: str, admin_behaviour: bool) -> list[tuple[str, str]]:
    """The CSP (and X-Robots-Tag) the template's distribution adds to an answer for PATH: the
    /admin/* behaviour's, or (ADMIN_BEHAVIOUR false, as the template was) the public pages'."""
    public, admin = template_policies()
    if admin_behaviour and path.startswith("/admin/"):
        return [("Content-Security-Policy", admin), ("X-Robots-Tag", "noindex, nofollow")]
    return [("Content-Security-Policy", public)]


@pytest.fixture(scope="module")
def served(example_build) -> Iterator[Callable[[bool], str]]:
    """A function (admin_behaviour) -> the base URL of the example build served as the CDN would,
    with the template's headers."""
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(admin_behaviour: bool) -> str:
        class Handler(CdnHandler):
            root = example_build

            def end_headers(self) -> None:
                for name, value in cdn_headers(self.path.split("?")[0], admin_behaviour):
                    self.send_header(name, value)
                super().end_headers()

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def open_admin(browser, url: str) -> tuple[object, list[str]]:
    """A tab on URL that records every CSP violation (the event, and Chromium's console line)."""
    context = browser.new_context()
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
    page.add_init_script("window.__violations = [];"
                         "document.addEventListener('securitypolicyviolation',"
                         " e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
    page.goto(url)
    return page, violations


@pytest.mark.browser
def test_the_admin_starts_behind_the_cdn_with_its_own_headers(browser, served, example_build):
    page, violations = open_admin(browser, served(True) + "/admin/")
    try:
        page.get_by_role("button", name=re.compile("Login")).wait_for(timeout=30_000)
        # Decap's WebAssembly compiles as it streams in: the type and the policy both allow it.
        wasm = sorted(p.name for p in (example_build / "admin").glob("*.wasm"))
        compiled = page.evaluate("names => Promise.all(names.map(n => WebAssembly.compileStreaming(fetch(n))"
                                 ".then(() => 'ok', e => n + ': ' + e)))", wasm)
        assert compiled == ["ok"] * len(wasm)
        assert page.evaluate("window.__violations") == [] and violations == []
    finally:
        page.context.close()


@pytest.mark.browser
def test_with_the_public_pages_policy_the_admin_is_blocked(browser, served):
    # What every path got before the /admin/* behaviour: proves the test above can fail.
    page, _ = open_admin(browser, served(False) + "/admin/")
    try:
        page.wait_for_function("window.__violations.length > 0", timeout=30_000)
        assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
        assert page.get_by_role("button", name=re.compile("Login")).count() == 0
    finally:
        page.context.close()
