"""`sitegen build --preview LABEL`: every page marked noindex with a preview banner,
robots.txt disallowing everything, the label checked and escaped, and a live build
into the same folder afterwards exactly a clean live build (issue 19 part 3)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from browser import axe_violations, describe
from sitegen.configenv import PREVIEW
from test_incremental import assert_same_as_clean, build, tree, try_build

META = '<meta name="robots" content="noindex, nofollow">'
BANNER = "This is a preview of {}, not the live site."


def html_pages(out: Path) -> dict[str, str]:
    return {path: data.decode() for path, data in tree(out).items() if path.endswith(".html")}


def test_preview_marks_every_page_and_a_live_build_after_it_has_none(make_site, tmp_path):
    site = make_site("minimal")
    label = "pull request #7 <b>&"
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28", "--preview", label)
    pages = html_pages(tmp_path / "out")
    assert len(pages) >= 9
    escaped = BANNER.format("pull request #7 &lt;b&gt;&amp;")
    for path, html in pages.items():
        assert html.count(META) == 1, path
        assert html.count(escaped) == 1, path
        assert html.count('govuk-phase-banner__content__tag govuk-!-margin-right-2">Preview</strong>') == 1, path
        assert "<b>&" not in html, path
    assert (tmp_path / "out/robots.txt").read_text() == "User-agent: *\nDisallow: /\n"
    assert PREVIEW not in os.environ   # the command leaves the environment as it found it

    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")   # live, incremental, same folder
    for path, html in html_pages(tmp_path / "out").items():
        assert "noindex, nofollow" not in html and "This is a preview" not in html, path
    assert "Disallow" not in (tmp_path / "out/robots.txt").read_text()
    assert_same_as_clean(site, tmp_path)

    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28", "--preview", "pull request #8")
    assert all(BANNER.format("pull request #8") in html for html in html_pages(tmp_path / "out").values())
    build(site, tmp_path / "clean8", tmp_path / "clean8-state", "2026-11-28", "--preview", "pull request #8")
    assert tree(tmp_path / "out") == tree(tmp_path / "clean8")   # a preview after a live build: exact too


def test_live_build_matches_the_golden_tree_even_with_the_variable_set(make_site, tmp_path, monkeypatch):
    """The option, not a stray SITEGEN_PREVIEW, makes a preview."""
    monkeypatch.setenv(PREVIEW, "stray")
    site = make_site("minimal")
    build(site, tmp_path / "out", tmp_path / "state", "2026-11-28")
    assert not any("This is a preview" in html for html in html_pages(tmp_path / "out").values())
    assert os.environ[PREVIEW] == "stray"


@pytest.mark.parametrize("label, words", [
    ("", "empty"), ("   ", "empty"), ("x" * 81, "81 characters"),
    ("a\x07b", "control character"), ("line\nbreak", "control character"), ("rtl\u202eoverride", "control"),
])
def test_bad_labels_are_refused_in_one_line(make_site, tmp_path, label, words):
    result = try_build(make_site("minimal"), tmp_path / "out", tmp_path / "state", "2026-11-28",
                       "--preview", label)
    assert result.exit_code == 2   # a usage error, as the README says
    message = result.stderr.strip()
    assert words in message and "\n" not in message and "Traceback" not in message
    assert not (tmp_path / "out").exists()


def test_an_80_character_label_is_taken(make_site, tmp_path):
    build(make_site("minimal"), tmp_path / "out", tmp_path / "state", "2026-11-28", "--preview", "é" * 80)
    assert BANNER.format("é" * 80) in (tmp_path / "out/index.html").read_text()


@pytest.mark.browser
def test_a_preview_page_has_no_axe_violations(make_site, tmp_path, page, serve_dir):
    build(make_site("minimal"), tmp_path / "out", tmp_path / "state", "2026-11-28", "--preview", "pull request #7")
    page.goto(serve_dir(tmp_path / "out") + "/areas/north-ward/")
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_preview_s_forms_never_post_to_the_live_receiver(make_site, tmp_path, monkeypatch):
    """site.yaml's forms.endpoint and a form's own endpoint are the live receiver's: a preview's
    forms post where SITEGEN_FORMS_ENDPOINT says, else to the preview site itself."""
    monkeypatch.delenv("SITEGEN_FORMS_ENDPOINT", raising=False)
    site = make_site("example")
    live = "https://forms.live.example.org/submit"
    config = site / "site.yaml"
    config.write_text(config.read_text() + f"\nforms:\n  endpoint: {live}\n")
    crime = site / "forms/report-crime.yaml"
    crime.write_text(f"endpoint: {live}/report-crime\n" + crime.read_text())
    build(site, tmp_path / "live", tmp_path / "live-state", "2026-11-28")
    assert f'action="{live}/report-crime"' in (tmp_path / "live/forms/report-crime/index.html").read_text()
    build(site, tmp_path / "preview", tmp_path / "preview-state", "2026-11-28", "--preview", "pull request #9")
    forms = [html for path, html in html_pages(tmp_path / "preview").items() if path.startswith("forms/")]
    assert forms and not any(live in html for html in forms)
    assert 'action="/submit/report-crime"' in (tmp_path / "preview/forms/report-crime/index.html").read_text()
    monkeypatch.setenv("SITEGEN_FORMS_ENDPOINT", "https://forms.preview.example.org/submit")
    build(site, tmp_path / "preview2", tmp_path / "preview2-state", "2026-11-28", "--preview", "pull request #9")
    page = (tmp_path / "preview2/forms/report-crime/index.html").read_text()
    assert 'action="https://forms.preview.example.org/submit/report-crime"' in page
