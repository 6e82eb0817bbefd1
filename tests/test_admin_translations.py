"""The admin lists originals only: sitegen/admin/js/admin.mjs leaves a translation
(area.cy.yaml, story.cy.md) out of Decap's folder listings, which would otherwise show
it as a ward or story of its own.  Run in node, against sitegen's own reading of names."""
from __future__ import annotations

import json
import subprocess

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sitegen.content.translations import Languages
from sitegen.model import split_name

ADMIN_JS = ROOT / "sitegen" / "admin" / "js" / "admin.mjs"
CODES = ["en-GB", "cy"]   # the site's languages, as admin/index.html names them

RUN = """
import * as f from %s;
const [paths, codes] = JSON.parse(await new Promise((ok) => { let s = "";
  process.stdin.on("data", (d) => s += d); process.stdin.on("end", () => ok(s)); }));
const listed = paths.map((path) => ({ file: { path }, data: "" }));
const backend = { init: () => ({ entriesByFolder: async () => listed, allEntriesByFolder: async () => listed,
                                 getEntry: async () => "untouched" }) };
f.leaveOutTranslations(backend, codes);
const implementation = backend.init();
const kept = (await implementation.entriesByFolder("content/areas", "yaml", 2)).map((e) => e.file.path);
const all = (await implementation.allEntriesByFolder("content/areas", "yaml", 2)).map((e) => e.file.path);
process.stdout.write(JSON.stringify([kept, all, await implementation.getEntry()]));
"""


def listed_by_admin(paths: list[str], codes: list[str]) -> tuple[list[str], list[str], str]:
    """What a backend wrapped by admin.mjs lists of PATHS (both listings), and a method it leaves as it was."""
    script = RUN % json.dumps(ADMIN_JS.as_uri())
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps([paths, codes]),
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)
    kept, everything, untouched = json.loads(done.stdout)
    return kept, everything, untouched


def is_translation(path: str, codes: list[str]) -> bool:
    """sitegen's own reading: the name holds one of the site's languages before its extension
    (a translation, or a file check refuses: never an original)."""
    parts = split_name(path.rpartition("/")[2])
    return parts is not None and Languages(tuple(codes)).spelled(parts[1]) is not None


def test_the_example_s_translations_are_left_out_and_its_originals_kept():
    paths = sorted(str(p.relative_to(ROOT)) for folder in ("content/areas", "content/pages")
                   for p in (ROOT / folder).rglob("*") if p.suffix in (".yaml", ".md"))
    translations = [p for p in paths if is_translation(p, CODES)]
    assert len(translations) > 20 and "content/areas/alibon/area.cy.yaml" in translations
    kept, everything, untouched = listed_by_admin(paths, CODES)
    assert kept == everything == [p for p in paths if p not in translations]
    assert "content/areas/alibon/area.yaml" in kept
    assert untouched == "untouched"


NAME_PART = st.text(alphabet="abcdefghijklmnopqrstuvwxyzCY-_", min_size=1, max_size=8)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.tuples(NAME_PART, st.sampled_from(["", ".cy", ".CY", ".fr", ".ann", ".cy.cy", ".en-GB"]),
                          st.sampled_from([".md", ".yaml"])), min_size=1, max_size=12))
def test_the_admin_reads_names_as_sitegen_does(names):
    paths = [f"content/areas/ward/news/{stem}{code}{ext}" for stem, code, ext in names]
    kept, _, _ = listed_by_admin(paths, CODES)
    assert kept == [p for p in paths if not is_translation(p, CODES)]
