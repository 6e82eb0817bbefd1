"""One table of answers, two validators: forms.js in Chromium and the form's
JSON Schema must name exactly the same wrong fields for every row."""
from __future__ import annotations

import json
import shutil

import pytest

from conftest import BUILD_DATE, SITES, run_cli
from test_forms_schema import TODAY, VERDICTS, posted, schema_verdict


@pytest.fixture(scope="module")
def everything(tmp_path_factory, serve_dir):
    """The forms-basic fixture site, built and served; its 'everything' form and schema."""
    root = tmp_path_factory.mktemp("forms-basic") / "site"
    shutil.copytree(SITES / "forms-basic", root)
    out = root.parent / "build"
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    schema = json.loads((out / "forms" / "everything" / "schema.json").read_text())
    return serve_dir(out) + "/forms/everything/", schema


def browser_verdicts(page, url: str, rows: list[dict]) -> list[set[str]]:
    """forms.js's validateAnswers on each row, with TODAY as the day."""
    page.goto(url)
    found = page.evaluate("""async ([rows, today]) => {
        const src = document.querySelector('script[src*="/forms."]').src;
        const forms = await import(src);
        const rules = JSON.parse(document.querySelector('form[data-sitegen-rules]').dataset.sitegenRules);
        return rows.map(pairs => [...new Set(forms.validateAnswers(rules, pairs, today).map(e => e.name))]);
    }""", [rows, TODAY])
    return [set(names) for names in found]


@pytest.mark.browser
def test_browser_and_schema_give_the_same_verdicts(page, everything):
    url, schema = everything
    rows = [posted(changes) for _, changes, _ in VERDICTS]
    in_browser = browser_verdicts(page, url, rows)
    mismatches = []
    for (what, changes, wrong), browser in zip(VERDICTS, in_browser):
        by_schema = schema_verdict(schema, changes)
        if not (browser == by_schema == wrong):
            mismatches.append(f"{what}: table {sorted(wrong)}, browser {sorted(browser)}, schema {sorted(by_schema)}")
    assert not mismatches, "\n".join(mismatches)
    assert len(rows) >= 50
