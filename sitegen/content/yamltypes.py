"""What YAML is read into, and how much of it: the Located containers (each value's line
and column), the bounds on a file, and the words for a character XML forbids.  Shared by
sitegen.content.yamlsource (reading files) and sitegen.content.yamlloader (PyYAML's side).
"""
from __future__ import annotations

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
