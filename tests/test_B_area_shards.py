"""The area cache's save rewrites a shard as the whole walk over the site's areas did
(each area now in the shard: loaded afresh, else as the shard held it, else not kept),
without working out every area's shard: over random builds of areas coming, going and
loaded afresh, the shards hold what that walk gives."""
from __future__ import annotations

import pickle
from pathlib import Path
from tempfile import TemporaryDirectory

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.areacache import SHARD_KIND, SHARDS, AreaStore, shard_of
from sitegen.build.crcfile import checked_body
from sitegen.build.sources import area_unit

SLUGS = [f"ward-{n}" for n in range(40)]


def _shards(folder: Path) -> dict[int, dict[str, tuple[str, object]]]:
    found = {}
    for shard in range(SHARDS):
        path = folder / "areas" / f"{shard:02d}.pickle"
        if path.exists():
            found[shard] = pickle.loads(checked_body(SHARD_KIND, path.read_bytes()))[1]
    return found


def _walk(before: dict[int, dict], now: set[str], fresh: dict[str, tuple[str, object]], previous: set[str] | None):
    """The shards as the walk over every area wrote them (the reference)."""
    came_or_went = now ^ previous if previous is not None else None
    touched = {shard_of(s) for s in fresh} | (set(range(SHARDS)) if came_or_went is None
                                              else {shard_of(s) for s in came_or_went})
    after = {shard: dict(entries) for shard, entries in before.items()}
    for shard in touched:
        old = before.get(shard, {})
        new = {s: fresh.get(s) or old.get(s) for s in now if shard_of(s) == shard}
        new = {s: e for s, e in new.items() if e is not None}
        if new:
            after[shard] = new
        else:
            after.pop(shard, None)
    return after


@settings(max_examples=40, deadline=None)
@given(builds=st.lists(st.tuples(st.sets(st.sampled_from(SLUGS), min_size=1), st.data()), min_size=1, max_size=4))
def test_save_writes_the_shards_the_walk_over_every_area_wrote(builds):
    with TemporaryDirectory() as folder:
        root = Path(folder)
        previous: set[str] | None = None
        for number, (now, data) in enumerate(builds):
            loaded = now if previous is None else data.draw(st.sets(st.sampled_from(sorted(now))))
            units = {area_unit(slug): f"{slug}-{number}" for slug in now}
            before = _shards(root)
            store = AreaStore(root, "code", units, (), read=previous is not None)
            fresh = {}
            for slug in sorted(loaded):   # (each as a worker gives it: its pickle, read back as itself)
                fresh[slug] = (units[area_unit(slug)], (slug, number))
                store.put(_Load(slug), pickle.dumps((slug, number)))  # type: ignore[arg-type]
            store.save(sorted(now), previous)
            if previous is None:   # (a store that reads nothing rewrites every shard from what it loaded)
                before = {}
            assert _shards(root) == _walk(before, now, fresh, previous)
            previous = set(now)


class _Load:
    """What put() asks of an AreaLoad: its slug (its bytes are given)."""

    def __init__(self, slug: str):
        self.slug = slug
