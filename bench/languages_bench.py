"""Build time of the example site in one language and in two (issue 20: the note's figure).

Copies the example site (site.yaml, content/, forms/, templates/) into a temporary folder,
then times clean builds of it as it is (one language) and with `languages: [en-GB, cy]`
in place of `language: en-GB` (every page, feed and calendar made in Welsh too, with
the Welsh translations the example has).  Prints the pages and the median seconds of
each, and the ratio.

    .venv/bin/python bench/languages_bench.py [--repeat 3] [--jobs N]
"""
from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from sitegen.build import build

ROOT = Path(__file__).resolve().parent.parent
DAY = date(2026, 11, 28)


def copy_example(target: Path) -> Path:
    """The example site copied into TARGET (its caches left out)."""
    target.mkdir(parents=True)
    for name in ("site.yaml", *(p.name for p in ROOT.glob("site.*.yaml"))):
        shutil.copy(ROOT / name, target / name)
    for folder in ("content", "forms", "templates", "locale"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns(".cache"))
    return target


def one_language(site: Path) -> None:
    """SITE in its default language alone: its languages and every translation file
    (site.cy.yaml, area.cy.yaml, story.cy.md, forms/x.cy.yaml...) taken away."""
    path = site / "site.yaml"
    text = re.sub(r"^languages:.*$", "language: en-GB", path.read_text(), flags=re.M)
    path.write_text(text)
    for extra in {*site.glob("site.*.yaml"), *site.rglob("*.cy.*")}:
        extra.unlink()


def two_languages(site: Path) -> None:
    """SITE in English and Welsh."""
    path = site / "site.yaml"
    text = path.read_text()
    if not re.search(r"^languages:", text, flags=re.M):
        text = re.sub(r"^language:.*$", "languages: [en-GB, cy]", text, flags=re.M)
    path.write_text(text)


def timed(site: Path, work: Path, repeat: int, jobs: int | None) -> tuple[float, int]:
    """The median seconds of REPEAT clean builds of SITE, and its pages."""
    times, pages = [], 0
    for round_ in range(repeat):
        out, state = work / f"out-{round_}", work / f"state-{round_}"
        started = time.perf_counter()
        result = build(site, out, DAY, clean=True, jobs=jobs, state_dir=state)
        times.append(time.perf_counter() - started)
        pages = result.pages
        shutil.rmtree(out)
        shutil.rmtree(state)
    return statistics.median(times), pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3, help="clean builds of each; figures are medians")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: the cores)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        one = copy_example(work / "one")
        one_language(one)
        two = copy_example(work / "two")
        two_languages(two)
        one_time, one_pages = timed(one, work, args.repeat, args.jobs)
        two_time, two_pages = timed(two, work, args.repeat, args.jobs)
    print(f"one language:  {one_pages:5d} pages  {one_time:6.2f} s")
    print(f"two languages: {two_pages:5d} pages  {two_time:6.2f} s  ({two_time / one_time:.2f}x)")


if __name__ == "__main__":
    main()
