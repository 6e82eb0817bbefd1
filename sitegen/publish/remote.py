"""The remote side of a publish: what is in the bucket under the prefix.

One paginated listing (1 request per 1,000 keys) gives each object's size and
ETag; the publish state (one GET) gives the MD5 and headers we uploaded it
with.  Only objects the state does not cover, and that could be unchanged
(same path and size as a local file), are asked about with HEAD.
"""
from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError

from .clients import Target
from .headers import Headers
from .local import LocalFile
from .plan import RemoteObject
from .state import STATE_NAME, State, decode, decode_pending

MD5_METADATA = "sitegen-md5"
Listing = dict[str, tuple[int, str]]


def list_objects(s3: Any, target: Target) -> Listing:
    """Every key under the prefix as {path: (size, etag)}, the prefix stripped."""
    found: Listing = {}
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=target.bucket, Prefix=target.key_prefix)
    for page in pages:
        for obj in page.get("Contents", ()):
            path = obj["Key"][len(target.key_prefix):]
            if path:
                found[path] = (obj["Size"], obj["ETag"].strip('"'))
    return found


def read_state(s3: Any, target: Target) -> tuple[State, tuple[str, ...]]:
    """The publish state recorded under the prefix, and the CDN paths it says are still to invalidate."""
    body = s3.get_object(Bucket=target.bucket, Key=target.key(STATE_NAME))["Body"]
    with body:
        data = body.read()
    return decode(data), decode_pending(data)


def head_object(s3: Any, target: Target, path: str) -> RemoteObject | None:
    """Size, ETag, recorded MD5 and headers of one object (None if it has gone)."""
    try:
        head = s3.head_object(Bucket=target.bucket, Key=target.key(path))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
            return None
        raise
    headers = Headers(head.get("ContentType", ""), head.get("CacheControl", ""))
    return RemoteObject(path, head["ContentLength"], head["ETag"].strip('"'),
                        head.get("Metadata", {}).get(MD5_METADATA), headers)


def classify(listing: Listing, state: State,
             sizes: dict[str, int]) -> tuple[dict[str, RemoteObject], list[str]]:
    """Objects the state covers (or that differ in size anyway), and the paths to HEAD."""
    known: dict[str, RemoteObject] = {}
    to_head = []
    for path, (size, etag) in listing.items():
        entry = state.get(path)
        if entry and entry.etag == etag:
            known[path] = RemoteObject(path, size, etag, entry.md5, entry.headers)
        elif sizes.get(path) == size:
            to_head.append(path)
        else:
            known[path] = RemoteObject(path, size, etag)
    return known, to_head


def fetch_remote(s3: Any, target: Target, local: Iterable[LocalFile], jobs: int,
                 verify: bool = False) -> tuple[dict[str, RemoteObject], State, tuple[str, ...]]:
    """What the bucket holds, as RemoteObjects by path, the recorded state, and
    the CDN paths a stopped publish left to invalidate.

    With VERIFY the state is not trusted: every object that could be unchanged
    is asked about with HEAD.
    """
    listing = list_objects(s3, target)
    state, pending = read_state(s3, target) if listing.pop(STATE_NAME, None) else ({}, ())
    known, to_head = classify(listing, {} if verify else state, {f.path: f.size for f in local})
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        for obj in pool.map(lambda path: head_object(s3, target, path), to_head):
            if obj:
                known[obj.path] = obj
    return known, state, pending
