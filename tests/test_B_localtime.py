"""localtime.resolve answers a time with one UTC offset whichever its fold at once (neither in
the gap nor in the fold); it must answer as the long way does (localtime.resolve_by_readings,
which it takes for every other time), for times around the clock changes and elsewhere, with and without an offset."""
from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.content.localtime import (
    resolve,
    resolve_by_readings,
)


def _shown(answer):
    return (answer, answer.fold, answer.tzinfo) if isinstance(answer, datetime) else answer


# Minutes of the nights the clocks change (2026, 2027), and any time of those years.
_CHANGES = st.sampled_from([datetime(2026, 3, 29), datetime(2026, 10, 25), datetime(2027, 3, 28),
                            datetime(2027, 10, 31)])
_NEAR = st.builds(lambda night, minutes: night + timedelta(minutes=minutes), _CHANGES, st.integers(0, 4 * 60))
_ANY = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31))
_OFFSETS = st.sampled_from([None, None, timedelta(0), timedelta(hours=1), timedelta(hours=2)])


@settings(max_examples=500, deadline=None)
@given(naive=st.one_of(_NEAR, _ANY), offset=_OFFSETS)
@example(naive=datetime(2026, 3, 29, 1, 30), offset=None)
@example(naive=datetime(2026, 10, 25, 1, 30), offset=None)
@example(naive=datetime(2027, 1, 1, 19, 0), offset=None)
@example(naive=datetime(2026, 3, 29, 1, 0, fold=1), offset=None)   # in the gap, given as its later reading
def test_resolve_answers_as_resolve_by_readings(naive, offset):
    assert _shown(resolve(naive, offset)) == _shown(resolve_by_readings(naive, offset))
