"""The site's postcode lookup: content/postcodes/<DISTRICT>.csv, one file per postcode district.

Each file is what `sitegen import-postcodes` writes (and an editor may correct by hand):

    postcode,ward
    RM8 3HR,becontree
    RM8 3HS,becontree
    RM8 3HS,valence        <- a postcode in two wards has a row for each

`postcode` is written as people write it (outward code, one space, inward code),
`ward` is the slug of an area of the site (the folder name under content/areas/).
Rows are sorted, so a quarterly refresh shows in git as the postcodes that came,
went or moved.  A file per district keeps every published /find/<DISTRICT>.json a
build unit of its own, and a diff readable.
"""
from __future__ import annotations

import functools
import io
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from ..errors import Problem
from ..postcodetext import DISTRICT, POSTCODE
from ..postcodetext import compact as postcode_compact
from ..sitefiles import outside_target

POSTCODES_DIR = "content/postcodes"
HEADER = ("postcode", "ward")
MAX_FILE_BYTES = 4_000_000     # the largest real district has ~ 3,000 postcodes (~ 80 KB)
# A postcode in its usual written form: outward code (area letters, district digit(s) and
# maybe a letter), a space, inward code (sector digit, two unit letters).


class Row(NamedTuple):
    """One row of a district file: a postcode, one ward it lies in, and where the row is."""

    postcode: str    # 'RM8 3HR'
    ward: str        # an area slug
    line: int


def normalise(text: str) -> str | None:
    """TEXT as a postcode is written in the lookup ('rm83hr', ' RM8  3HR ' -> 'RM8 3HR'), or
    None if it is not one: any case, with or without spaces (the inward code is always
    the last three characters)."""
    compact = postcode_compact(text)
    written = f"{compact[:-3]} {compact[-3:]}"
    return written if POSTCODE.fullmatch(written) else None


def district_of(postcode: str) -> str:
    """'RM8' of 'RM8 3HR' (a postcode as normalise() writes it)."""
    return postcode.split(" ", 1)[0]


def sector_of(postcode: str) -> str:
    """'RM8 3' of 'RM8 3HR'."""
    return postcode[:-2]


def district_files(root: Path) -> dict[str, Path]:
    """District -> its file, for every content/postcodes/<DISTRICT>.csv of the site at ROOT
    (sorted; a name that is not a district in capitals is left for check to name)."""
    folder = root / POSTCODES_DIR
    try:
        names = sorted(p.name for p in folder.iterdir())
    except OSError:
        return {}
    # (A link leading out of the site is not read: `check` names it, sitefiles.outside_links.)
    return {name[:-4]: folder / name for name in names
            if name.endswith(".csv") and DISTRICT.fullmatch(name[:-4]) and (folder / name).is_file()
            and outside_target(root, folder / name) is None}


def has_lookup(root: Path) -> bool:
    """Whether the site at ROOT has a postcode lookup (and so publishes /find/)."""
    return bool(district_files(root))


def read_district(root: Path, district: str) -> tuple[tuple[Row, ...], tuple[Problem, ...]]:
    """The rows of content/postcodes/DISTRICT.csv and what is wrong with it, each
    problem at its file:line:col (the rows returned are the good ones).

    A file is parsed once a process for the same bytes: `check` reads every district
    before the build's workers fork, and a district's page and file read it again."""
    rel = f"{POSTCODES_DIR}/{district}.csv"
    path = root / rel
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return (), (Problem(rel, 0, 0, f"is larger than {MAX_FILE_BYTES // 1_000_000} MB; a postcode "
                                           "district has a few thousand postcodes at most: import it again"),)
        data = path.read_bytes()
    except OSError as exc:
        return (), (Problem(rel, 0, 0, f"cannot be read: {exc.strerror}"),)
    return _parsed(rel, district, data)


@functools.lru_cache(maxsize=1024)
def _parsed(rel: str, district: str, data: bytes) -> tuple[tuple[Row, ...], tuple[Problem, ...]]:
    try:
        text = data.decode("utf-8-sig")   # with or without the byte-order mark Excel's "CSV UTF-8" writes
    except UnicodeDecodeError:
        return (), (Problem(rel, 0, 0, "is not UTF-8; save it as UTF-8 or import it again"),)
    rows, problems = _rows(rel, district, text)
    return tuple(rows), tuple(problems)


def _rows(rel: str, district: str, text: str) -> tuple[list[Row], list[Problem]]:
    import csv  # only here: a build that reads no district file need not import it
    rows: list[Row] = []
    problems: list[Problem] = []
    seen: dict[tuple[str, str], int] = {}
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            line = reader.line_num
            if line == 1:
                if tuple(v.strip() for v in record) != HEADER:
                    problems.append(Problem(rel, 1, 1, f"the first line must be '{','.join(HEADER)}'"))
                    break
                continue
            if not record or (len(record) == 1 and not record[0].strip()):
                continue
            row = _row(rel, district, line, record, problems)
            if row is None:
                continue
            key = (row.postcode, row.ward)
            if key in seen:
                problems.append(Problem(rel, line, 1, f"'{row.postcode}' is already given ward '{row.ward}'"
                                                      f" on line {seen[key]}; remove one of the two rows"))
                continue
            seen[key] = line
            rows.append(row)
    except csv.Error as exc:
        problems.append(Problem(rel, reader.line_num, 0, f"is not valid CSV ({exc}); import it again"))
    return rows, problems


def _row(rel: str, district: str, line: int, record: list[str], problems: list[Problem]) -> Row | None:
    """One row, or None with a problem added."""
    if len(record) != 2:
        problems.append(Problem(rel, line, 1, f"has {len(record)} values; write a postcode and a ward,"
                                              " like 'RM8 3HR,becontree'"))
        return None
    postcode, ward = record[0].strip(), record[1].strip()
    written = postcode if POSTCODE.fullmatch(postcode) else normalise(postcode)
    if written is None or written != postcode:
        hint = f"; write it '{written}'" if written else ", like 'RM8 3HR'"
        problems.append(Problem(rel, line, 1,
                                f"'{postcode}' is not a postcode as the lookup writes it{hint}"))
        return None
    if not written.startswith(district + " "):
        problems.append(Problem(rel, line, 1, f"'{postcode}' is not in {district}; move the row to "
                                              f"{POSTCODES_DIR}/{district_of(written)}.csv"))
        return None
    return Row(written, ward, line)


def lookup_problems(root: Path, wards: Iterable[str]) -> list[Problem]:
    """Everything wrong with the site's lookup: unreadable rows, and rows whose ward is no
    ward of the site (WARDS: every area slug), each at file:line:col."""
    known = set(wards)
    problems: list[Problem] = []
    folder = root / POSTCODES_DIR
    files = district_files(root)
    for name in sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []:
        if name.endswith(".csv") and not DISTRICT.fullmatch(name[:-4]) and not name.startswith("."):
            problems.append(Problem(f"{POSTCODES_DIR}/{name}", 0, 0, "is not named after a postcode district;"
                                    " name it like RM8.csv (capital letters)"))
    for district in files:
        rows, found = read_district(root, district)
        problems.extend(found)
        rel = f"{POSTCODES_DIR}/{district}.csv"
        for row in rows:
            if row.ward not in known:
                col = len(row.postcode) + 2
                problems.append(Problem(rel, row.line, col, f"ward '{row.ward}' of {row.postcode} is no ward"
                                        " of this site; import the postcodes again, or write the slug of a"
                                        " folder in content/areas/"))
    return problems


def district_lookup(rows: Iterable[Row]) -> dict[str, tuple[str, ...]]:
    """Postcode without its space -> its ward slugs (sorted), as /find/<DISTRICT>.json has it."""
    found: dict[str, set[str]] = {}
    for row in rows:
        found.setdefault(row.postcode.replace(" ", ""), set()).add(row.ward)
    return {code: tuple(sorted(wards)) for code, wards in sorted(found.items())}


def sectors(rows: Iterable[Row]) -> dict[str, dict[str, tuple[str, ...]]]:
    """Sector ('RM8 3') -> ward slug -> its postcodes in the sector, sorted by sector and postcode."""
    found: dict[str, dict[str, list[str]]] = {}
    for row in rows:
        found.setdefault(sector_of(row.postcode), {}).setdefault(row.ward, []).append(row.postcode)
    return {sector: {slug: tuple(sorted(codes)) for slug, codes in sorted(wards.items())}
            for sector, wards in sorted(found.items(), key=_sector_order)}


def _sector_order(item: tuple[str, object]) -> tuple[str, int]:
    district, digit = item[0].split(" ")
    return (district, int(digit))


def district_bytes(rows: Iterable[tuple[str, str]]) -> bytes:
    """The bytes of a district file holding ROWS ((postcode, ward) pairs), sorted and without repeats."""
    import csv  # (as _rows)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(sorted(set(rows)))
    return out.getvalue().encode("utf-8")
