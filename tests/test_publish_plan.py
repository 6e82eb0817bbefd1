"""Pure tests of the publish plan, the header table, the state record and the
delete batching: no network, no files."""
from __future__ import annotations

import io

import pytest

from sitegen.publish.apply import DELETE_BATCH, delete_batches
from sitegen.publish.headers import HOUR, IMMUTABLE, SHORT, Headers, headers_for, is_fingerprinted
from sitegen.publish.local import LocalFile
from sitegen.publish.plan import (
    ASSETS,
    CONTENT_CHANGED,
    HEADERS_CHANGED,
    HTML,
    NEW,
    OTHER,
    SITEMAP,
    WILDCARD,
    RemoteObject,
    group_of,
    invalidation_paths,
    make_plan,
    page_urls,
    remote_md5,
)
from sitegen.publish.report import BarReporter, Reporter, plan_lines, reporter_for
from sitegen.publish.state import Entry, decode, encode

MD5_A = "0cc175b9c0f1b6a831c399e269772661"
MD5_B = "92eb5ffee6ae2fec3ad71c777531578f"


def local(path: str, md5: str = MD5_A, size: int = 1, rules=()) -> LocalFile:
    return LocalFile(path, size, md5, headers_for(path, rules))


def remote(path: str, md5: str = MD5_A, size: int = 1, etag: str | None = None, known: bool = True,
           headers: Headers | None = None) -> RemoteObject:
    return RemoteObject(path, size, etag or md5, md5 if known else None,
                        headers or (headers_for(path) if known else None))


# --- headers -----------------------------------------------------------------

@pytest.mark.parametrize("path, content_type", [
    ("index.html", "text/html; charset=utf-8"),
    ("areas/abbey/feed.xml", "application/atom+xml; charset=utf-8"),
    ("sitemap.xml", "application/xml; charset=utf-8"),
    ("areas/abbey/events.ics", "text/calendar; charset=utf-8"),
    ("forms/report-crime/schema.json", "application/json; charset=utf-8"),
    ("assets/site.0123456789.css", "text/css; charset=utf-8"),
    ("assets/govuk.0123456789.js", "text/javascript; charset=utf-8"),
    ("assets/logo.0123456789.svg", "image/svg+xml; charset=utf-8"),
    ("site.webmanifest", "application/manifest+json; charset=utf-8"),
    ("assets/font.0123456789.woff2", "font/woff2"),
    ("media/a.png", "image/png"), ("media/b.JPG", "image/jpeg"), ("media/c.webp", "image/webp"),
    ("favicon.ico", "image/x-icon"), ("robots.txt", "text/plain; charset=utf-8"),
    ("areas/abbey/map.geojson", "application/geo+json; charset=utf-8"),
    ("mystery", "application/octet-stream"),
])
def test_content_type_comes_from_the_one_table(path, content_type):
    assert headers_for(path).content_type == content_type


@pytest.mark.parametrize("path, cache_control", [
    ("assets/site.0123456789.css", IMMUTABLE),
    ("assets/images/logo.abcdef0123.png", IMMUTABLE),
    ("index.html", SHORT),
    ("areas/abbey/feed.xml", SHORT),
    ("areas/abbey/events.ics", SHORT),
    ("sitemap.xml", SHORT),
    ("assets/site.css", HOUR),                 # not fingerprinted
    ("assets/site.0123456789a.css", HOUR),     # 11 characters: not a fingerprint
    ("media/site.0123456789.css", HOUR),       # outside assets/
    ("media/photo.jpg", HOUR),
])
def test_cache_control_immutable_only_for_fingerprinted_assets(path, cache_control):
    assert headers_for(path).cache_control == cache_control


def test_html_and_feeds_revalidate_in_the_background():
    assert "stale-while-revalidate" in SHORT and "max-age=300" in SHORT
    assert "immutable" in IMMUTABLE


def test_fingerprint_is_ten_hex_characters_under_assets():
    assert is_fingerprinted("assets/govuk-frontend.min.0a1b2c3d4e.css")
    assert not is_fingerprinted("assets/govuk-frontend.min.css")
    assert not is_fingerprinted("assets/site.0a1b2c3d4g.css")


def test_site_rules_override_by_glob_and_later_rules_win():
    rules = ({"glob": "*.html", "cache_control": "no-cache"},
             {"glob": "/areas/*/index.html", "cache_control": "max-age=60"},
             {"glob": "*.xml", "content_type": "text/xml"})
    assert headers_for("404.html", rules) == Headers("text/html; charset=utf-8", "no-cache")
    assert headers_for("areas/a/index.html", rules).cache_control == "max-age=60"
    assert headers_for("sitemap.xml", rules) == Headers("text/xml", SHORT)


# --- comparing ------------------------------------------------------------------

def test_remote_md5_trusts_a_plain_etag_but_not_a_multipart_one():
    assert remote_md5(RemoteObject("a", 1, MD5_A)) == MD5_A
    assert remote_md5(RemoteObject("a", 1, MD5_B + "-3")) is None
    assert remote_md5(RemoteObject("a", 1, MD5_B + "-3", md5=MD5_A)) == MD5_A


def test_plan_reasons_new_content_headers():
    files = [local("index.html"), local("a/index.html", MD5_B), local("b/index.html"), local("c/index.html"),
             local("d/index.html")]
    objects = {"a/index.html": remote("a/index.html"),
               "b/index.html": remote("b/index.html", headers=Headers("text/html", SHORT)),
               "c/index.html": remote("c/index.html"),
               "d/index.html": remote("d/index.html", size=2)}
    plan = make_plan(files, objects)
    reasons = {u.path: u.reason for u in plan.uploads}
    assert reasons == {"index.html": NEW, "a/index.html": CONTENT_CHANGED, "b/index.html": HEADERS_CHANGED,
                       "d/index.html": CONTENT_CHANGED}
    assert plan.unchanged == ("c/index.html",)
    assert plan.deletes == ()


def test_same_bytes_same_headers_is_unchanged_whatever_else():
    plan = make_plan([local("index.html")], {"index.html": remote("index.html")})
    assert plan.is_empty and plan.unchanged == ("index.html",)


def test_multipart_object_compared_by_its_recorded_md5():
    file = local("big.pdf", size=10_000_000)
    same = RemoteObject("big.pdf", 10_000_000, MD5_B + "-2", MD5_A, file.headers)
    unknown = RemoteObject("big.pdf", 10_000_000, MD5_B + "-2", None, file.headers)
    assert make_plan([file], {"big.pdf": same}).is_empty
    assert make_plan([file], {"big.pdf": unknown}).uploads[0].reason == CONTENT_CHANGED


def test_unknown_headers_are_re_uploaded():
    plan = make_plan([local("index.html")], {"index.html": remote("index.html", known=False)})
    assert plan.uploads[0].reason == HEADERS_CHANGED


def test_uploads_ordered_assets_other_html_sitemap():
    files = [local(p) for p in ("sitemap.xml", "index.html", "areas/a/feed.xml", "assets/s.0123456789.css",
                                "areas/a/index.html", "robots.txt", "assets/logo.png")]
    plan = make_plan(files, {})
    assert [u.path for u in plan.uploads] == ["assets/s.0123456789.css", "areas/a/feed.xml", "assets/logo.png",
                                              "robots.txt", "areas/a/index.html", "index.html", "sitemap.xml"]
    assert [n for n, _ in plan.groups()] == [ASSETS, OTHER, HTML, SITEMAP]


def test_deletes_pages_first_assets_last():
    objects = {p: remote(p) for p in ("assets/s.0123456789.css", "old/index.html", "old/feed.xml",
                                      "index.html")}
    plan = make_plan([local("index.html")], objects)
    assert plan.deletes == ("old/index.html", "old/feed.xml", "assets/s.0123456789.css")


def test_group_of():
    assert group_of("sitemap.xml") == SITEMAP
    assert group_of("areas/sitemap.xml") == OTHER
    assert group_of("404.html") == HTML
    assert group_of("assets/a.0123456789.js") == ASSETS


# --- invalidation ---------------------------------------------------------------

def test_page_urls():
    assert page_urls("index.html") == ["/", "/index.html"]
    assert page_urls("areas/a/index.html") == ["/areas/a/", "/areas/a/index.html"]
    assert page_urls("404.html") == ["/404.html"]
    assert page_urls("areas/st john's/index.html")[0] == "/areas/st%20john%27s/"


def test_invalidates_changed_and_deleted_pages_only():
    files = [local("index.html", MD5_B), local("new/index.html"), local("a/feed.xml", MD5_B),
             local("assets/s.0123456789.css"), local("same/index.html")]
    objects = {p: remote(p) for p in ("index.html", "a/feed.xml", "gone/index.html", "same/index.html")}
    plan = make_plan(files, objects)
    assert invalidation_paths(plan, 100) == ["/", "/gone/", "/gone/index.html", "/index.html"]


def test_invalidation_collapses_to_a_wildcard_above_the_limit():
    files = [local(f"a{i}/index.html", MD5_B) for i in range(3)]
    plan = make_plan(files, {f.path: remote(f.path) for f in files})
    assert len(invalidation_paths(plan, 6)) == 6
    assert invalidation_paths(plan, 5) == [WILDCARD]


def test_nothing_to_invalidate_when_nothing_changed():
    plan = make_plan([local("index.html")], {"index.html": remote("index.html")})
    assert invalidation_paths(plan, 100) == []


# --- deletes, state, report -------------------------------------------------------

def test_delete_batches_hold_at_most_1000_keys_and_never_mix_groups():
    paths = [f"p{i}/index.html" for i in range(2500)] + ["old/feed.xml", "assets/a.0123456789.css"]
    batches = delete_batches(paths)
    assert [len(b) for b in batches] == [DELETE_BATCH, DELETE_BATCH, 500, 1, 1]
    assert sum(batches, []) == paths


def test_state_round_trip_and_bad_state_is_empty():
    state = {"index.html": Entry("etag-1", MD5_A, headers_for("index.html"))}
    assert decode(encode(state)) == state
    assert encode(state) == encode(dict(state))
    for bad in (b"", b"not json", b"[]", b'{"format": 99, "objects": {}}', b'{"format": 1, "objects": {"a": 1}}'):
        assert decode(bad) == {}


def test_plan_lines_show_every_action_in_order():
    plan = make_plan([local("index.html", MD5_B), local("assets/s.0123456789.css")],
                     {"index.html": remote("index.html"), "old.html": remote("old.html")})
    text = "\n".join(plan_lines(plan, ["/index.html"], "s3://b/"))
    assert text.index("assets/s.0123456789.css  (new)") < text.index("index.html  (content changed)") \
        < text.index("delete  old.html") < text.index("invalidate  /index.html")
    assert "Dry run" in text


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal():
    assert type(reporter_for(io.StringIO())) is Reporter
    terminal = FakeTerminal()
    bar = reporter_for(terminal)
    assert isinstance(bar, BarReporter)
    bar.start("Uploading", 3)
    bar.advance(3)
    bar.finish()
    assert "Uploading" in terminal.getvalue()


# --- failure messages ------------------------------------------------------------

def test_service_errors_say_what_failed_and_whether_it_was_retried():
    from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

    from sitegen.errors import EXIT_SERVICE, ServiceError
    from sitegen.publish.clients import service_errors

    refused = ClientError({"Error": {"Code": "AccessDenied", "Message": "Access Denied"},
                           "ResponseMetadata": {"HTTPStatusCode": 403}}, "PutObject")
    cases = [(refused, "PutObject failed: AccessDenied: Access Denied; left as it was", False),
             (NoCredentialsError(), "no AWS credentials found", False),
             (EndpointConnectionError(endpoint_url="http://127.0.0.1:9"), "Could not connect", True)]
    for error, expected, retried in cases:
        with pytest.raises(ServiceError) as caught, service_errors("s3://b/", "left as it was"):
            raise error
        message = str(caught.value)
        assert caught.value.exit_code == EXIT_SERVICE
        assert expected in message and message.startswith("s3://b/: ")
        assert ("(gave up after retries)" in message) == retried


def test_only_objects_the_state_does_not_cover_are_asked_about():
    from sitegen.publish.remote import classify

    state = {"a.html": Entry("e1", MD5_A, headers_for("a.html")), "b.html": Entry("old", MD5_A, headers_for("b.html"))}
    listing = {"a.html": (1, "e1"), "b.html": (1, "e2"), "c.html": (5, "e3"), "d.html": (1, "e4")}
    known, to_head = classify(listing, state, {"a.html": 1, "b.html": 1, "c.html": 1})
    assert to_head == ["b.html"]                   # ETag moved on since the state was written
    assert known["a.html"].md5 == MD5_A and known["a.html"].headers == headers_for("a.html")
    assert known["c.html"].md5 is None             # size differs: re-uploaded anyway
    assert known["d.html"].headers is None         # not in the build: stale, deleted
