"""deploy/sitegen.yaml: cfn-lint, the headers and lifecycle rules the code makes, and the stack
created in moto's CloudFormation (over HTTP) with a report posted through the receiver it configures
and read back with `sitegen intake show`.

moto's CloudFormation cannot create CloudFront, API Gateway v2, SES identities, OIDC providers or
bucket policies, so the stack tests pass `Services=core`, which leaves those out (and the Lambda
permission that names the API); the static tests below cover them.
"""
from __future__ import annotations

import ast
import html
import importlib.util
import json
import re
import shutil
import subprocess
import time
import uuid
from dataclasses import replace
from types import SimpleNamespace

import boto3
import pytest
from cfnlint.api import ManualArgs, lint_file
from cfnlint.decode import decode

from conftest import ROOT, run_cli
from motoserver import FAKE_CREDENTIALS
from sitegen.config import load_config
from sitegen.intake.config import IntakeSettings, from_env
from sitegen.intake.package import write_package
from sitegen.intake.retention import lifecycle_configuration, site_retention
from sitegen.publish.headers import headers_for
from sitegen.security import content_security_policy
from test_intake_support import RECEIVED, SITE_URL, VALID_ANSWERS, call, json_body, make_app

TEMPLATE = ROOT / "deploy" / "sitegen.yaml"
REGION = "us-east-1"
PREFIX = "web-forms/"
# Resource types moto 5's CloudFormation does not create (moto.cloudformation.parsing.get_model_map).
NOT_IN_MOTO = {
    "AWS::CloudFront::Distribution", "AWS::CloudFront::OriginAccessControl", "AWS::CloudFront::Function",
    "AWS::CloudFront::ResponseHeadersPolicy", "AWS::ApiGatewayV2::Api", "AWS::ApiGatewayV2::Integration",
    "AWS::ApiGatewayV2::Route", "AWS::ApiGatewayV2::Stage", "AWS::SES::EmailIdentity",
    "AWS::IAM::OIDCProvider", "AWS::S3::BucketPolicy",
}
OUTSIDE_CORE = {"AllServices", "MakeOidcProvider", "MakeEmailIdentity", "MakePreviewCdn"}  # false with Services=core
PREVIEW_DOMAIN = "preview.example.org"


def template() -> dict:
    """The template as cfn-lint reads it (intrinsic functions in their long form: Fn::Sub...)."""
    parsed, problems = decode(str(TEMPLATE))
    assert not problems, problems
    return parsed


def substitute(value, names: dict[str, str]) -> str:
    """A Fn::Sub (string or [string, names]) or plain string with ${NAME} replaced from NAMES."""
    if isinstance(value, dict):
        value = value["Fn::Sub"]
    if isinstance(value, list):
        value, more = value
        names = {**names, **{k: v for k, v in more.items() if isinstance(v, str)}}
    for name, text in names.items():
        value = value.replace("${" + name + "}", text)
    assert "${" not in value, value
    return value


# ---- static ----

def test_cfn_lint_finds_nothing():
    # Errors, warnings and informational checks, for the regions a force would use. Nothing is ignored.
    matches = lint_file(TEMPLATE, ManualArgs(include_checks=["I"], regions=["eu-west-2", "us-east-1"]))
    assert [f"{m.linenumber}: {m.rule.id} {m.message}" for m in matches] == []


@pytest.mark.parametrize("endpoint", ["https://a1b2c3d4e5.execute-api.eu-west-2.amazonaws.com/submit",
                                      "https://intake.example.police.uk/submit"])
def test_the_csp_header_is_what_sitegen_security_makes(endpoint):
    config = replace(load_config(ROOT), forms_endpoint=endpoint)
    site = SimpleNamespace(config=config, forms=None)
    policy = template()["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    csp = policy["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    origin = endpoint.removesuffix("/submit")
    assert csp["Override"] is True
    assert substitute(csp["ContentSecurityPolicy"], {"Forms": origin}) == \
        content_security_policy(site, for_header=True)


def test_the_forms_origin_is_the_api_unless_one_is_given():
    csp = template()["Resources"]["SecurityHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"][
        "SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    forms = csp["Fn::Sub"][1]["Forms"]
    assert forms == {"Fn::If": ["HasFormsOrigin", {"Ref": "FormsOrigin"},
                                {"Fn::GetAtt": ["HttpApi", "ApiEndpoint"]}]}


def api_rule(rule: dict) -> dict:
    """A CloudFormation lifecycle rule in PutBucketLifecycleConfiguration's names (retention.py's)."""
    names = {"Id": "ID", "Status": "Status", "NoncurrentVersionExpiration": "NoncurrentVersionExpiration"}
    out = {names[k]: v for k, v in rule.items() if k in names}
    out["Filter"] = {"Prefix": substitute(rule["Prefix"], {"ReportsPrefix": PREFIX})}
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": rule["ExpirationInDays"]}
    assert set(rule) <= {*names, "Prefix", "ExpirationInDays"}, rule
    return out


def test_the_reports_lifecycle_rules_are_what_retention_makes_for_the_example_forms():
    rules = template()["Resources"]["ReportsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    housekeeping = {"old-versions", "delete-markers"}   # every object, not per form: old versions and markers
    per_form = [api_rule(r) for r in rules if r["Id"] not in housekeeping]
    assert per_form == lifecycle_configuration(site_retention(ROOT), PREFIX)["Rules"]
    assert {r["Id"] for r in rules} >= housekeeping


def test_the_rules_script_prints_the_template_s_block():
    spec = importlib.util.spec_from_file_location("lifecycle_rules", ROOT / "deploy" / "lifecycle_rules.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    text = TEMPLATE.read_text()
    begin = text.index("\n", text.index("# BEGIN per-form rules")) + 1
    assert text[begin:text.index("          # END per-form rules")] == script.template_rules(site_retention(ROOT))



# ---- the editors' admin: its own cache behaviour and headers ----

def admin_script():
    """deploy/admin_csp.py as a module."""
    spec = importlib.util.spec_from_file_location("admin_csp", ROOT / "deploy" / "admin_csp.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script


def headers_policy(name: str) -> dict:
    """The ResponseHeadersPolicyConfig of the template's resource NAME."""
    return template()["Resources"][name]["Properties"]["ResponseHeadersPolicyConfig"]


def test_the_admin_s_csp_header_is_the_policy_its_page_carries_plus_frame_ancestors(example_build):
    page = (example_build / "admin" / "index.html").read_text(encoding="utf-8")
    (meta,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page)
    csp = headers_policy("AdminHeadersPolicy")["SecurityHeadersConfig"]["ContentSecurityPolicy"]
    assert csp["Override"] is True
    assert csp["ContentSecurityPolicy"] == html.unescape(meta) + "; frame-ancestors 'none'"
    assert "'unsafe-eval'" in csp["ContentSecurityPolicy"]   # Decap does not start without it


def test_the_admin_csp_script_writes_what_the_template_holds():
    script, text = admin_script(), TEMPLATE.read_text()
    assert script.inlined(text, script.header_policy(ROOT)) == text, "run .venv/bin/python deploy/admin_csp.py"
    changed = script.inlined(text, "default-src 'none'")
    assert [line for line in changed.splitlines() if line not in text.splitlines()] == [
        "            ContentSecurityPolicy: \"default-src 'none'\""]
    with pytest.raises(ValueError):
        script.inlined(text, 'default-src "x"')


def test_the_admin_csp_script_follows_the_site_s_port_and_refuses_a_bad_site_yaml(tmp_path, capsys):
    script = admin_script()
    example = (ROOT / "site.yaml").read_text(encoding="utf-8")
    assert example.count("\nadmin:\n") == 1
    (tmp_path / "site.yaml").write_text(example.replace("\nadmin:\n", "\nadmin:\n  local_port: 9090\n"))
    assert ("connect-src 'self' https://api.github.com https://cms-auth.example.police.uk http://127.0.0.1:9090;"
            in script.header_policy(tmp_path))
    (tmp_path / "site.yaml").write_text(example.replace("\nadmin:\n", "\nadmin:\n  local_port: nine\n"))
    before = TEMPLATE.read_text()
    assert script.main([str(tmp_path)]) == 1
    assert "site.yaml:" in capsys.readouterr().err and TEMPLATE.read_text() == before


def test_only_the_admin_gets_the_admin_s_headers_and_its_behaviour_differs_in_nothing_else():
    config = template()["Resources"]["Distribution"]["Properties"]["DistributionConfig"]
    default = config["DefaultCacheBehavior"]
    (admin,) = config["CacheBehaviors"]
    assert admin["PathPattern"] == "/admin/*"
    assert default["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}
    assert admin["ResponseHeadersPolicyId"] == {"Ref": "AdminHeadersPolicy"}
    same = {"PathPattern", "ResponseHeadersPolicyId"}
    assert {k: v for k, v in admin.items() if k not in same} == {k: v for k, v in default.items() if k not in same}

    public, own = headers_policy("SecurityHeadersPolicy"), headers_policy("AdminHeadersPolicy")
    drop_csp = ({k: v for k, v in p["SecurityHeadersConfig"].items() if k != "ContentSecurityPolicy"}
                for p in (public, own))
    assert next(drop_csp) == next(drop_csp)   # HSTS, nosniff, DENY framing, referrers as the public pages
    custom = {i["Header"]: (i["Value"], i["Override"]) for i in own["CustomHeadersConfig"]["Items"]}
    assert custom.items() >= {(i["Header"], (i["Value"], i["Override"]))
                              for i in public["CustomHeadersConfig"]["Items"]}
    assert custom["X-Robots-Tag"] == ("noindex, nofollow", True)
    # The browser asks before reusing any of the admin's files, as the objects themselves say.
    assert custom["Cache-Control"] == (headers_for("admin/config.yml").cache_control, True) == ("no-cache", True)


def test_the_cloudfront_function_serves_folders_and_hides_the_publish_state():
    node = shutil.which("node")
    assert node, "Node.js is needed to run the CloudFront Function"
    code = template()["Resources"]["IndexFunction"]["Properties"]["FunctionCode"]
    uris = ["/", "/areas/abbey/", "/areas/abbey", "/assets/site.0123456789.css", "/.sitegen-publish.json",
            "/feed.xml", "/areas/v1.2"]
    script = code + "\nconsole.log(JSON.stringify(" + json.dumps(uris) + \
        ".map(function (uri) { return handler({request: {uri: uri, headers: {}}}); })));"
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60, check=True)
    answers = dict(zip(uris, json.loads(done.stdout)))
    assert answers["/"]["uri"] == "/index.html" and answers["/areas/abbey/"]["uri"] == "/areas/abbey/index.html"
    assert answers["/areas/abbey"] == {"statusCode": 301, "statusDescription": "Moved Permanently",
                                       "headers": {"location": {"value": "/areas/abbey/"}}}
    assert answers["/.sitegen-publish.json"]["statusCode"] == 404
    for uri in ("/assets/site.0123456789.css", "/feed.xml", "/areas/v1.2"):   # a dot: a file, passed on
        assert answers[uri]["uri"] == uri


def test_core_is_exactly_what_moto_can_create():
    from moto.cloudformation.parsing import get_model_map
    supported = set(get_model_map())
    assert not NOT_IN_MOTO & supported, "moto creates these now: move them into the core"
    for name, resource in template()["Resources"].items():
        outside = resource.get("Condition") in OUTSIDE_CORE
        if resource["Type"] in NOT_IN_MOTO:
            assert outside, name
        elif outside:   # supported itself, but it needs something that is not
            assert name == "HttpApiInvokesReceiver", name


def test_the_publish_role_trusts_one_repository_and_environment_or_branch():
    role = template()["Resources"]["PublishRole"]["Properties"]
    condition = role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]["StringEquals"]
    assert condition["token.actions.githubusercontent.com:aud"] == "sts.amazonaws.com"
    assert condition["token.actions.githubusercontent.com:sub"] == {"Fn::If": [
        "HasEnvironment", {"Fn::Sub": "repo:${GitHubRepository}:environment:${GitHubEnvironment}"},
        {"Fn::Sub": "repo:${GitHubRepository}:ref:refs/heads/${GitHubBranch}"}]}


# ---- the stack in moto ----

def aws(service: str, endpoint: str):
    return boto3.client(service, endpoint_url=endpoint, region_name=REGION, **FAKE_CREDENTIALS)


def document(value) -> dict:
    """A policy document as IAM answers it: a mapping, or (moto 5.2, for CloudFormation's inline
    policies) Python's repr of one."""
    return ast.literal_eval(value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def stack(moto_endpoint, example_build, tmp_path_factory) -> dict[str, str]:
    """A stack of the template with Services=core; its outputs (name -> value), plus 'Name'."""
    s3 = aws("s3", moto_endpoint)
    artifacts = f"artifacts-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=artifacts)
    package = tmp_path_factory.mktemp("lambda") / "intake-lambda.zip"
    write_package(package, example_build / "forms")
    s3.put_object(Bucket=artifacts, Key="intake/1.zip", Body=package.read_bytes())
    name = f"sitegen-{uuid.uuid4().hex[:8]}"
    sqs = aws("sqs", moto_endpoint)
    roads = sqs.create_queue(QueueName=f"roads-policing-{uuid.uuid4().hex[:8]}")["QueueUrl"]
    roads_arn = sqs.get_queue_attributes(QueueUrl=roads, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    routes = json.dumps([{"form": "report-road-traffic-incident", "ward": "*", "to": roads}])
    parameters = {"Routes": routes, "RouteQueueArns": roads_arn,"Services": "core", "LambdaCodeBucket": artifacts, "LambdaCodeKey": "intake/1.zip",
                  "ReferenceSecret": "ab" * 32, "GitHubRepository": "example-police/neighbourhood-site",
                  "SiteUrl": SITE_URL, "ReportsPrefix": PREFIX, "PreviewDomain": PREVIEW_DOMAIN,
                  "PreviewCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/preview"}
    cloudformation = aws("cloudformation", moto_endpoint)
    cloudformation.create_stack(StackName=name, TemplateBody=TEMPLATE.read_text(),
                                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()],
                                Capabilities=["CAPABILITY_IAM"])
    deadline = time.monotonic() + 60
    while (found := cloudformation.describe_stacks(StackName=name)["Stacks"][0])["StackStatus"].endswith(
            "IN_PROGRESS") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert found["StackStatus"] == "CREATE_COMPLETE", found.get("StackStatusReason")
    return {"Name": name, "Routes": routes, "RoadsQueueArn": roads_arn,
            **{o["OutputKey"]: o["OutputValue"] for o in found["Outputs"]}}


def test_the_stack_creates_every_core_resource(stack, moto_endpoint):
    created = aws("cloudformation", moto_endpoint).list_stack_resources(StackName=stack["Name"])
    names = {r["LogicalResourceId"] for r in created["StackResourceSummaries"]   # moto lists each resource
             if r["ResourceStatus"] == "CREATE_COMPLETE" and r["LogicalResourceId"]}  # a condition left out as ''
    core = {name for name, r in template()["Resources"].items() if r.get("Condition") not in OUTSIDE_CORE}
    assert names == core
    assert {"SiteUrl", "ReceiverUrl", "DistributionId"}.isdisjoint(stack)   # need CloudFront and the API


def test_the_reports_bucket_is_encrypted_with_its_own_kms_key(stack, moto_endpoint):
    s3, kms = aws("s3", moto_endpoint), aws("kms", moto_endpoint)
    rule = s3.get_bucket_encryption(Bucket=stack["ReportsBucketName"])[
        "ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"]
    assert rule == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": stack["ReportsKeyArn"]}
    # (moto 5.2 answers DescribeKey with a 500 for a key its CloudFormation made: the key policy is
    # kept as a mapping, not text; so the key is shown to exist and to work instead.)
    assert stack["ReportsKeyArn"] in {k["KeyArn"] for k in kms.list_keys()["Keys"]}
    sealed = kms.encrypt(KeyId=stack["ReportsKeyArn"], Plaintext=b"x")["CiphertextBlob"]
    assert kms.decrypt(CiphertextBlob=sealed)["Plaintext"] == b"x"


def test_the_queue_sends_failures_to_its_dead_letter_queue(stack, moto_endpoint):
    sqs = aws("sqs", moto_endpoint)
    attributes = sqs.get_queue_attributes(QueueUrl=stack["NotificationQueueUrl"], AttributeNames=["All"])
    redrive = json.loads(attributes["Attributes"]["RedrivePolicy"])
    dead = sqs.get_queue_attributes(QueueUrl=stack["DeadLetterQueueUrl"], AttributeNames=["QueueArn"])
    assert redrive == {"deadLetterTargetArn": dead["Attributes"]["QueueArn"], "maxReceiveCount": 5}


def test_the_receiver_is_configured_for_the_stack(stack, moto_endpoint):
    function = aws("lambda", moto_endpoint).get_function_configuration(FunctionName=stack["ReceiverFunctionName"])
    assert function["Handler"] == "sitegen.intake.lambda_handler.handler"
    assert function["Runtime"] == "python3.12" and function["Timeout"] == 30
    assert function["Environment"]["Variables"] == {
        "SITEGEN_INTAKE_BUCKET": stack["ReportsBucketName"], "SITEGEN_INTAKE_PREFIX": PREFIX,
        "SITEGEN_INTAKE_KMS_KEY_ID": stack["ReportsKeyArn"], "SITEGEN_INTAKE_SECRET": "ab" * 32,
        "SITEGEN_INTAKE_SITE_URL": SITE_URL, "SITEGEN_INTAKE_NOTIFY": stack["NotificationQueueUrl"],
        "SITEGEN_INTAKE_ROUTES": stack["Routes"],
        "SITEGEN_INTAKE_SES_FROM": "", "SITEGEN_INTAKE_ACKNOWLEDGE": "false", "SITEGEN_INTAKE_ACKNOWLEDGE_FORMS": "",
        "SITEGEN_INTAKE_CONTACT_PHONE": "101", "SITEGEN_INTAKE_CONTACT_URL": ""}


def test_the_roles_allow_only_what_each_needs(stack, moto_endpoint):
    iam = aws("iam", moto_endpoint)
    staff_name = stack["StaffReadRoleArn"].rsplit("/", 1)[1]
    staff = document(iam.get_role_policy(RoleName=staff_name, PolicyName="read-reports")["PolicyDocument"])
    actions = {action for s in staff["Statement"] for action in
               ([s["Action"]] if isinstance(s["Action"], str) else s["Action"])}
    assert actions == {"s3:ListBucket", "s3:GetObject", "kms:Decrypt", "sqs:ReceiveMessage", "sqs:DeleteMessage",
                       "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"}
    receiver_name = aws("lambda", moto_endpoint).get_function_configuration(
        FunctionName=stack["ReceiverFunctionName"])["Role"].rsplit("/", 1)[1]
    receiver = document(iam.get_role_policy(RoleName=receiver_name, PolicyName="receiver")["PolicyDocument"])
    grants = {s["Sid"]: (s["Action"], s["Resource"]) for s in receiver["Statement"] if s}
    assert grants["AnnounceToRoutes"] == ("sqs:SendMessage", [stack["RoadsQueueArn"]])
    assert "AnnounceToTopics" not in grants and "Acknowledge" not in grants   # none asked for
    assert grants["WriteReportsAndClaims"] == ("s3:PutObject", f"arn:aws:s3:::{stack['ReportsBucketName']}/{PREFIX}*")
    bucket_arn = f"arn:aws:s3:::{stack['ReportsBucketName']}"
    assert {s["Sid"]: s["Resource"] for s in staff["Statement"]}["ReadReports"] == f"{bucket_arn}/{PREFIX}*"
    deleter_name = stack["StaffDeleteRoleArn"].rsplit("/", 1)[1]
    deleter = document(iam.get_role_policy(RoleName=deleter_name, PolicyName="delete-reports")["PolicyDocument"])
    assert {s["Sid"]: s["Resource"] for s in deleter["Statement"]}["AppendDeletionLog"] == \
        f"{bucket_arn}/{PREFIX}_deletions/*"
    publish_name = stack["PublishRoleArn"].rsplit("/", 1)[1]
    trust = document(iam.get_role(RoleName=publish_name)["Role"]["AssumeRolePolicyDocument"])
    assert trust["Statement"][0]["Condition"]["StringEquals"]["token.actions.githubusercontent.com:sub"] == \
        "repo:example-police/neighbourhood-site:environment:production"
    publish = document(iam.get_role_policy(RoleName=publish_name, PolicyName="publish")["PolicyDocument"])
    # The invalidation statement names the distribution, so Services=core leaves it out (moto keeps the
    # AWS::NoValue left in its place as a null, which AWS drops).
    assert [s["Sid"] for s in publish["Statement"] if s] == ["ListTheSitePrefix", "ReadWriteTheSiteObjects"]


def test_the_preview_role_trusts_pull_requests_and_reaches_only_the_previews(stack, moto_endpoint):
    iam = aws("iam", moto_endpoint)
    name = stack["PreviewRoleArn"].rsplit("/", 1)[1]
    trust = document(iam.get_role(RoleName=name)["Role"]["AssumeRolePolicyDocument"])
    assert trust["Statement"][0]["Condition"]["StringEquals"] == {
        "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
        "token.actions.githubusercontent.com:sub": "repo:example-police/neighbourhood-site:pull_request"}
    policy = document(iam.get_role_policy(RoleName=name, PolicyName="preview")["PolicyDocument"])
    bucket = f"arn:aws:s3:::{stack['PreviewBucketName']}"
    assert [(s["Action"], s["Resource"], s.get("Condition")) for s in policy["Statement"]] == [
        ("s3:ListBucket", bucket, {"StringLike": {"s3:prefix": "previews/*"}}),
        (["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], f"{bucket}/previews/*", None)]
    assert stack["PreviewUrlTemplate"] == f"https://pr-{{n}}.{PREVIEW_DOMAIN}/"
    assert stack["PreviewBucketName"] != stack["SiteBucketName"]
    assert stack["PreviewBucketName"] in {b["Name"] for b in aws("s3", moto_endpoint).list_buckets()["Buckets"]}


def test_a_report_posted_through_the_receiver_is_stored_announced_shown_and_deleted(
        stack, moto_endpoint, aws_env, schemas):
    function = aws("lambda", moto_endpoint).get_function_configuration(FunctionName=stack["ReceiverFunctionName"])
    base = IntakeSettings(endpoint_url=moto_endpoint, region=REGION, schemas=str(schemas), retries=1,
                          backoff_seconds=0.01, rate_per_minute=0)
    settings = from_env(function["Environment"]["Variables"], base)   # what the Lambda would run with
    answer = call(make_app(settings), body=json_body())
    assert answer.status == 201, answer.body
    reference = answer.json()["reference"]

    s3 = aws("s3", moto_endpoint)
    key = f"{PREFIX}report-crime/{RECEIVED:%Y/%m/%d}/{reference}.json"
    head = s3.head_object(Bucket=stack["ReportsBucketName"], Key=key)
    assert head["ServerSideEncryption"] == "aws:kms" and head["SSEKMSKeyId"] == stack["ReportsKeyArn"]

    sqs = aws("sqs", moto_endpoint)
    messages = sqs.receive_message(QueueUrl=stack["NotificationQueueUrl"], MaxNumberOfMessages=10)["Messages"]
    assert [json.loads(m["Body"])["reference"] for m in messages] == [reference]
    assert VALID_ANSWERS["home_address"]["line1"] not in messages[0]["Body"]

    result = run_cli("intake", "show", reference, "--site", str(ROOT), "--bucket", stack["ReportsBucketName"],
                     "--prefix", PREFIX, "--endpoint-url", moto_endpoint, "--region", REGION,
                     "--schemas", str(schemas))
    assert result.exit_code == 0, result.output
    assert f"Reference: {reference}" in result.output and "Form:      report-crime" in result.output
    assert VALID_ANSWERS["home_address"]["postcode"] in result.output

    result = run_cli("intake", "delete", reference, "--yes", "--site", str(ROOT),
                     "--bucket", stack["ReportsBucketName"], "--prefix", PREFIX, "--endpoint-url", moto_endpoint,
                     "--region", REGION, "--schemas", str(schemas), env={"SITEGEN_INTAKE_KMS_KEY_ID": stack["ReportsKeyArn"]})
    assert result.exit_code == 0, result.output
    left = [o["Key"] for o in s3.list_objects_v2(Bucket=stack["ReportsBucketName"], Prefix=PREFIX).get("Contents", [])]
    assert [k for k in left if reference in k or "/_claims/" in f"/{k}"] == []
    assert any(k.startswith(f"{PREFIX}_deletions/") for k in left)


def test_the_schedule_sends_what_waits_in_the_outbox(stack, moto_endpoint, monkeypatch):
    """A receiver killed between storing and announcing leaves a marker (tests/test_intake_notify.py);
    the stack's schedule runs the re-drive function every 15 minutes, with its own environment."""
    from sitegen.intake.lambda_handler import redrive_handler
    from sitegen.intake.notify import UNANNOUNCED
    events = aws("events", moto_endpoint)
    (rule,) = [r for r in events.list_rules()["Rules"] if r.get("ScheduleExpression") == "rate(15 minutes)"]
    lambdas = aws("lambda", moto_endpoint)
    function = lambdas.get_function_configuration(FunctionName=stack["RedriveFunctionName"])
    assert [t["Arn"] for t in events.list_targets_by_rule(Rule=rule["Name"])["Targets"]] == [function["FunctionArn"]]
    assert function["Handler"] == "sitegen.intake.lambda_handler.redrive_handler"
    environment = function["Environment"]["Variables"]
    assert "SITEGEN_INTAKE_SECRET" not in environment   # the outbox needs no reference secret

    s3, bucket = aws("s3", moto_endpoint), stack["ReportsBucketName"]
    reference = "CR-2026-REDRIVE01"
    key = f"{PREFIX}report-crime/2026/11/28/{reference}.json"
    message = {"reference": reference, "form": "report-crime", "key": key, "bucket": bucket, "routing": {}}
    s3.put_object(Bucket=bucket, Key=key, Body=b"{}")
    s3.put_object(Bucket=bucket, Key=f"{PREFIX}{UNANNOUNCED}/{reference}.json",
                  Body=json.dumps({"message": message, "to": "", "error": ""}).encode())
    for name, value in {**environment, "SITEGEN_INTAKE_ENDPOINT_URL": moto_endpoint,
                        "SITEGEN_INTAKE_REGION": REGION, "AWS_ACCESS_KEY_ID": "testing",
                        "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        monkeypatch.setenv(name, value)
    assert redrive_handler({"source": "aws.events"}) == {"sent": 1, "failed": 0}
    sqs = aws("sqs", moto_endpoint)
    bodies = [json.loads(m["Body"]) for m in
              sqs.receive_message(QueueUrl=stack["NotificationQueueUrl"], MaxNumberOfMessages=10).get("Messages", [])]
    assert [b["reference"] for b in bodies] == [reference]
    assert s3.list_objects_v2(Bucket=bucket, Prefix=f"{PREFIX}{UNANNOUNCED}/").get("KeyCount") == 0


def test_the_cloudfront_function_never_redirects_to_another_host():
    # '//evil' has no dot in its last segment, so the function answered 301 to '//evil/', which a
    # browser reads as another host (an open redirect); a backslash is read as a slash too.
    code = template()["Resources"]["IndexFunction"]["Properties"]["FunctionCode"]
    uris = ["//evil", "//evil.example/x", "///evil", "/areas//abbey", "/\\evil"]
    script = code + "\nconsole.log(JSON.stringify(" + json.dumps(uris) + \
        ".map(function (uri) { return handler({request: {uri: uri, headers: {}}}); })));"
    done = subprocess.run([shutil.which("node"), "-e", script], capture_output=True, text=True, timeout=60,
                          check=True)
    for uri, answer in zip(uris, json.loads(done.stdout)):
        location = answer.get("headers", {}).get("location", {}).get("value", "/")
        assert not location.startswith(("//", "/\\")), (uri, answer)
        assert answer.get("statusCode") == 404 or "//" not in answer["uri"], (uri, answer)



def test_previews_expire_even_when_no_workflow_removes_them(moto_endpoint):
    """A pull request closed with merge conflicts gets no `remove` run (issue 19 part 3): its preview
    expires PreviewExpiryDays (30) after its files were uploaded, old versions a day after.  moto's
    CloudFormation leaves out a bucket's lifecycle, so the rule is read from the template and given
    to moto's S3 as the stack would give it, which must take it as it is."""
    parsed = template()
    rules = parsed["Resources"]["PreviewBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]
    expiry = next(rule for rule in rules if rule["Id"] == "previews-expire")
    assert expiry == {"Id": "previews-expire", "Status": "Enabled", "Prefix": "previews/",
                      "ExpirationInDays": {"Ref": "PreviewExpiryDays"},
                      "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}
    parameter = parsed["Parameters"]["PreviewExpiryDays"]
    assert parameter["Default"] == 30 and parameter["MinValue"] == 1
    s3, bucket = aws("s3", moto_endpoint), f"previews-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": [
        {"ID": "previews-expire", "Status": "Enabled", "Filter": {"Prefix": "previews/"},
         "Expiration": {"Days": parameter["Default"]}, "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}]})
    [stored] = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert stored["Expiration"] == {"Days": 30} and stored["Filter"] == {"Prefix": "previews/"}
