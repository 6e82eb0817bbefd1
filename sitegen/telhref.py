"""`tel:` link targets built from phone numbers as editors write them."""
from __future__ import annotations

import re

# "(0)" written after a country code: the national trunk prefix, which is not
# dialled from abroad ("+44 (0)20 ..." is +44 20 ...).
_TRUNK_AFTER_COUNTRY = re.compile(r"\(\s*0\s*\)")
_NOT_DIGIT = re.compile(r"[^0-9]")


def tel_href(number: object) -> str:
    """The `tel:` URI of NUMBER as written ('+44 (0)20 7946 0766' ->
    'tel:+442079460766', '9 9 9' -> 'tel:999'): its digits only, with a leading
    '+' kept for a global number (RFC 3966) and a '(0)' trunk prefix after the
    country code dropped.  Never raises; the visible text is left as written."""
    text = str(number).strip()
    if text.startswith("+"):
        return "tel:+" + _NOT_DIGIT.sub("", _TRUNK_AFTER_COUNTRY.sub("", text[1:]))
    return "tel:" + _NOT_DIGIT.sub("", text)
