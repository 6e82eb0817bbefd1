"""What YAML is read into: values that remember where each came from, and the
words and rules both ways of reading share (sitegen.content.yamlsource reads).

Mappings load as `LocatedDict` and sequences as `LocatedList`; both know the
line and column of the node itself and of each key or item, so a validator can
say `area.yaml:12:5: ...` about any value.  Neither this module nor the quick
readings in yamlsource import PyYAML (10 ms of imports): its loaders are in
sitegen.content.yamlloader, imported by the first file that needs the parser.
"""
from __future__ import annotations

import re
from functools import cache

Pos = tuple[int, int]

MAX_TEXT_BYTES = 1_000_000   # the largest source file read; the biggest ward file is a few kB
MAX_DEPTH = 50               # nesting of mappings and lists; sitegen's files need fewer than 10
MAX_NODES = 100_000          # values in one file, aliases (*name) counted each time they are used


class LocatedDict(dict):
    """A dict with the (line, col) of itself and of each key."""

    pos: Pos = (0, 0)
    key_pos: dict
    value_pos: dict
    written: dict

    def where(self, key: str) -> Pos:
        """Position of KEY in the source, or of the mapping if it is absent."""
        return self.key_pos.get(key, self.pos)

    def value_where(self, key: str) -> Pos:
        """Position of KEY's value (where a wrong value is), or of the key."""
        return self.value_pos.get(key) or self.where(key)

    def written_as(self, key: str) -> str | None:
        """KEY's value exactly as written, when YAML 1.1 read that unquoted text as a
        number, true/false or null (`02071234567`, `No`, `~`); otherwise None."""
        return getattr(self, "written", {}).get(key)


class LocatedList(list):
    """A list with the (line, col) of itself and of each item."""

    pos: Pos = (0, 0)
    item_pos: list
    written: dict

    def where(self, index: int) -> Pos:
        """Position of item INDEX in the source."""
        return self.item_pos[index] if index < len(self.item_pos) else self.pos

    def written_as(self, index: int) -> str | None:
        """Item INDEX as written, when YAML 1.1 guessed a number, boolean or null; else None."""
        return getattr(self, "written", {}).get(index)


def character_message(*chars: str) -> str:
    """What to tell an editor about CHARS, characters XML 1.0 forbids (found on one line)."""
    codes = " and ".join(f"U+{ord(char):04X}" for char in chars)
    kind = "control character" if all(ord(char) < 0x20 for char in chars) else "character"
    if len(chars) > 1:
        return (f"contains the {kind}s {codes}; delete them "
                "(they may be invisible; web feeds cannot carry them)")
    return f"contains the {kind} {codes}; delete it (it may be invisible; web feeds cannot carry it)"


# YAML 1.1's implicit types, as PyYAML's SafeLoader resolves a plain scalar (yaml/resolver.py,
# copied to the character: test_A_nested_yaml compares them), less its timestamps (dates
# and times stay text; the schema parses them): (tag, pattern, flags, the first characters
# it is tried for).  The parser's loaders (yamlloader) resolve with these too, so the quick
# readings (yamlsource) and the parser take the same values for text.
_IMPLICIT = (
    ("tag:yaml.org,2002:bool", r'''^(?:yes|Yes|YES|no|No|NO
                    |true|True|TRUE|false|False|FALSE
                    |on|On|ON|off|Off|OFF)$''', re.X, tuple("yYnNtTfFoO")),
    ("tag:yaml.org,2002:float", r'''^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
                    |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
                    |[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*
                    |[-+]?\.(?:inf|Inf|INF)
                    |\.(?:nan|NaN|NAN))$''', re.X, tuple("-+0123456789.")),
    ("tag:yaml.org,2002:int", r'''^(?:[-+]?0b[0-1_]+
                    |[-+]?0[0-7_]+
                    |[-+]?(?:0|[1-9][0-9_]*)
                    |[-+]?0x[0-9a-fA-F_]+
                    |[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$''', re.X, tuple("-+0123456789")),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", 0, ("<",)),
    ("tag:yaml.org,2002:null", r'''^(?: ~
                    |null|Null|NULL
                    | )$''', re.X, ("~", "n", "N", "")),
    ("tag:yaml.org,2002:value", r"^(?:=)$", 0, ("=",)),
    # PyYAML's own note: "only for documentation purposes", as no plain scalar starts so.
    ("tag:yaml.org,2002:yaml", r"^(?:!|&|\*)$", 0, tuple("!&*")),
)


@cache
def implicit_resolvers() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    """First character -> [(tag, pattern)] of the implicit types tried for a plain scalar
    starting with it, in PyYAML's order (its yaml_implicit_resolvers' shape).  Compiled on
    first use: a build that reads no YAML does not pay for the patterns."""
    table: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
    for tag, pattern, flags, firsts in _IMPLICIT:
        compiled = re.compile(pattern, flags)
        for first in firsts:
            table.setdefault(first, []).append((tag, compiled))
    return table
