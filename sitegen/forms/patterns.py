"""The regular expressions that browser, schema and receiver share.

Written so that Python's `re` and ECMA-262 (JavaScript, and so every JSON
Schema validator that follows the spec) read them the same way:

* ASCII classes ([0-9], not \\d), and an explicit class for white space;
* the end of the answer is `(?![\\s\\S])` ("no character follows"), never `$`,
  which in Python also matches before a final newline (`"2026-11-01\\n"`).
"""
from __future__ import annotations

import re
import warnings

# White space as either language counts it: Python's str.isspace() (which adds
# U+001C-U+001F and U+0085) together with ECMAScript's \s (which adds U+FEFF).
# Answers are trimmed of these, and a required answer needs one character outside them.
SPACE_CHARS = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
               "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
_SPACE_CLASS = (r"\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff")
NOT_BLANK = f"[^{_SPACE_CLASS}]"      # searched for, not anchored: some character that is not a space
END = r"(?![\s\S])"                   # the very end of the answer, in both languages

# A real calendar date YYYY-MM-DD from 1900 on, leap years included, so a receiver
# that only checks patterns still refuses 31 April, 29 February 2027 and year 0000
# (nothing reported to the police happened before 1900: such a year is a slip).
EARLIEST_YEAR = 1900
DATE = (r"^(?:(?:19[0-9]{2}|[2-9][0-9]{3})-(?:(?:0[13578]|1[02])-(?:0[1-9]|[12][0-9]|3[01])"
        r"|(?:0[469]|11)-(?:0[1-9]|[12][0-9]|30)|02-(?:0[1-9]|1[0-9]|2[0-8]))"
        r"|(?:(?:19|[2-9][0-9])(?:0[48]|[2468][048]|[13579][26])|(?:[2468][048]|[3579][26])00)-02-29)" + END)
POSTCODE = r"^(?:[A-Za-z]{1,2}[0-9][A-Za-z0-9]? ?[0-9][A-Za-z]{2}|[Gg][Ii][Rr] ?0[Aa]{2})" + END
EMAIL = r"^[^@ \t\r\n]+@[^@ \t\r\n]+\.[^@ \t\r\n]+" + END
TEL = r"^\+?\(?[0-9](?:[ \(\)\-]{0,2}[0-9]){6,14}" + END
# A whole number as people write it (GOV.UK: let people type separators and a pound sign):
# digits, optionally grouped in threes by commas or by spaces, optionally after '£'.
# forms.js's WHOLE_NUMBER is this same expression.
WHOLE_NUMBER = r"^-?£?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)" + END

MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december")
WELSH_MONTH_NAMES = ("ionawr", "chwefror", "mawrth", "ebrill", "mai", "mehefin", "gorffennaf", "awst", "medi",
                     "hydref", "tachwedd", "rhagfyr")
# (name, month) for every name a month may be typed as: English and Welsh (forms.js's MONTH_WORDS)
_MONTH_WORDS = tuple((name, number) for names in (MONTH_NAMES, WELSH_MONTH_NAMES)
                     for number, name in enumerate(names, 1))
_DAY = re.compile(r"[0-9]{1,2}")
_MONTH_DIGITS = re.compile(r"[0-9]{1,2}")
_MONTH_WORD = re.compile(r"([A-Za-z]{3,10})\.?")   # no IGNORECASE: it would let in the Kelvin sign
_YEAR = re.compile(r"[0-9]{4}")

# Constructs that Python and browsers read differently, refused in editors' patterns.
_UNPORTABLE = re.compile(r"\(\?(?!:)|\\[dDwWsSbBpPkKzZAG0-9]")


# '.' outside a class: JavaScript's stops at CR, LS and PS as well as LF, Python's only at LF.
_ANY_BUT_LINE_END = r"[^\n\r\u2028\u2029]"
_SYNTAX = set("^$\\.*+?()[]{}|/")
_QUANTIFIER = re.compile(r"\{[0-9]+(?:,[0-9]*)?\}")
_HEX_ESCAPE = re.compile(r"\\(?:x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4})")


def anchored(pattern: str) -> str:
    """An editor's pattern made to match the whole answer (and nothing after it),
    its '.' and '$' as JavaScript reads them."""
    return f"^(?:{_portable(pattern)}){END}"


def _tokens(pattern: str):
    """(text, in_class, problem) for each character or escape of PATTERN, as ECMA-262
    with the u flag reads it."""
    i, in_class = 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            hex_escape = _HEX_ESCAPE.match(pattern, i)
            size = hex_escape.end() - i if hex_escape else 2
            token = pattern[i:i + size]
            allowed = hex_escape or token[1:] in _SYNTAX or token[1:] in ("n", "r", "t", "f", "v") \
                or (token == "\\-" and in_class)
            yield token, in_class, "" if allowed else token
            i += size
            continue
        if in_class:    # '[' inside a class: literal in JavaScript, a nested set to come in Python
            in_class = char != "]"
            yield char, True, "[" if char == "[" else ""
        elif char == "[":
            start = i + 1 + (pattern[i + 1:i + 2] == "^")
            yield pattern[i:start], False, "[]" if pattern[start:start + 1] == "]" else ""
            in_class, i = True, start
            continue
        elif char == "{":
            quantifier = _QUANTIFIER.match(pattern, i)
            yield (quantifier.group(), False, "") if quantifier else (char, False, "{")
            i = quantifier.end() if quantifier else i + 1
            continue
        else:
            yield char, False, char if char in "}]" else ""
        i += 1


def _problems(pattern: str):
    """What JavaScript cannot read in PATTERN, token by token; also possessive repeats
    ('a++', Python 3.11's)."""
    repeat = ""
    for text, in_class, problem in _tokens(pattern):
        yield problem or (repeat + "+" if repeat and text == "+" else "")
        is_repeat = text in ("*", "+", "?") or text.startswith("{")
        repeat = text if not in_class and not repeat and is_repeat else ""


def _portable(pattern: str) -> str:
    """PATTERN as Python must read it to mean what JavaScript does: '.' stops at any line end,
    and '$' is the very end of the answer (Python's also matches before a final newline)."""
    return "".join(text if in_class else _PORTABLE.get(text, text) for text, in_class, _ in _tokens(pattern))


_PORTABLE = {".": _ANY_BUT_LINE_END, "$": END}   # outside a class, unescaped


def month_number(text: str) -> int | None:
    """The month a person typed: 6 for '6', '06', 'June', 'jun', 'JUN', 'Sept', 'sept.' or 'Mehefin'.

    A month is one or two digits (returned as written, so 13 is left for the
    date check to refuse) or at least the first three letters of its English
    or Welsh name, in any case, with an optional full stop ('Mai' and 'May' are
    both 5). None for anything else, or letters that begin two months' names.
    """
    if _MONTH_DIGITS.fullmatch(text):
        return int(text)
    word = _MONTH_WORD.fullmatch(text)
    if not word:
        return None
    found = {number for name, number in _MONTH_WORDS if name.startswith(word.group(1).lower())}
    return found.pop() if len(found) == 1 else None


def whole_number(text: str) -> int | None:
    """The integer TEXT (already trimmed) writes: 1000 for '1000', '1,000', '1 000', '£1,000'
    or '£1000'; -5 for '-5' or '-£5'.  None unless it matches WHOLE_NUMBER."""
    if not re.match(WHOLE_NUMBER, text):
        return None
    return int(text.replace("£", "").replace(",", "").replace(" ", ""))


def date_from_parts(day: str, month: str, year: str) -> str | None:
    """'YYYY-MM-DD' from the three boxes as typed (already trimmed), or None when they cannot be read.

    The result may still be no real date ('2026-02-30'); DATE decides that.
    """
    number = month_number(month)
    if number is None or not _DAY.fullmatch(day) or not _YEAR.fullmatch(year):
        return None
    return f"{year}-{number:02d}-{int(day):02d}"


def pattern_problem(pattern: str) -> str:
    """Why PATTERN cannot be used, or '' when it can."""
    with warnings.catch_warnings():
        # A set Python will read differently one day: '[[', '--'.
        warnings.simplefilter("error", FutureWarning)
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"is not a valid regular expression: {exc}"
        except FutureWarning as exc:
            return (f"may change meaning in a future Python ({exc}); write a '[' inside [...] as \\[, "
                    "and do not double '-', '&', '~' or '|' there")
    bad = _UNPORTABLE.search(pattern)
    if bad:
        return (f"uses '{bad.group()}', which browsers and Python read differently; "
                "write character classes like [0-9] or [A-Za-z] and plain (?:...) groups")
    unreadable = next((problem for problem in _problems(pattern) if problem), "")
    if unreadable:
        return (f"uses '{unreadable}', which JavaScript (and so the browser and JSON Schema validators) "
                "cannot read; escape only punctuation that has a meaning (like \\. or \\+), write a literal "
                "'{', '}', '[' or ']' as \\{, \\}, \\[ or \\], and write repeats as {2}, {2,} or {2,5}")
    return ""
