"""Problems written for the tool that reads them: people (text), GitHub Actions
(workflow commands that annotate a pull request's changed lines) and other tools (JSON).

GitHub's format is its "workflow command" `::error file=F,line=L,col=C,title=T::MESSAGE`
(docs.github.com, "Workflow commands for GitHub Actions"): in the message, '%', CR and LF
are escaped as %25, %0D and %0A; in a property value ',' and ':' are escaped too.  A
problem with no line is annotated on the file; one with no file (an outside service
failing) is a plain error.  Paths are made relative to the folder the command runs in
(the repository's root in a workflow), so a site in a subfolder is annotated at the
right file.
"""
from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

from .errors import Problem
from .terminal import printable

FORMATS = ("text", "github", "json")
TITLE = "sitegen check"


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
    """One `::error` workflow command per problem (`::warning` for a warning)."""
    lines = []
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
