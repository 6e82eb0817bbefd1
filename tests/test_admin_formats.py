"""sitegen's file formats for the admin (sitegen/admin/js/admin.mjs), run in node: every
area.yaml and news story of the example site comes back with the same values, and a box
an editor cleared leaves its key out instead of the "" sitegen refuses."""
from __future__ import annotations

import json
import subprocess

import yaml

from conftest import ROOT

ADMIN_JS = ROOT / "sitegen" / "admin" / "js" / "admin.mjs"

RUN = """
import * as f from %s;
const input = JSON.parse(await new Promise((ok) => { let s = ""; process.stdin.on("data", (d) => s += d);
                                                      process.stdin.on("end", () => ok(s)); }));
const out = input.map(([kind, value]) => kind === "yaml" ? f.yamlToFile(f.yamlFromFile(value))
  : kind === "md" ? f.frontMatterToFile(f.frontMatterFromFile(value))
  : kind === "order" ? f.yamlToFile(value, ["name", "borough", "contact"]) : f.pruned(value) ?? null);
process.stdout.write(JSON.stringify(out));
"""


def through_node(cases: list[tuple[str, object]]) -> list:
    """Each (kind, value) of CASES through admin.mjs in one node run: 'yaml' text read and
    written again, 'md' front matter read and written again, 'order' a value written with
    the fields name, borough, contact; 'prune' a value pruned."""
    script = RUN % json.dumps(ADMIN_JS.as_uri())
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(cases),
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)
    return json.loads(done.stdout)


def as_text(text: str):
    """TEXT's YAML with every value as the text written (how sitegen reads values)."""
    return yaml.load(text, Loader=yaml.BaseLoader)


def test_every_example_file_keeps_its_values():
    areas = sorted((ROOT / "content" / "areas").glob("*/area.yaml"))
    stories = sorted((ROOT / "content" / "areas").glob("*/news/*.md"))
    assert len(areas) > 10 and len(stories) > 10
    cases = [("yaml", p.read_text()) for p in areas] + [("md", p.read_text()) for p in stories]
    results = through_node(cases)
    for path, written in zip(areas, results[:len(areas)], strict=True):
        assert as_text(written) == as_text(path.read_text()), path
        assert "\n- " in written or "team" not in written      # lists as sitegen's files write them
    for path, written in zip(stories, results[len(areas):], strict=True):
        before, after = path.read_text().split("---\n", 2), written.split("---\n", 2)
        assert as_text(after[1]) == as_text(before[1]) and after[2] == before[2], path


def test_cleared_boxes_leave_their_keys_out():
    value = {"name": "Abbey", "borough": "", "summary": "  ", "team": [{"name": "A", "bio": ""}],
             "contact": {"email": ""}, "places": [], "population": 0, "example": False}
    [pruned] = through_node([("prune", value)])
    assert pruned == {"name": "Abbey", "team": [{"name": "A"}], "population": 0, "example": False}
    [story] = through_node([("md", "---\ntitle: A\ndate: 2026-11-27\nsummary: ''\n---\nText.\n")])
    # A date is a text to the admin; quoted, so no YAML reader takes it for anything else.
    assert story == "---\ntitle: A\ndate: '2026-11-27'\n---\nText.\n"


def test_keys_come_in_the_order_of_the_fields():
    [written] = through_node([("order", {"contact": {"email": "a@b.org"}, "name": "Abbey", "extra": 1})])
    assert written == "name: Abbey\ncontact:\n  email: a@b.org\nextra: 1\n"
