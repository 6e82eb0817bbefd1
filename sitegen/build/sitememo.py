"""The parse memo of the site's own settings (site.yaml, and site.<ll>.yaml for each other
language), kept in the state folder between builds, as the area cache keeps each area's
(sitegen.content.yamlmemo): a build whose settings are unchanged does not parse them again.

On disk: one pickle of (sitegen's code hash, {digest: entry}); one made by other code, or
unreadable, is no memo.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from ..content.yamlmemo import ParseMemo
from ..fileio import atomic_write

SITE_MEMO_FILE = "site-parses.pickle"


def read_site_memo(state_dir: Path, code: str, *, read: bool = True) -> ParseMemo:
    """The memo kept in STATE_DIR by a build of the same CODE (an empty one if none, or
    if not READ: a build that starts from no state reads no cache)."""
    known = None
    if read:
        try:
            with (state_dir / SITE_MEMO_FILE).open("rb") as handle:
                kept_code, kept = pickle.load(handle)  # noqa: S301 - our own cache file
            known = kept if kept_code == code and isinstance(kept, dict) else None
        except Exception:   # missing, or whatever a damaged file raises
            known = None
    return ParseMemo(known)


def keep_site_memo(state_dir: Path, code: str, memo: ParseMemo) -> None:
    """Write what MEMO was asked for, unless that is what it was read with."""
    if memo.used != memo.known:
        atomic_write(state_dir / SITE_MEMO_FILE, pickle.dumps((code, memo.used), pickle.HIGHEST_PROTOCOL),
                     cache=True)
