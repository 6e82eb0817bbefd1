"""The build state on disk (sitegen/build/state.py): what is saved reads back as it was,
and a file that is not exactly what this sitegen on this Python wrote reads as no state."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.facts import AreaFacts, SiteFacts
from sitegen.build.state import (
    DELTA_FILE,
    OLD_STATE_FILE,
    STATE_FILE,
    STATE_HEADER,
    BuildState,
    load_state,
    save_state,
)
from sitegen.build.units import Unit

texts = st.text(max_size=40)
hashes = st.text("0123456789abcdef", min_size=32, max_size=32)
stamps = st.tuples(st.integers(-1, 2**63 - 1), st.integers(0, 2**40), hashes)
entries = st.lists(st.tuples(texts, st.sampled_from([True, False, None])), max_size=5).map(tuple)
units = st.builds(Unit, st.sampled_from(["area", "page", "feeds", "config", "listing"]), texts)
states = st.builds(
    BuildState, code=hashes, out_dir=texts, build_date=st.none() | st.dates(),
    stamps=st.dictionaries(texts, stamps, max_size=20),
    folders=st.dictionaries(texts, st.tuples(st.integers(-1, 2**63 - 1), entries), max_size=10),
    sources=st.dictionaries(units, hashes, max_size=20), units=st.dictionaries(units, hashes, max_size=20),
    outputs=st.dictionaries(texts, hashes, max_size=20), frame=hashes,
    templates=st.dictionaries(texts, hashes, max_size=5),
    site=st.builds(SiteFacts, page_frame=st.dictionaries(texts, texts, max_size=3), pages=st.integers(0, 99)))


listings = st.tuples(texts, texts, st.lists(texts, max_size=2).map(tuple))
area_facts = st.builds(AreaFacts, texts, texts, st.tuples(st.lists(st.dates().map(date.toordinal), max_size=3).map(tuple), st.booleans()),
                       st.lists(texts, max_size=2).map(tuple), st.lists(texts, max_size=2).map(tuple), hashes,
                       st.lists(st.tuples(texts, listings), max_size=2).map(tuple))
neighbours = st.dictionaries(texts, st.lists(st.tuples(texts, texts), max_size=2).map(tuple), max_size=3)
site_facts = st.builds(SiteFacts, st.dictionaries(texts, area_facts, max_size=4), st.dictionaries(texts, texts, max_size=3),
                       st.frozensets(texts, max_size=3), st.frozensets(texts, max_size=3), texts, st.integers(0, 99),
                       neighbours, st.dictionaries(texts, neighbours, max_size=2))


@st.composite
def units_of(draw: st.DrawFn, sources: dict[Unit, str]) -> dict[Unit, str]:
    """Units as a build has them: most of SOURCES as they are, some with other hashes,
    some left out, and others besides (the derived ones)."""
    kept = {unit: draw(st.sampled_from([value, value, "", "0" * 32])) for unit, value in sources.items()
            if draw(st.integers(0, 4))}
    return {**kept, **draw(st.dictionaries(units, hashes, max_size=5))}


@settings(max_examples=80, deadline=None)
@given(state=states, data=st.data(), site=site_facts)
def test_a_saved_state_reads_back_as_it_was_with_units_as_units(tmp_path_factory, state, data, site):
    """(Units as a build has them: the state keeps what they add to the sources.)"""
    folder = tmp_path_factory.mktemp("state")
    state.units = data.draw(units_of(state.sources)) if data.draw(st.booleans()) else state.units
    state.site = site
    save_state(folder, state)
    read = load_state(folder)
    assert read == state
    assert all(type(unit) is Unit for unit in [*read.sources, *read.units])
    assert all(type(facts) is AreaFacts for facts in read.site.areas.values())


def saved(tmp_path: Path) -> Path:
    """TMP_PATH with a state saved in it: a base, and a delta changing a value of it."""
    state = BuildState(code="c", out_dir="/out", build_date=date(2026, 11, 28), stamps={"/a": (1, 2, "h")},
                       sources={Unit("area", "north"): "h"}, outputs={f"{n}.html": "h" for n in range(40)})
    save_state(tmp_path, state)
    base = (tmp_path / STATE_FILE).read_bytes()
    later = BuildState(code="c", out_dir="/out", build_date=date(2026, 11, 29), stamps={"/a": (1, 3, "i")},
                       sources={Unit("area", "north"): "i"}, outputs={**state.outputs, "1.html": "i"})
    save_state(tmp_path, later, since=load_state(tmp_path))
    assert load_state(tmp_path) == later and (tmp_path / STATE_FILE).read_bytes() == base   # (a delta)
    return tmp_path


@pytest.mark.parametrize("name", [STATE_FILE, DELTA_FILE])
def test_a_state_from_another_python_or_format_is_no_state(tmp_path, name):
    path = saved(tmp_path) / name
    data = path.read_bytes()
    for header in (STATE_HEADER.replace("cpython", "pypy"), STATE_HEADER.replace(" marshal ", " marshal 9")):
        path.write_bytes(header.encode() + data[len(STATE_HEADER):])
        assert load_state(tmp_path) == BuildState()


@pytest.mark.parametrize("name", [STATE_FILE, DELTA_FILE])
def test_a_state_cut_short_emptied_or_missing_a_file_is_no_state(tmp_path, name):
    path = saved(tmp_path) / name
    data = path.read_bytes()
    for cut in (0, 10, len(STATE_HEADER) + 2, len(data) // 2, len(data) - 1):
        path.write_bytes(data[:cut])
        assert load_state(tmp_path) == BuildState()
    path.unlink()
    assert load_state(tmp_path) == BuildState()


def test_a_delta_of_another_base_is_no_state(tmp_path):
    """As a build stopped between writing a new base and its delta leaves them."""
    delta = (saved(tmp_path) / DELTA_FILE).read_bytes()
    save_state(tmp_path, BuildState(code="d", outputs={"index.html": "h"}))   # a new base
    (tmp_path / DELTA_FILE).write_bytes(delta)
    assert load_state(tmp_path) == BuildState()


def test_saving_removes_the_state_file_of_earlier_formats(tmp_path):
    (tmp_path / OLD_STATE_FILE).write_bytes(b"\x80\x05old")
    saved(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [STATE_FILE, DELTA_FILE]


@settings(max_examples=40, deadline=None)
@given(at=st.integers(0, 10**6), bit=st.integers(0, 7), name=st.sampled_from([STATE_FILE, DELTA_FILE]))
def test_a_state_with_a_flipped_bit_is_no_state(tmp_path_factory, at, bit, name):
    path = saved(tmp_path_factory.mktemp("state")) / name
    data = bytearray(path.read_bytes())
    data[at % len(data)] ^= 1 << bit
    path.write_bytes(bytes(data))
    assert load_state(path.parent) == BuildState()


@st.composite
def next_state(draw: st.DrawFn, state: BuildState) -> BuildState:
    """A state a build might leave after STATE: mostly its values, some changed, now and then
    an entry more or less; its small fields drawn afresh."""
    def changed(mapping: dict, values: st.SearchStrategy, keys: st.SearchStrategy) -> dict:  # type: ignore[type-arg]
        if draw(st.integers(0, 5)) == 0:
            return mapping   # the very mapping read, as a build keeps what it did not touch
        new = {key: draw(values) if draw(st.integers(0, 11)) == 0 else value for key, value in mapping.items()}
        if draw(st.integers(0, 19)) == 0:
            new.update(draw(st.dictionaries(keys, values, max_size=2)))
        if new and draw(st.integers(0, 19)) == 0:
            del new[draw(st.sampled_from(sorted(new, key=repr)))]
        return new
    site = draw(site_facts)
    return BuildState(code=draw(hashes), out_dir=draw(texts), build_date=draw(st.none() | st.dates()),
                      stamps=changed(state.stamps, stamps, texts),
                      folders=changed(state.folders, st.tuples(st.integers(-1, 9), entries), texts),
                      sources=changed(state.sources, hashes, units), units=changed(state.units, hashes, units),
                      outputs=changed(state.outputs, hashes, texts), frame=draw(hashes),
                      templates=draw(st.dictionaries(texts, hashes, max_size=3)),
                      site=SiteFacts(changed(state.site.areas, area_facts, texts), site.page_frame,
                                     site.asset_paths, site.media_paths, site.feed_cache, site.pages,
                                     changed(state.site.neighbours, st.lists(st.tuples(texts, texts)).map(tuple),
                                             texts), site.neighbours_in))


@settings(max_examples=60, deadline=None)
@given(first=states, site=site_facts, data=st.data(), builds=st.integers(1, 6))
def test_each_state_saved_since_the_last_reads_back_as_it_was(tmp_path_factory, first, site, data, builds):
    """Build after build, a state saved as a delta of its base, or as a new base, reads back
    as it was saved; and a state read with outputs being moved is saved whole."""
    folder = tmp_path_factory.mktemp("state")
    first.site = site
    save_state(folder, first)
    for _ in range(builds):
        since = load_state(folder)
        state = data.draw(next_state(since))
        save_state(folder, state, since=since)
        assert load_state(folder) == state
    (folder / "moving.json").write_text('["x.html"]')
    since = load_state(folder)
    state = data.draw(next_state(since))
    save_state(folder, state, since=since)
    assert load_state(folder) == state

