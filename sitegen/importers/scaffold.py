"""The area.yaml a new area starts from: real keys, and commented examples
of the rest so an editor sees what can be filled in."""
from __future__ import annotations

import yaml

COMMENTED_KEYS = """\
# summary: One or two sentences introducing the ward.
# team:
#   - name: Jane Smith
#     role: Police Constable
# contact:
#   email: team@example.police.uk
#   phone: 020 7946 0000
# priorities:
#   - issue: What residents told us.
#     date: 2026-10-01
#     action: What the team did.
# events:
#   - id: ward-panel-2026-12-03
#     title: Ward panel meeting
#     start: 2026-12-03T19:00
#     end: 2026-12-03T20:30
#     location: Community centre
# social:
#   - network: x
#     url: https://x.com/example
# News pages go in news/, one Markdown file each (see docs/editing.md).
"""


def area_yaml(fields: dict) -> str:
    """FIELDS as YAML, followed by commented examples of the optional keys."""
    head = yaml.safe_dump(fields, sort_keys=False, allow_unicode=True, width=100)
    return head + COMMENTED_KEYS
