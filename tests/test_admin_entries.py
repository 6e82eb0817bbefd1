"""What the admin accepts, `sitegen check` accepts: for every collection of admin/config.yml,
an entry made from config.yml itself (its required fields only, and again with one item in
each list and object), written by sitegen's own format (admin.mjs, in node), passes check."""
from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from conftest import BUILD_DATE, ROOT, run_cli
from sitegen.admin.config import decap_config
from sitegen.content.site import load_site

ADMIN_JS = ROOT / "sitegen" / "admin" / "js" / "admin.mjs"
# Texts tried, in order, for a string field with a pattern: the first its pattern accepts.
SHAPED = ["Example text", "example-entry-2026-12-24", "team@police.example", "020 7946 0123",
          "https://example.org/page", "#1d70b8", "force/site"]
WRITE = """
import * as f from %s;
const input = JSON.parse(await new Promise((ok) => { let s = ""; process.stdin.on("data", (d) => s += d);
                                                      process.stdin.on("end", () => ok(s)); }));
process.stdout.write(JSON.stringify(input.map(([kind, data, keys]) =>
  kind === "yaml" ? f.yamlToFile(data, keys) : f.frontMatterToFile(data, keys))));
"""


def accepts(field: dict, text: str) -> bool:
    """Whether FIELD's pattern (JavaScript, as Decap tests it) accepts TEXT."""
    pattern = field.get("pattern")
    return pattern is None or re.search(pattern[0], text) is not None


def value_for(field: dict, full: bool) -> Any:
    """A value the admin accepts for FIELD: the first SHAPED text its pattern takes, a date
    in its format, the least number, the first option; lists and objects hold their
    required fields only (FULL: every optional list and object gets one such item too)."""
    widget = field["widget"]
    if widget in ("string", "text"):
        return next(text for text in SHAPED if accepts(field, text))
    if widget == "markdown":
        return "Some text.\n"
    if widget == "datetime":
        return "2026-12-24" if field["time_format"] is False else "2026-12-24T19:00"
    if widget == "number":
        return field.get("min", 1)
    if widget == "boolean":
        return False
    if widget == "select":
        return [field["options"][0]] if field.get("multiple") else field["options"][0]
    if widget == "object":
        return entry(field["fields"], full)
    if widget == "list":
        return [entry(field["fields"], full) if "fields" in field else value_for(field["field"], full)]
    raise AssertionError(f"no value for {field}")


def entry(fields: list[dict], full: bool) -> dict[str, Any]:
    """An entry of FIELDS: every required one, and with FULL the optional lists and objects."""
    return {f["name"]: value_for(f, full) for f in fields
            if f["widget"] != "hidden" and (f.get("required", True) or full and f["widget"] in ("list", "object"))}


def write_entries(site: Path, full: bool) -> list[Path]:
    """Write an entry of every collection of SITE's config into SITE through admin.mjs: the
    first ward's area.yaml, a story in every ward's news collection, a page."""
    loaded, problems = load_site(site, date.fromisoformat(BUILD_DATE))
    assert not problems.items
    collections = decap_config(loaded)["collections"]
    jobs, paths = [], []
    for collection in collections:
        fields = collection["fields"]
        keys = [f["name"] for f in fields]
        if collection["name"] == "areas":
            paths.append(site / collection["folder"] / "north-ward" / "area.yaml")
            jobs.append(["yaml", entry(fields, full), keys])
        else:
            paths.append(site / collection["folder"] / f"example-entry.{collection['extension']}")
            jobs.append(["md", entry(fields, full), keys])
    script = WRITE % json.dumps(ADMIN_JS.as_uri())
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(jobs),
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)
    for path, text in zip(paths, json.loads(done.stdout), strict=True):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return paths


@pytest.mark.parametrize("full", [False, True], ids=["required-only", "one-of-each-list"])
def test_what_the_admin_accepts_check_accepts(make_site, full):
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text()
                                    + "admin:\n  repo: force/site\n  auth_url: https://auth.police.example\n")
    paths = write_entries(site, full)
    assert len(paths) == 4                          # the ward, two news collections, the pages
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output + "".join(p.read_text() for p in paths)


def test_every_field_check_requires_is_required_in_the_admin(make_site):
    site = make_site("minimal")
    loaded, _ = load_site(site, date.fromisoformat(BUILD_DATE))
    ward = decap_config(loaded)["collections"][0]
    events = next(f for f in ward["fields"] if f["name"] == "events")
    event_id = next(f for f in events["fields"] if f["name"] == "id")
    assert event_id["required"] is True and "like 'ward-panel-2027-01-14'" in event_id["hint"]
    assert events["summary"] == "{{fields.title}}"
