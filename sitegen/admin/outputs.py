"""The files a build publishes under /admin/ for the editors' admin (Decap CMS).

    admin/index.html     the page that loads Decap CMS (noindex, its own narrow CSP)
    admin/config.yml     generated from the content schema (sitegen/admin/config.py)
    admin/<file>         decap-cms.js, its chunks and wasm, copied at asset-build time
                         from node_modules into sitegen/theme/vendor/decap/, and
                         sitegen-admin.js (sitegen/admin/js/admin.mjs, bundled there)

Published only when site.yaml has an `admin:` section that does not say `enabled: false`;
never linked from a public page, and Disallowed in robots.txt
(sitegen/outputs/syndication.render_robots).
"""
from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from ..build.sources import AREAS, STATIC, THEME_DIR
from ..build.units import Unit
from ..errors import Problem, SitegenError
from ..model import Site
from ..outputs.base import Output, RenderContext

DECAP_DIR = THEME_DIR / "vendor" / "decap"
DECAP_SCRIPT = "decap-cms.js"
SITEGEN_SCRIPT = "sitegen-admin.js"   # sitegen's file formats (sitegen/admin/js/admin.mjs)
ADMIN_KINDS = frozenset({"admin_page", "admin_config", "admin_file"})


def admin_enabled(site: Site) -> bool:
    """Whether SITE publishes the admin: site.yaml has `admin:` and not `enabled: false`."""
    return site.config.admin.enabled


def decap_files() -> list[str]:
    """The names of the Decap CMS files to publish, sorted: those the asset build copied, and
    always the two scripts the page loads.  Planning never fails for want of them (`check`,
    and the pre-commit hook's install without npm, do not need them); rendering a missing
    one does (render_admin_file)."""
    names = {p.name for p in DECAP_DIR.glob("*") if p.is_file()} if DECAP_DIR.is_dir() else set()
    return sorted(names | {DECAP_SCRIPT, SITEGEN_SCRIPT})


def missing_vendor() -> SitegenError:
    """What a build that writes the admin says when the asset build has not copied Decap CMS."""
    return SitegenError([Problem("sitegen/theme/vendor/decap/", 0, 0,
                                 "is missing; run 'make assets' (it copies Decap CMS from node_modules),"
                                 " or set 'admin: {enabled: false}' in site.yaml")])


def plan_admin(site: Site) -> list[Output]:
    """The admin's outputs (none when it is not enabled).  The config lists every ward
    (its news collection), so it reads AREAS; the copies read the vendor files (STATIC)."""
    if not admin_enabled(site):
        return []
    reads: tuple[Unit, ...] = (AREAS,)
    outputs = [Output("admin/index.html", "admin_page", "", deps=()),
               Output("admin/config.yml", "admin_config", "", deps=reads)]
    outputs += [Output(f"admin/{name}", "admin_file", name, deps=(STATIC,)) for name in decap_files()]
    return outputs


def admin_policy(site: Site) -> str:
    """The admin page's Content-Security-Policy: what Decap CMS needs and no more.

    - script-src 'self' 'unsafe-eval': Decap's bundle compiles code at run time (without it
      the admin does not start; it also lets the wasm of its editor compile);
    - style-src 'self' 'unsafe-inline': its components inject their styles (emotion);
    - img-src adds blob: (previews of uploads) and GitHub's avatars;
    - connect-src: GitHub's API (the github backend), the site's own GitHub sign-in proxy
      (admin.auth_url's origin; never api.netlify.com) and decap-server on this machine;
    - the rest as the public pages have it."""
    admin = site.config.admin
    local = f"http://127.0.0.1:{admin.local_port}"
    auth = urlsplit(admin.auth_url)
    sign_in = f" {auth.scheme}://{auth.netloc}" if auth.netloc else ""
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com",
        "font-src 'self'",
        f"connect-src 'self' https://api.github.com{sign_in} {local}",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'none'",
    ])


def render_admin_page(ctx: RenderContext, key: str) -> bytes:
    """admin/index.html: loads decap-cms.js (which reads config.yml beside it), and names the
    site's languages (meta sitegen-languages, the default first), so sitegen-admin.js leaves
    translations out of Decap's lists."""
    site = ctx.site
    return f"""<!doctype html>
<html lang="{escape(site.config.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<meta name="sitegen-languages" content="{escape(" ".join(site.languages))}">
<meta http-equiv="Content-Security-Policy" content="{escape(admin_policy(site), quote=False)}">
<title>Editing {escape(site.config.name)}</title>
</head>
<body>
<script src="{DECAP_SCRIPT}"></script>
<script src="{SITEGEN_SCRIPT}"></script>
</body>
</html>
""".encode()


def render_admin_config(ctx: RenderContext, key: str) -> bytes:
    """admin/config.yml (sitegen/admin/config.py)."""
    from .config import config_yaml
    return config_yaml(ctx.site)


def render_admin_file(ctx: RenderContext, key: str) -> bytes:
    """One Decap CMS file, as the asset build copied it (missing_vendor() when it did not)."""
    try:
        return Path(DECAP_DIR / key).read_bytes()
    except FileNotFoundError:
        raise missing_vendor() from None
