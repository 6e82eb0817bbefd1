"""A report is announced with the ward of where it happened: its location's postcode, looked up
in the site's postcode lookup by the receiver (sitegen/intake/wards.py), never the postcode itself.

Against moto's server over HTTP (tests/motoserver.py), with the example site's built schemas and
find/*.json (content/postcodes/: RM8 1AL is in whalebone only, RM8 3HR in becontree only, RM8 3HS
in becontree and valence).
"""
from __future__ import annotations

import json
import shutil
import uuid
import zipfile
from pathlib import Path

import boto3
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import run_cli
from motoserver import client_for
from sitegen.content.postcodes import normalise
from sitegen.errors import SitegenError
from sitegen.intake import lambda_handler, wards
from sitegen.intake.config import from_mapping, lambda_settings
from sitegen.intake.core import make_receiver
from sitegen.intake.package import write_package
from sitegen.intake.wards import WardLookup, postcode_key
from test_intake_support import (
    FIXTURES,
    FORM,
    JSON,
    RECEIVED,
    SECRET,
    VALID_ANSWERS,
    call,
    drain,
    form_body,
    json_body,
    make_app,
)

ONE_WARD = ("RM8 1AL", "whalebone")
HOME = ("RM8 3HR", "becontree")          # the resident's home: a ward too, which must never decide
TWO_WARDS = "RM8 3HS"
UNKNOWN = "RM8 9ZZ"


@pytest.fixture
def sqs(moto_endpoint, aws_env):
    return boto3.client("sqs", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def queues(sqs) -> dict[str, str]:
    """New queues: the default, one per ward of the example postcodes."""
    return {name: sqs.create_queue(QueueName=f"q-{name}-{uuid.uuid4().hex[:10]}")["QueueUrl"]
            for name in ("default", "whalebone", "becontree", "valence")}


def routes(queues: dict[str, str]) -> list[dict]:
    return [{"form": "report-crime", "ward": ward, "to": queues[ward]}
            for ward in ("whalebone", "becontree", "valence")]



def answers_at(postcode: str | None) -> dict:
    """VALID_ANSWERS with the location at POSTCODE (none when None) and the home in becontree."""
    location = {"line1": "Library, Station Parade", "line2": "Longbridge Road", "town": "Barking"}
    home = {"line1": "1 High Street", "town": "Dagenham", "postcode": HOME[0]}
    return {**VALID_ANSWERS, "location": location | ({"postcode": postcode} if postcode else {}),
            "home_address": home}


def address_strings(answers: dict) -> list[str]:
    """Every part of both posted addresses, and each postcode without its space."""
    parts = [v for name in ("location", "home_address") for v in answers[name].values()]
    return parts + [p.replace(" ", "") for p in parts]


def assert_no_address(body: str, answers: dict) -> None:
    for part in address_strings(answers):
        assert part not in body and part.lower() not in body.lower(), part


def test_the_location_postcode_decides_the_ward_and_its_queue(settings, sqs, queues):
    app = make_app(from_mapping({"notify": queues["default"], "routes": routes(queues)}, str, settings))
    answers = answers_at(ONE_WARD[0].lower().replace(" ", ""))
    answer = call(app, body=json_body(answers), content_type=JSON)
    assert answer.status == 201, answer.body
    reference = answer.json()["reference"]
    got = {name: drain(sqs, url) for name, url in queues.items()}
    assert got["default"] == got["becontree"] == got["valence"] == []    # the home never routes
    message = json.loads(got["whalebone"][0])
    assert len(got["whalebone"]) == 1 and message["reference"] == reference
    assert message["routing"] == {"crime_type": "theft", "ward": "whalebone"}
    assert_no_address(got["whalebone"][0], answers)


@pytest.mark.parametrize("postcode", [TWO_WARDS, UNKNOWN, None], ids=["two-wards", "unknown", "none"])
def test_no_single_ward_means_no_ward_and_the_default_queue(settings, sqs, queues, postcode):
    app = make_app(from_mapping({"notify": queues["default"], "routes": routes(queues)}, str, settings))
    answers = answers_at(postcode)
    assert call(app, body=json_body(answers), content_type=JSON).status == 201
    got = {name: drain(sqs, url) for name, url in queues.items()}
    assert [len(got[name]) for name in ("default", "whalebone", "becontree", "valence")] == [1, 0, 0, 0]
    assert json.loads(got["default"][0])["routing"] == {"crime_type": "theft"}
    assert_no_address(got["default"][0], answers)


def test_the_schema_marks_the_location_only(schemas):
    properties = json.loads((schemas / "report-crime" / "schema.json").read_text())["properties"]
    marked = {name for name, prop in properties.items() if "x-sitegen-routing" in prop}
    assert marked == {"location"} and properties["location"]["x-sitegen-routing"] == "ward"


def test_routing_is_refused_on_anything_but_an_address(make_site):
    site = make_site("forms-basic")
    path = site / "forms/everything.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("        label: A code\n", "        label: A code\n        routing: ward\n", 1)
                    .replace("        label: Another place\n", "        label: Another place\n        routing: crime\n",
                             1), encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any("'routing' does not apply to a text question" in line for line in lines), result.stderr
    assert any("everything.yaml" in line and "expected one of ward, found 'crime'" in line for line in lines), lines


def lambda_event(answers: dict) -> dict:
    """A recorded API Gateway payload-2.0 event carrying ANSWERS as JSON."""
    event = json.loads((FIXTURES / "apigw-http-api-json.json").read_text(encoding="utf-8"))
    body = json_body(answers).decode("utf-8")
    event["body"], event["headers"]["content-length"] = body, str(len(body.encode("utf-8")))
    return event


def test_the_lambda_package_carries_the_lookup_and_its_handler_routes_by_it(
        tmp_path, schemas, bucket, moto_endpoint, aws_env, sqs, queues, monkeypatch):
    out = tmp_path / "intake.zip"
    write_package(out, schemas)
    task = tmp_path / "task"
    with zipfile.ZipFile(out) as archive:
        archive.extractall(task)
    lookup = json.loads((task / "postcodes.json").read_text())
    assert lookup["RM81AL"] == ["whalebone"] and lookup["RM83HS"] == ["becontree", "valence"]
    assert len(lookup) == sum(len(json.loads(p.read_text())["postcodes"])
                              for p in wards.source_files(schemas.parent / "find"))
    env = {"LAMBDA_TASK_ROOT": str(task), "SITEGEN_INTAKE_BUCKET": bucket, "SITEGEN_INTAKE_SECRET": SECRET,
           "SITEGEN_INTAKE_ENDPOINT_URL": moto_endpoint, "SITEGEN_INTAKE_NOTIFY": queues["default"],
           "SITEGEN_INTAKE_ROUTES": json.dumps(routes(queues))}
    monkeypatch.delenv("SITEGEN_INTAKE_SCHEMAS", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    settings = lambda_settings()
    assert settings.schemas == str(task / "forms") and not settings.postcodes
    lambda_handler.use_receiver(make_receiver(settings, clock=lambda: RECEIVED,
                                              client=client_for(moto_endpoint)))
    try:
        for postcode in (ONE_WARD[0], TWO_WARDS):
            assert lambda_handler.handler(lambda_event(answers_at(postcode)), None)["statusCode"] == 201
    finally:
        lambda_handler.use_receiver(None)
    got = {name: drain(sqs, url) for name, url in queues.items()}
    assert [json.loads(m)["routing"].get("ward") for m in got["whalebone"]] == ["whalebone"]
    assert [json.loads(m)["routing"].get("ward") for m in got["default"]] == [None]
    assert got["becontree"] == got["valence"] == []


def test_an_oversized_lookup_stops_the_receiver_at_start_up(settings, tmp_path, monkeypatch, queues):
    lookup = tmp_path / "postcodes.json"
    lookup.write_text(json.dumps({"RM81AL": ["whalebone"]}))
    monkeypatch.setattr(wards, "MAX_LOOKUP_BYTES", 10)
    with pytest.raises(SitegenError) as caught:
        make_receiver(from_mapping({"notify": queues["default"], "postcodes": str(lookup)}, str, settings),
                      client=client_for(settings.endpoint_url))
    assert str(lookup) in str(caught.value) and "larger than" in str(caught.value)


def test_a_lookup_that_is_not_one_is_named(tmp_path):
    (tmp_path / "RM8.json").write_text('{"postcodes": {"RM81AL": "<script>"}}')
    with pytest.raises(SitegenError) as caught:
        WardLookup(tmp_path).ward("RM8 1AL")
    assert "RM8.json" in str(caught.value) and "<script>" not in str(caught.value)


def spellings(postcode: str):
    """Any case, and any white space around and inside POSTCODE."""
    compact = postcode.replace(" ", "")
    gaps = st.lists(st.sampled_from(["", " ", "  ", "\t"]), min_size=len(compact) + 1, max_size=len(compact) + 1)
    cases = st.lists(st.booleans(), min_size=len(compact), max_size=len(compact))
    return st.builds(lambda g, c: g[0] + "".join((ch.lower() if low else ch) + gap
                                                 for ch, low, gap in zip(compact, c, g[1:], strict=True)),
                     gaps, cases)


@pytest.fixture(scope="module")
def find_lookup(example_build) -> WardLookup:
    return WardLookup(example_build / "find")


@hypothesis_settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_any_spelling_of_a_postcode_finds_the_same_ward(find_lookup, data):
    postcode, ward = data.draw(st.sampled_from([ONE_WARD, HOME]))
    spelt = data.draw(spellings(postcode))
    assert find_lookup.ward(spelt) == ward
    assert postcode_key(spelt) == (normalise(spelt) or "").replace(" ", "")
    assert find_lookup.ward(data.draw(spellings(TWO_WARDS))) == ""


def test_serve_finds_the_lookup_in_the_built_site(settings, schemas, tmp_path):
    """Without a postcodes setting, `intake serve` reads build/find/ beside build/forms."""
    copy = tmp_path / "build"
    shutil.copytree(schemas, copy / "forms")
    shutil.copytree(schemas.parent / "find", copy / "find")
    assert wards.default_source(copy / "forms") == copy / "find"
    assert WardLookup(wards.default_source(copy / "forms")).ward("rm8 1al") == "whalebone"
    assert Path(wards.default_source(copy / "forms")).is_dir()


def test_a_form_post_routes_by_the_location_postcode_not_the_home(settings, sqs, queues):
    """The HTML form's fields (NAME-postcode), as a resident without JavaScript posts them."""
    app = make_app(from_mapping({"notify": queues["default"], "routes": routes(queues)}, str, settings))
    body = form_body(**{"location-postcode": "rm8 1al", "home_address-postcode": HOME[0]})
    assert call(app, body=body, content_type=FORM).status == 303
    got = {name: drain(sqs, url) for name, url in queues.items()}
    assert [json.loads(m)["routing"] for m in got["whalebone"]] == [{"crime_type": "theft", "ward": "whalebone"}]
    assert got["default"] == got["becontree"] == got["valence"] == []
    for part in ("rm8 1al", "RM81AL", "RM8 1AL", HOME[0], "Station Parade", "High Street", "Barking"):
        assert part.lower() not in got["whalebone"][0].lower()


def test_a_widely_spaced_postcode_is_still_the_postcode():
    """Hypothesis found ' R  M  8  1  A  L' cut short: the bound was applied before the spaces went."""
    from sitegen.intake.wards import postcode_key
    assert postcode_key(" R  M  8  1  A  L") == postcode_key("rm81al") == "RM81AL"
    assert postcode_key("RM81AL" + "X" * 1000) != "RM81AL"
