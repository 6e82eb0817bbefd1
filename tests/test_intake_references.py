"""References: Crockford base 32, a check character that catches typing mistakes,
prefixes from form ids, and the rate limiter's arithmetic (no S3 needed)."""
from __future__ import annotations

import itertools
import os

import pytest

from sitegen.intake.ratelimit import RateLimiter
from sitegen.intake.references import (
    ALPHABET,
    check_character,
    derive_body,
    encode,
    form_prefix,
    is_valid,
    make_reference,
    normalise,
)


@pytest.mark.parametrize("form_id, prefix", [
    ("report-crime", "CR"), ("report-road-traffic-incident", "RTI"), ("report-anti-social-behaviour", "ASB"),
    ("report-hate-crime", "HC"), ("report-lost-property", "LP"), ("firearms-licence", "FL"),
    ("register-an-alarm", "RA"), ("notify-an-event", "NE"), ("clares-law", "CL"), ("report", "RE"),
])
def test_prefixes_come_from_the_form_id(form_id, prefix):
    assert form_prefix(form_id) == prefix


def test_a_schema_may_name_its_prefix():
    assert form_prefix("report-crime", {"x-sitegen-reference-prefix": "cr"}) == "CR"
    assert form_prefix("report-crime", {"x-sitegen-reference-prefix": "not ok!"}) == "CR"


def test_shape_alphabet_and_check():
    reference = make_reference("CR", 2026, derive_body(os.urandom(32)))
    assert len(reference) == len("CR-2026-7K4M9Q2XW") and is_valid(reference)
    assert set(reference[8:]) <= set(ALPHABET) and not set("ILOU") & set(reference[8:])
    assert encode(bytes([0b00001000, 0b10000000, 0, 0, 0])) == "1200" + "0000"


def test_every_single_mistyped_character_is_caught():
    reference = make_reference("CR", 2026, "7K4M9Q2X")
    for index in [i for i, ch in enumerate(reference) if ch != "-" and i > 2]:
        for ch in ALPHABET:
            if ch != reference[index]:
                assert not is_valid(reference[:index] + ch + reference[index + 1:])


def test_every_swap_of_neighbours_is_caught():
    for body in ("7K4M9Q2X", "00000001", "ZZZZZZZY", "A0B1C2D3"):
        text = f"2026{body}"
        text += check_character(text)
        for i in range(len(text) - 1):
            if text[i] != text[i + 1]:
                swapped = text[:i] + text[i + 1] + text[i] + text[i + 2:]
                assert check_character(swapped[:-1]) != swapped[-1], (text, i)


def test_people_may_type_references_loosely():
    reference = make_reference("CR", 2026, "10000000")
    typed = reference.lower().replace("-", " ").replace("1", "l").replace("0", "o")
    assert normalise(typed) == reference
    assert normalise(reference.replace("-", "")) == reference
    assert normalise("CR-2026-7K4M9Q2X") == "" and normalise("hello") == ""


def test_candidates_after_a_clash_differ():
    digest = os.urandom(32)
    bodies = [derive_body(digest, attempt) for attempt in range(16)]
    assert len(set(bodies)) == 16 and bodies[0] == encode(digest[:5])


def test_token_bucket_allows_a_burst_then_the_rate():
    now = [100.0]
    limiter = RateLimiter(per_minute=30, burst=3, clock=lambda: now[0])
    assert [limiter.wait_seconds("a") for _ in range(4)] == [0, 0, 0, 2]
    now[0] += 2
    assert limiter.wait_seconds("a") == 0 and limiter.wait_seconds("a") == 2
    assert limiter.wait_seconds("b") == 0
    assert RateLimiter(per_minute=0, burst=1).wait_seconds("a") == 0


def test_token_bucket_memory_is_bounded():
    limiter = RateLimiter(per_minute=60, burst=1, max_clients=100)
    for client in itertools.islice(itertools.count(), 1000):
        limiter.wait_seconds(str(client))
    assert len(limiter._buckets) == 100


def test_a_botocore_without_conditional_writes_is_refused_at_start():
    from types import SimpleNamespace

    from sitegen.errors import SitegenError
    from sitegen.intake.storage import require_conditional_writes
    shape = SimpleNamespace(members={"Bucket": 1, "Key": 2, "Body": 3})
    old = SimpleNamespace(meta=SimpleNamespace(service_model=SimpleNamespace(
        operation_model=lambda name: SimpleNamespace(input_shape=shape))))
    with pytest.raises(SitegenError, match="conditional writes"):
        require_conditional_writes(old)
