"""An image without alt text (`![](/media/p.png)`) is a located problem in every Markdown the
site reads (WCAG 1.1.1): stories, pages, forms' Markdown and translations."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.context import LoadContext
from sitegen.content.markup import MarkdownRenderer
from tests.conftest import BUILD_DATE, SITES, run_cli

ADVICE = "describe the image in the square brackets"


def problems_in(body: str, engine: str) -> list[tuple[int, int, str]]:
    ctx = LoadContext(root=Path("."), host="police.example", renderer=MarkdownRenderer(engine))
    ctx.survey_markdown(body, 5, "content/pages/p.md", "/p/")
    return [(p.line, p.col, p.message) for p in ctx.problems]


@settings(max_examples=50, deadline=None)
@given(alt=st.text(" \tabcé1.", max_size=6), before=st.text("xy ", max_size=4),
       engine=st.sampled_from(["commonmark", "python-markdown"]), blank_lines=st.integers(0, 2))
def test_an_image_is_refused_exactly_when_its_alt_text_is_blank(alt, before, engine, blank_lines):
    body = "Intro.\n" + "\n" * blank_lines + f"{before}![{alt}](/media/bike.svg)\n"
    found = [p for p in problems_in(body, engine) if ADVICE in p[2]]
    if alt.strip():
        assert found == []
    else:
        assert found == [(5 + 1 + blank_lines, len(before) + 1, found[0][2])]
        assert "![A police officer at a bike-marking stall](" in found[0][2]


def test_raw_html_images_without_alt_are_refused_too():
    assert [p[0] for p in problems_in('<p><img src="/media/bike.svg"></p>\n', "commonmark")
            if ADVICE in p[2]] == [5]
    assert not [p for p in problems_in('<img src="/media/bike.svg" alt="A bike">\n', "commonmark")
                if ADVICE in p[2]]


def copy(name: str, tmp_path: Path) -> Path:
    return shutil.copytree(SITES / name, tmp_path / name, ignore=shutil.ignore_patterns("expected", ".cache"))


@pytest.mark.parametrize("site_name, rel, after", [
    ("minimal", "content/pages/about.md", None),
    ("minimal", "content/areas/north-ward/news/bike-marking.md", None),
    ("bilingual", "content/areas/north-ward/news/bike-marking.cy.md", None),
    ("forms-basic", "forms/everything.yaml", "before_you_start: |\n"),
])
def test_check_refuses_an_image_without_alt_in_every_kind_of_markdown(tmp_path, site_name, rel, after):
    site = copy(site_name, tmp_path)
    path = site / rel
    text = path.read_text()
    if after:   # YAML Markdown: a line of the block, indented as the block is
        start = text.index(after) + len(after)
        indent = text[start:].split("\n")[0][:len(text[start:]) - len(text[start:].lstrip())]
        text = text[:start] + f"{indent}![](/media/bike.svg)\n" + text[start:]
    else:
        text = text.rstrip("\n") + "\n\n![](/media/bike.svg)\n"
    path.write_text(text)
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert any(line.startswith(f"{rel}:") and ADVICE in line for line in result.stderr.splitlines()), result.stderr
