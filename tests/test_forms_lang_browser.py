"""In headless Chromium: a resident answers the Welsh form of the bilingual test site (tests/
test_forms_lang.py) with JavaScript, checks their answers in Welsh, sends it to the real receiver (in
a thread, storing into moto's S3), and lands on the Welsh confirmation page with the reference; the
report is stored with its language, and axe finds nothing on the Welsh form or confirmation."""
from __future__ import annotations

import threading
import uuid
from types import SimpleNamespace

import pytest

from browser import axe_violations, describe
from conftest import BUILD_DATE, run_cli
from sitegen.i18n import catalogue
from sitegen.intake.config import IntakeSettings
from sitegen.intake.core import utc_now
from sitegen.intake.references import is_valid
from sitegen.intake.wsgi import make_wsgi_server
from test_forms_lang import bilingual_site
from test_intake_support import SECRET, client_for, make_app, submissions

pytestmark = pytest.mark.browser
WELSH = catalogue("cy")


@pytest.fixture(scope="module")
def site(tmp_path_factory, serve_dir, moto_endpoint):
    """The bilingual site posting to a receiver on 127.0.0.1, served; the bucket."""
    bucket = f"forms-lang-{uuid.uuid4().hex[:10]}"
    client = client_for(moto_endpoint)
    client.create_bucket(Bucket=bucket)
    root = bilingual_site(tmp_path_factory.mktemp("forms-lang-browser") / "site")
    out = root.parent / "build"
    url = serve_dir(out)
    server = make_wsgi_server(None)
    with (root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write(f"forms:\n  endpoint: http://127.0.0.1:{server.server_address[1]}/submit\n")
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    settings = IntakeSettings(bucket=bucket, prefix="reports/", endpoint_url=moto_endpoint, region="us-east-1",
                              schemas=str(out / "forms"), site_url=url + "/", secret=SECRET, rate_per_minute=0)
    server.set_app(make_app(settings, clock=utc_now))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield SimpleNamespace(url=url, bucket=bucket, s3=client)
    server.shutdown()
    server.server_close()


def test_a_resident_sends_the_welsh_form_and_lands_on_the_welsh_confirmation(page, site):
    page.goto(f"{site.url}/cy/forms/report-test/")
    assert page.get_attribute("html", "lang") == "cy"
    assert describe(axe_violations(page)) == ""
    page.click("[data-sitegen-continue] button")                 # nothing answered: Welsh errors
    assert page.inner_text(".govuk-error-summary__title") == WELSH.gettext("There is a problem")
    assert "Dywedwch wrthym beth ddigwyddodd" in page.inner_text(".govuk-error-summary__list")
    assert page.title().startswith(WELSH.gettext("Error:") + " ")
    page.check('input[name="kind"][value="don-t-know"]')
    page.fill("#details", "Rhywbeth ddigwyddodd ger yr orsaf.")
    page.click("[data-sitegen-continue] button")
    summary = page.inner_text("[data-sitegen-summary]")
    assert "Ddim yn gwybod" in summary
    assert WELSH.gettext("Change") in summary and WELSH.gettext("Not given") in summary
    page.click("[data-sitegen-send] button[type=submit]")
    page.wait_for_url("**/cy/forms/report-test/done/?ref=*")
    assert page.get_attribute("html", "lang") == "cy"
    reference = page.text_content("[data-sitegen-ref]").strip()
    assert is_valid(reference)
    assert describe(axe_violations(page)) == ""
    stored = [d for d in submissions(site.s3, site.bucket).values() if d.get("reference") == reference]
    assert len(stored) == 1 and stored[0]["language"] == "cy"
    assert stored[0]["answers"] == {"kind": "don-t-know", "details": "Rhywbeth ddigwyddodd ger yr orsaf."}
