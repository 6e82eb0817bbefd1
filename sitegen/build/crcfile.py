"""Cache files that read as lost when damaged: a first line naming what the file holds and the
CRC-32 of the rest ('<kind> crc32 1a2b3c4d'), then the rest.  A byte changed anywhere makes
the file read as none, never as other values (a pickle or JSON that still loads, with another
word or number in it, would be published).  The event ledger's shards, the area cache's and
the site's parse memo are such files; the build state has a CRC of its own (state.py).
"""
from __future__ import annotations

import zlib


class DamagedFile(ValueError):
    """A file's CRC-32 is not its content's, or it is not of the kind asked for."""


def with_crc(kind: bytes, body: bytes) -> bytes:
    """BODY as a file of KIND holds it: the line naming KIND and BODY's CRC-32, then BODY."""
    return kind + b" crc32 %08x\n" % zlib.crc32(body) + body


def checked_body(kind: bytes, data: bytes) -> bytes:
    """The body of DATA, a file with_crc wrote as of KIND; DamagedFile if it is not exactly that."""
    header, newline, body = data.partition(b"\n")
    if not newline or header != kind + b" crc32 %08x" % zlib.crc32(body):
        raise DamagedFile(f"not a {kind.decode(errors='replace')} file as written (its CRC-32 or first line)")
    return body
