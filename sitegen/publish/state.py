"""The publish state: one small JSON object kept beside the site in the bucket.

Listing a bucket gives each object's size and ETag but not its headers, and a
multipart object's ETag is not the MD5 of its bytes.  Rather than a HEAD
request per object every night, each publish records, per path, the ETag the
object got and the MD5 and headers it was uploaded with.  An entry is trusted
only while the object's ETag is still the recorded one; an object that is not
covered (uploaded by another tool, or by a run that stopped before writing the
state) is asked about with HEAD once, and recorded after that.

The state also records what a publish still owes the CDN: before the first
page is uploaded, the paths it will invalidate are written down as
`pending`, and they stay there until CloudFront has invalidated them.  A
publish stopped anywhere in between (killed, Ctrl-C, a failure) leaves them
recorded, and the next publish invalidates them along with its own.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

from .headers import Headers

STATE_NAME = ".sitegen-publish.json"
FORMAT = 1


@dataclass(frozen=True)
class Entry:
    """What we know about one object we uploaded."""

    etag: str
    md5: str
    headers: Headers


State = dict[str, Entry]


def encode(state: State, pending: tuple[str, ...] = ()) -> bytes:
    """The state, and the CDN paths still to invalidate (PENDING), as canonical JSON bytes."""
    objects = {path: {"etag": e.etag, "md5": e.md5, "content_type": e.headers.content_type,
                      "cache_control": e.headers.cache_control}
               for path, e in sorted(state.items())}
    record = {"format": FORMAT, "objects": objects}
    if pending:
        record["pending_invalidations"] = sorted(set(pending))
    return json.dumps(record, indent=0, sort_keys=True).encode()


def decode_pending(data: bytes) -> tuple[str, ...]:
    """The CDN paths a stopped publish recorded and did not invalidate (none if unreadable)."""
    try:
        paths = json.loads(data).get("pending_invalidations", [])
    except (ValueError, AttributeError):
        return ()
    return tuple(sorted({p for p in paths if isinstance(p, str) and p.startswith("/")})) \
        if isinstance(paths, list) else ()


def decode(data: bytes) -> State:
    """Parse state bytes; anything unreadable or of another format is an empty state."""
    try:
        doc = json.loads(data)
        if doc.get("format") != FORMAT:
            return {}
        return {path: Entry(o["etag"], o["md5"], Headers(o["content_type"], o["cache_control"]))
                for path, o in doc["objects"].items()}
    except (ValueError, TypeError, KeyError, AttributeError):
        return {}
