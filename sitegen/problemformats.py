"""Problems written for the tool that reads them: people (text), GitHub Actions
(workflow commands that annotate a pull request's changed lines) and other tools (JSON).

GitHub's format is its "workflow command" `::error file=F,line=L,col=C,title=T::MESSAGE`
(docs.github.com, "Workflow commands for GitHub Actions"): in the message, '%', CR and LF
are escaped as %25, %0D and %0A; in a property value ',' and ':' are escaped too.  A
problem with no line is annotated on the file; one with no file (an outside service
failing) is a plain error.  Paths are made relative to the folder the command runs in
(the repository's root in a workflow), so a site in a subfolder is annotated at the
right file.  GitHub shows at most 10 error and 10 warning annotations a step (the rest only
in the step's log), so past that a notice, written first, says how many there are.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import Problem
from .terminal import printable

FORMATS = ("text", "github", "json")
TITLE = "sitegen check"
SHOWN = 10   # annotations of one level (error, warning) GitHub shows for one step


def escape_data(text: str) -> str:
    """TEXT as GitHub reads a workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """TEXT as GitHub reads a workflow command's property value."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def shown_path(site: Path, path: str, here: Path) -> str:
    """PATH (relative to the SITE folder) relative to HERE, '/'-separated; '' for no path."""
    if not path:
        return ""
    relative = os.path.relpath(site / path, here)
    return Path(relative).as_posix()


def github_lines(problems: Iterable[Problem], site: Path, here: Path) -> list[str]:
    """One `::error` workflow command per problem (`::warning` for a warning); first, when there
    are more of a level than GitHub shows, a `::notice` saying how many there are."""
    lines = []
    levels: Counter[str] = Counter()
    for problem in problems:
        properties = []
        if file := shown_path(site, problem.path, here):
            properties.append(f"file={escape_property(printable(file))}")   # a name can hold ESC or bidi
            if problem.line:
                properties.append(f"line={problem.line}")
                if problem.col:
                    properties.append(f"col={problem.col}")
        properties.append(f"title={escape_property(TITLE)}")
        lines.append(f"::{problem.level} {','.join(properties)}::{escape_data(printable(problem.message))}")
        levels[problem.level] += 1
    if max(levels.values(), default=0) > SHOWN:
        counted = " and ".join(f"{n} {level}{'' if n == 1 else 's'}" for level, n in sorted(levels.items()))
        message = (f"{counted}: GitHub shows the first {SHOWN} of each on their lines. Every one is in"
                   " this step's log, and `sitegen check` on your computer lists them all.")
        lines.insert(0, f"::notice title={escape_property(TITLE)}::{escape_data(message)}")
    return lines


def json_document(problems: Sequence[Problem], site: Path, here: Path, summary: dict | None = None,
                  warnings: Sequence[Problem] = ()) -> str:
    """The problems as one JSON document: {"problems": [{file, line, column, message}],
    "count": N, "warnings": [the same, for WARNINGS, which do not count]} (lines and columns
    from 1; 0 where not known), with SUMMARY's keys when there are none."""
    def entries(found: Sequence[Problem]) -> list[dict]:
        return [{"file": shown_path(site, p.path, here), "line": p.line, "column": p.col,
                 "message": p.message} for p in found]
    return json.dumps({"problems": entries(problems), "count": len(problems), "warnings": entries(warnings),
                       **(summary or {})}, ensure_ascii=False, indent=1)
