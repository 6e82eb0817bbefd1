"""Events: UK times that exist, calendar identity that survives edits, and
iCalendar files valid for any text (issue 14, classes 5, 6 and 7).

What is right about times comes from zoneinfo's Europe/London, not from a
second hand-written rule; the .ics files are read back with the small RFC 5545
reader below."""
from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from sitegen.build.eventledger import (
    EventLedger,
    ledger_bytes,
    ledger_path,
    published_hash,
    read_ledger,
    sequence_floor,
)
from sitegen.config import load_config
from sitegen.content.areas import load_area
from sitegen.content.context import load_context
from sitegen.content.localtime import as_utc
from sitegen.importers.police_uk.mapping import _events
from sitegen.model import Area, Event, Site
from sitegen.outputs.base import Output, RenderContext
from sitegen.outputs.calendar import publish_calendars, render_ics

LONDON = ZoneInfo("Europe/London")
FIXTURES = Path(__file__).parent / "fixtures" / "events"
AREA = "content/areas/test-ward/area.yaml"
SITE_YAML = "name: Test Police\nbase_url: https://www.test.police.example/\n"
FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
FORBIDDEN = re.compile("[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


# --- zoneinfo's truth, and a small RFC 5545 reader ----------------------------------------------

@lru_cache(maxsize=1)
def uk_transitions() -> list[tuple[datetime, timedelta, timedelta]]:
    """Every change of UK offset 2020-2035: (UTC instant, offset before, offset after), found by zoneinfo."""
    found, moment = [], datetime(2020, 1, 1, tzinfo=UTC)
    before = moment.astimezone(LONDON).utcoffset()
    while moment.year < 2036:
        moment += timedelta(hours=1)
        after = moment.astimezone(LONDON).utcoffset()
        if after != before:
            found.append((moment, before, after))
            before = after
    return found


def exists(naive: datetime) -> bool:
    local = naive.replace(tzinfo=LONDON)
    return local.astimezone(UTC).astimezone(LONDON).replace(tzinfo=None) == naive


def readings(naive: datetime) -> dict[timedelta, datetime]:
    """Offset -> the UTC instant, for each reading of the wall-clock time NAIVE in the UK."""
    local = naive.replace(tzinfo=LONDON)
    return {local.replace(fold=f).utcoffset(): local.replace(fold=f).astimezone(UTC) for f in (0, 1)}


def truth(naive: datetime, offset: timedelta | None) -> datetime | None:
    """The one instant NAIVE written with OFFSET (or none) means in the UK, by zoneinfo; None if none."""
    if not exists(naive):
        return None
    options = readings(naive)
    if offset is None:
        return next(iter(options.values())) if len(options) == 1 else None
    return options.get(offset)


def near_transitions(max_minutes: int = 150):
    """Wall-clock UK times (naive, to the minute) within MAX_MINUTES of a 2020-2035 clock change."""
    return st.builds(lambda t, minutes: (t[0] + t[1]).replace(tzinfo=None) + timedelta(minutes=minutes),
                     st.sampled_from(uk_transitions()), st.integers(-max_minutes, max_minutes))


def unfold(raw: bytes) -> list[str]:
    """The content lines of an iCalendar file, checking its line breaks and line lengths on the way."""
    assert raw.endswith(b"\r\n")
    physical = raw[:-2].split(b"\r\n")
    assert all(b"\r" not in line and b"\n" not in line for line in physical), "a line break other than CRLF"
    assert all(len(line) <= 75 for line in physical), "a line longer than 75 octets"
    return raw.decode("utf-8").replace("\r\n ", "").removesuffix("\r\n").split("\r\n")


def read_events(raw: bytes) -> list[dict[str, tuple[dict[str, str], str]]]:
    """Each VEVENT as {property name: (parameters, value)}."""
    events, current = [], None
    for line in unfold(raw):
        name_params, value = line.split(":", 1)
        name, *params = name_params.split(";")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = (dict(p.split("=", 1) for p in params), value)
    return events


def instant(prop: tuple[dict[str, str], str]) -> datetime:
    """A DATE-TIME property as a calendar reads it (RFC 5545 3.3.5)."""
    params, value = prop
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    assert params == {"TZID": "Europe/London"}
    naive = datetime.strptime(value, "%Y%m%dT%H%M%S")
    # Written in London time only where it means one instant: not in a gap, not in a fold.
    assert exists(naive) and len(readings(naive)) == 1, f"{value} is not one instant in London"
    return naive.replace(tzinfo=LONDON).astimezone(UTC)


def unescape(value: str) -> str:
    """iCalendar TEXT back to text."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


# --- sites ------------------------------------------------------------------------------------

def write_site(root: Path, events_yaml: str) -> Path:
    """A one-ward site at ROOT whose area.yaml has EVENTS_YAML under 'events:'."""
    (root / "content/areas/test-ward").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML)
    (root / AREA).write_text(f"name: Test Ward\nborough: Testshire\nevents:\n{events_yaml}")
    return root


def publish_dates(root: Path, slug: str, events: tuple, today: date) -> dict:
    """How EVENTS of the area SLUG are published on TODAY, the ledger saved at once."""
    ledger = EventLedger(root)
    published = ledger.publish(slug, events, today)
    ledger.save()
    return published


def load(root: Path):
    """(Area or None, problems as text) for ROOT's test ward."""
    ctx = load_context(root, load_config(root))
    area = load_area(ctx, root / "content/areas/test-ward")
    return area, [str(p) for p in ctx.problems]


def ics_of(root: Path, area: Area, build_date: date) -> bytes:
    """AREA's calendar as the build renders it (recording the ledger under ROOT)."""
    site = Site(config=load_config(root), build_date=build_date, areas=(area,), boroughs=(), pages=())
    ctx = RenderContext(site=site, env=None, assets={}, frame={})
    ics = Output(f"areas/{area.slug}/events.ics", "ics", area.slug, ())
    publish_calendars(ctx, [ics]).save()
    return render_ics(ctx, area.slug)


def build(root: Path, day: str, *extra: str):
    result = run_cli("build", "--site", str(root), "--out", str(root / "build"), "--build-date", day, *extra)
    assert result.exit_code == 0, result.output + result.stderr
    return (root / "build/areas/test-ward/events.ics").read_bytes()


def written(naive: datetime, offset: timedelta | None) -> str:
    text = f"{naive:%Y-%m-%dT%H:%M}"
    if offset is None:
        return text
    minutes = int(offset.total_seconds()) // 60
    return f"{text}{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


OFFSETS = st.sampled_from([None, timedelta(0), timedelta(hours=1), timedelta(hours=2)])


# --- 6. Times that exist ----------------------------------------------------------------------

def test_uk_transitions_are_found():
    """Two clock changes a year, 2020-2035, each of one hour: the ground the other tests stand on."""
    assert len(uk_transitions()) == 32
    assert all(abs(after - before) == timedelta(hours=1) for _, before, after in uk_transitions())


@FAST
@given(naive=near_transitions(), offset=OFFSETS)
def test_every_time_near_a_clock_change_is_refused_or_one_true_instant(tmp_path, naive, offset):
    """A gap time is refused with times that exist; a fold time needs its offset; any accepted time
    is the instant zoneinfo gives for what was written."""
    root = write_site(tmp_path / "s", f"  - id: briefing\n    title: Briefing\n    start: {written(naive, offset)}\n")
    area, problems = load(root)
    options = readings(naive)
    if not exists(naive):
        assert problems and "does not exist in UK time (clocks go forward" in problems[0]
        assert problems[0].startswith(f"{AREA}:6:12: events[1].start: {naive:%Y-%m-%dT%H:%M} does not exist")
        for suggested in re.search(r"use (\d\d:\d\d) or (\d\d:\d\d)$", problems[0]).groups():
            assert exists(datetime.combine(naive.date(), datetime.strptime(suggested, "%H:%M").time()))
    elif offset is None and len(options) == 2:
        assert problems and "happens twice in UK time (clocks go back" in problems[0]
        assert f"{written(naive, timedelta(hours=1))} for the first (BST)" in problems[0]
        assert f"{written(naive, timedelta(0))} for the second (GMT)" in problems[0]
    elif offset is not None and offset not in options:
        assert problems and "in UK time, not" in problems[0]
    else:
        assert problems == []
        start = area.events[0].start
        assert as_utc(start) == options[offset if offset is not None else next(iter(options))]
        assert start.replace(tzinfo=None) == naive and start.tzinfo == LONDON


@FAST
@given(start=near_transitions(), minutes=st.integers(-180, 180), start_offset=OFFSETS, end_offset=OFFSETS)
def test_accepted_events_end_after_they_start_and_the_calendar_reads_the_same_instants(
        tmp_path, start, minutes, start_offset, end_offset):
    """Whatever is written around a clock change, an accepted event ends after it starts as real
    instants, and its .ics, read back, gives those instants (and DTEND after DTSTART)."""
    end = start + timedelta(minutes=minutes)
    root = write_site(tmp_path / "s", f"  - id: patrol\n    title: Patrol\n    start: {written(start, start_offset)}\n"
                                      f"    end: {written(end, end_offset)}\n")
    area, problems = load(root)
    start_at, end_at = truth(start, start_offset), truth(end, end_offset)
    if start_at is None or end_at is None or end_at <= start_at:
        assert problems
        return
    assert problems == []
    (event,) = area.events
    assert as_utc(event.end) > as_utc(event.start)
    (read,) = read_events(ics_of(root, area, date(2019, 1, 1)))
    assert instant(read["DTSTART"]) == as_utc(event.start)
    assert instant(read["DTEND"]) == as_utc(event.end) > instant(read["DTSTART"])


@pytest.mark.parametrize(("start", "end", "refused"), [
    ("2027-03-28T00:30", "2027-03-28T02:15", False),   # 45 minutes of real time
    ("2026-10-25T01:30+01:00", "2026-10-25T01:15+00:00", False),   # 45 minutes: BST 01:30 to GMT 01:15
    ("2026-10-25T01:30+00:00", "2026-10-25T01:45+01:00", True),    # GMT 01:30 is after BST 01:45
    ("2026-12-03T19:00", "2026-12-03T19:00", True),    # no time at all
])
def test_end_after_start_compares_instants(tmp_path, start, end, refused):
    root = write_site(tmp_path / "s", f"  - id: patrol\n    title: Patrol\n    start: {start}\n    end: {end}\n")
    _, problems = load(root)
    if refused:
        assert problems == [(f"{AREA}:7:10: events[1].end: {end[:16]} is not after the start ({start[:16]})"
                             " in real time; check 'end'")]
    else:
        assert problems == []


def test_field_case_ics_dst_gap(tmp_path):
    """Field case ics-dst-gap (input copied here): the impossible start is refused where it is written."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "ics-dst-gap", root)
    result = run_cli("check", "--site", str(root))
    assert result.exit_code == 1
    assert (f"{AREA}:5:12: events[1].start: 2027-03-28T01:30 does not exist in UK time (clocks go forward"
            " from 01:00 to 02:00 that night); use 00:30 or 02:30") in result.stderr.splitlines()
    assert "Traceback" not in result.output + result.stderr


def test_a_time_in_the_repeated_hour_is_written_in_utc_and_named_on_the_page(tmp_path):
    root = write_site(tmp_path, "  - id: late-patrol\n    title: Late patrol\n    start: 2026-10-25T01:30+00:00\n"
                                "    end: 2026-10-25T03:00\n")
    raw = build(root, "2026-10-01")
    (event,) = read_events(raw)
    assert event["DTSTART"] == ({}, "20261025T013000Z")
    assert event["DTEND"] == ({"TZID": "Europe/London"}, "20261025T030000")
    page = (root / "build/areas/test-ward/index.html").read_text()
    assert '<time datetime="2026-10-25T01:30+00:00">25 October 2026, 1:30am GMT</time>' in page
    assert '<time datetime="2026-10-25T03:00">3am</time>' in page


def test_dtstamp_is_a_build_date_not_the_events_start(tmp_path):
    root = write_site(tmp_path, "  - id: panel\n    title: Panel\n    start: 2027-01-14T19:00\n")
    (event,) = read_events(build(root, "2026-12-01"))
    assert event["DTSTAMP"] == ({}, "20261201T000000Z")
    assert event["LAST-MODIFIED"] == ({}, "20261201T000000Z")


# --- 7. Calendar identity ---------------------------------------------------------------------

def test_field_case_ics_uid_changes_on_edit(tmp_path):
    """Field case ics-uid-changes-on-edit (input copied here) (with the id the check asks for): a corrected
    title, a same-day correction of it, then a moved start, keep one UID; SEQUENCE rises with every
    edit: a new event the top of its day's ten, an edit that day's number or one more."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "ics-uid-changes-on-edit", root)
    area = root / AREA
    seen = []
    for day, old, new in [("2026-12-01", "", ""),
                          ("2026-12-02", "title: Ward panel meeting", "title: Ward panel meeting (now at the library)"),
                          ("2026-12-02", "(now at the library)", "(now at the Central Library)"),
                          ("2026-12-02", "", ""),
                          ("2026-12-03", "start: 2027-01-14T19:00", "start: 2027-01-14T18:30")]:
        area.write_text(area.read_text().replace(old, new) if old else area.read_text())
        (event,) = read_events(build(root, day))
        seen.append(event)
    assert {e["UID"][1] for e in seen} == {"test-ward.ward-panel-2027-01-14@www.test.police.example"}
    assert [int(e["SEQUENCE"][1]) for e in seen] == [25269, 25270, 25271, 25271, 25280]
    assert [e["SUMMARY"][1] for e in seen][1:] == ["Ward panel meeting (now at the library)"] + [
        "Ward panel meeting (now at the Central Library)"] * 3
    assert [e["LAST-MODIFIED"][1] for e in seen] == ["20261201T000000Z"] + ["20261202T000000Z"] * 3 + [
        "20261203T000000Z"]
    assert seen[4]["DTSTART"] == ({"TZID": "Europe/London"}, "20270114T183000")


def test_a_ledger_written_before_sequences_were_kept_still_rises(tmp_path):
    """An entry with only "since" published SEQUENCE = its days: unchanged it keeps that number,
    and an edit moves it up to ten per day."""
    root = tmp_path / "site"
    root.mkdir()
    event = Event(uid="test-ward.panel@host", title="Panel", start=datetime(2027, 6, 1, 19, tzinfo=LONDON))
    build_day = date(2026, 12, 1)
    publish_dates(root, "test-ward", (event,), build_day)
    path = ledger_path(root, "test-ward")
    ledger = read_ledger(path)
    entry = ledger["test-ward"][event.uid]
    ledger["test-ward"][event.uid] = {"hash": entry["hash"], "since": "2026-11-01"}
    path.write_text(json.dumps(ledger))
    assert publish_dates(root, "test-ward", (event,), build_day)[event.uid].sequence == 2496
    edited = Event(uid=event.uid, title="Ward panel", start=event.start)
    assert publish_dates(root, "test-ward", (edited,), build_day)[event.uid].sequence == sequence_floor(build_day)


def test_an_event_without_an_id_is_refused_with_one_to_add(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "ics-uid-changes-on-edit", root)
    (root / AREA).write_text((root / AREA).read_text().replace("  - id: ward-panel-2027-01-14\n    title", "  - title"))
    result = run_cli("check", "--site", str(root))
    assert result.exit_code == 1
    assert (f"{AREA}:4:5: events[1]: add 'id: ward-panel-meeting-2027-01-14' (any short name that stays the same"
            " when you edit the event)") in result.stderr.splitlines()


def test_two_events_with_one_id_are_refused_at_the_second_naming_the_first(tmp_path):
    root = write_site(tmp_path, "  - id: panel\n    title: Panel\n    start: 2027-01-14T19:00\n"
                                "  - id: surgery\n    title: Surgery\n    start: 2027-01-15T10:00\n"
                                "  - id: panel\n    title: Panel again\n    start: 2027-02-14T19:00\n")
    _, problems = load(root)
    assert problems == [(f"{AREA}:10:9: events[3].id: 'panel' is already the id of events[1] (line 4);"
                         " give each event its own id")]


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(st.tuples(st.booleans(), st.integers(-5, 10), st.booleans()), min_size=1, max_size=10))
def test_sequence_never_goes_down_and_rises_with_every_edit(tmp_path, steps):
    """Builds on days that move forward, stay (same-day re-runs) or (by hand) go back, editing or
    not, sometimes with the ledger lost on the latest day built so far (the same day or a later
    one, but not the day the event was last first seen): SEQUENCE never goes down, every edit
    raises it, and an unedited rebuild keeps it and its date.  (Up to nine edits in all, so never
    more than nine on one day: the documented bound for a lost ledger.)"""
    root = tmp_path / "site"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir()
    start = datetime(2027, 6, 1, 19, tzinfo=LONDON)
    title, last, today = "Panel", None, date(2026, 1, 1)
    latest, first_seen = today, today
    for edit, days, lose_ledger in steps:
        # Same-day builds are likely (days == 0 and small steps), so several edits share a day.
        today += timedelta(days=days)
        if last is None:
            first_seen = today      # the day of the first build is the day the event is first seen
        lost = lose_ledger and last is not None and today >= latest and today != first_seen
        latest = max(latest, today)
        title = title + "!" if edit else title
        if lost:
            ledger_path(root, "test-ward").unlink(missing_ok=True)
            first_seen = today
        event = Event(uid="test-ward.panel@host", title=title, start=start)
        now = publish_dates(root, "test-ward", (event,), today)[event.uid]
        assert now.sequence >= sequence_floor(min(now.since, today))
        if last is not None:
            assert now.sequence >= last.sequence
            if edit:
                assert now.sequence > last.sequence
            elif not lost:
                assert now == last
        last = now


def test_a_ledger_lost_after_same_day_edits_restarts_above_them(tmp_path):
    """The reviewer's case: published with two edits on one day (25252), then .cache removed and
    edited again that day: the number rises (25259, the top of the day's ten), not back to 25250."""
    root = tmp_path / "site"
    root.mkdir()
    start = datetime(2027, 6, 1, 19, tzinfo=LONDON)
    day = date(2020, 1, 1) + timedelta(days=2525)
    publish_dates(root, "test-ward", (Event(uid="u@host", title="Panel", start=start),), day - timedelta(days=1))
    for title in ("Panel!", "Panel!!", "Panel!!!"):
        seen = publish_dates(root, "test-ward", (Event(uid="u@host", title=title, start=start),), day)["u@host"]
    assert seen.sequence == 25252
    ledger_path(root, "test-ward").unlink()
    again = publish_dates(root, "test-ward", (Event(uid="u@host", title="Panel!!!!", start=start),), day)["u@host"]
    assert again.sequence == 25259


def test_edits_keep_uids_and_adding_an_event_changes_no_other(tmp_path):
    root = write_site(tmp_path, "  - id: panel\n    title: Panel\n    start: 2027-01-14T19:00\n")
    before = read_events(build(root, "2026-12-01"))
    area = root / AREA
    area.write_text(area.read_text().replace("title: Panel", "title: Ward panel\n    location: Library") +
                    "  - id: surgery\n    title: Surgery\n    start: 2027-01-13T10:00\n")
    after = {e["UID"][1]: e for e in read_events(build(root, "2026-12-05"))}
    panel = after[before[0]["UID"][1]]
    assert panel["SUMMARY"][1] == "Ward panel" and int(panel["SEQUENCE"][1]) > int(before[0]["SEQUENCE"][1])
    assert set(after) == {before[0]["UID"][1], "test-ward.surgery@www.test.police.example"}


def test_check_writes_no_ledger(tmp_path):
    root = write_site(tmp_path, "  - id: panel\n    title: Panel\n    start: 2027-01-14T19:00\n")
    assert run_cli("check", "--site", str(root)).exit_code == 0
    assert not (root / ".cache").exists()


def test_a_clean_build_reads_the_same_ledger_as_an_incremental_one(tmp_path):
    """The ledger lives with the site, not with --state, so a clean build gives the same bytes."""
    root = write_site(tmp_path, "  - id: panel\n    title: Panel\n    start: 2027-01-14T19:00\n"
                                "  - id: surgery\n    title: Surgery\n    start: 2027-01-15T10:00\n")
    build(root, "2026-12-01")
    area = root / AREA
    area.write_text(area.read_text().replace("title: Surgery", "title: Street surgery"))
    incremental = build(root, "2026-12-04")
    result = run_cli("build", "--site", str(root), "--out", str(tmp_path / "clean"), "--state",
                     str(tmp_path / "clean-state"), "--build-date", "2026-12-04", "--clean")
    assert result.exit_code == 0
    assert (tmp_path / "clean/areas/test-ward/events.ics").read_bytes() == incremental
    numbers = {e["UID"][1]: int(e["SEQUENCE"][1]) for e in read_events(incremental)}
    assert numbers == {"test-ward.panel@www.test.police.example": 25269,
                       "test-ward.surgery@www.test.police.example": 25290}
    ledger = read_ledger(ledger_path(root, "test-ward"))["test-ward"]
    assert {v["since"] for v in ledger.values()} == {"2026-12-01", "2026-12-04"}


def test_imported_events_get_stable_distinct_ids():
    records = [{"title": "Beat surgery", "start_date": "2026-12-05T10:00:00"},
               {"title": "Beat surgery", "start_date": "2026-12-05T14:00:00"},
               {"title": "Cycle marking", "start_date": "2027-01-09T13:00:00"},
               {"title": "北京 meeting", "start_date": "2027-01-10T13:00:00"}]
    first, again = _events(records, "n1", []), _events(list(reversed(records)), "n1", [])
    assert [e["id"] for e in first] == ["beat-surgery-2026-12-05-1000", "beat-surgery-2026-12-05-1400",
                                        "cycle-marking-2027-01-09", "bei-jing-meeting-2027-01-10"]
    assert first == again


@FAST
@given(start=near_transitions(), minutes=st.integers(1, 180))
def test_imported_event_times_are_times_check_accepts(tmp_path, start, minutes):
    """data.police.uk gives naive London times: any of them, around any clock change, is written
    so that check accepts it, at the instant a calendar would read the API's time."""
    end = start + timedelta(minutes=minutes)
    notes: list[str] = []
    (event,) = _events([{"title": "Beat surgery", "start_date": f"{start:%Y-%m-%dT%H:%M:00}",
                         "end_date": f"{end:%Y-%m-%dT%H:%M:00}"}], "n1", notes)
    root = write_site(tmp_path / "s", yaml.safe_dump([event], sort_keys=False))
    area, problems = load(root)
    assert problems == []
    assert as_utc(area.events[0].start) == start.replace(tzinfo=LONDON).astimezone(UTC)
    assert bool(notes) == (not exists(start) or len(readings(start)) > 1
                           or not exists(end) or len(readings(end)) > 1)


# --- 5. iCalendar valid for any text ----------------------------------------------------------

@FAST
@given(title=st.text(min_size=1, max_size=120), location=st.text(max_size=200), description=st.text(max_size=400))
def test_any_text_gives_a_valid_calendar_that_reads_back(tmp_path, title, location, description):
    """Text the loader would refuse can still reach the writer (the model is made here directly):
    no forbidden character reaches the file, every line ends CRLF within 75 octets, and the text
    reads back as written, less forbidden characters, with any line break as a newline."""
    root = tmp_path / "s"
    root.mkdir(exist_ok=True)
    (root / "site.yaml").write_text(SITE_YAML)
    event = Event(uid="test-ward.any@www.test.police.example", title=title, location=location,
                  description=description, start=datetime(2027, 1, 14, 19, tzinfo=LONDON))
    area = Area(slug="test-ward", name=title, source=AREA, events=(event,))
    raw = ics_of(root, area, date(2026, 12, 1))
    lines = unfold(raw)
    assert not any(FORBIDDEN.search(line.replace("\t", "")) for line in lines)
    (read,) = read_events(raw)

    def expected(text: str) -> str:
        text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]", "", text)
        return text.replace("\r\n", "\n").replace("\r", "\n")

    assert unescape(read["SUMMARY"][1]) == expected(title)
    assert unescape(read.get("LOCATION", ({}, ""))[1]) == expected(location)
    assert unescape(read.get("DESCRIPTION", ({}, ""))[1]) == expected(description)


def test_a_ledger_of_one_file_per_area_is_folded_into_its_shard(tmp_path):
    """A build cache from before the shards keeps its sequences: the old file is read, then removed."""
    root = tmp_path / "site"
    root.mkdir()
    event = Event(uid="test-ward.panel@host", title="Panel", start=datetime(2027, 6, 1, 19, tzinfo=LONDON))
    old = root / ".cache/build/events/test-ward.json"
    old.parent.mkdir(parents=True)
    first = publish_dates(tmp_path / "elsewhere", "test-ward", (event,), date(2026, 11, 1))[event.uid]
    old.write_text(json.dumps({event.uid: {"hash": published_hash(event), "since": "2026-11-01",
                                           "sequence": first.sequence}}))
    again = publish_dates(root, "test-ward", (event,), date(2026, 12, 1))[event.uid]
    assert again == first and not old.exists()
    assert read_ledger(ledger_path(root, "test-ward"))["test-ward"][event.uid]["since"] == "2026-11-01"


def test_a_stopped_build_leaves_the_ledger_as_it_was(tmp_path):
    """The ledger is saved with the build state, after the calendars are in place."""
    root = write_site(tmp_path, "  - id: panel\n    title: Panel\n    start: 2027-01-14T19:00\n")
    build(root, "2026-12-01")
    before = ledger_path(root, "test-ward").read_bytes()
    area = root / AREA
    area.write_text(area.read_text().replace("title: Panel", "title: Ward panel"))
    (root / "templates").mkdir()
    (root / "templates/news.html").write_text("{% extends 'base.html' %}{% block content %}{{ nope }}{% endblock %}")
    (root / "content/areas/test-ward/news").mkdir(exist_ok=True)
    (root / "content/areas/test-ward/news/a.md").write_text("---\ntitle: A\ndate: 2026-11-01\n---\nA.\n")
    failed = run_cli("build", "--site", str(root), "--out", str(root / "build"), "--build-date", "2026-12-02")
    assert failed.exit_code == 1 and "templates/news.html" in failed.stderr
    assert ledger_path(root, "test-ward").read_bytes() == before


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 4))
def test_a_ledger_shard_damaged_anywhere_reads_as_lost(tmp_path_factory, seed, flips):
    """Bytes flipped anywhere in a shard: read as no ledger (SEQUENCE restarts at the top of the
    day's ten), never as other numbers, such as an entry that lost its "sequence" key and would
    read as an old ledger's days, lower than what was published."""
    import random
    path = tmp_path_factory.mktemp("ledger") / "16.json"
    ledger = {"north-ward": {f"north-ward.e{n}@host": {"hash": "6a19a86227152aa9f0c82d93", "since": "2026-11-28",
                                                       "sequence": 25239 + n} for n in range(3)}}
    data = bytearray(ledger_bytes(ledger))
    rng = random.Random(seed)
    for at in rng.sample(range(len(data)), flips):
        data[at] = (data[at] + rng.randrange(1, 256)) % 256   # a different byte
    path.write_bytes(bytes(data))
    assert read_ledger(path) == {}


def test_a_ledger_shard_reads_back_and_an_old_one_without_the_check_still_reads(tmp_path):
    ledger = {"north-ward": {"north-ward.e@host": {"hash": "ab", "since": "2026-11-28", "sequence": 25239}}}
    path = tmp_path / "16.json"
    path.write_bytes(ledger_bytes(ledger))
    assert read_ledger(path) == ledger
    path.write_text(json.dumps(ledger))   # as shards were written before the check
    assert read_ledger(path) == ledger


@settings(max_examples=200, deadline=None)
@given(day=st.dates(max_value=date(2030, 12, 31)), edits=st.integers(0, 3))
def test_a_sequence_is_never_negative_whatever_the_build_date(tmp_path_factory, day, edits):
    """RFC 5545's SEQUENCE is a non-negative integer: so it is for any --build-date, one before
    2020 (the epoch of ten a day) included, new and after edits."""
    root = tmp_path_factory.mktemp("site")
    title = "Panel"
    for _ in range(edits + 1):
        event = Event(uid="test-ward.panel@host", title=title, start=datetime(2031, 6, 1, 19, tzinfo=LONDON))
        assert publish_dates(root, "test-ward", (event,), day)[event.uid].sequence >= 0
        title += "!"
