"""Every `sitegen …` command README.md, docs/*.md and deploy/README.md show works as written
(issue 19, part 5).

The commands are read from code: inline `code` spans and fenced blocks (lines continued with a
backslash joined, `# comments` dropped), where `sitegen` starts a command (the start of the span or
line, after `$ `, `.venv/bin/`, `&&`, `;`, `|`, `$(` or `run:`), not where it names a folder
(`ruff check sitegen tests`). Each command's words must name a command of the CLI's click group
(`sitegen intake list\\|show` names each of list and show), each `--flag` must be one of that command's
options, and a value written after a flag with fixed choices must be one of them. The docs write
`sitegen …`: README's quick start says how that works after `make build` (`source .venv/bin/activate`),
and it does.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from conftest import ROOT
from sitegen.cli import main

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "deploy" / "README.md"]
FENCE = re.compile(r"^\s*(```|~~~)")
SPAN = re.compile(r"(?<!`)`([^`]+)`(?!`)")
COMMAND = re.compile(r"(?:^|\$ |\.venv/bin/|&&\s*|;\s*|\|\s*|\$\(|run:\s*)sitegen(?![^\s;&|)`])((?:\s+(?:\\\||[^\s;&|()`])+)*)")
PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_-]*|\.\.\.|N|[A-Z][A-Z_]*=.*")


@dataclass(frozen=True)
class DocCommand:
    """One `sitegen …` command written in a document: where, and its words after `sitegen`."""

    where: str
    words: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.where}: sitegen {' '.join(self.words)}"


def code_of(path: Path) -> list[tuple[int, str]]:
    """(line number, text) of PATH's code: fenced lines (continuations joined, comments dropped)
    and inline spans."""
    found: list[tuple[int, str]] = []
    in_block, pending, start = False, "", 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if FENCE.match(line):
            in_block, pending = not in_block, ""
            continue
        if not in_block:
            found.extend((number, span) for span in SPAN.findall(line))
            continue
        text = re.sub(r"(^|\s)#.*$", "", line)
        if not pending:
            start = number
        if text.rstrip().endswith("\\"):
            pending += text.rstrip()[:-1] + " "
            continue
        found.append((start, pending + text))
        pending = ""
    return found


def doc_commands() -> list[DocCommand]:
    """Every `sitegen …` command in the documents (DOCS)."""
    commands = []
    for path in DOCS:
        for number, code in code_of(path):
            for match in COMMAND.finditer(code.strip()):
                words = tuple(match.group(1).split())
                if words and words[0] not in {"…", "..."}:   # `sitegen` alone names the tool
                    commands.append(DocCommand(f"{path.relative_to(ROOT)}:{number}", words))
    return commands


def bare(word: str) -> str:
    """WORD without the brackets, quotes and punctuation documents put around it."""
    return word.strip("[](){}\"',.:")


def resolve(words: tuple[str, ...]) -> list[tuple[click.Command, list[str]]]:
    """The click commands WORDS name (several for `list\\|show`), each with the words after its name."""
    command: click.Command = main
    ctx = click.Context(main)
    rest = list(words)
    while isinstance(command, click.Group) and rest and not rest[0].startswith(("-", "[")):
        names = [bare(n) for n in re.split(r"\\?\|", rest[0]) if bare(n)]
        if len(names) > 1:
            return [pair for name in names for pair in resolve((*_path_to(words, rest), name, *rest[1:]))]
        found = command.get_command(ctx, names[0]) if names else None
        if found is None:
            if command is main:
                raise AssertionError(f"no command {rest[0]!r}")
            break   # a group's argument, or prose after it
        command, rest = found, rest[1:]
    return [(command, rest)]


def _path_to(words: tuple[str, ...], rest: list[str]) -> tuple[str, ...]:
    """The words of WORDS before REST."""
    return words[:len(words) - len(rest)]


def options_of(command: click.Command) -> dict[str, click.Option]:
    """Every flag of COMMAND (--x, -x, and --no-x of a boolean flag) -> its option."""
    flags: dict[str, click.Option] = {"--help": click.Option(["--help"], is_flag=True)}
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            for flag in (*parameter.opts, *parameter.secondary_opts):
                flags[flag] = parameter
    return flags


def flag_problems(command: click.Command, rest: list[str]) -> list[str]:
    """What in REST (the words after COMMAND's name) is not an option of COMMAND, or not a choice."""
    flags = options_of(command)
    problems = []
    for index, word in enumerate(rest):
        word = bare(word)
        if not word.startswith("-") or word in {"-", "--"} or not re.match(r"--?[a-z]", word):
            continue
        flag, _, value = word.partition("=")
        option = flags.get(flag)
        if option is None:
            problems.append(f"{command.name} has no option {flag}")
            continue
        if not value and index + 1 < len(rest) and not option.is_flag:
            value = bare(rest[index + 1])
        fixed = isinstance(option.type, click.Choice) and value and not PLACEHOLDER.fullmatch(value)
        if fixed and value not in option.type.choices:
            problems.append(f"{command.name} {flag} takes one of {list(option.type.choices)}, not {value!r}")
    return problems


COMMANDS = doc_commands()


def test_the_docs_show_commands_to_check():
    assert len(COMMANDS) >= 50
    shown = {words[0] for words in (c.words for c in COMMANDS) if words}
    assert {"build", "check", "serve", "publish", "unpublish", "intake", "import-wards"} <= shown


@pytest.mark.parametrize("command", COMMANDS, ids=str)
def test_every_documented_command_and_flag_exists(command):
    problems = [problem for found, rest in resolve(command.words) for problem in flag_problems(found, rest)]
    assert problems == [], str(command)


def test_the_checker_catches_drift():
    with pytest.raises(AssertionError):
        resolve(("biuld",))
    [(build, rest)] = resolve(("build", "--out", "DIR", "--prevue", "x"))
    assert flag_problems(build, rest) == ["build has no option --prevue"]
    [(check, rest)] = resolve(("check", "--format", "gitlab"))
    assert flag_problems(check, rest) == ["check --format takes one of ['text', 'github', 'json'], not 'gitlab'"]
    assert [c.name for c, _ in resolve(("intake", "list\\|show\\|export"))] == ["list", "show", "export"]


def test_after_make_build_the_docs_commands_are_on_the_path():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "source .venv/bin/activate" in readme
    found = subprocess.run(["bash", "-c", "source .venv/bin/activate && command -v sitegen"], cwd=ROOT,
                           capture_output=True, text=True, timeout=30, check=True)
    assert Path(found.stdout.strip()) == ROOT / ".venv" / "bin" / "sitegen"
