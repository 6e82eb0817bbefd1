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
