"""`sitegen check --format json` carries a bad file name as it is (JSON escapes what it
must itself); only the text and github formats, bound for a terminal or a log, show
control and bidi characters as escapes."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.problemformats import github_lines, json_document
from sitegen.sitefiles import bad_names
from sitegen.terminal import printable
from tests.conftest import BUILD_DATE, SITES, run_cli

PAGES = "content/pages"
HOSTILE = [chr(c) for c in (*range(1, 0x20), 0x7F, 0x85, 0x9B, 0x200E, 0x202E, 0x2066, 0xA0, 0xFEFF)]
names = st.tuples(st.text("abcxyz-_", max_size=4), st.sampled_from(HOSTILE), st.text("abc[31m", max_size=4)) \
    .map(lambda parts: "".join(parts) + ".md")


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names)
def test_json_names_the_real_file_and_the_terminal_formats_escape_it(site, name):
    path = site / PAGES / name
    path.write_text("---\ntitle: T\n---\nx\n")
    try:
        problems = bad_names(site)
    finally:
        os.unlink(path)
    assert [p.path for p in problems] == [f"{PAGES}/{name}"]
    document = json.loads(json_document(problems, site, site))
    assert [p["file"] for p in document["problems"]] == [f"{PAGES}/{name}"]
    annotation = github_lines(problems, site, site)[0]
    assert printable(annotation) == annotation   # nothing a terminal or log acts on
    assert printable(problems[0]) == f"{printable(PAGES + '/' + name)}: {problems[0].message}"


def test_the_reviewers_name_through_the_command(site, monkeypatch):
    monkeypatch.chdir(site)   # paths are shown from the folder the command runs in
    name = "bidi\u202eevil\x1b[31m.md"
    (site / PAGES / name).write_text("---\ntitle: T\n---\nx\n")
    found = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE, "--format", "json")
    assert found.exit_code == 1
    assert [p["file"] for p in json.loads(found.stdout)["problems"]] == [f"{PAGES}/{name}"]
    text = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert text.exit_code == 1 and f"{PAGES}/bidi\\u202eevil\\x1b[31m.md: the name" in text.stderr
    github = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE, "--format", "github")
    assert f"::error file={PAGES}/bidi\\u202eevil\\x1b[31m.md," in github.stdout
