"""Print the reports bucket's per-form lifecycle rules for deploy/sitegen.yaml.

    .venv/bin/python deploy/lifecycle_rules.py [SITE_DIR]

The rules are sitegen.intake.retention.lifecycle_configuration's (each native
form's retention_days, from SITE_DIR/forms; default the current folder),
written in CloudFormation's names with the key prefix left to the template's
ReportsPrefix parameter.  Paste the output over the rules between the two
marker comments in the template's ReportsBucket; tests/test_deploy_template.py
fails until the template and the example site's forms agree.
"""
from __future__ import annotations

import sys
from pathlib import Path

from sitegen.errors import SitegenError
from sitegen.intake.retention import cloudformation_rules, lifecycle_configuration, site_retention

INDENT = " " * 10


def template_rules(retention: dict[str, int]) -> str:
    """The YAML lines (ending in a newline) of the rules for RETENTION (form id -> days kept)."""
    lines = []
    for rule in cloudformation_rules(lifecycle_configuration(retention, "${ReportsPrefix}")):
        noncurrent = rule["NoncurrentVersionExpiration"]["NoncurrentDays"]
        lines.append(f"{INDENT}- {{Id: {rule['Id']}, Status: {rule['Status']}, "
                     f"ExpirationInDays: {rule['ExpirationInDays']},\n"
                     f"{INDENT}   NoncurrentVersionExpiration: {{NoncurrentDays: {noncurrent}}},\n"
                     f"{INDENT}   Prefix: !Sub \"{rule['Prefix']}\"}}\n")
    return "".join(lines)


def main(argv: list[str]) -> int:
    """Print the rules for the site at argv[0] (default '.'); exit 1 with each problem in its forms."""
    try:
        sys.stdout.write(template_rules(site_retention(Path(argv[0] if argv else "."))))
    except SitegenError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
