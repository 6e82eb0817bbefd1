"""Golden output: tests/sites/minimal built and compared as a whole tree.

Regenerate the expected files after an intended change with:

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

then review `git diff tests/sites/minimal/expected`.
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from conftest import BUILD_DATE, SITES, run_cli

EXPECTED = SITES / "minimal" / "expected"
# Assets are the theme's own files under a fingerprinted name: the name (which
# carries a hash of the bytes) is compared, the bytes are not kept twice.
ASSET = re.compile(r"^assets/[^/]+\.[0-9a-f]{10}\.[a-z0-9]+$")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under FOLDER by relative path, vendor files as placeholders."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        files[rel] = b"(asset)" if ASSET.search(rel) else path.read_bytes()
    return files


def build_minimal(out: Path) -> None:
    # A fresh copy: a build records its events in the site's .cache/build/events (the calendar's
    # SEQUENCE), which an earlier build of the checked-in folder on another date would have changed.
    site = out.parent / f"site-{out.name}"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(out.parent / "state"))
    assert result.exit_code == 0, result.output


def test_minimal_site_matches_expected_tree(tmp_path):
    out = tmp_path / "build"
    build_minimal(out)
    actual = tree(out)
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(EXPECTED, ignore_errors=True)
        for rel, content in actual.items():
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
    expected = tree(EXPECTED)
    assert sorted(actual) == sorted(expected)
    for rel in expected:
        assert actual[rel] == expected[rel], f"{rel} differs from tests/sites/minimal/expected/{rel}"


def test_two_builds_are_byte_identical(tmp_path):
    build_minimal(tmp_path / "one")
    build_minimal(tmp_path / "two")
    assert tree(tmp_path / "one") == tree(tmp_path / "two")
