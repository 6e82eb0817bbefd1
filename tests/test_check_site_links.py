"""site.yaml's footer_links, report_actions and services that are site paths must lead to
something the build makes: deleting content/pages/privacy.md while every footer links
there is a problem at the site.yaml line of that link's url."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import BUILD_DATE, SITES, run_cli


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))


def add_links(site: Path, key: str, urls: list[str]) -> int:
    """Append KEY with a link to each of URLS to site.yaml; the line of the first url."""
    text = (site / "site.yaml").read_text().rstrip("\n") + "\n"
    first = text.count("\n") + 3
    items = "".join(f"  - title: Link {n}\n    url: {url}\n" for n, url in enumerate(urls))
    if f"\n{key}:" in "\n" + text:   # the list exists: add to its end (the minimal site's lists are last)
        raise AssertionError("use a key the minimal site does not have")
    (site / "site.yaml").write_text(text + f"{key}:\n{items}")
    return first


def check(site: Path):
    return run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)


def test_a_footer_link_to_a_deleted_page_is_located_at_its_url(site):
    (site / "content/pages/about.md").unlink()
    result = check(site)
    assert result.exit_code == 1
    assert "site.yaml:12:10: footer_links[1].url: link '/about/' points to a page that does not exist" \
        in result.stderr, result.stderr


@pytest.mark.parametrize("key", ["services"])
def test_every_site_path_in_the_link_lists_is_checked(site, key):
    line = add_links(site, key, ["/about/", "/areas/north-ward/", "/nowhere/", "https://example.org/x",
                                 "/about", "/media/bike.svg", "/about/#team", "/areas/gone/"])
    result = check(site)
    assert result.exit_code == 1
    told = [t for t in result.stderr.splitlines() if t.startswith("site.yaml:")]
    assert [t.split(": ")[0] for t in told] == [f"site.yaml:{line + 4}:10", f"site.yaml:{line + 8}:10",
                                                f"site.yaml:{line + 14}:10"], told
    assert "needs a trailing slash: '/about/'" in told[1]


def test_a_clean_site_still_passes(site):
    add_links(site, "services", ["/about/", "/areas/south-ward/", "/"])
    assert check(site).exit_code == 0
