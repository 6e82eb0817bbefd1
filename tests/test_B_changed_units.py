"""units.changed_units: the units whose hash differs between two builds, or that only one has."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.build.units import Unit, changed_units

units = st.builds(Unit, st.sampled_from(["area", "page", "feeds"]), st.sampled_from(["a", "b", "c", "d", ""]))
hashes = st.sampled_from(["", "1", "2"])


@given(old=st.dictionaries(units, hashes), new=st.dictionaries(units, hashes))
def test_changed_units_are_those_whose_hash_differs_or_that_one_side_lacks(old, new):
    expected = {unit for unit in [*old, *new] if unit not in old or unit not in new or old[unit] != new[unit]}
    assert changed_units(old, new) == expected
    assert all(type(unit) is Unit for unit in changed_units(old, new))
