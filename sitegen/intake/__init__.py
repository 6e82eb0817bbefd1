"""The reference form receiver: accept, validate and store every submission in S3.

    config.py          settings: flags, SITEGEN_INTAKE_* variables, site.yaml `intake:`
    schemas.py         the published forms/<id>/schema.json files of a built site
    answers.py         a JSON or form-urlencoded body as the answers document; its errors
    references.py      CR-2026-7K4M9Q2XW: Crockford base 32 with a check character
    storage.py         conditional puts to S3: each submission stored once
    ratelimit.py       a token bucket per client address
    responses.py       the Response both doors send
    core.py            the Receiver: routing, checks, storing, answering
    wsgi.py            the WSGI door and a local threaded server
    lambda_handler.py  the Lambda door (API Gateway HTTP API v2, function URLs)

The run-time needs are jsonschema, boto3 and these modules (with
sitegen.forms.submission, model and patterns); never the site's sources.
See docs/intake.md.
"""
