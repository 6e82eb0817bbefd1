"""Apply a plan with boto3: uploads group by group, batched deletes, the
publish state, CDN invalidations and the wait for them (sitegen/publish/publisher.py
puts these in order).  Each group finishes before the next starts, so a
publish that stops anywhere (crash, Ctrl-C, S3 failure) leaves every live
page's assets in place; running it again converges.
"""
from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path
from typing import Any, TypeVar

from boto3.s3.transfer import TransferConfig

from ..errors import Problem, ServiceError, SitegenError
from .clients import Clients, Target
from .headers import NO_STORE
from .plan import GROUP_NAMES, Plan, Upload, group_of
from .remote import MD5_METADATA
from .report import Reporter
from .state import STATE_NAME, State, encode

DELETE_BATCH = 1000         # S3 DeleteObjects takes at most 1,000 keys
INVALIDATION_BATCH = 3000   # CloudFront takes at most 3,000 paths per invalidation
MiB = 1024 * 1024

T = TypeVar("T")
R = TypeVar("R")


def run_parallel(func: Callable[[T], R], items: Sequence[T], jobs: int, reporter: Reporter) -> list[R]:
    """FUNC over ITEMS in JOBS threads; on the first failure (or Ctrl-C) cancel the rest and raise."""
    results = []
    pool = ThreadPoolExecutor(max_workers=jobs)
    try:
        futures = [pool.submit(func, item) for item in items]
        for future in as_completed(futures):
            results.append(future.result())
            reporter.advance()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return results


def _put_args(upload: Upload) -> dict[str, Any]:
    headers = upload.file.headers
    return {"ContentType": headers.content_type, "CacheControl": headers.cache_control,
            "Metadata": {MD5_METADATA: upload.file.md5}}


def put_small(clients: Clients, target: Target, build_dir: Path, upload: Upload) -> str:
    """PUT one file in a single request, S3 checking its MD5; return its ETag."""
    data = (build_dir / upload.path).read_bytes()
    digest = hashlib.md5(data, usedforsecurity=False)
    if digest.hexdigest() != upload.file.md5:
        raise SitegenError([Problem(upload.path, 0, 0,
                                    "changed while publishing; build again, then publish")])
    response = clients.s3.put_object(Bucket=target.bucket, Key=target.key(upload.path), Body=data,
                                     ContentMD5=base64.b64encode(digest.digest()).decode(),
                                     **_put_args(upload))
    return response["ETag"].strip('"')


def put_multipart(clients: Clients, target: Target, build_dir: Path, upload: Upload, threshold: int) -> str:
    """Upload one large file in parts (the MD5 goes in metadata); return its ETag."""
    config = TransferConfig(multipart_threshold=threshold, multipart_chunksize=max(threshold, 8 * MiB),
                            use_threads=False)  # parallelism comes from the outer thread pool
    key = target.key(upload.path)
    clients.s3.upload_file(str(build_dir / upload.path), target.bucket, key,
                           ExtraArgs=_put_args(upload), Config=config)
    return clients.s3.head_object(Bucket=target.bucket, Key=key)["ETag"].strip('"')


def upload_groups(plan: Plan, clients: Clients, target: Target, build_dir: Path, jobs: int,
                  threshold: int, reporter: Reporter) -> dict[str, str]:
    """Upload every group in order, each finished before the next; return {path: ETag}."""
    def upload_one(upload: Upload) -> tuple[str, str]:
        if upload.file.size >= threshold:
            return upload.path, put_multipart(clients, target, build_dir, upload, threshold)
        return upload.path, put_small(clients, target, build_dir, upload)

    etags: dict[str, str] = {}
    for number, uploads in plan.groups():
        reporter.start(f"Uploading {GROUP_NAMES[number]}", len(uploads))
        etags.update(run_parallel(upload_one, uploads, jobs, reporter))
        reporter.finish()
    return etags


def delete_batches(paths: Iterable[str]) -> list[list[str]]:
    """PATHS (already in delete order) cut into requests of at most 1,000 keys that
    never mix upload groups, so pages always go before the assets they use."""
    batches: list[list[str]] = []
    last_group = None
    for path in paths:
        group = group_of(path)
        if not batches or group != last_group or len(batches[-1]) >= DELETE_BATCH:
            batches.append([])
        batches[-1].append(path)
        last_group = group
    return batches


def delete_paths(paths: Sequence[str], clients: Clients, target: Target, reporter: Reporter) -> None:
    """Delete the stale keys PATHS (in delete order), batch by batch; raise if S3 refuses any."""
    if not paths:
        return
    reporter.start("Deleting stale keys", len(paths))
    for batch in delete_batches(paths):
        objects = [{"Key": target.key(path)} for path in batch]
        response = clients.s3.delete_objects(Bucket=target.bucket, Delete={"Objects": objects, "Quiet": True})
        if response.get("Errors"):
            first = response["Errors"][0]
            raise ServiceError(target.where, f"S3 refused to delete {len(response['Errors'])} keys, first"
                               f" {first.get('Key')}: {first.get('Code')} {first.get('Message', '')}")
        reporter.advance(len(batch))
    reporter.finish()


def write_state(clients: Clients, target: Target, state: State, pending: Sequence[str] = ()) -> None:
    """Record the publish state under the prefix, with the CDN paths still to invalidate."""
    clients.s3.put_object(Bucket=target.bucket, Key=target.key(STATE_NAME),
                          Body=encode(state, tuple(pending)),
                          ContentType="application/json", CacheControl=NO_STORE)


def invalidate(clients: Clients, distribution_id: str, paths: list[str]) -> list[str]:
    """Ask CloudFront to forget PATHS (batched); return the invalidation ids."""
    ids = []
    stamp = time.time_ns()
    for start in range(0, len(paths), INVALIDATION_BATCH):
        batch = paths[start:start + INVALIDATION_BATCH]
        response = clients.cloudfront.create_invalidation(DistributionId=distribution_id, InvalidationBatch={
            "Paths": {"Quantity": len(batch), "Items": batch},
            "CallerReference": f"sitegen-{stamp}-{start}"})
        ids.append(response["Invalidation"]["Id"])
    return ids


def wait_for_invalidations(clients: Clients, distribution_id: str, ids: list[str], seconds: float,
                           poll: float = 15.0) -> bool:
    """Wait up to SECONDS until CloudFront reports every invalidation in IDS
    completed; False if time ran out first."""
    deadline = time.monotonic() + seconds
    waiting = list(ids)
    while waiting:
        response = clients.cloudfront.get_invalidation(DistributionId=distribution_id, Id=waiting[0])
        if response["Invalidation"]["Status"].lower() == "completed":
            waiting.pop(0)
            continue
        if time.monotonic() + poll > deadline:
            return False
        time.sleep(poll)
    return True
