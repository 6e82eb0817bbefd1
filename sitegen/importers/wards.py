"""`sitegen import-wards`: area folders from a CSV of wards.

The CSV has the columns of the London Datastore ward profiles cut used in the
bundled data: borough, ward, ons_code, old_code, population_2015, area_sq_km.
An area that already exists is left exactly as its editors wrote it.
"""
from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..content import slugify
from ..content.areas import AREAS_DIR
from ..content.yamlsource import as_written, load_yaml_file
from ..errors import Problem, SitegenError
from ..fileio import atomic_write
from .scaffold import area_yaml

COLUMNS = ("borough", "ward", "ons_code", "old_code", "population_2015")


@dataclass
class ImportReport:
    """What an import did: slugs created and slugs left alone."""

    created: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class WardRow:
    """One row of the CSV."""

    borough: str
    ward: str
    code: str
    old_code: str
    population: int | None
    line: int


def read_wards(csv_path: Path) -> list[WardRow]:
    """Read and check the CSV; raise SitegenError naming each bad line."""
    name = str(csv_path)
    try:
        handle = csv_path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise SitegenError([Problem(name, 0, 0, f"cannot be read: {exc.strerror}")])
    with handle:
        reader = csv.DictReader(handle)
        missing = [c for c in COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise SitegenError([Problem(name, 1, 0, f"missing column(s) {', '.join(missing)}; expected {', '.join(COLUMNS)}")])
        rows, problems = [], []
        for row in reader:
            line = reader.line_num
            if not row["ward"] or not row["borough"]:
                problems.append(Problem(name, line, 0, "needs both a borough and a ward name"))
                continue
            population = row["population_2015"].replace(",", "").strip()
            if population and not population.isdigit():
                problems.append(Problem(name, line, 0, f"population '{population}' is not a whole number"))
                continue
            rows.append(WardRow(row["borough"].strip(), row["ward"].strip(), row["ons_code"].strip(),
                                row["old_code"].strip(), int(population) if population else None, line))
    if problems:
        raise SitegenError(problems)
    return rows


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
            problems.append(Problem(csv_name, row.line, 0, f"ward '{row.ward}' ({row.borough}) and '{other.ward}'"
                                    f" ({other.borough}) on line {other.line} would share the address"
                                    f" /areas/{slug}/; spell the same ward the same way, or tell them apart"))
        else:
            first_row[slug] = row
    if problems:
        raise SitegenError(problems)
    return slugs


def import_wards(root: Path, csv_path: Path, borough: str | None) -> ImportReport:
    """Create an area folder for each ward (of BOROUGH, if given) not already present.

    A ward is present if its folder exists or an area already has its ONS code
    (so a site imported when addresses were made differently is not doubled).
    """
    rows = read_wards(csv_path)
    slugs = ward_slugs(rows, str(csv_path))
    chosen = [r for r in rows if borough is None or r.borough.lower() == borough.lower()]
    if borough and not chosen:
        boroughs = sorted({r.borough for r in rows})
        raise SitegenError([Problem(str(csv_path), 0, 0, f"no wards in borough '{borough}'; "
                                    f"boroughs in this file: {', '.join(boroughs)}")])
    report, by_code = ImportReport(), _slugs_by_code(root / AREAS_DIR)
    for row in chosen:
        slug = slugs[row]
        target = root / AREAS_DIR / slug / "area.yaml"
        if target.exists() or row.code in by_code:
            report.kept.append(slug if target.exists() else by_code[row.code])
            continue
        atomic_write(target, area_yaml(_fields(row)))
        report.created.append(slug)
    return report


def _slugs_by_code(areas_dir: Path) -> dict[str, str]:
    """ONS code -> folder name of the existing areas that have one (unreadable files are skipped:
    check reports them)."""
    found = {}
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
    fields = {"name": row.ward, "borough": row.borough, "code": row.code, "old_code": row.old_code}
    if row.population is not None:
        fields["population"] = row.population
    return {k: v for k, v in fields.items() if v not in ("", None)}
