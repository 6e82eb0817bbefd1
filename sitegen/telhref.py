"""`tel:` link targets built from phone numbers as editors write them."""
from __future__ import annotations

import re

from markupsafe import Markup, escape

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


# Phone numbers as editors write them in plain text: the UK's short police
# numbers, Relay UK's prefixes with the number they relay, national numbers
# (0 and 9 to 10 more digits, spaced as people write them) and +44 numbers.
PHONE_IN_TEXT = re.compile(r"(?<![\w/.:,-])(?:1800[01](?: \d{3,})?|999|101|0[1-9]\d{2,3}(?: ?\d){6,7}"
                           r"|\+44[\d ()]{9,16}\d)(?![\w%])")


def tel_links(text: object) -> Markup:
    """TEXT (plain, as written in site.yaml) escaped for HTML, with every phone
    number in it made a tappable link ('call 999.' -> 'call <a class="govuk-link"
    href="tel:999">999</a>.')."""
    plain = str(text)
    out, last = [], 0
    for match in PHONE_IN_TEXT.finditer(plain):
        out.append(escape(plain[last:match.start()]))
        number = match.group()
        out.append(Markup('<a class="govuk-link" href="{}">{}</a>').format(tel_href(number), number))
        last = match.end()
    out.append(escape(plain[last:]))
    return Markup("").join(out)
