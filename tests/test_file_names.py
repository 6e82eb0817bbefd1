"""Issue 15 follow-up: a source file or folder name that is not valid UTF-8 or
holds a control character (C0, DEL, C1) is refused by `check`, so by every
build, at its path shown escaped; publish refuses one in build/ with a located
message, never a traceback, and uploads nothing.

The one rule is sitegen.sitefiles.name_fault; these tests range over bad names
made of arbitrary bytes, in every source folder, as files and as folders.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.content.medianames import media_name_clashes
from sitegen.content.site import list_media
from sitegen.sitefiles import bad_names
from sitegen.terminal import printable

AREA_NEWS = "content/areas/north-ward/news"
PLACES = ["content/media", "content/media/leaflets", "content/pages", AREA_NEWS,
          "content/areas/north-ward", "content/areas", "forms", "templates", "assets"]
CONTROLS = [chr(c) for c in (*range(1, 0x20), 0x7F, *range(0x80, 0xA0)) if chr(c) != "/"]


def not_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


# A name part that breaks the rule: bytes that are not UTF-8, or a control character (as UTF-8).
bad_parts = st.one_of(
    st.binary(min_size=1, max_size=6).map(lambda b: b.replace(b"\0", b"\xff").replace(b"/", b"\xfe"))
    .filter(not_utf8),
    st.sampled_from(CONTROLS).map(lambda c: c.encode("utf-8")))
plain = st.text(alphabet="abcdefghij-_", min_size=0, max_size=5).map(str.encode)
INVISIBLES = [chr(c) for c in (0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                0x00A0, 0x2007, 0x202F, 0x200B, 0xFEFF)]
good_names = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="/\0" + "".join(INVISIBLES)),
                     min_size=1, max_size=12).filter(lambda s: s not in (".", "..") and s.strip() == s)


@pytest.fixture
def site(make_site) -> Path:
    folder = make_site("minimal")
    for place in PLACES:
        (folder / place).mkdir(parents=True, exist_ok=True)
    return folder


def make_entry(folder: Path, name: bytes, as_folder: bool) -> bytes:
    """A file (or folder) NAME in FOLDER; its full path as bytes."""
    path = os.fsencode(folder) + b"/" + name
    if as_folder:
        os.mkdir(path)
    else:
        with open(path, "wb") as handle:
            handle.write(b"---\ntitle: x\n---\n")
    return path


def remove_entry(path: bytes) -> None:
    shutil.rmtree(path) if os.path.isdir(path) else os.unlink(path)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), head=plain, bad=bad_parts, tail=st.sampled_from([b"", b".md", b".pdf"]),
       as_folder=st.booleans())
def test_every_bad_name_in_every_source_folder_is_reported_once(site, place, head, bad, tail, as_folder):
    name = head + bad + tail
    path = make_entry(site / place, name, as_folder)
    try:
        problems = bad_names(site)
    finally:
        remove_entry(path)
    assert len(problems) == 1, problems
    shown = problems[0].path   # the real name (bytes not UTF-8 as \\xe9); what prints it escapes it
    assert shown == (place.encode() + b"/" + name).decode("utf-8", "backslashreplace")
    assert printable(problems[0]).startswith(printable(shown)) and shown.encode("utf-8")
    assert ("not valid UTF-8" if not_utf8(name) else "control character") in problems[0].message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), name=good_names)
def test_printable_names_in_any_script_are_not_reported(site, place, name):
    path = make_entry(site / place, os.fsencode(name), as_folder=False)
    try:
        assert bad_names(site) == []
    finally:
        remove_entry(path)


def check(site: Path):
    return run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)


# The reviewer's cases: the raw name, where it goes, and the path check must print.
FIELD_CASES = {
    "media not UTF-8": (b"leaf\xe9.pdf", "content/media", "content/media/leaf\\xe9.pdf: the name is not valid UTF-8"),
    "news not UTF-8": (b"caf\xe9.md", AREA_NEWS, f"{AREA_NEWS}/caf\\xe9.md: the name is not valid UTF-8"),
    "media with ESC": (b"leaf\x1b[2J.pdf", "content/media",
                       "content/media/leaf\\x1b[2J.pdf: the name holds a control character"),
    "page with a line feed": (b"about\nAll good.md", "content/pages",
                              "content/pages/about\\nAll good.md: the name holds a control character"),
    "page with C1 CSI": ("x\u009b31m.md".encode(), "content/pages",
                         "content/pages/x\\x9b31m.md: the name holds a control character"),
}


@pytest.mark.parametrize("case", sorted(FIELD_CASES))
def test_check_and_build_refuse_the_reviewers_names_at_their_path(site, case):
    name, place, expected = FIELD_CASES[case]
    make_entry(site / place, name, as_folder=False)
    result = check(site)
    assert result.exit_code == 1 and expected in result.stderr, result.output
    assert "Traceback" not in result.output
    built = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert built.exit_code == 1 and expected in built.stderr
    assert not (site / "build").exists()


def test_a_bad_news_name_added_after_a_build_stops_the_area_rebuild(site):
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    before = sorted(p.relative_to(site).as_posix() for p in (site / "build").rglob("*"))
    news = site / AREA_NEWS
    shutil.copy(next(news.glob("*.md")), os.fsencode(news) + b"/caf\xe9.md")
    result = run_cli("build", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1 and f"{AREA_NEWS}/caf\\xe9.md: the name is not valid UTF-8" in result.stderr
    assert sorted(p.relative_to(site).as_posix() for p in (site / "build").rglob("*")) == before
    assert not any("/caf" in p for p in before)


# --- publish: a bad name in build/ ---------------------------------------------------------

def publish(site: Path, endpoint: str, bucket: str):
    return run_cli("publish", "--site", str(site), "--endpoint-url", endpoint, "--bucket", bucket, "--json")


@pytest.mark.parametrize("name, shown", [(b"leaf\xe9.pdf", "media/leaf\\xe9.pdf: the name is not valid UTF-8"),
                                         (b"x\x1b]0;pwned\x07.pdf", "media/x\\x1b]0;pwned\\x07.pdf: the name"),
                                         (b"caf\xe9", "media/caf\\xe9: the name is not valid UTF-8")])
def test_publish_refuses_a_bad_name_in_build_and_uploads_nothing(tmp_path, moto_endpoint, bucket, name, shown):
    site = tmp_path / "site"
    (site / "build" / "media").mkdir(parents=True)
    (site / "site.yaml").write_text("name: Test Police\nbase_url: https://police.example/\n")
    (site / "build" / "index.html").write_text("<!doctype html><title>Home</title>")
    for n in range(16):
        (site / "build" / f"page-{n}.html").write_text(f"<!doctype html><title>{n}</title>")
    entry = os.fsencode(site / "build" / "media") + b"/" + name
    os.mkdir(entry) if not name.endswith(b".pdf") else open(entry, "wb").close()
    result = publish(site, moto_endpoint, bucket)
    assert result.exit_code == 1, result.output
    assert f"build/{shown}" in result.stderr and "Traceback" not in result.output
    assert boto3.client("s3", endpoint_url=moto_endpoint).list_objects_v2(Bucket=bucket).get("KeyCount") == 0


# --- names that read other than they are, and names that differ only in case --------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), head=plain, bad=st.sampled_from(INVISIBLES),
       tail=st.sampled_from([b"", b".md", b".pdf"]), as_folder=st.booleans())
def test_every_bidi_mark_or_invisible_space_is_reported_at_its_character(site, place, head, bad, tail, as_folder):
    name = head + bad.encode() + b"x" + tail
    path = make_entry(site / place, name, as_folder)
    try:
        problems = bad_names(site)
    finally:
        remove_entry(path)
    assert len(problems) == 1, problems
    assert problems[0].path == f"{place}/{name.decode()}"   # the real name: printers escape it
    assert f"U+{ord(bad):04X}" in problems[0].message and f"at character {len(head) + 1}," in problems[0].message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), core=st.text("abc.-", min_size=1, max_size=5),
       space=st.sampled_from([" ", "  ", "\u3000", "\u2003"]), at_start=st.booleans(), as_folder=st.booleans())
def test_white_space_at_either_end_of_a_name_is_reported(site, place, core, space, at_start, as_folder):
    name = space + core if at_start else core + space
    path = make_entry(site / place, name.encode(), as_folder)
    try:
        problems = bad_names(site)
    finally:
        remove_entry(path)
    assert [p.path for p in problems] == [f"{place}/{name}"]
    assert ("starts" if at_start else "ends") + " with white space" in problems[0].message


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(place=st.sampled_from(PLACES), name=st.text("abcdefgxyzäéß", min_size=1, max_size=6),
       tail=st.sampled_from(["", ".md", ".pdf"]), data=st.data())
def test_names_differing_only_in_case_in_one_folder_are_reported(site, place, name, tail, data):
    first = name + tail
    second = data.draw(st.sampled_from([first.upper(), first.title(), first.swapcase()]).filter(lambda n: n != first))
    paths = [make_entry(site / place, n.encode(), as_folder=False) for n in (first, second)]
    try:
        problems = bad_names(site)
    finally:
        for path in paths:
            remove_entry(path)
    later, earlier = max(first, second), min(first, second)
    assert [p.path for p in problems] == [f"{place}/{later}"]
    assert f"same name as {place}/{earlier} but for upper and lower case" in problems[0].message


def test_the_same_name_in_two_folders_is_no_clash(site):
    make_entry(site / "content/media", b"Q.PDF", as_folder=False)
    make_entry(site / "content/media/leaflets", b"q.pdf", as_folder=False)
    assert bad_names(site) == []


# The reviewer's cases: the name, where it goes, and what check must print.
INVISIBLE_CASES = {
    "bidi override": ("report\u202eFDP.exe", "content/media",
                      "content/media/report\\u202eFDP.exe: the name holds the invisible character U+202E"),
    "no-break space": ("ward\u00a0map.pdf", "content/media",
                       "content/media/ward\u00a0map.pdf: the name holds the invisible character U+00A0"),
    "leading space": (" minutes.pdf", "content/media", "content/media/ minutes.pdf: the name starts with white space"),
    "trailing space": ("about.md ", "content/pages", "content/pages/about.md : the name ends with white space"),
}


@pytest.mark.parametrize("case", sorted(INVISIBLE_CASES))
def test_check_refuses_names_that_read_other_than_they_are(site, case):
    name, place, expected = INVISIBLE_CASES[case]
    make_entry(site / place, name.encode(), as_folder=False)
    result = check(site)
    assert result.exit_code == 1 and expected in result.stderr, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("place, names", [("content/media", ("Q.PDF", "q.pdf")),
                                          (AREA_NEWS, ("2026-01-05-Patrols.md", "2026-01-05-patrols.md")),
                                          ("content/pages", ("About.md", "about.md"))])
def test_check_refuses_names_differing_only_in_case(site, place, names):
    for name in names:
        make_entry(site / place, name.encode(), as_folder=False)
    result = check(site)
    assert result.exit_code == 1, result.output
    assert f"{place}/{names[1]}: has the same name as {place}/{names[0]} but for upper and lower case" in result.stderr


# --- hidden media: a name starting with '.' at any depth is never published ---------------------------

hidden_parts = st.text("abc-_", min_size=0, max_size=4).map(lambda s: "." + s).filter(lambda s: s not in (".", ".."))
visible_parts = st.text("abc-_", min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(parts=st.lists(visible_parts, max_size=3), hidden=hidden_parts, at=st.integers(0, 3),
       leaf=st.sampled_from(["config", "x.pdf", ".DS_Store"]))
def test_hidden_media_at_any_depth_are_never_listed(site, parts, hidden, at, leaf):
    parts = [*parts[:at], hidden, *parts[at:], leaf]
    path = site / "content/media" / "/".join(parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("[core]\n")
    try:
        media = list_media(site)
        clashes = media_name_clashes(site)
    finally:
        shutil.rmtree(site / "content/media" / parts[0]) if len(parts) > 1 else path.unlink()
    assert media == ["/media/bike.svg"] and clashes == []


def test_the_reviewers_hidden_media_are_not_built(site):
    media = site / "content/media"
    (media / ".git").mkdir()
    (media / ".git/config").write_text("[remote]\n")
    (media / ".DS_Store").write_bytes(b"\0")
    (media / ".hidden.pdf").write_bytes(b"%PDF")
    (media / "leaflets/.drafts").mkdir(parents=True)
    (media / "leaflets/.drafts/plan.pdf").write_bytes(b"%PDF")
    assert run_cli("build", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    assert sorted(p.name for p in (site / "build/media").rglob("*")) == ["bike.svg"]
