"""The Lambda deployment zip: the receiver's modules and the built schemas.

    handler                 sitegen.intake.lambda_handler.handler
    sitegen/...             only the modules the receiver imports at run time
    forms/<id>/schema.json  every published form schema (SITEGEN_INTAKE_SCHEMAS defaults here)
    postcodes.json          the site's postcode lookup, made from the built find/*.json beside the
                            schemas folder (wards.py; SITEGEN_INTAKE_POSTCODES defaults here)
    (--deps DIR)            third-party packages installed with `pip install --target DIR`

boto3 comes with the Lambda Python runtime; jsonschema does not, so pass its
folder with --deps (see docs/intake.md).  The zip is reproducible: sorted
entries, fixed times and modes, so the same inputs give the same bytes.
"""
from __future__ import annotations

import zipfile
from pathlib import Path

from .wards import LOOKUP_FILE, default_source, lookup_bytes, source_files

PACKAGE_ROOT = Path(__file__).resolve().parent.parent
RUNTIME_FILES = ("__init__.py", "errors.py", "forms/__init__.py", "forms/model.py", "forms/patterns.py",
                 "forms/submission.py", "postcodetext.py", "terminal.py")
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def runtime_files() -> list[tuple[Path, str]]:
    """(file, name in the zip) for every sitegen module the handler needs."""
    files = [(PACKAGE_ROOT / rel, f"sitegen/{rel}") for rel in RUNTIME_FILES]
    files += [(p, f"sitegen/intake/{p.name}") for p in sorted((PACKAGE_ROOT / "intake").glob("*.py"))]
    return files


def schema_files(schemas: Path) -> list[tuple[Path, str]]:
    """(file, name in the zip) for every forms/<id>/schema.json under SCHEMAS."""
    return [(p, f"forms/{p.parent.name}/schema.json") for p in sorted(Path(schemas).glob("*/schema.json"))]


def dependency_files(deps: Path) -> list[tuple[Path, str]]:
    """(file, name in the zip) for everything under DEPS, without caches."""
    deps = Path(deps)
    return [(p, p.relative_to(deps).as_posix()) for p in sorted(deps.rglob("*"))
            if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"]


def lookup_entries(schemas: Path) -> list[tuple[bytes, str]]:
    """(bytes, name in the zip) of the postcode lookup beside SCHEMAS (the built site's find/);
    [] when the site has none.  SitegenError when it is too large."""
    source = default_source(schemas)
    return [(lookup_bytes(source), LOOKUP_FILE)] if source_files(source) else []


def write_package(out: Path, schemas: Path, deps: Path | None = None) -> int:
    """Write the zip to OUT; the number of files in it."""
    entries = runtime_files() + schema_files(schemas) + (dependency_files(deps) if deps else [])
    contents = [(path.read_bytes(), name, path.stat().st_mode & 0o111) for path, name in entries]
    contents += [(data, name, 0) for data, name in lookup_entries(schemas)]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for data, name, executable in sorted(contents, key=lambda entry: entry[1]):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = (0o755 if executable else 0o644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return len(contents)
