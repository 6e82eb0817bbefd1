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
# govuk-frontend's compiled files are large and change with its version; their
# presence is checked, their bytes are not kept in the expected tree.
VENDOR = re.compile(r"assets/govuk-frontend\.min\.[0-9a-f]{10}\.(css|js)$")


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under FOLDER by relative path, vendor files as placeholders."""
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        files[rel] = b"(vendor)" if VENDOR.search(rel) else path.read_bytes()
    return files


def build_minimal(out: Path) -> None:
    result = run_cli("build", "--site", str(SITES / "minimal"), "--out", str(out), "--build-date", BUILD_DATE,
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
