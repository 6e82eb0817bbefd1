"""Declarative schemas for YAML input, checked with every problem located.

A schema is a tree of `Kind`s.  `Record` checks a mapping: unknown keys (with a
did-you-mean hint), missing required keys, and each value's kind.  `check`
returns the cleaned Python value (dates parsed, strings stripped) or None when
the value is unusable; problems go into the `Problems` passed down, so one run
reports everything wrong with a file.

Text is text: where YAML 1.1 guessed a number, boolean or null for an unquoted
value, `Record` and `ListOf` hand the kind the text as written (`given`), so
`phone: 02071234567` stays 02071234567 and `title: No` stays No; `Int` and
`Bool` then read that text by their own strict rules.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ..errors import Problems, did_you_mean
from .yamlsource import LocatedDict, LocatedList, Pos

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
EMAIL_RE = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+\Z")
PHONE_RE = re.compile(r"^\+?[0-9][0-9 ()-]{1,20}\Z")
COLOUR_RE = re.compile(r"^#[0-9a-fA-F]{6}\Z")


@dataclass(slots=True)
class Where:
    """Where a value sits: the file, its position, and its dotted name."""

    path: str
    pos: Pos
    name: str

    def child(self, name: str, pos: Pos) -> Where:
        """The location of a value nested under this one."""
        dotted = f"{self.name}.{name}" if self.name and not name.startswith("[") else self.name + name
        return Where(self.path, pos, dotted)

    def item(self, index: int, pos: Pos) -> Where:
        """The location of list item INDEX (from 0), named as people count: `team[1]` is the first."""
        return self.child(f"[{index + 1}]", pos)

    def report(self, problems: Problems, message: str) -> None:
        """Record MESSAGE about this value."""
        prefix = f"{self.name}: " if self.name else ""
        problems.add(self.path, self.pos[0], self.pos[1], prefix + message)


class Kind:
    """A kind of value.  Subclasses implement `check` and `describe`.

    `takes_text` kinds receive an unquoted `null`/`Null`/`NULL` as that word;
    the others take it (like `~` and an empty value) as not given.
    """

    takes_text = False

    def check(self, value: Any, where: Where, problems: Problems) -> Any:  # pragma: no cover
        raise NotImplementedError

    def describe(self) -> str:  # pragma: no cover
        raise NotImplementedError

    def advice(self, value: Any) -> str:
        """What to write instead of VALUE, which is not of this kind (an imperative, like
        "write true or false")."""
        return f"write {self.describe()}"

    def wrong(self, value: Any, where: Where, problems: Problems) -> None:
        """Report that VALUE is not of this kind, and what to write instead."""
        where.report(problems, f"expected {self.describe()}, found {_show(value)}; {self.advice(value)}")


NOT_GIVEN_WORDS = ("", "~")


def given(kind: Kind, value: Any, written: str | None) -> Any:
    """What KIND is handed for VALUE, which was written WRITTEN when YAML 1.1 guessed its type
    (see LocatedDict.written_as): the text as written, or None when nothing was given."""
    if written is None:
        return value
    if value is None and (not kind.takes_text or written in NOT_GIVEN_WORDS):
        return None
    return written


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
    example: str = ""
    takes_text = True

    def describe(self) -> str:
        return self.pattern_help or "text"

    def advice(self, value: Any) -> str:
        if self.pattern_help:
            return f"write {self.pattern_help}" + (f", like '{self.example}'" if self.example else "")
        return "write plain text instead (in quotes if it starts with '[', '{', '-' or '#')"

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
            return where.report(problems, "must be on one line; write it without line breaks")
        if self.pattern and not self.pattern.match(value):
            return self.wrong(value, where, problems)
        return value


def Text(max_len: int = 5000) -> Str:
    """Several lines of plain text."""
    return Str(max_len=max_len, multiline=True)


Slug = Str(max_len=80, pattern=SLUG_RE,
           pattern_help="lowercase letters, digits and hyphens (like 'abbey-road')")
Email = Str(max_len=254, pattern=EMAIL_RE, pattern_help="an email address",
            example="abbey.ward@police.example")
Phone = Str(max_len=30, pattern=PHONE_RE, pattern_help="a phone number (digits, spaces, + ( ) -)",
            example="020 7946 0123")
Colour = Str(max_len=7, pattern=COLOUR_RE, pattern_help="a colour like '#1d70b8'")


@dataclass
class Url(Kind):
    """An absolute http(s) URL, or (with allow_path) a site path starting with '/'."""

    schemes: tuple[str, ...] = ("http", "https")
    allow_path: bool = False
    takes_text = True

    def describe(self) -> str:
        what = "an http(s) URL like 'https://example.org/page'"
        return what + (" or a site path like '/about/'" if self.allow_path else "")

    def advice(self, value: Any) -> str:
        return "write the whole address, starting with https://" + (
            ", or a path on this site starting with /" if self.allow_path else "")

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


MAX_DIGITS = 15  # more than any count sitegen needs, and far below where int() gets slow
_DIGITS = re.compile(r"-?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)")
TRUE_WORDS = ("true", "yes", "on")
FALSE_WORDS = ("false", "no", "off")


@dataclass
class Int(Kind):
    """A whole number within bounds, written with the digits 0-9 (commas between
    thousands allowed), like 12000 or 12,000; quoted or not, it reads the same."""

    minimum: int | None = None
    maximum: int | None = None

    def describe(self) -> str:
        return "a whole number"

    def wrong(self, value, where, problems) -> None:
        where.report(problems, f"expected a whole number, found {_show(value)}; write it with the digits 0-9,"
                               " like 12000 (no decimal point, letters or other signs)")

    def check(self, value, where, problems):
        number = self._number(value, where, problems)
        if number is None:
            return None
        if self.minimum is not None and number < self.minimum:
            return where.report(problems,
                                f"is {number}, but must be at least {self.minimum}; "
                                f"write {self.minimum} or a larger whole number")
        if self.maximum is not None and number > self.maximum:
            return where.report(problems,
                                f"is {number}, but must be at most {self.maximum}; "
                                f"write {self.maximum} or a smaller whole number")
        return number

    def _number(self, value, where: Where, problems: Problems) -> int | None:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = value.strip() if isinstance(value, str) else None
        if text is None or not _DIGITS.fullmatch(text):
            self.wrong(value, where, problems)
            return None
        digits = text.lstrip("-").replace(",", "")
        if len(digits) > MAX_DIGITS:
            where.report(problems, f"has {len(digits):,} digits; the most allowed is {MAX_DIGITS}, so write a"
                                   " smaller number")
            return None
        if len(digits) > 1 and digits.startswith("0"):
            where.report(problems, f"'{text}' starts with 0, which YAML would read as an octal number;"
                                   f" write it without the leading zeros, like {int(digits)}")
            return None
        return int(text.replace(",", ""))


@dataclass
class Bool(Kind):
    """true or false (yes/no and on/off are read the same way; quoted or not)."""

    def describe(self) -> str:
        return "true or false"

    def advice(self, value: Any) -> str:
        return "write true or false (yes/no and on/off mean the same)"

    def check(self, value, where, problems):
        if isinstance(value, bool):
            return value
        word = value.strip().lower() if isinstance(value, str) else None
        if word in TRUE_WORDS or word in FALSE_WORDS:
            return word in TRUE_WORDS
        return self.wrong(value, where, problems)


@dataclass
class Date(Kind):
    """A calendar date written YYYY-MM-DD."""

    def describe(self) -> str:
        return "a date written YYYY-MM-DD"

    def advice(self, value: Any) -> str:
        padded = _padded_date(value.strip()) if isinstance(value, str) else None
        return f"write {padded}" if padded else "write the year, month and day with hyphens, like 2026-11-01"

    def check(self, value, where, problems):
        text = str(value).strip() if isinstance(value, (str, int)) else None
        if not text or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return self.wrong(value, where, problems)
        try:
            return date.fromisoformat(text)
        except ValueError:
            return where.report(problems, f"'{text}' is not a real date; check the month (01-12) and the day"
                                          " (01 to the month's last day), written YYYY-MM-DD")


def _padded_date(text: str) -> str | None:
    """TEXT written YYYY-MM-DD when it is a real date with one-digit parts (2026-11-1 gives
    2026-11-01), else None."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


@dataclass
class DateTime(Kind):
    """A local date and time written YYYY-MM-DDTHH:MM (Europe/London time)."""

    def describe(self) -> str:
        return "a date and time written YYYY-MM-DDTHH:MM, like 2026-12-03T19:00"

    def advice(self, value: Any) -> str:
        return "write the date, a T, then the 24-hour time, like 2026-12-03T19:00"

    def check(self, value, where, problems):
        text = str(value).strip() if isinstance(value, str) else None
        match = text and re.fullmatch(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?", text)
        if not match:
            return self.wrong(value, where, problems)
        try:
            return datetime.fromisoformat(f"{match[1]}T{match[2]}:{match[3]}:{match[4] or '00'}")
        except ValueError:
            return where.report(problems,
                                f"'{text}' is not a real date and time; check the month (01-12), "
                                "the day and the hour (00-23), written like 2026-12-03T19:00")


@dataclass
class Choice(Kind):
    """One of a fixed set of strings."""

    options: tuple[str, ...]
    takes_text = True

    def describe(self) -> str:
        return "one of " + ", ".join(self.options)

    def check(self, value, where, problems):
        if not isinstance(value, str) or value not in self.options:
            hint = did_you_mean(str(value), self.options) if isinstance(value, str) else ""
            return where.report(problems, f"expected {self.describe()}, found {_show(value)}"
                                          f"{hint or '; write one of them exactly as shown'}")
        return value


@dataclass
class ListOf(Kind):
    """A list whose items are all of one kind."""

    item: Kind
    max_items: int = 500
    # The field by which a translation's items are matched to the original's ('id' for events,
    # 'name' for form questions); "" matches them by place (content/translations.py).
    key: str = ""
    # Several items may share the key (priorities of one date): they are matched in order among
    # those of that key, and a translation giving another number of them than the original is
    # told (a warning), their words not shown, as no one can say which translates which.
    repeats: bool = False
    # How Overlaid.fallbacks names an item of a keyed list: by its key ('events.<id>') or, with
    # by_place, by its place in the original ('team.2'), as the renderer asks (pages.field_path).
    by_place: bool = False
    # False for a list whose loader checks each item itself (forms' RawList); a translation's
    # list is checked item by item all the same (translations.optional).
    checks_items: ClassVar[bool] = True

    def describe(self) -> str:
        return "a list"

    def advice(self, value: Any) -> str:
        return "write each item on its own line below the key, starting with '- '"

    def check(self, value, where, problems):
        if not isinstance(value, list):
            return self.wrong(value, where, problems)
        if len(value) > self.max_items:
            return where.report(problems, f"has {len(value)} items; the most allowed is {self.max_items},"
                                          " so remove some")
        located = value if isinstance(value, LocatedList) else None
        out = []
        for index, item in enumerate(value):
            spot = where.item(index, located.where(index) if located is not None else where.pos)
            item = given(self.item, item, located.written_as(index) if located is not None else None)
            checked = self.item.check(item, spot, problems)
            if checked is not None:
                out.append(checked)
        return out


def _no_value(required: Field, written: str | None) -> str:
    """What to say when the REQUIRED key is there, but its value (WRITTEN) means nothing."""
    meaning = f" ({written} means nothing)" if written else ""
    what = required.doc.split(";")[0].rstrip(".")
    return f"has no value{meaning}; write its value" + (f" ({what})" if what else "")


@dataclass
class Field:
    """One key of a Record: its kind, whether it is required, and what it is for."""

    name: str
    kind: Kind
    required: bool = False
    doc: str = ""
    # Words that differ by language: a translation's value wins (content/translations.py);
    # any other field is shared by every language, and a translation must leave it as it is.
    translatable: bool = False


@dataclass
class Record(Kind):
    """A mapping with known keys.  Unknown keys are errors, with a hint."""

    fields: list[Field]
    name: str = "mapping"
    rules: list[Callable[[dict, Where, Problems], None]] = field(default_factory=list)

    def describe(self) -> str:
        return f"a mapping of {self.name} keys"

    def advice(self, value: Any) -> str:
        return "write its keys on the lines below, each 'key: value' and indented by two spaces"

    def check(self, value, where, problems):
        if not isinstance(value, dict):
            return self.wrong(value, where, problems)
        known = {f.name: f for f in self.fields}
        located = value if isinstance(value, LocatedDict) else None
        out: dict[str, Any] = {}
        present = set()
        for key, raw in value.items():
            one = known.get(key)
            if one is None:
                spot = where.child(key, located.where(key) if located is not None else where.pos)
                hint = did_you_mean(key, known) or "; remove it, or correct its spelling"
                spot.report(problems, f"unknown key '{key}' in {self.name}{hint}")
                continue
            spot = where.child(key, located.value_where(key) if located is not None else where.pos)
            written = located.written_as(key) if located is not None else None
            if written is not None:   # (given() leaves RAW as it is without)
                raw = given(one.kind, raw, written)
            if raw is None:
                if one.required:
                    present.add(key)
                    if written == "" and located is not None:
                        spot = where.child(key, located.where(key))
                        spot.pos = (spot.pos[0], spot.pos[1] + len(key) + 1)
                    spot.report(problems, _no_value(one, written))
                continue
            present.add(key)
            checked = one.kind.check(raw, spot, problems)
            if checked is not None:
                out[key] = checked
        complete = True
        for f in self.fields:
            if f.required and f.name not in present:
                where.report(problems, f"missing required key '{f.name}' in {self.name}; add '{f.name}:'"
                                       " with its value")
            if f.required and f.name not in out:
                complete = False
        for rule in self.rules:
            rule(out, where, problems)
        # A record without its required values cannot be used; its problems are reported.
        return out if complete else None
