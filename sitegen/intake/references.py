"""Submission references like `CR-2026-7K4M9Q2XW`: what people quote on the phone.

    <PREFIX>-<YEAR>-<8 characters><check character>

* PREFIX comes from the form: its schema's `x-sitegen-reference-prefix` when
  set, otherwise the initials of the form id's words without filler words
  (`report-road-traffic-incident` -> `RTI`), or the first two letters of a
  one-word id (`report-crime` -> `CR`).
* YEAR is the year (UTC) the submission was first received.
* The 8 characters are 40 bits in Crockford's base 32 (digits and capitals
  without I, L, O and U), taken from a keyed digest of the submission (see
  `derive_body`), so a retried post gets the same reference.
* The check character, also from the base-32 alphabet (so references stay
  `[A-Z0-9-]`), is Luhn mod 32 over YEAR and the 8 characters: it catches
  every single mistyped character and every swap of two neighbours.

When read back, `normalise` applies Crockford's decoding rules: case does not
matter, O reads as 0, I and L as 1, and spaces and hyphens may be typed or not.
"""
from __future__ import annotations

import hashlib
import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 8
FILLER_WORDS = {"a", "an", "and", "for", "of", "on", "or", "report", "the", "to", "us", "your"}
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_SHAPE = re.compile(r"^([A-Z0-9]{1,6})-([0-9]{4})-([0-9A-HJKMNP-TV-Z]{8})([0-9A-HJKMNP-TV-Z])\Z")


def form_prefix(form_id: str, schema: dict | None = None) -> str:
    """The reference prefix of FORM_ID (see the module docstring)."""
    given = (schema or {}).get("x-sitegen-reference-prefix")
    if isinstance(given, str) and re.fullmatch(r"[A-Za-z0-9]{1,6}", given):
        return given.upper()
    words = [w for w in form_id.split("-") if w]
    kept = [w for w in words if w not in FILLER_WORDS] or words
    if len(kept) == 1:
        return kept[0][:2].upper()
    return "".join(w[0] for w in kept[:3]).upper()


def encode(data: bytes, length: int = BODY_LENGTH) -> str:
    """The first LENGTH base-32 characters of DATA (5 bits each, big-endian)."""
    number = int.from_bytes(data, "big")
    bits = len(data) * 8
    return "".join(ALPHABET[(number >> (bits - 5 * (i + 1))) & 31] for i in range(length))


def check_character(text: str) -> str:
    """The Luhn mod 32 check character of TEXT (base-32 characters)."""
    total, factor = 0, 2
    for ch in reversed(text):
        addend = factor * _VALUE[ch]
        total += addend // 32 + addend % 32
        factor = 3 - factor
    return ALPHABET[(32 - total % 32) % 32]


def check_holds(text_with_check: str) -> bool:
    """Whether the last character of TEXT_WITH_CHECK is the right check character."""
    return check_character(text_with_check[:-1]) == text_with_check[-1]


def derive_body(digest: bytes, attempt: int = 0) -> str:
    """The 8 characters for a submission's keyed DIGEST; ATTEMPT > 0 picks another after a clash."""
    source = digest if attempt == 0 else hashlib.sha256(digest + b"|%d" % attempt).digest()
    return encode(source[:5])


def make_reference(prefix: str, year: int, body: str) -> str:
    """PREFIX-YEAR-BODY followed by the check character."""
    return f"{prefix}-{year:04d}-{body}{check_character(f'{year:04d}{body}')}"


def normalise(text: str) -> str:
    """TEXT as a reference is written, after Crockford's reading rules; '' when it is not one."""
    parts = [p for p in re.split(r"[\s-]+", text.strip().upper()) if p]
    if len(parts) == 3:
        prefix, year, rest = parts
    else:
        match = re.fullmatch(r"([A-Z]{1,6}?)([0-9OIL]{4})([0-9A-Z]{9})", "".join(parts))
        if not match:
            return ""
        prefix, year, rest = match.groups()
    digits = str.maketrans("OIL", "011")
    candidate = f"{prefix}-{year.translate(digits)}-{rest.translate(digits)}"
    return candidate if is_valid(candidate) else ""


def is_valid(reference: str) -> bool:
    """Whether REFERENCE has the shape and a correct check character."""
    match = _SHAPE.match(reference)
    return match is not None and check_holds(match.group(2) + match.group(3) + match.group(4))
