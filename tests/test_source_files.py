"""Source files as editors save them (issue 14 class 2), and characters XML forbids
refused where they are written (issue 14 class 5, the loader half)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, SITES, run_cli
from sitegen.content.frontmatter import split_front_matter
from sitegen.content.yamlsource import as_written, parse_yaml, read_text
from sitegen.errors import SitegenError
from sitegen.render import THEME_DIR

FAST = settings(max_examples=100, deadline=None)

# One file of every kind a site is built from.
KINDS = {
    "area": SITES / "minimal/content/areas/north-ward/area.yaml",
    "news": SITES / "minimal/content/areas/north-ward/news/bike-marking.md",
    "page": SITES / "minimal/content/pages/about.md",
    "site": SITES / "minimal/site.yaml",
    "form": SITES / "forms-basic/forms/everything.yaml",
    "triage": SITES / "forms-basic/forms/triage.yaml",
}
THEME_TEMPLATES = THEME_DIR / "templates"
FORBIDDEN = [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]]


def as_saved(text: str, bom: bool, crlf: bool, fence_tail: str) -> bytes:
    """TEXT as a Windows or careless editor might save it."""
    if fence_tail:
        text = "\n".join(line + fence_tail if line == "---" else line for line in text.split("\n"))
    if crlf:
        text = text.replace("\n", "\r\n")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


def parsed(path: Path, rel: str):
    """What a loader makes of the file at PATH: the YAML, or front matter and body."""
    text = read_text(path, rel)
    if path.suffix == ".md":
        doc = split_front_matter(text, rel)
        return as_written(doc.meta), doc.body, doc.body_line
    return as_written(parse_yaml(text, rel))


variations = st.tuples(st.booleans(), st.booleans(), st.sampled_from(["", " ", "\t", "  \t "]))


@FAST
@given(st.sampled_from(sorted(KINDS)), variations)
def test_every_file_kind_reads_the_same_whatever_the_bom_line_ends_and_fence_spaces(tmp_path_factory, kind, how):
    source = KINDS[kind]
    saved = tmp_path_factory.mktemp("saved") / source.name
    saved.write_bytes(as_saved(source.read_text(encoding="utf-8"), *how))
    assert parsed(saved, "x") == parsed(source, "x")
    assert "\ufeff" not in read_text(saved, "x") and "\r" not in read_text(saved, "x")


@pytest.mark.parametrize("name", ["minimal", "forms-basic"])
def test_a_site_saved_with_bom_and_crlf_builds_exactly_the_same(tmp_path, name):
    clean, saved = tmp_path / "clean", tmp_path / "saved"
    for target in (clean, saved):
        shutil.copytree(SITES / name, target, ignore=shutil.ignore_patterns("expected", ".cache"))
        (target / "templates").mkdir(exist_ok=True)   # a template override, saved the same way
        shutil.copy(THEME_TEMPLATES / "404.html", target / "templates" / "404.html")
    for path in saved.rglob("*"):
        if path.suffix in (".yaml", ".md", ".html"):
            path.write_bytes(as_saved(path.read_text(encoding="utf-8"), True, True, " \t"))
    for site in (clean, saved):
        result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
        assert result.exit_code == 0, result.output
    assert _tree(saved / "build") == _tree(clean / "build")
    # (govuk-frontend's own stylesheet holds a U+FEFF; nothing an editor wrote may.)
    assert not [p for p, data in _tree(saved / "build").items()
                if "\ufeff".encode() in data and not p.startswith("assets/")]


def test_field_case_news_saved_with_a_bom(tmp_path):
    """Field case bom-front-matter (input copied here): check passes; no U+FEFF in the page or feed."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    for rel in ("content/areas/north-ward/news/bike-marking.md", "content/areas/north-ward/area.yaml"):
        (site / rel).write_bytes(b"\xef\xbb\xbf" + (site / rel).read_bytes())
    assert run_cli("check", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    for rel in ("areas/north-ward/news/bike-marking/index.html", "areas/north-ward/feed.xml"):
        assert "\ufeff" not in (site / "build" / rel).read_text(encoding="utf-8")


# -- characters XML 1.0 forbids ------------------------------------------------------------

lines_of_text = st.lists(st.text(st.characters(codec="utf-8", exclude_characters="".join(FORBIDDEN) + "\r\n\x85"
                                               "\u2028\u2029"), max_size=30), min_size=1, max_size=8)


@FAST
@given(lines_of_text, st.data())
def test_a_forbidden_character_in_markdown_is_refused_at_its_line_and_column(tmp_path_factory, lines, data):
    line = data.draw(st.integers(0, len(lines) - 1))
    col = data.draw(st.integers(0, len(lines[line])))
    char = data.draw(st.sampled_from(FORBIDDEN))
    lines[line] = lines[line][:col] + char + lines[line][col:]
    path = tmp_path_factory.mktemp("md") / "story.md"
    path.write_text("---\ntitle: T\ndate: 2026-11-01\n---\n" + "\n".join(lines), encoding="utf-8")
    with pytest.raises(SitegenError) as caught:
        read_text(path, "story.md")
    [problem] = caught.value.problems
    assert (problem.path, problem.line, problem.col) == ("story.md", line + 5, col + 1)
    assert f"U+{ord(char):04X}; delete it" in problem.message


def _escapes(char: str) -> list[str]:
    code = ord(char)
    named = {"\x00": "\\0", "\x07": "\\a", "\x08": "\\b", "\x0b": "\\v", "\x0c": "\\f", "\x1b": "\\e"}
    return [f"\\u{code:04x}", f"\\U{code:08X}"] + ([f"\\x{code:02x}"] if code < 0x100 else []) + (
        [named[char]] if char in named else [])


@FAST
@given(st.sampled_from(FORBIDDEN), st.data(), st.integers(0, 3), st.text("ab ", max_size=10))
def test_a_forbidden_character_written_as_a_yaml_escape_is_refused_where_written(char, data, line, before):
    escape = data.draw(st.sampled_from(_escapes(char)))
    text = "".join(f"k{n}: v\n" for n in range(line)) + f'title: "{before}{escape} after"\n'
    with pytest.raises(SitegenError) as caught:
        parse_yaml(text, "f.yaml", first_line=2)
    [problem] = caught.value.problems
    assert (problem.line, problem.col) == (line + 2, 9 + len(before))
    assert f"U+{ord(char):04X}; delete it" in problem.message


def test_field_case_control_characters_are_refused_by_check(tmp_path):
    """Field case atom-control-characters (input copied here): check exits 1 naming both lines."""
    site = tmp_path / "site"
    files = {
        "site.yaml": "name: Test Police\nbase_url: https://www.test.police.example/\n",
        "content/areas/test-ward/area.yaml": "name: Test Ward\nborough: Testshire\n",
        "content/areas/test-ward/news/escaped-title.md":
            '---\ntitle: "Street surgery\\x1f results"\ndate: 2026-11-05\n---\nBody.\n',
        "content/areas/test-ward/news/pasted-advice.md":
            "---\ntitle: Advice pasted from a leaflet\ndate: 2026-11-04\nsummary: Text copied from a PDF.\n---\n"
            "Swipe up\x1f from the bottom of the screen, then\x0c tap Settings.\n",
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1 and "Traceback" not in result.output
    news = "content/areas/test-ward/news"
    assert f"{news}/pasted-advice.md:6:9: contains the control characters U+001F and U+000C; delete them" \
        in result.stderr
    assert f"{news}/escaped-title.md:2:23: contains the control character U+001F; delete it" in result.stderr


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
