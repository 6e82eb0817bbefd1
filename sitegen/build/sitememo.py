"""The parse memo of the site's own settings (site.yaml, and site.<ll>.yaml for each other
language), kept in the state folder between builds, as the area cache keeps each area's
(sitegen.content.yamlmemo): a build whose settings are unchanged does not parse them again.

On disk: one pickle of (sitegen's code hash, {digest: entry}) after a line with its CRC-32
(crcfile.py); one made by other code, damaged or unreadable is no memo.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from ..content.yamlmemo import ParseMemo
from ..fileio import atomic_write
from .crcfile import checked_body, with_crc

SITE_MEMO_FILE = "site-parses.pickle"
SITE_MEMO_KIND = b"sitegen site parse memo"   # its first line: this and the CRC-32 (crcfile)


def read_site_memo(state_dir: Path, code: str, *, read: bool = True) -> ParseMemo:
    """The memo kept in STATE_DIR by a build of the same CODE (an empty one if none, or
    if not READ: a build that starts from no state reads no cache)."""
    known = None
    if read:
        try:
            data = checked_body(SITE_MEMO_KIND, (state_dir / SITE_MEMO_FILE).read_bytes())
            kept_code, kept = pickle.loads(data)  # noqa: S301 - our own cache file, as written
            known = kept if kept_code == code and isinstance(kept, dict) else None
        except Exception:   # missing, damaged (DamagedFile), or whatever else it raises
            known = None
    return ParseMemo(known)


def keep_site_memo(state_dir: Path, code: str, memo: ParseMemo) -> None:
    """Write what MEMO was asked for, unless that is what it was read with."""
    if memo.used != memo.known:
        data = pickle.dumps((code, memo.used), pickle.HIGHEST_PROTOCOL)
        atomic_write(state_dir / SITE_MEMO_FILE, with_crc(SITE_MEMO_KIND, data), cache=True)
