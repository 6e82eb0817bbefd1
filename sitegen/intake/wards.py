"""The ward a report is about, from the postcode of where it happened (receiver side).

The one source of truth is the lookup the build publishes from content/postcodes/:
find/<DISTRICT>.json, each `{"postcodes": {"RM83HR": ["becontree"]}, "wards": {...}}`.
The receiver reads either

    a folder of those files      the built site's find/ (`sitegen intake serve`), or
    one postcodes.json           {"RM83HR": ["becontree"], ...}: every district's `postcodes`
                                 merged, which `sitegen intake package` puts beside forms/

(the `postcodes` setting, SITEGEN_INTAKE_POSTCODES; default: postcodes.json beside the
schemas folder, else its sibling find/).  A postcode is looked up without spaces, in
capitals, so any spelling of it finds the same ward.  A ward is given only when the
postcode lies in exactly one ward: a postcode split between two wards, or one the lookup
does not know, gives none (the report takes the default destination).  The postcode itself
is never sent: it can point at a handful of households.
"""
from __future__ import annotations

import json
import re
import threading
from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem, SitegenError
from ..postcodetext import DISTRICT, compact

LOOKUP_FILE = "postcodes.json"
MAX_LOOKUP_BYTES = 50_000_000   # a whole force (~ 100,000 postcodes) is ~ 3 MB as compact JSON
MAX_POSTCODE_CHARS = 8          # a postcode is at most 7 characters without its space
MAX_POSTCODE_TEXT = 256         # what is looked at of an answer (the form bounds it too)
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


def postcode_key(text: str) -> str:
    """TEXT as the lookup keys it: no white space, capitals ('rm8 3hr' -> 'RM83HR')."""
    # Spaces first, then the bound: '  R M 8  1 A L' is a postcode however it was spaced.
    return compact(text[:MAX_POSTCODE_TEXT])[:MAX_POSTCODE_CHARS]


def default_source(schemas: str | Path) -> Path:
    """Where the lookup is when not set: postcodes.json beside the SCHEMAS folder (the Lambda
    package), else the built site's find/ folder beside it (build/forms -> build/find)."""
    beside = Path(schemas).parent
    return beside / LOOKUP_FILE if (beside / LOOKUP_FILE).is_file() else beside / "find"


def source_files(source: Path) -> list[Path]:
    """The lookup's files: SOURCE itself, or every <DISTRICT>.json in the folder SOURCE ([] if none)."""
    if source.is_file():
        return [source]
    return sorted(p for p in source.glob("*.json") if p.is_file() and DISTRICT.fullmatch(p.stem)) \
        if source.is_dir() else []


def merged_lookup(source: Path) -> dict[str, list[str]]:
    """Postcode key -> ward slugs, from SOURCE (a folder of find/*.json, or a postcodes.json).

    Raises SitegenError naming the file when one is too large or not a lookup.
    """
    files = source_files(source)
    check_size(files)
    merged: dict[str, list[str]] = {}
    for path in files:
        merged.update(_postcodes(path))
    return merged


def check_size(files: list[Path]) -> None:
    """Refuse FILES whose total size is over MAX_LOOKUP_BYTES (at start-up, not per report)."""
    total = sum(p.stat().st_size for p in files)
    if total > MAX_LOOKUP_BYTES:
        where = str(files[0].parent if len(files) > 1 else files[0])
        raise SitegenError([Problem(where, 0, 0, f"the postcode lookup is larger than "
                                                 f"{MAX_LOOKUP_BYTES // 1_000_000} MB; a force's postcodes "
                                                 "take a few MB: check SITEGEN_INTAKE_POSTCODES")])


def _postcodes(path: Path) -> dict[str, list[str]]:
    """The postcode -> slugs mapping of one file (a find/<DISTRICT>.json or a postcodes.json)."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SitegenError([Problem(str(path), 0, 0, f"is not a postcode lookup ({type(exc).__name__}); "
                                                     "build the site again")]) from None
    table = data if path.name == LOOKUP_FILE else data.get("postcodes") if isinstance(data, dict) else None
    if not isinstance(table, dict) or not all(
            isinstance(wards, list) and all(isinstance(w, str) and SLUG.match(w) for w in wards)
            for wards in table.values()):
        raise SitegenError([Problem(str(path), 0, 0, "expected postcodes each with a list of ward slugs; "
                                                     "build the site again")])
    return {postcode_key(str(code)): list(wards) for code, wards in table.items()}


def lookup_bytes(source: Path) -> bytes:
    """The compact postcodes.json made from SOURCE (sorted, so the same lookup gives the same bytes)."""
    merged = merged_lookup(source)
    return (json.dumps(dict(sorted(merged.items())), separators=(",", ":")) + "\n").encode("ascii")


class WardLookup:
    """The ward of a postcode; the file's size is checked when made, its contents read on first use."""

    def __init__(self, source: Path):
        self.source = source
        check_size(source_files(source))
        self._table: Mapping[str, list[str]] | None = None
        self._lock = threading.Lock()

    def table(self) -> Mapping[str, list[str]]:
        """Postcode key -> ward slugs, read once (thread-safe)."""
        with self._lock:
            if self._table is None:
                self._table = merged_lookup(self.source)
            return self._table

    def ward(self, postcode: object) -> str:
        """The one ward POSTCODE lies in, or '' (not text, unknown, or in more than one ward)."""
        if not isinstance(postcode, str) or not postcode.strip():
            return ""
        wards = self.table().get(postcode_key(postcode), [])
        return wards[0] if len(wards) == 1 else ""
