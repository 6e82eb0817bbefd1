"""`sitegen import-wards`: area folders from a CSV of wards, and their boundaries.

The CSV has the columns of the London Datastore ward profiles cut used in the
bundled data: borough, ward, ons_code, old_code, population_2015, area_sq_km.
An area that already exists is left exactly as its editors wrote it; the
boundaries (a GeoJSON FeatureCollection keyed by the property `ons_code`, like
data/london-wards.geojson) give each ward without a boundary.geojson its own,
and leave any boundary.geojson already there as it is.
"""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..content import slugify
from ..content.areas import AREAS_DIR, BOUNDARY_FILE
from ..content.yamlsource import as_written, load_yaml_file
from ..errors import Problem, Problems, ServiceError, SitegenError
from ..fileio import atomic_write
from ..maps import checked_polygons, feature_json
from .checked import area_yaml_problems, checked_value
from .scaffold import area_yaml

COLUMNS = ("borough", "ward", "ons_code", "old_code", "population_2015")
# An ONS ward code: England E05, Wales W05, Scotland S13, Northern Ireland N08, then six digits.
ONS_WARD_CODE = re.compile(r"(?:E05|W05|S13|N08)[0-9]{6}")
LEADING_ZERO = re.compile(r"0[0-9,]{1,20}")
# CSV column -> the area.yaml key its value becomes.
AREA_KEYS = {"borough": "borough", "ward": "name", "ons_code": "code", "old_code": "old_code",
             "population_2015": "population"}


@dataclass
class ImportReport:
    """What an import did: slugs created and slugs left alone."""

    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    bounded: list[str] = field(default_factory=list)         # slugs given a boundary.geojson
    boundary_kept: list[str] = field(default_factory=list)   # slugs whose boundary.geojson was there
    unbounded: list[str] = field(default_factory=list)       # slugs the boundaries file has no feature for


@dataclass(frozen=True)
class WardRow:
    """One row of the CSV."""

    borough: str
    ward: str
    code: str
    old_code: str
    population: int | None
    line: int
    code_column: int = field(default=0, compare=False)


def read_wards(csv_path: Path) -> list[WardRow]:
    """Read and check the CSV (UTF-8, with or without Excel's BOM; CRLF or LF).

    Each value is checked as `check` will read it from the area.yaml the import
    writes.  Raises SitegenError naming CSV:LINE:COL for every bad row (bytes
    that are not UTF-8, broken quoting, a row of the wrong length, a bad value)
    before anything is written.
    """
    name = str(csv_path)
    lines = list(io.StringIO(_decoded(csv_path), newline=""))   # split at CR, LF or CRLF only
    reader = csv.reader(iter(lines), strict=True)
    header, rows, problems = None, [], []
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            col = _open_quote_column(lines[start - 1]) if start <= len(lines) else 0
            problems.append(Problem(name, start, col, f"is not valid CSV ({exc}); a value that starts "
                                                      "with a double quote must end with one, and a "
                                                      "quote inside it is written twice (\"\")"))
            break   # the reader cannot find where the next row starts
        if header is None:
            header = [column.strip() for column in record]
            _check_header(name, header)
        elif any(value.strip() for value in record):
            raw = lines[start - 1] if reader.line_num == start else ""
            row = _ward_row(name, start, header, record, raw, problems)
            if row is not None:
                rows.append(row)
    if header is None:
        _check_header(name, [])
    problems.extend(_repeated_codes(name, rows))
    if problems:
        raise SitegenError(problems)
    return rows


def _repeated_codes(name: str, rows: list[WardRow]) -> list[Problem]:
    """A problem at each row whose ONS code an earlier row already has (two areas for one ward)."""
    first: dict[str, WardRow] = {}
    problems = []
    for row in rows:
        if not row.code:
            continue
        if row.code in first:
            other = first[row.code]
            problems.append(Problem(name, row.line, row.code_column,
                                    f"ons_code '{row.code}' is already the code of '{other.ward}' "
                                    f"({other.borough}) on line {other.line}; each ward has its own code, "
                                    "so correct one of them or remove the repeated row"))
        else:
            first[row.code] = row
    return problems


def _csv_value_problem(column: str, value: str) -> str | None:
    """What is wrong with VALUE of COLUMN as a CSV editor wrote it, before it is read as area.yaml
    would read it; None when nothing is."""
    if column == "ons_code" and not ONS_WARD_CODE.fullmatch(value):
        return (f"ons_code '{value}' is not an ONS ward code; write E05 (England), W05 (Wales), S13 "
                "(Scotland) or N08 (Northern Ireland) and six digits, like E05000128, or leave it empty")
    if column == "population_2015" and LEADING_ZERO.fullmatch(value):
        return (f"population_2015 '{value}' starts with 0; write it without the leading zero,"
                f" like {int(value.replace(',', ''))}")
    return None


def _decoded(csv_path: Path) -> str:
    """The CSV's text; SitegenError naming LINE:COL of the first byte that is not UTF-8."""
    name = str(csv_path)
    try:
        data = csv_path.read_bytes()
    except OSError as exc:
        raise SitegenError([Problem(name, 0, 0, f"cannot be read: {exc.strerror}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[line_start:exc.start].decode("utf-8-sig", errors="replace")) + 1
        raise SitegenError([Problem(name, line, col,
                                    f"byte 0x{data[exc.start]:02X} is not UTF-8 (the file was saved "
                                    "as Latin-1 or Windows-1252); save the CSV as 'CSV UTF-8' in "
                                    "Excel (or as UTF-8 in your editor) and import it again")]) from None


def _check_header(name: str, header: list[str]) -> None:
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise SitegenError([Problem(name, 1, 0, f"missing column(s) {', '.join(missing)};"
                                    f" the first line must name the columns {', '.join(COLUMNS)}")])


def _open_quote_column(raw_line: str) -> int:
    """Where the quote RAW_LINE leaves open starts, counting from 1; 0 if it closes every quote."""
    opened = 0
    for index, char in enumerate(raw_line):
        if char == '"':
            opened = 0 if opened else index + 1
    return opened


def _field_columns(raw_line: str) -> list[int]:
    """Where each value of RAW_LINE (one CSV row on one line) starts, counting from 1."""
    columns, quoted = [1], False
    for index, char in enumerate(raw_line):
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            columns.append(index + 2)
    return columns


def _ward_row(name: str, line: int, header: list[str], record: list[str], raw: str,
              problems: list[Problem]) -> WardRow | None:
    """RECORD (the row at LINE, written RAW if on one line, else "") as a WardRow,
    or None with its problems added to PROBLEMS."""
    columns = _field_columns(raw) if raw else []

    def column_of(index: int) -> int:
        if index < len(columns):
            return columns[index]
        return len(raw.rstrip("\r\n")) + 1 if raw else 0

    if len(record) != len(header):
        problems.append(Problem(name, line, column_of(min(len(record), len(header))),
                                f"has {len(record)} columns; the header has {len(header)}. Give each row"
                                f" the {len(header)} values {', '.join(header)}, in that order (put a value"
                                " holding a comma in double quotes)"))
        return None
    values = {column: value.strip() for column, value in zip(header, record, strict=True)}
    if not values["ward"] or not values["borough"]:
        problems.append(Problem(name, line, 0, "needs both a borough and a ward name"))
        return None
    checked, found = {}, len(problems)
    for column, key in AREA_KEYS.items():
        if not values[column]:
            continue
        wrong = _csv_value_problem(column, values[column])
        if wrong is not None:
            problems.append(Problem(name, line, column_of(header.index(column)), wrong))
            continue
        checked[key], messages = checked_value(key, values[column])
        problems.extend(Problem(name, line, column_of(header.index(column)), f"{column} {message}")
                        for message in messages)
    if len(problems) > found:
        return None
    return WardRow(checked["borough"], checked["name"], checked.get("code", ""), checked.get("old_code", ""),
                   checked.get("population"), line, column_of(header.index("ons_code")))


def ward_slugs(rows: list[WardRow], csv_name: str = "CSV") -> dict[WardRow, str]:
    """A slug per ward: its name, or name and borough where the name recurs.

    Computed over the whole CSV so a ward's slug does not depend on --borough.
    Raises SitegenError at the CSV's lines for a ward whose name gives no
    address, and for two wards that would share one.
    """
    counts = Counter(slugify(r.ward) for r in rows)
    slugs = {r: slugify(r.ward) if counts[slugify(r.ward)] == 1 else slugify(f"{r.ward} {r.borough}")
             for r in rows}
    problems: list[Problem] = []
    first_row: dict[str, WardRow] = {}
    for row, slug in slugs.items():
        if not slug:
            problems.append(Problem(csv_name, row.line, 0, f"ward '{row.ward}' gives an empty address;"
                                    " write its name with letters or digits (any alphabet will do)"))
        elif slug in first_row:
            other = first_row[slug]
            problems.append(Problem(csv_name, row.line, 0,
                                    f"ward '{row.ward}' ({row.borough}) and '{other.ward}' "
                                    f"({other.borough}) on line {other.line} would share the address "
                                    f"/areas/{slug}/; spell the same ward the same way, or tell them apart"))
        else:
            first_row[slug] = row
    if problems:
        raise SitegenError(problems)
    return slugs


def import_wards(root: Path, csv_path: Path, borough: str | None,
                 boundaries_path: Path | None = None) -> ImportReport:
    """Create an area folder for each ward (of BOROUGH, if given) not already present,
    and give each such ward without a boundary.geojson its boundary from BOUNDARIES_PATH.

    A ward is present if its folder exists or an area already has its ONS code
    (so a site imported when addresses were made differently is not doubled).
    Both files are read and checked before anything is written.
    """
    rows = read_wards(csv_path)
    slugs = ward_slugs(rows, str(csv_path))
    boundaries = read_boundaries(boundaries_path) if boundaries_path is not None else None
    chosen = [r for r in rows if borough is None or r.borough.lower() == borough.lower()]
    if borough and not chosen:
        boroughs = sorted({r.borough for r in rows})
        raise SitegenError([Problem(str(csv_path), 0, 0, f"no wards in borough '{borough}'; "
                                    f"boroughs in this file: {', '.join(boroughs)}")])
    report, by_code = ImportReport(), _slugs_by_code(root / AREAS_DIR)
    planned: dict[str, str] = {}
    folders: dict[str, WardRow] = {}
    for row in chosen:
        slug = slugs[row]
        target = root / AREAS_DIR / slug / "area.yaml"
        folder = slug
        if target.exists() or row.code in by_code:
            folder = slug if target.exists() else by_code[row.code]
            report.kept.append(folder)
        else:
            planned[slug] = area_yaml(_fields(row))
        folders[folder] = row
    _refuse_invalid(planned, {slugs[row]: row.line for row in chosen}, str(csv_path))
    for slug, text in planned.items():
        _write_area(root, slug, text, report)
    if boundaries is not None:
        _attach_boundaries(root, folders, boundaries, report)
    return report


# ---------------------------------------------------------------- boundaries

MAX_BOUNDARIES_BYTES = 200 * 1024 * 1024   # every ward of the UK at 5 decimals is well under this
MAX_FEATURES = 20_000                      # the UK has about 9,000 wards
MAX_BOUNDARY_PROBLEMS = 50
SOURCE = "ONS/OS ward boundaries, UK-GeoJSON collection by Martin Chorley (CC BY 4.0)"
ATTRIBUTION = "Contains Ordnance Survey data © Crown copyright and database right 2014"


def read_boundaries(path: Path) -> dict[str, bytes]:
    """ONS code -> the boundary.geojson to write (a Feature, RFC 7946, 6 decimals) for each
    feature of the GeoJSON FeatureCollection at PATH, keyed by its property `ons_code`.

    Raises SitegenError at PATH:LINE:COL of every bad feature (no or a malformed
    ons_code, a code given twice, a geometry `check` would refuse), before anything is written."""
    name = str(path)
    text = _boundaries_text(path)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SitegenError([Problem(name, exc.lineno, exc.colno, f"not valid JSON: {exc.msg}")]) from None
    except RecursionError:   # json's decoder recurses once per [ or {
        raise SitegenError([Problem(name, 0, 0, "is nested too deeply to be GeoJSON (arrays in arrays"
                                    " thousands deep); give the boundaries' FeatureCollection")]) from None
    features = value.get("features") if isinstance(value, dict) else None
    if not isinstance(features, list) or value.get("type") != "FeatureCollection":
        raise SitegenError([Problem(name, 1, 1, "expected a GeoJSON FeatureCollection with a list of"
                                    " features, one per ward, each with the property ons_code")])
    if len(features) > MAX_FEATURES:
        raise SitegenError([Problem(name, 1, 1, f"has {len(features)} features; at most {MAX_FEATURES}"
                                    " are read: cut the file to the force's wards")])
    return _checked_features(name, text, features)


def _boundaries_text(path: Path) -> str:
    """The boundaries file's text: bounded, UTF-8."""
    name = str(path)
    try:
        if path.stat().st_size > MAX_BOUNDARIES_BYTES:
            raise SitegenError([Problem(name, 0, 0, f"is larger than {MAX_BOUNDARIES_BYTES // 2**20} MB;"
                                        " cut it to the force's wards")])
        return path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise SitegenError([Problem(name, 0, 0, f"cannot be read: {exc.strerror}")]) from None
    except UnicodeDecodeError:
        raise SitegenError([Problem(name, 0, 0, "is not UTF-8 text; save it as UTF-8 GeoJSON")]) from None


def _checked_features(name: str, text: str, features: list) -> dict[str, bytes]:
    """Code -> boundary.geojson bytes of FEATURES (of the file NAME, whose text is TEXT)."""
    problems, found, seen = Problems(), {}, set()
    locate = _Locator(text, _feature_starts(text, len(features)))
    for index, feature in enumerate(features):
        before = len(problems)
        where, (line, col) = f"features[{index + 1}]", locate(index)
        code = _feature_code(feature)
        label = f"{where} (ons_code {code})" if code else where
        if not code:
            problems.add(name, line, col, f"{where}: properties.ons_code is missing or not an ONS ward code;"
                         " give each feature its ward's code, like E05000026")
        elif code in seen:
            problems.add(name, line, col, f"{label}: another feature has this ons_code; give each ward"
                         " one feature (a ward in several parts is one MultiPolygon)")
        seen.add(code)
        polygons = checked_polygons(feature, name, problems, line, col, label)
        if len(problems) >= MAX_BOUNDARY_PROBLEMS:
            break
        if len(problems) == before and polygons is not None:
            found[code] = feature_json(polygons, {
                "name": feature["properties"].get("ward") or code, "code": code,
                "source": SOURCE, "attribution": ATTRIBUTION})
    problems.raise_if_any()
    return found


def _feature_code(feature: object) -> str:
    """The feature's ONS ward code, or '' when it has none that is one."""
    properties = feature.get("properties") if isinstance(feature, dict) else None
    code = properties.get("ons_code") if isinstance(properties, dict) else None
    return code.strip() if isinstance(code, str) and ONS_WARD_CODE.fullmatch(code.strip()) else ""


def _feature_starts(text: str, count: int) -> list[int]:
    """The offset in TEXT where each of the COUNT features starts (-1 each if they cannot be found)."""
    match = re.search(r'"features"\s*:\s*\[', text)
    if not match:
        return [-1] * count
    decoder, gap, starts, at = json.JSONDecoder(), re.compile(r"[\s,]*"), [], match.end()
    for _ in range(count):
        at = gap.match(text, at).end()   # type: ignore[union-attr]  # the pattern matches anywhere
        starts.append(at)
        try:
            _, at = decoder.raw_decode(text, at)
        except json.JSONDecodeError:
            return [-1] * count
    return starts


class _Locator:
    """LINE, COL (from 1) of each feature, counted on from the one before ((0, 0) when unknown)."""

    def __init__(self, text: str, starts: list[int]):
        self.text, self.starts, self.offset, self.line = text, starts, 0, 1

    def __call__(self, index: int) -> tuple[int, int]:
        start = self.starts[index]
        if start < self.offset:
            return 0, 0
        self.line += self.text.count("\n", self.offset, start)
        self.offset = start
        return self.line, start - (self.text.rfind("\n", 0, start) + 1) + 1


def _attach_boundaries(root: Path, folders: dict[str, WardRow], boundaries: dict[str, bytes],
                       report: ImportReport) -> None:
    """Write the boundary.geojson of each area of FOLDERS (slug -> its CSV row) that has none."""
    for slug, row in folders.items():
        data = boundaries.get(row.code)
        target = root / AREAS_DIR / slug / BOUNDARY_FILE
        if data is None:
            report.unbounded.append(slug)
        elif target.exists():
            report.boundary_kept.append(slug)
        else:
            try:
                atomic_write(target, data)
            except OSError as exc:
                raise ServiceError(target.relative_to(root).as_posix(),
                                   f"cannot be written ({exc.strerror}); importing again writes the"
                                   " boundaries still missing") from None
            report.bounded.append(slug)


def _refuse_invalid(planned: dict[str, str], lines: dict[str, int], csv_name: str) -> None:
    """Raise SitegenError at the CSV's lines if check would refuse any area.yaml in PLANNED (slug -> text).

    read_wards checked each value; this checks the whole file, so nothing is written that check refuses."""
    problems = [Problem(csv_name, lines[slug], 0,
                        f"the area.yaml for this ward would be refused: {p.message}")
                for slug, text in planned.items()
                for p in area_yaml_problems(text, f"{AREAS_DIR}/{slug}/area.yaml")]
    if problems:
        raise SitegenError(problems)


def _write_area(root: Path, slug: str, text: str, report: ImportReport) -> None:
    """Write area SLUG's area.yaml (each area whole, through a rename); a disk failure is exit 3."""
    target = root / AREAS_DIR / slug / "area.yaml"
    try:
        atomic_write(target, text)
    except OSError as exc:
        raise ServiceError(target.relative_to(root).as_posix(), f"cannot be written ({exc.strerror}); the"
                           f" {len(report.created)} areas created before it are whole, and importing again"
                           " keeps them and creates the rest") from None
    report.created.append(slug)


def _slugs_by_code(areas_dir: Path) -> dict[str, str]:
    """ONS code -> folder name of the existing areas that have one (unreadable files are skipped:
    check reports them)."""
    found: dict[str, str] = {}
    for path in sorted(areas_dir.glob("*/area.yaml")):
        try:
            data = as_written(load_yaml_file(path, path.name))  # bounded, and `code: 0123` stays 0123
        except SitegenError:
            continue
        code = data.get("code") if isinstance(data, dict) else None
        if isinstance(code, str) and code.strip():
            found.setdefault(code.strip(), path.parent.name)
    return found


def _fields(row: WardRow) -> dict:
    fields: dict[str, str | int] = {"name": row.ward, "borough": row.borough, "code": row.code,
                                    "old_code": row.old_code}
    if row.population is not None:
        fields["population"] = row.population
    return {k: v for k, v in fields.items() if v not in ("", None)}
