"""A tab inside a block scalar's content (after the block's indentation) is content, as YAML
and PyYAML read it; a tab used to indent is still refused in plain words.  And a ward that
fails to load is not also reported as 'no ward of this site' by each of its postcodes, nor
by each link to its pages."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sitegen.content.yamlhints import TAB
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import SitegenError
from tests.conftest import BUILD_DATE, SITES, run_cli

words = st.text("abc xyz.", min_size=1, max_size=8).map(str.strip).filter(bool)


@st.composite
def block_scalars(draw) -> str:
    """`summary: |` (or '>', with a chomping indicator) and lines of content indented by the
    same spaces, some with tabs (and more spaces) after them, some blank."""
    indent = " " * draw(st.integers(1, 4))
    header = draw(st.sampled_from(["|", ">", "|-", ">-", "|+", ">+"]))
    lines = draw(st.lists(st.tuples(st.sampled_from(["", " ", "\t", "\t\t", " \t", "\t "]), words,
                                    st.booleans()), min_size=1, max_size=5))
    body = "".join(f"{indent}{lead}{text}\n" + ("\n" if blank else "") for lead, text, blank in lines)
    return f"title: T\nsummary: {header}\n{body}after: 1\n"


@settings(max_examples=50, deadline=None)
@given(text=block_scalars())
def test_tabs_in_block_scalar_content_are_read_as_pyyaml_reads_them(text):
    try:
        expected = yaml.load(text, Loader=yaml.SafeLoader)   # PyYAML's own (Python) scanner
    except yaml.YAMLError:
        assume(False)
    assert parse_yaml(text, "content/pages/p.md", first_line=2) == expected


@pytest.mark.parametrize("text", ["summary: |\n\tfoo\n", "a:\n\tb: 1\n", "a:\n  b: 1\n\tc: 2\n"])
def test_tabs_used_to_indent_are_still_refused(text):
    with pytest.raises(SitegenError) as refused:
        parse_yaml(text, "f.yaml")
    assert [p.message for p in refused.value.problems] == [f"YAML syntax: {TAB}"]


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))


def test_check_accepts_the_reviewers_summary(site):
    area = site / "content/areas/north-ward/area.yaml"
    text = area.read_text()
    assert "\nsummary: The north of the town.\n" in text
    area.write_text(text.replace("\nsummary: The north of the town.\n",
                                 "\nsummary: |\n  \tThe north of the town.\n  More text.\n"))
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output


BREAKS = {   # ways a ward's area.yaml fails to load, each its own problem
    "YAML syntax": lambda text: text.replace("name: North Ward", "name: [North Ward"),
    "a tab used to indent": lambda text: text.replace("contact:\n  phone", "contact:\n\tphone"),
    "no name": lambda text: text.replace("name: North Ward\n", ""),
    "a bad value": lambda text: text.replace("phone: 020 7946 0001", "phone: call us"),
    "no area.yaml": None,
}


@pytest.mark.parametrize("how", sorted(BREAKS))
def test_a_ward_that_fails_to_load_reports_its_own_problem_alone(tmp_path, how):
    site = shutil.copytree(SITES / "bilingual", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))
    area = site / "content/areas/north-ward/area.yaml"
    if BREAKS[how] is None:
        area.unlink()
    else:
        area.write_text(BREAKS[how](area.read_text()))
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    told = [line for line in result.stderr.splitlines() if not line.endswith("problems found.")]
    assert told and all(line.startswith("content/areas/north-ward/area.yaml") for line in told), told
