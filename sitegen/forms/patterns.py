"""The regular expressions that browser, schema and receiver share.

Written with ASCII classes ([0-9], not \\d) so Python's `re`, JavaScript and
the HTML `pattern` attribute (the `v` flag) all read them the same way.
"""
from __future__ import annotations

import re

# A real calendar date YYYY-MM-DD, leap years included, so a receiver that only
# checks patterns still refuses 31 April and 29 February 2027.
DATE = (r"^(?:[0-9]{4}-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        r"|(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)$")
POSTCODE = r"^(?:[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}|[Gg][Ii][Rr] ?0[Aa]{2})$"
EMAIL = r"^[^@ \t\r\n]+@[^@ \t\r\n]+\.[^@ \t\r\n]+$"
TEL = r"^\+?\(?[0-9](?:[ \(\)\-]{0,2}[0-9]){6,14}$"
WHOLE_NUMBER = r"^-?[0-9]+$"
DAY_OR_MONTH = r"^[0-9]{1,2}$"
YEAR = r"^[0-9]{4}$"

# Constructs that Python and browsers read differently, refused in editors' patterns.
_UNPORTABLE = re.compile(r"\(\?(?!:)|\\[dDwWsSbBpPkK0-9]")


def anchored(pattern: str) -> str:
    """An editor's pattern made to match the whole answer."""
    return f"^(?:{pattern})$"


def pattern_problem(pattern: str) -> str:
    """Why PATTERN cannot be used, or '' when it can."""
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regular expression: {exc}"
    bad = _UNPORTABLE.search(pattern)
    if bad:
        return (f"uses '{bad.group()}', which browsers and Python read differently; "
                "write character classes like [0-9] or [A-Za-z] and plain (?:...) groups")
    return ""
