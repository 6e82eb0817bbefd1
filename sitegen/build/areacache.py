"""Loaded areas kept between builds, so a rebuild parses only the areas that changed.

The cache is split into shards (a slug always falls in the same one), each a
pickle of (sitegen code hash, {slug: (area unit hash, AreaLoad)}) after a line with its
CRC-32, so a damaged shard reads as none (crcfile.py), never as other words; an area
loaded in a worker is written as the pickle it came back as (parallel.PickledAs),
not pickled again.  A build rewrites only the shards holding an area it loaded
afresh or no longer has: editing one ward rewrites one small file, not the
whole cache.
"""
from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..fileio import atomic_write
from ..parallel import PickledAs
from .crcfile import checked_body, with_crc
from .sources import area_unit
from .units import Unit, digest

if TYPE_CHECKING:
    from ..content.arealoader import AreaLoad

AREAS_DIR = "areas"
SHARD_KIND = b"sitegen area cache"   # a shard's first line: this and its CRC-32 (crcfile)
OLD_SINGLE_FILE = "areas.pickle"   # the cache before it was sharded; removed when seen
SHARDS = 64
Entry = tuple[str, "AreaLoad"]  # (area unit hash, AreaLoad)
Fresh = tuple[str, "AreaLoad | PickledAs"]  # an Entry to write; PickledAs writes an AreaLoad already pickled


def shard_of(slug: str) -> int:
    """The shard SLUG is kept in (stable across runs, unlike hash())."""
    return zlib.crc32(slug.encode("utf-8")) % SHARDS


class AreaStore:
    """Serves unchanged areas from the last build and saves what changed.
    Shards are read when first asked for.

    Implements sitegen.content.arealoader.AreaCache."""

    def __init__(self, state_dir: Path, code: str, units: dict[Unit, str], shape: tuple[str, ...], *,
                 read: bool = True):
        self.folder = state_dir / AREAS_DIR
        # site.yaml shapes a loaded area too (SHAPE: its host goes into event ids; it picks
        # the Markdown engine), so a cache made under another host or engine is not used.
        self.code = digest(code, *shape)
        self.units, self.read = units, read
        self.shards: dict[int, dict[str, Entry] | None] = {}   # None: unreadable or made by other code
        self.fresh: dict[str, Fresh] = {}

    def get(self, slug: str) -> AreaLoad | None:
        """The cached load of SLUG if its files are unchanged since it was cached."""
        unit, load = (self._shard(shard_of(slug)) or {}).get(slug, ("", None))
        return load if load is not None and unit == self.units.get(area_unit(slug)) else None

    def parsed(self, slug: str) -> dict[bytes, bytes]:
        """The parse memo of SLUG's last load (sitegen.content.yamlmemo), its files changed
        since or not: a memo is keyed by the texts themselves ({} if SLUG has none)."""
        _, load = (self._shard(shard_of(slug)) or {}).get(slug, ("", None))
        return load.parsed if load is not None else {}

    def put(self, load: AreaLoad, data: bytes | None = None) -> None:
        """Remember LOAD, loaded afresh in this build (DATA: LOAD pickled, when it already is)."""
        kept = load if data is None else PickledAs(data)   # (written as DATA, read back as LOAD)
        self.fresh[load.slug] = (self.units.get(area_unit(load.slug), ""), kept)

    def save(self, slugs: Iterable[str], previous: Iterable[str] | None) -> None:
        """Keep the areas SLUGS (the site's areas now) for the next build.

        PREVIOUS: the areas of the last build (None: unknown).  Only shards
        holding an area loaded afresh, or one that came or went, are read and
        written: a build that edited one ward touches one small file."""
        now = set(slugs)
        fresh: dict[int, dict[str, Fresh]] = {}
        for slug, entry in self.fresh.items():
            if slug in now:
                fresh.setdefault(shard_of(slug), {})[slug] = entry
        came_or_went = now ^ set(previous) if previous is not None else None
        touched = set(fresh) | (
            set(range(SHARDS)) if came_or_went is None else {shard_of(slug) for slug in came_or_went})
        for shard in sorted(touched):
            # What it held of the areas there still, and those loaded afresh (an area that
            # came, yet was not loaded, is not kept: as one the cache lost).  No area's
            # shard is worked out but those loaded, came or went (2,000 CRCs at 2,000 wards).
            old = self._shard(shard) or {}
            new = {**{slug: entry for slug, entry in old.items() if slug in now}, **fresh.get(shard, {})}
            if self.shards.get(shard) is not None and old.keys() == new.keys() and shard not in fresh:
                continue
            self._write(shard, new)
        (self.folder.parent / OLD_SINGLE_FILE).unlink(missing_ok=True)

    def _shard(self, shard: int) -> dict[str, Entry] | None:
        if shard not in self.shards:
            self.shards[shard] = self._read(shard) if self.read else None
        return self.shards[shard]

    def _path(self, shard: int) -> Path:
        return self.folder / f"{shard:02d}.pickle"

    def _read(self, shard: int) -> dict[str, Entry] | None:
        """The entries of SHARD ({} if it has none), or None if unreadable, damaged (its
        CRC-32) or made by other code."""
        try:
            code, entries = pickle.loads(checked_body(SHARD_KIND, self._path(shard).read_bytes()))  # noqa: S301
        except FileNotFoundError:
            return {}
        except Exception:   # whatever a damaged file raises: DamagedFile, EOFError, MemoryError...
            return None
        return entries if code == self.code and isinstance(entries, dict) else None

    def _write(self, shard: int, entries: dict[str, Fresh]) -> None:
        if not entries:
            try:
                os.unlink(self._path(shard))
            except FileNotFoundError:
                pass
            return
        data = pickle.dumps((self.code, entries), pickle.HIGHEST_PROTOCOL)
        atomic_write(self._path(shard), with_crc(SHARD_KIND, data), cache=True)
