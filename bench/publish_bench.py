"""Print how `sitegen publish` compares with `aws s3 sync` on a ~624-ward site.

    .venv/bin/python bench/publish_bench.py [--build DIR] [--aws PATH] [--jobs N]

Both tools publish the same build folder to one moto server on 127.0.0.1 (a
subprocess, see tests/motoserver.py), each into its own bucket, and the bench
prints, side by side, seconds and uploads for:

  first publish      an empty bucket
  no change          the same folder again
  fresh checkout     every file's mtime set to now first, as a CI checkout does

The site: --build DIR publishes that folder.  Without it, a temporary site gets
every ward of ../shared/data/london-wards.csv through `sitegen import-wards`
and is built with `sitegen build`; if either fails, a synthetic folder of the
same shape (624 wards: page, feed and calendar each, plus assets) is written.

The aws CLI: --aws PATH, else `aws` on PATH, else the bench makes its own venv
in bench/out/awscli-venv and runs `pip install awscli` there (from PyPI; the
project's .venv is not touched).

sitegen is driven through its Python API (`sitegen.publish.publish`), so the
figures leave out `sitegen check`, which the command runs first.  Figures only;
nothing is asserted.  Expect noise of ±20% between runs on a 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from motoserver import FAKE_AWS_ENV  # noqa: E402
from sitegen.devserver import MotoProcess  # noqa: E402
from sitegen.publish import PublishOptions, Target, publish  # noqa: E402

WARDS_CSV = ROOT.parent / "shared" / "data" / "london-wards.csv"
SITEGEN = Path(sys.executable).parent / "sitegen"
AWS_VENV = ROOT / "bench" / "out" / "awscli-venv"
SYNTHETIC_WARDS = 624


def built_site(workdir: Path) -> tuple[Path, str]:
    """A build of every London ward; falls back to a synthetic folder."""
    site = workdir / "site"
    site.mkdir()
    (site / "site.yaml").write_text("name: Bench Police\nbase_url: https://police.example/\n")
    try:
        for args in (["import-wards", str(WARDS_CSV)], ["build", "--build-date", "2026-11-28"]):
            subprocess.run([str(SITEGEN), *args, "--site", str(site)], check=True, capture_output=True, text=True)
        return site / "build", "sitegen import-wards + build"
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"(import-wards/build failed: {getattr(exc, 'stderr', exc)!s:.200}; using a synthetic folder)")
        return synthetic_build(workdir / "synthetic"), "synthetic"


def synthetic_build(build: Path) -> Path:
    """624 wards shaped like a real build: a page, an Atom feed and a calendar each."""
    files = {"index.html": "<h1>Home</h1>" * 400, "404.html": "<h1>Not found</h1>", "robots.txt": "User-agent: *\n",
             "assets/govuk-frontend.min.0123456789.css": "a{}" * 40_000,
             "assets/govuk-frontend.min.abcdef0123.js": "x;" * 25_000,
             "sitemap.xml": "<url/>" * SYNTHETIC_WARDS}
    for n in range(SYNTHETIC_WARDS):
        files[f"areas/ward-{n}/index.html"] = f"<h1>Ward {n}</h1>" + "<p>Neighbourhood team news.</p>" * 150
        files[f"areas/ward-{n}/feed.xml"] = f"<feed><title>Ward {n}</title></feed>" * 20
        files[f"areas/ward-{n}/events.ics"] = f"BEGIN:VCALENDAR\r\nX-WARD:{n}\r\nEND:VCALENDAR\r\n"
    for path, text in files.items():
        (build / path).parent.mkdir(parents=True, exist_ok=True)
        (build / path).write_text(text)
    return build


def works(aws: str | Path | None) -> bool:
    """True when AWS runs (a pyenv shim with no aws behind it does not)."""
    if not aws:
        return False
    return subprocess.run([str(aws), "--version"], capture_output=True).returncode == 0


def find_aws(explicit: str | None) -> Path:
    """The aws CLI to compare with, installing it into the bench's own venv if needed."""
    if explicit:
        return Path(explicit)
    if works(shutil.which("aws")):
        return Path(shutil.which("aws"))
    aws = AWS_VENV / "bin" / "aws"
    if not works(aws):
        print(f"(installing awscli into {AWS_VENV.relative_to(ROOT)} from PyPI)")
        subprocess.run([sys.executable, "-m", "venv", str(AWS_VENV)], check=True)
        subprocess.run([str(AWS_VENV / "bin" / "pip"), "install", "--quiet", "awscli"], check=True)
    return aws


def touch_all(build: Path) -> None:
    """Give every file a new mtime, as a fresh CI checkout does."""
    time.sleep(1.5)             # S3's LastModified has one-second resolution
    now = time.time()
    for path in build.rglob("*"):
        if path.is_file():
            os.utime(path, (now, now))


def time_sitegen(build: Path, endpoint: str, bucket: str, jobs: int) -> tuple[float, int]:
    """Seconds and uploads of one `sitegen publish`."""
    options = PublishOptions(build_dir=build, target=Target(bucket=bucket, prefix="site", endpoint_url=endpoint),
                             jobs=jobs)
    started = time.perf_counter()
    summary = publish(options)
    return time.perf_counter() - started, summary.uploaded


def time_aws(aws: Path, build: Path, endpoint: str, bucket: str) -> tuple[float, int]:
    """Seconds and uploads of one `aws s3 sync --delete`."""
    started = time.perf_counter()
    done = subprocess.run([str(aws), "--endpoint-url", endpoint, "s3", "sync", "--delete", "--no-progress", str(build),
                           f"s3://{bucket}/site/"], check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, sum(1 for line in done.stdout.splitlines() if line.startswith("upload:"))


def run(build: Path, aws: Path, jobs: int) -> list[tuple[str, tuple[float, int], tuple[float, int]]]:
    """Every measurement, in the order a real site lives through them."""
    server = MotoProcess().start()
    try:
        s3 = boto3.client("s3", endpoint_url=server.endpoint)
        for bucket in ("bench-sitegen", "bench-awscli"):
            s3.create_bucket(Bucket=bucket)
        rows = []
        for label in ("first publish", "no change"):
            rows.append((label, time_sitegen(build, server.endpoint, "bench-sitegen", jobs),
                         time_aws(aws, build, server.endpoint, "bench-awscli")))
        touch_all(build)
        rows.append(("fresh checkout (mtimes new)", time_sitegen(build, server.endpoint, "bench-sitegen", jobs),
                     time_aws(aws, build, server.endpoint, "bench-awscli")))
        return rows
    finally:
        server.stop()


def main() -> None:
    """Parse arguments, run, print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", type=Path, help="publish this build folder (default: a fresh 624-ward site)")
    parser.add_argument("--aws", help="path of the aws CLI (default: PATH, else bench/out/awscli-venv)")
    parser.add_argument("--jobs", type=int, default=16, help="sitegen's parallel requests (default 16)")
    args = parser.parse_args()
    os.environ.update(FAKE_AWS_ENV)
    aws = find_aws(args.aws)
    with tempfile.TemporaryDirectory() as tmp:
        if args.build:
            build, source = Path(tempfile.mkdtemp(dir=tmp)) / "build", str(args.build)
            shutil.copytree(args.build, build)      # a copy: the bench touches mtimes
        else:
            build, source = built_site(Path(tmp))
        files = [p for p in build.rglob("*") if p.is_file()]
        megabytes = sum(p.stat().st_size for p in files) / 1e6
        version = subprocess.run([str(aws), "--version"], capture_output=True, text=True).stdout.strip()
        print(f"site: {source}: {len(files)} files, {megabytes:.1f} MB; moto server on 127.0.0.1;"
              f" sitegen --jobs {args.jobs}; {version.split()[0] if version else 'aws'} (10 requests at once)")
        rows = run(build, aws, args.jobs)
    print(f"{'':<29}{'sitegen publish':>24}{'aws s3 sync':>24}")
    for label, (s_sec, s_up), (a_sec, a_up) in rows:
        print(f"{label:<29}{s_sec:>9.2f} s {s_up:>6} uploads{a_sec:>9.2f} s {a_up:>6} uploads")


if __name__ == "__main__":
    main()
