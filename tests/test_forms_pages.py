"""The built form and triage pages: ready for a strict Content Security Policy,
within the page-weight budget, with the markup the receiver relies on."""
from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from conftest import BUILD_DATE, ROOT, run_cli

BUDGET = 60 * 1024   # gzipped bytes per page, every asset included


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("forms-pages") / "build"
    result = run_cli("build", "--site", str(ROOT), "--out", str(target), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    return target


def form_and_triage_pages(out: Path) -> list[Path]:
    return sorted(out.glob("forms/**/*.html")) + sorted(out.glob("report/**/*.html"))


def test_pages_are_ready_for_a_strict_content_security_policy(out):
    pages = form_and_triage_pages(out)
    assert len(pages) == 24   # 9 forms, 5 confirmation pages, 10 triage nodes
    for path in pages:
        html = path.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), f"inline script in {path}"
        assert not re.search(r"\sstyle=", html), f"style attribute in {path}"
        assert not re.search(r"\son[a-z]+=", html), f"event handler attribute in {path}"
        assert "javascript:" not in html, path


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def page_weight(out: Path, path: Path) -> int:
    """The page and every asset it loads (and the modules those import), gzipped."""
    html = path.read_bytes()
    assets = set(re.findall(rb'(?:href|src)="(/assets/[^"]+)"', html))
    for asset in list(assets):
        if asset.endswith(b".js"):
            content = (out / asset.decode().lstrip("/")).read_bytes()
            assets |= {b"/assets/" + name for name in re.findall(rb'from"?\s*"\./([^"]+\.js)"', content)}
    return gzipped(html) + sum(gzipped((out / a.decode().lstrip("/")).read_bytes()) for a in assets)


def test_every_form_and_triage_page_is_within_the_weight_budget(out):
    heaviest = max(form_and_triage_pages(out), key=lambda p: page_weight(out, p))
    assert page_weight(out, heaviest) <= BUDGET, f"{heaviest}: {page_weight(out, heaviest)} bytes gzipped"
    forms_js = next(out.glob("assets/forms.*.js"))
    assert gzipped(forms_js.read_bytes()) < 8 * 1024


def test_form_markup_for_the_receiver(out):
    html = (out / "forms" / "report-crime" / "index.html").read_text(encoding="utf-8")
    assert '<form method="post" action="/submit/report-crime"' in html
    assert re.search(r'<div class="sitegen-honeypot" aria-hidden="true">\s*<label for="website">', html)
    assert '<input type="text" id="website" name="website" tabindex="-1" autocomplete="off">' in html
    assert '<input type="hidden" name="client_token" value="">' in html
    assert 'data-sitegen-rules=\'{' in html


def test_sensitive_pages_have_quick_exit_and_others_do_not(out):
    def has_exit(rel: str) -> bool:
        return "govuk-exit-this-page__button" in (out / rel).read_text(encoding="utf-8")
    assert has_exit("forms/report-hate-crime/index.html")
    assert has_exit("forms/report-hate-crime/done/index.html")
    assert has_exit("forms/clares-law/index.html")
    assert has_exit("report/domestic-abuse/index.html")
    assert not has_exit("forms/report-crime/index.html")
    assert not has_exit("report/index.html")
    assert 'autocomplete="off"' in (out / "forms/report-hate-crime/index.html").read_text(encoding="utf-8")


def test_confirmation_pages_are_not_indexed(out):
    assert '<meta name="robots" content="noindex">' in (out / "forms/report-crime/done/index.html").read_text()
