"""Preview hosting (issue 19, part 3): deploy/preview-router.js, the CloudFront Function of the
preview distribution, run under Node over a table of hosts and paths and over hypothesis-made ones;
the template holds the same code, and its preview distribution, headers and conditions.

A persistent Node process runs the function: each line on its stdin is a JSON request
({"host": str | null, "uri": str}); it answers one JSON line, the function's result.
"""
from __future__ import annotations

import importlib.util
import json
import posixpath
import re
import shutil
import subprocess
from collections.abc import Iterator
from urllib.parse import unquote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from test_deploy_template import template

ROUTER = ROOT / "deploy" / "preview-router.js"
DOMAIN = "preview.example.org"
DOMAIN_LINE = "var PREVIEW_DOMAIN = 'preview.example.org';"
HARNESS = """
const readline = require('readline');
const lines = readline.createInterface({input: process.stdin});
lines.on('line', function (line) {
  const asked = JSON.parse(line);
  const headers = asked.host === null ? {} : {host: {value: asked.host}};
  const answer = handler({request: {method: 'GET', uri: asked.uri, headers: headers, querystring: {}}});
  process.stdout.write(JSON.stringify(answer) + '\\n');
});
"""
LABEL = re.compile(r"pr-[1-9][0-9]{0,5}")
NOINDEX = {"x-robots-tag": {"value": "noindex, nofollow"}}
NOT_FOUND = {"statusCode": 404, "statusDescription": "Not Found", "headers": NOINDEX}


class Router:
    """The function running in one Node process."""

    def __init__(self) -> None:
        node = shutil.which("node")
        assert node, "Node.js runs the CloudFront Function"
        self.process = subprocess.Popen([node, "-e", ROUTER.read_text() + HARNESS], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def __call__(self, host: str | None, uri: str) -> dict:
        """The function's answer to GET URI with a Host header HOST (None: no header)."""
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps({"host": host, "uri": uri}) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def router() -> Iterator[Router]:
    running = Router()
    yield running
    running.close()


def served(answer: dict) -> str:
    """The key (origin path) an answer asks the bucket for; '' for an answer given at the edge."""
    return "" if "statusCode" in answer else answer["uri"]


# ---- the template ----

def test_the_template_holds_the_router_s_code_as_inline_router_writes_it():
    spec = importlib.util.spec_from_file_location("inline_router", ROOT / "deploy" / "inline_router.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = (ROOT / "deploy" / "sitegen.yaml").read_text(encoding="utf-8")
    assert script.inlined(text, ROUTER.read_text()) == text, "run .venv/bin/python deploy/inline_router.py"
    with pytest.raises(ValueError):
        script.function_code("var x = `${y}`;\n" + DOMAIN_LINE)


def test_the_template_holds_the_router_s_code():
    code = template()["Resources"]["PreviewRouterFunction"]["Properties"]["FunctionCode"]["Fn::Sub"]
    text = ROUTER.read_text()
    assert text.count(DOMAIN_LINE) == 1 and "${" not in text.replace(DOMAIN_LINE, "")
    assert code == text.replace(DOMAIN_LINE, "var PREVIEW_DOMAIN = '${PreviewDomain}';")
    assert len(code.encode()) + 253 < 10_240   # CloudFront's limit on a function, with the longest domain


def test_the_preview_distribution_routes_every_request_and_says_noindex():
    resources = template()["Resources"]
    config = resources["PreviewDistribution"]["Properties"]["DistributionConfig"]
    behaviour = config["DefaultCacheBehavior"]
    assert config["Aliases"] == [{"Fn::Sub": "*.${PreviewDomain}"}]
    assert behaviour["FunctionAssociations"] == [
        {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": ["PreviewRouterFunction", "FunctionARN"]}}]
    assert "CacheBehaviors" not in config and "OriginPath" not in config["Origins"][0]
    assert resources["PreviewRouterFunction"]["Properties"]["FunctionConfig"]["Runtime"] == "cloudfront-js-2.0"
    assert behaviour["ResponseHeadersPolicyId"] == {"Ref": "PreviewHeadersPolicy"}
    headers = resources["PreviewHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]["CustomHeadersConfig"]
    assert {"Header": "X-Robots-Tag", "Override": True, "Value": "noindex, nofollow"} in headers["Items"]


def test_only_the_preview_distribution_reads_the_bucket_and_only_previews():
    statements = template()["Resources"]["PreviewBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    source = {"Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${PreviewDistribution}"}
    allowed = [s for s in statements if s["Effect"] == "Allow"]
    assert {s["Action"]: s["Resource"] for s in allowed} == {
        "s3:GetObject": {"Fn::Sub": "${PreviewBucket.Arn}/previews/*"},
        "s3:ListBucket": {"Fn::GetAtt": ["PreviewBucket", "Arn"]}}
    for statement in allowed:
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert statement["Condition"]["StringEquals"]["AWS:SourceArn"] == source


def test_previews_are_made_only_when_a_preview_domain_is_given():
    parsed = template()
    assert parsed["Conditions"]["HasPreviews"] == {"Fn::Not": [{"Fn::Equals": [{"Ref": "PreviewDomain"}, ""]}]}
    assert {"Condition": "HasPreviews"} in parsed["Conditions"]["MakePreviewCdn"]["Fn::And"]
    for name, resource in parsed["Resources"].items():
        if name.startswith("Preview"):
            assert resource.get("Condition") in {"HasPreviews", "MakePreviewCdn"}, name
    assert parsed["Parameters"]["PreviewDomain"]["Default"] == ""


@pytest.mark.parametrize("domain, allowed", [
    ("preview.example.org", True), ("previews.west-midlands.police.uk", True), ("", True),
    ("example", False), ("preview.example.org'", False), ("Preview.example.org", False),
    ("preview..example.org", False), ("-preview.example.org", False), ("preview.example.org/", False)])
def test_the_preview_domain_cannot_break_out_of_the_function_s_string(domain, allowed):
    pattern = template()["Parameters"]["PreviewDomain"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, domain)) is allowed


# ---- the function ----

ROUTED = [
    ("pr-12.preview.example.org", "/", "/previews/pr-12/index.html"),
    ("pr-12.preview.example.org", "/areas/abbey/", "/previews/pr-12/areas/abbey/index.html"),
    ("pr-12.preview.example.org", "/areas/abbey/index.html", "/previews/pr-12/areas/abbey/index.html"),
    ("pr-12.preview.example.org", "/assets/site.0123456789.css", "/previews/pr-12/assets/site.0123456789.css"),
    ("pr-12.preview.example.org", "/feed.xml", "/previews/pr-12/feed.xml"),
    ("pr-12.preview.example.org", "/robots.txt", "/previews/pr-12/robots.txt"),
    ("pr-1.preview.example.org", "/find/", "/previews/pr-1/find/index.html"),
    ("pr-999999.preview.example.org", "/", "/previews/pr-999999/index.html"),
    ("pr-120.preview.example.org", "/areas/v1.2", "/previews/pr-120/areas/v1.2"),
    ("pr-12.preview.example.org", "/areas/abbey%20green/", "/previews/pr-12/areas/abbey%20green/index.html"),
    ("pr-12.preview.example.org", "/a..b/", "/previews/pr-12/a..b/index.html"),   # not a dot segment
]
REFUSED_HOSTS = [
    "pr-0.preview.example.org", "pr-012.preview.example.org", "pr-12a.preview.example.org",
    "PR-12.preview.example.org", "pr-12.PREVIEW.example.org", "pr-.preview.example.org",
    "pr-1234567.preview.example.org", "pr-12.preview.example.org.evil.com", "pr-12.preview.example.org:443",
    "pr-12.preview.example.org.", "x.pr-12.preview.example.org", "pr-12-preview.example.org",
    "pr-12.previewXexample.org", "preview.example.org", ".preview.example.org", "pr-12", "", None,
    "pr-12.evil.com", "evil.com", "pr-12.preview.example.org/", "pr-1 2.preview.example.org",
    "pr-\u0661\u0662.preview.example.org", "pr-12.preview.example.org\u0000",
]
REFUSED_PATHS = [
    "/../pr-13/", "/areas/../../pr-13/index.html", "/%2e%2e/pr-13/", "/%2E%2E/pr-13/index.html",
    "/.%2e/secret", "/areas/%2e/", "/..%2fpr-13/", "/areas%2F..%2F..%2Fpr-13/", "/%5c..%5cpr-13/",
    "/\\..\\pr-13/", "//evil", "//evil.example/x", "/areas//abbey/", "/.sitegen-publish.json",
    "/.sitegen-publish.json/", "/%2esitegen-publish.json", "areas/abbey/", "", "/..", "/.",
    "/a/%00/",
]


@pytest.mark.parametrize("host, uri, key", ROUTED)
def test_a_pull_request_s_host_is_served_from_its_folder(router, host, uri, key):
    assert served(router(host, uri)) == key


@pytest.mark.parametrize("host", REFUSED_HOSTS)
def test_any_other_host_is_answered_404(router, host):
    assert router(host, "/areas/abbey/") == NOT_FOUND


@pytest.mark.parametrize("uri", REFUSED_PATHS)
def test_a_path_out_of_the_folder_or_to_the_publish_state_is_answered_404(router, uri):
    assert router("pr-12.preview.example.org", uri) == NOT_FOUND


def test_an_extensionless_address_gets_its_slash_on_the_same_host(router):
    assert router("pr-12.preview.example.org", "/areas/abbey") == {
        "statusCode": 301, "statusDescription": "Moved Permanently",
        "headers": {"location": {"value": "/areas/abbey/"}, **NOINDEX}}


def inside(key: str, folder: str) -> bool:
    """Whether the URI KEY stays in FOLDER as it is and decoded once (as S3 decodes it), dot segments
    resolved and backslashes read as slashes (as some servers do), and names no publish state."""
    for seen in (key, unquote(key)):
        flat = posixpath.normpath(seen.replace("\\", "/"))
        if not (flat + "/").startswith(folder) or flat != seen.rstrip("/"):
            return False
        if any(part.startswith(".sitegen") for part in flat.split("/")):
            return False
    return True


hosts = st.one_of(
    st.integers(1, 999_999).map(lambda n: f"pr-{n}.{DOMAIN}"),   # a pull request's host: paths vary
    st.integers(1, 999_999).map(lambda n: f"pr-{n}.{DOMAIN}"),
    st.builds(lambda n, rest: f"pr-{n}{rest}", st.integers(-5, 10**7).map(str) | st.text(max_size=4),
              st.sampled_from([f".{DOMAIN}", f".{DOMAIN}.evil.com", f".{DOMAIN}:8080", ".evil.com", "", f"{DOMAIN}"])),
    st.text(max_size=40), st.none())
segments = st.sampled_from(["areas", "abbey", "..", ".", "%2e%2e", "%2E.", "%2f", "%5C", "\\", "", "a.b",
                            ".sitegen-publish.json", "%252e%252e", "index.html", "%00"]) | st.text(max_size=6)
paths = st.lists(segments, max_size=6).map(lambda parts: "/" + "/".join(parts)) | st.text(max_size=20)


@settings(max_examples=50, deadline=None)
@given(host=hosts, uri=paths)
def test_every_answer_is_404_a_same_host_redirect_or_a_key_inside_the_pull_request_s_folder(router, host, uri):
    answer = router(host, uri)
    label = (host or "").removesuffix(f".{DOMAIN}")
    valid_host = host == f"{label}.{DOMAIN}" and LABEL.fullmatch(label) is not None
    if not valid_host:
        assert answer == NOT_FOUND
    elif "statusCode" in answer:
        assert answer["statusCode"] in {301, 404} and answer["headers"]["x-robots-tag"] == NOINDEX["x-robots-tag"]
        if answer["statusCode"] == 301:
            assert answer["headers"]["location"]["value"] == uri + "/" and not uri.startswith("//")
    else:
        assert inside(answer["uri"], f"/previews/{label}/"), answer["uri"]
