"""YAML that remembers where each value came from, and what the editor wrote.

Mappings load as `LocatedDict` and sequences as `LocatedList`; both know the
line and column of the node itself and of each key or item, so a validator can
say `area.yaml:12:5: ...` about any value.  Dates and times stay as strings:
the schema parses them, so an impossible date is a clear message rather than an
exception from inside PyYAML.

Text is text: YAML 1.1 reads some unquoted values as numbers, booleans or null
(`02071234567` as the octal number 283457911, `No` as false, `1.10` as 1.1).
The containers keep each such value exactly as written (`written_as`), and the
schema takes that text wherever it expects text, so nothing the editor did not
write reaches a page.  Mapping keys are always the text written.

Untrusted structure is bounded: text over `MAX_TEXT_BYTES`, nesting deeper than
`MAX_DEPTH`, and more than `MAX_NODES` values once aliases are expanded are
refused with a located problem, and so is any character XML 1.0 forbids, also
when written as an escape like "\\x1f".

A story's front matter made only of 'key: text' lines is read without the
parser, as the parser reads it (_flat_mapping).  The parser itself, PyYAML's side,
is sitegen.content.yamlloader, imported only when a text must be parsed: within a
parse memo (sitegen.content.yamlmemo), a text read before is not parsed again.
"""
from __future__ import annotations

import errno
import os
import pickle
import re
from pathlib import Path
from typing import Any

from ..errors import Problem, SitegenError
from ..fileio import read_bytes
from ..sitefiles import refuse_link_out
from ..xmltext import NOT_XML_CHARACTERS, has_forbidden
from .yamlmemo import FLAT, active_memo
from .yamltypes import MAX_DEPTH, MAX_NODES, MAX_TEXT_BYTES, LocatedDict, LocatedList, Pos, character_message

__all__ = ["MAX_DEPTH", "MAX_NODES", "MAX_TEXT_BYTES", "LocatedDict", "LocatedList", "Pos", "as_written",
           "character_message", "character_problems", "load_yaml_file", "parse_yaml", "read_text"]


def as_written(value: Any) -> Any:
    """VALUE with its containers as plain dicts and lists, and every scalar whose
    YAML 1.1 reading would write back differently (`02071234567`, `No`) as its text."""
    if isinstance(value, (dict, list)):
        items = value.items() if isinstance(value, dict) else enumerate(value)
        found = {k: _plain_item(value, k, v) for k, v in items}
        return found if isinstance(value, dict) else list(found.values())
    return value


def _plain_item(container: dict | list, key: Any, value: Any) -> Any:
    text = container.written_as(key) if isinstance(container, (LocatedDict, LocatedList)) else None
    if text is None or (value is None and text in ("", "~")) or _dumped(value) == text:
        return as_written(value)
    return text


def _dumped(value: Any) -> str:
    import yaml
    return yaml.safe_dump(value, default_flow_style=True).removesuffix("\n...\n").strip()


def parse_yaml(text: str, rel_path: str, first_line: int = 1):
    """Parse YAML TEXT into Located containers and scalars; raise SitegenError naming
    REL_PATH:LINE:COL for a syntax error, a forbidden character, or text too large or
    too deeply nested.

    FIRST_LINE shifts reported lines, for YAML that starts part-way into a file
    (front matter).
    """
    if len(text) > MAX_TEXT_BYTES:
        raise SitegenError([Problem(rel_path, first_line, 0, _too_big(len(text)))])
    memo = active_memo()
    if memo is None:
        return _parsed(text, rel_path, first_line)[0]
    key = memo.key(text, first_line)
    entry = memo.get(key)
    if entry == FLAT:
        return _flat_mapping(text, first_line, resolved=True)
    if entry is not None:
        try:
            return pickle.loads(entry)  # noqa: S301 - the build's own cache, made by this code
        except Exception:   # noqa: S110 - a memo is a cache: an entry that does not load is parsed again
            pass
    value, flat = _parsed(text, rel_path, first_line)
    memo.put(key, FLAT if flat else pickle.dumps(value, pickle.HIGHEST_PROTOCOL))
    return value


def _parsed(text: str, rel_path: str, first_line: int) -> tuple[Any, bool]:
    """parse_yaml's TEXT read afresh, and whether the flat reader could read it."""
    flat = _flat_mapping(text, first_line)
    if flat is not None:
        return flat, True
    from .yamlloader import parse_fully
    return parse_fully(text, rel_path, first_line), False


# One line of a flat mapping whose key and value need no parser to read: a lowercase key
# (of at most 64 characters: libyaml refuses a key of over 1,024, with its own words),
# ': ', then unquoted text starting with a letter or digit, ending with no space, and holding
# none of the characters YAML gives a meaning to somewhere in such text ('#' a comment, ':'
# a key, quotes, brackets, tags, anchors, '\\' escapes...).
_FLAT_VALUE_CHAR = r"[^#:\\\"`|>{}\[\]!&*%@\t]"
_FLAT_LINE = re.compile(rf"([a-z_]{{1,64}}): +([A-Za-z0-9](?:{_FLAT_VALUE_CHAR}*(?! ){_FLAT_VALUE_CHAR})?)\Z")
# A flat mapping of more lines than this is left to the parser, which bounds the values (MAX_NODES).
_FLAT_MOST_LINES = 200


def _flat_mapping(text: str, first_line: int, resolved: bool = False) -> LocatedDict | None:
    """TEXT read as parse_yaml reads it, without the parser, when it is lines of 'key: text'
    only (a story's front matter: title, date, summary), or None for any other text.

    A value is taken as text only when none of YAML 1.1's implicit resolvers (numbers,
    true/false, null) takes it: the loader's own resolvers decide, so it is text here
    exactly when it would be text there (RESOLVED: they have looked at TEXT's values
    before, and taken none: a parse memo's FLAT).  Every line must be printable (str.isprintable:
    no control, separator or unassigned character, which YAML might refuse or take for a
    line end).  Positions are the parser's: each key at column 1, its value where it
    starts, the mapping at its first key."""
    if "\n " in text or "\n-" in text:
        return None   # a line indented or a list item: a key of a mapping in a mapping, or a list
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or len(lines) > _FLAT_MOST_LINES:
        return None
    resolvers = {} if resolved else _implicit_resolvers()
    result = LocatedDict()
    result.pos = (first_line, 1)
    result.key_pos = key_pos = {}
    result.value_pos = value_pos = {}
    result.written = {}
    for number, line in enumerate(lines, start=first_line):
        match = _FLAT_LINE.match(line)
        if match is None or not line.isprintable():
            return None
        key, value = match[1], match[2]
        if key in result:
            return None
        for _, pattern in resolvers.get(value[0], ()):
            if pattern.match(value):
                return None
        result[key] = value
        key_pos[key] = (number, 1)
        value_pos[key] = (number, match.start(2) + 1)
    return result


def _implicit_resolvers() -> dict:
    """The YAML loader's implicit resolvers: {first character: [(tag, pattern)]}."""
    from .yamlloader import IMPLICIT_RESOLVERS
    return IMPLICIT_RESOLVERS


def _too_big(size: int) -> str:
    return (f"is {size:,} bytes; the most sitegen reads from one file is {MAX_TEXT_BYTES:,},"
            " so split it into smaller files")


def load_yaml_file(path: Path, rel_path: str):
    """Read and parse the YAML file at PATH (REL_PATH is how errors name it)."""
    return parse_yaml(read_text(path, rel_path), rel_path)


def read_text(path: Path, rel_path: str) -> str:
    """The text of PATH as editors save it: UTF-8 with or without a byte-order mark,
    with CRLF or LF line ends (returned with LF only, and no U+FEFF at the start).

    Raises SitegenError (exit 1) located at REL_PATH:LINE:COL when the file is not
    UTF-8, is over MAX_TEXT_BYTES, holds characters XML 1.0 forbids, cannot be read,
    or is a link leading outside the site (sitegen/sitefiles.py).
    """
    try:
        data = _read_let_through(path, rel_path)
    except OSError as exc:
        problem = Problem(rel_path, 0, 0,
                          f"cannot be read ({exc.strerror}); check that it is a "
                          "readable file, and what it points to if it is a link")
        raise SitegenError([problem]) from None
    if len(data) > MAX_TEXT_BYTES:
        raise SitegenError([Problem(rel_path, 0, 0, _too_big(path.stat().st_size))])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SitegenError([Problem(rel_path, line, 0,
                                    "is not UTF-8 text; save the file as UTF-8")]) from None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems = character_problems(text, rel_path)
    if problems:
        raise SitegenError(problems)
    return text


def _read_let_through(path: Path, rel_path: str) -> bytes:
    """The first MAX_TEXT_BYTES + 1 bytes of PATH, once sitefiles.refuse_link_out lets it through.
    A file it found no link on the way to is opened without following one: one an editor (or
    anyone) has swapped for a link since, mid-build, is looked at again, not read through."""
    if not refuse_link_out(path, rel_path):
        return read_bytes(path, MAX_TEXT_BYTES + 1)
    try:
        return read_bytes(path, MAX_TEXT_BYTES + 1, os.O_NOFOLLOW)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
    refuse_link_out(path, rel_path, again=True)
    return read_bytes(path, MAX_TEXT_BYTES + 1)


def character_problems(text: str, rel_path: str, first_line: int = 1, limit: int = 20) -> list[Problem]:
    """A located problem for each line of TEXT holding a character XML 1.0 forbids
    (the first LIMIT lines of them); FIRST_LINE is the file line TEXT starts on."""
    problems: list[Problem] = []
    if not has_forbidden(text):
        return problems
    for number, line in enumerate(text.split("\n"), start=first_line):
        first = NOT_XML_CHARACTERS.search(line)
        if first:
            found = NOT_XML_CHARACTERS.findall(line)
            col = first.start() + 1
            problems.append(Problem(rel_path, number, col, character_message(*dict.fromkeys(found))))
            if len(problems) == limit:
                break
    return problems
