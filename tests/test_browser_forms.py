"""Forms in real headless Chromium, with JavaScript: keyboard-only journeys,
the error summary, conditions, check your answers, quick exit, drafts, and
axe-core on every step, error state, check-answers and confirmation page.

Posts go to a tiny receiver on 127.0.0.1 (another port, as a real receiver
would be) that records them and answers 303 to the confirmation page.  The
helpers here are shared with the other test_browser_forms*.py modules.
"""
from __future__ import annotations

import http.server
import json
import shutil
import threading
import urllib.parse
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from browser import AXE, AXE_TAGS, describe
from conftest import BUILD_DATE, ROOT, run_cli
from sitegen.forms.submission import answers_from_post, fields_in_error, make_validator

EXIT_URL = "https://www.bbc.co.uk/weather"
NATIVE_FORMS = ["report-crime", "report-road-traffic-incident", "report-anti-social-behaviour",
                "report-lost-property", "report-hate-crime"]

pytestmark = pytest.mark.browser
EXAMPLES = {"incident_time": "17:45", "your_registration": "AB12 CDE", "vehicle_registration": "AB12 CDE"}
LONG_TEXT = "It happened outside the shop at about half past five. Two people were involved."


# ---- a receiver that records posts and sends people to the confirmation page ----

class Receiver:
    """POST /submit/<form-id> -> record the fields, 303 to <site>/forms/<id>/done/?ref=..."""

    def __init__(self):
        self.posts: list[tuple[str, dict]] = []
        self.site_url = ""
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                form_id = self.path.rstrip("/").rsplit("/", 1)[-1]
                receiver.posts.append((form_id, urllib.parse.parse_qs(body, keep_blank_values=True)))
                self.send_response(303)
                self.send_header("Location", f"{receiver.site_url}/forms/{form_id}/done/?ref=REF-{len(receiver.posts):04d}")
                self.end_headers()

            def log_message(self, format, *args):  # noqa: A002
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def build_example_with_receiver(tmp_path_factory, serve_dir) -> SimpleNamespace:
    """The example site, posting to a local Receiver, built and served on 127.0.0.1."""
    receiver = Receiver()
    root = tmp_path_factory.mktemp("forms-site") / "site"
    root.mkdir()
    for name in ("content", "forms", "templates"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    config = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    config["forms"] = {"endpoint": f"{receiver.url}/submit"}
    (root / "site.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    out = root.parent / "build"
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    receiver.site_url = serve_dir(out)
    return SimpleNamespace(url=receiver.site_url, receiver=receiver, out=out)


def schema_problems(out: Path, form_id: str, pairs: dict) -> set[str]:
    """Fields of a recorded post that the form's built schema.json refuses."""
    schema = json.loads((out / "forms" / form_id / "schema.json").read_text())
    return fields_in_error(make_validator(schema, date.today()), answers_from_post(schema, pairs))


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve_dir):
    built = build_example_with_receiver(tmp_path_factory, serve_dir)
    yield built
    built.receiver.stop()


# ---- browser contexts with axe-core loaded, and quick exit kept on this machine ----

def axe_context(browser, **options):
    """A context whose pages all have axe-core, and where the quick-exit site is a local stub."""
    context = browser.new_context(**options)
    context.add_init_script(path=str(AXE))
    context.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><title>Weather</title><h1>Weather</h1>"))
    return context


@pytest.fixture
def tab(browser):
    """A page with JavaScript on and axe-core loaded."""
    context = axe_context(browser)
    yield context.new_page()
    context.close()


def assert_accessible(page, what: str) -> None:
    """axe-core (WCAG 2.2 AA) finds nothing on PAGE as it is now."""
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})"
        ".then(r => r.violations)", AXE_TAGS)
    assert not violations, f"{what}:\n{describe(violations)}"


# ---- reading and filling forms ----

def rules_of(page) -> dict:
    return json.loads(page.get_attribute("form[data-sitegen-rules]", "data-sitegen-rules"))


def current_step(page) -> str | None:
    """The page id shown, 'check' for check your answers."""
    return page.evaluate("""() => {
        const s = document.querySelector('[data-sitegen-page]:not([hidden])');
        if (s) return s.dataset.sitegenPage;
        return document.querySelector('[data-sitegen-check]:not([hidden])') ? 'check' : null; }""")


def is_shown(page, name: str) -> bool:
    return page.locator(f'[data-sitegen-question="{name}"]').is_visible()


def fill(page, q: dict) -> None:
    """Give question Q a valid answer with Playwright's actions."""
    name, qtype = q["name"], q["type"]
    if qtype in ("text", "textarea", "email", "tel", "number"):
        value = {"email": "name@example.com", "tel": "01632 960 001", "textarea": LONG_TEXT,
                 "number": str(q.get("min", 1))}.get(qtype, EXAMPLES.get(name, "Example answer"))
        page.fill(f"#{name}", value)
    elif qtype == "date":
        year = "2099" if q.get("must_be") == "future" else "2020"
        for part, value in (("day", "15"), ("month", "3"), ("year", year)):
            page.fill(f"#{name}-{part}", value)
    elif qtype in ("radios", "checkboxes"):
        option = next(o for o in q["options"] if not o["exclusive"])
        page.check(f'input[name="{name}"][value="{option["value"]}"]')
    elif qtype == "select":
        page.select_option(f"#{name}", q["options"][0]["value"])
    elif qtype == "address":
        for part, value in (("line1", "1 High Street"), ("town", "Barking"), ("postcode", "IG11 8AA")):
            page.fill(f"#{name}-{part}", value)
    elif qtype == "declaration":
        page.check(f"#{name}")


def fill_step(page, rules: dict, step: str) -> None:
    """Answer every required question shown on STEP, in order (answers may show more)."""
    for q in rules["questions"]:
        if q["page"] == step and q["required"] and is_shown(page, q["name"]):
            fill(page, q)


def press_continue(page) -> None:
    page.click("[data-sitegen-continue] button")


# ---- keyboard only ----

def tab_to(page, selector: str, limit: int = 80) -> None:
    """Press Tab until the focused element matches SELECTOR."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def key_type(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def key_radio(page, name: str, value: str) -> None:
    """Tab into a radio group, then arrow to VALUE (arrows select) and press Space."""
    tab_to(page, f'input[name="{name}"]')
    for _ in range(12):
        if page.evaluate("() => document.activeElement.value") == value:
            break
        page.keyboard.press("ArrowDown")
    page.keyboard.press("Space")
    assert page.is_checked(f'input[name="{name}"][value="{value}"]')


def key_check(page, name: str, value: str) -> None:
    tab_to(page, f'input[name="{name}"][value="{value}"]')
    page.keyboard.press("Space")


def key_select(page, name: str, value: str) -> None:
    tab_to(page, f"#{name}")
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not choose {value} in {name}")


def key_date(page, name: str, day: str, month: str, year: str) -> None:
    key_type(page, f"#{name}-day", day)
    key_type(page, f"#{name}-month", month)
    key_type(page, f"#{name}-year", year)


def key_address(page, name: str, line1: str, town: str, postcode: str) -> None:
    key_type(page, f"#{name}-line1", line1)
    key_type(page, f"#{name}-town", town)
    key_type(page, f"#{name}-postcode", postcode)


def key_continue(page, expected_step: str) -> None:
    tab_to(page, "[data-sitegen-continue] button")
    page.keyboard.press("Enter")
    assert current_step(page) == expected_step, page.inner_text("[data-sitegen-errors]")
    if expected_step != "check":
        assert page.evaluate("document.activeElement.id") == f"page-{expected_step}-heading"


def key_send(page, form_id: str) -> None:
    tab_to(page, "[data-sitegen-send] button[type=submit]")
    with page.expect_navigation(url=f"**/forms/{form_id}/done/?ref=*"):
        page.keyboard.press("Enter")


def summary(page) -> dict[str, str]:
    """Check-your-answers rows: label -> answer."""
    keys = page.locator(".govuk-summary-list__key").all_inner_texts()
    values = page.locator(".govuk-summary-list__value").all_inner_texts()
    return dict(zip((k.strip() for k in keys), (v.strip() for v in values)))


def last_post(site, form_id: str) -> dict:
    posted_id, pairs = site.receiver.posts[-1]
    assert posted_id == form_id
    assert not schema_problems(site.out, form_id, pairs), pairs
    return pairs


# ---- the tests ----

def test_report_crime_by_keyboard_alone(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-crime/")
    key_radio(page, "crime_type", "burglary")
    key_type(page, "#description", "Someone broke in through the back door and took a laptop.")
    key_continue(page, "when")
    key_date(page, "incident_date", "14", "11", "2026")
    key_type(page, "#incident_time", "about 3am")
    key_continue(page, "where")
    key_select(page, "location_type", "home")
    key_address(page, "location", "12 Station Parade", "Barking", "IG11 8TU")
    key_continue(page, "loss")
    key_check(page, "loss", "stolen")
    key_continue(page, "items")
    key_type(page, "#items", "A silver laptop, serial 5CD1234XYZ")
    key_type(page, "#items_value", "800")
    key_continue(page, "people")
    key_radio(page, "suspect_known", "no")
    key_radio(page, "vehicle_involved", "no")
    key_continue(page, "witnesses")
    key_radio(page, "witnesses", "no")
    key_continue(page, "you")
    key_radio(page, "reporter_role", "victim")
    key_type(page, "#full_name", "Alex Example")
    key_address(page, "home_address", "12 Station Parade", "Barking", "IG11 8TU")
    key_continue(page, "contact")
    key_check(page, "contact_methods", "email")
    key_type(page, "#email", "alex@example.com")
    key_check(page, "safe_times", "evening")
    key_continue(page, "check")
    answers = summary(page)
    assert answers["Kind of crime"] == "Burglary"
    assert answers["What happened"] == "Someone broke in through the back door and took a laptop."
    assert answers["Date"] == "14 November 2026"
    assert answers["Where"] == "12 Station Parade\nBarking\nIG11 8TU"
    assert answers["Items"] == "A silver laptop, serial 5CD1234XYZ"
    assert answers["Full name"] == "Alex Example"
    assert answers["Email address"] == "alex@example.com"
    assert "Phone number" not in answers            # not asked: only email was chosen
    key_send(page, "report-crime")
    assert page.inner_text("[data-sitegen-ref]") == f"REF-{len(site.receiver.posts):04d}"
    pairs = last_post(site, "report-crime")
    assert pairs["crime_type"] == ["burglary"] and pairs["incident_date-month"] == ["11"]
    assert pairs["client_token"][0].startswith("v1.") and pairs["website"] == [""]
    assert "phone" not in pairs                      # questions not asked are not sent


def test_report_road_traffic_incident_by_keyboard_alone(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-road-traffic-incident/")
    key_radio(page, "incident_type", "collision")
    key_radio(page, "your_role", "driver")
    key_continue(page, "when-where")
    key_date(page, "incident_date", "20", "11", "2026")
    key_type(page, "#incident_time", "17:45")
    key_type(page, "#location", "High Road at the junction with Green Lane, Chadwell Heath")
    key_continue(page, "vehicles")
    key_type(page, "#vehicle_count", "2")
    key_type(page, "#your_registration", "AB12 CDE")
    key_type(page, "#vehicles_description", "A blue hatchback driven by a man in his thirties.")
    key_radio(page, "driver_stopped", "no")
    key_continue(page, "injuries")
    key_radio(page, "anyone_injured", "yes")
    key_type(page, "#injuries", "I hurt my neck and went to hospital.")
    key_continue(page, "insurance")
    key_radio(page, "details_exchanged", "no")
    key_type(page, "#your_insurer", "Example Insurance")
    key_continue(page, "statement")
    key_type(page, "#statement", "I was waiting at the lights when the blue car drove into the back of mine.")
    key_continue(page, "you")
    key_type(page, "#full_name", "Sam Driver")
    key_date(page, "date_of_birth", "1", "2", "1985")
    key_address(page, "home_address", "3 Green Lane", "Ilford", "IG3 9XX")
    key_type(page, "#email", "sam@example.com")
    key_continue(page, "declaration")
    key_check(page, "declaration", "yes")
    key_continue(page, "check")
    answers = summary(page)
    assert answers["Reporting"] == "A collision"
    assert answers["Time"] == "17:45"
    assert answers["Your registration"] == "AB12 CDE"
    assert answers["Injuries"] == "I hurt my neck and went to hospital."
    assert answers["Declaration"] == "Confirmed"
    key_send(page, "report-road-traffic-incident")
    pairs = last_post(site, "report-road-traffic-incident")
    assert pairs["declaration"] == ["yes"] and pairs["statement"][0].startswith("I was waiting")


def test_error_summary_takes_focus_and_links_to_each_error(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-crime/")
    press_continue(page)
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    assert page.title().startswith("Error: ")
    links = page.locator(".govuk-error-summary__list a")
    assert links.all_inner_texts() == ["Select what kind of crime it was", "Tell us what happened"]
    assert page.text_content("#description-error") == "Error: Tell us what happened"
    assert "description-error" in page.get_attribute("#description", "aria-describedby")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "crime_type"
    links.nth(1).click()
    assert page.evaluate("document.activeElement.id") == "description"
    page.fill("#description", "A bike was taken.")
    page.check("#crime_type")
    press_continue(page)
    assert current_step(page) == "when"
    assert page.locator(".govuk-error-summary").count() == 0 and not page.title().startswith("Error")
    press_continue(page)
    page.fill("#incident_date-day", "31")
    page.fill("#incident_date-month", "4")
    page.fill("#incident_date-year", "2026")
    press_continue(page)
    assert page.locator(".govuk-error-summary__list a").all_inner_texts() == ["Date must be a real date"]


def test_conditions_show_questions_and_skip_pages(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-crime/")
    rules = rules_of(page)
    for step in ("what-happened", "when", "where"):
        fill_step(page, rules, step)
        press_continue(page)
    page.check('input[name="loss"][value="none"]')
    press_continue(page)
    assert current_step(page) == "people"              # 'What was stolen or damaged' skipped
    page.click("[data-sitegen-back]")
    assert current_step(page) == "loss"
    page.check('input[name="loss"][value="stolen"]')    # unticks 'none' (exclusive)
    assert not page.is_checked('input[name="loss"][value="none"]')
    press_continue(page)
    assert current_step(page) == "items"
    fill_step(page, rules, "items")
    press_continue(page)
    assert not is_shown(page, "suspect_description")
    assert page.is_disabled("#suspect_description")     # hidden questions are not posted
    page.check('input[name="suspect_known"][value="yes"]')
    assert is_shown(page, "suspect_description") and page.is_enabled("#suspect_description")
    page.check('input[name="suspect_known"][value="no"]')
    assert not is_shown(page, "suspect_description")


def test_change_link_returns_to_check_answers(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-lost-property/")
    rules = rules_of(page)
    while current_step(page) != "check":
        fill_step(page, rules, current_step(page))
        press_continue(page)
    page.click('a[href="#lost_location"]')
    assert current_step(page) == "when-where"
    assert page.evaluate("document.activeElement.id") == "lost_location"
    page.fill("#lost_location", "On the number 5 bus")
    press_continue(page)
    assert current_step(page) == "check"
    assert summary(page)["Where"] == "On the number 5 bus"


def test_quick_exit_by_shift_three_times_leaves_no_way_back(tab, site):
    page = tab
    page.goto(f"{site.url}/report/")
    page.goto(f"{site.url}/forms/report-hate-crime/")
    page.fill("#description", "They shouted at me in the street.")
    for _ in range(3):
        page.keyboard.press("Shift")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == f"{site.url}/report/"


def test_quick_exit_button_on_a_sensitive_triage_page(tab, site):
    page = tab
    page.goto(f"{site.url}/report/crime-type/")
    page.click("a:has-text('Domestic abuse')")
    # Until the page has loaded and forms.js has run, the button is a plain link (as it is
    # without JavaScript), and a click that quick would stay in the history.
    page.wait_for_url(f"{site.url}/report/domestic-abuse/", wait_until="load")
    page.click(".govuk-exit-this-page__button")
    page.wait_for_url(EXIT_URL)
    page.go_back()
    assert page.url == f"{site.url}/report/crime-type/"


def test_sensitive_form_keeps_nothing_in_browser_storage_or_history(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-hate-crime/")
    length = page.evaluate("history.length")
    fill_step(page, rules_of(page), "what")
    press_continue(page)
    assert current_step(page) == "when-where"
    assert page.evaluate("sessionStorage.length + localStorage.length") == 0
    assert page.evaluate("history.length") == length


def test_other_forms_keep_a_draft_for_the_session_only(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-lost-property/")
    page.fill("#item_description", "A red umbrella")
    page.select_option("#item_type", "other")
    press_continue(page)
    assert page.evaluate("localStorage.length") == 0
    page.reload()
    assert current_step(page) == "when-where"
    page.go_back()
    assert current_step(page) == "item"                  # browser Back steps back through the form
    assert page.input_value("#item_description") == "A red umbrella"


def test_receiver_errors_in_the_query_are_shown(tab, site):
    page = tab
    page.goto(f"{site.url}/forms/report-lost-property/?errors=lost_location#problem")
    assert current_step(page) == "item"                  # the first page with a problem
    assert page.locator(".govuk-error-summary__list a").all_inner_texts() == [
        "Select what you lost", "Describe what you lost"]
    assert page.locator("#problem").count() == 0


@pytest.mark.parametrize("form_id", NATIVE_FORMS)
def test_every_step_error_check_and_confirmation_is_accessible(tab, site, form_id):
    page = tab
    page.goto(f"{site.url}/forms/{form_id}/")
    rules = rules_of(page)
    steps = []
    while (step := current_step(page)) != "check":
        steps.append(step)
        assert_accessible(page, f"{form_id}: {step}")
        press_continue(page)
        if current_step(page) == step:                   # required questions: now an error state
            assert page.locator(".govuk-error-summary").is_visible()
            assert_accessible(page, f"{form_id}: {step} with errors")
        fill_step(page, rules, step)
        press_continue(page)
        assert current_step(page) != step, page.inner_text("[data-sitegen-errors]")
    assert steps[0] == rules["pages"][0]["id"] and len(steps) >= 3
    assert_accessible(page, f"{form_id}: check your answers")
    with page.expect_navigation(url=f"**/forms/{form_id}/done/?ref=*"):
        page.click("[data-sitegen-send] button")
    assert page.is_visible("[data-sitegen-ref]")
    assert_accessible(page, f"{form_id}: confirmation")
    last_post(site, form_id)
