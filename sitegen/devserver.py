"""`make serve`: the preview with forms that work end to end, on this machine only.

    python -m sitegen.devserver [--site DIR] [--port 8000] [--build-date YYYY-MM-DD]

1. starts moto's S3 server (a subprocess on 127.0.0.1, a free port) with fake
   credentials, and creates a bucket in it;
2. starts the form receiver (sitegen.intake) in a thread on 127.0.0.1, storing
   into that bucket and sending people back to the preview;
3. runs the preview (sitegen.serve) with SITEGEN_FORMS_ENDPOINT pointing the
   forms at the receiver.  It builds into .cache/preview/, never build/, so a
   preview build with local addresses can never be published.

Nothing leaves the machine: every address is 127.0.0.1.  Ctrl-C stops all three.
"""
from __future__ import annotations

import argparse
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .config import load_config
from .errors import SitegenError
from .localserver import port_is_free

if TYPE_CHECKING:  # the receiver is imported only when the stack starts
    from .intake.wsgi import ThreadingWSGIServer

HOST = "127.0.0.1"
BUCKET = "sitegen-preview-submissions"
PREFIX = "submissions/"
FAKE_AWS = {"AWS_ACCESS_KEY_ID": "preview", "AWS_SECRET_ACCESS_KEY": "preview",
            "AWS_SESSION_TOKEN": "preview", "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
            "AWS_EC2_METADATA_DISABLED": "true",
            "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull}
UNSET_AWS = ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ROLE_ARN",
             "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
             "AWS_CONTAINER_CREDENTIALS_FULL_URI")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def use_fake_aws(environ: MutableMapping[str, str] = os.environ) -> None:
    """Point boto3 in this process at fake credentials, never the developer's AWS account."""
    for name in UNSET_AWS:
        environ.pop(name, None)
    environ.update(FAKE_AWS)


class MotoProcess:
    """moto's S3 server as a subprocess on 127.0.0.1."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def endpoint(self) -> str:
        """The endpoint URL for boto3."""
        return f"http://{HOST}:{self.port}"

    def start(self, timeout: float = 30.0) -> MotoProcess:
        """Start the server and wait until it answers."""
        command = [sys.executable, "-m", "moto.server", "-H", HOST, "-p", str(self.port)]
        self.process = subprocess.Popen(command,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env={**os.environ, **FAKE_AWS})
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self.process.returncode}")
            if self._answers():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not answer on {self.endpoint} within {timeout}s")

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(self.endpoint + "/moto-api/", timeout=1):
                return True
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        """Stop the server."""
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def s3_client(endpoint: str):
    """A boto3 S3 client for the local endpoint, with fake credentials."""
    import boto3
    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="preview",
                        aws_secret_access_key="preview")


@dataclass
class DevStack:
    """moto S3, a bucket and a receiver; `start()` then `stop()` (or use `with`)."""

    schemas: Path
    site_url: str
    bucket: str = BUCKET
    prefix: str = PREFIX
    moto: MotoProcess | None = None
    server: ThreadingWSGIServer | None = None
    receiver_url: str = ""

    def start(self) -> DevStack:
        """Start moto, create the bucket, start the receiver."""
        from .intake.config import IntakeSettings, require
        from .intake.core import make_receiver
        from .intake.wsgi import IntakeApp, serve_in_thread
        use_fake_aws()
        self.moto = MotoProcess().start()
        client = s3_client(self.moto.endpoint)
        client.create_bucket(Bucket=self.bucket)
        wanted = IntakeSettings(bucket=self.bucket, prefix=self.prefix, endpoint_url=self.moto.endpoint,
                                schemas=str(self.schemas), site_url=self.site_url)
        settings = require(wanted, ephemeral_secret=True)
        app = IntakeApp(make_receiver(settings, watch=True))
        self.server, self.receiver_url = serve_in_thread(app, HOST, 0)
        return self

    @property
    def forms_endpoint(self) -> str:
        """What forms post to: the receiver's /submit, plus /<form-id>."""
        return f"{self.receiver_url}/submit"

    def stop(self) -> None:
        """Stop the receiver and moto."""
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.moto is not None:
            self.moto.stop()

    def __enter__(self) -> DevStack:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def run_stack(root: Path, out_dir: Path, port: int, build_date) -> None:
    """Moto, the receiver and the admin's decap-server (sitegen/admin/localbackend.py), then the
    preview (sitegen.serve.serve) with forms posting to the receiver."""
    from .admin.localbackend import local_backend
    from .serve import serve
    with DevStack(out_dir / "forms", f"http://{HOST}:{port}/") as stack, local_backend(root):
        assert stack.moto is not None, "started on entering the stack"
        os.environ["SITEGEN_FORMS_ENDPOINT"] = stack.forms_endpoint
        print(f"Forms post to {stack.forms_endpoint}/<form>; submissions are stored in s3://{stack.bucket}/"
              f"{stack.prefix} on a local S3 (moto) at {stack.moto.endpoint}. Nothing leaves this machine.")
        print(f"List them: AWS_ACCESS_KEY_ID=preview AWS_SECRET_ACCESS_KEY=preview aws --endpoint-url "
              f"{stack.moto.endpoint} s3 ls --recursive s3://{stack.bucket}/{stack.prefix}")
        serve(root, out_dir, port, build_date)


def _stop_on_signal(signum, frame) -> None:
    raise KeyboardInterrupt


class _IntakeLogHandler(logging.StreamHandler):
    """The preview's handler for the receiver's lines, marked so it is added only once."""

    sitegen_devserver = True


def _show_intake_log() -> None:
    """The receiver's lines (form, reference, size, outcome) on stderr, once."""
    logger = logging.getLogger("sitegen.intake")
    if any(getattr(h, "sitegen_devserver", False) for h in logger.handlers):
        return
    handler = _IntakeLogHandler()
    handler.setFormatter(logging.Formatter("receiver: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def next_free_port(port: int) -> int:
    """The first port after PORT that is free on HOST (PORT + 1 when none of the next 100 is)."""
    return next((p for p in range(port + 1, min(port + 101, 65536)) if port_is_free(p, HOST)), port + 1)


def admin_port_problem(root: Path) -> str:
    """One line when the admin of the site at ROOT is enabled and its decap-server port
    (admin.local_port) is taken, else "".  The preview then does not start at all: its
    admin/config.yml would point at whatever listens there (another site's decap-server
    would save this admin's edits into that site)."""
    try:
        admin = load_config(root).admin
    except SitegenError:
        return ""                       # the preview shows site.yaml's problems
    if not admin.enabled or port_is_free(admin.local_port, HOST):
        return ""
    other = next_free_port(admin.local_port)
    return (f"Port {admin.local_port} on {HOST}, the admin's decap-server port (admin.local_port), is in use,"
            f" maybe by another site's preview: stop it, or set 'local_port: {other}' under admin:"
            " in site.yaml.")


def main(argv: list[str] | None = None) -> int:
    """Run moto, the receiver and the preview until Ctrl-C."""
    parser = argparse.ArgumentParser(prog="python -m sitegen.devserver", description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=".", help="The site folder (the one holding site.yaml).")
    parser.add_argument("--port", type=int, default=8000, help="Preview port (default 8000).")
    parser.add_argument("--build-date", default=None, help="Treat this day (YYYY-MM-DD) as today.")
    args = parser.parse_args(argv)
    from datetime import datetime

    from .commands import resolve_build_date, site_root
    if not port_is_free(args.port):
        print(f"Port {args.port} on {HOST} is in use: stop what uses it, or choose another port"
              f" (make serve PORT={next_free_port(args.port)}, or --port N).", file=sys.stderr)
        return 1
    root = site_root(Path(args.site))
    busy_admin = admin_port_problem(root)
    if busy_admin:
        print(busy_admin, file=sys.stderr)
        return 1
    out_dir = root / ".cache" / "preview"
    shutil.rmtree(out_dir, ignore_errors=True)   # a new receiver port: render every form again
    given = datetime.strptime(args.build_date, "%Y-%m-%d") if args.build_date else None
    build_date = resolve_build_date(given)
    _show_intake_log()
    previous = signal.signal(signal.SIGTERM, _stop_on_signal)   # like Ctrl-C, so moto is stopped too
    try:
        run_stack(root, out_dir, args.port, build_date)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
