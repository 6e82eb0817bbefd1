"""The YAML admin.mjs writes reads back as written: every text, however a YAML reader might
take it otherwise ('=', '<<', '~', 'null', 'yes', numbers, dates, U+2028, surrounding spaces,
tabs...), comes back from PyYAML (sitegen's loader) and from sitegen's parse_yaml as the same
text.  Run under node over hypothesis-made texts, one node run per example batch."""
from __future__ import annotations

import json
import subprocess

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sitegen.content.yamlsource import parse_yaml

ADMIN_JS = ROOT / "sitegen" / "admin" / "js" / "admin.mjs"
WRITE = """
import * as f from %s;
const input = JSON.parse(await new Promise((ok) => { let s = ""; process.stdin.on("data", (d) => s += d);
                                                      process.stdin.on("end", () => ok(s)); }));
process.stdout.write(JSON.stringify(input.map(([kind, data]) =>
  kind === "yaml" ? f.yamlToFile(data) : f.frontMatterToFile(data))));
"""
# Texts YAML readers take for something else, or that need care to write.
TRICKY = ["=", "<<", "~", "null", "Null", "NULL", "yes", "No", "on", "OFF", "y", "n", "true", "False",
          "2026-12-24", "2026-12-24T19:00", "2026-12-24 19:00:00", "12:30", "1:20:30", "0x1F", "0o17", "017",
          "1_000", "1e3", ".5", "+1", "-1", ".inf", "-.Inf", ".nan", "1,000", " lead", "trail ", "a #b",
          "a: b", "- item", "? q", "#", "&a", "*a", "!x", "!!str x", "%x", "@x", "`x", "|", ">", "'q'",
          '"q"', "[a]", "{a}", "a\u2028b", "a\u2029b", "a\u0085b", "\u2028", "a\tb", "\tcode", "line\n\tindented",
          "two\nlines", "trailing\n", "a\n\n b", " first\nsecond", "x\r\ny", "\ufeffbom", "caf\u00e9", "---",
          "...", "--- x", "a\\b"]
TEXT = st.one_of(st.sampled_from(TRICKY),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n\t =<~:#-'\"\u2028"),
                         min_size=1, max_size=30),
                 st.lists(st.sampled_from(TRICKY), min_size=2, max_size=4).map("".join))


def written(jobs: list[list]) -> list[str]:
    """Each [kind, data] of JOBS written by admin.mjs ('yaml': yamlToFile, 'md': frontMatterToFile)."""
    script = WRITE % json.dumps(ADMIN_JS.as_uri())
    done = subprocess.run(["node", "--input-type=module", "-e", script], input=json.dumps(jobs),
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=60)
    return json.loads(done.stdout)


def kept(text: str) -> bool:
    """Whether admin.mjs keeps TEXT (it leaves out what is only white space: a cleared box)."""
    return text.strip() != ""


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(TEXT.filter(kept), min_size=1, max_size=20))
def test_every_text_reads_back_as_written(texts):
    jobs = [["yaml", {"title": t, "items": [t, "x"], "contact": {"email": t}}] for t in texts]
    jobs += [["md", {"title": t, "body": "Text.\n"}] for t in texts]
    out = written(jobs)
    for text, yaml_text, md in zip(texts, out[:len(texts)], out[len(texts):], strict=True):
        expected = {"title": text, "items": [text, "x"], "contact": {"email": text}}
        assert yaml.safe_load(yaml_text) == expected, yaml_text
        assert parse_yaml(yaml_text, "area.yaml") == expected, yaml_text
        assert md.startswith("---\n")
        front = md[4:md.index("\n---\n") + 1]      # up to the line that is '---' alone
        assert yaml.safe_load(front) == {"title": text}, md


def test_a_tab_in_a_block_is_written_double_quoted():
    """check refused a tab starting a line of a block scalar: such text is written "...\\t..."."""
    [out] = written([["yaml", {"description": "Bring:\n\tyour questions\n"}]])
    assert out == 'description: "Bring:\\n\\tyour questions\\n"\n'
