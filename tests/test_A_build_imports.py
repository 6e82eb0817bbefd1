"""What `sitegen build` imports, as sitegen runs (the command line, in a fresh interpreter):
imports are a good part of a small build's time, so a module only some sites or some builds
need is imported where it is needed, and these tests fail if one comes back at the top.

A one-area edit of a site with plain names, no feeds, no postcode files and no locale/
imports neither PyYAML (the texts it reads again are in the parse memos: yamlmemo), nor python-slugify, nor sitegen.sitelocale and Python's HTML parser, nor Babel
(its catalogues, .po reader and .mo writer, its locales and dates), nor csv, nor the feed views and the feed cache's reader; a build with nothing to do imports none of the
generator, nor difflib or zoneinfo (it is given its build date), nor _strptime (commands.Day
reads that date)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

MINIMAL = Path(__file__).resolve().parent / "sites" / "minimal"
PAST = time.time_ns() - 3600 * 10**9   # an hour ago: past the hasher's two seconds of doubt

# Run as `sitegen build ...` runs; print which of the modules named on stdin's first line were imported.
_BUILD = """
import json, sys
from sitegen.cli import main
watched = json.loads(sys.stdin.readline())
main(sys.argv[1:], standalone_mode=False)
print(json.dumps([name for name in watched if name in sys.modules]))
"""

NARROW_EDIT_NEEDS_NOT = ["yaml", "sitegen.content.yamlloader", "slugify", "sitegen.sitelocale", "html.parser", "babel", "babel.messages.pofile",
                         "babel.messages.catalog", "babel.messages.mofile", "csv",
                         "sitegen.feeds.view", "sitegen.feeds.cache", "sitegen.feeds.sanitise"]
NOTHING_TO_DO_NEEDS_NOT = ["zoneinfo", "difflib", "_strptime", "jinja2", "yaml", "babel", "sitegen.model", "sitegen.config"]
# Only a build of the whole site imports the whole site's checks: the edit's build was narrow.
WHOLE_SITE = "sitegen.build.checks"


def _settle(site: Path) -> None:
    """Date every file and folder of SITE an hour back, as if saved long before the build."""
    for folder, dirs, files in os.walk(site):
        for name in dirs + files:
            os.utime(os.path.join(folder, name), ns=(PAST, PAST))
    os.utime(site, ns=(PAST, PAST))


def _imported(tmp_path: Path, watched: list[str]) -> list[str]:
    """Which of WATCHED a `sitegen build` of tmp_path/site imports."""
    args = ["build", "--site", "site", "--out", "out", "--build-date", "2026-11-28", "--jobs", "1"]
    done = subprocess.run([sys.executable, "-c", _BUILD, *args], input=json.dumps(watched) + "\n",
                          capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_edit_and_a_build_with_nothing_to_do_import_only_what_they_need(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(MINIMAL, site, ignore=shutil.ignore_patterns("expected", ".cache"))
    assert not (site / "locale").exists() and not (site / "content" / "postcodes").exists()
    _settle(site)
    assert WHOLE_SITE in _imported(tmp_path, [WHOLE_SITE])   # the first build: the whole site

    story = site / "content/areas/north-ward/news/speed-checks.md"
    story.write_text(story.read_text() + "\nOne more line.\n")
    assert _imported(tmp_path, [*NARROW_EDIT_NEEDS_NOT, WHOLE_SITE]) == []

    _settle(site)
    assert _imported(tmp_path, NOTHING_TO_DO_NEEDS_NOT) == []
