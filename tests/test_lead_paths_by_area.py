"""load._paths_by_area: the build paths of a narrow build's areas, found either way
(matched against the areas' own folders for a few, split for many) the same."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build.load import FEW_PREFIXES, _paths_by_area

SLUGS = st.sampled_from(["abbey", "abbey-road", "ab", "ward-7", "ward-70", "areas", "cy", "x"])
LANGS = st.lists(st.sampled_from(["cy", "gd", "pl", "ga"]), unique=True, max_size=3)
FILES = st.sampled_from(["index.html", "feed.xml", "events.ics", "news/index.html", "news/n-1/index.html"])


@st.composite
def sites(draw: st.DrawFn) -> tuple[dict[str, str], list[str], list[str]]:
    langs = draw(LANGS)
    tops = ["areas", *(f"{lang}/areas" for lang in langs), "boroughs", "cy", "media", "areasx"]
    paths = draw(st.lists(st.builds(lambda top, slug, file: f"{top}/{slug}/{file}",
                                    st.sampled_from(tops), SLUGS, FILES), max_size=60))
    paths += draw(st.lists(st.sampled_from(["index.html", "sitemap.xml", "areas/index.html"]), max_size=3))
    wanted = draw(st.lists(SLUGS, unique=True, max_size=8))
    return dict.fromkeys(paths, "h"), wanted, langs


def by_folders(outputs: dict[str, str], slugs: list[str], langs: list[str]) -> dict[str, set[str]]:
    """The paths under each slug's folder in each language, each asked of every path."""
    tops = ["areas", *(f"{lang}/areas" for lang in langs)]
    found = {slug: {p for p in outputs if any(p.startswith(f"{top}/{slug}/") for top in tops)} for slug in slugs}
    return {slug: paths for slug, paths in found.items() if paths}


@settings(max_examples=400)
@given(sites())
def test_paths_by_area_are_those_in_each_areas_folders(site: tuple[dict[str, str], list[str], list[str]]) -> None:
    outputs, wanted, langs = site
    assert _paths_by_area(outputs, wanted, langs) == by_folders(outputs, wanted, langs)


def test_both_ways_are_taken() -> None:
    outputs = {f"areas/w{n}/index.html": "h" for n in range(40)}
    few = [f"w{n}" for n in range(FEW_PREFIXES)]
    many = [f"w{n}" for n in range(FEW_PREFIXES + 1)]
    assert _paths_by_area(outputs, few) == {s: {f"areas/{s}/index.html"} for s in few}
    assert _paths_by_area(outputs, many) == {s: {f"areas/{s}/index.html"} for s in many}
