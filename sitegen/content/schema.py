"""Declarative schemas for YAML input, checked with every problem located.

A schema is a tree of `Kind`s.  `Record` checks a mapping: unknown keys (with a
did-you-mean hint), missing required keys, and each value's kind.  `check`
returns the cleaned Python value (dates parsed, strings stripped) or None when
the value is unusable; problems go into the `Problems` passed down, so one run
reports everything wrong with a file.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Callable
from urllib.parse import urlsplit

from ..errors import Problems, did_you_mean
from .yamlsource import LocatedDict, LocatedList, Pos

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{1,20}$")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass
class Where:
    """Where a value sits: the file, its position, and its dotted name."""

    path: str
    pos: Pos
    name: str

    def child(self, name: str, pos: Pos) -> "Where":
        """The location of a value nested under this one."""
        dotted = f"{self.name}.{name}" if self.name and not name.startswith("[") else self.name + name
        return Where(self.path, pos, dotted)

    def report(self, problems: Problems, message: str) -> None:
        """Record MESSAGE about this value."""
        prefix = f"{self.name}: " if self.name else ""
        problems.add(self.path, self.pos[0], self.pos[1], prefix + message)


class Kind:
    """A kind of value.  Subclasses implement `check` and `describe`."""

    def check(self, value: Any, where: Where, problems: Problems) -> Any:  # pragma: no cover
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def wrong(self, value: Any, where: Where, problems: Problems) -> None:
        """Report that VALUE is not of this kind."""
        where.report(problems, f"expected {self.describe()}, found {_show(value)}")


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, (dict, LocatedDict)):
        return "a mapping"
    if isinstance(value, (list, LocatedList)):
        return "a list"
    text = str(value)
    return repr(text if len(text) < 40 else text[:37] + "...")


@dataclass
class Str(Kind):
    """Text on one line (or several with multiline=True), within length limits."""

    max_len: int = 200
    multiline: bool = False
    pattern: re.Pattern | None = None
    pattern_help: str = ""

    def describe(self) -> str:
        return self.pattern_help or "text"

    def check(self, value, where, problems):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            return self.wrong(value, where, problems)
        value = value.strip()
        if not value:
            return where.report(problems, "is empty; write some text or remove the key")
        if len(value) > self.max_len:
            return where.report(problems, f"is {len(value)} characters long; keep it under {self.max_len}")
        if not self.multiline and "\n" in value:
            return where.report(problems, "must be on one line")
        if self.pattern and not self.pattern.match(value):
            return self.wrong(value, where, problems)
        return value


def Text(max_len: int = 5000) -> Str:
    """Several lines of plain text."""
    return Str(max_len=max_len, multiline=True)


Slug = Str(max_len=80, pattern=SLUG_RE, pattern_help="lowercase letters, digits and hyphens (like 'abbey-road')")
Email = Str(max_len=254, pattern=EMAIL_RE, pattern_help="an email address")
Phone = Str(max_len=30, pattern=PHONE_RE, pattern_help="a phone number (digits, spaces, + ( ) -)")
Colour = Str(max_len=7, pattern=COLOUR_RE, pattern_help="a colour like '#1d70b8'")


@dataclass
class Url(Kind):
    """An absolute http(s) URL, or (with allow_path) a site path starting with '/'."""

    schemes: tuple[str, ...] = ("http", "https")
    allow_path: bool = False

    def describe(self) -> str:
        what = "an http(s) URL like 'https://example.org/page'"
        return what + (" or a site path like '/about/'" if self.allow_path else "")

    def check(self, value, where, problems):
        if not isinstance(value, str) or not value.strip():
            return self.wrong(value, where, problems)
        value = value.strip()
        if self.allow_path and value.startswith("/") and not value.startswith("//"):
            return value
        parts = urlsplit(value)
        if parts.scheme not in self.schemes or not parts.netloc or " " in value:
            return self.wrong(value, where, problems)
        return value


@dataclass
class Int(Kind):
    """A whole number within bounds."""

    minimum: int | None = None
    maximum: int | None = None

    def describe(self) -> str:
        return "a whole number"

    def check(self, value, where, problems):
        if isinstance(value, str) and value.strip().replace(",", "").isdigit():
            value = int(value.strip().replace(",", ""))
        if isinstance(value, bool) or not isinstance(value, int):
            return self.wrong(value, where, problems)
        if self.minimum is not None and value < self.minimum:
            return where.report(problems, f"must be at least {self.minimum}")
        if self.maximum is not None and value > self.maximum:
            return where.report(problems, f"must be at most {self.maximum}")
        return value


@dataclass
class Bool(Kind):
    """true or false."""

    def describe(self) -> str:
        return "true or false"

    def check(self, value, where, problems):
        if not isinstance(value, bool):
            return self.wrong(value, where, problems)
        return value


@dataclass
class Date(Kind):
    """A calendar date written YYYY-MM-DD."""

    def describe(self) -> str:
        return "a date written YYYY-MM-DD"

    def check(self, value, where, problems):
        text = str(value).strip() if isinstance(value, (str, int)) else None
        if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return self.wrong(value, where, problems)
        try:
            return date.fromisoformat(text)
        except ValueError:
            return where.report(problems, f"'{text}' is not a real date; check the month and the day")


@dataclass
class DateTime(Kind):
    """A local date and time written YYYY-MM-DDTHH:MM (Europe/London time)."""

    def describe(self) -> str:
        return "a date and time written YYYY-MM-DDTHH:MM, like 2026-12-03T19:00"

    def check(self, value, where, problems):
        text = str(value).strip() if isinstance(value, str) else None
        match = text and re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?", text)
        if not match:
            return self.wrong(value, where, problems)
        try:
            return datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}:{match[4] or '00'}")
        except ValueError:
            return where.report(problems, f"'{text}' is not a real date and time; check the month, day and hour")


@dataclass
class Choice(Kind):
    """One of a fixed set of strings."""

    options: tuple[str, ...]

    def describe(self) -> str:
        return "one of " + ", ".join(self.options)

    def check(self, value, where, problems):
        if not isinstance(value, str) or value not in self.options:
            hint = did_you_mean(str(value), self.options) if isinstance(value, str) else ""
            return where.report(problems, f"expected {self.describe()}, found {_show(value)}{hint}")
        return value


@dataclass
class ListOf(Kind):
    """A list whose items are all of one kind."""

    item: Kind
    max_items: int = 500

    def describe(self) -> str:
        return "a list"

    def check(self, value, where, problems):
        if not isinstance(value, list):
            return self.wrong(value, where, problems)
        if len(value) > self.max_items:
            return where.report(problems, f"has {len(value)} items; the most allowed is {self.max_items}")
        positions = value.where if isinstance(value, LocatedList) else (lambda i: where.pos)
        out = []
        for index, item in enumerate(value):
            checked = self.item.check(item, where.child(f"[{index}]", positions(index)), problems)
            if checked is not None:
                out.append(checked)
        return out


@dataclass
class Field:
    """One key of a Record: its kind, whether it is required, and what it is for."""

    name: str
    kind: Kind
    required: bool = False
    doc: str = ""


@dataclass
class Record(Kind):
    """A mapping with known keys.  Unknown keys are errors, with a hint."""

    fields: list[Field]
    name: str = "mapping"
    rules: list[Callable[[dict, Where, Problems], None]] = field(default_factory=list)

    def describe(self) -> str:
        return f"a mapping of {self.name} keys"

    def check(self, value, where, problems):
        if not isinstance(value, dict):
            return self.wrong(value, where, problems)
        known = {f.name: f for f in self.fields}
        located = isinstance(value, LocatedDict)
        out: dict[str, Any] = {}
        for key, raw in value.items():
            if key not in known:
                spot = where.child(key, value.where(key) if located else where.pos)
                spot.report(problems, f"unknown key '{key}' in {self.name}{did_you_mean(key, known)}")
                continue
            spot = where.child(key, value.value_where(key) if located else where.pos)
            if raw is None:
                continue
            checked = known[key].kind.check(raw, spot, problems)
            if checked is not None:
                out[key] = checked
        complete = True
        for f in self.fields:
            if f.required and value.get(f.name) is None:
                where.report(problems, f"missing required key '{f.name}' in {self.name}")
            if f.required and f.name not in out:
                complete = False
        for rule in self.rules:
            rule(out, where, problems)
        # A record without its required values cannot be used; its problems are reported.
        return out if complete else None
