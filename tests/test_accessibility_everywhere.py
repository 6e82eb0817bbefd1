"""axe-core (WCAG 2.2 AA tags) over every HTML page the example build emits,
not a sample, and over one Welsh page of each type (issue 20: axe clean in both
languages).  Form steps and error states are covered by the forms tests."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from browser import AXE_TAGS, inject_axe
from conftest import BUILD_DATE, run_cli
from test_welsh_everywhere import welsh_example
from webserver import serve_like_cdn

# A page's type from its build path (the first that matches); forms and triage pages are told
# apart by what they hold (page_type).
PATH_TYPES = [("home", r"index\.html"), ("404", r"404\.html"), ("borough", r"boroughs/[^/]+/index\.html"),
              ("ward", r"areas/[^/]+/index\.html"), ("news index", r"areas/[^/]+/news/index\.html"),
              ("story", r"areas/[^/]+/news/[^/]+/index\.html"), ("finder", r"find/index\.html"),
              ("district", r"find/[^/]+/index\.html"), ("done", r"forms/[^/]+/done/index\.html"),
              ("form", r"forms/[^/]+/index\.html"), ("triage", r"report/.*index\.html")]


@pytest.mark.browser
def test_every_built_page_has_no_axe_violations(browser, example_build):
    url, server = serve_like_cdn(example_build)
    # Decap's admin is not ours; the Welsh pages are the next test's, one of each type.
    pages = sorted(p.relative_to(example_build).as_posix() for p in example_build.rglob("*.html")
                   if not p.relative_to(example_build).as_posix().startswith(("admin/", "cy/")))
    assert len(pages) > 100
    failures = axe_failures(browser, url, pages, server)
    assert not failures, failures


def axe_failures(browser, url: str, pages: list[str], server) -> str:
    """axe's violations on each of PAGES (build paths) served at URL, a line each ('' for none);
    SERVER is shut down after."""
    context = browser.new_context()
    page = context.new_page()
    failures = []
    try:
        for rel in pages:
            page.goto(f"{url}/{rel}")
            inject_axe(page)
            found = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                                  ".then(r => r.violations.map(v => v.id + ' ' + v.nodes.map(n => n.target).join(',')))",
                                  AXE_TAGS)
            failures += [f"{rel}: {v}" for v in found]
    finally:
        context.close()
        server.shutdown()
    return "\n".join(failures)


def page_type(out: Path, rel: str) -> str:
    """The type of the page at the build path REL of OUT (under its language's folder): home,
    ward, form, hosted form, triage question, triage outcome... or 'page' (content/pages/)."""
    kind = next((name for name, pattern in PATH_TYPES if re.fullmatch(pattern, rel)), "page")
    html = (out / "cy" / rel).read_text(encoding="utf-8") if kind in ("form", "triage") else ""
    if kind == "form":
        return "form" if 'method="post"' in html else "hosted form"
    if kind == "triage":
        return "triage question" if "sitegen-choices" in html else "triage outcome"
    return kind


@pytest.fixture(scope="module")
def welsh_build(tmp_path_factory) -> Path:
    """The example in English and Welsh (test_welsh_everywhere.welsh_example), built once."""
    root = tmp_path_factory.mktemp("welsh-axe")
    out = root / "build"
    result = run_cli("build", "--site", str(welsh_example(root / "site")), "--out", str(out),
                     "--build-date", BUILD_DATE, "--state", str(root / "state"))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.browser
def test_a_welsh_page_of_each_type_has_no_axe_violations(browser, welsh_build):
    chosen: dict[str, str] = {}
    for path in sorted(welsh_build.glob("cy/**/*.html")):
        rel = path.relative_to(welsh_build / "cy").as_posix()
        if not rel.startswith("admin/"):
            chosen.setdefault(page_type(welsh_build, rel), "cy/" + rel)
    assert {"home", "404", "borough", "ward", "news index", "story", "page", "finder", "district", "form",
            "done", "hosted form", "triage question", "triage outcome"} <= set(chosen), sorted(chosen)
    url, server = serve_like_cdn(welsh_build)
    failures = axe_failures(browser, url, sorted(chosen.values()), server)
    assert not failures, failures
