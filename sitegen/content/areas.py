"""content/areas/<slug>/area.yaml and news/*.md: one ward each."""
from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..errors import Problems, SitegenError
from ..maps import BOUNDARY_FILE, load_boundary
from ..model import Area, Contact, NewsItem, Priority, SocialLink, TeamMember
from ..sitefiles import let_through
from . import markdown_files, slugify
from .context import LoadContext
from .events import EVENTS, events_from
from .frontmatter import read_document, read_translation
from .names import AddressName
from .schema import (
    SLUG_RE,
    Bool,
    Choice,
    Date,
    Email,
    Field,
    Int,
    ListOf,
    Phone,
    Record,
    Slug,
    Str,
    Text,
    Url,
    Where,
)
from .translations import Overlaid, overlay_parts, sort_names
from .yamlsource import LocatedDict, Pos, load_yaml_file

AREAS_DIR = "content/areas"
# {language code: {story slug: (the story in that language, what its translation leaves out)}}
NewsVersions = dict[str, dict[str, tuple[NewsItem, frozenset[str]]]]
# Keys an editor may list under `pinned:` so that import-police-uk leaves them alone.
PINNABLE = ("name", "description", "summary", "population", "team", "contact", "social", "priorities",
            "events", "boundary")
NETWORKS = ("x", "facebook", "instagram", "mastodon", "bluesky", "youtube", "threads", "tiktok",
            "linkedin", "nextdoor", "whatsapp", "web")


def _action_after_issue(priority: dict, where: Where, problems: Problems) -> None:
    if priority.get("date") and priority.get("action_date") and priority["action_date"] < priority["date"]:
        where.report(problems, "'action_date' is before 'date'; an action cannot come before the issue")


TEAM_MEMBER = Record(name="team member", fields=[
    Field("name", Str(max_len=100), required=True, doc="Full name as the officer wants it shown."),
    Field("role", Str(max_len=100), required=True, doc="Rank or role, like 'Police Constable'.",
          translatable=True),
    Field("bio", Text(2000), doc="A few sentences about them.", translatable=True),
])

CONTACT = Record(name="contact", fields=[
    Field("email", Email, doc="The team's email address."),
    Field("phone", Phone, doc="The team's phone number."),
    Field("address", Str(max_len=300), doc="Where residents can meet the team, if anywhere.",
          translatable=True),
])

PRIORITY = Record(name="priority", rules=[_action_after_issue], fields=[
    Field("issue", Text(1000), required=True, doc="What residents said.", translatable=True),
    Field("date", Date(), required=True, doc="When the priority was set, YYYY-MM-DD."),
    Field("action", Text(2000), doc="What the team did.", translatable=True),
    Field("action_date", Date(), doc="When the action was reported, YYYY-MM-DD."),
])

SOCIAL = Record(name="social link", fields=[
    Field("network", Choice(NETWORKS), required=True, doc="Which network."),
    Field("url", Url(), required=True, doc="The account's public address."),
    Field("feed", Url(), doc="An RSS or Atom feed of its posts, shown on the ward page."),
])

AREA = Record(name="area.yaml", fields=[
    Field("name", Str(max_len=100), required=True, doc="Ward name.", translatable=True),
    Field("borough", AddressName(max_len=100, what="borough"),
          doc="Borough or district the ward is in; its page is /boroughs/<name as an address>/."),
    Field("code", Str(max_len=20), doc="ONS ward code (E05...)."),
    Field("old_code", Str(max_len=20), doc="Older ward code some systems still use."),
    Field("police_uk_force", Slug,
          doc="data.police.uk force id, like 'metropolitan' (set by import-police-uk)."),
    Field("police_uk_id", Str(max_len=60), doc="data.police.uk neighbourhood id (set by import-police-uk)."),
    Field("population", Int(0), doc="Residents (for context only)."),
    Field("summary", Text(1000), doc="One or two sentences introducing the ward.", translatable=True),
    Field("places", ListOf(Str(max_len=80), 50),
          doc="Places in the ward residents know (like 'Becontree Heath'); the name filter finds them.",
          translatable=True),
    Field("description", Text(5000), doc="About the neighbourhood, in paragraphs (imported from police.uk).",
          translatable=True),
    Field("example", Bool(), doc="true marks the content as example content, with a notice on the page."),
    # A translation's items name what they translate, the same in every language (a member's
    # name, a priority's date, a link's address): never their place, which edits shift.
    Field("team", ListOf(TEAM_MEMBER, 50, key="name", repeats=True, by_place=True),
          doc="The neighbourhood team."),
    Field("contact", CONTACT, doc="How to reach the team."),
    Field("priorities", ListOf(PRIORITY, 50, key="date", repeats=True, by_place=True),
          doc="You said, we did."),
    Field("events", EVENTS, doc="Ward-panel meetings and other events (see content/events.py)."),
    Field("social", ListOf(SOCIAL, 20, key="url", by_place=True), doc="The ward's social accounts."),
    Field("pinned", ListOf(Choice(PINNABLE), len(PINNABLE)),
          doc="Keys import-police-uk must leave as written (see docs/police-uk.md)."),
])

NEWS = Record(name="news front matter", fields=[
    Field("title", Str(max_len=150), required=True, doc="Headline.", translatable=True),
    Field("date", Date(), required=True, doc="Publication date, YYYY-MM-DD."),
    Field("summary", Str(max_len=300), doc="One sentence for lists and feeds.", translatable=True),
    Field("slug", Slug, doc="Address of the page (default: the file name)."),
])


def load_area(ctx: LoadContext, folder: Path) -> Area | None:
    """Load one area folder (area.yaml, news/, boundary.geojson, and their translations:
    area.<code>.yaml, news/<story>.<code>.md); problems go into CTX."""
    rel = f"{AREAS_DIR}/{folder.name}/area.yaml"
    if not SLUG_RE.match(folder.name):
        ctx.problems.add(f"{AREAS_DIR}/{folder.name}", 0, 0,
                         "folder name must be lowercase letters, digits and hyphens (it becomes the address)")
        return None
    files, folders = _listing(folder, ctx.rel(folder))
    if "area.yaml" not in files:
        ctx.problems.add(rel, 0, 0, "missing; every area folder needs an area.yaml with at least 'name:'")
        return None
    try:
        raw = load_yaml_file(folder / "area.yaml", rel)
    except SitegenError as exc:
        ctx.problems.extend(exc.problems)
        return None
    checked = AREA.check(raw, Where(rel, (1, 1), ""), ctx.problems)
    data = checked or {}
    news, news_versions = load_news_versions(ctx, folder) if "news" in folders else ([], {})
    area = _area_from(ctx, folder.name, rel, data, news)
    borough_at = raw.value_where("borough") if isinstance(raw, LocatedDict) and "borough" in data else (0, 0)
    social = tuple(replace(link, feed_at=_feed_at(raw, link.feed)) if link.feed else link
                   for link in area.social)
    boundary = _load_boundary(ctx, folder) if BOUNDARY_FILE in files else None
    area = replace(area, boundary=boundary, borough_at=borough_at, social=social)
    names = sorted(name for name in files if name.startswith("area.") and name.endswith(".yaml"))
    texts = sort_names(names, ctx.rel(folder), ctx.languages, ctx.problems).translations
    return _with_translations(ctx, folder, area, checked, texts, news_versions)


def _listing(folder: Path, rel_folder: str) -> tuple[set[str], set[str]]:
    """The names of FOLDER's files and of its folders (links followed): one listing, where
    asking for area.yaml, boundary.geojson and news/ would take a stat each.  The files
    that are no link are let through sitefiles.refuse_link_out (let_through: REL_FOLDER is
    FOLDER's site path)."""
    files: set[str] = set()
    folders: set[str] = set()
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return files, folders
    for entry in entries:
        try:
            if entry.is_file():
                files.add(entry.name)
            elif entry.is_dir():
                folders.add(entry.name)
        except OSError:   # a link that leads nowhere: neither
            continue
    let_through(folder, rel_folder, (entry for entry in entries if entry.name in files))
    return files, folders


def _with_translations(ctx: LoadContext, folder: Path, area: Area, checked: dict | None,
                       texts: dict[str, dict[str, str]], news_versions: NewsVersions) -> Area:
    """AREA with its translations: one version for each language that has an area.<code>.yaml
    (TEXTS: {code: {'area.yaml': name}}; the version's source is that file) or a translated
    story (NEWS_VERSIONS: {code: {slug: item}}; the version's source stays area.yaml)."""
    versions = []
    for code in ctx.languages.others:
        if code not in texts and code not in news_versions:
            continue
        data, source, fallbacks = checked or {}, area.source, frozenset[str]()
        if code in texts:
            path = folder / texts[code]["area.yaml"]
            overlaid = _area_text(ctx, path, checked)
            data, source = overlaid.value or data, ctx.rel(path)
            fallbacks = _in_page_order(overlaid.fallbacks, data)
        stories = news_versions.get(code, {})
        news = [stories[item.slug][0] if item.slug in stories else item for item in area.news]
        fallbacks |= {f"news.{slug}.{path}" for slug, (_item, paths) in stories.items() for path in paths}
        version = _area_from(ctx, area.slug, source, data, news)
        versions.append((code, replace(version, boundary=area.boundary, borough_at=area.borough_at,
                                       social=area.social, fallbacks=frozenset(fallbacks))))
    return replace(area, translations=tuple(versions)) if versions else area


def _area_text(ctx: LoadContext, path: Path, checked: dict | None) -> Overlaid:
    """area.yaml's values (CHECKED) with the translation at PATH laid over them, and what it
    leaves out; its value None when it cannot be read (reported)."""
    rel = ctx.rel(path)
    ctx.translation_files.append(rel)
    try:
        raw = load_yaml_file(path, rel)
    except SitegenError as exc:
        ctx.problems.extend(exc.problems)
        return Overlaid(None)
    return overlay_parts(AREA, checked, raw, Where(rel, (1, 1), ""), ctx.problems, "area.yaml")


def _in_page_order(fallbacks: frozenset[str], data: dict) -> frozenset[str]:
    """FALLBACKS (paths in DATA's order) with each priority's place in Area.priorities (newest
    first, as _area_from sorts them) instead of its place in the file."""
    priorities = data.get("priorities") or []
    order = sorted(range(len(priorities)), key=lambda index: priorities[index]["date"], reverse=True)
    place = {str(index): str(at) for at, index in enumerate(order)}
    out = set()
    for path in fallbacks:
        head, _, rest = path.partition(".")
        if head == "priorities":
            index, _, tail = rest.partition(".")
            path = f"priorities.{place.get(index, index)}" + (f".{tail}" if tail else "")
        out.add(path)
    return frozenset(out)


def _feed_at(raw: object, feed: str) -> tuple[int, int]:
    """Where the first 'feed: FEED' of the social links is in area.yaml (RAW as read), or (0, 0)."""
    links = raw.get("social") if isinstance(raw, LocatedDict) else None
    for link in links if isinstance(links, list) else ():
        if isinstance(link, LocatedDict) and link.get("feed") == feed:
            return link.where("feed")
    return (0, 0)


def _load_boundary(ctx: LoadContext, folder: Path):
    """FOLDER/boundary.geojson (which is there), checked (problems go into CTX), or None."""
    path = folder / BOUNDARY_FILE
    return load_boundary(path, ctx.rel(path), ctx.problems)


def _area_from(ctx: LoadContext, slug: str, rel: str, data: dict, news: list[NewsItem]) -> Area:
    events = events_from(slug, data.get("events", []), ctx.host)
    return Area(
        slug=slug, name=data.get("name", slug), source=rel,
        borough=data.get("borough", ""), code=data.get("code", ""),
        population=data.get("population"), summary=data.get("summary", ""),
        places=tuple(data.get("places", ())),
        example=data.get("example", False),
        team=tuple(TeamMember(**m) for m in data.get("team", ())),
        contact=Contact(**data.get("contact", {})),
        priorities=tuple(sorted((Priority(**p) for p in data.get("priorities", ())),
                                key=lambda p: p.date, reverse=True)),
        events=events,
        social=tuple(SocialLink(**s) for s in data.get("social", ())),
        news=tuple(news),
        description=data.get("description", ""),
    )


def load_news(ctx: LoadContext, folder: Path) -> list[NewsItem]:
    """Load FOLDER/news/*.md, newest first."""
    return load_news_versions(ctx, folder)[0]


def load_news_versions(ctx: LoadContext, folder: Path) -> tuple[list[NewsItem], NewsVersions]:
    """Load FOLDER/news/*.md: the stories, newest first, and their translations
    ({code: {slug: (the story in that language, what it leaves out)}}, from news/<story>.<code>.md)."""
    news_folder = folder / "news"
    paths = markdown_files(news_folder, ctx.rel(news_folder))
    found = sort_names([p.name for p in paths], f"{ctx.rel(folder)}/news", ctx.languages, ctx.problems)
    loaded = [(name, _load_news_item(ctx, news_folder / name, folder.name)) for name in found.originals]
    items: dict[str, NewsItem] = {}
    by_file: dict[str, NewsItem] = {}
    # A file named for its slug holds it; a file whose `slug:` takes it comes second and is
    # reported, so the story that made the clash (a pull request's new file) is the one annotated.
    for name, (item, slug_at) in sorted(((n, found) for n, found in loaded if found), key=_slug_claim):
        if item.slug in items:
            line, col = slug_at or (1, 1)
            ctx.problems.add(item.source, line, col, f"news slug '{item.slug}' is already used by "
                             f"{items[item.slug].source}; rename the file or change 'slug:'")
            continue
        items[item.slug] = by_file[name] = item
    versions: NewsVersions = {}
    for code, names in found.translations.items():
        for original, name in sorted(names.items()):
            version = _load_news_translation(ctx, news_folder / name, by_file.get(original), original)
            if version is not None:
                versions.setdefault(code, {})[version[0].slug] = version
    return sorted(items.values(), key=lambda n: (n.date, n.slug), reverse=True), versions


def _load_news_translation(ctx: LoadContext, path: Path, original: NewsItem | None,
                           original_name: str) -> tuple[NewsItem, frozenset[str]] | None:
    """The story ORIGINAL (None: unusable, already reported) translated by the file at
    PATH, with what it leaves out ('title', 'summary'; 'body' when its body is empty), or
    None when either cannot be used (problems go into CTX)."""
    rel = ctx.rel(path)
    ctx.translation_files.append(rel)
    doc = read_translation(path, rel, ctx.problems)
    if doc is None:
        return None
    base = None if original is None else {
        "title": original.title, "date": original.date, "slug": original.slug,
        **({"summary": original.summary} if original.summary else {})}
    overlaid = overlay_parts(NEWS, base, doc.meta, Where(rel, (2, 1), ""), ctx.problems, original_name)
    meta = overlaid.value
    if original is None or meta is None:
        return None
    ctx.survey_markdown(doc.body, doc.body_line, rel, original.url)
    fallbacks = overlaid.fallbacks | ({"body"} if not doc.body.strip() else set())
    return original._replace(title=meta["title"], summary=meta.get("summary", ""), source=rel), fallbacks


def _slug_claim(entry: tuple[str, tuple[NewsItem, Pos | None]]) -> tuple[int, str]:
    """The order in which stories claim their slugs: a file named for it without `slug:`
    first, then one whose name gives it through slugify, then those setting `slug:`;
    each by file name."""
    name, (item, slug_at) = entry
    return (2 if slug_at else 0 if name[:-3] == item.slug else 1), name


def _load_news_item(ctx: LoadContext, path: Path, area_slug: str) -> tuple[NewsItem, Pos | None] | None:
    """The story at PATH and where its `slug:` value is (None: the file name gives the
    slug), or None when it cannot be used (its problems in CTX)."""
    rel = ctx.rel(path)
    doc = read_document(path, rel, ctx.problems)
    if doc is None:
        return None
    meta = NEWS.check(doc.meta, Where(rel, (2, 1), ""), ctx.problems) or {}
    slug = meta.get("slug") or (path.stem if SLUG_RE.match(path.stem) else slugify(path.stem))
    if not slug:
        ctx.problems.add(rel, 0, 0, "the file name gives an empty address; rename it with letters or digits,"
                                    " like 'summer-patrols.md', or set 'slug:'")
        return None
    if "title" not in meta or "date" not in meta:
        return None
    url = f"/areas/{area_slug}/news/{slug}/"
    ctx.survey_markdown(doc.body, doc.body_line, rel, url)
    item = NewsItem(slug=slug, title=meta["title"], date=meta["date"], summary=meta.get("summary", ""),
                    source=rel, area_slug=area_slug)
    given = isinstance(doc.meta, LocatedDict) and "slug" in doc.meta and meta.get("slug")
    return item, (doc.meta.value_where("slug") if isinstance(doc.meta, LocatedDict) and given else None)
