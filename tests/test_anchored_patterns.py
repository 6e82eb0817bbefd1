"""Python's `$` also matches before a final line feed, so `^...$` with `.match` lets
`"abbey\\n"` pass as a slug (issue 14 class 10 found this in the forms' schemas).
Every anchored pattern sitegen checks outside or editor text with ends in `\\Z`
(the receiver's route pattern only splits the path; FORM_ID then judges the id)."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content import schema
from sitegen.forms import spec
from sitegen.intake import references, schemas
from sitegen.publish import headers, plan

# Each anchored pattern with one value it accepts.
PATTERNS = [
    (schema.SLUG_RE, "abbey-road"),
    (schema.EMAIL_RE, "team@police.example"),
    (schema.PHONE_RE, "020 7123 4567"),
    (schema.COLOUR_RE, "#1d70b8"),
    (schemas.FORM_ID, "report-crime"),
    (references._SHAPE, "CR-2026-ABCDEFGHJ"),
    (spec.NAME_RE, "lost_date"),
    (spec.AUTOCOMPLETE_RE, "postal-code"),
    (headers.FINGERPRINTED, "assets/site.0123456789.css"),
    (plan.PLAIN_MD5, "0" * 32),
]


@pytest.mark.parametrize(("pattern", "good"), PATTERNS, ids=[p.pattern[:30] for p, _ in PATTERNS])
def test_each_pattern_accepts_its_example_and_ends_with_an_absolute_anchor(pattern: re.Pattern, good: str):
    assert pattern.match(good), pattern.pattern
    assert pattern.pattern.endswith(r"\Z")


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(PATTERNS), st.sampled_from(["\n", "\r\n", "\n\n", " \n"]))
def test_no_anchored_pattern_accepts_a_value_with_a_line_break_after_it(case, tail):
    pattern, good = case
    assert pattern.match(good + tail) is None
