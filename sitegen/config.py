"""site.yaml: the typed, validated configuration of one site.

The schema below is the single description of every key: its kind, default and
purpose.  Unknown keys are errors with a did-you-mean hint, and every problem in
the file is reported at once.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .configenv import FORMS_ENDPOINT, preview_label
from .content.markup import ENGINES
from .content.schema import Bool, Choice, Colour, Field, Int, ListOf, Phone, Record, Str, Url, Where
from .content.yamlsource import load_yaml_file
from .errors import Problem, Problems, SitegenError

SITE_FILE = "site.yaml"

LINK = Record(name="link", fields=[
    Field("title", Str(max_len=80), required=True, doc="Link text."),
    Field("url", Url(allow_path=True), required=True, doc="Where it goes: a site path or a full URL."),
    Field("description", Str(max_len=300), doc="One sentence under the link."),
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

SITE = Record(name="site.yaml", fields=[
    Field("name", Str(max_len=80), required=True, doc="The force or site name, shown in the header."),
    Field("base_url", Url(), required=True, doc="Public address of the site; canonical URLs start here."),
    Field("language", Str(max_len=10), doc="Language tag of the pages (default en-GB)."),
    Field("description", Str(max_len=300),
          doc="One sentence about the site, for the home page and search engines."),
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
class SiteConfig:
    """The validated contents of site.yaml, plus where the site lives."""

    root: Path
    name: str
    base_url: str
    language: str = "en-GB"
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
    raw: dict = field(default_factory=dict, compare=False, repr=False)

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
    data = SITE.check(load_yaml_file(path, SITE_FILE), Where(SITE_FILE, (1, 1), ""), problems)
    problems.raise_if_any()
    return _build_config(root, data or {})


def _links(items: Any) -> tuple[Link, ...]:
    return tuple(Link(i["title"], i["url"], i.get("description", "")) for i in items or ())


def _build_config(root: Path, data: dict) -> SiteConfig:
    colours = data.get("colours", {})
    phone = data.get("phone", {})
    publish = dict(data.get("publish", {}))
    publish["headers"] = tuple(publish.get("headers", ()))
    preview = preview_label()
    return SiteConfig(
        root=root,
        name=data["name"],
        base_url=data["base_url"].rstrip("/") + "/",
        language=data.get("language", "en-GB"),
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
        raw=data,
    )
