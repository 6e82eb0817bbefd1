"""A site's own words for the theme, `locale/<ll>.po` at the site root, read and checked
like any editor input.

An override is merged over the theme's catalogue (sitegen.i18n.catalogue) only when
every message in it would show as written: its msgid (and msgctxt) is a theme message,
its placeholders and HTML tags are the theme message's, a plural message has every form
of the language, and the file's Plural-Forms header (optional: the theme's when absent)
is the language's.  Anything else is a located problem, `locale/cy.po:LINE[:COL]: what;
what to do`, and `check` and every build stop (exit 1).  A message marked `#, fuzzy` (a
draft, which gettext tools leave out) is left out here too, and `check` warns of it; its
words are not checked, but its msgid (and msgctxt) is: a typo there would never apply.

How a message's words are checked depends on where the theme uses it, which its .pot
locations say (`usage`).  The templates trust the words as HTML: Jinja's gettext marks a
message's words safe (its placeholders' values are escaped), in element text and in
attribute values alike (`aria-label="{{ _('Breadcrumb') }}"`), and %-formats every one.  So
there an override may add no tag, and no `<` or straight `"` that the theme's message lacks,
and writes a percent sign as %%.  Python code and the scripts use other messages as plain
text (escaped where they go, or set as a script's textContent): there `<`, `&` and `"` are
words shown as written, an entity such as `&lt;` would show as it is (refused), and a percent
sign is %% only where the code %-formats the message (its python-format flag; the scripts
fill in `%(name)s` themselves and read no %%).  A message used both ways is held to both.
"""
from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import babel
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, PoFileParser

from .errors import WARNING, Problem, SitegenError, did_you_mean

THEME_TEMPLATE = "sitegen/theme/locale/messages.pot"   # where an editor copies msgids from (shown)
MAX_BYTES = 1_000_000                         # the theme's every message in Welsh is under 100 kB
DOMAIN = "messages"

Key = tuple[str, str | None]                  # (msgid, or a plural's singular msgid; msgctxt)


@dataclass(frozen=True)
class Theme:
    """What a site's overrides for one language are checked against.

    MESSAGES: the theme's messages (its messages.pot) by (msgid, msgctxt); PLURAL_FORMS:
    the language's Plural-Forms header ("nplurals=6; plural=(...);"), the theme
    catalogue's or, without one, Babel's; NPLURALS: its number of forms."""

    messages: Mapping[Key, Message]
    plural_forms: str
    nplurals: int

    @classmethod
    def of(cls, template: Catalog, language: Catalog | None, locale: babel.Locale) -> Theme:
        """The theme for LOCALE from the theme's TEMPLATE (.pot) and its LANGUAGE catalogue, if any."""
        messages = {(_singular(m.id), m.context): m for m in template if m.id}
        if language is not None:
            return cls(messages, language.plural_forms, language.num_plurals)
        rule = get_plural(locale)
        return cls(messages, rule.plural_forms, rule.num_plurals)


def _singular(msgid: str | tuple[str, ...] | list[str]) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


# Reading ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Overrides:
    """A site's override file as read: its catalogue, the messages given twice (line, first
    line, msgid), and its Plural-Forms header as written (value, line), if any."""

    catalog: Catalog
    repeated: tuple[tuple[int, int, str], ...]
    plural_header: tuple[str, int] | None


class _Recording(Catalog):
    """A Catalog that notes a message given twice (Babel keeps the first, silently)."""

    def __init__(self, locale: babel.Locale) -> None:
        super().__init__(locale=locale, domain=DOMAIN)
        self.repeated: list[tuple[int, int, str]] = []

    def __setitem__(self, id: str | tuple[str, ...] | list[str], message: Message) -> None:
        first = self.get(id, message.context) if id else None
        if first is not None:
            self.repeated.append((message.lineno or 0, first.lineno or 0, _singular(id)))
        super().__setitem__(id, message)


KEYWORD = re.compile(r'(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)?'
                     r'(?P<space>\s*)(?P<text>".*)')
STRING = re.compile(r'"(?:[^"\\]|\\[\\"ntr])*"\s*')
ESCAPE = re.compile(r'\\(?![\\"ntr])')
PLURAL_HEADER = re.compile(r'^\s*"Plural-Forms:\s*(?P<value>(?:[^"\\]|\\[^n])*)(?:\\n)?"', re.IGNORECASE)


def read(path: Path, shown: str, locale: babel.Locale, plural_forms: str | None = None) -> Overrides:
    """The site's override file at PATH (SHOWN in problems), read for LOCALE.

    Raises SitegenError when it is not UTF-8, larger than MAX_BYTES, not .po syntax, or
    has a Plural-Forms header other than PLURAL_FORMS (when given): each problem at its
    line, and column where known."""
    lines = _lines(path, shown)
    problems = [p for number, line in enumerate(lines, 1) for p in _line_problems(shown, number, line)]
    header = next(((m.group("value").strip(), number) for number, line in enumerate(lines, 1)
                   if (m := PLURAL_HEADER.match(line))), None)
    if header and plural_forms and _plural_rule(header[0]) != _plural_rule(plural_forms):
        problems.append(Problem(shown, header[1], 0, (
            f"Plural-Forms must be the language's, {plural_forms!r}, as in the theme's catalogue; "
            "copy that, or remove the line (the theme's is then used)")))
    if problems:
        raise SitegenError(problems)
    catalog = _Recording(locale)
    try:   # (the header read first: Babel counts a message's plural forms by it)
        PoFileParser(catalog, ignore_obsolete=True, abort_invalid=True).parse(lines)
    except PoFileError as error:   # Babel's lineno counts from 0
        raise SitegenError([Problem(shown, error.lineno + 1, 0, _parse_fault(error, catalog))]) from None
    return Overrides(catalog, tuple(catalog.repeated), header)


def _lines(path: Path, shown: str) -> list[str]:
    """The lines of the UTF-8 file at PATH; raises SitegenError (located) when it cannot be."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise SitegenError([Problem(shown, 0, 0, f"cannot be read ({error.strerror}); make it a .po file "
                                                 "the build can read")]) from None
    if len(data) > MAX_BYTES:
        raise SitegenError([Problem(shown, 0, 0, f"is larger than {MAX_BYTES // 1000} kB; an override file "
                                                 "holds only the messages the site changes")])
    try:
        return data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SitegenError([Problem(shown, line, col, "is not UTF-8 text; save it as UTF-8 "
                                                      "(a .po editor such as Poedit does)")]) from None


def _line_problems(shown: str, number: int, line: str) -> list[Problem]:
    """Babel reads a broken string as an empty one (the theme's words, silently): catch it here."""
    stripped = line.lstrip()
    if not stripped or stripped.startswith("#"):
        return []
    indent = len(line) - len(stripped)
    found = KEYWORD.fullmatch(stripped)
    if not found or (found.group("keyword") and not found.group("space")):
        return []   # Babel names what it cannot read (an unknown keyword) at its line
    text, start = found.group("text"), indent + found.start("text")
    if STRING.fullmatch(text):
        return []
    escape = ESCAPE.search(text)
    if escape and STRING.fullmatch(ESCAPE.sub(r"\\\\", text)):
        return [Problem(shown, number, start + escape.start() + 1,
                        "this backslash starts no escape a .po file knows; write \\\\ for a backslash "
                        "(\\n, \\t, \\\" and \\\\ are the escapes)")]
    return [Problem(shown, number, start + 1,
                    "the words must be one text between double quotes; write \\\" for a quotation mark "
                    "inside, and end the line with the closing \"")]


def _parse_fault(error: PoFileError, catalog: Catalog) -> str:
    said = re.sub(r" on \d+$", "", str(error))
    if "more translations than num_plurals" in said:
        return (f"this message has more plural forms than the language has ({catalog.num_plurals}: "
                f"msgstr[0] to msgstr[{catalog.num_plurals - 1}]); remove the others")
    if said.startswith("missing msgstr"):
        return ("this msgid has no msgstr; write msgstr \"...\" on the line after it "
                "(msgstr \"\" keeps the theme's)")
    return (f"this line is not .po syntax ({said}); a message is msgid \"...\" then msgstr \"...\", "
            "and a comment starts with #")


# Checking -----------------------------------------------------------------------------------

def overrides(path: Path, shown: str, locale: babel.Locale, theme: Theme) -> list[Message]:
    """The messages of the site's override file at PATH to merge over THEME's: those with
    words and not fuzzy.  Raises SitegenError with every problem of the file."""
    read_file = read(path, shown, locale, theme.plural_forms)
    problems = _repeat_problems(read_file, shown)
    given = [m for m in read_file.catalog if m.id and _has_words(m)]
    kept = [m for m in given if not m.fuzzy]
    for message in given:   # a draft's words may be unfinished, but a msgid with a typo never applies
        problems.extend(message_problems(message, shown, theme) if not message.fuzzy
                        else _identity_problems(message, shown, theme))
    if problems:
        raise SitegenError(problems)
    return kept


def fuzzy_warnings(path: Path, shown: str, locale: babel.Locale, theme: Theme) -> list[Problem]:
    """A warning at each fuzzy message with words in the override file at PATH: it is left out.
    Nothing for a file that does not read, nor for a msgid THEME lacks (the build's problems)."""
    try:
        catalog = read(path, shown, locale).catalog
    except SitegenError:
        return []
    return [Problem(shown, message.lineno or 0, 0,
                    f"the words for {_singular(message.id)!r} are marked fuzzy (a draft), so the theme's "
                    "words show instead; remove '#, fuzzy' above it once the words are right", WARNING)
            for message in catalog if message.id and message.fuzzy and _has_words(message)
            and (_singular(message.id), message.context) in theme.messages]


def _has_words(message: Message) -> bool:
    return any(_strings(message))


def _strings(message: Message) -> tuple[str, ...]:
    """A message's words: one, or each plural form ("" for one not written)."""
    string = message.string
    return tuple(string) if isinstance(string, (list, tuple)) else (string or "",)


def _ids(message: Message) -> tuple[str, ...]:
    """A message's msgid, or its singular and plural msgids."""
    return (message.id,) if isinstance(message.id, str) else tuple(message.id)


def _plural_rule(value: str) -> str:
    return re.sub(r"\s+", "", value).rstrip(";")


def _repeat_problems(read_file: Overrides, shown: str) -> list[Problem]:
    return [Problem(shown, line, 0, f"{msgid!r} is given again here (first on line {first}), and only the "
                                    "first counts; keep one of them")
            for line, first, msgid in read_file.repeated]


def message_problems(message: Message, shown: str, theme: Theme) -> list[Problem]:
    """What is wrong with one override MESSAGE (with words, not fuzzy) against THEME: each a
    Problem at the msgid's line of the file SHOWN."""
    unknown = _identity_problems(message, shown, theme)
    if unknown:
        return unknown
    english = _singular(message.id)
    line = message.lineno or 0
    original = theme.messages[(english, message.context)]
    shape = _plural_fault(message, original, theme)
    if shape:
        return [Problem(shown, line, 0, shape)]
    use = usage(original)
    faults = dict.fromkeys(fault for text in _strings(message)
                           for fault in (percent_fault(use, _ids(original), text, message.pluralizable),
                                         use_fault(use, english, text)) if fault)
    return [Problem(shown, line, 0, f"the words for {english!r} {fault}") for fault in faults]


def _identity_problems(message: Message, shown: str, theme: Theme) -> list[Problem]:
    """[a Problem] when MESSAGE (a draft too) names no message of THEME by its msgid and msgctxt."""
    english = _singular(message.id)
    if (english, message.context) in theme.messages:
        return []
    return [Problem(shown, message.lineno or 0, 0, _unknown(english, message.context, theme, message.fuzzy))]


def _unknown(english: str, context: str | None, theme: Theme, draft: bool = False) -> str:
    contexts = sorted(repr(c) for (msgid, c) in theme.messages if msgid == english and c is not None)
    if contexts:
        return (f"the theme has {english!r} only with msgctxt {' or '.join(contexts)}; write that msgctxt "
                "line just above its msgid")
    where = f" with msgctxt {context!r}" if context is not None else ""
    never = " (even once '#, fuzzy' is removed)" if draft else ""
    return (f"{english!r}{where} is not a message of the theme, so these words would show nowhere{never}; "
            f"copy its msgid exactly from {THEME_TEMPLATE}, or remove the message"
            f"{did_you_mean(english, {msgid for msgid, _ in theme.messages})}")


def _plural_fault(message: Message, original: Message, theme: Theme) -> str | None:
    if original.pluralizable and not message.pluralizable:
        return (f"{original.id[0]!r} is a plural message; write msgid_plural {original.id[1]!r} and "
                f"msgstr[0] to msgstr[{theme.nplurals - 1}]")
    if message.pluralizable and not original.pluralizable:
        return f"{original.id!r} is not a plural message; write one msgstr, without msgid_plural"
    if not message.pluralizable:
        return None
    if message.id[1] != original.id[1]:
        return f"the msgid_plural of {original.id[0]!r} must be the theme's, {original.id[1]!r}"
    missing = [f"msgstr[{n}]" for n, text in enumerate(_strings(message)) if not text]
    if missing:
        return (f"the words for {original.id[0]!r} need all {theme.nplurals} plural forms of the language; "
                f"write {', '.join(missing)} (msgstr[0] to msgstr[{theme.nplurals - 1}])")
    return None


# How the code uses a message ---------------------------------------------------------------------

HTML_CODE = frozenset({"sitegen/notfound.py"})          # Python that makes HTML (Markup) of a message
SCRIPT_CODE = frozenset({"sitegen/scriptwords.py",      # words a script fills in and sets as text:
                         "sitegen/forms/rules.py"})     # finder.js, locate.js, site.js, forms.js


@dataclass(frozen=True)
class Usage:
    """How the code shows one theme message's words: as HTML (a template, or HTML_CODE) and/or
    as plain text (other Python, escaped where it goes, and the scripts' words); a percent
    sign in them DOUBLED (%-formatted: the templates, Python where the message is
    python-format) and/or AS_WRITTEN (the scripts, Python that does not format it)."""

    html: bool
    text: bool
    doubled: bool
    as_written: bool


def usage(message: Message) -> Usage:
    """The Usage of MESSAGE, a message of the theme's .pot, from its locations (#: file:line)
    and flags; one with no location is taken as a template's."""
    html_use = text_use = doubled = as_written = False
    for filename, _line in message.locations or [("", 0)]:
        if filename.endswith(".html") or filename in HTML_CODE or not filename:
            html_use = doubled = True
        elif filename in SCRIPT_CODE:
            text_use = as_written = True
        else:
            text_use = True
            doubled, as_written = (doubled or message.python_format, as_written or not message.python_format)
    return Usage(html_use, text_use, doubled, as_written)


def percent_fault(use: Usage, ids: tuple[str, ...], text: str, plural: bool) -> str | None:
    """Why TEXT's placeholders or percent signs would not show as written where USE says the
    message IDS shows (see placeholder_fault); None when they would."""
    if not use.as_written:
        return placeholder_fault(ids, text, plural)
    if use.doubled:   # %-formatted in one place, shown as written in another
        fault = placeholder_fault(ids, text, plural)
        if fault or not _percent_free(text):
            return ("must keep its placeholders and have no other percent sign: some pages fill these words "
                    "in and others show them as written, so a percent sign cannot show the same in both; "
                    "write the words 'per cent'")
        return None
    wanted = [frozenset(NAMED.findall(one)) for one in ids]
    named = frozenset(NAMED.findall(text))
    if not (named <= frozenset().union(*wanted) if plural else named == wanted[0]):
        kept = ", ".join(sorted(frozenset().union(*wanted))) or "no placeholders"
        return f"must keep its placeholders ({kept})"
    if "%%" in NAMED.sub("", text):
        return ("write a percent sign once, as %: these words are shown as written (not filled in), "
                "so %% would show as %%")
    return None


NAMED = re.compile(r"%\(\w+\)s|%\{\w+\}")   # the placeholders the scripts and govuk-frontend fill in


def _percent_free(text: str) -> bool:
    """Whether TEXT has no percent sign but its placeholders' (no %%, no lone %)."""
    signs = PLACEHOLDER.sub(lambda found: found.group(0) if found.group(0) in ("%", "%%") else "", text)
    return "%" not in signs


CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")


def entity(text: str) -> str | None:
    """The first character reference in TEXT that HTML would read as a character ("&lt;"), if any."""
    return next((found.group(0) for found in CHARACTER_REFERENCE.finditer(text)
                 if html.unescape(found.group(0)) != found.group(0)), None)


def use_fault(use: Usage, english: str, text: str) -> str | None:
    """Why TEXT, the words for ENGLISH, would not show as written where USE says it shows:
    in HTML (markup_fault), as plain text (an entity would show as it is), or both."""
    if not use.text:
        return markup_fault(english, text)
    if not use.html:
        found = entity(text)
        if found:
            return (f"are shown as written, not read as HTML, so {found} would show as it is; "
                    f"write the character itself ({html.unescape(found)})")
        return None
    for sign, instead in (("<", "write no < (the HTML would read a tag, the text shows &lt; as it is)"),
                          ('"', "write quotation marks as “ ” (a straight \" would end an HTML attribute)")):
        if sign in text and sign not in english:
            return f"show both in a page's HTML and as plain text, so {instead}"
    if html.unescape(text) != text:
        return ("show both in a page's HTML and as plain text, so an & with a name after it (like &amp;) "
                "reads differently in each; write the character itself, and & only before a space")
    return markup_fault(english, text)


# Placeholders ----------------------------------------------------------------------------------

# %% (a percent sign), %(name)s and %s with Python's flags, width, precision and conversion,
# govuk-frontend's %{name} (its components' words, filled in by its JavaScript), or a lone %.
PLACEHOLDER = re.compile(r"%%|%\{\w+\}|%(?:\((?P<name>\w+)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?"
                         r"(?P<conversion>[diouxXeEfFgGcrsa])|%")


def placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...], int]:
    """TEXT's placeholders: its named ones ("%(name)s", "%{name}"), its positional ones in
    order ("%s", "%d"), and how many lone percent signs it has (%% is one written)."""
    named, positional, lone = set(), [], 0
    for found in PLACEHOLDER.finditer(text):
        if found.group(0) == "%%":
            continue
        if found.group(0).startswith("%{"):
            named.add(found.group(0))
        elif not found.group("conversion"):
            lone += 1
        elif found.group("name"):
            named.add(found.group(0))
        else:
            positional.append(found.group(0))
    return frozenset(named), tuple(positional), lone


def placeholder_fault(ids: tuple[str, ...], text: str, plural: bool) -> str | None:
    """Why TEXT, the words for the msgid IDS (singular and plural, for a plural message),
    would break the pages showing it: a named placeholder added or dropped (a plural form
    may drop one: "one ward"), positional placeholders changed, or a lone percent sign;
    None when it would not."""
    wanted = [placeholders(one) for one in ids]
    named, positional, lone = placeholders(text)
    all_named = frozenset().union(*(w[0] for w in wanted))
    named_ok = named <= all_named if plural else named == wanted[0][0]
    if named_ok and positional in {w[1] for w in wanted} and (lone == 0 or any(w[2] for w in wanted)):
        return None
    kept = sorted(all_named) + list(wanted[0][1])
    return (f"must keep its placeholders ({', '.join(kept) or 'no placeholders'}) "
            "and write a percent sign as %%")


# Markup --------------------------------------------------------------------------------------

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

Element = tuple[str, tuple[tuple[str, str], ...]]   # (tag, sorted attributes)


class _Markup(HTMLParser):
    """The HTML of some words: each element by its ancestors, and the text between tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)   # so "&lt;" stays text, never a "<"
        self.shape: Counter[tuple[object, ...]] = Counter()
        self.text: list[str] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = (tag, tuple(sorted((name, value or "") for name, value in attrs)))
        self.shape[(*self._open, element)] += 1
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.shape[(*self._open, (tag, tuple(sorted((n, v or "") for n, v in attrs))))] += 1

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            self._open.pop()
        else:
            self.shape[("stray end tag", tag, *self._open)] += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def handle_comment(self, data: str) -> None:
        self.shape[("comment", data)] += 1

    def handle_decl(self, decl: str) -> None:
        self.shape[("declaration", decl)] += 1

    def unknown_decl(self, data: str) -> None:
        self.shape[("declaration", data)] += 1

    def handle_pi(self, data: str) -> None:
        self.shape[("instruction", data)] += 1

    def close(self) -> None:
        super().close()
        for element in self._open:
            self.shape[("unclosed", element)] += 1


def markup(text: str) -> tuple[Counter[tuple[object, ...]], str]:
    """TEXT's HTML: how many of each element (with its ancestors, tags and attributes), and
    its text between tags (entities as written)."""
    parser = _Markup()
    parser.feed(text)
    parser.close()
    return parser.shape, "".join(parser.text)


def markup_fault(english: str, text: str) -> str | None:
    """Why TEXT, the words for ENGLISH, would change the page's HTML: a tag or attribute of
    ENGLISH's dropped or changed, one added, or a `<` or straight `"` ENGLISH has not (the
    words may stand in an attribute value); None when its tags are ENGLISH's."""
    wanted, wanted_text = markup(english)
    found, found_text = markup(text)
    if found != wanted:
        lost, added = wanted - found, found - wanted
        left_open = next((key for key in added if key[0] == "unclosed"), None)
        what = (f"close {_shown(left_open)} with its end tag" if left_open
                else f"{_shown(next(iter(lost)))} is missing or changed" if lost
                else f"{_shown(next(iter(added)))} is not in the theme's message")
        return (f"must keep the theme's HTML tags and attributes as they are, and add none (only the "
                f"words between the tags may change): {what}")
    if "<" in found_text and "<" not in wanted_text:
        return "write a less-than sign as &lt; (a < starts an HTML tag)"
    if '"' in found_text and '"' not in wanted_text:
        return ("write quotation marks as “ ” (or &quot;): a straight \" would end the HTML attribute "
                "these words may stand in")
    return None


def _shown(key: tuple[object, ...]) -> str:
    """One element of a markup shape as an editor would write it."""
    last = key[-1]
    if isinstance(last, tuple) and len(last) == 2 and isinstance(last[0], str):
        tag, attrs = last
        written = "".join(f' {name}="{value}"' for name, value in attrs)
        return f"<{tag}{written}>"
    if key[0] == "stray end tag":
        return f"</{key[1]}> (closing nothing open)"
    return f"an HTML {key[0]}"
