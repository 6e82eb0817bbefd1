"""The Content-Security-Policy every page carries.

Pages load scripts, styles and images from the site itself only, and send
forms only to the site and the configured forms endpoint.  The policy goes in
a <meta> element so it holds wherever the files are hosted; docs/deploy.md
also sends it as a header together with the directives a <meta> cannot carry
(frame-ancestors is ignored there, and browsers say so in the console).
"""
from __future__ import annotations

from urllib.parse import urlsplit

from .config import SiteConfig


def endpoint_origin(config: SiteConfig) -> str:
    """The scheme and host forms are sent to, or '' when they go to the site itself."""
    if not config.forms_endpoint:
        return ""
    parts = urlsplit(config.forms_endpoint)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(config: SiteConfig, for_header: bool = False) -> str:
    """The policy for CONFIG's pages; FOR_HEADER adds what only a header can say."""
    forms = " ".join(filter(None, ["'self'", endpoint_origin(config)]))
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
