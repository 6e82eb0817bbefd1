"""Problems found in a site's input, and the one way they are printed.

Every problem an editor can cause is a `Problem` with the file (relative to the
site), the line and column, and a message that says what to do.  Loaders collect
problems in a `Problems` list so that one run reports all of them; the command
line turns a `SitegenError` into lines on stderr and an exit code, never a
traceback.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

EXIT_OK = 0
EXIT_INPUT = 1      # the user's input is wrong (content, config, a refused publish)
EXIT_USAGE = 2      # click's own usage errors
EXIT_SERVICE = 3    # an outside service failed after retries
ERROR, WARNING = "error", "warning"   # Problem.level: a warning is told, and the command still succeeds


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    level: str = ERROR   # or WARNING: something to know (a missing translation), not to stop for

    def __str__(self) -> str:
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {'warning: ' if self.level == WARNING else ''}{self.message}"


@dataclass
class Problems:
    """An ordered collection of problems, filled by loaders and checks."""

    items: list[Problem] = field(default_factory=list)

    def add(self, path: str, line: int, col: int, message: str) -> None:
        """Record a problem at PATH:LINE:COL."""
        self.items.append(Problem(path, line, col, message))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record several problems at once."""
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        """Raise a SitegenError carrying every problem, if there are any."""
        if self.items:
            raise SitegenError(self.items)

    def raise_if_errors(self) -> list[Problem]:
        """Raise a SitegenError carrying every problem (the warnings too) if any is an error;
        else return the warnings, which are told and stop nothing."""
        if any(problem.level != WARNING for problem in self.items):
            raise SitegenError(self.items)
        return list(self.items)


class SitegenError(Exception):
    """Input is wrong: carries every problem found, and the exit code to use."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: Iterable[Problem] | str, exit_code: int | None = None):
        if isinstance(problems, str):
            problems = [Problem("sitegen", 0, 0, problems)]
        self.problems = sorted(set(problems))
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):
        # Keep the problems when the error crosses a process boundary.
        return (SitegenError, (self.problems, self.exit_code))


class ServiceError(SitegenError):
    """An outside service (network, S3) failed after retries: exit 3."""

    exit_code = EXIT_SERVICE

    def __init__(self, where: str, message: str):
        super().__init__([Problem(where, 0, 0, message)])


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return ' (did you mean 'x'?)' for the closest choice, or ''."""
    import difflib  # only here: a build with nothing wrong asks nothing (1 ms of imports)
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""
