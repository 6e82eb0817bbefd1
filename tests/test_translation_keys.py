"""A translation's list items stay with their person or priority (issue 20, reviewer finding 1).

area.cy.yaml names what each item translates by a key shared by every language (a team
member's `name`, a priority's `date`, a social link's `url`).  For any edit of area.yaml made
after the translation was written (items deleted, added, reordered), every Welsh word the Welsh
area shows is one written for that same person or priority, each other word is the English one
and marked as such, and loading never fails (warnings only).  The reviewer's two repros on the
example site are regression tests."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import run_cli
from sitegen.content.site import load_site
from sitegen.errors import ERROR, WARNING
from test_translations import BUILD_DATE, bilingual

ROOT = Path(__file__).parent.parent
NORTH = "content/areas/north-ward"
DATES = ("2026-07-01", "2026-10-01", "2026-11-20")   # few, so that priorities share dates


def member(tag: int) -> dict:
    return {"name": f"Officer {tag}", "role": f"Role {tag}", "bio": f"Bio {tag}."}


def priority(tag: int, day: str) -> dict:
    return {"issue": f"Issue {tag}.", "date": day, "action": f"Action {tag}."}


def link(tag: int) -> dict:
    return {"network": "web", "url": f"https://example.org/{tag}"}


def welsh_of(area: dict) -> dict:
    """A full translation of AREA: each item by its key, its words 'Cy ' and the English."""
    return {"team": [{"name": m["name"], "role": f"Cy {m['role']}", "bio": f"Cy {m['bio']}"}
                     for m in area["team"]],
            "priorities": [{"date": p["date"], "issue": f"Cy {p['issue']}", "action": f"Cy {p['action']}"}
                           for p in area["priorities"]],
            "social": [dict(s) for s in area["social"]]}


@st.composite
def edits(draw) -> tuple[dict, dict]:
    """(area.yaml's lists before, after some deletes, additions and a reorder of each list)."""
    tags = iter(range(100))
    before = {"team": [member(next(tags)) for _ in range(draw(st.integers(0, 4)))],
              "priorities": [priority(next(tags), draw(st.sampled_from(DATES)))
                             for _ in range(draw(st.integers(0, 4)))],
              "social": [link(next(tags)) for _ in range(draw(st.integers(0, 3)))]}
    after = {}
    for key, items in before.items():
        kept = [item for item in items if draw(st.booleans())]
        new = [member(next(tags)) if key == "team" else link(next(tags)) if key == "social"
               else priority(next(tags), draw(st.sampled_from(DATES))) for _ in range(draw(st.integers(0, 2)))]
        after[key] = draw(st.permutations(kept + new))
    return before, after


def write(site: Path, name: str, data: dict) -> None:
    (site / NORTH / name).write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def same_date_swapped(before: dict, after: dict) -> bool:
    """Whether some date has as many priorities after the edit as before, but not the same ones in
    the same order: the one edit a date cannot tell apart (only dates are shared), so the words
    of that date would go to the others of that date, in order (docs/editing.md says so)."""
    def of(lists: dict, day: str) -> list[str]:
        return [p["issue"] for p in lists["priorities"] if p["date"] == day]
    return any(len(of(before, d)) == len(of(after, d)) and of(before, d) != of(after, d) for d in DATES)


def check_words_stay(site: Path, before: dict, after: dict) -> list:
    """Write BEFORE's translation and AFTER as area.yaml; assert every Welsh word stays with its
    item (a priority's, unless same_date_swapped); return the problems."""
    english = yaml.safe_load((site / NORTH / "area.yaml").read_text(encoding="utf-8"))
    write(site, "area.cy.yaml", welsh_of(before))
    write(site, "area.yaml", {**english, **after})
    loaded, problems = load_site(site, BUILD_DATE)
    assert not [p for p in problems if p.level == ERROR], [str(p) for p in problems]
    area, welsh = loaded.area("north-ward"), loaded.in_language("cy").area("north-ward")
    fallbacks = loaded.fallbacks(area, "cy")
    for place, (en, cy) in enumerate(zip(area.team, welsh.team, strict=True)):
        assert cy.name == en.name
        for field in ("role", "bio"):
            ours, theirs = getattr(en, field), getattr(cy, field)
            assert theirs in (ours, f"Cy {ours}"), (field, en, cy)
            assert (theirs == ours) == (f"team.{place}.{field}" in fallbacks)
    for place, (en_p, cy_p) in enumerate(zip(area.priorities, welsh.priorities, strict=True)):
        assert cy_p.date == en_p.date
        if same_date_swapped(before, after):
            break
        for field in ("issue", "action"):
            ours, theirs = getattr(en_p, field), getattr(cy_p, field)
            assert theirs in (ours, f"Cy {ours}"), (field, en_p, cy_p)
            assert (theirs == ours) == (f"priorities.{place}.{field}" in fallbacks)
    assert welsh.social == area.social
    return list(problems)


@settings(max_examples=40, deadline=None)
@given(edits())
def test_editing_the_english_lists_never_moves_welsh_words(tmp_path_factory, case):
    before, after = case
    site = bilingual(tmp_path_factory.mktemp("keys"))
    problems = check_words_stay(site, before, after)
    gone = {m["name"] for m in before["team"]} - {m["name"] for m in after["team"]}
    for name in gone:   # a person who left: their words are not shown, and check says so
        assert any(p.level == WARNING and f"name '{name}'" in p.message for p in problems), name


def test_a_translation_written_for_the_same_lists_translates_every_word(tmp_path):
    site = bilingual(tmp_path)
    lists = {"team": [member(1), member(2)], "priorities": [priority(3, DATES[1]), priority(4, DATES[1])],
             "social": [link(5)]}
    assert check_words_stay(site, lists, lists) == []


def example(tmp_path: Path) -> Path:
    """The bundled example site's content, copied."""
    site = tmp_path / "example"
    site.mkdir()
    for name in ("site.yaml", "site.cy.yaml"):
        shutil.copy(ROOT / name, site / name)
    for folder in ("content", "forms", "templates"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, site / folder)
    return site


ALIBON = "content/areas/alibon/area.yaml"


def test_the_reviewers_team_repro(tmp_path):
    """Chloe Green (the sergeant) deleted and Sam Patel added at the end: nobody takes her words."""
    site = example(tmp_path)
    path = site / ALIBON
    text = path.read_text(encoding="utf-8")
    text = text.replace("- name: Chloe Green\n  role: Police Sergeant\n"
                        "  bio: Leads the Alibon team and the two neighbouring wards.\n", "")
    text = text.replace("contact:\n", "- name: Sam Patel\n  role: Police Constable\n  bio: Joined in November.\n"
                                      "contact:\n", 1)
    path.write_text(text, encoding="utf-8")
    loaded, problems = load_site(site, date(2026, 11, 20))
    assert not [p for p in problems if p.level == ERROR], [str(p) for p in problems]
    welsh = loaded.in_language("cy").area("alibon")
    assert [(m.name, m.role) for m in welsh.team] == [
        ("Olu Clarke", "Cwnstabl yr Heddlu"), ("Kate Reid", "Swyddog Cymorth Cymunedol yr Heddlu"),
        ("Sam Patel", "Police Constable")]
    assert welsh.team[0].bio == "Swyddog ward dynodedig ar gyfer Alibon."
    assert any("name 'Chloe Green'" in p.message and p.level == WARNING and p.path.endswith("area.cy.yaml")
               for p in problems)


def test_the_reviewers_priorities_repro(tmp_path):
    """'Bike theft' (2026-10-01) deleted and a fly-tipping priority added: the Welsh file has two of
    2026-10-01, area.yaml one, so neither is used (a warning), and the others keep theirs."""
    site = example(tmp_path)
    path = site / ALIBON
    text = path.read_text(encoding="utf-8")
    start = text.index("- issue: Bike theft")
    text = text[:start] + text[text.index("- issue: Drug dealing"):]
    text = text.replace("events:\n", "- issue: Fly-tipping behind the parade.\n  date: '2026-11-20'\nevents:\n", 1)
    path.write_text(text, encoding="utf-8")
    loaded, problems = load_site(site, date(2026, 11, 20))
    assert not [p for p in problems if p.level == ERROR], [str(p) for p in problems]
    english, welsh = loaded.area("alibon"), loaded.in_language("cy").area("alibon")
    issues = {p.date.isoformat(): p.issue for p in welsh.priorities}
    assert issues == {"2026-11-20": "Fly-tipping behind the parade.",
                      "2026-10-01": "Speeding on residential roads, especially in the evening.",
                      "2026-07-01": "Delio cyffuriau a defnyddio cyffuriau ger yr orsaf."}
    assert {"priorities.0.issue", "priorities.1.issue"} <= loaded.fallbacks(english, "cy")
    assert any("date 2026-10-01" in p.message and p.level == WARNING for p in problems)


ENGLISH_EDITS = {   # an English edit a translation no longer matches: each only a warning
    "a person renamed": (ALIBON, "- name: Olu Clarke\n", "- name: Olu Clarke-Jones\n"),
    "a priority deleted": (ALIBON, "- issue: Bike theft", "- issue: Bike theft"),   # cut below
    "an option's value changed": ("forms/report-lost-property.yaml", "- value: bag\n", "- value: handbag\n"),
}


@pytest.mark.parametrize("case", sorted(ENGLISH_EDITS))
def test_what_a_translation_no_longer_matches_is_told_and_the_site_still_builds(tmp_path, case):
    """check and build exit 0 and say what is not shown (reviewer 2's finding 1: the warnings
    from loading stopped both, undoing what matching by key is for)."""
    site = example(tmp_path)
    rel, old, new = ENGLISH_EDITS[case]
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    if case == "a priority deleted":
        start = text.index(old)
        text = text[:start] + text[text.index("- issue: Drug dealing"):]
    else:
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    checked = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE.isoformat())
    assert checked.exit_code == 0, checked.output
    assert "warning: " in checked.output and ".cy.yaml" in checked.output
    built = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"),
                    "--build-date", BUILD_DATE.isoformat(),
                    "--state", str(tmp_path / "state"))
    assert built.exit_code == 0, built.output
    assert (tmp_path / "out/cy/areas/alibon/index.html").is_file()
