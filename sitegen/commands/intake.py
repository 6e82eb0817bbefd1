"""sitegen intake serve: the form receiver on this machine, against any S3 endpoint."""
from __future__ import annotations

import logging
import os
from pathlib import Path

import click

from ..errors import Problem, ServiceError, SitegenError
from . import site_option, site_root


@click.group("intake")
def intake_group() -> None:
    """The form receiver: POST /submit/<form-id>, validated and stored in S3."""


@intake_group.command("serve")
@site_option
@click.option("--port", type=click.IntRange(0, 65535), default=8001, show_default=True,
              help="Port to listen on (0: any free one).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--bucket", help="S3 bucket (default: intake.bucket in site.yaml, or SITEGEN_INTAKE_BUCKET).")
@click.option("--prefix", default=None, help="Key prefix for submissions (default: intake.prefix).")
@click.option("--endpoint-url", default=None, help="An S3-compatible endpoint, like http://127.0.0.1:9000.")
@click.option("--region", default=None, help="AWS region (default: intake.region, then the AWS config).")
@click.option("--kms-key-id", default=None, help="Encrypt with this KMS key (SSE-KMS); default SSE-S3.")
@click.option("--schemas", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of <form>/schema.json (default: build/forms in the site folder).")
@click.option("--postcodes", type=click.Path(exists=True, path_type=Path), default=None,
              help="The postcode lookup giving a report's ward: the built find/ folder or a postcodes.json "
                   "(default: beside the schemas folder).")
@click.option("--site-url", default=None,
              help="Where people are sent back to (default: the site's base_url).")
@click.option("--allowed-origin", default=None,
              help="The origin given CORS headers (default: the site URL's).")
@click.option("--max-body-bytes", type=click.IntRange(1024), default=None,
              help="Largest body (default 262144).")
@click.option("--rate-per-minute", type=click.IntRange(0), default=None,
              help="Submissions per minute per client address; 0 for no limit (default 30).")
@click.option("--rate-burst", type=click.IntRange(1), default=None,
              help="Submissions at once per client (default 10).")
def serve_command(site_dir: Path, port: int, host: str, **flags) -> None:
    """Run the receiver locally until Ctrl-C (production uses the Lambda handler).

    Without SITEGEN_INTAKE_SECRET a random secret is used, so references of
    retried posts stay the same only while this process runs.
    """
    from ..intake.config import SECRET_ENV, require, resolve
    from ..intake.core import make_receiver
    from ..intake.wsgi import IntakeApp
    flags["schemas"] = str(flags["schemas"].absolute()) if flags["schemas"] else None
    flags["postcodes"] = str(flags["postcodes"].absolute()) if flags["postcodes"] else None
    settings = resolve(site_root(site_dir), os.environ, flags)
    if not settings.bucket:
        raise click.UsageError("no bucket: pass --bucket, set intake.bucket "
                               "in site.yaml or SITEGEN_INTAKE_BUCKET")
    settings = require(settings, ephemeral_secret=True)
    if not os.environ.get(SECRET_ENV):
        click.echo(f"{SECRET_ENV} is not set: using a random secret for this run.", err=True)
    if not Path(settings.schemas).is_dir():
        raise SitegenError([Problem(settings.schemas, 0, 0,
                                    "schema folder not found; run `sitegen build` first "
                                    "or pass --schemas DIR")])
    receiver = make_receiver(settings, watch=True)
    check_bucket(receiver, settings)
    _show_log()
    server = _listen(IntakeApp(receiver), host, port)
    click.echo(f"Receiving on http://{host}:{server.server_address[1]}/submit/<form> "
               f"into s3://{settings.bucket}/{settings.key_prefix} "
               f"({len(receiver.forms.form_ids())} forms; Ctrl-C to stop)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        server.server_close()


@intake_group.command("package")
@site_option
@click.option("--schemas", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of <form>/schema.json (default: build/forms in the site folder).")
@click.option("--deps", type=click.Path(file_okay=False, exists=True, path_type=Path), default=None,
              help="A folder made by `pip install --target DIR jsonschema` to include.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("intake-lambda.zip"),
              show_default=True, help="The zip to write.")
def package_command(site_dir: Path, schemas: Path | None, deps: Path | None, out: Path) -> None:
    """Write the Lambda deployment zip: the receiver's code and the built form schemas."""
    from ..intake.package import schema_files, write_package
    folder = (schemas or site_root(site_dir) / "build" / "forms").absolute()
    forms = schema_files(folder)
    if not forms:
        raise SitegenError([Problem(str(folder), 0, 0,
                                    "no <form>/schema.json here; "
                                    "run `sitegen build` first or pass --schemas DIR")])
    count = write_package(out, folder, deps)
    click.echo(f"Wrote {out} ({count} files, {len(forms)} form schemas); "
               "handler sitegen.intake.lambda_handler.handler")


@intake_group.command("redrive")
@site_option
@click.option("--bucket", help="S3 bucket (default: intake.bucket in site.yaml, or SITEGEN_INTAKE_BUCKET).")
@click.option("--prefix", default=None, help="Key prefix for submissions (default: intake.prefix).")
@click.option("--endpoint-url", default=None, help="An AWS-compatible endpoint, like http://127.0.0.1:5000.")
@click.option("--region", default=None, help="AWS region (default: intake.region, then the AWS config).")
def redrive_command(site_dir: Path, **flags) -> None:
    """Send the announcements a queue or topic outage held back (<prefix>_unannounced/), each once.

    A marker is deleted only after its message was sent; run it again until it reports
    nothing left.  Exits 3 when some could not be sent (they stay for the next run).
    """
    from ..intake.config import resolve
    from ..intake.notify import redrive
    from ..intake.storage import make_client
    from ..terminal import printable
    settings = resolve(site_root(site_dir), os.environ, flags)
    if not settings.bucket:
        raise click.UsageError("no bucket: pass --bucket, set intake.bucket in site.yaml "
                               "or SITEGEN_INTAKE_BUCKET")
    if not settings.notify and not settings.routes:
        raise click.UsageError("no destination: set intake.notify (or intake.routes) in site.yaml "
                               "or SITEGEN_INTAKE_NOTIFY")

    def report(reference: str, outcome: str) -> None:
        click.echo(f"{printable(reference)[:40]}: {printable(outcome)}")
    try:
        sent, failed = redrive(settings, make_client(settings), report=report)
    except Exception as exc:  # noqa: BLE001 - S3 unreachable or unreadable: an outside failure
        raise ServiceError(f"s3://{settings.bucket}", f"cannot read the waiting announcements: "
                                                      f"{type(exc).__name__}") from None
    click.echo(f"Sent {sent} waiting announcement(s); {failed} still waiting.")
    if failed:
        raise ServiceError(f"s3://{settings.bucket}", f"{failed} announcement(s) could not be sent; "
                                                      "they are kept: run redrive again later")


def _store_options(func):
    """--site, --bucket, --prefix, --endpoint-url, --region and --schemas, resolved as `serve` does."""
    for option in reversed([
        site_option,
        click.option("--bucket",
                     help="S3 bucket (default: intake.bucket in site.yaml, or SITEGEN_INTAKE_BUCKET)."),
        click.option("--prefix", default=None, help="Key prefix for submissions (default: intake.prefix)."),
        click.option("--endpoint-url", default=None,
                     help="An S3-compatible endpoint, like http://127.0.0.1:9000."),
        click.option("--region", default=None,
                     help="AWS region (default: intake.region, then the AWS config)."),
        click.option("--schemas", type=click.Path(file_okay=False, path_type=Path), default=None,
                     help="Folder of <form>/schema.json (default: build/forms in the site folder)."),
    ]):
        func = option(func)
    return func


def _days_options(func):
    """--day, or --from and --to: UTC days received, YYYY-MM-DD."""
    for option in reversed([
        click.option("--day", default=None, help="Reports received on this UTC day (YYYY-MM-DD)."),
        click.option("--from", "start", default=None, help="Received on or after this UTC day."),
        click.option("--to", "end", default=None, help="Received on or before this UTC day."),
        click.option("--form", default=None, help="Only this form's reports (its id, like report-crime)."),
    ]):
        func = option(func)
    return func


def _settings(site_dir: Path, flags: dict):
    """The intake settings the staff commands' FLAGS, site.yaml and the environment give."""
    from ..intake.config import resolve
    flags["schemas"] = str(flags["schemas"].absolute()) if flags.get("schemas") else None
    return resolve(site_root(site_dir), os.environ, flags)


def _reader(site_dir: Path, flags: dict):
    from ..intake.reading import reader_for
    return reader_for(_settings(site_dir, flags))


@intake_group.command("list")
@_store_options
@_days_options
@click.option("--ward", default=None, help="Only reports about this ward (slug); opens each report.")
@click.option("--language", default=None,
              help="Only reports answered in this language (a tag like cy); opens each report.")
def list_command(site_dir: Path, day, start, end, form, ward, language, **flags) -> None:
    """One line per report: reference, time stored (UTC), form (and the language it was answered in,
    with --ward or --language).  Reads keys only, unless --ward or --language."""
    from ..intake.reading import list_lines
    count = 0
    for line in list_lines(_reader(site_dir, flags), day, start, end, form, ward, language):
        click.echo(line)
        count += 1
    click.echo(f"{count} report(s).", err=True)


@intake_group.command("show")
@_store_options
@click.argument("reference")
def show_command(site_dir: Path, reference: str, **flags) -> None:
    """Print the report REFERENCE (like CR-2026-7K4M9Q2XW) with the questions as they were asked."""
    from ..intake.reading import parse_reference, render_report
    wanted = parse_reference(reference)
    reader = _reader(site_dir, flags)
    document = reader.report(wanted)
    schema = reader.schema_for(str(document.get("form", "")), document.get("form_version"))
    click.echo("\n".join(render_report(document, schema)))


@intake_group.command("export")
@_store_options
@_days_options
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), required=True,
              help="csv: one form, one row per report; jsonl: one stored report per line.")
def export_command(site_dir: Path, day, start, end, form, fmt: str, **flags) -> None:
    """Write the reports chosen to standard output, for a case system (`> reports.csv`).

    On a terminal (not redirected) control characters and bidi overrides show as escapes.
    """
    import sys

    from ..intake.reading import export_text, for_terminal
    text = export_text(_reader(site_dir, flags), fmt, day, start, end, form)
    # color=True: click would otherwise strip escape sequences from a redirected export's answers
    click.echo(for_terminal(text) if sys.stdout.isatty() else text, nl=False, color=True)


@intake_group.command("delete")
@_store_options
@click.argument("reference")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def delete_command(site_dir: Path, reference: str, yes: bool, **flags) -> None:
    """Delete the report REFERENCE, its claim and any waiting announcement (a data-protection request).

    Logged to <prefix>_deletions/<day>.jsonl: the reference, who and when, never the answers.
    """
    from ..intake.notify import utc_now
    from ..intake.reading import caller_identity, parse_reference, reader_for, staff_client
    from ..terminal import printable
    wanted = parse_reference(reference)
    settings = _settings(site_dir, flags)
    reader = reader_for(settings)
    claim = reader.find(wanted)
    if not yes:
        click.confirm(f"Delete report {wanted} ({claim['form']}) for good?", abort=True, err=True)
    entry = reader.delete(wanted, caller_identity(staff_client("sts", settings)), utc_now(), claim)
    click.echo(f"Deleted {wanted}: {len(entry['deleted'])} object(s); "
               f"logged as deleted by {printable(entry['by'])}.")


@intake_group.command("lifecycle")
@_store_options
@click.option("--apply", "apply_rules", is_flag=True,
              help="Put the rules on the bucket (replacing its lifecycle rules), instead of printing them.")
@click.option("--print", "print_rules", is_flag=True, help="Print the LifecycleConfiguration JSON (default).")
def lifecycle_command(site_dir: Path, apply_rules: bool, print_rules: bool, **flags) -> None:
    """S3 lifecycle rules from each form's retention_days: reports and claims expire by form."""
    import json

    from ..intake.retention import lifecycle_configuration, site_retention
    root = site_root(site_dir)
    reader = _reader(site_dir, flags) if apply_rules else None
    prefix = reader.prefix if reader else _prefix(root, flags)
    configuration = lifecycle_configuration(site_retention(root), prefix)
    if reader is None or print_rules:
        click.echo(json.dumps(configuration, indent=2))
    if reader is not None:
        reader.put_lifecycle(configuration)
        click.echo(f"Applied {len(configuration['Rules'])} lifecycle rules to s3://{reader.bucket}/",
                   err=True)


def _prefix(root: Path, flags: dict) -> str:
    from ..intake.config import resolve
    return resolve(root, os.environ, {**flags, "schemas": None}).key_prefix


@intake_group.command("keep-schemas")
@_store_options
def keep_schemas_command(site_dir: Path, **flags) -> None:
    """Copy the built form schemas to <prefix>_schemas/, so reports can be read with their questions."""
    written = _reader(site_dir, flags).keep_schemas()
    click.echo(f"Kept {len(written)} new schema version(s).")


def _listen(app, host: str, port: int):
    """The receiver's server on HOST:PORT; SitegenError (exit 1) when it cannot listen there."""
    from ..intake.wsgi import make_wsgi_server
    from ..localserver import listen
    return listen(lambda: make_wsgi_server(app, host, port), host, port)


def check_bucket(receiver, settings) -> None:
    """Fail early (exit 3) when the bucket cannot be reached."""
    client = receiver.store.writer.client
    try:
        client.head_bucket(Bucket=settings.bucket)
    except Exception as exc:  # noqa: BLE001 - any failure here means no submission could be stored
        raise ServiceError(f"s3://{settings.bucket}", f"cannot reach the bucket: {exc}") from None


def _show_log() -> None:
    """Print the receiver's log lines (form, reference, size, outcome) on stderr."""
    logger = logging.getLogger("sitegen.intake")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
