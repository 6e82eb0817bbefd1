"""What the template rendering does to be quick leaves the pages as they were: the gettext
callables render.py installs give what Jinja's own newstyle ones give, and long_date's cache
answers as Babel does, in every language."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from functools import partial
from pathlib import Path

import jinja2
import pytest
from babel.dates import format_date
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2.nodes import EvalContext
from markupsafe import Markup

from sitegen import i18n
from sitegen.render import _filled, make_environment, plain_placeholders

WELSH = i18n.Language("cy", "cy")

TEMPLATE = """\
{{ _("Home") }}|{{ _("%(first)s and %(last)s", first=a, last=b) }}|{{ gettext("Back") }}
{% trans name=a %}Back to {{ name }}{% endtrans %}
{% trans message=a, context=b, num=n %}{{ message }} {{ context }} {{ num }} 100%{% endtrans %}
{% trans count=n %}{{ count }} ward{% pluralize %}{{ count }} wards{% endtrans %}
{% trans num=n %}{{ num }} ward{% pluralize %}{{ num }} wards{% endtrans %}
{{ ngettext("%(num)s ward", "%(num)s wards", n) }}|{{ pgettext("time of day", "midday") }}
{{ pgettext("before a vowel", "%(first)s and %(last)s", first=a, last=b) }}
{{ npgettext("x", "%(num)s %(context)s", "%(num)s %(context)ss", n) }}
{% autoescape false %}{{ _("%(first)s and %(last)s", first=a, last=b) }}{% endautoescape %}
"""


def stock_environment() -> jinja2.Environment:
    """An environment with Jinja's own newstyle callables, as render.py had them."""
    env = make_environment(Path("/nonexistent"))
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    env.globals["_"] = jinja2.ext._gettext_alias
    return env


OURS = make_environment(Path("/nonexistent")).from_string(TEMPLATE)
STOCK = stock_environment().from_string(TEMPLATE)
TEXT = st.text(alphabet=st.sampled_from("ab<>&\"'%() yŵ"), max_size=8)


@settings(max_examples=50, deadline=None)
@given(a=TEXT, b=TEXT, n=st.integers(min_value=0, max_value=7), welsh=st.booleans())
def test_our_gettext_callables_render_as_jinjas(a: str, b: str, n: int, welsh: bool):
    with i18n.activate(WELSH if welsh else i18n.ENGLISH):
        assert OURS.render(a=a, b=b, n=n) == STOCK.render(a=a, b=b, n=n)


def test_the_stock_environment_is_the_stock_one():
    """(So the test above compares two different things.)"""
    assert OURS.environment.globals["_"] is not STOCK.environment.globals["_"]


DAYS = [date(2026, 1, 1) + timedelta(days=k * 37) for k in range(12)]


@pytest.mark.parametrize("language", [i18n.ENGLISH, WELSH])
def test_long_date_is_babels_in_each_language(language: i18n.Language):
    with i18n.activate(language):
        for day in DAYS:
            expected = format_date(day, "d MMMM y", locale=language.babel_locale)
            assert i18n.long_date(day) == i18n.long_date(day) == expected


def test_long_date_of_equal_datetimes_on_different_days_is_each_ones_own():
    """23:30 in UTC and 00:30 the next day an hour east are equal datetimes, on two days."""
    utc = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    east = utc.astimezone(timezone(timedelta(hours=1)))
    assert utc == east
    assert (i18n.long_date(utc), i18n.long_date(east)) == ("1 March 2026", "2 March 2026")


def test_a_templates_globals_are_its_environments_when_loaded(tmp_path: Path):
    """render.SiteEnvironment copies the globals into each template as it is loaded: two
    environments (two builds in one process) each give their own, and a template a site
    overrides sees the globals set before it is loaded, as make_environment sets them."""
    first, second = make_environment(tmp_path / "one"), make_environment(tmp_path / "two")
    first.globals["marker"], second.globals["marker"] = "one", "two"
    text = "{{ marker }} {{ url('/find/') }} {{ range(2) | list }} {{ _('Home') }}"
    assert first.from_string(text).render() == "one /find/ [0, 1] Home"
    with i18n.activate(WELSH):
        assert second.from_string(text).render() == "two /cy/find/ [0, 1] Hafan"
    assert type(first.from_string(text).globals) is dict


# Messages of format conversions and words: '%%', '%(a)s', '%(b)s', '%(a)d', '%s', a stray '%',
# brackets and letters, so the fast path of render._filled meets every kind of conversion.
MESSAGE = st.lists(st.sampled_from(["%%", "%(a)s", "%(b)s", "%(a)d", "%(a)r", "%s", "%", "(", ")", "s", "a", "<b>",
                                    " ", "&", "%(a)-3s", "%(a b)s"]), max_size=6).map("".join)
VALUE = st.one_of(TEXT, st.integers(-3, 300), TEXT.map(Markup), st.none())


def _outcome(fill, message: str, variables: dict) -> tuple[str, object]:
    """What FILL(MESSAGE, VARIABLES) gives: ('ok', the text and whether it is Markup) or the error's type."""
    try:
        result = fill(message, variables)
    except Exception as error:   # noqa: BLE001  # the same error both ways is what is compared
        return "error", type(error)
    return "ok", (str(result), isinstance(result, Markup))


@settings(max_examples=400, deadline=None)
@given(message=MESSAGE, variables=st.dictionaries(st.sampled_from(["a", "b", "c"]), VALUE, max_size=3),
       autoescape=st.booleans())
def test_filled_gives_what_markups_percent_gives(message: str, variables: dict, autoescape: bool):
    """render._filled's str % of escaped values (a message of %(name)s and %% only) is Markup's %,
    text, type and errors, for any message; without autoescaping, plain %."""
    eval_ctx = EvalContext(OURS.environment)
    eval_ctx.autoescape = autoescape

    def stock(text: str, values: dict) -> object:
        return (Markup(text) if autoescape else text) % values

    assert _outcome(partial(_filled, eval_ctx), message, variables) == _outcome(stock, message, variables)


def test_plain_placeholders_reads_conversions_left_to_right():
    assert plain_placeholders("Back to %(name)s, %(name)s and %(other)s") == ("name", "other")
    assert plain_placeholders("100%% sure") == ()
    assert plain_placeholders("%%(name)s") == ()          # a '%' then '(name)s', as % reads it
    assert plain_placeholders("%(num)d wards") is None
    assert plain_placeholders("%(a)%%s") is None          # '%(a)%' is a conversion of its own
