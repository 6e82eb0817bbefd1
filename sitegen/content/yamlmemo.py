"""What parse_yaml made of a text before, kept so that a build reading files it has read
before, unchanged, needs no YAML parser: importing PyYAML alone is 10 ms of a one-area edit.

A memo maps the digest of a text (and the file line it starts on) to the document parsed
from it, pickled when it was made (each use unpickles containers of its own, however the
first was changed since), or to FLAT for a story's front matter of 'key: text' lines, which
yamlsource reads again from the text (only PyYAML's resolvers had to look at it, and they
found nothing to take).  Only a text that parsed without a problem has an entry, and an
entry is right for as long as sitegen's code is the same: whatever keeps a memo is dropped
when the code changes (an area's, in the area cache; the site's files', build/load.py).

parse_yaml reads from and adds to the memo active (`remembering`); outside one, it parses.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from hashlib import blake2b

FLAT = b""   # the entry of front matter the flat reader read (yamlsource._flat_mapping)


class ParseMemo:
    """The documents of texts parsed before (KNOWN: digest -> pickled document, or FLAT)
    and, in USED, those of the texts asked for since: what to keep for the next time."""

    def __init__(self, known: Mapping[bytes, bytes] | None = None):
        self.known = known or {}
        self.used: dict[bytes, bytes] = {}

    @staticmethod
    def key(text: str, first_line: int) -> bytes:
        """The digest TEXT, starting on file line FIRST_LINE, is kept under (16 bytes)."""
        return blake2b(f"{first_line}\n{text}".encode(), digest_size=16).digest()

    def get(self, key: bytes) -> bytes | None:
        """The entry of KEY (the document pickled, or FLAT), or None if it is not known."""
        found = self.known.get(key)
        if found is not None:
            self.used[key] = found
        return found

    def put(self, key: bytes, entry: bytes) -> None:
        """Keep ENTRY (the document just parsed, pickled, or FLAT) under KEY."""
        self.used[key] = entry


_active: ContextVar[ParseMemo | None] = ContextVar("sitegen_parse_memo", default=None)


@contextmanager
def remembering(memo: ParseMemo) -> Iterator[ParseMemo]:
    """Within the block, parse_yaml reads from MEMO and adds what it parses to it."""
    token = _active.set(memo)
    try:
        yield memo
    finally:
        _active.reset(token)


def active_memo() -> ParseMemo | None:
    """The memo parse_yaml uses now, if any."""
    return _active.get()
