"""`sitegen import-postcodes`: the site's postcode lookup from the ONS Postcode Directory.

Reads the ONS Postcode Directory (ONSPD) or the National Statistics Postcode
Lookup (NSPL) CSV as ONS publishes it (one row per postcode, ~2.7 million rows,
~1 GB; the columns named on the first line):

    pcds     the postcode as written, 'RM8 3HR'
    doterm   when it was terminated (YYYYMM); empty while it is live
    osward   the ward's ONS code (ONSPD; 'ward' in the NSPL, 'wdNNcd' in releases from 2025)
    lat, long

and keeps the live postcodes whose ward is one of the site's wards, matched by the
ONS code of each content/areas/<slug>/area.yaml (`code:`).  The file is streamed,
a line at a time: a line that names none of the site's ward codes is skipped
without being parsed as CSV, which is what makes a whole ONSPD take seconds.

Writes content/postcodes/<DISTRICT>.csv (sitegen/content/postcodes.py) for every
district with a kept postcode, and removes the district files no longer given.
Any bad row of the site's wards, or a file without the columns, is reported as
FILE:LINE:COL and nothing is written.
"""
from __future__ import annotations

import csv
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from ..content.areas import AREAS_DIR
from ..content.postcodes import POSTCODES_DIR, district_bytes, district_files, district_of, normalise
from ..content.yamlsource import load_yaml_file
from ..errors import Problem, SitegenError
from ..fileio import atomic_write

REQUIRED = ("pcds", "doterm", "lat", "long")
WARD_COLUMNS = ("osward", "ward")          # ONSPD, NSPL; and wdNNcd (wd24cd, wd25cd...) in newer releases
WARD_COLUMN = re.compile(r"wd[0-9]{2}cd")
MAX_LINE_BYTES = 10_000                  # an ONSPD line is ~ 400 bytes
MAX_PROBLEMS = 50                        # past this, a file is the wrong file: stop reading
NO_GRID = (99.999999, 0.0)               # ONSPD's lat, long for a postcode without a grid reference
TERMINATED = re.compile(r"[0-9]{6}")     # doterm: YYYYMM (a database export's NULL is not one)


@dataclass
class PostcodeImport:
    """What an import read and wrote."""

    rows: int = 0                                          # data rows read
    kept: int = 0                                          # (postcode, ward) rows written
    terminated: int = 0                                    # rows of the site's wards skipped as terminated
    seconds: float = 0.0
    written: list[str] = field(default_factory=list)       # districts written
    removed: list[str] = field(default_factory=list)       # district files no longer given, removed

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def site_ward_codes(root: Path) -> dict[str, str]:
    """ONS code -> area slug, from the `code:` of every content/areas/<slug>/area.yaml of ROOT."""
    codes = {}
    folder = root / AREAS_DIR
    for path in sorted(folder.glob("*/area.yaml")) if folder.is_dir() else []:
        if path.parent.name.startswith("."):
            continue
        data = load_yaml_file(path, path.relative_to(root).as_posix())
        code = data.get("code") if isinstance(data, dict) else None
        if isinstance(code, str) and code.strip():
            codes[code.strip()] = path.parent.name
    return codes


def import_postcodes(root: Path, csv_path: Path) -> PostcodeImport:
    """Read CSV_PATH (ONSPD or NSPL) and write the lookup of the site at ROOT; see the module docstring.

    Raises SitegenError (exit 1) naming CSV:LINE:COL for a missing column, bytes that
    are not UTF-8, or a bad row of one of the site's wards, writing nothing; for a file
    with no live postcode of the site's wards (which would remove every district file);
    and for a site none of whose areas has an ONS code."""
    codes = site_ward_codes(root)
    if not codes:
        raise SitegenError([Problem(AREAS_DIR, 0, 0, "no area.yaml has a 'code:' (the ward's ONS code, like "
                                                     "E05000028): postcodes are matched to wards by it")])
    started = time.perf_counter()
    report = PostcodeImport()
    try:
        with open(csv_path, "rb") as stream:
            districts = _read(stream, str(csv_path), codes, report)
    except OSError as exc:
        raise SitegenError([Problem(str(csv_path), 0, 0, f"cannot be read: {exc.strerror}")]) from None
    report.seconds = time.perf_counter() - started
    _write(root, districts, report)
    return report


def _read(stream: BinaryIO, name: str, codes: dict[str, str],
          report: PostcodeImport) -> dict[str, set[tuple[str, str]]]:
    """District -> {(postcode, slug)} of the live postcodes of CODES' wards in STREAM."""
    lines = _lines(stream, name)
    header_line = next(lines, None)
    if header_line is None:
        raise SitegenError([Problem(name, 1, 0, "is empty; give the ONSPD or NSPL CSV file")])
    columns = _columns(name, header_line[1])
    width = len(next(csv.reader([header_line[1]])))
    # A cheap test first: only a line naming one of the site's ward codes is parsed.
    wanted = re.compile("|".join(re.escape(code) for code in sorted(codes, key=len, reverse=True)))
    districts: dict[str, set[tuple[str, str]]] = {}
    problems: list[Problem] = []
    for number, text in lines:
        report.rows += 1
        if not wanted.search(text):
            continue
        found = _row(name, number, text, width, columns, codes, report, problems)
        if found is not None:
            postcode, slug = found
            districts.setdefault(district_of(postcode), set()).add((postcode, slug))
        if len(problems) >= MAX_PROBLEMS:
            problems.append(Problem(name, number, 0, f"stopped reading after {MAX_PROBLEMS} problems; is"
                                                     " this the ONSPD or NSPL CSV (Data/ in the download)?"))
            break
    if problems:
        raise SitegenError(problems)
    if not districts:
        # Writing nothing would remove every district file: the wrong region's file, or codes that differ.
        raise SitegenError([Problem(name, 0, 0, f"has no live postcode of the site's wards ({report.rows:,}"
                                    f" rows read, {report.terminated:,} terminated); nothing written. Give"
                                    " the file for your area, and check each area.yaml's 'code:' is the"
                                    " ward's ONS code in its osward (or ward) column")])
    return districts


def _lines(stream: BinaryIO, name: str) -> Iterator[tuple[int, str]]:
    """(line number, text) of each non-empty line of STREAM, decoded; SitegenError for bytes
    that are not UTF-8 or a line longer than any ONSPD line."""
    number = 0
    while raw := stream.readline(MAX_LINE_BYTES + 1):   # (bounded: a file without line ends is refused)
        number += 1
        if len(raw) > MAX_LINE_BYTES:
            raise SitegenError([Problem(name, number, 0, f"is longer than {MAX_LINE_BYTES} bytes; this is"
                                                         " not the ONSPD or NSPL CSV")])
        try:
            text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise SitegenError([Problem(name, number, exc.start + 1, f"byte 0x{raw[exc.start]:02X} is not "
                                        "UTF-8; give the CSV as ONS publishes it")]) from None
        text = text.rstrip("\r\n")
        if text.strip():
            yield number, text


def _columns(name: str, header_text: str) -> dict[str, int]:
    """Column name -> index of the columns read ('ward' for whichever ward column is
    there); SitegenError at line 1 naming those missing."""
    header = [h.strip().lower() for h in next(csv.reader([header_text]))]
    index = {h: i for i, h in enumerate(header)}
    missing = [c for c in REQUIRED if c not in index]
    ward = next((c for c in WARD_COLUMNS if c in index), None) or \
        next((h for h in header if WARD_COLUMN.fullmatch(h)), None)
    if ward is None:
        missing.append("osward (or ward)")
    if missing or ward is None:
        raise SitegenError([Problem(name, 1, 0, f"has no column {', '.join(missing)}; give the ONSPD or"
                                    " NSPL CSV, whose first line names pcds, doterm, osward (or ward), lat"
                                    " and long")])
    return {**{c: index[c] for c in REQUIRED}, "ward": index[ward]}


def _row(name: str, number: int, text: str, width: int, columns: dict[str, int], codes: dict[str, str],
         report: PostcodeImport, problems: list[Problem]) -> tuple[str, str] | None:
    """(postcode, slug) of the line TEXT, if it is a live postcode of one of CODES' wards;
    None otherwise, with a problem added for a bad row."""
    try:
        values = next(csv.reader([text], strict=True))
    except csv.Error as exc:
        problems.append(Problem(name, number, 0, f"is not valid CSV ({exc}); download the file again"))
        return None
    if len(values) != width:
        problems.append(Problem(name, number, 0, f"has {len(values)} columns; the header has {width}"
                                                 " (a line cut short? download the file again)"))
        return None
    slug = codes.get(values[columns["ward"]].strip())
    if slug is None:
        return None   # the code was elsewhere on the line: another column's
    doterm = values[columns["doterm"]].strip()
    if doterm and not TERMINATED.fullmatch(doterm):
        problems.append(Problem(name, number, _column_at(text, columns["doterm"]), f"doterm '{doterm}' is not"
                                " the month a postcode ended (YYYYMM, like 202311); it is empty while the"
                                " postcode is live: give the CSV as ONS publishes it"))
        return None
    if doterm:
        report.terminated += 1
        return None
    col = _column_at(text, columns["pcds"])
    postcode = normalise(values[columns["pcds"]])
    if postcode is None:
        problems.append(Problem(name, number, col, f"pcds '{values[columns['pcds']]}' is not a postcode"))
        return None
    for key in ("lat", "long"):
        if not _coordinate(values[columns[key]], 90 if key == "lat" else 180):
            problems.append(Problem(name, number, _column_at(text, columns[key]),
                                    f"{key} '{values[columns[key]]}' is not a number of degrees"))
            return None
    return postcode, slug


def _coordinate(value: str, bound: float) -> bool:
    """Whether VALUE is a latitude (BOUND 90) or longitude (180), ONSPD's 99.999999 included."""
    try:
        number = float(value)
    except ValueError:
        return False
    return -bound <= number <= bound or number in NO_GRID


def _column_at(text: str, index: int) -> int:
    """Where the INDEXth value of the line TEXT starts, counting from 1 (values quoted or not)."""
    col, quoted, seen = 1, False, 0
    for position, char in enumerate(text):
        if seen == index:
            return col
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            seen += 1
            col = position + 2
    return col


def _write(root: Path, districts: dict[str, set[tuple[str, str]]], report: PostcodeImport) -> None:
    """Write a file per district in DISTRICTS and remove the district files not among them."""
    folder = root / POSTCODES_DIR
    folder.mkdir(parents=True, exist_ok=True)
    for district in sorted(districts):
        path = folder / f"{district}.csv"
        content = district_bytes(districts[district])
        if not path.is_file() or path.read_bytes() != content:
            atomic_write(path, content)
        report.written.append(district)
        report.kept += len(districts[district])
    for district, path in district_files(root).items():
        if district not in districts:
            path.unlink()
            report.removed.append(district)
