"""Units: the pieces of input an output is made from, each with one hash.

A unit is typed, not a string: `Unit("area", "abbey")`.  The kinds are
declared by the modules that make them: the site's sources
(sitegen/build/sources.py) and what an output shows of other outputs
(beside its renderer: outputs.pages.listing_units, outputs.syndication.plan_unit).
This module knows none of them; it only looks hashes up, and an unknown unit
is an error, never an empty hash.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from itertools import compress, repeat
from operator import ne
from typing import Any, NamedTuple, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class Unit(NamedTuple):
    """One piece of input: a KIND ('area', 'config'...) and, for kinds with many, a NAME."""

    kind: str
    name: str = ""

    def __str__(self) -> str:
        return f"{self.kind}:{self.name}" if self.name else self.kind


UnitHashes = Mapping[Unit, str]


def units_of(kind: str, names: Iterable[str]) -> list[Unit]:
    """Unit(KIND, name) for each of NAMES, made in C (tuple.__new__ over a map): a third of
    the time of calling Unit, whose named tuple's constructor is Python, for the thousands
    of units a scan makes of an area folder each."""
    return list(map(tuple.__new__, repeat(Unit), zip(repeat(kind), names)))


class UnknownUnit(LookupError):
    """An output depends on a unit no source or derivation gave a hash: a
    mistake in a planner, which must not pass for an unchanged input."""

    def __init__(self, unit: Unit):
        super().__init__(f"no hash for unit {unit}: an output depends on something the build does not read")
        self.unit = unit


def unit_hash(units: UnitHashes, unit: Unit) -> str:
    """The hash of UNIT in UNITS; UnknownUnit if it has none."""
    try:
        return units[unit]
    except KeyError:
        raise UnknownUnit(unit) from None


def digest(*parts: str) -> str:
    """A short stable hash of PARTS (32 hex digits)."""
    joined = "\0".join(parts) + "\0" if parts else ""
    return hashlib.blake2b(joined.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def changed_units(old: UnitHashes, new: UnitHashes) -> set[Unit]:
    """The units whose hash differs between OLD and NEW, or that only one has.
    (Those of NEW as changed_entries finds them; the units only OLD has as a set
    difference, which OLD holding NEW's keys in order rules out without one.)"""
    if same_keys(old, new):
        return set(_pairwise(old, new))
    changed = set(_looked_up(old, new))
    changed.update(old.keys() - new.keys())
    return changed


def changed_entries(old: Mapping[K, V], new: Mapping[K, V]) -> dict[K, V]:
    """The entries of NEW whose key OLD lacks or maps to another value.

    A build's large mappings mostly hold the last build's keys in the last build's
    order (they are made by the same walk, or as the last ones updated); then the
    values are compared pair by pair without a look-up (same_keys), in a third of the
    time with 60,000 entries at 2,000 wards.  Otherwise each key is looked up in OLD."""
    return _pairwise(old, new) if same_keys(old, new) else _looked_up(old, new)


def _pairwise(old: Mapping[K, V], new: Mapping[K, V]) -> dict[K, V]:
    """changed_entries of NEW holding OLD's keys in OLD's order: each value against the one beside it."""
    return dict(compress(new.items(), map(ne, old.values(), new.values())))


def _looked_up(old: Mapping[K, V], new: Mapping[K, V]) -> dict[K, V]:
    """changed_entries of any NEW: each key looked up in OLD."""
    return {key: value for key, value in new.items() if old.get(key, _MISSING) != value}


def same_keys(old: Mapping[Any, Any], new: Mapping[Any, Any]) -> bool:
    """Whether OLD and NEW hold equal keys in the same order (quick when they are the same
    key objects, as a mapping made by updating a copy of another holds)."""
    return len(old) == len(new) and list(old) == list(new)


_MISSING = object()
