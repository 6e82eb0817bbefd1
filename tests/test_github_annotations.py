"""`sitegen check --format github` against GitHub's workflow-command format (issue 19, part 2).

GitHub documents an annotation as `::error file={name},line={line},col={col},title={title}::{message}`
("Workflow commands for GitHub Actions"), with '%', CR and LF written %25, %0D and %0A in the message,
and ':' and ',' written %3A and %2C too in a property value; that is what the toolkit's
`@actions/core` writes. `read_command` below reads a line as the runner does (its ActionCommand
parser): leading white space dropped, the command up to the first '::' after the opening one,
properties split at ',' and then at the first '=', a property with an empty value dropped, and
escapes undone in its order (%25 last). Hypothesis makes file names and messages of any characters:
each problem must come back as exactly one line that reads back as the file, line, column, title
and message `sitegen check` meant, shown as the terminal shows them (`sitegen.terminal.printable`).
"""
from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.errors import Problem
from sitegen.problemformats import TITLE, escape_data, escape_property, github_lines
from sitegen.terminal import printable

DATA_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
PROPERTY_ESCAPES = (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%"))
SITE = Path("/work/site")


def unescape(text: str, escapes: tuple[tuple[str, str], ...]) -> str:
    """TEXT with each escape undone in turn, as the runner undoes them."""
    for escaped, character in escapes:
        text = text.replace(escaped, character)
    return text


def read_command(line: str) -> tuple[str, dict[str, str], str] | None:
    """(command, properties, message) as GitHub's runner reads LINE; None for a line it does not
    take as a command."""
    line = line.lstrip()
    if not line.startswith("::"):
        return None
    end = line.find("::", 2)
    if end < 0:
        return None
    name, _, rest = line[2:end].partition(" ")
    properties = {}
    for part in (p for p in rest.strip().split(",") if p):
        key, _, value = part.partition("=")
        if key and value:
            properties[key.lower()] = unescape(value, PROPERTY_ESCAPES)
    return name, properties, unescape(line[end + 2:], DATA_ESCAPES)


@pytest.mark.parametrize("problem, line", [
    # GitHub's documented example, and escaping in each place.
    (Problem("app.js", 1, 5, "Missing semicolon"), "::error file=app.js,line=1,col=5,title=sitegen check::"
                                                   "Missing semicolon"),
    (Problem("a,b:c%.md", 2, 0, "50% done"), "::error file=a%2Cb%3Ac%25.md,line=2,title=sitegen check::50%25 done"),
    (Problem("news/x.md", 0, 0, "a: b, c"), "::error file=news/x.md,title=sitegen check::a: b, c"),
    (Problem("", 3, 4, "feeds: timed out"), "::error title=sitegen check::feeds: timed out"),
    (Problem("site.yaml", 1, 1, "%0A is text"), "::error file=site.yaml,line=1,col=1,title=sitegen check::"
                                                "%250A is text"),
])
def test_documented_examples(problem, line):
    assert github_lines([problem], SITE, SITE) == [line]


@settings(max_examples=50, deadline=None)
@given(st.text())
@example("%0A%25%%3A,:\r\n")
def test_escaping_is_undone_by_the_runner_for_any_text(text):
    assert unescape(escape_data(text), DATA_ESCAPES) == text
    assert unescape(escape_property(text), PROPERTY_ESCAPES) == text
    assert not {"\r", "\n"} & set(escape_data(text))
    assert not {"\r", "\n", ":", ","} & set(escape_property(text))


names = st.text(st.characters(blacklist_characters="/\x00"), min_size=1, max_size=12).filter(
    lambda name: name not in {".", ".."})
tricky = st.sampled_from(["%", "%25", "%0A", "::", ":", ",", "=", "\r", "\n", "\r\n", "\x1b[31m", "\u202e",
                          "\u2028", "\x85", " ", "title=x", "::error file=evil.md::"])
messages = st.lists(st.text(max_size=8) | tricky, max_size=6).map("".join)


@settings(max_examples=50, deadline=None)
@given(folders=st.lists(names, max_size=3), name=names | tricky.filter(lambda t: t.strip(". ") != ""),
       line=st.integers(0, 10**6), col=st.integers(0, 500), message=messages)
def test_each_problem_is_one_line_that_reads_back_as_meant(folders, name, line, col, message):
    path = "/".join([*folders, name])
    [written] = github_lines([Problem(path, line, col, message)], SITE, SITE)
    assert len(written.splitlines()) == 1 and written == written.strip("\r\n")
    assert "\x1b" not in written and "\u202e" not in written
    command = read_command(written)
    assert command is not None
    expected = {"file": printable(path), "title": TITLE}
    if line:
        expected["line"] = str(line)
        if col:
            expected["col"] = str(col)
    assert command == ("error", expected, printable(message))


def test_a_path_is_shown_from_the_folder_the_command_runs_in():
    [written] = github_lines([Problem("content/areas/abbey/area.yaml", 3, 7, "x")], SITE, SITE.parent)
    assert read_command(written)[1]["file"] == "site/content/areas/abbey/area.yaml"


@pytest.mark.parametrize("count", [10, 11, 40])
def test_past_the_ten_errors_github_shows_a_notice_says_how_many_there_are(count):
    problems = [Problem(f"content/pages/p{i}.md", i + 1, 1, f"problem {i}") for i in range(count)]
    commands = [read_command(line) for line in github_lines(problems, SITE, SITE)]
    errors = [c for c in commands if c and c[0] == "error"]
    assert [c[2] for c in errors] == [f"problem {i}" for i in range(count)]   # every one, in order, in the log
    notices = [c for c in commands if c and c[0] == "notice"]
    if count <= 10:
        assert notices == []
    else:
        [(_, properties, message)] = notices
        assert properties == {"title": TITLE}
        assert message.startswith(f"{count} errors: GitHub shows the first 10") and "sitegen check" in message
        assert commands[0][0] == "notice"   # first, so GitHub's limit never hides it


def test_warnings_are_counted_apart_from_errors():
    from sitegen.errors import WARNING
    problems = [Problem("site.yaml", 1, 1, f"untranslated {i}", level=WARNING) for i in range(12)]
    lines = github_lines([Problem("content/pages/a.md", 2, 1, "broken"), *problems], SITE, SITE)
    assert [read_command(line)[0] for line in lines] == ["notice", "error", *["warning"] * 12]
    assert read_command(lines[0])[2].startswith("1 error and 12 warnings: GitHub shows the first 10 of each")
