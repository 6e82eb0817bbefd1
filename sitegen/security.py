"""The Content-Security-Policy every page carries.

Pages load scripts, styles and images from the site itself only, and send
forms only to the site and the configured forms endpoint.  The policy goes in
a <meta> element so it holds wherever the files are hosted; docs/deploy.md
also sends it as a header together with the directives a <meta> cannot carry
(frame-ancestors is ignored there, and browsers say so in the console).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .model import Site


def origin(url: str) -> str:
    """'https://intake.example.org' for an absolute URL; '' for a site path."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def form_origins(site: Site) -> list[str]:
    """Every other origin a form of SITE posts to: site.yaml's endpoint and each form's own."""
    urls = [site.config.forms_endpoint] + [f.endpoint for f in (site.forms.forms if site.forms else ())]
    return sorted({origin(url) for url in urls} - {""})


def content_security_policy(site: Site, for_header: bool = False) -> str:
    """The policy for SITE's pages; FOR_HEADER adds what only a header can say."""
    forms = " ".join(["'self'", *form_origins(site)])
    directives = [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        f"connect-src {forms}",
        f"form-action {forms}",
        "object-src 'none'",
        "base-uri 'self'",
    ]
    if for_header:
        directives.append("frame-ancestors 'none'")
    return "; ".join(directives)
