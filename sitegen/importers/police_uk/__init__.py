"""`sitegen import-police-uk`: areas from the data.police.uk neighbourhood API.

    existing area.yaml files ──► fetch every neighbourhood (network) ──► map to area fields (pure)
        ──► merge with what editors wrote (pinned keys and editor keys kept) ──► check ──► stage ──► rename

Everything is fetched before anything is written, so an API failure changes
nothing.  Each area's new files are staged beside it and only renamed into
place once every area has been staged.

The modules, in pipeline order: `existing` (area folders already in the site),
`api` (fetching), `text` (the API's untrusted HTML as plain text), `mapping`
(API records -> area fields), `merge` (keeping what editors own), `area_yaml`
(the text written and its check), `translations` (each area.<code>.yaml kept in step
with the area.yaml written), `planning` (what each folder should hold),
`writing` (staging and renaming) and `report` (what was created, changed and
left alone).
"""
from __future__ import annotations

from pathlib import Path

from ...errors import Problem, SitegenError
from ..http import HttpClient
from .api import DEFAULT_API_URL, fetch_neighbourhoods
from .existing import scan_areas
from .planning import plan_import
from .report import PoliceImportReport
from .writing import stage_area as _stage
from .writing import write_planned

__all__ = ["DEFAULT_API_URL", "import_police_uk"]


def import_police_uk(root: Path, force: str, ids: list[str], client: HttpClient) -> PoliceImportReport:
    """Create or refresh the areas of FORCE's neighbourhoods (only IDS, if given) under ROOT."""
    if not (root / "site.yaml").is_file():
        raise SitegenError([Problem(str(root / "site.yaml"), 0, 0,
                                    "not found; run this in a site folder or pass --site DIR")])
    existing = scan_areas(root)
    fetched = fetch_neighbourhoods(client, force, ids)
    report = PoliceImportReport(force=force)
    plans = plan_import(root, force, fetched, existing, report)
    write_planned(plans, _stage)   # looked up here when called, so tests can patch police_uk._stage
    report.requests = client.requests
    return report
