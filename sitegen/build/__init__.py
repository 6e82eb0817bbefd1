"""The build: one pipeline from a site's sources to its output folder.

    pipeline.py      build(): scan, select, load and check, hash, write, keep
    select.py        what changed since the last build: nothing, some areas, or the whole site
    sources.py       the units a build reads (site.yaml, area folders, pages, forms, templates, feeds...)
    load.py          loading and checking the selection (checks.py: the whole site's checks)
    outputhashes.py  every output's input hash, and from them what to render, copy and delete
    writeout.py      rendering aside and moving in (staging.py: the staging folder, locks, swaps)
    state.py         what the next build needs (facts.py: what it keeps of the site)
    areacache.py     loaded areas kept between builds
    hashing.py       generic: file stamps, template closures, input hashes (units.py: typed units)
    report.py        the Reporter a caller passes in, the Selection and the BuildResult

Only `build`, `Reporter` and `BuildResult` are for use outside this package.
"""
from __future__ import annotations

from .pipeline import build
from .report import BuildResult, Reporter, Selection

__all__ = ["BuildResult", "Reporter", "Selection", "build"]
