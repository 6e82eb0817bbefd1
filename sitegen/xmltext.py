"""Text made safe to write into XML 1.0 (Atom feeds, sitemap.xml), whatever it holds.

XML 1.0 allows only tab, line feed, carriage return and the characters from
U+0020 on, less the surrogates and U+FFFE/U+FFFF (the `Char` production); one
other character makes the whole file unreadable to a strict parser.  Editors'
text is checked when it is loaded, but text also comes from the feed cache,
site.yaml and YAML escapes, so the writers remove what XML forbids as a last
defence.  The calendar writer uses `xml_safe` too: iCalendar forbids the same
control characters.
"""
from __future__ import annotations

import re

# Everything outside XML 1.0's Char production (also what `sitegen check` refuses
# in editors' text: sitegen.content.yamlsource).  Python strings keep a lone
# surrogate as one code point; a valid pair is already one character above U+FFFF.
NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


# The ASCII characters XML 1.0 allows: tab, line feed, carriage return, and U+0020 to U+007F.
_XML_ASCII = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x80)])


def has_forbidden(text: str) -> bool:
    """Whether TEXT holds a character XML 1.0 forbids (NOT_XML_CHARACTERS).  Most
    text is ASCII, which is checked by byte, ten times as fast as the pattern."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _XML_ASCII))
    return NOT_XML_CHARACTERS.search(text) is not None


def xml_safe(text: str) -> str:
    """TEXT without the characters XML 1.0 forbids (C0 controls other than tab,
    line feed and carriage return; lone surrogates; U+FFFE and U+FFFF)."""
    return NOT_XML_CHARACTERS.sub("", text) if has_forbidden(text) else text


def escape(text: str) -> str:
    """TEXT made safe as XML character data: forbidden characters removed,
    '&', '<' and '>' escaped (as xml.sax.saxutils.escape; that module would bring
    urllib.request and the rest of the HTTP stack with it), and a carriage return
    written as a reference, which a parser would otherwise read as a line feed."""
    return (xml_safe(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("\r", "&#13;"))


def quoteattr(value: str) -> str:
    """VALUE made safe and quoted as an XML attribute value (as xml.sax.saxutils.quoteattr)."""
    value = escape(value).replace("\n", "&#10;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'
