"""The pre-commit hook a force's content repository uses (.pre-commit-hooks.yaml),
through the pre-commit framework itself, and the .editorconfig beside it."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from pre_commit.clientlib import load_manifest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = Path(__file__).parent / "sites" / "minimal"
BIN = Path(sys.executable).parent


def content_repository(tmp_path: Path) -> Path:
    """A git repository holding the minimal site, using sitegen's hook. pre-commit would
    install sitegen for `language: python`; the hook runs the sitegen of this checkout
    instead (`language: system`), everything else as the manifest says."""
    repo = tmp_path / "content-repo"
    shutil.copytree(MINIMAL, repo, ignore=shutil.ignore_patterns("expected", ".cache", "build"))
    hook = dict(load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))[0], language="system")
    keep = ("id", "name", "entry", "language", "pass_filenames", "files", "types")
    config = {"repos": [{"repo": "local", "hooks": [{k: hook[k] for k in keep}]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(repo, "init", "-q")
    git(repo, "add", ".")
    return repo


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "e@example.org",
                   "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "e@example.org"}
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=environment, check=True)


def pre_commit(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
                   "PRE_COMMIT_HOME": str(repo.parent / "pre-commit-home")}
    return subprocess.run([str(BIN / "pre-commit"), *args], cwd=repo, capture_output=True, text=True,
                          env=environment, timeout=300)


def test_the_manifest_is_valid_for_pre_commit():
    (hook,) = load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "sitegen-check" and hook["language"] == "python"
    assert hook["entry"] == "sitegen check" and hook["pass_filenames"] is False


def test_the_hook_passes_a_good_site_and_refuses_a_mistake_naming_its_line(tmp_path):
    repo = content_repository(tmp_path)
    passed = pre_commit(repo, "run", "--all-files")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    area = repo / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("team:", "teem:"))
    git(repo, "add", ".")
    refused = pre_commit(repo, "run", "--all-files")
    assert refused.returncode == 1
    assert "content/areas/north-ward/area.yaml:" in refused.stdout and "did you mean 'team'" in refused.stdout
    assert "Traceback" not in refused.stdout + refused.stderr


def test_the_hook_is_skipped_when_nothing_the_build_reads_changed(tmp_path):
    repo = content_repository(tmp_path)
    (repo / "NOTES.txt").write_text("not part of the site\n")
    git(repo, "add", "NOTES.txt")
    skipped = pre_commit(repo, "run", "--files", "NOTES.txt")
    assert skipped.returncode == 0 and "(no files to check)Skipped" in skipped.stdout.replace(".", "")


def test_editorconfig_matches_how_sitegen_reads_files():
    # EditorConfig's own INI-like format: sections and key = value lines.
    sections: dict[str, dict[str, str]] = {}
    current = ""
    for line in (ROOT / ".editorconfig").read_text().splitlines():
        line = line.strip()
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = {}
        elif "=" in line and not line.startswith(("#", ";")):
            key, value = (part.strip() for part in line.split("=", 1))
            sections.setdefault(current, {})[key] = value
    assert sections[""]["root"] == "true"
    assert sections["*"].items() >= {"charset": "utf-8", "end_of_line": "lf", "insert_final_newline": "true"}.items()
    assert sections["*.md"]["trim_trailing_whitespace"] == "false"
    assert sections["Makefile"]["indent_style"] == "tab"
