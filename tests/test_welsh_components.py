"""Welsh readers are not left with English (issue 20 review): govuk-frontend's Exit this page
gets its screen-reader words from the catalogue (its data-i18n.* contract), the 404 page of a
site of several languages leads each other language's readers home, and `sitegen serve` answers
a missing /cy/ address with cy/404.html.  tests/sites/forms-basic (which has a sensitive form)
is built once in English and Welsh."""
from __future__ import annotations

import functools
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import expect

from sitegen import i18n
from sitegen.build import build as build_site
from sitegen.localserver import PrivateThreadingHTTPServer
from sitegen.serve import BuildVersion, PreviewHandler

SITES = Path(__file__).parent / "sites"
EXIT = Path(__file__).parents[1] / "node_modules/govuk-frontend/dist/govuk/components/exit-this-page"
# govuk-frontend's ExitThisPage: its i18n keys as data attributes (template.njk) and its built-in English
# (ExitThisPage.defaults.i18n in exit-this-page.mjs), which the theme's catalogue ids must equal.
EXIT_WORDS = {"activated": "Loading.", "timed-out": "Exit this page expired.",
              "press-two-more-times": "Shift, press 2 more times to exit.",
              "press-one-more-time": "Shift, press 1 more time to exit."}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """forms-basic with languages: [en, cy], built once for the module."""
    tmp = tmp_path_factory.mktemp("welsh-components")
    shutil.copytree(SITES / "forms-basic", tmp / "site", ignore=shutil.ignore_patterns(".cache"))
    with (tmp / "site" / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("languages: [en, cy]\n")
    build_site(tmp / "site", tmp / "out", date(2026, 11, 20), state_dir=tmp / "state")
    return tmp / "out"


class Tags(HTMLParser):
    """The attributes of every start tag, in order."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))


def exit_attributes(page: Path) -> dict[str, str]:
    """The data-i18n.* attributes of the page's Exit this page component."""
    tags = Tags(page.read_text(encoding="utf-8")).tags
    (found,) = [attrs for _tag, attrs in tags if "data-sitegen-exit" in attrs]
    return {k.removeprefix("data-i18n."): v for k, v in found.items() if k.startswith("data-i18n.")}


def test_the_exit_words_are_govuk_frontend_s_contract():
    template = (EXIT / "template.njk").read_text(encoding="utf-8")
    script = (EXIT / "exit-this-page.mjs").read_text(encoding="utf-8")
    for name, english in EXIT_WORDS.items():
        assert f"data-i18n.{name}=" in template
        key = re.sub(r"-(\w)", lambda m: m.group(1).upper(), name)
        assert f"{key}: '{english}'" in script


def test_quick_exit_speaks_welsh_on_welsh_pages_and_english_pages_are_unchanged(built):
    welsh = i18n.catalogue("cy")
    assert exit_attributes(built / "cy/forms/quiet/index.html") == {
        name: welsh.gettext(english) for name, english in EXIT_WORDS.items()}
    assert all(welsh.gettext(english) != english for english in EXIT_WORDS.values())
    assert exit_attributes(built / "forms/quiet/index.html") == {}


@pytest.mark.browser
def test_pressing_shift_twice_on_a_welsh_form_is_announced_in_welsh(built, serve_dir, page):
    page.goto(serve_dir(built) + "/cy/forms/quiet/")
    page.locator("body").click()
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    expect(page.locator("[data-sitegen-exit] [role=status]")).to_have_text(
        i18n.catalogue("cy").gettext(EXIT_WORDS["press-one-more-time"]))


def home_lines(page: Path) -> list[tuple[str, str]]:
    """(lang, href) of each paragraph with its own lang and the link inside it."""
    tags = Tags(page.read_text(encoding="utf-8")).tags
    return [(attrs["lang"], tags[i + 1][1]["href"]) for i, (tag, attrs) in enumerate(tags)
            if tag == "p" and "lang" in attrs]


def test_the_default_404_page_leads_the_other_language_s_readers_home(built):
    assert home_lines(built / "404.html") == [("cy", "/cy/")]
    assert "Ewch i’r hafan Gymraeg" in (built / "404.html").read_text(encoding="utf-8")
    assert home_lines(built / "cy/404.html") == []   # served under /cy/ by serve; all Welsh


@pytest.fixture(scope="module")
def server(built) -> Iterator[str]:
    """The preview's handler serving the built site (no rebuilds): its base URL."""
    handler = functools.partial(type("Handler", (PreviewHandler,), {"version": BuildVersion()}),
                                directory=str(built))
    httpd = PrivateThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def not_found_lang(url: str) -> str:
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(url, timeout=10)  # noqa: S310 - loopback only
    assert caught.value.code == 404
    tags = Tags(caught.value.read().decode()).tags
    return tags[1][1]["lang"] if tags[0][0] != "html" else tags[0][1]["lang"]


@pytest.mark.parametrize(("path", "lang"), [
    ("/cy/nothing-here/", "cy"), ("/cy/forms/nothing", "cy"), ("/%63y/nothing?x=1", "cy"),
    ("/nothing-here/", "en"), ("/forms/nothing", "en"), ("/%2e%2e/cy/nothing", "en"), ("/cy..", "en")])
def test_serve_answers_a_missing_address_with_its_language_s_404(server, path, lang):
    assert not_found_lang(server + path) == lang
