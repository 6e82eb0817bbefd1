"""The staff's reading tool (`sitegen intake list|show|export|delete|lifecycle|keep-schemas`)
against moto's S3 over HTTP, reading reports posted through the receiver's WSGI app."""
from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import threading
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from conftest import run_cli
from motoserver import free_port
from sitegen.errors import SitegenError
from sitegen.intake.reading import (
    FIXED_COLUMNS,
    FORMULA_START,
    LANGUAGE_COLUMN,
    csv_cell,
    csv_uncell,
    reader_for,
)
from sitegen.intake.references import make_reference
from sitegen.intake.retention import cloudformation_rules, lifecycle_configuration, site_retention
from test_intake_support import RECEIVED, VALID_ANSWERS, call, cli, json_body, make_app, stored

DAY_TWO = datetime(2026, 11, 29, 8, 0, 0, tzinfo=UTC)
FORMULA = '=HYPERLINK("http://evil.example/","Click me")'
LOST = {"item_type": "bag", "item_description": "A black rucksack with a laptop inside.",
        "lost_date": "2026-11-20", "lost_location": FORMULA, "full_name": "Sam Example",
        "email": "sam@example.com"}
CRIME_LABEL = "What kind of crime was it?"


@pytest.fixture
def own_schemas(tmp_path, schemas):
    """A copy of the built schemas this test may change."""
    return shutil.copytree(schemas, tmp_path / "forms")


@pytest.fixture
def reading(settings, own_schemas):
    """Settings whose schemas are this test's own copy."""
    return replace(settings, schemas=str(own_schemas))


def post(settings, form: str = "report-crime", answers: dict | None = None, when: datetime = RECEIVED,
         token: str = "v1.json.0001") -> str:
    """Post ANSWERS to FORM through the receiver at WHEN; the reference."""
    answer = call(make_app(settings, clock=lambda: when), path=f"/submit/{form}",
                  body=json_body(answers, token=token))
    assert answer.status == 201, answer.body
    return answer.json()["reference"]



@pytest.fixture
def three(reading):
    """Two crime reports (28 and 29 November) and a lost property report (29th): their references."""
    return (post(reading), post(reading, answers={**VALID_ANSWERS, "items": "A red bicycle"}, when=DAY_TWO),
            post(reading, "report-lost-property", LOST, when=DAY_TWO))


# ---- list ----

def test_list_chooses_by_day_and_form_from_the_keys(reading, three):
    crime_one, crime_two, lost = three
    by_day = cli(reading, "list", "--day", "2026-11-29")
    assert by_day.exit_code == 0, by_day.stdout
    assert [line.split()[0] for line in by_day.stdout.splitlines()] == [crime_two, lost]
    assert by_day.stdout.splitlines()[0].split()[2] == "report-crime"
    one_form = cli(reading, "list", "--from", "2026-11-28", "--to", "2026-11-29", "--form", "report-crime")
    assert [line.split()[0] for line in one_form.stdout.splitlines()] == [crime_one, crime_two]
    everything = cli(reading, "list")
    assert sorted(line.split()[0] for line in everything.stdout.splitlines()) == sorted(three)


@pytest.mark.parametrize("start, end, prefixes, expected", [
    ("2026-11-28", "2026-11-28", 1, {0}), ("2026-11-29", "2026-12-03", 5, {1}),
    ("2026-11-01", "2026-11-30", 1, {0}), ("2026-11-29", "2026-12-31", 1, {1}),
    ("2025-12-01", "2026-12-31", 1, {0, 1}), ("2026-12-03", "2027-01-05", 1, set()),
])
def test_a_range_lists_few_prefixes_and_only_its_days(reading, start, end, prefixes, expected):
    posted = [post(reading), post(reading, when=datetime(2026, 12, 2, 9, 0, tzinfo=UTC), token="v1.json.0002")]
    reader = reader_for(reading)
    first, last = (datetime.fromisoformat(day).date() for day in (start, end))
    assert len(reader._day_prefixes("report-crime", first, last)) == prefixes
    shown = cli(reading, "list", "--from", start, "--to", end, "--form", "report-crime")
    assert [line.split()[0] for line in shown.stdout.splitlines()] == [posted[n] for n in sorted(expected)]


def test_list_by_ward_opens_each_report(reading, s3, three):
    key = f"{reading.key_prefix}report-lost-property/2026/11/29/LP-2026-0000000009.json"
    s3.put_object(Bucket=reading.bucket, Key=key,
                  Body=json.dumps({"reference": "LP-2026-000000000", "answers": {"ward": "abbey"}}))
    shown = cli(reading, "list", "--ward", "abbey")
    assert shown.exit_code == 0 and len(shown.stdout.splitlines()) == 1 and "abbey" not in shown.stdout
    assert shown.stderr == "1 report(s).\n"


@pytest.mark.parametrize("args, where", [
    (("--day", "2026-13-01"), "--day"), (("--day", "yesterday"), "--day"),
    (("--day", "2026-11-28", "--from", "2026-11-01"), "--day"),
    (("--from", "2026-11-29", "--to", "2026-11-28"), "--to"), (("--form", "../etc"), "--form"),
])
def test_bad_filters_are_one_located_line(reading, args, where):
    result = cli(reading, "list", *args)
    assert result.exit_code == 1 and result.output.startswith(where) and "Traceback" not in result.output


# ---- show ----

def test_show_prints_the_labels_of_the_schema_version_answered_against(reading, own_schemas):
    assert cli(reading, "keep-schemas").exit_code == 0          # at deployment
    reference = post(reading)
    path = own_schemas / "report-crime" / "schema.json"
    schema = json.loads(path.read_text())
    schema["properties"]["crime_type"]["title"] = "Which crime?"
    path.write_text(json.dumps(schema))                      # the form changed after the report came in
    shown = cli(reading, "show", reference.lower().replace("-", " "))
    assert shown.exit_code == 0, shown.output
    assert f"Reference: {reference}" in shown.output
    assert f"{CRIME_LABEL}\n    theft\n" in shown.output and "Which crime?" not in shown.output
    assert "    Someone took my bike from outside the library.\n    It was locked.\n" in shown.output


def test_keep_schemas_keeps_each_version_once(reading, s3, own_schemas):
    first = cli(reading, "keep-schemas")
    again = cli(reading, "keep-schemas")
    kept = [key for key in stored(s3, reading.bucket) if "/_schemas/" in key]
    assert first.output.startswith(f"Kept {len(kept)} new") and again.output.startswith("Kept 0 new")
    digest = hashlib.sha256((own_schemas / "report-crime" / "schema.json").read_bytes()).hexdigest()
    assert f"submissions/_schemas/report-crime/{digest}.json" in kept


def test_show_without_the_version_kept_says_so_and_shows_question_ids(reading, own_schemas):
    reference = post(reading)
    path = own_schemas / "report-crime" / "schema.json"
    path.write_text(path.read_text().replace(CRIME_LABEL, "Which crime?"))
    shown = cli(reading, "show", reference)
    assert shown.exit_code == 0 and "not kept" in shown.output and "crime_type\n    theft" in shown.output


def test_show_makes_answers_safe_for_a_terminal(reading):
    reference = post(reading, answers={**VALID_ANSWERS, "items": "bike\x1b]0;owned\x07\u202e"})
    shown = cli(reading, "show", reference)
    assert shown.exit_code == 0
    assert "\x1b" not in shown.output and "\u202e" not in shown.output and "bike\\x1b]0;owned" in shown.output


def test_show_errors_are_one_line_with_their_exit_codes(reading, three):
    malformed = cli(reading, "show", "CR-2026-NOPE")
    unknown = cli(reading, "show", make_reference("CR", 2026, "00000000"))
    unreachable = cli(replace(reading, endpoint_url=f"http://127.0.0.1:{free_port()}"), "show", three[0])
    assert (malformed.exit_code, unknown.exit_code, unreachable.exit_code) == (1, 1, 3)
    assert "not a report reference" in malformed.output and "no report has this reference" in unknown.output
    for result in (malformed, unknown, unreachable):
        assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


# ---- export ----

def test_export_csv_has_a_stable_header_and_neutralised_formulas(reading, own_schemas, three):
    result = cli(reading, "export", "--format", "csv", "--form", "report-lost-property")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    schema = json.loads((own_schemas / "report-lost-property" / "schema.json").read_text())
    answers = [q for q in schema["properties"] if q not in ("website", "client_token", "lang")]
    assert rows[0] == [*FIXED_COLUMNS, LANGUAGE_COLUMN, *answers]     # the example is in English and Welsh
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["reference"], row["form"], row["received"]) == (three[2], "report-lost-property",
                                                                "2026-11-29T08:00:00.000Z")
    assert row["lost_location"] == "'" + FORMULA and csv_uncell(row["lost_location"]) == FORMULA
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def test_export_csv_of_several_forms_asks_for_one(reading, three):
    result = cli(reading, "export", "--format", "csv", "--day", "2026-11-29")
    assert result.exit_code == 1 and "--form" in result.output and "report-lost-property" in result.output


def test_export_jsonl_is_one_stored_report_per_line(reading, s3, three):
    result = cli(reading, "export", "--format", "jsonl", "--from", "2026-11-28")
    assert result.exit_code == 0
    lines = [json.loads(line) for line in result.output.splitlines()]
    documents = {k: json.loads(v) for k, v in stored(s3, reading.bucket).items() if "/_" not in k}
    assert sorted(lines, key=lambda d: d["reference"]) == sorted(documents.values(), key=lambda d: d["reference"])


# ---- delete ----

def test_delete_removes_the_report_claim_and_marker_and_logs_no_content(reading, s3, three):
    reference = three[2]
    marker = f"{reading.key_prefix}_unannounced/{reference}.json"
    s3.put_object(Bucket=reading.bucket, Key=marker, Body=b"{}")
    refused = cli(reading, "delete", reference, input="n\n")
    assert refused.exit_code == 1 and len(stored(s3, reading.bucket)) == 7   # 3 reports, 3 claims, marker
    result = cli(reading, "delete", reference, "--yes")
    assert result.exit_code == 0, result.output
    left = stored(s3, reading.bucket)
    assert marker not in left and not any(reference in key or reference[8:16] in key
                                          for key in left if "_deletions" not in key)
    [log_key] = [key for key in left if "_deletions/" in key]
    assert log_key.endswith(f"_deletions/{datetime.now(UTC):%Y-%m-%d}.jsonl")
    [entry] = [json.loads(line) for line in left[log_key].splitlines()]
    assert entry["reference"] == reference and entry["by"] and entry["at"].endswith("Z")
    assert not any(str(value) in left[log_key].decode() for value in LOST.values())
    again = cli(reading, "delete", reference, "--yes")
    assert again.exit_code == 1 and "no report has this reference" in again.output
    cli(reading, "delete", three[0], "--yes")
    assert len(stored(s3, reading.bucket)[log_key].splitlines()) == 2        # appended, not replaced


def test_delete_in_a_versioned_bucket_leaves_no_version_behind(reading, s3):
    s3.put_bucket_versioning(Bucket=reading.bucket, VersioningConfiguration={"Status": "Enabled"})
    reference = post(reading)
    assert cli(reading, "delete", reference, "--yes").exit_code == 0
    listing = s3.list_object_versions(Bucket=reading.bucket)
    left = [item["Key"] for group in ("Versions", "DeleteMarkers") for item in listing.get(group, [])]
    assert left and all("_deletions/" in key for key in left)


def test_deletion_log_appends_by_conditional_put_lose_no_line(reading):
    reader = reader_for(reading)
    when = datetime.now(UTC)

    def append(worker: int) -> None:
        for n in range(3):
            reader._append_log(when, {"reference": f"{worker}-{n}"}, attempts=50)
    workers = [threading.Thread(target=append, args=(worker,)) for worker in range(4)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    body = reader.client.get_object(Bucket=reading.bucket,
                                    Key=f"submissions/_deletions/{when:%Y-%m-%d}.jsonl")["Body"].read()
    assert sorted(json.loads(line)["reference"] for line in body.splitlines()) == sorted(
        f"{w}-{n}" for w in range(4) for n in range(3))


# ---- retention ----

def test_lifecycle_rules_come_from_each_forms_retention(reading, s3, make_site):
    site = make_site("example")
    printed = run_cli("intake", "lifecycle", "--site", str(site), "--prefix", "submissions")
    assert printed.exit_code == 0
    rules = {rule["ID"]: rule for rule in json.loads(printed.output)["Rules"]}
    assert rules["report-lost-property-reports"]["Filter"] == {"Prefix": "submissions/report-lost-property/"}
    assert rules["report-lost-property-claims"]["Expiration"] == {"Days": 90}
    assert rules["report-crime-reports"]["Expiration"] == {"Days": 365}
    assert rules["report-crime-claims"]["NoncurrentVersionExpiration"] == {"NoncurrentDays": 1}
    assert not any("clares-law" in rule_id for rule_id in rules)               # hosted: nothing stored
    applied = run_cli("intake", "lifecycle", "--apply", "--site", str(site), "--bucket", reading.bucket,
                      "--prefix", "submissions", "--endpoint-url", reading.endpoint_url)
    assert applied.exit_code == 0, applied.output
    got = s3.get_bucket_lifecycle_configuration(Bucket=reading.bucket)["Rules"]
    def shape(rule):
        return (rule["ID"], rule["Filter"]["Prefix"], rule["Expiration"]["Days"],
                rule["NoncurrentVersionExpiration"]["NoncurrentDays"])
    assert sorted(map(shape, got)) == sorted(map(shape, rules.values()))


@pytest.mark.parametrize("form, line, problem", [
    ("report-crime", "retention_days: 0", "must be at least 1"),
    ("report-crime", "retention_days: a year", "whole number"),
    ("clares-law", "retention_days: 30", "does not apply to a hosted form"),
])
def test_retention_days_are_checked_where_they_are_written(make_site, form, line, problem):
    site = make_site("example")
    path = site / "forms" / f"{form}.yaml"
    lines = [text for text in path.read_text().splitlines(keepends=True) if "retention_days" not in text]
    at = next(n for n, text in enumerate(lines) if text.startswith("title:"))
    path.write_text("".join([*lines[:at + 1], line + "\n", *lines[at + 1:]]))
    with pytest.raises(SitegenError) as caught:
        site_retention(site)
    [found] = [p for p in caught.value.problems if problem in p.message]
    assert found.path == f"forms/{form}.yaml" and found.line > 0


def test_lifecycle_rules_refuse_a_period_that_is_not_days():
    for days in (0, -1, 1.5, True, "30"):
        with pytest.raises(ValueError):
            lifecycle_configuration({"report-crime": days})
    assert lifecycle_configuration({}) == {"Rules": []}


def test_cloudformation_rules_are_the_same_rules():
    [reports, claims] = cloudformation_rules(lifecycle_configuration({"report-crime": 30}, "web-forms/"))
    assert reports == {"Id": "report-crime-reports", "Prefix": "web-forms/report-crime/", "Status": "Enabled",
                       "ExpirationInDays": 30, "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}
    assert claims["Prefix"] == "web-forms/_claims/report-crime/" and claims["ExpirationInDays"] == 30


@hypothesis_settings(max_examples=50, deadline=None)
@given(st.lists(st.text(), min_size=1, max_size=5))
def test_csv_cells_round_trip_and_never_start_a_formula(texts):
    out = io.StringIO()
    csv.writer(out).writerow([csv_cell(text) for text in texts])
    [cells] = list(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert [csv_uncell(cell) for cell in cells] == texts
    assert not any(cell.startswith(FORMULA_START[:-1]) for cell in cells)
