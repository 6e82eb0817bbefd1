"""How long the reports bucket keeps each form's reports: S3 lifecycle rules.

Each native form's `retention_days` (forms/<id>.yaml; default 365) becomes two
expiration rules, one per prefix the receiver writes for that form (see
storage.py for the key layout):

    <prefix><form>/            the reports, by day received
    <prefix>_claims/<form>/    the reference claims (no answers; kept as long as the reports)

`lifecycle_configuration` is the one place these rules are made.  The
CloudFormation template in deploy/ writes the same rules into the bucket's
`LifecycleConfiguration.Rules` (`cloudformation_rules` converts them): for each
rule here, a CloudFormation rule
`{Id: rule["ID"], Prefix: rule["Filter"]["Prefix"], Status: "Enabled",
ExpirationInDays: rule["Expiration"]["Days"], NoncurrentVersionExpiration:
{NoncurrentDays: 1}}` (CloudFormation's names for the same fields).  With
versioning on (as docs/intake.md advises), expiry only hides the current
version behind a delete marker; the noncurrent-version rule removes the data
itself a day later.  `sitegen intake lifecycle --print` shows the JSON for a site;
`--apply` puts it on the bucket (PutBucketLifecycleConfiguration replaces the
bucket's whole lifecycle configuration).

Not expired: `<prefix>_schemas/` (the schema versions reports were answered
against, needed to read any report still kept) and `<prefix>_deletions/` (the
log of data-protection deletions: references, who and when, no answers).
S3 counts days from when an object was written and rounds to the next midnight
UTC, so a report goes within a day after its retention period ends.
"""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem, SitegenError
from .storage import CLAIMS

MAX_RULES = 1000   # S3's limit on rules in one lifecycle configuration


def lifecycle_configuration(retention: Mapping[str, int], prefix: str = "") -> dict:
    """The LifecycleConfiguration for RETENTION (form id -> days kept) under key PREFIX ('' or ending '/').

    Returns `{"Rules": [...]}` as PutBucketLifecycleConfiguration takes it, rules sorted by
    form id, two per form (reports, then claims), each like
    `{"ID": "report-crime-reports", "Filter": {"Prefix": "submissions/report-crime/"},
    "Status": "Enabled", "Expiration": {"Days": 365}, "NoncurrentVersionExpiration": {"NoncurrentDays": 1}}`.
    ValueError when a period is not a whole number of days from 1, or there are too many forms.
    """
    rules = []
    for form_id in sorted(retention):
        days = retention[form_id]
        if isinstance(days, bool) or not isinstance(days, int) or days < 1:
            raise ValueError(f"{form_id}: retention must be a whole number of days from 1, not {days!r}")
        for kind, under in (("reports", f"{prefix}{form_id}/"), ("claims", f"{prefix}{CLAIMS}/{form_id}/")):
            rules.append({"ID": f"{form_id}-{kind}", "Filter": {"Prefix": under},
                          "Status": "Enabled", "Expiration": {"Days": days},
                          "NoncurrentVersionExpiration": {"NoncurrentDays": 1}})
    if len(rules) > MAX_RULES:
        raise ValueError(f"{len(rules) // 2} forms need {len(rules)} lifecycle rules; S3 allows {MAX_RULES}")
    return {"Rules": rules}


def cloudformation_rules(configuration: dict) -> list[dict]:
    """CONFIGURATION's rules (from `lifecycle_configuration`) in CloudFormation's shape, for an
    `AWS::S3::Bucket`'s `LifecycleConfiguration: {Rules: [...]}`: the same rules, field for field."""
    return [{"Id": rule["ID"], "Prefix": rule["Filter"]["Prefix"], "Status": rule["Status"],
             "ExpirationInDays": rule["Expiration"]["Days"],
             "NoncurrentVersionExpiration": {
                 "NoncurrentDays": rule["NoncurrentVersionExpiration"]["NoncurrentDays"]}}
            for rule in configuration["Rules"]]


def site_retention(root: Path) -> dict[str, int]:
    """Form id -> retention_days for the native forms of the site at ROOT.

    SitegenError (exit 1, each problem located) when the site's forms have problems.
    """
    from ..config import load_config
    from ..content.context import load_context
    from ..forms.bundle import load_forms_bundle
    config = load_config(root)
    ctx = load_context(root, config)
    bundle = load_forms_bundle(ctx, config)
    problems = [p for p in ctx.problems if p.path.startswith("forms/")]   # the rest of the site is not ours
    if problems:
        raise SitegenError(problems)
    forms = {form.id: form.retention_days for form in bundle.forms
             if not form.is_hosted and not form.stand_in}
    if not forms:
        raise SitegenError([Problem(str(root / "forms"), 0, 0,
                                    "no native forms here, so there are no reports to keep")])
    return forms
