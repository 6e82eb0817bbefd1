"""site.yaml: the typed, validated configuration of one site.

The schema below is the single description of every key: its kind, default and
purpose.  Unknown keys are errors with a did-you-mean hint, and every problem in
the file is reported at once.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .configenv import FORMS_ENDPOINT, preview_label
from .content.markup import ENGINES
from .content.schema import Bool, Choice, Colour, Field, Int, Kind, ListOf, Phone, Record, Str, Url, Where
from .content.yamlsource import LocatedDict, LocatedList, load_yaml_file
from .errors import Problem, Problems, SitegenError

if TYPE_CHECKING:
    from .content.translations import Overlaid
    from .i18n import Language

SITE_FILE = "site.yaml"
DEFAULT_LANGUAGE = "en-GB"
# The first segment of the site's own addresses: no language's path may take one.
SITE_PATHS = frozenset({"areas", "boroughs", "forms", "find", "report", "submit", "assets", "media",
                        "feeds", "admin", "404.html", "sitemap.xml", "robots.txt"})
PATH_SEGMENT = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


class LanguageTag(Str):
    """A BCP 47 language tag Babel has the locale data of ('en', 'cy', 'en-GB')."""

    def __init__(self) -> None:
        super().__init__(max_len=35)

    def check(self, value, where, problems):
        text = super().check(value, where, problems)
        if text is None:
            return None
        from babel import Locale, UnknownLocaleError
        try:
            Locale.parse(text, sep="-")
        except (ValueError, UnknownLocaleError):
            return where.report(problems, f"'{text}' is not a language tag sitegen knows; write a BCP 47 tag"
                                          " like 'en', 'cy' or 'en-GB'")
        return text


class LanguagePaths(Kind):
    """A mapping of language tag -> the path segment of its pages ({cy: cy})."""

    def describe(self) -> str:
        return "a mapping of language tag to path"

    def advice(self, value: Any) -> str:
        return "write each language on its own line below the key, like 'cy: cy'"

    def check(self, value, where, problems):
        if not isinstance(value, dict):
            return self.wrong(value, where, problems)
        located = value if isinstance(value, LocatedDict) else None
        out = {}
        for key, path in value.items():
            spot = where.child(str(key), located.value_where(key) if located is not None else where.pos)
            text = Str(max_len=20).check(path, spot, problems)
            if text is None:
                continue
            if not PATH_SEGMENT.match(text):
                spot.report(problems, f"'{text}' is not a path of one part; write lower-case letters, digits"
                                      " and hyphens, like 'cy'")
                continue
            out[str(key)] = text
        return out

LINK = Record(name="link", fields=[
    Field("title", Str(max_len=80), required=True, doc="Link text.", translatable=True),
    Field("url", Url(allow_path=True), required=True, doc="Where it goes: a site path or a full URL."),
    Field("description", Str(max_len=300), doc="One sentence under the link.", translatable=True),
])

FEEDS = Record(name="feeds", fields=[
    Field("allow_private_hosts", Bool(),
          doc="Allow feeds on loopback and private addresses (tests, previews)."),
    Field("cache_dir", Str(), doc="Where fetched feeds are cached (default .cache/feeds)."),
    Field("concurrency", Int(1, 256), doc="Feeds fetched at once (default 16)."),
    Field("per_host", Int(1, 64), doc="Feeds fetched at once from one host (default 4)."),
    Field("connect_timeout", Int(1, 120), doc="Seconds to wait for a connection (default 5)."),
    Field("read_timeout", Int(1, 300), doc="Seconds to wait for data (default 10)."),
    Field("max_bytes", Int(1024), doc="Largest feed accepted, in bytes (default 2 MB)."),
    Field("max_redirects", Int(0, 10), doc="Redirects followed (default 3)."),
    Field("max_entries", Int(1, 50), doc="Newest posts kept per feed (default 5)."),
    Field("stale_after_days", Int(1, 365),
          doc="Mark a feed as possibly out of date after this many days (default 14)."),
])

HEADER_RULE = Record(name="header rule", fields=[
    Field("glob", Str(), required=True, doc="Paths this rule applies to, like 'assets/*' or '*.html'."),
    Field("cache_control", Str(), doc="Cache-Control header value."),
    Field("content_type", Str(), doc="Content-Type header value."),
])

PUBLISH = Record(name="publish", fields=[
    Field("bucket", Str(max_len=63), doc="S3 bucket name."),
    Field("prefix", Str(), doc="Key prefix inside the bucket."),
    Field("region", Str(), doc="AWS region."),
    Field("distribution_id", Str(), doc="CloudFront distribution to invalidate."),
    Field("max_deletes", Int(0), doc="Refuse to delete more keys than this (default: a tenth of the published"
                                     " objects, at least 10; see docs/deploy.md)."),
    Field("invalidation_wildcard_over", Int(1),
          doc="Invalidate '/*' when more paths than this changed (default 100)."),
    Field("headers", ListOf(HEADER_RULE), doc="Header overrides by glob."),
])

def _same_origin_script(analytics: dict, where: Where, problems: Problems) -> None:
    script = analytics.get("script", "")
    if script and not script.startswith("/"):
        where.report(problems, "script must be a path on this site, like '/stats/script.js': pages make no "
                               "requests to other sites (proxy the analytics service under your own address)")


INTAKE = Record(name="intake", fields=[
    Field("bucket", Str(max_len=63), doc="S3 bucket the form receiver stores submissions in."),
    Field("prefix", Str(), doc="Key prefix for submissions inside the bucket."),
    Field("region", Str(), doc="AWS region of the bucket."),
    Field("kms_key_id", Str(max_len=2048),
          doc="Encrypt submissions with this KMS key (SSE-KMS); default SSE-S3."),
    Field("site_url", Url(), doc="Where the receiver sends people back to (default base_url)."),
    Field("allowed_origin", Url(), doc="The one origin given CORS headers (default: site_url's origin)."),
    Field("max_body_bytes", Int(1024, 10 * 1024 * 1024), doc="Largest submission in bytes (default 262144)."),
    Field("rate_per_minute", Int(0, 100000),
          doc="Submissions a minute per client address; 0: no limit (default 30)."),
    Field("rate_burst", Int(1, 10000), doc="Submissions a client may send at once (default 10)."),
    Field("schemas", Str(max_len=1000), doc="Folder of <form>/schema.json files (default build/forms)."),
    Field("retries", Int(0, 10), doc="Extra attempts at each S3 request before answering 503 (default 3)."),
])


def _own_sign_in(admin: dict, where: Where, problems: Problems) -> None:
    """An enabled admin names the OAuth proxy it signs in through: without one, Decap sends
    GitHub logins through api.netlify.com, a third party."""
    if admin.get("enabled", True) and not admin.get("auth_url"):
        where.report(problems, "has no auth_url; add 'auth_url:' with the address of your GitHub sign-in"
                               " proxy, like 'https://auth.example.police.uk' (docs/deploy.md, 'The editors'"
                               " admin', says how to run it), or 'enabled: false'")


ADMIN = Record(name="admin", rules=[_own_sign_in], fields=[
    Field("enabled", Bool(), doc="false builds no admin (default true when this section is there)."),
    Field("repo", Str(max_len=140, pattern=re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+\Z"),
                      pattern_help="a GitHub repository written owner/name", example="example-police/site"),
          required=True, doc="The GitHub repository the admin proposes changes to."),
    Field("branch", Str(max_len=100), doc="The branch the site is published from (default main)."),
    Field("auth_url", Url(), doc="The OAuth proxy the admin signs in through (see docs/deploy.md);"
                                 " required unless enabled is false."),
    Field("local_port", Int(1024, 65535), doc="The port of decap-server for make serve (default 8081)."),
])

SITE = Record(name="site.yaml", fields=[
    Field("name", Str(max_len=80), required=True, doc="The force or site name, shown in the header.",
          translatable=True),
    Field("base_url", Url(), required=True, doc="Public address of the site; canonical URLs start here."),
    Field("language", LanguageTag(), doc="Language tag of the pages of a one-language site (default en-GB);"
                                         " a site of several languages names them in 'languages' instead."),
    Field("languages", ListOf(LanguageTag(), max_items=20),
          doc="The site's languages as BCP 47 tags, the first the default, like [en, cy]: every page is"
              " made in each, the others under their own path (/cy/...)."),
    Field("language_paths", LanguagePaths(),
          doc="The path of each language but the default, like {cy: cy} (default: the language"
              " subtag, lower-cased)."),
    Field("required_languages", ListOf(LanguageTag(), max_items=20),
          doc="Languages whose translations must be complete: check reports what is missing as errors."),
    Field("description", Str(max_len=300),
          doc="One sentence about the site, for the home page and search engines.", translatable=True),
    Field("colours", Record(name="colours", fields=[
        Field("brand", Colour, doc="Header and brand colour."),
        Field("link", Colour, doc="Link colour."),
    ]), doc="The force's colours (must keep 4.5:1 contrast with white)."),
    Field("example", Bool(),
          doc="true marks the whole site as example content, with a notice on every page (default false)."),
    Field("phone", Record(name="phone", fields=[
        Field("emergency", Phone, doc="Emergency number (default 999)."),
        Field("non_emergency", Phone, doc="Non-emergency number (default 101)."),
        Field("textphone", Phone,
              doc="Relay UK emergency number for deaf, hard of hearing or speech-impaired people"
                  " (default 18000: the text relay for 999)."),
        Field("textphone_non_emergency", Phone,
              doc="Relay UK non-emergency number (default 18001 followed by the non-emergency"
                  " number: 18001 101)."),
    ]), doc="Numbers shown on every page."),
    Field("report_actions", ListOf(LINK, max_items=12),
          doc="The ways to report, shown on the home and ward pages."),
    Field("services", ListOf(LINK, max_items=40), doc="Other services, shown on the home page."),
    Field("footer_links", ListOf(LINK, max_items=20), doc="Links in the footer (accessibility, privacy...)."),
    Field("forms", Record(name="forms", fields=[
        Field("endpoint", Url(), doc="Default address forms are submitted to."),
    ]), doc="Form settings."),
    Field("analytics", Record(name="analytics", rules=[_same_origin_script], fields=[
        Field("script", Url(allow_path=True), required=True,
              doc="A cookie-less analytics script served from this "
                  "site's own address, like '/stats/script.js'."),
    ]), doc="Off unless set. See docs/privacy.md for the privacy-preserving set-up."),
    Field("markdown", Choice(ENGINES), doc="Markdown engine: commonmark (default, fast) or python-markdown."),
    Field("feeds", FEEDS, doc="Social and news feed settings."),
    Field("publish", PUBLISH, doc="Publishing settings."),
    Field("intake", INTAKE,
          doc="The form receiver (sitegen intake serve, the Lambda handler): see docs/intake.md."),
    Field("admin", ADMIN, doc="The editors' admin at /admin/ (Decap CMS): see docs/editing.md."),
])


@dataclass(frozen=True)
class Link:
    """A titled link with an optional description."""

    title: str
    url: str
    description: str = ""


@dataclass(frozen=True)
class FeedSettings:
    """How feeds are fetched and shown."""

    allow_private_hosts: bool = False
    cache_dir: str = ".cache/feeds"
    concurrency: int = 16
    per_host: int = 4
    connect_timeout: int = 5
    read_timeout: int = 10
    max_bytes: int = 2 * 1024 * 1024
    max_redirects: int = 3
    max_entries: int = 5
    stale_after_days: int = 14


@dataclass(frozen=True)
class PublishSettings:
    """Defaults for `sitegen publish` (command-line flags win)."""

    bucket: str = ""
    prefix: str = ""
    region: str = ""
    distribution_id: str = ""
    max_deletes: int | None = None     # None: relative to the published site (sitegen/publish/publisher.py)
    invalidation_wildcard_over: int = 100
    headers: tuple[dict, ...] = ()


@dataclass(frozen=True)
class AdminSettings:
    """The editors' admin (sitegen/admin/): published only when site.yaml has `admin:`."""

    enabled: bool = False
    repo: str = ""
    branch: str = "main"
    auth_url: str = ""
    local_port: int = 8081


@dataclass(frozen=True)
class SiteConfig:
    """The validated contents of site.yaml, plus where the site lives."""

    root: Path
    name: str
    base_url: str
    language: str = DEFAULT_LANGUAGE   # the default language's tag
    # Every language, the default first (i18n.Language); () is read as (language,) alone.
    languages: tuple[Language, ...] = ()
    required_languages: tuple[str, ...] = ()
    description: str = ""
    brand_colour: str = "#1d70b8"
    link_colour: str = "#1d70b8"
    emergency: str = "999"
    non_emergency: str = "101"
    textphone: str = "18000"
    textphone_non_emergency: str = "18001 101"
    example: bool = False
    report_actions: tuple[Link, ...] = ()
    services: tuple[Link, ...] = ()
    footer_links: tuple[Link, ...] = ()
    forms_endpoint: str = ""
    preview: str = ""   # a preview build's label (configenv.preview_label); '' for the live site
    markdown: str = "commonmark"
    analytics_script: str = ""
    feeds: FeedSettings = field(default_factory=FeedSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)
    admin: AdminSettings = field(default_factory=AdminSettings)
    raw: dict = field(default_factory=dict, compare=False, repr=False)
    # tag -> site.yaml with site.<tag>.yaml laid over it (content/translations.overlay), for in_language
    texts: dict[str, dict] = field(default_factory=dict, compare=False, repr=False)
    # tag -> the words site.<tag>.yaml leaves out (content/translations.Overlaid.fallbacks), for `check`
    text_fallbacks: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.languages:
            from .i18n import Language
            object.__setattr__(self, "languages", (Language(self.language, ""),))

    @property
    def translated(self) -> bool:
        """Whether these texts (in_language's) are the language's own: the default's, or another's
        that site.<code>.yaml gives.  outputs.pages.written_lang asks, as of any record, so a
        template marks site.yaml's words as a record's: `site | lang_of("name")`."""
        return self.language == self.languages[0].code or self.language in self.texts

    @property
    def fallbacks(self) -> frozenset[str]:
        """The paths of the words site.<code>.yaml leaves out ('description', 'footer_links.0.title'),
        shown in the default language's words (written_lang marks them)."""
        return self.text_fallbacks.get(self.language, frozenset())

    @property
    def multilingual(self) -> bool:
        """Whether the site has more than one language (a one-language site shows no switcher)."""
        return len(self.languages) > 1

    def in_language(self, code: str) -> SiteConfig:
        """This configuration as the pages in the language CODE show it: `language` is CODE,
        and the name, description and links' words of site.<code>.yaml are over site.yaml's."""
        texts = self.texts.get(code)
        if texts is None:
            return replace(self, language=code)
        return replace(self, language=code, name=texts["name"], description=texts.get("description", ""),
                       report_actions=_links(texts.get("report_actions")),
                       services=_links(texts.get("services")), footer_links=_links(texts.get("footer_links")))

    def url(self, path: str) -> str:
        """The absolute URL of a site path like '/areas/abbey/'."""
        return self.base_url.rstrip("/") + "/" + path.lstrip("/")


def load_config(root: Path) -> SiteConfig:
    """Read and validate ROOT/site.yaml; raise SitegenError with every problem."""
    path = root / SITE_FILE
    if not path.is_file():
        raise SitegenError([Problem(SITE_FILE, 0, 0,
                                    f"not found in {root}; run sitegen in the folder that holds site.yaml,"
                                    " or pass --site DIR")])
    problems = Problems()
    raw = load_yaml_file(path, SITE_FILE)
    data = SITE.check(raw, Where(SITE_FILE, (1, 1), ""), problems) or {}
    languages = _languages(raw, data, root, problems)
    overlaid = _site_texts(root, data, [code for code, _ in languages[1:]], problems)
    problems.raise_if_any()
    config = _build_config(root, data, languages, {tag: found.value for tag, found in overlaid.items()})
    return replace(config, text_fallbacks={tag: found.fallbacks for tag, found in overlaid.items()})


def _at(raw: Any, key: str, inner: str = "") -> Where:
    """Where the value of KEY (or of its key INNER) sits in site.yaml (RAW: the file as parsed)."""
    pos = raw.value_where(key) if isinstance(raw, LocatedDict) and key in raw else (1, 1)
    nested = raw.get(key) if isinstance(raw, LocatedDict) else None
    if inner and isinstance(nested, LocatedDict) and inner in nested:
        return Where(SITE_FILE, nested.value_where(inner), f"{key}.{inner}")
    return Where(SITE_FILE, pos, key)


def _languages(raw: Any, data: dict, root: Path, problems: Problems) -> list[tuple[str, str]]:
    """(tag, path) of each of the site's languages, the default first with path ''; the
    problems of 'language', 'languages', 'language_paths' and 'required_languages' into PROBLEMS."""
    if "language" in data and "languages" in data:
        _at(raw, "language").report(problems, "is given with 'languages'; keep one: 'languages: [en, cy]'"
                                              " for several languages, or 'language' alone for one")
    tags = data.get("languages") or [data.get("language", DEFAULT_LANGUAGE)]
    paths = data.get("language_paths", {})
    found: list[tuple[str, str]] = []
    for index, tag in enumerate(tags):
        path = "" if index == 0 else paths.get(tag) or _language_subtag(tag)
        if any(tag.casefold() == other.casefold() for other, _ in found):
            _item(raw, "languages", index).report(problems, f"names '{tag}' twice; name each language once")
            continue
        if path and (path in SITE_PATHS or (root / "content" / "pages" / f"{path}.md").exists()):
            where = _at(raw, "language_paths", tag) if tag in paths else _at(raw, "languages")
            where.report(problems, f"the pages in '{tag}' would be under /{path}/, which is one of the site's"
                                   f" own addresses; give '{tag}' another path in language_paths")
        elif path and any(path == other for _, other in found):
            _at(raw, "language_paths").report(problems, f"two languages have the path '{path}'; give each"
                                                        " its own in language_paths")
        found.append((tag, path))
    for tag in paths:
        if tag not in tags[1:]:
            _at(raw, "language_paths").report(
                problems, f"names '{tag}', which is not one of 'languages' but the first (the default"
                          " language has no path); remove it, or add the language to 'languages'")
    for index, tag in enumerate(data.get("required_languages", ())):
        if tag not in tags:
            _item(raw, "required_languages", index).report(
                problems, f"names '{tag}', which is not in 'languages'; add it there, or remove it here")
    return found or [(DEFAULT_LANGUAGE, "")]


def _item(raw: Any, key: str, index: int) -> Where:
    """Where item INDEX of the list KEY sits in site.yaml (RAW: the file as parsed)."""
    where = _at(raw, key)
    items = raw.get(key) if isinstance(raw, LocatedDict) else None
    return where.item(index, items.where(index) if isinstance(items, LocatedList) else where.pos)


def _language_subtag(tag: str) -> str:
    """The language subtag of TAG, lower-cased: 'cy' for 'cy-GB'."""
    return tag.split("-")[0].lower()


def _site_texts(root: Path, data: dict, others: list[str], problems: Problems) -> dict[str, Overlaid]:
    """Tag -> site.yaml's DATA with site.<tag>.yaml laid over it, for each language of OTHERS
    that has one (the rules of content/translations.py: the words translated, the rest as in
    site.yaml); a site.<tag>.yaml of no language of the site, or that breaks the rules, into
    PROBLEMS.  Each with what it leaves out (Overlaid)."""
    from .content.translations import overlay_parts
    texts = {}
    for path in sorted(root.glob("site.*.yaml")):
        tag, name = path.name[len("site."):-len(".yaml")], path.name
        if tag not in others:
            known = ", ".join(others) or "none: the site has one language"
            problems.add(name, 1, 1, f"is for the language '{tag}', which is not one of the site's other"
                                     f" languages ({known}); add it to 'languages' in site.yaml, or"
                                     " rename or remove the file")
            continue
        raw = load_yaml_file(path, name)
        merged = overlay_parts(SITE, data or None, raw if raw is not None else {}, Where(name, (1, 1), ""),
                               problems, SITE_FILE)
        if merged.value is not None:
            texts[tag] = merged
    return texts


def _language_values(languages: list[tuple[str, str]]) -> tuple[Language, ...]:
    """The i18n.Language of each (tag, path) of LANGUAGES; () for none (SiteConfig fills in)."""
    from .i18n import Language
    return tuple(Language(tag, path) for tag, path in languages)


def _links(items: Any) -> tuple[Link, ...]:
    return tuple(Link(i["title"], i["url"], i.get("description", "")) for i in items or ())


def _build_config(root: Path, data: dict, languages: list[tuple[str, str]] | None = None,
                  texts: dict[str, dict] | None = None) -> SiteConfig:
    colours = data.get("colours", {})
    phone = data.get("phone", {})
    publish = dict(data.get("publish", {}))
    publish["headers"] = tuple(publish.get("headers", ()))
    preview = preview_label()
    return SiteConfig(
        root=root,
        name=data["name"],
        base_url=data["base_url"].rstrip("/") + "/",
        language=(languages or [(data.get("language", DEFAULT_LANGUAGE), "")])[0][0],
        languages=_language_values(languages or []),
        required_languages=tuple(data.get("required_languages", ())),
        texts=texts or {},
        description=data.get("description", ""),
        brand_colour=colours.get("brand", "#1d70b8"),
        link_colour=colours.get("link", "#1d70b8"),
        emergency=phone.get("emergency", "999"),
        non_emergency=phone.get("non_emergency", "101"),
        textphone=phone.get("textphone", "18000"),
        textphone_non_emergency=phone.get("textphone_non_emergency",
                                          "18001 " + phone.get("non_emergency", "101")),
        example=data.get("example", False),
        report_actions=_links(data.get("report_actions")),
        services=_links(data.get("services")),
        footer_links=_links(data.get("footer_links")),
        # A preview posts only where SITEGEN_FORMS_ENDPOINT says, else to its own site (where no
        # receiver runs): never to the live receiver, so trying a form on a preview reports nothing.
        forms_endpoint=os.environ.get(FORMS_ENDPOINT) or ("" if preview else
                                                          data.get("forms", {}).get("endpoint", "")),
        preview=preview,
        markdown=data.get("markdown", "commonmark"),
        analytics_script=data.get("analytics", {}).get("script", ""),
        feeds=FeedSettings(**data.get("feeds", {})),
        publish=PublishSettings(**publish),
        admin=AdminSettings(**{"enabled": True, **data["admin"]}) if "admin" in data else AdminSettings(),
        raw=data,
    )
