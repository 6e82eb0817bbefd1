"""PyYAML's side of sitegen's YAML (sitegen.content.yamlsource reads with it): the loaders
that build Located containers, what they refuse, and the words for a syntax error.

Imported only where a text must be parsed: a build that finds every text it reads in the
parse memo (sitegen.content.yamlmemo) imports no PyYAML, 10 ms of a one-area edit.
"""
from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING, Any, cast

import yaml

from ..errors import Problem, SitegenError
from ..xmltext import NOT_XML_CHARACTERS, has_forbidden
from .yamlhints import quoted, syntax_message
from .yamltypes import MAX_DEPTH, MAX_NODES, LocatedDict, LocatedList, Pos, character_message

if TYPE_CHECKING:  # a base class must be one type to the checker; both loaders have SafeLoader's interface
    _BaseLoader = yaml.SafeLoader
else:
    try:  # libyaml's parser is several times faster; positions are the same
        _BaseLoader = yaml.CSafeLoader
    except AttributeError:  # pragma: no cover - PyYAML built without libyaml
        _BaseLoader = yaml.SafeLoader

_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|[0abtvfe])")
_NAMED_ESCAPES = {"0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "v": "\x0b", "f": "\x0c", "e": "\x1b"}
# After a key: the colon, spaces, then '#' and a non-space: a value YAML reads as a comment.
_VALUE_AS_COMMENT = re.compile(r":[ \t]+(#\S.*)")
_GUESSED_TAGS = {f"tag:yaml.org,2002:{name}" for name in ("int", "float", "bool", "null")}
_STR_TAG = "tag:yaml.org,2002:str"


class _LocatingLoader(_BaseLoader):
    """SafeLoader that builds Located containers, keeps guessed scalars' text,
    leaves timestamps as text and collects problems with string values."""

    line_offset = 0
    problems: list
    source_text = ""
    # False when no string can hold a character XML forbids: the source has none, nor a '\\' to escape one.
    strings_to_check = True

    # False when no key can be a merge key ('<<') or a value key ('='), so flatten_mapping,
    # which turns those into plain keys, has nothing to do (_may_flatten).
    keys_to_flatten = True

    def mark(self, node: yaml.Node) -> Pos:
        """The (line, col) where NODE starts, counted from 1 and in the whole file."""
        return node.start_mark.line + 1 + self.line_offset, node.start_mark.column + 1

    # libyaml's composer asks these three of every node.  This loader has no path resolvers
    # (asserted below), so descending and ascending do nothing, and a scalar's tag is the
    # first implicit resolver matching it, else text: BaseResolver.resolve's answer, without
    # the lists it joins and the path lookups it makes for each value.
    def descend_resolver(self, current_node: yaml.Node | None, current_index: object) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode:
            if implicit[0]:
                assert value is not None, "a scalar has its text"
                for tag, regexp in self.yaml_implicit_resolvers.get(value[:1], ()):
                    if regexp.match(value):
                        return tag
            return self.DEFAULT_SCALAR_TAG
        return super().resolve(kind, value, implicit)


_LocatingLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
# What _LocatingLoader.resolve leaves out: resolvers for any first character, and path resolvers.
assert None not in _LocatingLoader.yaml_implicit_resolvers and not _LocatingLoader.yaml_path_resolvers


def _may_flatten(text: str) -> bool:
    """Whether a mapping key in TEXT may be a merge key or a value key, which flatten_mapping
    turns into plain keys: only a plain '<<' or '=' resolves to one (an explicit '!!merge' or
    '!!value' tag is refused before construction, _refused_syntax), '%' for a directive."""
    return "<<" in text or "=" in text or "%" in text


def _guessed_text(node: yaml.Node) -> str | None:
    """NODE's text when it is an unquoted scalar YAML 1.1 read as something other than text."""
    # libyaml marks an unquoted scalar with style '' and PyYAML's own parser with None.
    if isinstance(node, yaml.ScalarNode) and not node.style and node.tag in _GUESSED_TAGS:
        return node.value
    return None


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    # Not a generator, as PyYAML's own are: _shape_problem has refused any recursive alias
    # before construction, and a plain function saves PyYAML's generator bookkeeping per node.
    result = LocatedDict()
    mark = loader.mark
    result.pos = mark(node)
    result.key_pos, result.value_pos, result.written = key_pos, value_pos, written = {}, {}, {}
    if loader.keys_to_flatten:
        loader.flatten_mapping(node)
    plain_text = not loader.strings_to_check
    for key_node, value_node in node.value:
        if plain_text and key_node.tag == _STR_TAG and isinstance(key_node, yaml.ScalarNode):
            key = key_node.value   # what the lines below give such a key, without their three calls
        else:
            key = _construct_child(loader, key_node)
            guessed = _guessed_text(key_node)
            key = guessed if guessed is not None else key if isinstance(key, str) else str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in this mapping", key_node.start_mark)
        key_pos[key] = mark(key_node)
        if plain_text and value_node.tag == _STR_TAG and isinstance(value_node, yaml.ScalarNode):
            # Text with nothing to check: what the lines below give it (it is no guessed type, nor
            # None), without their calls; most values of a ward's file are such text.
            result[key] = value_node.value
            value_pos[key] = mark(value_node)
            continue
        value = result[key] = _construct_child(loader, value_node)
        if isinstance(value_node, yaml.ScalarNode):
            value_pos[key] = mark(value_node)
            if _guessed_text(value_node) is not None:
                written[key] = value_node.value
            if value is None and value_node.value == "":
                _note_value_read_as_comment(loader, key, key_node)
    return result


def _construct_child(loader: _LocatingLoader, node: yaml.Node) -> Any:
    """NODE's value as construct_object(NODE, deep=True) gives it; a string with nothing
    to check (most values) is its text, without PyYAML's dispatch per node."""
    if not loader.strings_to_check and node.tag == _STR_TAG and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _note_value_read_as_comment(loader: _LocatingLoader, key: str, key_node: yaml.Node) -> None:
    """Record a problem when KEY has no value because what follows `KEY: ` is a '#'
    with no space after it (`brand: #d4351c`): YAML reads that as a comment, which
    the editor almost never means.  `key:  # note` stays an allowed comment."""
    start = key_node.end_mark.index
    end = loader.source_text.find("\n", start)
    match = _VALUE_AS_COMMENT.match(loader.source_text, start, end if end >= 0 else len(loader.source_text))
    if match:
        written = match[1].rstrip()
        line, _ = loader.mark(key_node)
        col = key_node.end_mark.column + match.start(1) - start + 1
        loader.problems.append((line, col, f"{key}: '{written}' is read as a comment, so {key} has no value;"
                                           f" put it in quotes: {key}: {quoted(written)}"))


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList()
    result.pos = loader.mark(node)
    result.item_pos = [loader.mark(child) for child in node.value]
    result.written = {i: child.value for i, child in enumerate(node.value)
                      if _guessed_text(child) is not None}
    result.extend([_construct_child(loader, child) for child in node.value])
    return result


def _construct_str(loader: _LocatingLoader, node: yaml.ScalarNode) -> str:
    value = loader.construct_scalar(node)
    if not loader.strings_to_check or not has_forbidden(value):
        return value
    for char in sorted(set(NOT_XML_CHARACTERS.findall(value))):
        line, col = _escape_position(loader, node, char)
        loader.problems.append((line, col, character_message(char)))
    return value


def _escape_position(loader: _LocatingLoader, node: yaml.ScalarNode, char: str) -> Pos:
    """Where CHAR is written in NODE's source (as an escape like \\x1f), or where NODE starts."""
    source = getattr(loader, "source_text", "")[node.start_mark.index:node.end_mark.index]
    for match in _ESCAPE.finditer(source):
        code = match[1]
        if _NAMED_ESCAPES.get(code) == char or (len(code) > 1 and int(code[1:], 16) == ord(char)):
            before = source[:match.start()]
            line = node.start_mark.line + before.count("\n")
            if "\n" in before:
                col = match.start() - before.rfind("\n")
            else:
                col = node.start_mark.column + match.start() + 1
            return line + 1 + loader.line_offset, col
    return loader.mark(node)


def _lenient(construct):
    """CONSTRUCT, but a number PyYAML cannot convert (`0b_`, `1:_`) stays the text written:
    the schema reads that text itself, and a ValueError here would be a traceback."""
    def build(loader: _LocatingLoader, node: yaml.ScalarNode):
        try:
            return construct(loader, node)
        except (ValueError, OverflowError):
            return node.value
    return build


_LocatingLoader.add_constructor("tag:yaml.org,2002:int", _lenient(yaml.SafeLoader.construct_yaml_int))
_LocatingLoader.add_constructor("tag:yaml.org,2002:float", _lenient(yaml.SafeLoader.construct_yaml_float))
_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)
_LocatingLoader.add_constructor("tag:yaml.org,2002:str", _construct_str)


class _PythonLocatingLoader(yaml.SafeLoader):
    """_LocatingLoader on PyYAML's own scanner, for what libyaml wrongly refuses: a block
    scalar whose first line of content has a tab after the block's indentation
    (`summary: |` then '  <tab>text'), which YAML reads as content, as PyYAML does."""

    line_offset = 0
    problems: list
    source_text = ""
    strings_to_check = True
    keys_to_flatten = True
    mark = _LocatingLoader.mark
    yaml_implicit_resolvers = _LocatingLoader.yaml_implicit_resolvers
    yaml_constructors = _LocatingLoader.yaml_constructors


# libyaml's words when it takes a tab in a block scalar's first line for indentation.
_LIBYAML_BLOCK_TAB = "found a tab character where an indentation space is expected"


def parse_fully(text: str, rel_path: str, first_line: int):
    """yamlsource.parse_yaml's TEXT read by libyaml (PyYAML's own scanner where libyaml errs)."""
    try:
        return _parse_with(_LocatingLoader, text, rel_path, first_line)
    except yaml.MarkedYAMLError as exc:
        if _LIBYAML_BLOCK_TAB not in str(exc.problem):
            raise SitegenError([_syntax_problem(exc, text, rel_path, first_line)]) from None
    try:   # PyYAML's scanner tells a tab in the content from one used to indent
        return _parse_with(_PythonLocatingLoader, text, rel_path, first_line)
    except yaml.MarkedYAMLError as exc:
        raise SitegenError([_syntax_problem(exc, text, rel_path, first_line)]) from None


def _parse_with(loader_class: type[_LocatingLoader] | type[_PythonLocatingLoader], text: str, rel_path: str,
                first_line: int):
    """parse_yaml's TEXT read by LOADER_CLASS; raises PyYAML's MarkedYAMLError as it comes
    (parse_yaml words it), and SitegenError for what else is wrong."""
    loader = cast(_LocatingLoader, loader_class(text))   # the same attributes, on another scanner
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
        line, column = self.position(mark.index)
        return yaml.Mark(mark.name, mark.index, line, column, None, 0)

    def position(self, index: int) -> tuple[int, int]:
        """The (line, column), both from 0, of character INDEX."""
        line = bisect.bisect_right(self.starts, index) - 1
        return line, index - self.starts[line]


def _recount_nodes(root: yaml.Node, lines: _LineFeeds) -> list[tuple[int, int]]:
    """Correct the marks of ROOT and every node under it (each once, aliases included);
    return the (start, end) character spans of its quoted scalars."""
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


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, rel_path: str, first_line: int) -> Problem:
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


# What the flat reader (yamlsource._flat_mapping) asks of a value: does any of the loader's
# implicit resolvers take it (as a number, true/false, null)?  {first character: [(tag, pattern)]}.
IMPLICIT_RESOLVERS = _LocatingLoader.yaml_implicit_resolvers
