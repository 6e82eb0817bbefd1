"""A feed's bytes as text, decoded with the encoding the feed declares.  Pure: no I/O.

feedparser, finding a body that is not valid in its declared encoding, silently
decodes the whole document again as windows-1252, so one stray byte turns every
`é`, `–` and `£` of every post into `Ã©`, `â€“` and `Â£`.  sitegen decodes the
bytes itself instead, as RFC 7303 (XML media types) orders: a byte-order mark
first, then the HTTP Content-Type's charset, then the XML declaration, else
UTF-8.  A byte that is not valid in that encoding becomes U+FFFD and every other
character is kept.  An encoding nobody can decode with is refused.
"""
from __future__ import annotations

import codecs
import re
from email.message import Message

DEFAULT = "utf-8"
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# XML 1.0 appendix F: "<?" without a byte-order mark in the two UTF-16 byte orders.
_UTF16_WITHOUT_BOM = ((b"<\x00?\x00", "utf-16-le"), (b"\x00<\x00?", "utf-16-be"))
_XML_DECLARATION_ENCODING = re.compile(
    rb"<\?xml[^>]*?\sencoding\s*=\s*[\"']([A-Za-z][A-Za-z0-9._-]{0,39})[\"']")
# Python codecs that are not character encodings of documents: they would read
# backslash escapes or host names, not text.
_NOT_DOCUMENT_ENCODINGS = frozenset({"unicode-escape", "raw-unicode-escape", "idna", "punycode", "undefined",
                                     "palmos", "utf-7"})
_WIDE = ("utf-16", "utf-32")


class UnknownEncoding(ValueError):
    """The feed declares an encoding that cannot be used to read it."""


def decode_feed(body: bytes, content_type: str = "") -> str:
    """BODY as text, in the encoding it declares (CONTENT_TYPE is the HTTP header, if any).

    Bytes invalid in that encoding become U+FFFD.  Raises UnknownEncoding for a
    declared encoding Python does not know, or one that is not for documents.
    """
    encoding, skip = declared_encoding(body, content_type)
    return body[skip:].decode(encoding, errors="replace")


def declared_encoding(body: bytes, content_type: str = "") -> tuple[str, int]:
    """(the codec to read BODY with, the length of its byte-order mark).

    A charset in CONTENT_TYPE that cannot be used gives way to the XML
    declaration; UnknownEncoding when no declared encoding can be used.
    """
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return encoding, len(bom)
    refused: UnknownEncoding | None = None
    for label in filter(None, (_http_charset(content_type), _xml_declared(body))):
        try:
            name = _codec(label)
        except UnknownEncoding as exc:  # a server's odd charset: the document's own declaration may do
            refused = refused or exc
            continue
        if name.startswith(_WIDE) and not _looks_wide(body):
            # A UTF-16 label read in single bytes contradicts itself (XML 1.0, 4.3.3): the bytes are UTF-8's.
            return DEFAULT, 0
        return name, 0
    if refused is not None:
        raise refused
    return DEFAULT, 0


def _http_charset(content_type: str) -> str:
    if not content_type:
        return ""
    header = Message()
    header["content-type"] = content_type
    charset = header.get_param("charset")
    return charset.strip() if isinstance(charset, str) else ""


def _xml_declared(body: bytes) -> str:
    head = body[:1024]
    for marker, encoding in _UTF16_WITHOUT_BOM:
        if head.startswith(marker):
            head = head.decode(encoding, errors="replace").encode("ascii", errors="replace")
            break
    match = _XML_DECLARATION_ENCODING.match(head)
    return match.group(1).decode("ascii") if match else ""


def _looks_wide(body: bytes) -> bool:
    return any(body.startswith(marker) for marker, _ in _UTF16_WITHOUT_BOM) or body[:2].count(0) > 0


def _codec(label: str) -> str:
    """Python's name for the encoding LABEL; UnknownEncoding when there is none fit for documents."""
    try:
        name = codecs.lookup(label).name
    except LookupError:
        raise UnknownEncoding(
            f"the feed declares the character encoding '{label[:40]}', which is unknown") from None
    if name in _NOT_DOCUMENT_ENCODINGS or not getattr(codecs.lookup(label), "_is_text_encoding", True):
        raise UnknownEncoding(f"the feed declares '{label[:40]}', which "
                              "is not a character encoding for documents")
    return name
