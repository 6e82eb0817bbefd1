"""import-wards and new-area with bad or unusual input: a located problem and exit 1 (exit 2 for
new-area's usage errors), nothing half-written, never a traceback; whatever they accept, check accepts.

run_cli raises any exception the command lets out (catch_exceptions=False), so a traceback fails a test.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import run_cli

SITES = Path(__file__).resolve().parent / "sites"
HEADER = "borough,ward,ons_code,old_code,population_2015,area_sq_km"
LOCATED = re.compile(r"^(?P<path>.+?):(?P<line>[0-9]+)(?::(?P<col>[0-9]+))?: \S")


@contextmanager
def fresh_site() -> Iterator[Path]:
    """A copy of tests/sites/minimal, removed afterwards (hypothesis examples cannot share tmp_path)."""
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "site"
        shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
        yield site


def areas(site: Path) -> dict[str, bytes]:
    """Every file under the site's content/areas, by relative path."""
    base = site / "content/areas"
    return {p.relative_to(base).as_posix(): p.read_bytes() for p in sorted(base.rglob("*")) if p.is_file()}


def import_csv(site: Path, data: bytes):
    csv_path = site.parent / "wards.csv"
    csv_path.write_bytes(data)
    return run_cli("import-wards", str(csv_path), "--site", str(site)), str(csv_path)


def problem_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not re.fullmatch(r"[0-9]+ problems found\.", line)]


# The reviewer's rows, each with where the problem is and what the message must say.
FIELD_CASES = [
    (b"Camden,Holborn,E05000001,00A,\xb2\n", 2, 30, ["is not UTF-8", "save the CSV as 'CSV UTF-8' in Excel"]),
    ("Camden,Holborn,E05000001,00A,²,1\n".encode(), 2, 30, ["population_2015", "whole number"]),
    (b"Camden,Holborn,E05000001,00A," + b"1" * 5000 + b",1\n", 2, 30, ["population_2015 has 5,000 digits"]),
    (b"Camden,Holborn\n", 2, 15, ["has 2 columns; the header has 6"]),
    (b'Camden,"Holborn\n', 2, 8, ["is not valid CSV", "must end with one"]),
    (b"Camden,Holb\x1born,E05000001,00A,5,1\n", 2, 8, ["ward contains the control character U+001B"]),
    (b"Camden," + b"x" * 400 + b",E05000001,00A,5,1\n", 2, 8, ["ward is 400 characters long; keep it under 100"]),
]
# Round three: ONS codes of the wrong shape, a population written with a leading zero.
FIELD_CASES += [
    (b"Camden,Holborn,XYZ,00A,5,1\n", 2, 16, ["ons_code 'XYZ' is not an ONS ward code", "like E05000128"]),
    (b"Camden,Holborn,#E05,00A,5,1\n", 2, 16, ["ons_code '#E05' is not an ONS ward code"]),
    (b"Camden,Holborn,E0500001,00A,5,1\n", 2, 16, ["is not an ONS ward code"]),
    (b"Camden,Holborn,E05000001,00A,017,1\n", 2, 30,
     ["population_2015 '017' starts with 0; write it without the leading zero, like 17"]),
]


@pytest.mark.parametrize(("row", "line", "col", "says"), FIELD_CASES)
def test_a_bad_row_is_a_located_problem_and_nothing_is_written(make_site, row, line, col, says):
    site = make_site("minimal")
    before = areas(site)
    # A good row first: all or nothing, so it is not written either.
    result, csv_path = import_csv(site, f"{HEADER}\nCamden,Kilburn,E05000002,00B,100,1\n".encode() + row)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"{csv_path}:{line + 1}:{col}: "), result.stderr
    for words in says:
        assert words in result.stderr
    assert areas(site) == before


def test_excel_csv_utf8_with_bom_and_crlf_is_read(make_site):
    site = make_site("minimal")
    data = "\ufeff" + f"{HEADER}\r\nCamden,Kilburn,E05000002,00B,\"12,000\",1\r\nCamden,Holborn,E05000001,00A,,1\r\n"
    result, _ = import_csv(site, data.encode("utf-8"))
    assert result.exit_code == 0, result.output
    kilburn = (site / "content/areas/kilburn/area.yaml").read_text(encoding="utf-8")
    assert kilburn.startswith("name: Kilburn\nborough: Camden\ncode: E05000002\nold_code: 00B\npopulation: 12000\n")
    assert (site / "content/areas/holborn/area.yaml").is_file()
    assert run_cli("check", "--site", str(site)).exit_code == 0


TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(["Camden", "Holborn", "北京", ""])
FIELD = TEXT | st.sampled_from(['"', '"a,b"', "a\nb", "\x1b", "0123", "12,000", "x" * 120])
ROW = st.lists(FIELD, min_size=0, max_size=8).map(lambda fields: ",".join(fields).encode("utf-8"))
RAW = st.binary(max_size=20)
# A well-formed row around a random ward name: what the name may hold decides exit 0 or 1.
WARD_NAME = st.text(max_size=40) | st.from_regex(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ '&.-]{0,30}", fullmatch=True)
WARD_ROW = st.tuples(st.sampled_from(["Camden", "Hackney", "北京"]), WARD_NAME,
                     st.integers(0, 10**9)).map(
    lambda row: f'{row[0]},"{row[1].replace(chr(34), chr(34) * 2)}",,,{row[2]},1'.encode())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(WARD_ROW, min_size=1, max_size=3)
       | st.lists(WARD_ROW | ROW | RAW, min_size=1, max_size=4), newline=st.sampled_from([b"\n", b"\r\n", b"\r"]),
       bom=st.booleans())
def test_any_csv_is_imported_whole_or_refused_with_located_problems(rows, newline, bom):
    with fresh_site() as site:
        before = areas(site)
        data = (b"\xef\xbb\xbf" if bom else b"") + newline.join([HEADER.encode(), *rows]) + newline
        result, csv_path = import_csv(site, data)
        event(f"exit {result.exit_code}")
        assert result.exit_code in (0, 1), result.output
        if result.exit_code == 1:
            assert areas(site) == before
            for line in problem_lines(result.stderr):
                assert LOCATED.match(line) and line.startswith(csv_path), line
        else:
            assert run_cli("check", "--site", str(site)).exit_code == 0, data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.text(max_size=120) | st.sampled_from(["a\x1b[31mb", "x" * 400, "Ok\x07"]),
       borough=st.none() | st.text(max_size=30))
def test_whatever_new_area_accepts_check_accepts(name, borough):
    with fresh_site() as site:
        options = ["--name", name] + (["--borough", borough] if borough is not None else [])
        result = run_cli("new-area", "new-ward", *options, "--site", str(site))
        event(f"exit {result.exit_code}")
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 0:
            assert run_cli("check", "--site", str(site)).exit_code == 0
        else:
            assert "Invalid value for '--" in result.stderr and not (site / "content/areas/new-ward").exists()


@pytest.mark.parametrize(("args", "says"), [
    (["Foo", "--name", "Foo"], "Invalid value for 'SLUG': 'Foo' has capital letters; use one like 'foo'"),
    (["a--b", "--name", "A"], "Invalid value for 'SLUG': 'a--b' has two hyphens in a row; use one like 'a-b'"),
    (["ab-", "--name", "A"], "Invalid value for 'SLUG': 'ab-' starts or ends with a hyphen; use one like 'ab'"),
    (["a_b", "--name", "A"], "Invalid value for 'SLUG': 'a_b' holds '_', which is not a letter a-z"),
    (["x", "--name", "X", "--borough", "!!!"], "Invalid value for '--borough': borough '!!!' gives an empty address"),
    (["ok", "--name", "a\x1b[31mb"], "Invalid value for '--name': contains the control character U+001B"),
    (["ok", "--name", "x" * 400], "Invalid value for '--name': is 400 characters long"),
])
def test_new_area_bad_values_are_usage_errors(make_site, args, says):
    site = make_site("minimal")
    result = run_cli("new-area", *args, "--site", str(site))
    assert result.exit_code == 2 and says in result.stderr
    assert "\x1b" not in result.stderr


def test_a_folder_that_cannot_be_written_is_exit_3_and_the_areas_before_it_are_whole(make_site):
    site = make_site("minimal")
    (site / "content/areas/kilburn").write_text("a file where the area's folder would go\n")
    result, _ = import_csv(site, f"{HEADER}\nCamden,Holborn,E05000001,00A,5,1\nCamden,Kilburn,E05000002,00B,6,1\n".encode())
    assert result.exit_code == 3
    assert result.stderr.startswith("content/areas/kilburn/area.yaml: cannot be written (")
    assert "the 1 areas created before it are whole" in result.stderr
    assert (site / "content/areas/holborn/area.yaml").read_text(encoding="utf-8").startswith("name: Holborn\n")
    assert sorted(p.name for p in (site / "content/areas").iterdir()) == ["holborn", "kilburn", "north-ward",
                                                                            "south-ward"]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(others=st.integers(0, 3), same_name=st.booleans())
def test_two_rows_with_one_ons_code_are_refused_at_the_second_naming_the_first(others, same_name):
    """Two rows sharing an ONS code (the same ward twice, or two wards), with other rows between:
    refused at the second row's ons_code, naming the first's line; nothing written."""
    between = [f"Camden,Ward {i},E0500010{i},,5,1" for i in range(others)]
    second = "Camden,Holborn again" if not same_name else "Hackney,Holborn"
    rows = ["Camden,Holborn,E05000001,00A,5,1", *between, f"{second},E05000001,,6,1"]
    with fresh_site() as site:
        before = areas(site)
        result, csv_path = import_csv(site, "\n".join([HEADER, *rows, ""]).encode())
        assert result.exit_code == 1, result.output
        column = len(second) + 2
        assert result.stderr.startswith(
            f"{csv_path}:{others + 3}:{column}: ons_code 'E05000001' is already the code of 'Holborn' (Camden)"
            " on line 2;"), result.stderr
        assert areas(site) == before
