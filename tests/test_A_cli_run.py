"""The `sitegen` program is sitegen.cli.run(): main() with the garbage collector set for a
process that ends with its command.  It must answer exactly as main() does: the same words,
the same exit code, whether the command succeeds, is misused or finds the site at fault."""
from __future__ import annotations

import subprocess
import sys

import pytest

_CALL = "import sys; from sitegen.cli import {0}; sys.argv = ['sitegen', *sys.argv[1:]]; sys.exit({0}())"


def _sitegen(entry: str, args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", _CALL.format(entry), *args], capture_output=True, text=True,
                          cwd=cwd)


@pytest.mark.parametrize("args", [["--version"], ["build", "--jobs", "0"], ["check", "--site", "no-such-site"],
                                  ["no-such-command"]])
def test_run_answers_as_main_does(tmp_path, args):
    by_main, by_run = _sitegen("main", args, tmp_path), _sitegen("run", args, tmp_path)
    assert (by_run.returncode, by_run.stdout, by_run.stderr) == (by_main.returncode, by_main.stdout, by_main.stderr)


def test_run_exits_as_its_command_does(tmp_path):
    assert [_sitegen("run", args, tmp_path).returncode for args in (["--version"], ["build", "--jobs", "0"])] == [0, 2]
