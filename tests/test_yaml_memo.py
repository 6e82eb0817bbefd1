"""The parse memo (sitegen.content.yamlmemo): a text read through a memo, the first time
(parsed, kept) or the next (taken from the memo, without PyYAML), reads exactly as parse_yaml
reads it without one: the same values, types, positions, text as written and problems.  Only
texts that parse without a problem are kept; a document changed by whoever read it is kept
as it was parsed; the memos an area's load and the site's settings keep between builds are
what the next load or build reads, and nothing else; a memo damaged on disk is none."""
from __future__ import annotations

import os
import pickle
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.areacache import AreaStore
from sitegen.build.crcfile import DamagedFile, checked_body, with_crc
from sitegen.build.sitememo import SITE_MEMO_FILE, keep_site_memo, read_site_memo
from sitegen.content.arealoader import load_area_folder
from sitegen.content.context import LoadContext
from sitegen.content.yamlmemo import FLAT, ParseMemo, remembering
from sitegen.content.yamlsource import parse_yaml
from tests.conftest import ROOT
from tests.test_B_flat_yaml import _LINES, _reading

SOURCES = sorted(p for pattern in ("content/**/*.yaml", "tests/sites/**/*.yaml", "forms/**/*.yaml")
                 for p in ROOT.glob(pattern))

# Documents of every shape a site's files have: mappings and lists of text, numbers, YAML 1.1's
# guessed words, dates, and text needing quotes, dumped as PyYAML writes them in two styles.
_SCALARS = st.one_of(st.sampled_from(["No", "yes", "~", "null", "02071234567", "1.10", "2026-03-29", "12:30",
                                      "a: b", "#d4351c", "'quoted'", "", " ", "Ŵyl", "\u2028"]),
                     st.text(max_size=12), st.integers(), st.booleans(), st.none())
_DOCUMENTS = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4)), max_leaves=12)


def _three_readings(text: str, first_line: int) -> tuple[object, object, object, ParseMemo, ParseMemo]:
    """TEXT read without a memo, through a new memo, and through a memo of what that one kept."""
    plain = _reading(parse_yaml, text, first_line)
    with remembering(ParseMemo()) as first:
        made = _reading(parse_yaml, text, first_line)
    with remembering(ParseMemo(first.used)) as second:
        taken = _reading(parse_yaml, text, first_line)
    return plain, made, taken, first, second


def _assert_read_alike(text: str, first_line: int) -> None:
    plain, made, taken, first, second = _three_readings(text, first_line)
    assert made == plain and taken == plain
    if plain[0] == "problems":
        assert first.used == {}, "a text with problems is not kept"
    else:
        assert len(first.used) == 1 and second.used == first.used


@settings(max_examples=300, deadline=None)
@given(document=_DOCUMENTS, flow=st.booleans(), first_line=st.sampled_from([1, 2, 7]))
def test_a_document_reads_alike_parsed_and_from_the_memo(document, flow, first_line):
    _assert_read_alike(yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True), first_line)


@settings(max_examples=300, deadline=None)
@given(lines=_LINES, end=st.sampled_from(["\n", "", "\n\n"]), first_line=st.sampled_from([1, 2, 7]))
def test_front_matter_reads_alike_parsed_and_from_the_memo(lines, end, first_line):
    text = "\n".join(f"{key}{colon}{value}" for key, colon, value in lines) + (end if lines else "")
    _assert_read_alike(text, first_line)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_yaml_file_of_the_project_reads_alike_from_the_memo(path: Path):
    _assert_read_alike(path.read_text(encoding="utf-8"), 1)


@pytest.mark.parametrize("text", ["title: a\ntitle: b\n", "a: [1, 2\n", "a: !!null x\n", "brand: #d4351c\n",
                                  "a:\n\tb: c\n", "x: \"\\x1f\"\n"])
def test_a_text_with_problems_is_never_kept(text):
    _assert_read_alike(text, 1)


def test_front_matter_is_kept_as_flat_and_a_document_pickled():
    with remembering(ParseMemo()) as memo:
        parse_yaml("title: Speed checks\ndate: 2026-01-15\n", "s.md", 2)
        parse_yaml("team:\n  - name: A\n", "area.yaml")
    entries = sorted(memo.used.values())
    assert entries[0] == FLAT and pickle.loads(entries[1]) == {"team": [{"name": "A"}]}


def test_a_document_changed_by_its_reader_is_taken_as_it_was_parsed():
    text = "team:\n  - name: A\n    role: PCSO\n"
    with remembering(ParseMemo()) as first:
        document = parse_yaml(text, "area.yaml")
        document["team"][0]["name"] = "changed"
        document.key_pos["team"] = (99, 99)
    with remembering(ParseMemo(first.used)):
        again = parse_yaml(text, "area.yaml")
    assert _reading(lambda *a: again, text, 1) == _reading(parse_yaml, text, 1)


def test_the_same_text_on_another_line_is_another_entry():
    with remembering(ParseMemo()) as memo:
        parse_yaml("title: A\n", "a.md", 2)
        parse_yaml("title: A\n", "a.md", 3)
    assert len(memo.used) == 2


def _area_loads(tmp_path: Path) -> tuple[LoadContext, Path]:
    folder = tmp_path / "content" / "areas" / "north"
    (folder / "news").mkdir(parents=True)
    (folder / "area.yaml").write_text("name: North\nborough: Camden\n")
    (folder / "news" / "a.md").write_text("---\ntitle: A\ndate: 2026-01-15\n---\nBody.\n")
    return LoadContext(root=tmp_path, host="example.org"), folder


def test_an_areas_load_keeps_the_memo_of_its_files_only(tmp_path: Path):
    ctx, folder = _area_loads(tmp_path)
    first = load_area_folder(ctx, folder)
    assert len(first.parsed) == 2 and FLAT in first.parsed.values()
    (folder / "news" / "a.md").write_text("---\ntitle: B\ndate: 2026-01-15\n---\nBody.\n")
    second = load_area_folder(ctx, folder, first.parsed)
    assert len(second.parsed) == 2 and second.parsed.keys() != first.parsed.keys(), "the old story's entry goes"
    assert second.area == load_area_folder(ctx, folder).area


def test_the_area_cache_gives_an_areas_last_memo_after_its_files_changed(tmp_path: Path):
    ctx, folder = _area_loads(tmp_path)
    load = load_area_folder(ctx, folder)
    store = AreaStore(tmp_path / "state", "code", {}, ())
    store.put(load)
    store.save(["north"], None)
    later = AreaStore(tmp_path / "state", "code", {}, ())   # (its units differ: no unchanged load)
    assert later.get("north") is None and later.parsed("north") == load.parsed
    assert later.parsed("south") == {}
    assert AreaStore(tmp_path / "state", "other code", {}, ()).parsed("north") == {}


def test_the_site_memo_is_read_by_the_same_code_and_written_when_it_changed(tmp_path: Path):
    memo = read_site_memo(tmp_path, "code")
    with remembering(memo):
        parse_yaml("name: Bench Police\nbase_url: https://bench.example.org/\n", "site.yaml")
    keep_site_memo(tmp_path, "code", memo)
    kept = tmp_path / SITE_MEMO_FILE
    assert read_site_memo(tmp_path, "code").known == memo.used != {}
    assert read_site_memo(tmp_path, "other code").known == {}
    assert read_site_memo(tmp_path, "code", read=False).known == {}

    again = read_site_memo(tmp_path, "code")
    with remembering(again):
        parse_yaml("name: Bench Police\nbase_url: https://bench.example.org/\n", "site.yaml")
    os.utime(kept, ns=(0, 0))
    keep_site_memo(tmp_path, "code", again)
    assert kept.stat().st_mtime_ns == 0, "an unchanged memo is not written again"

    kept.write_bytes(kept.read_bytes()[:-3])
    assert read_site_memo(tmp_path, "code").known == {}


def test_an_entry_that_does_not_load_is_parsed_again():
    text = "team:\n  - name: A\n"
    with remembering(ParseMemo()) as first:
        parse_yaml(text, "area.yaml")
    damaged = {key: entry[:-4] for key, entry in first.used.items()}
    with remembering(ParseMemo(damaged)) as second:
        again = parse_yaml(text, "area.yaml")
    assert _reading(lambda *a: again, text, 1) == _reading(parse_yaml, text, 1)
    assert second.used == first.used


@settings(max_examples=200, deadline=None)
@given(body=st.binary(max_size=200), at=st.integers(0, 10_000), to=st.integers(0, 255))
def test_a_file_with_its_crc_reads_back_and_any_changed_byte_makes_it_none(body, at, to):
    data = with_crc(b"sitegen test", body)
    assert checked_body(b"sitegen test", data) == body
    with pytest.raises(DamagedFile):
        checked_body(b"sitegen other", data)
    changed = bytearray(data)
    changed[at % len(changed)] = to
    if bytes(changed) != data:
        with pytest.raises(DamagedFile):
            checked_body(b"sitegen test", bytes(changed))


@pytest.mark.parametrize(("kept", "written", "changed"), [
    ("areas", "Town hall", "Gown hall"),        # a word of area.yaml's memo entry, in the area's shard
    ("site-parses.pickle", "Test Police", "Tost Police"),   # of site.yaml's, in the site's memo
])
def test_a_memo_changed_on_disk_is_read_as_none_and_the_site_is_as_written(make_site, tmp_path, kept, written,
                                                                           changed):
    """The reviewer's findings: a word changed in a kept memo was published, and stayed through
    later edits; now the file's CRC-32 makes it no memo, and the texts are parsed again."""
    from sitegen.build import build
    from sitegen.build.areacache import shard_of
    site = make_site("minimal")
    state = tmp_path / "state"
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=state)
    path = state / (f"areas/{shard_of('north-ward'):02d}.pickle" if kept == "areas" else kept)
    data = path.read_bytes()
    assert written.encode() in data
    path.write_bytes(data.replace(written.encode(), changed.encode()))
    story = site / "content/areas/north-ward/news/speed-checks.md"
    story.write_text(story.read_text() + "\nOne more sentence.\n")
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=state)
    build(site, tmp_path / "clean", date(2026, 11, 28), state_dir=tmp_path / "clean-state", clean=True)
    pages = sorted(p.relative_to(tmp_path / "out") for p in (tmp_path / "out").rglob("*.html"))
    assert [(tmp_path / "out" / p).read_bytes() for p in pages] == [(tmp_path / "clean" / p).read_bytes() for p in pages]
    assert not any(changed.encode() in p.read_bytes() for p in (tmp_path / "out").rglob("*") if p.is_file())
