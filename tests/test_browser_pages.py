"""The built example site in real headless Chromium: accessibility (axe-core,
WCAG 2.2 AA), the ward-name filter with and without JavaScript, visible focus."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from browser import axe_violations, describe

PAGES = ["/", "/boroughs/barking-and-dagenham/", "/areas/alibon/", "/areas/alibon/news/",
         "/areas/alibon/news/winter-burglary-advice/", "/accessibility/", "/404.html"]


@pytest.fixture(scope="module")
def site_url(example_build, serve_dir):
    return serve_dir(example_build)


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(page, site_url, path):
    page.goto(site_url + path)
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.browser
def test_name_filter_narrows_the_list_with_javascript(page, site_url):
    page.goto(site_url + "/")
    items = page.locator("#area-list li[data-name]")
    total = items.count()
    assert total == 17
    page.get_by_label("Filter wards by name").fill("heath")
    visible = [t.strip() for t in page.locator("#area-list li[data-name]:visible").all_inner_texts()]
    assert visible == ["Chadwell Heath", "Heath"]
    expect(page.locator("#area-filter-status")).to_contain_text("2 wards match")


@pytest.mark.browser
def test_full_list_is_there_without_javascript(page_without_js, site_url):
    page_without_js.goto(site_url + "/")
    assert page_without_js.locator("#area-list li[data-name]:visible").count() == 17
    assert not page_without_js.get_by_label("Filter wards by name").is_visible()


@pytest.mark.browser
def test_keyboard_focus_is_visible(page, site_url):
    page.goto(site_url + "/areas/alibon/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.locator(".govuk-skip-link").is_visible()
    page.keyboard.press("Tab")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {bg: s.backgroundColor, shadow: s.boxShadow, outline: s.outlineStyle}; }""")
    # GOV.UK focus style: yellow background with a thick underline shadow
    assert style["bg"] == "rgb(255, 221, 0)" or style["outline"] != "none", style
