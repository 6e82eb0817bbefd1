"""Issue 17, part 7: details residents noticed, each tested as a class over
every built page of the bundled example site: relay numbers right for what
they say, every helpline number a tappable tel: link."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

# Phone-number-looking text: the UK's short police numbers, the Relay UK
# prefixes (with the number they relay), and national or international numbers.
PHONE_TEXT = re.compile(r"(?<![\w/.:,-])(?:1800[01](?: \d{3,})?|999|101|0[1-9]\d{2,3}(?: ?\d){6,7}"
                        r"|\+44[\d ()]{9,16}\d)(?![\w%])")
SKIPPED = {"script", "style", "title", "head", "svg", "textarea"}


class _PhoneText(HTMLParser):
    """A page's body text, with which characters are inside a tel: link and
    which inside a heading."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.linked: list[bool] = []
        self.heading: list[bool] = []
        self._tel_depth = 0
        self._skip_depth = 0
        self._heading_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED:
            self._skip_depth += 1
        if tag in ("h1", "h2", "nav"):
            self._heading_depth += 1
        if tag == "a" and (dict(attrs).get("href") or "").startswith("tel:"):
            self._tel_depth += 1
        if tag in ("p", "li", "div", "br", "h1", "h2", "h3", "td", "th", "dt", "dd", "a", "label"):
            self.handle_data(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED:
            self._skip_depth = max(0, self._skip_depth - 1)
        if tag in ("h1", "h2", "nav"):
            self._heading_depth = max(0, self._heading_depth - 1)
        if tag == "a" and self._tel_depth:
            self._tel_depth -= 1

    def handle_data(self, data: str) -> None:
        if self._skip_depth:
            return
        self.text.append(data)
        self.linked.extend([self._tel_depth > 0] * len(data))
        self.heading.extend([self._heading_depth > 0] * len(data))


def phone_text(page: Path) -> list[tuple[str, bool, str]]:
    """Every phone-number-looking text of PAGE's body: (number, shown as a tel:
    link, the text around it). A number in a page's heading or breadcrumbs counts as linked
    when the page links it too ("Call 101" over a button dialling 101), and one
    to text rather than call (emergencySMS) as needing no tel: link."""
    parser = _PhoneText()
    parser.feed(page.read_text(encoding="utf-8"))
    text = "".join(parser.text)
    found = [(m, parser.linked[m.start()]) for m in PHONE_TEXT.finditer(text)]
    linked_numbers = {m.group() for m, linked in found if linked}
    return [(m.group(), linked or (parser.heading[m.start()] and m.group() in linked_numbers)
             or text[max(0, m.start() - 9):m.start()].endswith(("text ", "destun i ")),   # Welsh: "text"
             " ".join(text[max(0, m.start() - 120):m.end() + 60].split())) for m, linked in found]


@pytest.fixture(scope="module")
def pages(example_build: Path) -> list[Path]:
    found = sorted(p for p in example_build.rglob("*.html")     # the public pages, not the editors' admin
                   if p.relative_to(example_build).parts[0] != "admin")
    assert len(found) > 50
    return found


def test_every_phone_number_on_every_page_is_a_tel_link(pages: list[Path], example_build: Path) -> None:
    plain = [(str(page.relative_to(example_build)), number, context)
             for page in pages for number, linked, context in phone_text(page) if not linked]
    assert not plain, "\n".join(f"{p}: {n!r} in ...{c}..." for p, n, c in plain[:30])


def test_tel_links_dial_the_number_they_show(pages: list[Path]) -> None:
    shown = re.compile(r'<a [^>]*href="tel:([+\d]+)"[^>]*>([^<]*)</a>')
    for page in pages:
        for href, text in shown.findall(page.read_text(encoding="utf-8")):
            digits = re.sub(r"\(0\)|[^\d+]", "", text)
            assert digits == href, (page, href, text)


def test_relay_numbers_are_right_for_their_context(pages: list[Path]) -> None:
    """18000 is the text relay for 999 (so alone, never before another number);
    18001 relays to a number and here always to 101; a page naming Relay UK
    for anything but an emergency gives 18001 101."""
    seen = 0
    for page in pages:
        for number, _, context in phone_text(page):
            if not number.startswith("1800"):
                continue
            seen += 1
            if number.startswith("18000"):
                assert number == "18000", (page, context)
                assert any(w in context.lower() for w in ("emergency", "argyfwng", "999")), (page, context)
            else:
                assert number == "18001 101", (page, context)
    assert seen >= len(pages), "the emergency banner gives both relay numbers on every page"


def test_relay_defaults_follow_the_non_emergency_number(make_site) -> None:
    from sitegen.config import load_config

    site = make_site("minimal")
    with (site / "site.yaml").open("a", encoding="utf-8") as yaml:
        yaml.write('phone:\n  non_emergency: "0300 123 1212"\n')
    config = load_config(site)
    assert (config.textphone, config.textphone_non_emergency) == ("18000", "18001 0300 123 1212")


# "If you asked for X", "you told us X": a done page recalling an answer.
RECALLED = re.compile(r"\byou (?:asked for|asked us|told us|said|chose|answered|gave|ticked|selected|picked)"
                      r"\b([^.,;:!?]*)", re.IGNORECASE)
WORD = re.compile(r"[a-z]{5,}")
GENERIC = {"detai", "infor", "answe", "numbe", "thing", "somet", "about"}  # "contact details" names no topic


def _strings(node: object) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _page_text(page: Path) -> str:
    parser = _PhoneText()
    parser.feed(page.read_text(encoding="utf-8"))
    return " ".join("".join(parser.text).split())


def test_no_done_page_recalls_a_question_its_form_does_not_ask(example_build: Path) -> None:
    """Every answer a confirmation page recalls ("if you asked for a crime
    reference number for an insurance claim") is one its form asks for: each
    word of five letters or more after "you asked for" (and the like) appears,
    to its first five letters, in the form's questions, hints and options."""
    import yaml

    root = Path(__file__).resolve().parent.parent
    forms = sorted((root / "forms").glob("*.yaml"))
    checked = 0
    for form_file in forms:
        form = yaml.safe_load(form_file.read_text(encoding="utf-8"))
        if "pages" not in form or form_file.name.count(".") > 1:    # a form, not a translation of one
            continue
        asked = {w[:5] for s in _strings(form["pages"]) for w in WORD.findall(s.lower())}
        done = example_build / "forms" / form_file.stem / "done" / "index.html"
        assert done.is_file(), done
        checked += 1
        for clause in RECALLED.findall(_page_text(done)):
            unasked = [w for w in WORD.findall(clause.lower()) if w[:5] not in asked | GENERIC]
            assert not unasked, f"{done}: recalls '{clause.strip()}', but {form_file.name} asks no {unasked}"
    assert checked >= 5


def test_recalled_answer_check_catches_the_insurance_claim() -> None:
    clause = RECALLED.findall("If you asked for a crime reference number for an insurance claim, it is")
    assert "insurance" in WORD.findall(clause[0])


EXAMPLE_NOTICE = re.compile(r'<div class="govuk-warning-text">\s*<span[^>]*>!</span>\s*<strong[^>]*>\s*'
                            r'<span class="govuk-visually-hidden">(?:Warning|Rhybudd)</span>\s*'
                            r'(?:This is (?:an )?example|Gwefan enghreifftiol)')


def test_example_notice_on_every_page_of_the_example_site_once(pages: list[Path], example_build: Path) -> None:
    counts = {str(page.relative_to(example_build)): len(EXAMPLE_NOTICE.findall(page.read_text(encoding="utf-8")))
              for page in pages}
    assert {"index.html", "boroughs/barking-and-dagenham/index.html", "report/index.html",
            "forms/report-crime/index.html", "forms/report-crime/done/index.html", "404.html"} <= set(counts)
    wrong = {page: n for page, n in counts.items() if n != 1}
    assert not wrong, wrong


def test_no_example_notice_on_a_site_not_marked_example(make_site, tmp_path: Path) -> None:
    from conftest import BUILD_DATE, run_cli

    site = make_site("example")
    text = (site / "site.yaml").read_text(encoding="utf-8")
    assert "\nexample: true\n" in text
    (site / "site.yaml").write_text(text.replace("\nexample: true\n", "\n"), encoding="utf-8")
    for area_yaml in (site / "content" / "areas").glob("*/area.yaml"):
        area_text = area_yaml.read_text(encoding="utf-8")
        area_yaml.write_text(re.sub(r"(?m)^example: true\n", "", area_text), encoding="utf-8")
    out = tmp_path / "real"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(tmp_path / "state"))
    assert result.exit_code == 0, result.output
    marked = [p for p in out.rglob("*.html") if EXAMPLE_NOTICE.search(p.read_text(encoding="utf-8"))]
    assert not marked


def _set_area(site: Path, slug: str, **keys: str) -> None:
    path = site / "content" / "areas" / slug / "area.yaml"
    lines = [line for line in path.read_text(encoding="utf-8").splitlines()
             if line.split(":")[0] not in keys]
    path.write_text("\n".join([*(f"{k}: {v}" for k, v in keys.items()), *lines]) + "\n", encoding="utf-8")


def _titles(out: Path, slug: str) -> dict[str, str]:
    """What names the ward SLUG where residents tell wards apart."""
    page = (out / "areas" / slug / "index.html").read_text(encoding="utf-8")
    news = sorted((out / "areas" / slug / "news").glob("*/index.html"))
    return {"title": re.search(r"<title>([^<]*)</title>", page).group(1),
            "caption": " ".join(re.findall(r'govuk-caption-xl">([^<]*)<', page)),
            "feed": re.search(r"<title>([^<]*)</title>", (out / "areas" / slug / "feed.xml").read_text()).group(1),
            "calendar": re.search(r"X-WR-CALNAME:([^\r\n]*)", (out / "areas" / slug / "events.ics").read_text())
            .group(1).replace("\\,", ","),
            "crumbs": " ".join(re.findall(r'govuk-breadcrumbs__link"[^>]*>([^<]*)<',
                                          news[0].read_text(encoding="utf-8"))) if news else ""}


def test_wards_sharing_a_name_are_told_apart_and_renaming_one_reaches_the_other(make_site, tmp_path: Path) -> None:
    """Two wards called North Ward in two boroughs: each one's page title, caption, feed,
    calendar and news breadcrumbs carry its borough; a narrow edit keeps them so; renaming
    one makes the other's plain again, incrementally as a clean build does."""
    from test_incremental import assert_same_as_clean, build

    site = make_site("minimal")
    _set_area(site, "south-ward", name="North Ward", borough="Othershire")
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, state, "2026-11-28")
    for slug, borough in (("north-ward", "Testshire"), ("south-ward", "Othershire")):
        titles = _titles(out, slug)
        assert all(f"North Ward, {borough}" in text for key, text in titles.items() if key != "caption"
                   and (text or key != "crumbs")), titles
        assert titles["caption"] == borough   # the page's caption (area.html) names the borough already

    _set_area(site, "north-ward", summary="A narrow edit.")
    build(site, out, state, "2026-11-28")
    assert "North Ward, Othershire" in _titles(out, "south-ward")["title"]
    assert "North Ward, Testshire" in _titles(out, "north-ward")["title"]
    assert_same_as_clean(site, tmp_path)

    _set_area(site, "south-ward", name="South Ward")
    build(site, out, state, "2026-11-28")
    north = _titles(out, "north-ward")
    assert "North Ward," not in north["title"] + north["feed"] + north["calendar"] + north["crumbs"], north
    assert_same_as_clean(site, tmp_path)


def test_example_site_names_are_unique_so_titles_are_plain(example_build: Path) -> None:
    page = (example_build / "areas" / "alibon" / "index.html").read_text(encoding="utf-8")
    assert "<title>Alibon neighbourhood police - " in page


@pytest.mark.parametrize("text, html", [
    ("If it is happening now, call 999.", 'If it is happening now, call <a class="govuk-link" href="tel:999">999</a>.'),
    ("Relay UK: 18001 101 <b>", 'Relay UK: <a class="govuk-link" href="tel:18001101">18001 101</a> &lt;b&gt;'),
    ("Helpline 0808 2000 247, 24 hours", 'Helpline <a class="govuk-link" href="tel:08082000247">0808 2000 247</a>, 24 hours'),
    ("Up to 10000000 pounds on 27 3 2026, room 1010", "Up to 10000000 pounds on 27 3 2026, room 1010"),
])
def test_tel_links_link_phone_numbers_in_plain_text_and_escape_the_rest(text: str, html: str) -> None:
    from sitegen.telhref import tel_links

    assert str(tel_links(text)) == html
