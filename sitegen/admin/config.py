"""admin/config.yml: Decap CMS's configuration, generated from sitegen's content schema.

Each `Field` of the area, news and page schemas becomes a Decap field, its `Kind`
mapped to a Decap widget (see `widget_for`), required or optional as the schema
says, its doc as the hint.  A key added to a schema therefore appears in the admin
with no configuration written by hand.  The result is a plain dict (`decap_config`)
dumped as YAML (`config_yaml`); Decap's documented shape is at
https://decapcms.org/docs/configuration-options/.
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from ..config import SiteConfig
from ..content.areas import AREA, AREAS_DIR, NEWS
from ..content.pages import PAGE, PAGES_DIR
from ..content.schema import Bool, Choice, Date, DateTime, Field, Int, Kind, ListOf, Record, Str, Url
from ..model import Site

# Keys written by the importers (import-wards, import-police-uk) that editors must not change.
HIDDEN = frozenset({"code", "old_code", "police_uk_force", "police_uk_id", "pinned"})
# The widgets Decap CMS ships (decap-cms-app registers these); tests check every generated one is among them.
DECAP_WIDGETS = frozenset({"boolean", "code", "color", "datetime", "file", "hidden", "image", "list", "map",
                           "markdown", "number", "object", "relation", "select", "string", "text"})
# The markdown editor's buttons: no Heading 1 (the title is a page's only level-1 heading, and
# check refuses '# ' in the text), and no image or code block components.
MARKDOWN_BUTTONS = ["bold", "italic", "link", "heading-two", "heading-three", "heading-four", "quote",
                    "bulleted-list", "numbered-list"]
BODY = {"name": "body", "label": "Text", "widget": "markdown", "required": True,
        "buttons": MARKDOWN_BUTTONS, "editor_components": [],
        "hint": "The story or page itself, in Markdown (see docs/editing.md for what is allowed)."}
# Fields whose value names an item of a list best, in this order (the list's summary).
SUMMARY_FIELDS = ("title", "name", "issue", "label")
DATE_FORMAT = "YYYY-MM-DD"
# sitegen's own formats (sitegen/admin/js/admin.mjs): Decap's YAML and front matter, but a
# box the editor cleared leaves its key out rather than writing "", which sitegen refuses.
YAML_FORMAT = "sitegen-yaml"
FRONT_MATTER_FORMAT = "sitegen-frontmatter"
DATETIME_FORMAT = "YYYY-MM-DDTHH:mm"


def label_of(name: str) -> str:
    """'action_date' -> 'Action date': a key as an editor reads it."""
    return name.replace("_", " ").capitalize()


def js_pattern(pattern: re.Pattern) -> str:
    """A Python pattern as a JavaScript RegExp source (\\Z, which JavaScript lacks, becomes $)."""
    return pattern.pattern.replace(r"\Z", "$")


def _spaced(source: str) -> str:
    """SOURCE, a pattern anchored '^...$', also matching with white space around the text
    (check strips it before matching)."""
    inner = source.removeprefix("^").removesuffix("$")
    return rf"^\s*(?:{inner})\s*$"


def text_pattern(kind: Str) -> list[str]:
    """Decap's [pattern, message] for KIND: its length limit (counted without the white space
    around the text, as check counts it) and its shape, if it has one."""
    length = rf"\s*[\s\S]{{0,{kind.max_len}}}\s*$"
    limit = f"at most {kind.max_len} characters"
    if kind.pattern is None:
        return ["^" + length, f"Write {limit}."]
    return [f"^(?={length})" + _spaced(js_pattern(kind.pattern)).removeprefix("^"),
            f"Write {kind.pattern_help}, {limit}."]


def url_pattern(kind: Url) -> list[str]:
    """Decap's [pattern, message] for a Url: http(s), a host, no spaces (and with allow_path
    a site path starting with one '/'), as check reads it."""
    schemes = "|".join(re.escape(s) for s in kind.schemes)
    source = rf"(?:{schemes})://[^\s/?#]+[^\s]*"
    if kind.allow_path:
        source = rf"(?:{source}|/(?!/)[^\s]*)"
    return [_spaced(f"^{source}$"), f"Write {kind.describe()}."]


def widget_for(kind: Kind) -> dict[str, Any]:
    """The Decap widget settings for a value of KIND (without name, label or hint).

    Str: string (text when multiline; a pattern checked as the editor types); Int: number;
    Bool: boolean; Date/DateTime: datetime written as sitegen reads it; Choice: select;
    ListOf(Choice): select with multiple; ListOf(Record): list with fields; ListOf(other):
    list of one field; Record: object.  Any other kind (a new one) is a string, which
    `sitegen check` still checks when the change is proposed."""
    if isinstance(kind, Choice):
        return {"widget": "select", "options": list(kind.options)}
    if isinstance(kind, Str):
        return {"widget": "text" if kind.multiline else "string", "pattern": text_pattern(kind)}
    if isinstance(kind, Url):
        return {"widget": "string", "pattern": url_pattern(kind)}
    if isinstance(kind, Int):
        widget: dict[str, Any] = {"widget": "number", "value_type": "int"}
        widget.update({k: v for k, v in (("min", kind.minimum), ("max", kind.maximum)) if v is not None})
        return widget
    if isinstance(kind, Bool):
        return {"widget": "boolean"}
    if isinstance(kind, Date):
        return {"widget": "datetime", "format": DATE_FORMAT, "date_format": DATE_FORMAT, "time_format": False}
    if isinstance(kind, DateTime) or type(kind).__name__ == "UkDateTime":
        return {"widget": "datetime", "format": DATETIME_FORMAT, "date_format": DATE_FORMAT,
                "time_format": "HH:mm"}
    if isinstance(kind, Record):
        return {"widget": "object", "fields": fields_of(kind)}
    if isinstance(kind, ListOf):
        return _list_widget(kind)
    return {"widget": "string"}


def _list_widget(kind: ListOf) -> dict[str, Any]:
    """A list: of records (a form per item), of choices (several picked) or of one plain field."""
    if isinstance(kind.item, Choice):
        return {"widget": "select", "multiple": True, "options": list(kind.item.options),
                "max": kind.max_items}
    if isinstance(kind.item, Record):
        return {"widget": "list", "fields": fields_of(kind.item), "max": kind.max_items,
                "summary": "{{fields." + summary_field(kind.item) + "}}"}
    return {"widget": "list", "max": kind.max_items,
            "field": {"name": "item", "label": "Item", **widget_for(kind.item)}}


def summary_field(record: Record) -> str:
    """The name of RECORD's field that names an item best in a list's summary: a title or
    name (not an id), else its first required field, else its first."""
    names = [f.name for f in record.fields]
    required = [f.name for f in record.fields if f.required]
    return next((n for n in SUMMARY_FIELDS if n in names), required[0] if required else names[0])


def decap_field(field: Field) -> dict[str, Any]:
    """One schema FIELD as a Decap field: hidden when editors must not change it."""
    if field.name in HIDDEN:
        return {"name": field.name, "label": label_of(field.name), "widget": "hidden", "required": False}
    out: dict[str, Any] = {"name": field.name, "label": label_of(field.name), **widget_for(field.kind),
                           "required": field.required}
    if field.doc:
        out["hint"] = field.doc
    return out


def fields_of(record: Record) -> list[dict[str, Any]]:
    """Every field of RECORD, in the schema's order (the order Decap writes the keys in)."""
    return [decap_field(f) for f in record.fields]


def area_collection() -> dict[str, Any]:
    """Every ward's area.yaml (content/areas/<slug>/area.yaml): edited, never created here
    (`sitegen new-area` or `import-wards` makes a ward)."""
    return {"name": "areas", "label": "Wards", "label_singular": "Ward", "folder": AREAS_DIR,
            "path": "{{slug}}/area", "extension": "yaml", "format": YAML_FORMAT, "create": False,
            "delete": False, "identifier_field": "name", "summary": "{{name}}", "fields": fields_of(AREA)}


def news_collection(slug: str, name: str) -> dict[str, Any]:
    """The news of one ward (content/areas/SLUG/news/*.md): the editor picks the ward by
    picking its collection, so the front matter holds only the NEWS schema's keys."""
    return {"name": f"news-{slug}", "label": f"News: {name}", "label_singular": "News story",
            "folder": f"{AREAS_DIR}/{slug}/news", "extension": "md", "format": FRONT_MATTER_FORMAT,
            "create": True, "slug": "{{slug}}", "identifier_field": "title", "summary": "{{date}} {{title}}",
            "sortable_fields": ["date", "title"], "fields": fields_of(NEWS) + [BODY]}


def pages_collection() -> dict[str, Any]:
    """The site's own pages (content/pages/*.md)."""
    return {"name": "pages", "label": "Site pages", "label_singular": "Page", "folder": PAGES_DIR,
            "extension": "md", "format": FRONT_MATTER_FORMAT, "create": True, "slug": "{{slug}}",
            "identifier_field": "title", "fields": fields_of(PAGE) + [BODY]}


def backend(config: SiteConfig) -> dict[str, Any]:
    """Decap's github backend for site.yaml's admin: repo, branch and OAuth proxy (auth_url)."""
    admin = config.admin
    out: dict[str, Any] = {"name": "github", "repo": admin.repo, "branch": admin.branch,
                           "squash_merges": True}
    if admin.auth_url:
        out["base_url"] = admin.auth_url
    return out


def decap_config(site: Site) -> dict[str, Any]:
    """The whole admin/config.yml for SITE: the github backend with the editorial workflow
    (every change a pull request), decap-server on the laptop, and the collections."""
    config = site.config
    wards = sorted(((a.name, a.slug) for a in site.areas), key=lambda w: (w[0].casefold(), w[1]))
    return {
        "backend": backend(config),
        "local_backend": {"url": f"http://127.0.0.1:{config.admin.local_port}/api/v1"},
        "publish_mode": "editorial_workflow",
        "site_url": config.base_url,
        "display_url": config.base_url,
        "media_folder": "content/media",
        "public_folder": "/media",
        "collections": [area_collection(), *(news_collection(slug, name) for name, slug in wards),
                        pages_collection()],
    }


def config_yaml(site: Site) -> bytes:
    """decap_config(SITE) as YAML (keys in the order written, Unicode kept)."""
    header = "# Made by sitegen build from sitegen's content schema: do not edit (see docs/editing.md).\n"
    body = yaml.safe_dump(decap_config(site), sort_keys=False, allow_unicode=True, width=110)
    return (header + body).encode("utf-8")

