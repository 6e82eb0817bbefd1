"""content/pages/*.md: site-wide pages such as the accessibility statement."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from ..model import Page
from . import markdown_files
from .context import LoadContext
from .frontmatter import PAGE_KEYS, read_document, read_translation
from .schema import SLUG_RE, Field, Record, Str, Where
from .translations import overlay_parts, sort_names

PAGES_DIR = "content/pages"
# A page may not take a folder the build writes for something else (admin, find, cy...):
# build/checks.page_name_problems finds them in what the build plans.

PAGE = Record(name="page front matter", fields=[
    Field("title", Str(max_len=150), required=True, doc="The page title (its only level-1 heading).",
          translatable=True),
    Field("summary", Str(max_len=300), doc="One sentence for search engines and link previews.",
          translatable=True),
])


def load_pages(ctx: LoadContext) -> list[Page]:
    """Load every content/pages/*.md, sorted by slug, each with its translations (<slug>.<code>.md)."""
    folder = ctx.root / PAGES_DIR
    found = sort_names([p.name for p in markdown_files(folder)], PAGES_DIR, ctx.languages, ctx.problems)
    pages = []
    for name in found.originals:
        page = _load_page(ctx, folder / name)
        if page is None:
            continue
        versions = []
        for code in ctx.languages.others:
            translation = found.translations.get(code, {}).get(name)
            version = _load_translation(ctx, folder / translation, page) if translation else None
            if version is not None:
                versions.append((code, version))
        pages.append(replace(page, translations=tuple(versions)) if versions else page)
    return pages


def _load_translation(ctx: LoadContext, path: Path, original: Page) -> Page | None:
    """The page ORIGINAL translated by the file at PATH (its source), or None when that
    cannot be used (problems go into CTX)."""
    rel = ctx.rel(path)
    ctx.translation_files.append(rel)
    doc = read_translation(path, rel, ctx.problems)
    if doc is None:
        return None
    base = {"title": original.title, **({"summary": original.summary} if original.summary else {})}
    overlaid = overlay_parts(PAGE, base, doc.meta, Where(rel, (2, 1), ""), ctx.problems,
                             original.source.split("/")[-1])
    meta = overlaid.value
    if meta is None:
        return None
    ctx.survey_markdown(doc.body, doc.body_line, rel, original.url)
    # what it leaves out ('title', 'summary'; 'body' when its body is empty) shows the original's words
    fallbacks = overlaid.fallbacks | ({"body"} if not doc.body.strip() else set())
    return replace(original, title=meta["title"], summary=meta.get("summary", ""), source=rel,
                   fallbacks=fallbacks)


def _load_page(ctx: LoadContext, path) -> Page | None:
    rel = ctx.rel(path)
    slug = path.stem
    if not SLUG_RE.match(slug) and slug != "404":
        ctx.problems.add(rel, 0, 0,
                         "file name must be lowercase letters, digits and hyphens, like 'about-us.md'")
        return None
    doc = read_document(path, rel, ctx.problems, PAGE_KEYS)
    if doc is None:
        return _stand_in(slug, rel)
    meta = PAGE.check(doc.meta, Where(rel, (2, 1), ""), ctx.problems) or {}
    url = "/404.html" if slug == "404" else f"/{slug}/"
    ctx.survey_markdown(doc.body, doc.body_line, rel, url)
    if "title" not in meta:
        return _stand_in(slug, rel)
    return Page(slug=slug, title=meta["title"], summary=meta.get("summary", ""), source=rel)


def _stand_in(slug: str, rel: str) -> Page:
    """A page whose file exists but has problems (already reported): it keeps its
    address, so links to it are not also reported as leading nowhere.  Nothing is
    built from it, since a site with problems is never built."""
    return Page(slug=slug, title=slug, summary="", source=rel)
