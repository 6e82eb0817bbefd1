"""--build-date is read as click.DateTime(formats=['%Y-%m-%d']) reads it (commands.Day reads a
zero-padded day itself, without datetime.strptime): the same datetime, or the same words for
a mistake, for any text; but a day in the right form that the calendar has not is refused as
that, where click said it did not match the format."""
from __future__ import annotations

from datetime import datetime

import click
from click.testing import CliRunner
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sitegen.cli import main
from sitegen.commands import _PADDED_DAY, DAY_FORMAT, Day

_TEXT = st.text(alphabet=st.sampled_from(list("0123456789") * 6 + list("- x٣\t")), max_size=12)


def _read(kind: click.ParamType, value: object):
    try:
        return kind.convert(value, None, None)
    except click.BadParameter as exc:
        return ("refused", exc.message)


@settings(max_examples=3000, deadline=None)
@given(text=st.one_of(_TEXT, st.builds(lambda y, m, d: f"{y:04d}-{m:02d}-{d:02d}", st.integers(0, 9999),
                                       st.integers(0, 13), st.integers(0, 32))))
@example(text="2026-11-28")
@example(text="2024-02-29")
@example(text="2026-02-29")
@example(text="0000-01-01")
@example(text="2026-1-5")
@example(text="2026-11-28 ")
def test_a_day_is_read_as_click_reads_it(text):
    ours, clicks = _read(Day(), text), _read(click.DateTime(formats=[DAY_FORMAT]), text)
    if _PADDED_DAY.fullmatch(text) and isinstance(clicks, tuple):
        assert ours[0] == "refused" and ours[1].startswith(f"{text!r} is no day of the calendar (")
    else:
        assert ours == clicks


def test_a_day_the_calendar_has_not_is_refused_as_that():
    result = CliRunner().invoke(main, ["build", "--build-date", "2026-02-30"])
    assert result.exit_code == 2
    assert "'2026-02-30' is no day of the calendar (day is out of range for month)" in result.output
    assert "Traceback" not in result.output


def test_a_datetime_is_click_s_to_read():
    assert Day().convert(datetime(2026, 11, 28), None, None) == datetime(2026, 11, 28)
