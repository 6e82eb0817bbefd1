"""`sitegen check --format github|json`: problems where editors and tools look.

GitHub reads `::error file=F,line=L,col=C::MESSAGE` and annotates line L of F on the
pull request; the escaping is GitHub's runner's (ActionCommand: %25, %0D, %0A in data,
and %3A, %2C too in property values)."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.problemformats import escape_data, escape_property

SITEGEN = [str(Path(sys.executable).parent / "sitegen")]
MINIMAL = Path(__file__).parent / "sites" / "minimal"
ANNOTATION = re.compile(r"^::error file=(?P<file>[^,:]+),line=(?P<line>\d+)(?:,col=(?P<col>\d+))?,"
                        r"title=sitegen check::(?P<message>.+)$")
TEXT_PROBLEM = re.compile(r"^(?P<file>[^:]+):(?P<line>\d+)(?::(?P<col>\d+))?: (?P<message>.+)$")


def unescape_data(text: str) -> str:
    """As GitHub's runner reads a workflow command's message."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    """As GitHub's runner reads a property value."""
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",")
            .replace("%25", "%"))


def broken_site(tmp_path: Path) -> Path:
    """The minimal site in tmp_path/repo/site, with a YAML mistake and a broken link."""
    site = tmp_path / "repo" / "site"
    shutil.copytree(MINIMAL, site, ignore=shutil.ignore_patterns("expected", ".cache", "build"))
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("population: 12000", "population: [12000"))
    news = site / "content/areas/south-ward/news/summer.md"
    news.parent.mkdir(exist_ok=True)
    news.write_text("---\ntitle: Summer\ndate: 2026-06-01\n---\nSee [the plan](/areas/nowhere/).\n")
    return site


def check(site: Path, *options: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SITEGEN, "check", "--site", str(site), "--build-date", "2026-11-28", *options],
                          cwd=cwd, capture_output=True, text=True, timeout=120)


def test_github_annotations_name_the_lines_the_text_names(tmp_path):
    site = broken_site(tmp_path)
    repo = site.parent
    text = check(site, cwd=repo)
    github = check(site, "--format", "github", cwd=repo)
    assert text.returncode == github.returncode == 1
    assert "Traceback" not in github.stdout + github.stderr
    told = [TEXT_PROBLEM.match(line) for line in text.stderr.splitlines() if not line.endswith("problems found.")]
    annotated = [ANNOTATION.match(line) for line in github.stdout.splitlines()]
    assert all(told) and all(annotated) and len(annotated) == len(told) >= 2
    for said, note in zip(told, annotated):
        # Annotations name files from the repository's root, where a workflow runs.
        assert unescape_property(note["file"]) == f"site/{said['file']}"
        assert (note["line"], note["col"]) == (said["line"], said["col"])
        assert unescape_data(note["message"]) == said["message"]
    assert any(n["file"] == "site/content/areas/north-ward/area.yaml" for n in annotated)
    assert any(n["file"] == "site/content/areas/south-ward/news/summer.md" for n in annotated)


def test_json_lists_every_problem_and_a_clean_site_says_so(tmp_path):
    site = broken_site(tmp_path)
    found = check(site, "--format", "json", cwd=site)
    assert found.returncode == 1
    document = json.loads(found.stdout)
    assert document["count"] == len(document["problems"]) >= 2
    assert {"file", "line", "column", "message"} == set(document["problems"][0])
    assert "content/areas/north-ward/area.yaml" in {p["file"] for p in document["problems"]}
    clean = tmp_path / "clean"
    shutil.copytree(MINIMAL, clean, ignore=shutil.ignore_patterns("expected", ".cache", "build"))
    ok = check(clean, "--format", "json", cwd=clean)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["count"] == 0 and json.loads(ok.stdout)["areas"] == 2


def test_a_broken_site_yaml_is_annotated_too(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINIMAL, site, ignore=shutil.ignore_patterns("expected", ".cache", "build"))
    (site / "site.yaml").write_text("name: [unclosed\n")
    github = check(site, "--format", "github", cwd=tmp_path)
    assert github.returncode == 1
    assert ANNOTATION.match(github.stdout.splitlines()[0])["file"] == "site/site.yaml"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab%:,\r\n=%0A%25 é")), max_size=30))
def test_escaping_reads_back_as_written(text):
    assert unescape_data(escape_data(text)) == text
    assert unescape_property(escape_property(text)) == text
    assert "\n" not in escape_data(text) and "\r" not in escape_data(text)
    assert not {":", ","} & set(escape_property(text))


def test_a_file_name_s_control_characters_reach_the_log_escaped(tmp_path):
    """A name from outside (ESC, a bidi override) is shown as the terminal shows it, never raw."""
    from sitegen.errors import Problem
    from sitegen.problemformats import github_lines
    [line] = github_lines([Problem("content/pages/a\x1b[31m\u202eb.md", 2, 1, "x")], tmp_path, tmp_path)
    assert "\x1b" not in line and "\u202e" not in line
    assert line.startswith("::error file=content/pages/a")
