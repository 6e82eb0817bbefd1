"""long_date writes an English date without Babel's CLDR data (i18n._MONTHS_WRITTEN: loading it
costs the first date of a build 12 ms); it must be the date Babel writes (long_date_by_babel),
for every day, and Babel's for any other language."""
from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import i18n
from sitegen.i18n import _MONTHS_WRITTEN, _long_date, long_date_by_babel


def test_every_day_of_two_years_is_written_as_babel_writes_it():
    first = date(2026, 1, 1)
    for code in _MONTHS_WRITTEN:
        for offset in range(731):
            day = first + timedelta(days=offset)
            assert _long_date(day, code) == long_date_by_babel(day, code)


@settings(max_examples=500, deadline=None)
@given(day=st.dates(), code=st.sampled_from([*_MONTHS_WRITTEN, "cy", "en-US", "fr"]))
def test_any_day_in_any_language_is_written_as_babel_writes_it(day, code):
    assert _long_date(day, code) == long_date_by_babel(day, code)


def test_a_welsh_date_is_babel_s():
    with i18n.activate(i18n.Language("cy", "cy")):
        assert i18n.long_date(date(2026, 12, 3)) == long_date_by_babel(date(2026, 12, 3), "cy")
