"""units.changed_entries and changed_units answer as looking every key up in the old mapping
does, whether the new mapping holds the old one's keys in its order (the pairwise fast path)
or not: keys added, removed, reordered, values equal but other objects, or changed."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.units import Unit, changed_entries, changed_units, same_keys

KEYS = st.lists(st.tuples(st.sampled_from(["area", "page", "feeds"]), st.sampled_from("abcdefgh")),
                unique=True, max_size=12)
VALUES = st.sampled_from(["", "0" * 32, "f" * 32, "a1"])


def _slow_entries(old, new):
    """The reference: each key of NEW looked up in OLD."""
    missing = object()
    return {key: value for key, value in new.items() if old.get(key, missing) != value}


def _slow_units(old, new):
    """The reference: the units either has that the other lacks or holds otherwise."""
    return {unit for unit in old.keys() | new.keys() if unit not in old or unit not in new or old[unit] != new[unit]}


@st.composite
def _pairs(draw):
    """An old mapping and a new one made from it as a build makes its next mappings: a copy
    updated in place (the old key objects, in order), rebuilt with fresh but equal keys and
    values, reordered, with keys added or removed, or unrelated."""
    old = {Unit(*key): draw(VALUES) for key in draw(KEYS)}
    how = draw(st.sampled_from(["updated", "rebuilt", "reordered", "added", "removed", "unrelated"]))
    if how == "unrelated":
        return old, {Unit(*key): draw(VALUES) for key in draw(KEYS)}
    new = dict(old)
    for key in list(new):
        if draw(st.booleans()):
            new[key] = draw(VALUES)
    if how == "rebuilt":   # equal keys and values, other objects (as a new scan makes them)
        new = {Unit(str(key.kind), "".join(key.name)): "".join(value) for key, value in new.items()}
    elif how == "reordered":
        order = draw(st.permutations(list(new)))
        new = {key: new[key] for key in order}
    elif how == "added":
        new.update({Unit(*key): draw(VALUES) for key in draw(KEYS)})
    elif how == "removed" and new:
        del new[draw(st.sampled_from(list(new)))]
    return old, new


@settings(max_examples=400, deadline=None)
@given(pair=_pairs())
def test_changed_entries_and_units_answer_as_looking_every_key_up(pair):
    old, new = pair
    assert changed_entries(old, new) == _slow_entries(old, new)
    assert list(changed_entries(old, new)) == list(_slow_entries(old, new))   # (in NEW's order too)
    assert changed_units(old, new) == _slow_units(old, new)
    assert same_keys(old, new) == (list(old) == list(new))


def test_the_pairwise_path_is_taken_for_an_updated_copy_and_finds_its_changes():
    old = {Unit("area", name): "x" for name in "abc"}
    new = {**old, Unit("area", "b"): "y"}
    assert same_keys(old, new)
    assert changed_entries(old, new) == {Unit("area", "b"): "y"}
    assert changed_units(old, new) == {Unit("area", "b")}
    assert not same_keys(old, {Unit("area", "b"): "x", Unit("area", "a"): "x", Unit("area", "c"): "x"})
