"""YAML that remembers where each value came from.

Mappings load as `LocatedDict` and sequences as `LocatedList`; both know the
line and column of the node itself and of each key or item, so a validator can
say `area.yaml:12:5: ...` about any value.  Dates and times stay as strings:
the schema parses them, so an impossible date is a clear message rather than an
exception from inside PyYAML.
"""
from __future__ import annotations

from pathlib import Path

import yaml

from ..errors import Problem, SitegenError
from ..sitefiles import refuse_link_out

try:  # libyaml's parser is several times faster; positions are the same
    _BaseLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _BaseLoader = yaml.SafeLoader

Pos = tuple[int, int]


class LocatedDict(dict):
    """A dict with the (line, col) of itself and of each key."""

    pos: Pos = (0, 0)
    key_pos: dict
    value_pos: dict

    def where(self, key: str) -> Pos:
        """Position of KEY in the source, or of the mapping if it is absent."""
        return self.key_pos.get(key, self.pos)

    def value_where(self, key: str) -> Pos:
        """Position of KEY's value (where a wrong value is), or of the key."""
        return self.value_pos.get(key) or self.where(key)


class LocatedList(list):
    """A list with the (line, col) of itself and of each item."""

    pos: Pos = (0, 0)
    item_pos: list

    def where(self, index: int) -> Pos:
        """Position of item INDEX in the source."""
        return self.item_pos[index] if index < len(self.item_pos) else self.pos


def _mark(node: yaml.Node) -> Pos:
    return node.start_mark.line + 1, node.start_mark.column + 1


class _LocatingLoader(_BaseLoader):
    """SafeLoader that builds Located containers and leaves timestamps as text."""


_LocatingLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _LocatingLoader, node: yaml.MappingNode) -> LocatedDict:
    result = LocatedDict()
    result.pos = _mark(node)
    result.key_pos = {}
    result.value_pos = {}
    yield result
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, str):
            key = str(key)
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"the key '{key}' appears twice in this mapping", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_pos[key] = _mark(key_node)
        if isinstance(value_node, yaml.ScalarNode):
            result.value_pos[key] = _mark(value_node)


def _construct_sequence(loader: _LocatingLoader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList()
    result.pos = _mark(node)
    result.item_pos = [_mark(child) for child in node.value]
    yield result
    result.extend(loader.construct_object(child, deep=True) for child in node.value)


_LocatingLoader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_LocatingLoader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def parse_yaml(text: str, rel_path: str, first_line: int = 1):
    """Parse YAML TEXT; on a syntax error raise SitegenError naming REL_PATH:LINE:COL.

    FIRST_LINE shifts reported lines, for YAML that starts part-way into a file
    (front matter).
    """
    try:
        value = yaml.load(text, Loader=_LocatingLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = (mark.line + first_line) if mark else first_line
        col = (mark.column + 1) if mark else 0
        reason = exc.problem or exc.context or "not valid YAML"
        raise SitegenError([Problem(rel_path, line, col, f"YAML syntax: {reason}{_yaml_hint(reason)}")])
    except yaml.YAMLError as exc:
        raise SitegenError([Problem(rel_path, first_line, 0, f"YAML syntax: {exc}")])
    if first_line != 1:
        _shift(value, first_line - 1)
    return value


def load_yaml_file(path: Path, rel_path: str):
    """Read and parse the YAML file at PATH (REL_PATH is how errors name it)."""
    return parse_yaml(read_text(path, rel_path), rel_path)


def read_text(path: Path, rel_path: str) -> str:
    """Read PATH as UTF-8, turning bad encodings into a located problem (and a
    link leading outside the site, sitegen/sitefiles.py)."""
    refuse_link_out(path, rel_path)
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise SitegenError([Problem(rel_path, line, 0, "is not UTF-8 text; save the file as UTF-8")])
    except OSError as exc:
        raise SitegenError([Problem(rel_path, 0, 0, f"cannot be read ({exc.strerror}); check that it is a"
                                                      " readable file, and what it points to if it is a link")])


def _yaml_hint(reason: str) -> str:
    if "mapping values are not allowed" in reason:
        return " (a value containing ': ' needs quotes)"
    if "found character '\\t'" in reason:
        return " (indent with spaces, not tabs)"
    return ""


def _shift(value, by: int) -> None:
    if isinstance(value, LocatedDict):
        value.pos = (value.pos[0] + by, value.pos[1])
        value.key_pos = {k: (p[0] + by, p[1]) for k, p in value.key_pos.items()}
        value.value_pos = {k: (p[0] + by, p[1]) for k, p in value.value_pos.items()}
        for child in value.values():
            _shift(child, by)
    elif isinstance(value, LocatedList):
        value.pos = (value.pos[0] + by, value.pos[1])
        value.item_pos = [(p[0] + by, p[1]) for p in value.item_pos]
        for child in value:
            _shift(child, by)
