"""An area loaded in a worker is pickled once (parallel.Pickled): it comes back as those
bytes and the area cache keeps them.  What comes back, and what the cache gives, must be
the area loaded."""
from __future__ import annotations

import pickle
from datetime import date
from pathlib import Path

from sitegen.build.areacache import SHARD_KIND, AreaStore, shard_of
from sitegen.build.crcfile import checked_body
from sitegen.build.sources import area_unit
from sitegen.content.arealoader import AreaLoad
from sitegen.model import Area, Link, NewsItem
from sitegen.parallel import Pickled, parallel_map


def _load(slug: str) -> AreaLoad:
    news = (NewsItem(slug="n", title="T", date=date(2026, 1, 2), summary="", source=f"{slug}/n.md",
                     area_slug=slug),)
    area = Area(slug=slug, name=slug.title(), source=f"content/areas/{slug}/area.yaml", news=news)
    return AreaLoad(slug, area, [Link("/x/", f"{slug}/n.md", 3, "/areas/x/", False, 1)], [], [])


def _pickled(slug: str) -> Pickled[AreaLoad]:
    return Pickled(_load(slug))


def test_a_pickled_value_crosses_as_its_bytes_and_is_the_value_again():
    made = Pickled(_load("abbey"))
    again = pickle.loads(pickle.dumps(made))
    assert again.value == made.value and again.data == made.data == pickle.dumps(made.value,
                                                                                  pickle.HIGHEST_PROTOCOL)


def test_values_from_workers_are_those_made_here():
    slugs = [f"ward-{n}" for n in range(12)]
    forked = list(parallel_map(_pickled, slugs, jobs=2, min_items=1))
    assert [made.value for made in forked] == [_load(slug) for slug in slugs]
    assert all(made.data == pickle.dumps(made.value, pickle.HIGHEST_PROTOCOL) for made in forked)


def test_the_cache_gives_back_what_was_put_as_bytes_or_not(tmp_path: Path):
    units = {area_unit(slug): f"hash-{slug}" for slug in ("abbey", "bank", "cross")}
    store = AreaStore(tmp_path, "code", units, ("h", "commonmark", "en-GB"))
    made = Pickled(_load("abbey"))
    store.put(made.value, made.data)
    store.put(_load("bank"))
    store.save(["abbey", "bank"], None)
    again = AreaStore(tmp_path, "code", units, ("h", "commonmark", "en-GB"))
    assert again.get("abbey") == _load("abbey") and again.get("bank") == _load("bank")
    assert again.get("cross") is None
    changed = AreaStore(tmp_path, "code", {**units, area_unit("abbey"): "other"}, ("h", "commonmark", "en-GB"))
    assert changed.get("abbey") is None and changed.get("bank") == _load("bank")


def test_a_shard_written_from_pickles_reads_as_one_written_from_the_areas(tmp_path: Path):
    units = {area_unit(slug): f"hash-{slug}" for slug in ("abbey", "bank")}
    for name, as_pickles in (("objects", False), ("pickles", True)):
        store = AreaStore(tmp_path / name, "code", units, ())
        for slug in ("abbey", "bank"):
            made = Pickled(_load(slug))
            store.put(made.value, made.data if as_pickles else None)
        store.save(["abbey", "bank"], None)
    for slug in ("abbey", "bank"):
        path = f"areas/{shard_of(slug):02d}.pickle"
        assert pickle.loads(checked_body(SHARD_KIND, (tmp_path / "pickles" / path).read_bytes())) == \
            pickle.loads(checked_body(SHARD_KIND, (tmp_path / "objects" / path).read_bytes()))


def test_damaged_bytes_of_one_area_read_it_afresh(tmp_path: Path):
    units = {area_unit("abbey"): "h1"}
    store = AreaStore(tmp_path, "code", units, ())
    made = Pickled(_load("abbey"))
    store.put(made.value, made.data[:-5])
    store.save(["abbey"], None)
    assert (tmp_path / "areas" / f"{shard_of('abbey'):02d}.pickle").exists()
    assert AreaStore(tmp_path, "code", units, ()).get("abbey") is None
