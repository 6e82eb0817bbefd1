"""Static assets: govuk-frontend's compiled CSS and JS, the theme's own files,
and a small CSS file of the force's colours, each fingerprinted
(`name.HASH.ext`) so it can be cached for ever.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .errors import Problem, SitegenError
from .sitefiles import outside_target

THEME_DIR = Path(__file__).parent / "theme"
VENDOR_DIR = THEME_DIR / "vendor"
VENDOR_FILES = ("govuk-frontend.min.css", "govuk-frontend.min.js")


@dataclass(frozen=True)
class Asset:
    """One file under /assets/: its logical name, fingerprinted URL and bytes."""

    name: str
    url: str
    content: bytes

    @property
    def path(self) -> str:
        """Path inside the build folder."""
        return self.url.lstrip("/")


def fingerprint(name: str, content: bytes) -> str:
    """'site.css' + bytes -> '/assets/site.1a2b3c4d5e.css'."""
    stem, _, ext = name.rpartition(".")
    digest = hashlib.sha256(content).hexdigest()[:10]
    return f"/assets/{stem}.{digest}.{ext}"


def theme_css(config: SiteConfig) -> bytes:
    """The force's colours as GOV.UK Frontend custom properties."""
    return (":root{"
            f"--govuk-brand-colour:{config.brand_colour};"
            f"--govuk-link-colour:{config.link_colour};"
            f"--sitegen-brand-colour:{config.brand_colour}"
            "}\n").encode()


def collect_assets(config: SiteConfig) -> dict[str, Asset]:
    """Every asset the pages use, keyed by logical name ('site.css')."""
    sources = {name: _read_vendor(name) for name in VENDOR_FILES}
    sources["theme.css"] = theme_css(config)
    for path in sorted(_static_files(config.root)):
        sources[path.name] = path.read_bytes()
    assets: dict[str, Asset] = {}
    for name in sorted(sources, key=_dependencies_first):
        content = _link_imports(sources[name], assets)
        assets[name] = Asset(name, fingerprint(name, content), content)
    return assets


def _static_files(root: Path) -> list[Path]:
    """The theme's static files, each replaced by a same-named file in the site's assets/."""
    chosen = {p.name: p for p in (THEME_DIR / "static").iterdir() if p.is_file()}
    site_static = root / "assets"
    if site_static.is_dir():
        # A link leading outside the site is not read (`check` reports it).
        chosen.update({p.name: p for p in site_static.iterdir() if p.is_file()
                       and not outside_target(root, p)})
    return list(chosen.values())


def _dependencies_first(name: str) -> tuple[int, str]:
    # site.js imports govuk-frontend.min.js, so the vendor file is hashed first.
    return (0 if name in VENDOR_FILES else 1, name)


def _link_imports(content: bytes, done: dict[str, Asset]) -> bytes:
    """Point './govuk-frontend.min.js' style imports at their fingerprinted names."""
    for name, asset in done.items():
        if name.endswith(".js"):
            content = content.replace(f"./{name}".encode(), f"./{asset.url.rsplit('/', 1)[1]}".encode())
    return content


def _read_vendor(name: str) -> bytes:
    path = VENDOR_DIR / name
    if not path.is_file():
        raise SitegenError([Problem(f"sitegen/theme/vendor/{name}", 0, 0,
                                    "is missing; run 'make build' (it compiles govuk-frontend with npm)")])
    return path.read_bytes()
