"""Two stories of a ward with one address: reported at the file that takes the slug
second (a file named for the slug holds it; `slug:` takes it), at `slug:` when it is
given, naming the other file; so a pull request's new story gets the annotation."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.content.areas import load_news
from sitegen.content.context import LoadContext
from tests.conftest import BUILD_DATE, SITES, run_cli

NEWS = "content/areas/north-ward/news"


@pytest.fixture
def site(tmp_path) -> Path:
    return shutil.copytree(SITES / "minimal", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))


def story(slug: str | None = None) -> str:
    return "---\ntitle: A story\ndate: 2026-10-05\n" + (f"slug: {slug}\n" if slug else "") + "---\nText.\n"


def test_the_reviewers_case_is_reported_at_the_new_file(site):
    (site / NEWS / "winter-burglary-advice.md").write_text(story())
    (site / NEWS / "a-new-story.md").write_text(story("winter-burglary-advice"))
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert (f"{NEWS}/a-new-story.md:4:7: news slug 'winter-burglary-advice' is already used by"
            f" {NEWS}/winter-burglary-advice.md") in result.stderr
    assert "winter-burglary-advice.md:1" not in result.stderr


slugs = st.text("abc", min_size=1, max_size=3)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(slugs, min_size=2, max_size=4, unique=True), slug=slugs, data=st.data())
def test_the_file_taking_the_slug_by_slug_key_is_reported(site, names, slug, data):
    """NAMES: the stories' file names (one may be SLUG itself); each other one sets `slug: SLUG`."""
    given_key = {n: n != slug or data.draw(st.booleans()) for n in names}
    folder = site / "content/areas/x/news"
    shutil.rmtree(folder.parent, ignore_errors=True)   # one site for every example
    folder.mkdir(parents=True)
    for name in names:
        (folder / f"{name}.md").write_text(story(slug if given_key[name] else None))
    ctx = LoadContext(root=site, host="police.example")
    items = load_news(ctx, folder.parent)
    assert [i.slug for i in items] == [slug]
    holder = items[0].source.rsplit("/", 1)[1][:-3]
    # A file named for the slug without `slug:` holds it; otherwise the first by name.
    natural = [n for n in names if not given_key[n]]
    assert holder == (natural[0] if natural else min(names))
    reported = sorted(p.path.rsplit("/", 1)[1][:-3] for p in ctx.problems)
    assert reported == sorted(n for n in names if n != holder)
    for problem in ctx.problems:
        assert f"already used by content/areas/x/news/{holder}.md" in problem.message
        assert (problem.line, problem.col) == (4, 7)   # at the value of `slug:`
