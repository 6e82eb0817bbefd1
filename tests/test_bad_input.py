"""One test per class of bad input: exit 1, the file, the line, a message that
says what to do, every problem at once, and never a traceback."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.config import SITE
from sitegen.content.schema import (
    PHONE_RE,
    Bool,
    Choice,
    Colour,
    Date,
    DateTime,
    Email,
    Field,
    Int,
    ListOf,
    Phone,
    Record,
    Slug,
    Str,
    Url,
    Where,
)
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import Problems

AREA = "content/areas/north-ward/area.yaml"
NEWS = "content/areas/north-ward/news/bike-marking.md"


def check(site: Path):
    return run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text()
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1))


def assert_problem(result, location: str, words: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith(location)]
    assert lines, f"no line starting {location!r} in:\n{result.stderr}"
    assert any(words in line for line in lines), f"{words!r} not in {lines}"


@pytest.fixture
def site(make_site):
    return make_site("minimal")


def test_yaml_syntax_error(site):
    edit(site, AREA, "summary: The north of the town.", "summary: The north: of the town.")
    assert_problem(check(site), f"{AREA}:5:19:", "YAML syntax")


def test_unknown_key_with_hint(site):
    edit(site, AREA, "team:", "teem:")
    assert_problem(check(site), f"{AREA}:6:1:", "unknown key 'teem' in area.yaml; did you mean 'team'?")


def test_unknown_key_in_site_yaml(site):
    edit(site, "site.yaml", "base_url:", "base_ulr:")
    result = check(site)
    assert_problem(result, "site.yaml:2:1:", "did you mean 'base_url'?")
    assert_problem(result, "site.yaml:1:1:", "missing required key 'base_url'")


def test_wrong_type(site):
    edit(site, AREA, "population: 12000", "population: lots")
    assert_problem(check(site), f"{AREA}:4:13:", "population: expected a whole number, found 'lots'")


def test_missing_required_field(site):
    edit(site, AREA, "  - name: Alan Turing\n    role: Police Constable", "  - name: Alan Turing")
    assert_problem(check(site), f"{AREA}:10:5:", "team[2]: missing required key 'role' in team member")


def test_impossible_date(site):
    edit(site, AREA, "start: 2026-12-03T19:00", "start: 2026-02-30T19:00")
    assert_problem(check(site), f"{AREA}:30:12:", "'2026-02-30T19:00' is not a real date and time")


def test_impossible_date_in_front_matter(site):
    edit(site, NEWS, "date: 2026-11-02", "date: 2026-13-02")
    assert_problem(check(site), f"{NEWS}:3:7:", "not a real date")


def test_event_ending_before_it_starts(site):
    edit(site, AREA, "end: 2026-12-03T20:30", "end: 2026-12-03T18:30")
    assert_problem(check(site), f"{AREA}:31:10:", "2026-12-03T18:30 is not after the start (2026-12-03T19:00)")


def test_duplicate_news_slug(site):
    edit(site, "content/areas/north-ward/news/speed-checks.md", "date: 2026-10-05", "date: 2026-10-05\nslug: bike-marking")
    assert_problem(check(site), "content/areas/north-ward/news/speed-checks.md:4:7:", "news slug 'bike-marking' is already used")


def test_slug_that_would_escape_the_build(site):
    edit(site, NEWS, "date: 2026-11-02", "date: 2026-11-02\nslug: ../../../etc")
    assert_problem(check(site), f"{NEWS}:4:7:", "slug: expected lowercase letters, digits and hyphens")


def test_area_folder_that_is_not_a_slug(site):
    (site / "content/areas/Bad Name").mkdir()
    (site / "content/areas/Bad Name/area.yaml").write_text("name: Bad\n")
    assert_problem(check(site), "content/areas/Bad Name:", "folder name must be lowercase")


def test_link_to_missing_area(site):
    edit(site, NEWS, "[South Ward](/areas/south-ward/)", "[South Ward](/areas/nowhere/)")
    assert_problem(check(site), f"{NEWS}:11:", "link '/areas/nowhere/' points to an area or page that does not exist")


def test_link_to_missing_page(site):
    edit(site, "content/areas/north-ward/news/speed-checks.md", "(/about/)", "(/abuot/)")
    assert_problem(check(site), "content/areas/north-ward/news/speed-checks.md:5:", "points to a page that does not exist")


def test_missing_image(site):
    (site / "content/media/bike.svg").unlink()
    assert_problem(check(site), f"{NEWS}:13:", "image '/media/bike.svg' is missing")


def test_image_from_another_site(site):
    edit(site, NEWS, "(/media/bike.svg)", "(https://tracker.example.com/pixel.gif)")
    assert_problem(check(site), f"{NEWS}:13:", "is on another site")


def test_front_matter_not_closed(site):
    path = site / NEWS
    path.write_text(path.read_text().replace("---\nWe marked", "We marked", 1))
    assert_problem(check(site), f"{NEWS}:1:1:", "did you forget the closing '---'")


def test_second_level_one_heading(site):
    edit(site, NEWS, "## Next time", "# Next time")
    assert_problem(check(site), f"{NEWS}:8:1:", "start headings at '## '")


def test_template_syntax_error(site):
    (site / "templates").mkdir()
    (site / "templates/area.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{% if %}\n{% endblock %}\n")
    assert_problem(check(site), "templates/area.html:3:", "template:")


@pytest.mark.parametrize("page", ["home.html", "borough.html"])
def test_a_listing_page_asking_for_more_than_names(site, page):
    (site / "templates").mkdir()
    loop = "borough.areas" if page == "borough.html" else "boroughs[0].areas"
    (site / "templates" / page).write_text(
        "{% extends 'base.html' %}{% block content %}\n"
        f"{{% for area in {loop} %}}<p>{{{{ area.summary }}}}</p>{{% endfor %}}\n{{% endblock %}}\n")
    result = run_cli("build", "--site", str(site), "--out", str(site / "out"), "--build-date", BUILD_DATE)
    assert_problem(result, f"templates/{page}:2:", "'summary' is not given to the home and borough pages")


def test_the_build_date_is_not_given_to_every_page(site):
    # Only a ward's page and calendar are rebuilt when the date moves on, so only they may show it.
    (site / "templates/partials").mkdir(parents=True)
    (site / "templates/partials/footer.html").write_text("<footer>\n<p>Built {{ build_date }}</p></footer>\n")
    result = run_cli("build", "--site", str(site), "--out", str(site / "out"), "--build-date", BUILD_DATE)
    assert_problem(result, "templates/partials/footer.html:2:", "'build_date' is undefined")


def test_every_problem_is_reported_at_once(site):
    edit(site, AREA, "team:", "teem:")
    edit(site, NEWS, "date: 2026-11-02", "date: 2026-13-02")
    result = check(site)
    assert result.exit_code == 1
    assert AREA in result.stderr and NEWS in result.stderr
    assert "problems found" in result.stderr


def test_missing_site_yaml(tmp_path):
    result = check(tmp_path)
    assert_problem(result, "site.yaml:", "not found")


def test_a_file_that_cannot_be_read_is_a_located_problem(tmp_path):
    # Loaders skip what is not a file, so this guards a file that vanishes or is locked while being read.
    from sitegen.content.yamlsource import read_text
    from sitegen.errors import SitegenError
    with pytest.raises(SitegenError) as caught:
        read_text(tmp_path, "content/pages/about.md")   # a folder
    assert str(caught.value.problems[0]).startswith("content/pages/about.md: cannot be read (Is a directory)")


def test_not_utf8(site):
    (site / AREA).write_bytes("name: Caf\xe9\n".encode("latin-1"))
    assert_problem(check(site), f"{AREA}:1:", "is not UTF-8")


def test_analytics_script_on_another_site_is_refused(site):
    edit(site, "site.yaml", "footer_links:", "analytics:\n  script: https://analytics.example.com/script.js\nfooter_links:")
    assert_problem(check(site), "site.yaml:", "script must be a path on this site")


# -- site.yaml phone numbers: the same Phone kind as an area's contact.phone ----------------------

PHONE_KEYS = ("emergency", "non_emergency", "textphone")
not_a_phone = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=25).filter(
    lambda text: text.strip() and not PHONE_RE.match(text.strip()))


def _site_phone_problems(key: str, written: str) -> list[str]:
    text = f"name: T\nbase_url: https://t.example/\nphone:\n  {key}: {written}\n"
    problems = Problems()
    SITE.check(parse_yaml(text, "site.yaml"), Where("site.yaml", (1, 1), ""), problems)
    return [str(p) for p in problems]


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(PHONE_KEYS), not_a_phone)
def test_every_site_phone_number_that_is_not_one_is_refused_at_its_line(key, text):
    written = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    problems = _site_phone_problems(key, written)
    assert len(problems) == 1 and problems[0].startswith(f"site.yaml:4:{len(key) + 5}: phone.{key}: expected"
                                                         " a phone number"), problems


@pytest.mark.parametrize("key", PHONE_KEYS)
@pytest.mark.parametrize("number", ["999", "101", "18000", "0300 123 1212", "+44 20 7123 4567", "01632 960-001",
                                    "0101"])
def test_site_phone_numbers_that_are_numbers_are_kept_as_written(key, number):
    assert _site_phone_problems(key, number) == []


@pytest.mark.parametrize("key, written", [("non_emergency", '"call us now"'), ("textphone", "18_000"),
                                          ("non_emergency", "No")])
def test_field_cases_site_phone_numbers_are_checked(site, key, written):
    edit(site, "site.yaml", "description:", f"phone:\n  {key}: {written}\ndescription:")
    shown = written.strip('"')
    assert_problem(check(site), f"site.yaml:4:{len(key) + 5}:",
                   f"phone.{key}: expected a phone number (digits, spaces, + ( ) -), found '{shown}'")


@pytest.mark.parametrize("old, new", [("title: About this site", "title: ="),          # a YAML mistake
                                      ("title: About this site", "title: ~"),          # no title
                                      ("---\ntitle", "--\ntitle")])                    # no front matter
def test_a_page_that_fails_to_load_reports_only_its_own_problem(site, old, new):
    """A news item links to /about/; a broken about.md is reported, and the link is not also
    said to lead nowhere (the page's file is there, with a problem of its own)."""
    edit(site, "content/pages/about.md", old, new)
    result = check(site)
    assert result.exit_code == 1 and "Traceback" not in result.output
    problems = [line for line in result.stderr.splitlines() if line.startswith("content/")]
    assert problems and all(line.startswith("content/pages/about.md:") for line in problems), result.stderr


# -- class 12: every schema message ends with what to write ------------------------------------

KINDS = [Str(), Slug, Email, Phone, Colour, Url(), Url(allow_path=True), Int(minimum=0, maximum=500), Bool(),
         Date(), DateTime(), Choice(("web", "phone")), ListOf(Str()), Record([Field("name", Str())], name="team")]
# What a message may end with: an instruction to the editor.
_SAYS_WHAT_TO_DO = re.compile(r"; (write|remove|keep|add|check|did you mean|delete|put)\b")
_WRONG_VALUES = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.booleans(), st.none(),
                          st.lists(st.text(max_size=3), max_size=2), st.dictionaries(st.text(max_size=3),
                                                                                      st.text(max_size=3),
                                                                                      max_size=2))


@settings(max_examples=100, deadline=None)
@given(kind=st.sampled_from(KINDS), value=_WRONG_VALUES)
def test_every_schema_message_says_what_to_write(kind, value):
    problems = Problems()
    kind.check(value, Where("f.yaml", (1, 1), "key"), problems)
    for problem in problems:
        assert _SAYS_WHAT_TO_DO.search(problem.message), problem.message


@pytest.mark.parametrize("kind, value, words", [
    (Int(minimum=0), -1, "is -1, but must be at least 0; write 0 or a larger whole number"),
    (Int(minimum=1), "0", "is 0, but must be at least 1; write 1 or a larger whole number"),
    (Int(maximum=10), "12", "must be at most 10; write 10 or a smaller whole number"),
    (Bool(), "Y", "expected true or false, found 'Y'; write true or false"),
    (Str(), [], "expected text, found a list; write plain text instead"),
    (Date(), "2026-11-1", "expected a date written YYYY-MM-DD, found '2026-11-1'; write 2026-11-01"),
    (Date(), "2026-2-30", "found '2026-2-30'; write the year, month and day with hyphens, like 2026-11-01"),
    (Date(), "2026-02-30", "'2026-02-30' is not a real date; check the month (01-12) and the day"),
    (Email, "police", "expected an email address, found 'police'; write an email address, like"),
])
def test_field_cases_schema_messages_say_what_to_write(kind, value, words):
    problems = Problems()
    kind.check(value, Where("f.yaml", (1, 1), "key"), problems)
    [problem] = problems
    assert words in problem.message, problem.message


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=date(1000, 1, 1)))
def test_a_date_with_one_digit_parts_suggests_the_written_date(day):
    problems = Problems()
    Date().check(f"{day.year}-{day.month}-{day.day}", Where("f.yaml", (1, 1), "date"), problems)
    if day.month < 10 or day.day < 10:
        [problem] = problems
        assert problem.message.endswith(f"; write {day.isoformat()}"), problem.message
    else:
        assert not list(problems)
