"""import-police-uk on a bilingual site keeps area.cy.yaml in step with the area.yaml it rewrites
(issue 20, item 5): over hypothesis-made sequences of police.uk teams, priorities and events
(added, removed, reordered, reworded), after each import the site checks clean, every kept
translation is still attached to the same person, priority or event, and no English words land
in the Welsh file."""
from __future__ import annotations

import http.server
import json
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT, run_cli
from sitegen.content.areas import AREA
from sitegen.content.schema import ListOf, Record
from sitegen.importers.police_uk.translations import Tally, leading_comments, sync
from test_police_uk import FIXTURES, FakeApi, _handler

NID = "E05000027"
ALIBON = Path("content/areas/alibon")
# Each person: name -> the ranks and bios the API may give (the first as the example's area.yaml has it).
PEOPLE = {
    "Chloe Green": (["Police Sergeant", "Inspector"], ["Leads the Alibon team and the two neighbouring wards.",
                                                      None]),
    "Olu Clarke": (["Police Constable", "Sergeant"], ["Dedicated ward officer for Alibon.", "New to the team."]),
    "Kate Reid": (["Police Community Support Officer"], [None, "Knows every shop on the parade."]),
    "Chris Ward": (["Sergeant"], ["Chris leads the team.", None]),
    "Dee Okoro": (["PC", "Detective Constable"], [None]),
}
# Each priority: issue -> its date and the actions (with their dates) the API may give.
PRIORITIES = {
    "Bike theft from outside the shops.": ("2026-10-01", [
        ("We marked 60 bikes at a free marking event and asked the council for more secure cycle stands.",
         "2026-11-15"), ("Weekly patrols at the racks.", "2026-11-20"), None]),
    "Speeding on residential roads, especially in the evening.": ("2026-10-01", [None, ("Speed checks.",
                                                                                        "2026-12-01")]),
    "Antisocial behaviour near the shops.": ("2026-09-01", [("Weekly patrols at the parade.", "2026-10-15")]),
    "Litter and fly-tipping in the park.": ("2026-08-01", [None]),
}
# Each event: (title, start, end) -> the locations and descriptions the API may give.
EVENTS = {
    ("Ward panel meeting", "2026-12-03T19:00:00", "2026-12-03T20:30:00"): (
        ["Alibon community hall", "Library"],
        ["Tell us what matters to you. Everyone is welcome; the hall is step-free.", None]),
    ("Street surgery", "2027-01-11T11:00:00", "2027-01-11T13:00:00"): (
        ["Outside the library"], ["Drop in with any question, or to report something."]),
    ("Cycle marking", "2027-02-06T10:00:00", "2027-02-06T12:00:00"): (["Outside the station"], [None]),
}


@pytest.fixture(scope="module")
def api() -> Iterator[FakeApi]:
    """The fake police.uk API (tests/test_police_uk.py's), for this module's imports."""
    fake = FakeApi(FIXTURES)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/api"   # type: ignore[attr-defined]
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def base_site(tmp_path_factory) -> Path:
    """The bilingual example cut to one ward, Alibon (Welsh beside every file), so each check is quick."""
    site = tmp_path_factory.mktemp("bilingual") / "site"
    site.mkdir()
    for path in ROOT.glob("site*.yaml"):
        shutil.copy(path, site / path.name)
    for folder in ("content", "forms", "templates"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, site / folder)
    for area in (site / "content/areas").iterdir():
        if area.name != "alibon":
            shutil.rmtree(area)
    shutil.rmtree(site / "content/postcodes", ignore_errors=True)   # its postcodes name the other wards
    assert run_cli("check", "--site", str(site)).exit_code == 0
    return site


def people_states():
    member = st.sampled_from(sorted(PEOPLE)).flatmap(
        lambda name: st.tuples(st.just(name), st.sampled_from(PEOPLE[name][0]), st.sampled_from(PEOPLE[name][1])))
    return st.lists(member, max_size=4, unique_by=lambda m: m[0])


def priority_states():
    item = st.sampled_from(sorted(PRIORITIES)).flatmap(
        lambda issue: st.tuples(st.just(issue), st.sampled_from(PRIORITIES[issue][1])))
    return st.lists(item, max_size=4, unique_by=lambda p: p[0])


def event_states():
    item = st.sampled_from(sorted(EVENTS)).flatmap(
        lambda key: st.tuples(st.just(key), st.sampled_from(EVENTS[key][0]), st.sampled_from(EVENTS[key][1])))
    return st.lists(item, max_size=3, unique_by=lambda e: e[0])


STATES = st.tuples(people_states(), priority_states(), event_states())


def serve_state(api: FakeApi, state) -> None:
    """Make the fake API give Alibon the team, priorities and events of STATE."""
    people, priorities, events = state
    api.replace(f"/api/metropolitan/{NID}/people",
                [{"name": name, "rank": rank, "bio": bio} for name, rank, bio in people])
    api.replace(f"/api/metropolitan/{NID}/priorities", [
        {"issue": issue, "issue-date": f"{PRIORITIES[issue][0]}T00:00:00",
         "action": action[0] if action else None, "action-date": f"{action[1]}T00:00:00" if action else None}
        for issue, action in priorities])
    api.replace(f"/api/metropolitan/{NID}/events", [
        {"title": title, "start_date": start, "end_date": end, "address": location, "description": text,
         "contact_details": {}, "type": "meeting"}
        for (title, start, end), location, text in events])


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def english_texts(value, kind=AREA, translatable=False) -> set[str]:
    """Every translatable text in VALUE (area.yaml's data): the words a translation must not copy."""
    if isinstance(kind, Record) and isinstance(value, dict):
        fields = {f.name: f for f in kind.fields}
        return {text for key, v in value.items() if key in fields
                for text in english_texts(v, fields[key].kind, translatable or fields[key].translatable)}
    if isinstance(kind, ListOf) and isinstance(value, list):
        return {text for v in value for text in english_texts(v, kind.item, translatable)}
    return {value} if translatable and isinstance(value, str) else set()


def all_strings(value) -> set[str]:
    if isinstance(value, dict):
        return {s for v in value.values() for s in all_strings(v)}
    if isinstance(value, list):
        return {s for v in value for s in all_strings(v)}
    return {value} if isinstance(value, str) else set()


def by_identity(english: dict, welsh: dict, key: str, name: str) -> dict:
    """{identity: (English item, Welsh item)} for the list KEY, items known by NAME (lists merged
    item by item) or by 'id' (events, merged by id)."""
    english_items, welsh_items = english.get(key) or [], welsh.get(key) or []
    if name == "id":
        welsh_by_id = {w["id"]: w for w in welsh_items}
        return {e["id"]: (e, welsh_by_id.get(e["id"], {})) for e in english_items}
    assert len(welsh_items) in (0, len(english_items))
    return {e[name]: (e, w) for e, w in zip(english_items, welsh_items or [{}] * len(english_items),
                                            strict=True)}


LISTS = (("team", "name", ("role", "bio")), ("priorities", "issue", ("issue", "action")),
         ("events", "id", ("title", "location", "description")))


def assert_kept_in_step(before: tuple[dict, dict], after: tuple[dict, dict]) -> None:
    """Each Welsh text after the import is the one written before for the same person, priority
    or event, whose English it translates has not changed; and one that could stay, stayed."""
    for key, name, texts in LISTS:
        old = by_identity(*before, key, name)
        new = by_identity(*after, key, name)
        for identity, (english, welsh) in new.items():
            if name in ("name", "id") and welsh.get(name) is not None:
                assert welsh[name] == english[name]   # a shared name or id: the same item
            old_english, old_welsh = old.get(identity, ({}, {}))
            for text in texts:
                kept = identity in old and old_english.get(text) == english.get(text) and text in old_welsh
                if text == name and name != "id":   # a priority's issue names it: unchanged by definition
                    kept = identity in old and text in old_welsh
                assert (text in welsh) == kept, (key, identity, text, welsh, old_welsh)
                if kept:
                    assert welsh[text] == old_welsh[text], (key, identity, text)
    ids = {e["id"] for e in after[0].get("events") or []}
    assert {w["id"] for w in after[1].get("events") or []} <= ids


def translate_everything(path: Path, english: dict, counter: list[int]) -> None:
    """Write a Welsh text (made-up Welsh words and a number) for each translatable text of the
    team, priorities and events that the translation at PATH lacks, as a translator would."""
    text = path.read_text(encoding="utf-8")
    welsh = load(path)
    for key, name, texts in LISTS:
        items = english.get(key) or []
        if not items:
            continue
        translated = by_identity(english, welsh, key, name)
        out = []
        for identity, (item, done) in translated.items():
            done = dict(done) if name != "id" or done else {"id": identity}
            for field in texts:
                if field in item and field not in done:
                    counter[0] += 1
                    done[field] = f"Geiriau Cymraeg rhif {counter[0]}"
            out.append(done)
        welsh[key] = out
    path.write_text(leading_comments(text) + yaml.safe_dump(welsh, allow_unicode=True, sort_keys=False),
                    encoding="utf-8")


@settings(max_examples=25, deadline=None)
@given(states=st.lists(STATES, min_size=1, max_size=3))
def test_imports_keep_the_welsh_in_step(api, base_site, tmp_path_factory, states):
    site = tmp_path_factory.mktemp("site") / "site"
    shutil.copytree(base_site, site)
    area, welsh_file = site / ALIBON / "area.yaml", site / ALIBON / "area.cy.yaml"
    header = leading_comments(welsh_file.read_text(encoding="utf-8"))
    counter = [0]
    for state in states:
        before = (load(area), load(welsh_file))
        serve_state(api, state)
        result = run_cli("import-police-uk", "--site", str(site), "--api-url", api.url,   # type: ignore[attr-defined]
                         "--force", "metropolitan", "--neighbourhood", NID)
        assert result.exit_code == 0, result.output
        assert "left as it was" not in result.output
        after = (load(area), load(welsh_file))
        checked = run_cli("check", "--site", str(site))
        assert checked.exit_code == 0, checked.output
        assert_kept_in_step(before, after)
        # No English words land in the Welsh file (a translator may have written a word the same in both).
        assert english_texts(after[0]) & all_strings(after[1]) <= all_strings(before[1])
        assert welsh_file.read_text(encoding="utf-8").startswith(header)   # the translator's marks kept
        translate_everything(welsh_file, after[0], counter)


def test_a_translation_check_refuses_is_left_alone(api, base_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(base_site, site)
    welsh_file = site / ALIBON / "area.cy.yaml"
    welsh = load(welsh_file)
    welsh["team"].append({"role": "Cwnstabl"})   # 4 items for area.yaml's 3: already out of step
    welsh_file.write_text(yaml.safe_dump(welsh, allow_unicode=True), encoding="utf-8")
    written = welsh_file.read_bytes()
    serve_state(api, ([("Chris Ward", "Sergeant", None)], [], []))
    result = run_cli("import-police-uk", "--site", str(site), "--api-url", api.url,   # type: ignore[attr-defined]
                     "--force", "metropolitan", "--neighbourhood", NID)
    assert result.exit_code == 0, result.output
    assert (f"note: {NID}: content/areas/alibon/area.cy.yaml left as it was: check finds problems in it"
            in result.output)
    assert welsh_file.read_bytes() == written
    assert load(site / ALIBON / "area.yaml")["team"] == [{"name": "Chris Ward", "role": "Sergeant"}]


def test_the_report_says_what_to_translate_and_names_nobody(api, base_site, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(base_site, site)
    serve_state(api, ([("Chloe Green", "Police Sergeant", "Leads the Alibon team and the two neighbouring"
                                                          " wards."), ("Dee Okoro", "PC", None)], [], []))
    result = run_cli("import-police-uk", "--site", str(site), "--api-url", api.url,   # type: ignore[attr-defined]
                     "--force", "metropolitan", "--neighbourhood", NID)
    assert result.exit_code == 0, result.output
    line = next(line for line in result.output.splitlines() if "area.cy.yaml kept in step" in line)
    assert "team: 1 new, 2 removed" in line and "Dee" not in line and "Chloe" not in line
    welsh = load(site / ALIBON / "area.cy.yaml")
    assert welsh["priorities"] == load(base_site / ALIBON / "area.cy.yaml")["priorities"]   # pinned, kept
    assert "contact" not in welsh   # its address changed in English
    assert welsh["team"] == [{"name": "Chloe Green", "role": "Rhingyll yr Heddlu",
                              "bio": "Yn arwain tîm Alibon a'r ddwy ward gyfagos."},
                             {"name": "Dee Okoro"}]


def test_the_nightly_import_into_the_whole_bilingual_example_checks_clean(make_site, api):
    """The nightly build's steps, import then check, over every ward of the example with its
    Welsh (the API's people, priorities and events differ from every ward's)."""
    api.replaced.clear()
    site = make_site("example")
    for force in ("leicestershire", "metropolitan"):
        result = run_cli("import-police-uk", "--site", str(site), "--api-url", api.url,   # type: ignore[attr-defined]
                         "--force", force)
        assert result.exit_code == 0, result.output
    assert "abbey-barking-and-dagenham/area.cy.yaml kept in step" in result.output
    # The API gives Barnsbury no boundary; check asks for one, as City Centre (no borough either) has one.
    barnsbury = {"type": "Polygon", "coordinates": [[[-0.11, 51.54], [-0.1, 51.54], [-0.1, 51.55], [-0.11, 51.54]]]}
    (site / "content/areas/barnsbury/boundary.geojson").write_text(json.dumps(barnsbury), encoding="utf-8")
    checked = run_cli("check", "--site", str(site))
    assert checked.exit_code == 0, checked.output
    assert "Welsh (cy): not yet translated" in checked.output   # the new wards, and the new officers


def test_shared_values_a_translation_repeats_follow_area_yaml():
    """Decap copies shared values into a translation; they follow the import's, or go with it."""
    old = {"name": "Alibon", "population": 10600, "summary": "Your team.",
           "contact": {"phone": "101", "address": "Town Hall"},
           "priorities": [{"issue": "Bike theft.", "date": "2026-10-01", "action": "Patrols."}]}
    new = {"name": "Alibon", "population": 10700, "summary": "Your team.",
           "contact": {"address": "Town Hall"},
           "priorities": [{"issue": "Speeding.", "date": "2026-11-01"},
                          {"issue": "Bike theft.", "date": "2026-10-02", "action": "Bike marking."}]}
    welsh = {"population": 10600, "summary": "Eich tîm.", "contact": {"phone": "101", "address": "Neuadd y Dref"},
             "priorities": [{"issue": "Dwyn beiciau.", "date": "2026-10-01", "action": "Patrolau."}]}
    tally = Tally()
    assert sync(AREA, welsh, old, new, tally) == {
        "population": 10700, "summary": "Eich tîm.", "contact": {"address": "Neuadd y Dref"},
        "priorities": [{"date": "2026-11-01"}, {"issue": "Dwyn beiciau.", "date": "2026-10-02"}]}
    assert tally.summary() == "priorities: 1 new, 1 changed"


def test_two_officers_of_one_name_import_and_check(api, base_site, tmp_path):
    """police.uk may list two people of the same name (reviewer 2's finding 4): the import
    succeeds, the site checks clean, and each keeps their place (team matched by name in order)."""
    site = tmp_path / "site"
    shutil.copytree(base_site, site)
    serve_state(api, ([("Chris Ward", "Sergeant", None), ("Olu Clarke", "Police Constable", None)], [], []))
    api.replace(f"/api/metropolitan/{NID}/people", [
        {"name": "Olu Clarke", "rank": "Police Constable", "bio": None},
        {"name": "Kate Reid", "rank": "Police Community Support Officer", "bio": None},
        {"name": "Olu Clarke", "rank": "Special Constable", "bio": "Volunteers on Saturdays."}])
    result = run_cli("import-police-uk", "--site", str(site), "--api-url", api.url,   # type: ignore[attr-defined]
                     "--force", "metropolitan", "--neighbourhood", NID)
    assert result.exit_code == 0, result.output
    assert [m["name"] for m in load(site / ALIBON / "area.yaml")["team"]] == ["Olu Clarke", "Kate Reid", "Olu Clarke"]
    checked = run_cli("check", "--site", str(site))
    assert checked.exit_code == 0, checked.output
