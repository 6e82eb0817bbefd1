"""The API's untrusted HTML (descriptions, bios, priorities) as plain text.

It is cleaned with nh3 and turned into plain text, which templates then escape.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from typing import Any

import nh3

from ...xmltext import NOT_XML_CHARACTERS

BLOCK_TAGS = {"p", "div", "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "tr"}
DROP_WITH_CONTENT = {"script", "style", "template", "iframe", "noscript", "object", "embed", "svg", "math",
                     "title", "textarea", "select", "noembed", "noframes", "xmp"}


class _TextCollector(HTMLParser):
    """Text of already-cleaned HTML, with paragraph breaks at block elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.parts.append("\n")
        elif tag in BLOCK_TAGS:
            self.parts.append("\n\n- " if tag == "li" else "\n\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        self.parts.append(re.sub(r"\s+", " ", data))   # source line breaks are only spaces in HTML


def html_to_text(value: Any) -> str:
    """Untrusted HTML (or plain text) from the API as plain text: paragraphs split by blank lines,
    without the characters XML cannot carry (control characters, lone surrogates).

    nh3 first keeps only a few block tags, with no attributes, and drops
    scripts, styles and the like with their content; the rest becomes text.
    """
    if not isinstance(value, str) or not value.strip():
        return ""
    value = NOT_XML_CHARACTERS.sub("", value)   # control characters and the like: check refuses them
    if not re.search(r"<[A-Za-z!/?]", value):
        return _paragraphs(html.unescape(value).replace("\r", "").split("\n"))
    cleaned = nh3.clean(value, tags=BLOCK_TAGS | {"br"}, attributes={}, clean_content_tags=DROP_WITH_CONTENT,
                        strip_comments=True, link_rel=None)
    collector = _TextCollector()
    collector.feed(cleaned)
    collector.close()
    return _paragraphs(re.split(r"\n\s*\n", "".join(collector.parts)), keep_breaks=True)


def _paragraphs(blocks: list[str], keep_breaks: bool = False) -> str:
    out = []
    for block in blocks:
        lines = [" ".join(line.split()) for line in (block.split("\n") if keep_breaks else [block])]
        text = "\n".join(line for line in lines if line)
        if text and text != "-":
            out.append(text)
    return "\n\n".join(out)


def one_line(value: Any) -> str:
    """Untrusted VALUE as text on one line: tags dropped (scripts with their content),
    whitespace collapsed."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return " ".join(html_to_text(value).split())


def clip(text: str, limit: int) -> str:
    """TEXT cut to LIMIT characters at a word, with an ellipsis when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > limit // 2 else cut).rstrip(" ,.;:\n") + "…"
