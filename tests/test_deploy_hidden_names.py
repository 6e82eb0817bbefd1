"""Both CloudFront Functions hide sitegen's own files however their names are written (issue 19
part 3, defect 3): S3 decodes a key's percent-escapes, so `/.s%69tegen-publish.json` is the publish
state.  The preview router (deploy/preview-router.js) and the live IndexFunction (inline in
deploy/sitegen.yaml) decode the URI before testing it, and answer a malformed escape 404.
Each runs in one Node process over hypothesis-made encodings of every hidden name."""
from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from sitegen.outputfolder import BUILD_MARKER
from sitegen.publish.state import STATE_NAME
from test_deploy_template import template

HIDDEN = (STATE_NAME, BUILD_MARKER)
HOST = "pr-12.preview.example.org"
HARNESS = """
const readline = require('readline');
readline.createInterface({input: process.stdin}).on('line', function (line) {
  const uri = JSON.parse(line);
  const request = {method: 'GET', uri: uri, headers: {host: {value: 'HOST'}}, querystring: {}};
  process.stdout.write(JSON.stringify(handler({request: request})) + '\\n');
});
""".replace("HOST", HOST)


class Function:
    """A CloudFront Function's code running in one Node process: call it with a URI."""

    def __init__(self, code: str) -> None:
        node = shutil.which("node")
        assert node, "Node.js runs the CloudFront Functions"
        self.process = subprocess.Popen([node, "-e", code + HARNESS], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, encoding="utf-8")

    def __call__(self, uri: str) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(uri) + "\n")
        self.process.stdin.flush()
        return json.loads(self.process.stdout.readline())

    def close(self) -> None:
        assert self.process.stdin
        self.process.stdin.close()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module", params=["preview", "live"])
def function(request) -> Iterator[Function]:
    code = ((ROOT / "deploy" / "preview-router.js").read_text() if request.param == "preview"
            else template()["Resources"]["IndexFunction"]["Properties"]["FunctionCode"])
    running = Function(code)
    yield running
    running.close()


def escaped(name: str, how: list[int]) -> str:
    """NAME with each character kept (0) or written %XX in upper (1) or lower (2) case hex, by HOW."""
    out = []
    for char, mode in zip(name, how + [0] * len(name)):
        hexed = "".join(f"%{byte:02X}" for byte in char.encode())
        out.append(char if mode == 0 else hexed if mode == 1 else hexed.lower())
    return "".join(out)


@settings(max_examples=50, deadline=None)
@given(name=st.sampled_from(HIDDEN), how=st.lists(st.integers(0, 2), max_size=25),
       folder=st.sampled_from(["/", "/areas/", "/areas/abbey/"]), tail=st.sampled_from(["", "/"]))
def test_every_encoding_of_a_hidden_name_is_answered_404(function, name, how, folder, tail):
    uri = folder + escaped(name, how) + tail
    answer = function(uri)
    assert answer.get("statusCode") == 404, (uri, answer)


@pytest.mark.parametrize("uri", ["/%", "/%zz/", "/areas/%e0%a4/", "/%C0%AEsitegen-publish.json", "/a%2"])
def test_a_malformed_escape_is_answered_404_not_passed_on(function, uri):
    assert function(uri).get("statusCode") == 404


@pytest.mark.parametrize("uri, key", [("/areas/abbey%20green/", "abbey%20green/index.html"),
                                      ("/assets/site.0123456789.css", "assets/site.0123456789.css"),
                                      ("/.well-known/security.txt", ".well-known/security.txt")])
def test_ordinary_and_encoded_names_still_pass(function, uri, key):
    assert function(uri)["uri"].endswith(key)
