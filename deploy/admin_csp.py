"""Write the editors' admin's Content-Security-Policy into deploy/sitegen.yaml (AdminHeadersPolicy).

    .venv/bin/python deploy/admin_csp.py [SITE_DIR]

CloudFront sends a policy as a header on every answer, and a browser applies both it and the
`<meta>` policy of admin/index.html: the stricter wins. So the `/admin/*` cache behaviour sends the
admin's own policy, the one sitegen/admin/outputs.admin_policy writes for the site at SITE_DIR
(default: the current folder; it names site.yaml's `admin.local_port`), plus `frame-ancestors
'none'`, which only a header can carry. Run this after changing that policy or the port;
tests/test_deploy_template.py fails while the two differ. Exit 1 (each problem printed) for a
site.yaml `sitegen check` would refuse.
"""
from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace
from typing import cast

from sitegen.admin.outputs import admin_policy
from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.model import Site

TEMPLATE = Path(__file__).resolve().parent / "sitegen.yaml"
RESOURCE = "\n  AdminHeadersPolicy:\n"
START = '\n            ContentSecurityPolicy: "'   # the policy's line within RESOURCE
END = '"\n'
HEADER_ONLY = "frame-ancestors 'none'"


def header_policy(site_dir: Path) -> str:
    """The admin's policy for the site at SITE_DIR as the CDN sends it ('default-src ...; frame-ancestors
    'none''). Raises SitegenError for a bad site.yaml."""
    # admin_policy reads only the site's configuration, so the content is not loaded.
    site = cast(Site, SimpleNamespace(config=load_config(site_dir)))
    return f"{admin_policy(site)}; {HEADER_ONLY}"


def inlined(template: str, policy: str) -> str:
    """TEMPLATE's text with AdminHeadersPolicy's Content-Security-Policy replaced by POLICY.
    Raises ValueError for a POLICY a plain double-quoted YAML string cannot hold as it is."""
    if any(c in policy for c in '"\\\n') or not policy.isprintable():
        raise ValueError(f"a policy with a double quote, backslash or control character: {policy!r}")
    start = template.index(START, template.index(RESOURCE)) + len(START)
    end = template.index(END, start)
    return template[:start] + policy + template[end:]


def main(argv: list[str]) -> int:
    """Write the policy of the site at argv[0] (default '.') into the template; 1 for a bad site.yaml."""
    try:
        policy = header_policy(Path(argv[0] if argv else "."))
    except SitegenError as exc:
        print(exc, file=sys.stderr)
        return exc.exit_code
    before = TEMPLATE.read_text(encoding="utf-8")
    after = inlined(before, policy)
    if after != before:
        TEMPLATE.write_text(after, encoding="utf-8")
    print(f"{TEMPLATE.name}: {'updated' if after != before else 'already the same'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
