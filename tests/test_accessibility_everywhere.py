"""axe-core (WCAG 2.2 AA tags) over every HTML page the example build emits,
not a sample.  Form steps and error states are covered by the forms tests."""
from __future__ import annotations

import pytest

from browser import AXE_TAGS, inject_axe
from webserver import serve_like_cdn


@pytest.mark.browser
def test_every_built_page_has_no_axe_violations(browser, example_build):
    url, server = serve_like_cdn(example_build)
    pages = sorted(p.relative_to(example_build).as_posix() for p in example_build.rglob("*.html")
                   if not p.relative_to(example_build).as_posix().startswith("admin/"))   # Decap's, not ours
    assert len(pages) > 100
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
    assert not failures, "\n".join(failures)
