"""Forms and triage with JavaScript off, in real headless Chromium: every form
is complete on one page and posts; every triage path leads somewhere; and
axe-core finds nothing on the no-JavaScript pages or on any triage page."""
from __future__ import annotations

import pytest

from conftest import ROOT, today
from sitegen.content.site import load_site
from test_browser_forms import NATIVE_FORMS, assert_accessible, axe_context, fill, last_post, rules_of

pytestmark = pytest.mark.browser

HOSTED_FORMS = ["firearms-licence", "register-an-alarm", "notify-an-event", "clares-law"]


@pytest.fixture(scope="module")
def bundle():
    return load_site(ROOT, today())[0].forms


@pytest.fixture
def no_js_axe(browser):
    """JavaScript on only for axe-core: forms.js is blocked, so pages look as they do without it."""
    context = axe_context(browser)
    context.route("**/assets/forms.*.js", lambda route: route.abort())
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("form_id", NATIVE_FORMS)
def test_every_form_is_complete_on_one_page_and_posts(page_without_js, site, form_id):
    page = page_without_js
    page.goto(f"{site.url}/forms/{form_id}/")
    rules = rules_of(page)
    sections = page.locator("[data-sitegen-page]")
    assert sections.count() == len(rules["pages"])
    for index in range(sections.count()):
        assert sections.nth(index).is_visible()
    for q in rules["questions"]:                 # all of them, conditional ones too: the page shows them all
        assert page.locator(f'[data-sitegen-question="{q["name"]}"]').is_visible()
        if q["required"]:
            fill(page, q)
    with page.expect_navigation(url=f"**/forms/{form_id}/done/?ref=*"):
        page.click("[data-sitegen-send] button[type=submit]")
    assert page.is_visible("[data-sitegen-ref-fallback]")
    pairs = last_post(site, form_id)
    assert "client_token" in pairs and pairs["client_token"] == [""]


def test_the_browsers_own_bubbles_never_stop_a_post(page_without_js, site):
    """novalidate: a form with required answers missing is posted, and the receiver lists each
    problem in the form's words (see test_form_answers_fidelity.py), instead of a bubble on one field."""
    page = page_without_js
    posts = len(site.receiver.posts)
    page.goto(f"{site.url}/forms/report-lost-property/")
    with page.expect_navigation():
        page.click("[data-sitegen-send] button[type=submit]")
    assert len(site.receiver.posts) == posts + 1
    form_id, pairs = site.receiver.posts[-1]
    assert form_id == "report-lost-property" and pairs["client_token"] == [""]


def test_conditions_are_explained_without_javascript(page_without_js, site):
    page = page_without_js
    page.goto(f"{site.url}/forms/report-crime/")
    assert page.is_visible("text=Skip this section if you ticked ‘Nothing was stolen or damaged’")
    hint = page.inner_text("#suspect_description-hint")
    assert hint.startswith("Answer this only if you answered ‘Yes’ for ‘Can you describe anyone who did it")


@pytest.mark.parametrize("form_id", HOSTED_FORMS)
def test_hosted_services_link_out_with_context(page_without_js, site, bundle, form_id):
    page = page_without_js
    page.goto(f"{site.url}/forms/{form_id}/")
    start = page.locator("a.govuk-button--start")
    assert start.get_attribute("href") == bundle.form(form_id).hosted_url
    assert "you will need" in page.inner_text("main").lower()     # what a person needs before they start
    assert page.locator(".govuk-exit-this-page").count() == (1 if bundle.form(form_id).sensitive else 0)


def test_every_triage_path_works_without_javascript(page_without_js, site, bundle):
    page = page_without_js
    triage = bundle.triage
    todo, seen, leaves = [f"{site.url}/report/"], set(), set()
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        assert page.goto(url).ok, url
        assert page.locator("h1").count() == 1
        for href in page.locator(".sitegen-choice__link").evaluate_all("links => links.map(a => a.href)"):
            if "/report/" in href:
                todo.append(href)
            else:
                leaves.add(href)
    assert len(seen) == len(triage.nodes)
    for href in sorted(leaves):
        response = page.goto(href)
        assert response.ok and "/forms/" in href, href
    assert {h.split("/forms/")[1].strip("/") for h in leaves} == {
        a.form for n in triage.nodes for a in n.answers if a.form}


def test_the_first_question_sends_people_in_danger_to_999(page_without_js, site):
    page = page_without_js
    page.goto(f"{site.url}/report/")
    page.click("text=Yes")
    assert page.inner_text("h1") == "Call 999 now"
    assert page.get_attribute(".sitegen-call__link", "href") == "tel:999"


def test_home_and_ward_pages_link_into_reporting(page_without_js, site):
    page = page_without_js
    for path in ("/", "/areas/alibon/"):
        page.goto(site.url + path)
        hrefs = page.locator(".sitegen-actions a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        assert "/report/" in hrefs and "/forms/report-crime/" in hrefs
        assert "/forms/report-road-traffic-incident/" in hrefs


def test_no_javascript_pages_are_accessible(no_js_axe, site):
    page = no_js_axe
    for form_id in NATIVE_FORMS:
        page.goto(f"{site.url}/forms/{form_id}/")
        assert page.locator("[data-sitegen-page]:visible").count() == len(rules_of(page)["pages"])
        assert_accessible(page, f"{form_id} without JavaScript")
    page.goto(f"{site.url}/forms/report-crime/#problem")     # a receiver sent someone back
    assert page.is_visible("#problem")
    assert_accessible(page, "report-crime with #problem")
    page.goto(f"{site.url}/forms/report-crime/done/?ref=ABC123")
    assert_accessible(page, "confirmation without JavaScript")


def test_every_triage_and_hosted_page_is_accessible(tab, site, bundle):
    page = tab
    for node in bundle.triage.nodes:
        page.goto(site.url + bundle.triage.url(node.id))
        assert_accessible(page, f"triage node {node.id}")
    for form_id in HOSTED_FORMS:
        page.goto(f"{site.url}/forms/{form_id}/")
        assert_accessible(page, f"hosted form {form_id}")
