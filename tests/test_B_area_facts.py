"""An area's dated facts kept as day ordinals (facts.DatedFacts) sign a build date as the
events' dates did: the same text, so the same input hashes; and the state reads facts of
another shape as no state (typed_areas refuses them; read_state reads what raises as none)."""
from __future__ import annotations

import marshal
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from sitegen.build.facts import AreaFacts, SiteFacts, date_signature, plain_facts, typed_areas, typed_facts


def _signature_of_dates(days: tuple[date, ...], has_feeds: bool, today: date) -> str:
    """date_signature as it was written when the facts held dates."""
    return repr((tuple(day >= today for day in days), today if has_feeds else None))


@given(days=st.lists(st.dates(), max_size=4).map(tuple), has_feeds=st.booleans(), today=st.dates())
def test_a_date_signature_of_ordinals_is_that_of_the_dates(days, has_feeds, today):
    ordinals = tuple(day.toordinal() for day in days)
    assert date_signature((ordinals, has_feeds), today) == _signature_of_dates(days, has_feeds, today)


def test_facts_read_back_typed_and_whole():
    facts = SiteFacts(areas={"abbey": AreaFacts("Abbey", "Barking", ((739982, 739990), True), ("https://f/",),
                                                ("Abbey Road",), "0" * 32, (("cy", ("Abaty", "", ())),))})
    read = typed_facts(marshal.loads(marshal.dumps(plain_facts(facts))))
    assert read == facts and all(type(area) is AreaFacts for area in read.areas.values())


def test_area_facts_of_another_shape_are_refused():
    for plain in ({"abbey": ("Abbey", "Barking")}, {"abbey": ("Abbey",) * 9}):
        try:
            typed_areas(plain)  # type: ignore[arg-type]
        except ValueError:
            continue
        raise AssertionError(f"{plain} was read as facts")

