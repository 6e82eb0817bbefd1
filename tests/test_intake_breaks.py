"""Issue 18 as a hostile resident, a force's staff member and an operator would try to break it:
spreadsheet formulas behind spaces, terminal escapes in an export, HTML and header injection in the
acknowledgement, references as staff type them, more reports than one S3 page, a form whose questions
changed, and two people deleting the same report at once.  Against moto's S3 over HTTP."""
from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from motoserver import FAKE_CREDENTIALS
from sitegen.errors import ServiceError
from sitegen.intake.acknowledge import compose, email_address
from sitegen.intake.reading import (
    NotFound,
    Reader,
    columns,
    csv_cell,
    csv_text,
    csv_uncell,
    for_terminal,
    parse_reference,
)
from sitegen.intake.schemas import load_schema
from sitegen.intake.storage import make_client
from test_intake_support import RECEIVED, VALID_ANSWERS, call, cli, json_body, make_app

HIDDEN_FORMULAS = [" =1+1", "  +SUM(A1)", "\u00a0=HYPERLINK(\"http://evil.example/\")", "\u3000@SUM(1)",
                   "\0=1+1", "\n=1+1", " \t-2+3"]



# ---- CSV cells ----

@pytest.mark.parametrize("text", HIDDEN_FORMULAS)
def test_a_formula_behind_spaces_or_a_null_is_neutralised_too(text):
    # LibreOffice's and Google Sheets' CSV import can trim leading spaces before evaluating, and
    # ASVS 1.2.10 lists the null character: what a trimming spreadsheet would run must start with '.
    assert csv_cell(text).startswith("'")
    assert csv_uncell(csv_cell(text)) == text


@given(st.text(max_size=12))
@hypothesis_settings(max_examples=50, deadline=None)
def test_csv_cell_is_undone_exactly_and_never_leaves_a_trimmed_formula(text):
    cell = csv_cell(text)
    assert csv_uncell(cell) == text
    assert not cell.lstrip(" \t\r\n\0\u00a0\u3000").startswith(("=", "+", "-", "@")) or cell.startswith("'")


def test_a_quoted_formula_stays_text():
    # '"=1+1' is written "\"\"=1+1\"": a spreadsheet reads the cell as the text "=1+1 with its quote.
    assert csv_text(["reference"], [{"reference": '"=1+1'}]).splitlines()[1].startswith('"""=1+1",')


# ---- terminal ----

def test_an_export_printed_on_a_terminal_shows_escapes_not_colours():
    exported = csv_text(["reference", "received", "form", "schema_version", "details"],
                        [{"answers": {"details": "a\x1b[31mred\u202eevil\r\nsecond line"}}])
    shown = for_terminal(exported)
    assert "\x1b" not in shown and "\u202e" not in shown and "\\x1b" in shown and "\\u202e" in shown
    assert shown.count("\n") == exported.count("\n")      # lines stay lines (a cell's too)


def test_an_export_to_a_file_is_the_csv_itself(settings, s3):
    call(make_app(settings), body=json_body({**VALID_ANSWERS, "description": "Door \x1b[2J kicked \u202e in"}))
    result = cli(settings, "export", "--format", "csv", "--form", "report-crime")
    assert result.exit_code == 0, result.output
    assert "\x1b[2J" in result.stdout and "\u202e" in result.stdout      # not a terminal: unchanged


# ---- the acknowledgement ----

def test_the_acknowledgement_escapes_whatever_the_title_and_contact_hold(settings, schemas):
    form = load_schema(schemas / "report-crime" / "schema.json", "report-crime")
    form = replace(form, schema={**form.schema, "title": "<script>alert(1)</script> & co"})
    hostile = replace(settings, contact_phone="101<img src=x onerror=alert(1)>",
                      contact_url='https://x.example/"><script>alert(2)</script>')
    email = compose(hostile, form, "CR-2026-7K4M9Q2XW")
    assert "<script" not in email.html and "<img" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in email.html
    assert "\r" not in email.subject and "\n" not in email.subject


@pytest.mark.parametrize("address", ["a@b.example\r\nBcc: c@d.example", "Evil <a@b.example>",
                                     "a@b.example, c@d.example", "a@b.example; c@d.example",
                                     "\"Bcc: c@d.example\" <a@b.example>", "a@b.example\nX: y"])
def test_an_address_that_could_inject_a_header_or_a_second_recipient_gets_no_email(schemas, address):
    form = load_schema(schemas / "report-crime" / "schema.json", "report-crime")
    assert email_address(form, {**VALID_ANSWERS, "email": address}) == ""


def test_a_header_injecting_address_is_refused_by_the_receiver(settings):
    answer = call(make_app(settings), body=json_body({**VALID_ANSWERS,
                                                      "email": "a@b.example\r\nBcc: c@d.example"}))
    assert answer.status == 422


# ---- references as staff type them ----

def test_show_takes_a_reference_as_it_is_read_out(settings):
    reference = call(make_app(settings), body=json_body()).json()["reference"]
    body = reference.split("-")[2]
    spoken = [reference.lower(), f" {reference[:2]} {reference[3:7]} {body[:3]} {body[3:6]} {body[6:]} ",
              reference.replace("0", "O").replace("1", "l"), reference.replace("-", "")]
    for typed in spoken:
        result = cli(settings, "show", typed)
        assert result.exit_code == 0, (typed, result.output)
        assert f"Reference: {reference}" in result.stdout


@pytest.mark.parametrize("dash", ["\u2013", "\u2011", "\u2212", "\u2014"])
def test_a_reference_pasted_with_typographic_dashes_or_invisible_characters_is_read(dash):
    reference = "CR-2026-KQSEMH0SF"
    assert parse_reference(reference.replace("-", dash)) == reference
    assert parse_reference("\u200b" + reference + "\u200b\ufeff") == reference
    assert parse_reference("ＣＲ－２０２６－ＫＱＳＥＭＨ０ＳＦ") == reference


def test_a_reference_of_another_form_or_a_deleted_one_is_not_found(settings):
    reference = call(make_app(settings), body=json_body()).json()["reference"]
    other = cli(settings, "show", "LP" + reference[2:])
    assert other.exit_code == 1 and "no report has this reference" in other.output
    assert cli(settings, "delete", reference, "--yes").exit_code == 0
    for command in (["show", reference], ["delete", reference, "--yes"]):
        gone = cli(settings, *command)
        assert gone.exit_code == 1 and "Traceback" not in gone.output
        assert "no report has this reference" in gone.output


def test_two_people_deleting_one_report_at_once_both_end_cleanly(settings, s3):
    reference = call(make_app(settings), body=json_body()).json()["reference"]
    reader, barrier, outcomes = Reader(s3, settings.bucket, "submissions/"), threading.Barrier(2), []

    def delete(who: str) -> None:
        barrier.wait()
        try:
            outcomes.append(reader.delete(reference, who, datetime.now(UTC))["reference"])
        except NotFound:
            outcomes.append("not found")
    threads = [threading.Thread(target=delete, args=(name,)) for name in ("one", "two")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert reference in outcomes and set(outcomes) <= {reference, "not found"}
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=settings.bucket).get("Contents", [])]
    assert [key for key in left if "_deletions" not in key] == []
    log = [json.loads(line) for key in left if "_deletions" in key
           for line in s3.get_object(Bucket=settings.bucket, Key=key)["Body"].read().splitlines()]
    assert len(log) == outcomes.count(reference)      # every deletion that said so is logged


# ---- more than one S3 page ----

def test_list_sees_every_report_past_s3_s_1000_key_pages(settings, s3):
    day = RECEIVED.strftime("%Y/%m/%d")
    keys = [f"submissions/report-crime/{day}/CR-2026-{n:09d}.json" for n in range(2500)]
    body = json.dumps({"form": "report-crime", "answers": {"crime_type": "theft"}}).encode()
    with ThreadPoolExecutor(16) as pool:
        list(pool.map(lambda key: s3.put_object(Bucket=settings.bucket, Key=key, Body=body), keys))
    listed = cli(settings, "list", "--form", "report-crime")
    assert listed.exit_code == 0
    assert len(listed.stdout.splitlines()) == 2500 and "2500 report(s)." in listed.stderr
    every_form = cli(settings, "list", "--day", RECEIVED.strftime("%Y-%m-%d"))
    assert len(every_form.stdout.splitlines()) == 2500


# ---- a form whose questions changed ----

def test_export_of_a_form_whose_questions_changed_keeps_every_answer_in_its_column():
    old = {"reference": "CR-1", "answers": {"crime_type": "theft", "old_question": "=kept"}}
    new = {"reference": "CR-2", "answers": {"crime_type": "assault", "new_question": "yes"}}
    schema = {"properties": {"crime_type": {"title": "Kind"}, "new_question": {"title": "New"}}}
    header = columns("report-crime", schema, [old, new])
    assert header[4:] == ["crime_type", "new_question", "old_question"]
    rows = csv_text(header, [old, new]).splitlines()
    assert rows[1].endswith("theft,,'=kept") and rows[2].endswith("assault,yes,")


def test_the_csv_has_no_column_for_the_anti_spam_field_or_retry_token_which_are_never_stored(settings):
    call(make_app(settings), body=json_body())
    header = cli(settings, "export", "--format", "csv", "--form", "report-crime").stdout.splitlines()[0]
    assert "website" not in header.split(",") and "client_token" not in header.split(",")


# ---- deletion where the bucket takes only its own key ----

def test_the_deletion_log_takes_the_bucket_s_own_key_when_staff_name_none(settings, s3, moto_endpoint):
    # The template's bucket denies a put naming SSE-S3 (or another key); staff following docs/intake.md
    # pass no key, so the log must name none and get the bucket's default (its KMS key).
    key = boto3.client("kms", endpoint_url=moto_endpoint, region_name="us-east-1").create_key()["KeyMetadata"]
    s3.put_bucket_encryption(Bucket=settings.bucket, ServerSideEncryptionConfiguration={"Rules": [
        {"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": key["Arn"]}}]})
    reference = call(make_app(settings, kms_key_id=key["Arn"]), body=json_body()).json()["reference"]
    entry = Reader(s3, settings.bucket, "submissions/").delete(reference, "staff", datetime.now(UTC))
    log = f"submissions/_deletions/{datetime.now(UTC):%Y-%m-%d}.jsonl"
    head = s3.head_object(Bucket=settings.bucket, Key=log)
    assert entry["reference"] == reference
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == key["Arn"]


def test_a_deletion_whose_log_is_refused_says_it_is_done_and_gives_the_line(settings, moto_endpoint):
    client = make_client(replace(settings, endpoint_url=moto_endpoint), credentials=FAKE_CREDENTIALS)

    def refuse_the_log(params, **_):
        if "/_deletions/" in params.get("Key", ""):
            raise ClientError({"Error": {"Code": "AccessDenied", "Message": "denied"},
                               "ResponseMetadata": {"HTTPStatusCode": 403}}, "PutObject")
    client.meta.events.register("provide-client-params.s3.PutObject", refuse_the_log)
    reference = call(make_app(settings), body=json_body()).json()["reference"]
    with pytest.raises(ServiceError) as caught:
        Reader(client, settings.bucket, "submissions/").delete(reference, "staff", datetime.now(UTC))
    text = str(caught.value)
    assert f"{reference} IS deleted" in text and "record this line by hand" in text
    assert f'"reference": "{reference}"' in text and "AccessDenied" in text


def test_a_missing_bucket_says_what_to_check_and_exits_3(settings):
    result = cli(replace(settings, bucket="no-such-bucket-here"), "list")
    assert result.exit_code == 3 and "Traceback" not in result.output
    assert "S3 failed: NoSuchBucket; check --bucket" in result.output
