"""forms/<form>.<ll>.yaml and forms/triage.<ll>.yaml: a form's words in another language.

A translation has its original's shape and gives only words (a form's title, a
question's label, an option's label...).  Pages are matched by `id`, questions
by `name`, options by `value`, triage nodes by their key and triage answers by
their place.  Everything else is shared by every language: a translation may
copy it (Decap CMS does) but it must equal the original, so the languages can
never accept different answers.  `overlay` checks a translation against its
original, every problem located in the translation, and gives the original's
parsed mapping with the words replaced, which the ordinary loader then reads.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..content.schema import Record, Where, given
from ..content.yamlsource import LocatedDict, LocatedList, as_written
from ..errors import Problems, did_you_mean
from .messages import MESSAGE_KINDS
from .spec import ANSWER, FORM, MESSAGES, OPTION, OUTCOME_NODE, PAGE, QUESTION, QUESTION_NODE, value_slug


@dataclass(frozen=True)
class Shape:
    """What a translation of one mapping may hold.

    RECORD checks each word's kind (lengths...); WORDS are the keys a translation may
    change; MAPS are nested mappings and LISTS lists of records, matched by the key
    named ('' for by place).  Every other key of RECORD is shared.
    """

    record: Record
    words: frozenset[str] = frozenset()
    maps: Mapping[str, Shape] = field(default_factory=dict)
    lists: Mapping[str, tuple[str, Shape]] = field(default_factory=dict)


_LINK = next(f.kind for f in OUTCOME_NODE.fields if f.name == "link")
assert isinstance(_LINK, Record)

OPTION_SHAPE = Shape(OPTION, frozenset({"label", "hint"}))
QUESTION_SHAPE = Shape(QUESTION, frozenset({"label", "summary_label", "hint"}),
                       maps={"messages": Shape(MESSAGES, frozenset(MESSAGE_KINDS))},
                       lists={"options": ("value", OPTION_SHAPE)})
PAGE_SHAPE = Shape(PAGE, frozenset({"title", "intro"}), lists={"questions": ("name", QUESTION_SHAPE)})
FORM_SHAPE = Shape(FORM, frozenset({"title", "summary", "provider", "start_label", "before_you_start",
                                    "what_happens_next", "submit_label", "done_title"}),
                   lists={"pages": ("id", PAGE_SHAPE)})
QUESTION_NODE_SHAPE = Shape(QUESTION_NODE, frozenset({"question", "hint"}),
                            lists={"answers": ("", Shape(ANSWER, frozenset({"label", "hint"})))})
OUTCOME_NODE_SHAPE = Shape(OUTCOME_NODE, frozenset({"title", "body"}),
                           maps={"link": Shape(_LINK, frozenset({"title"}))})


class Overlay:
    """Checks one translation file (REL) against its original (ORIGINAL, a path for messages)."""

    def __init__(self, rel: str, original: str, problems: Problems):
        self.rel, self.original, self.problems = rel, original, problems

    def mapping(self, base: Any, text: Any, where: Where, shape: Shape) -> Any:
        """BASE (the original's mapping) with TEXT's words over it; BASE itself when TEXT is wrong."""
        if not isinstance(text, dict) or not isinstance(base, dict):
            if text is not None:
                where.report(self.problems, f"expected {shape.record.describe()}, found {_kind(text)}")
            return base
        merged = _copy(base)
        known = {f.name: f for f in shape.record.fields}
        for key, value in text.items():
            spot = self._spot(text, key, where)
            if key in shape.words:
                word = self._word(known[key], value, text, key, spot)
                if word is not None:
                    merged[key] = word
            elif key in shape.maps:
                merged[key] = self.mapping(base.get(key, LocatedDict()), value, spot, shape.maps[key])
            elif key in shape.lists:
                match, item = shape.lists[key]
                merged[key] = self.records(base.get(key), value, spot, match, item)
            elif key in known:
                self._shared(base, text, key, spot)
            else:
                hint = did_you_mean(key, known) or "; remove it, or correct its spelling"
                spot.report(self.problems, f"unknown key '{key}' in {shape.record.name}{hint}")
        return merged

    def records(self, base: Any, text: Any, where: Where, match: str, shape: Shape) -> Any:
        """The original's list BASE with each of TEXT's records merged into the one it matches."""
        if not isinstance(text, list):
            where.report(self.problems, f"expected a list, found {_kind(text)}")
            return base
        if not isinstance(base, list):
            where.report(self.problems, f"is not in {self.original}; a translation gives only the words of"
                                        " what the original has")
            return base
        merged = _copy(base)
        if not match and len(text) != len(base):
            where.report(self.problems, f"has {len(text)} items but {self.original} has {len(base)};"
                                        " translate each of them, in the same order")
            return merged
        keys = [_match_key(item, match) for item in base]
        seen: set[str] = set()
        for index, item in enumerate(text):
            spot = where.item(index, text.where(index) if isinstance(text, LocatedList) else where.pos)
            place = self._place(item, index, match, keys, seen, spot)
            if place is not None:
                merged[place] = self.mapping(_as_mapping(base[place], match), item, spot, shape)
        return merged

    def _place(self, item: Any, index: int, match: str, keys: list[str], seen: set[str],
               spot: Where) -> int | None:
        """Where ITEM (the translation's INDEXth) goes in the original's list, whose items' KEYS are given."""
        if not match:
            return index
        key = _match_key(item, match) if isinstance(item, dict) else ""
        if not key:
            spot.report(self.problems, f"needs '{match}': the {match} of the item in {self.original} it"
                                       " translates")
            return None
        if key not in keys:
            spot.report(self.problems, f"{match} '{key}' is not in {self.original}"
                                       f"{did_you_mean(key, keys)}; a translation cannot add one")
            return None
        if key in seen:
            spot.report(self.problems, f"{match} '{key}' is translated twice; keep one")
            return None
        seen.add(key)
        return keys.index(key)

    def _word(self, spec, value: Any, text: Any, key: str, spot: Where) -> Any:
        written = text.written_as(key) if isinstance(text, LocatedDict) else None
        raw = given(spec.kind, value, written)
        return None if raw is None else spec.kind.check(raw, spot, self.problems)

    def _shared(self, base: Any, text: Any, key: str, spot: Where) -> None:
        mine, theirs = as_written(text.get(key)), as_written(base.get(key))
        if mine != theirs:
            spot.report(self.problems, f"'{key}' is shared by every language; change it in {self.original}"
                                       " (a translation gives only the words)")

    def _spot(self, text: Any, key: str, where: Where) -> Where:
        pos = text.value_where(key) if isinstance(text, LocatedDict) else where.pos
        return where.child(str(key), pos)


def _match_key(item: Any, match: str) -> str:
    """The value of MATCH in a list ITEM; an option written as plain text has its slug as its value."""
    if isinstance(item, dict):
        value = item.get(match)
        return str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if match == "value" and isinstance(item, (str, int)) and not isinstance(item, bool):
        return value_slug(str(item).strip())
    return ""


def _as_mapping(item: Any, match: str) -> Any:
    """An option written as plain text as the mapping it stands for; anything else as it is."""
    if match == "value" and isinstance(item, (str, int)) and not isinstance(item, bool):
        label = str(item).strip()
        return {"value": value_slug(label), "label": label}
    return item


def _copy(value: Any) -> Any:
    """A shallow copy of a parsed mapping or list that keeps its positions."""
    copied = type(value)(value)
    if hasattr(value, "__dict__"):
        copied.__dict__.update(value.__dict__)
    return copied


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list", str: "text"}.get(type(value), type(value).__name__)
