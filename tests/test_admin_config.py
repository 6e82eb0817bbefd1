"""The editors' admin without a browser: admin/config.yml generated from the content
schema (a key added to a schema appears in it), the widgets Decap ships, the admin kept
out of the public site (no link, robots.txt, the sitemap) and `admin: {enabled: false}`."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.admin.config import DECAP_WIDGETS, decap_config, widget_for
from sitegen.config import AdminSettings, SiteConfig
from sitegen.content import areas, pages
from sitegen.content.schema import Bool, Choice, Date, Field, Int, ListOf, Record, Str, Text, Url
from sitegen.model import Site


def site_with_admin() -> Site:
    """A site of no areas whose site.yaml has 'admin: {repo: force/site}' (decap_config reads
    the config and the areas)."""
    config = SiteConfig(root=Path("."), name="Test Police", base_url="https://police.example.org/",
                        admin=AdminSettings(enabled=True, repo="force/site"))
    return Site(config=config, build_date=date.fromisoformat(BUILD_DATE), areas=(), boroughs=(), pages=())


def every_field(fields: list[dict]):
    """Each Decap field in FIELDS and in those nested in it (object and list fields)."""
    for item in fields:
        yield item
        yield from every_field(item.get("fields", []))
        if "field" in item:
            yield from every_field([item["field"]])


@pytest.fixture(scope="module")
def config_yml(example_build: Path) -> dict:
    return yaml.safe_load((example_build / "admin" / "config.yml").read_text())


def test_the_built_config_has_decaps_shape(config_yml):
    assert config_yml["backend"] == {"name": "github", "repo": "example-police/site", "branch": "main",
                                     "squash_merges": True, "base_url": "https://cms-auth.example.police.uk"}
    assert config_yml["publish_mode"] == "editorial_workflow"
    assert config_yml["local_backend"] == {"url": "http://127.0.0.1:8081/api/v1"}
    names = [c["name"] for c in config_yml["collections"]]
    assert names[0] == "areas" and names[-1] == "pages" and "news-alibon" in names
    assert len(names) == len(set(names)) == 17 + 2      # a news collection per ward
    for collection in config_yml["collections"]:
        assert {"name", "label", "folder", "fields"} <= set(collection)
        for field in every_field(collection["fields"]):
            assert {"name", "label", "widget"} <= set(field), field
            assert field["widget"] in DECAP_WIDGETS, field


def test_news_and_pages_write_what_their_schemas_read(config_yml):
    collections = {c["name"]: c for c in config_yml["collections"]}
    news, page = collections["news-alibon"], collections["pages"]
    assert news["folder"] == "content/areas/alibon/news" and news["format"] == "sitegen-frontmatter"
    assert [f["name"] for f in news["fields"]] == [f.name for f in areas.NEWS.fields] + ["body"]
    assert [f["name"] for f in page["fields"]] == [f.name for f in pages.PAGE.fields] + ["body"]
    ward = collections["areas"]
    assert (ward["folder"], ward["path"], ward["format"], ward["create"]) == (
        "content/areas", "{{slug}}/area", "sitegen-yaml", False)
    by_name = {f["name"]: f for f in ward["fields"]}
    assert by_name["name"]["required"] is True and by_name["summary"]["required"] is False
    assert by_name["code"]["widget"] == by_name["police_uk_id"]["widget"] == "hidden"
    priority = {f["name"]: f for f in by_name["priorities"]["fields"]}
    assert priority["action"] == {"name": "action", "label": "Action", "widget": "text", "required": False,
                                  "hint": "What the team did.", "pattern": [
                                      r"^\s*[\s\S]{0,2000}\s*$", "Write at most 2000 characters."]}


def test_a_field_added_to_a_schema_appears_in_the_admin(monkeypatch):
    added = Field("motto", Str(max_len=80), doc="The ward team's motto.")
    monkeypatch.setattr(areas.AREA, "fields", [*areas.AREA.fields, added])
    monkeypatch.setattr(areas.TEAM_MEMBER, "fields", [*areas.TEAM_MEMBER.fields,
                                                      Field("shoulder_number", Int(1, 99999), required=True)])
    config = decap_config(site_with_admin())
    ward = config["collections"][0]["fields"]
    assert ward[-1] == {"name": "motto", "label": "Motto", "widget": "string", "required": False,
                        "hint": "The ward team's motto.",
                        "pattern": [r"^\s*[\s\S]{0,80}\s*$", "Write at most 80 characters."]}
    team = next(f for f in ward if f["name"] == "team")["fields"]
    assert team[-1] == {"name": "shoulder_number", "label": "Shoulder number", "widget": "number",
                        "value_type": "int", "min": 1, "max": 99999, "required": True}


@pytest.mark.parametrize(("kind", "widget"), [
    (Str(), {"widget": "string", "pattern": [r"^\s*[\s\S]{0,200}\s*$", "Write at most 200 characters."]}),
    (Text(), {"widget": "text", "pattern": [r"^\s*[\s\S]{0,5000}\s*$", "Write at most 5000 characters."]}),
    (Int(0), {"widget": "number", "value_type": "int", "min": 0}),
    (Bool(), {"widget": "boolean"}),
    (Date(), {"widget": "datetime", "format": "YYYY-MM-DD", "date_format": "YYYY-MM-DD", "time_format": False}),
    (Choice(("a", "b")), {"widget": "select", "options": ["a", "b"]}),
    (ListOf(Choice(("a", "b")), 2), {"widget": "select", "multiple": True, "options": ["a", "b"], "max": 2}),
    (ListOf(Str(max_len=9), 3), {"widget": "list", "max": 3, "field": {
        "name": "item", "label": "Item", "widget": "string",
        "pattern": [r"^\s*[\s\S]{0,9}\s*$", "Write at most 9 characters."]}}),
    (Record(fields=[Field("x", Bool(), required=True)]),
     {"widget": "object", "fields": [{"name": "x", "label": "X", "widget": "boolean", "required": True}]}),
])
def test_each_kind_has_its_widget(kind, widget):
    assert widget_for(kind) == widget


def test_patterns_are_javascript():
    slug = widget_for(areas.NEWS.fields[3].kind)
    assert slug["widget"] == "string"
    assert re.search(slug["pattern"][0], " summer-patrols ") and not re.search(slug["pattern"][0], "a" * 81)
    assert "\\Z" not in slug["pattern"][0] and slug["pattern"][0].endswith("$")


def test_the_admin_is_published_but_never_linked(example_build: Path):
    admin = example_build / "admin"
    assert (admin / "decap-cms.js").stat().st_size > 1_000_000
    page = (admin / "index.html").read_text()
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert "script-src 'self' 'unsafe-eval';" in page and "https://" not in page.split(
        "<title>")[1]                                    # no script from anywhere but the site
    robots = (example_build / "robots.txt").read_text()
    assert "Disallow: /admin/\n" in robots
    assert "/admin" not in (example_build / "sitemap.xml").read_text()
    for html in example_build.rglob("*.html"):
        if html.parent != admin:
            assert not re.search(r"""(href|src|action)=["'][^"']*/admin\b""", html.read_text()), html


@pytest.mark.parametrize("section", ["", "admin:\n  repo: force/site\n  enabled: false\n"])
def test_no_admin_unless_site_yaml_asks(make_site, section):
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + section)
    out = site.parent / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    assert not (out / "admin").exists()
    assert "admin" not in (out / "robots.txt").read_text()


def test_a_bad_admin_section_is_located(make_site):
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "admin:\n  repo: just-a-name\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert re.search(r"site\.yaml:\d+:\d+: admin\.repo: expected a GitHub repository written owner/name",
                     result.output), result.output


def test_edits_reach_the_admin_on_the_next_build(make_site):
    """site.yaml's admin settings and a ward's name reach config.yml and the page on an
    incremental build (the frame holds site.yaml; config.yml reads every area)."""
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "admin:\n  repo: force/site\n"
                                    "  auth_url: https://auth.police.example\n")
    out, state = site.parent / "out", site.parent / "state"

    def build() -> None:
        result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                         "--state", str(state))
        assert result.exit_code == 0, result.output

    build()
    assert "http://127.0.0.1:8081" in (out / "admin" / "index.html").read_text()
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "  local_port: 9091\n")
    area = site / "content" / "areas" / "north-ward" / "area.yaml"
    area.write_text(area.read_text().replace("name: North Ward", "name: Northern Ward"))
    build()
    assert "http://127.0.0.1:9091" in (out / "admin" / "index.html").read_text()
    config = yaml.safe_load((out / "admin" / "config.yml").read_text())
    assert config["local_backend"]["url"] == "http://127.0.0.1:9091/api/v1"
    assert "News: Northern Ward" in [c["label"] for c in config["collections"]]


def test_check_does_not_need_decaps_files(make_site, monkeypatch, tmp_path):
    """The pre-commit hook installs sitegen without the npm-built vendor folder: check passes;
    only a build that writes the admin needs it, and says what to run."""
    from sitegen.admin import outputs
    monkeypatch.setattr(outputs, "DECAP_DIR", tmp_path / "no-vendor" / "decap")
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text()
                                    + "admin:\n  repo: force/site\n  auth_url: https://auth.police.example\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert "sitegen/theme/vendor/decap/: is missing; run 'make assets'" in result.output, result.output
    assert "Traceback" not in result.output


def test_an_admin_names_its_own_sign_in(make_site):
    """Without auth_url, Decap would send GitHub logins through api.netlify.com: refused, located."""
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "admin:\n  repo: force/site\n")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert re.search(r"site\.yaml:\d+:\d+: admin: has no auth_url; add 'auth_url:' .*docs/deploy\.md",
                     result.output), result.output


def test_the_admins_policy_connects_to_its_sign_in_only(example_build: Path):
    page = (example_build / "admin" / "index.html").read_text()
    connect = re.search(r"connect-src ([^;]*);", page)
    assert connect is not None
    assert connect[1].split() == ["'self'", "https://api.github.com", "https://cms-auth.example.police.uk",
                                  "http://127.0.0.1:8081"]
    assert "netlify" not in page


def schema_kinds(record: Record):
    """Every Str and Url kind in RECORD, through its lists and records."""
    for f in record.fields:
        kind = f.kind.item if isinstance(f.kind, ListOf) else f.kind
        if isinstance(kind, Record):
            yield from schema_kinds(kind)
        elif isinstance(kind, (Str, Url)):
            yield kind


KINDS = [*{id(k): k for r in (areas.AREA, areas.NEWS, pages.PAGE) for k in schema_kinds(r)}.values()]
AROUND = st.sampled_from(["", " ", "  ", "\t", " \u00a0"])


def written_for(kind) -> st.SearchStrategy[str]:
    """Texts an editor might type for KIND: its shape (if any) with white space around, or any
    text near its length limit (one line unless KIND is multiline: a one-line box has no line break)."""
    if isinstance(kind, Url):
        core = st.sampled_from(["https://example.org/", "http://a.b/c?d#e", "https://", "example.org",
                                "/about/", "https://a b/", "ftp://x.org/", "https://x.org/ page"])
    elif kind.pattern is not None:
        core = st.one_of(st.from_regex(kind.pattern, fullmatch=True), st.text(max_size=12))
    else:
        alphabet = st.characters(blacklist_categories=("Cs",))
        core = st.text(alphabet, min_size=max(kind.max_len - 3, 0), max_size=kind.max_len + 3)
        if not kind.multiline:
            core = core.map(lambda t: t.replace("\n", " ").replace("\r", " "))
    return st.tuples(AROUND, core, AROUND).map("".join)


@settings(max_examples=50, deadline=None)
@given(st.data())
def test_what_a_pattern_accepts_check_accepts(data):
    """Each text field's Decap pattern (limits, shapes, URLs) agrees with check, which strips the
    white space around a value first; a URL pattern may be stricter, never looser."""
    from sitegen.content.schema import Where
    from sitegen.errors import Problems
    kind = data.draw(st.sampled_from(KINDS))
    text = data.draw(written_for(kind))
    pattern = widget_for(kind)["pattern"][0]
    problems = Problems()
    checked = kind.check(text, Where("x.yaml", (1, 1), "key"), problems) is not None
    if not text.strip():
        return                                      # an empty box: 'required' decides, not the pattern
    accepted = re.search(pattern, text) is not None
    assert accepted <= checked, (kind, text, pattern)
    if isinstance(kind, Str):
        assert accepted == checked, (kind, text, pattern)


def test_the_markdown_editor_offers_no_heading_1(config_yml):
    for collection in config_yml["collections"]:
        for field in every_field(collection["fields"]):
            if field["widget"] == "markdown":
                assert "heading-one" not in field["buttons"] and "heading-two" in field["buttons"]
