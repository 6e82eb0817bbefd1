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

Most of a site's files are plain: a story's front matter (lines of 'key: text')
and an area.yaml (mappings and lists, one key or item a line, unquoted values).
Those are read here as PyYAML reads them, without it (_flat_mapping,
_nested_mapping); any other is parsed by PyYAML through the loaders of
sitegen.content.yamlloader, imported (10 ms) by the first file that needs them.
"""
from __future__ import annotations

import bisect
import errno
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from ..errors import Problem, SitegenError
from ..fileio import read_bytes
from ..sitefiles import refuse_link_out
from ..xmltext import NOT_XML_CHARACTERS, has_forbidden
from .located import (
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_BYTES,
    LocatedDict,
    LocatedList,
    Pos,
    character_message,
    implicit_resolvers,
)

if TYPE_CHECKING:
    import yaml

    from .yamlloader import _LocatingLoader, _PythonLocatingLoader

# PyYAML and its loaders (yamlloader) are imported where a file needs the parser; the plainest
# files are read without it (_flat_mapping, _nested_mapping).  The names this module gives are
# the ones callers have always imported from it, the containers' among them.
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


def _may_flatten(text: str) -> bool:
    """Whether a mapping key in TEXT may be a merge key or a value key, which flatten_mapping
    turns into plain keys: only a plain '<<' or '=' resolves to one (an explicit '!!merge' or
    '!!value' tag is refused before construction, _refused_syntax), '%' for a directive."""
    return "<<" in text or "=" in text or "%" in text


def __getattr__(name: str) -> Any:
    """The parser's loaders, asked of this module (as its tests do): from yamlloader, with PyYAML."""
    if name in ("_LocatingLoader", "_PythonLocatingLoader"):
        from . import yamlloader
        return getattr(yamlloader, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# libyaml's words when it takes a tab in a block scalar's first line for indentation.
_LIBYAML_BLOCK_TAB = "found a tab character where an indentation space is expected"


def parse_yaml(text: str, rel_path: str, first_line: int = 1):
    """Parse YAML TEXT into Located containers and scalars; raise SitegenError naming
    REL_PATH:LINE:COL for a syntax error, a forbidden character, or text too large or
    too deeply nested.

    FIRST_LINE shifts reported lines, for YAML that starts part-way into a file
    (front matter).
    """
    if len(text) > MAX_TEXT_BYTES:
        raise SitegenError([Problem(rel_path, first_line, 0, _too_big(len(text)))])
    quick = _flat_mapping(text, first_line) or _nested_mapping(text, first_line)
    if quick is not None:
        return quick
    return _parse_fully(text, rel_path, first_line)


def _parse_fully(text: str, rel_path: str, first_line: int):
    """parse_yaml's TEXT read by libyaml (PyYAML's own scanner where libyaml errs)."""
    import yaml

    from .yamlloader import _LocatingLoader, _PythonLocatingLoader
    try:
        return _parse_with(_LocatingLoader, text, rel_path, first_line)
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_BLOCK_TAB not in str(exc.problem):
            raise SitegenError([_syntax_problem(exc, text, rel_path, first_line)]) from None
    try:   # PyYAML's scanner tells a tab in the content from one used to indent
        return _parse_with(_PythonLocatingLoader, text, rel_path, first_line)
    except yaml.MarkedYAMLError as exc:
        raise SitegenError([_syntax_problem(exc, text, rel_path, first_line)]) from None


# One line of a flat mapping whose key and value need no parser to read: a lowercase key
# (of at most 64 characters: libyaml refuses a key of over 1,024, with its own words),
# ': ', then unquoted text starting with no indicator (_FLAT_FIRST), ending with no space, and holding
# no '#' (after a space, a comment) and no tab.  After its first character, an unquoted value
# (a plain scalar, out of brackets) ends only at ': ', ' #' or the line's end: quotes, brackets,
# '&', '*', '!', '@', '%', '|', '>' and '\\' are text there.  A ':' is a key's end only before
# a space or the line's end: one before another character is text, as in https://....
_FLAT_VALUE_CHAR = r"[^#:\t]"
_FLAT_TEXT = rf"(?:{_FLAT_VALUE_CHAR}|:(?! )(?={_FLAT_VALUE_CHAR}))"   # a colon only before text
# Its first character is none of YAML's indicators, which start something else there (a list
# item, a key, a quote, a tag, an anchor, a block of text, brackets...).
_FLAT_FIRST = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`]"
_FLAT_VALUE = rf"{_FLAT_FIRST}(?:{_FLAT_TEXT}*(?! ){_FLAT_VALUE_CHAR})?"
_FLAT_LINE = re.compile(rf"([a-z_]{{1,64}}): +({_FLAT_VALUE})\Z")
# A flat mapping of more lines than this is left to the parser, which bounds the values (MAX_NODES).
_FLAT_MOST_LINES = 200


def _flat_mapping(text: str, first_line: int) -> LocatedDict | None:
    """TEXT read as parse_yaml reads it, without the parser, when it is lines of 'key: text'
    only (a story's front matter: title, date, summary), or None for any other text.

    A value is taken as text only when none of YAML 1.1's implicit resolvers (numbers,
    true/false, null) takes it: the parser's own resolvers decide, so it is text here
    exactly when it would be text there.  Every line must be printable (str.isprintable:
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
    resolvers = implicit_resolvers()
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

# A line of a nested mapping the quick reading takes: its indentation, '- ' when it starts an item
# of a list, then 'key: text' (groups 3, 4), 'key:' (a mapping or list below it: group 3) or, in
# a list, text (group 5); text and keys as in a flat mapping.
_NESTED_LINE = re.compile(rf"( *)(- +)?(?:([a-z_]{{1,64}}):(?: +({_FLAT_VALUE}))?|({_FLAT_VALUE}))\Z")
_INT_TAG = "tag:yaml.org,2002:int"
# An int YAML reads as the decimal number written (a longer one, past int()'s limit of digits,
# the parser keeps as text: left to it).
_DECIMAL = re.compile(r"0|[1-9][0-9]{0,17}")
_MOST_DEPTH = 20   # mappings and lists in each other; deeper ones are left to the parser (MAX_DEPTH)


class _NotQuick(Exception):
    """The text is not of the kind the quick reading takes: the parser reads it."""


# One line read by _NESTED_LINE: (file line, column of its '-' or -1, column of its key or
# text, key or None, text or None, column of the text + 1); columns from 0.
_Line = tuple[int, int, int, "str | None", "str | None", int]


def _nested_mapping(text: str, first_line: int) -> LocatedDict | None:
    """TEXT read as parse_yaml reads it, without the parser, when it is a mapping of
    mappings and lists written in blocks, one key or item a line (an area.yaml), with
    values of text or decimal numbers, or None for any other text (a comment, quotes,
    a number of another kind, true/false or null, text over several lines, a tab...).

    What a flat mapping may hold, it may hold; its values are text as _flat_mapping's are,
    and a value the resolvers read as an int written in decimal ('8007') is that int, its
    text kept as written (LocatedDict.written_as), as the parser keeps it.  A list or mapping
    below a key is indented further than the key; empty lines are let be.  Positions are the
    parser's: a key and a text where they start, a list at its first '-', a mapping at its
    first key (test_A_nested_yaml compares them)."""
    lines: list[_Line] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line:
            continue
        match = _NESTED_LINE.match(line)
        if match is None or not line.isprintable():
            return None
        indent, dash = len(match[1]), match[2] or ""
        value = match[4] if match[3] is not None else match[5]
        if match[3] is None and not dash:
            return None   # text on a line of its own: a value over several lines
        lines.append((number, indent if dash else -1, indent + len(dash), match[3], value,
                      match.start(4 if match[3] is not None else 5) + 1))
    if not lines or len(lines) > _FLAT_MOST_LINES or lines[0][1] >= 0 or lines[0][2] != 0:
        return None
    reading = _Nested(lines)
    try:
        result = reading.mapping(0, 1)
    except _NotQuick:
        return None
    return result if reading.at == len(lines) else None


class _Nested:
    """_nested_mapping's reading of LINES, from line AT on."""

    def __init__(self, lines: list[_Line]):
        self.lines, self.at = lines, 0
        self.resolvers = implicit_resolvers()

    def mapping(self, col: int, depth: int) -> LocatedDict:
        """The mapping whose keys are at column COL, from line AT (which may start a list's item)."""
        if depth > _MOST_DEPTH:
            raise _NotQuick
        result = LocatedDict()
        key_pos: dict[str, Pos] = {}
        value_pos: dict[str, Pos] = {}
        written: dict[str, str] = {}
        result.key_pos, result.value_pos, result.written = key_pos, value_pos, written
        while self.at < len(self.lines):
            number, dash, start, key, value, value_col = self.lines[self.at]
            if key_pos:   # past the first key: only keys at COL, each on a line of its own
                if (dash if dash >= 0 else start) < col:
                    break
                if dash >= 0 or start != col:
                    raise _NotQuick
            if key is None or key in result:
                raise _NotQuick
            if not key_pos:
                result.pos = (number, start + 1)
            key_pos[key] = (number, start + 1)
            self.at += 1
            if value is None:
                result[key] = self.below(col, depth + 1)
                continue
            result[key], guessed = self.scalar(value)
            value_pos[key] = (number, value_col)
            if guessed:
                written[key] = value
        return result

    def sequence(self, col: int, depth: int) -> LocatedList:
        """The list whose '-' are at column COL, from line AT."""
        if depth > _MOST_DEPTH:
            raise _NotQuick
        result = LocatedList()
        result.pos = (self.lines[self.at][0], col + 1)
        item_pos: list[Pos] = []
        written: dict[int, str] = {}
        result.item_pos, result.written = item_pos, written
        while self.at < len(self.lines):
            number, dash, start, key, value, value_col = self.lines[self.at]
            if (dash if dash >= 0 else start) < col:
                break
            if dash != col:
                raise _NotQuick
            if key is not None:
                item_pos.append((number, start + 1))
                result.append(self.mapping(start, depth + 1))
                continue
            assert value is not None, "an item is a key or text"
            self.at += 1
            item, guessed = self.scalar(value)
            item_pos.append((number, value_col))
            if guessed:
                written[len(result)] = value
            result.append(item)
        return result

    def below(self, col: int, depth: int) -> LocatedDict | LocatedList:
        """The mapping or list below a key at column COL with no value on its line."""
        if self.at == len(self.lines):
            raise _NotQuick   # no value: null
        _, dash, start, _, _, _ = self.lines[self.at]
        if (dash if dash >= 0 else start) <= col:
            raise _NotQuick   # no value, or a list as far in as its key (YAML takes it; this does not)
        return self.sequence(dash, depth) if dash >= 0 else self.mapping(start, depth)

    def scalar(self, value: str) -> tuple[str | int, bool]:
        """VALUE as the parser reads it, and whether that is other than its text."""
        for tag, pattern in self.resolvers.get(value[0], ()):
            if pattern.match(value):
                if tag == _INT_TAG and _DECIMAL.fullmatch(value):
                    return int(value), True
                raise _NotQuick
        return value, False


def _parse_with(loader_class: type[_LocatingLoader] | type[_PythonLocatingLoader], text: str, rel_path: str,
                first_line: int):
    """parse_yaml's TEXT read by LOADER_CLASS; raises PyYAML's MarkedYAMLError as it comes
    (parse_yaml words it), and SitegenError for what else is wrong."""
    import yaml
    loader = cast("_LocatingLoader", loader_class(text))   # the same attributes, on another scanner
    loader.line_offset, loader.problems, loader.source_text = first_line - 1, [], text
    loader.strings_to_check = "\\" in text or has_forbidden(text)
    loader.keys_to_flatten = _may_flatten(text)
    try:
        return _load(loader, rel_path)
    except yaml.MarkedYAMLError:
        raise
    except yaml.reader.ReaderError as exc:
        raise SitegenError([_reader_problem(exc, text, rel_path, first_line)]) from None
    except yaml.YAMLError as exc:
        raise SitegenError([Problem(rel_path, first_line, 0, f"YAML syntax: {exc}; check the file's"
                                                              " indentation and quotes")]) from None
    finally:
        loader.dispose()


def _load(loader: _LocatingLoader, rel_path: str):
    node = loader.get_single_node()
    if node is None:
        return None
    shape = _shape_problem(node)
    if not shape and ("!" in loader.source_text or "<<" in loader.source_text):   # else nothing to refuse
        refused = _refused_syntax(loader, node)
        if refused:
            raise SitegenError([Problem(rel_path, line, col, message) for line, col, message in refused])
    if not shape and _OTHER_BREAKS.search(loader.source_text):
        lines = _LineFeeds(loader.source_text)
        quoted_spans = _recount_nodes(node, lines)
        unquoted = _unquoted_breaks(loader.source_text, quoted_spans, lines)
        if unquoted:
            raise SitegenError([Problem(rel_path, line + loader.line_offset, col, message)
                                for line, col, message in unquoted])
    if shape:
        line, col = loader.mark(shape[0] or node)
        raise SitegenError([Problem(rel_path, line, col, shape[1])])
    value = loader.construct_document(node)
    if loader.problems:
        raise SitegenError([Problem(rel_path, line, col, message) for line, col, message in loader.problems])
    return value


# An explicit tag (`!!null x`, `!thing x`), possibly after an anchor: group 1 is the tag.
_EXPLICIT_TAG = re.compile(r"(?:&\S+[ \t]+)?(![^ \t\n,\]}]*)")
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _refused_syntax(loader: _LocatingLoader, root: yaml.Node) -> list[tuple[int, int, str]]:
    """(line, col, message) for each YAML feature editors never need and that would
    change what is published without showing it: explicit tags (`name: !!null x`
    publishes nothing, `!!bool yes` true) and '<<' merge keys (whose overriding
    keys look like duplicates).  `!!str` is allowed: it only says "text"."""
    import yaml
    lines: _LineFeeds | None = None
    found: list[tuple[int, int, str]] = []
    stack, seen = [root], set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        tag = _EXPLICIT_TAG.match(loader.source_text, node.start_mark.index)
        if tag and tag[1] not in ("!!str", "!"):
            lines = lines or _LineFeeds(loader.source_text)
            found.append(_located(loader, lines, tag.start(1), _tag_message(tag[1])))
        if isinstance(node, yaml.MappingNode):
            for key, _ in node.value:
                if key.tag == _MERGE_TAG:
                    lines = lines or _LineFeeds(loader.source_text)
                    found.append(_located(loader, lines, key.start_mark.index,
                                          "'<<' (YAML merge keys) is not supported; write the keys out"))
            stack.extend(child for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return sorted(found)


def _tag_message(tag: str) -> str:
    """What to do about TAG: a '!!' tag was meant as one; a single '!' is likely text."""
    if tag.startswith("!!"):
        return (f"'{tag}' is a YAML tag, which sitegen does not take; "
                f"remove the '{tag}' and write the value as text")
    return "a value starting with '!' is read as a YAML tag; put the value in quotes"


def _located(loader: _LocatingLoader, lines: _LineFeeds, index: int, message: str) -> tuple[int, int, str]:
    line, column = lines.position(index)
    return line + 1 + loader.line_offset, column + 1, message


# YAML 1.1, and so PyYAML's marks, also count NEL, LS and PS as line ends;
# editors and sitegen count "\n" only.
_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")


class _LineFeeds:
    """Where each line of a text starts, lines ending at "\n" only."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in re.finditer("\n", text)]

    def recount(self, mark: yaml.Mark) -> yaml.Mark:
        """MARK with its line and column (from 0) counted from its character index."""
        import yaml
        line, column = self.position(mark.index)
        return yaml.Mark(mark.name, mark.index, line, column, None, 0)

    def position(self, index: int) -> tuple[int, int]:
        """The (line, column), both from 0, of character INDEX."""
        line = bisect.bisect_right(self.starts, index) - 1
        return line, index - self.starts[line]


def _recount_nodes(root: yaml.Node, lines: _LineFeeds) -> list[tuple[int, int]]:
    """Correct the marks of ROOT and every node under it (each once, aliases included);
    return the (start, end) character spans of its quoted scalars."""
    import yaml
    stack, seen, quoted = [root], set(), []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark, node.end_mark = lines.recount(node.start_mark), lines.recount(node.end_mark)
        if isinstance(node, yaml.ScalarNode) and node.style in ('"', "'"):
            quoted.append((node.start_mark.index, node.end_mark.index))
        if isinstance(node, yaml.MappingNode):
            stack.extend(child for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return quoted


def _unquoted_breaks(text: str, quoted: list[tuple[int, int]],
                     lines: _LineFeeds) -> list[tuple[int, int, str]]:
    """(line, col, message) for each NEL, LS or PS in TEXT outside the QUOTED spans: YAML
    ends the line there, so `summary: A<U+2028>b: x` would silently become two keys."""
    found = []
    for match in _OTHER_BREAKS.finditer(text):
        if not any(start <= match.start() < end for start, end in quoted):
            line, column = lines.position(match.start())
            found.append((line + 1, column + 1,
                          f"an invisible U+{ord(match[0]):04X} (line separator) here, which YAML "
                          "reads as the end of the line; delete it, or put the whole value in quotes"))
    return found


def _shape_problem(root: yaml.Node) -> tuple[yaml.Node | None, str] | None:
    """The first node nested too deep, or (None) the file holding too many values,
    walked as loading would expand its aliases."""
    return None if _shape_fine(root) else _first_shape_fault(root)


def _first_shape_fault(root: yaml.Node) -> tuple[yaml.Node | None, str] | None:
    """_shape_problem, by walking ROOT depth first (in the order that names the node at fault)."""
    import yaml
    stack, seen = [(root, 1)], 0
    while stack:
        node, depth = stack.pop()
        seen += 1
        if depth > MAX_DEPTH:
            return node, (f"lists and mappings are nested more than {MAX_DEPTH} deep here; sitegen's "
                          "files need only a few levels, so check the indentation and the brackets")
        if seen > MAX_NODES:
            return None, (f"holds more than {MAX_NODES:,} values once its aliases (*name) are expanded;"
                          " write the values out, or split the file")
        if isinstance(node, yaml.MappingNode):
            stack.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in node.value)
    return None


def _shape_fine(root: yaml.Node) -> bool:
    """Whether ROOT has no node nested deeper than MAX_DEPTH and at most MAX_NODES values,
    counted as loading would expand its aliases: what _shape_problem's walk finds no fault
    in, found a level at a time (half the time; that walk, in its order, names the
    node at fault when there is one)."""
    import yaml
    level, depth, count = [root], 1, 0
    while level:
        count += len(level)
        if depth > MAX_DEPTH or count > MAX_NODES:
            return False
        below: list[yaml.Node] = []
        for node in level:
            if isinstance(node, yaml.MappingNode):
                for pair in node.value:
                    below += pair
            elif isinstance(node, yaml.SequenceNode):
                below += node.value
            else:
                continue
            if count + len(below) > MAX_NODES:
                return False
        level, depth = below, depth + 1
    return True


def _too_big(size: int) -> str:
    return (f"is {size:,} bytes; the most sitegen reads from one file is {MAX_TEXT_BYTES:,},"
            " so split it into smaller files")


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel_path: str, first_line: int) -> Problem:
    from .yamlhints import syntax_message
    if _OTHER_BREAKS.search(text):
        lines = _LineFeeds(text)
        if exc.problem_mark:
            exc.problem_mark = lines.recount(exc.problem_mark)
        if exc.context_mark:
            exc.context_mark = lines.recount(exc.context_mark)
    line, col, message = syntax_message(exc, text)
    return Problem(rel_path, line + first_line, col, message)


def _reader_problem(exc: yaml.reader.ReaderError, text: str, rel_path: str, first_line: int) -> Problem:
    before = text[:exc.position]
    line = before.count("\n")
    col = exc.position - before.rfind("\n")
    char = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    return Problem(rel_path, line + first_line, col, character_message(char))


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
