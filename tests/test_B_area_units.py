"""The units a scan makes of the area folders in bulk (sources.area_units, units.units_of)
are those the one-at-a-time constructors give, as Units."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from sitegen.build.hashing import Hasher
from sitegen.build.sources import (
    area_text_unit,
    area_unit,
    area_units,
    feed_units,
    feeds_unit,
    translations_unit,
)
from sitegen.build.units import Unit, digest, units_of


@given(slugs=st.lists(st.text(max_size=12), max_size=8))
def test_area_units_are_those_of_each_slug(slugs):
    made = area_units(slugs)
    expected = ([area_unit(s) for s in slugs], [area_text_unit(s) for s in slugs],
                [translations_unit(area_unit(s)) for s in slugs])
    assert made == expected
    assert all(type(unit) is Unit for units in made for unit in units)


def test_units_of_a_kind():
    assert units_of("feeds", ["a", "b"]) == [Unit("feeds", "a"), Unit("feeds", "b")]
    assert str(units_of("feeds", ["a"])[0]) == "feeds:a"


def test_feed_units_of_a_site_without_feeds_are_each_area_s(tmp_path):
    feeds = {"abbey": (), "bank": ()}
    made = feed_units(feeds, tmp_path, Hasher({}))
    assert made == {feeds_unit("abbey"): digest(), feeds_unit("bank"): digest()}
    assert all(type(unit) is Unit for unit in made)
