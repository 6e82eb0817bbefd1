"""End to end in headless Chromium: the example site built with its forms posting
to the real receiver (in a thread on 127.0.0.1), which stores into moto's S3.
A person fills in `report-crime` with and without JavaScript, lands on the
confirmation with the reference, and the report is in the bucket."""
from __future__ import annotations

import json
import shutil
import threading
import uuid
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import BUILD_DATE, ROOT, run_cli
from sitegen.intake.config import IntakeSettings
from sitegen.intake.core import utc_now
from sitegen.intake.references import is_valid
from sitegen.intake.wsgi import make_wsgi_server
from test_intake_support import SECRET, client_for, make_app, submissions

pytestmark = pytest.mark.browser

# What the person gives, question by question (every other question is left alone).
TYPED = {"description": None, "items": "A black mountain bike with a child seat", "items_value": "120",
         "full_name": "Robin Example", "email": "robin@example.com"}
CHOSEN = {"crime_type": "theft", "loss": "stolen", "suspect_known": "no", "vehicle_involved": "no",
          "witnesses": "no", "reporter_role": "victim", "contact_methods": "email", "safe_times": "morning"}
DATES = {"incident_date": ("15", "3", "2020")}
ADDRESSES = {"location": {"line1": "Station Parade", "town": "Barking"},
             "home_address": {"line1": "1 High Street", "town": "Barking", "postcode": "IG11 8AA"}}
SELECTED = {"location_type": "street"}


def expected_answers(description: str) -> dict:
    """The answers document the receiver must store for what was typed."""
    return {"crime_type": "theft", "description": description, "incident_date": "2020-03-15",
            "location_type": "street", "location": ADDRESSES["location"], "loss": ["stolen"],
            "items": TYPED["items"], "items_value": 120, "suspect_known": "no", "vehicle_involved": "no",
            "witnesses": "no", "reporter_role": "victim", "full_name": TYPED["full_name"],
            "home_address": ADDRESSES["home_address"], "contact_methods": ["email"], "email": TYPED["email"],
            "safe_times": ["morning"]}


@pytest.fixture(scope="module")
def e2e(tmp_path_factory, serve_dir, moto_endpoint):
    """The built example site, served; the receiver it posts to; the bucket."""
    bucket = f"intake-e2e-{uuid.uuid4().hex[:10]}"
    client = client_for(moto_endpoint)
    client.create_bucket(Bucket=bucket)
    root = tmp_path_factory.mktemp("intake-site") / "site"
    out = root.parent / "build"
    site_url = serve_dir(out)
    settings = IntakeSettings(bucket=bucket, prefix="reports/", endpoint_url=moto_endpoint, region="us-east-1",
                              schemas=str(out / "forms"), site_url=site_url + "/", secret=SECRET, rate_per_minute=0)
    server = make_wsgi_server(None)                    # the port first: the build needs the address
    receiver_url = f"http://127.0.0.1:{server.server_address[1]}"
    _copy_example(root, f"{receiver_url}/submit")
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(root.parent / "state"))
    assert result.exit_code == 0, result.output
    server.set_app(make_app(settings, clock=utc_now))   # then the receiver, reading the built schemas
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield SimpleNamespace(url=site_url, bucket=bucket, s3=client, receiver=receiver_url)
    server.shutdown()
    server.server_close()


def _copy_example(root: Path, endpoint: str) -> None:
    root.mkdir(parents=True)
    for name in ("content", "forms", "templates", "data"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, root / name)
    config = yaml.safe_load((ROOT / "site.yaml").read_text(encoding="utf-8"))
    config["forms"] = {"endpoint": endpoint}
    (root / "site.yaml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")


def answer(page, name: str, description: str) -> None:
    """Give question NAME the planned answer, as a person would."""
    if name in TYPED:
        page.fill(f"#{name}", TYPED[name] or description)
    elif name in CHOSEN:
        page.check(f'input[name="{name}"][value="{CHOSEN[name]}"]')
    elif name in SELECTED:
        page.select_option(f"#{name}", SELECTED[name])
    elif name in DATES:
        for part, value in zip(("day", "month", "year"), DATES[name]):
            page.fill(f"#{name}-{part}", value)
    elif name in ADDRESSES:
        for part, value in ADDRESSES[name].items():
            page.fill(f"#{name}-{part}", value)


PLANNED = set(TYPED) | set(CHOSEN) | set(DATES) | set(ADDRESSES) | set(SELECTED)


def stored_report(e2e, reference: str) -> dict:
    found = [d for k, d in submissions(e2e.s3, e2e.bucket).items() if k.endswith(f"/{reference}.json")]
    assert len(found) == 1, f"{reference} not stored exactly once"
    return found[0]


def test_report_crime_with_javascript_end_to_end(page, e2e):
    description = f"With JavaScript {uuid.uuid4().hex}"
    page.goto(f"{e2e.url}/forms/report-crime/")
    rules = json.loads(page.get_attribute("form[data-sitegen-rules]", "data-sitegen-rules"))
    for _ in range(len(rules["pages"]) + 1):
        if page.is_visible("[data-sitegen-check]"):
            break
        step = page.get_attribute("[data-sitegen-page]:not([hidden])", "data-sitegen-page")
        for q in rules["questions"]:
            if q["page"] == step and q["name"] in PLANNED and page.is_visible(f'[data-sitegen-question="{q["name"]}"]'):
                answer(page, q["name"], description)
        page.click("[data-sitegen-continue] button")
    assert page.is_visible("[data-sitegen-check]"), "never reached check your answers"
    page.click("[data-sitegen-send] button[type=submit]")
    page.wait_for_url("**/forms/report-crime/done/?ref=*")
    reference = page.text_content("[data-sitegen-ref]").strip()
    assert is_valid(reference) and reference.startswith("CR-")
    assert page.is_visible("[data-sitegen-ref]")
    document = stored_report(e2e, reference)
    assert document["answers"] == expected_answers(description)
    assert document["form"] == "report-crime"


def fill_everything(page, description: str) -> None:
    for name in ["crime_type", "description", "incident_date", "location_type", "location", "loss", "items",
                 "items_value", "suspect_known", "vehicle_involved", "witnesses", "reporter_role", "full_name",
                 "home_address", "contact_methods", "email", "safe_times"]:
        answer(page, name, description)


def test_report_crime_without_javascript_end_to_end(page_without_js, e2e):
    page = page_without_js
    description = f"Without JavaScript {uuid.uuid4().hex}"
    page.goto(f"{e2e.url}/forms/report-crime/")
    fill_everything(page, description)
    page.click("[data-sitegen-send] button[type=submit]")
    page.wait_for_url("**/forms/report-crime/done/?ref=*")
    reference = parse_qs(urlsplit(page.url).query)["ref"][0]
    assert is_valid(reference)
    assert "Crime reported" in page.text_content("h1, .govuk-panel__title")
    assert stored_report(e2e, reference)["answers"] == expected_answers(description)


def test_a_refused_post_without_javascript_lists_each_problem_and_back_keeps_the_answers(page_without_js, e2e):
    page = page_without_js
    before = len(submissions(e2e.s3, e2e.bucket))
    page.goto(f"{e2e.url}/forms/report-crime/")
    fill_everything(page, "A date of birth in the future")
    for part, value in zip(("day", "month", "year"), ("1", "Jan", "2099")):   # the browser cannot check 'past'
        page.fill(f"#date_of_birth-{part}", value)
    with page.expect_navigation() as navigation:
        page.click("[data-sitegen-send] button[type=submit]")
    assert navigation.value.status == 422
    assert "There is a problem" in page.inner_text("h1")
    assert page.inner_text("li") == "Your answer to ‘Date of birth’ must be today or in the past"
    page.go_back()
    assert page.input_value("#date_of_birth-month") == "Jan"     # what was typed is still there
    assert len(submissions(e2e.s3, e2e.bucket)) == before
