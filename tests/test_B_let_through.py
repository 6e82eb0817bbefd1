"""A folder's listing lets the files in it that are no link through refuse_link_out
(sitefiles.let_through) without a look of their own; what it then lets through, and what it
refuses, must be what refuse_link_out alone lets through and refuses, wherever links are."""
from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.errors import SitegenError
from sitegen.sitefiles import folders_checked_once, let_through, refuse_link_out

# Where each entry of content/areas/a/news may lead: a file, a link to a file in the site, to a
# file outside it, to one in a hidden folder of the site; and whether news/ and a/ are links.
_KINDS = st.sampled_from(["file", "file", "inside", "outside", "hidden"])


def _outcome(path: Path, rel: str) -> str:
    try:
        refuse_link_out(path, rel)
    except SitegenError as exc:
        return str(exc.problems[0])
    return "let through"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(_KINDS, min_size=1, max_size=4), news_linked=st.booleans(), area_linked=st.booleans(),
       news_outside=st.booleans())
def test_a_listing_lets_through_what_refuse_link_out_lets_through(tmp_path_factory, kinds, news_linked,
                                                                  area_linked, news_outside):
    base = tmp_path_factory.mktemp("b")
    site, outside = base / "site", base / "outside"
    (site / ".git").mkdir(parents=True)
    (site / ".git" / "config.md").write_text("x")
    outside.mkdir()
    (outside / "o.md").write_text("x")
    (site / "content" / "keep").mkdir(parents=True)
    (site / "content" / "keep" / "k.md").write_text("x")
    areas = site / "content" / "areas"
    areas.mkdir()
    area = areas / "a"
    if area_linked:
        (site / "content" / "real-a").mkdir()
        area.symlink_to(site / "content" / "real-a")
    else:
        area.mkdir()
    news = area / "news"
    if news_linked:
        where = outside / "news" if news_outside else site / "content" / "real-news"
        where.mkdir()
        news.symlink_to(where)
    else:
        news.mkdir()
    targets = {"inside": site / "content" / "keep" / "k.md", "outside": outside / "o.md",
               "hidden": site / ".git" / "config.md"}
    for index, kind in enumerate(kinds):
        entry = news / f"s{index}.md"
        if kind == "file":
            entry.write_text("x")
        else:
            entry.symlink_to(targets[kind])
    names = sorted(os.listdir(news))
    rel = "content/areas/a/news"
    with folders_checked_once():
        alone = {name: _outcome(news / name, f"{rel}/{name}") for name in names}
    with folders_checked_once():
        with os.scandir(news) as listing:
            let_through(news, rel, list(listing))
        listed = {name: _outcome(news / name, f"{rel}/{name}") for name in names}
    assert listed == alone
