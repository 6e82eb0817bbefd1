"""PyYAML's loaders as sitegen reads YAML with them: mappings and lists built as
Located containers, the text of guessed scalars kept, timestamps left as text,
and problems with string values collected (sitegen.content.yamlsource says why,
and parses with them).  Imported with PyYAML by the first file that needs the
parser: plain files are read without it.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import yaml

from ..xmltext import NOT_XML_CHARACTERS, has_forbidden
from .located import LocatedDict, LocatedList, Pos, character_message, implicit_resolvers
from .yamlhints import quoted

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


_LocatingLoader.yaml_implicit_resolvers = implicit_resolvers()   # SafeLoader's, less timestamps
# What _LocatingLoader.resolve leaves out: resolvers for any first character, and path resolvers.
assert None not in _LocatingLoader.yaml_implicit_resolvers and not _LocatingLoader.yaml_path_resolvers


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
