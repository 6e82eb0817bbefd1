"""A publish from start to end: scan, list, plan, refuse, apply, record, invalidate.

    build/ ─► local.scan ────────┐
                                 ├─► plan.make_plan (pure) ─► refusals ─► apply: uploads by group,
    bucket ─► remote.fetch_remote┘                                        stale pages deleted, state,
                                                                          CDN, stale assets deleted

Re-running after a stop anywhere converges: the CDN paths a publish will
invalidate are recorded in the state before the first upload and cleared
only after CloudFront has invalidated them; stale assets are deleted only
after that, so no cached page outlives the stylesheet it uses.

The delete guards: `max_deletes` when given (flag or site.yaml); otherwise at
most a tenth of the published objects (and never fewer than DELETE_FLOOR).
A build with fewer than half the files published is refused as a shrink.
`allow_shrink` lifts the relative guard and the shrink guard, not a
`max_deletes` given explicitly.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem, SitegenError
from . import apply
from .clients import Clients, Target, make_clients, service_errors
from .local import LocalFile, refuse_unpublishable, scan
from .plan import Plan, RemoteObject, invalidation_paths, make_plan
from .remote import fetch_remote
from .report import Reporter
from .state import Entry, State

MiB = 1024 * 1024
DELETE_SHARE = 10          # per cent of the published objects one publish may delete by default
DELETE_FLOOR = 10          # ... and never fewer than this many
SHRINK_RATIO = 2           # a build with fewer than 1/SHRINK_RATIO of the published files is a shrink
INVALIDATION_WAIT = 20 * 60.0


@dataclass(frozen=True)
class PublishOptions:
    """Everything one publish needs to know."""

    build_dir: Path
    target: Target
    max_deletes: int | None = None          # None: DELETE_SHARE of the published objects
    wildcard_over: int = 100
    header_rules: tuple[dict, ...] = ()
    jobs: int = 16
    verify: bool = False
    multipart_threshold: int = 8 * MiB
    allow_shrink: bool = False
    invalidation_wait: float = INVALIDATION_WAIT   # seconds to wait for CloudFront before deleting old assets


@dataclass(frozen=True)
class Prepared:
    """A plan with what was learnt making it."""

    files: tuple[LocalFile, ...]
    remote: dict[str, RemoteObject]
    state: State
    plan: Plan
    invalidations: list[str] = field(default_factory=list)
    pending: tuple[str, ...] = ()     # CDN paths a stopped publish left to invalidate


@dataclass(frozen=True)
class Summary:
    """What a publish did (or, for a dry run, would do)."""

    uploaded: int
    deleted: int
    unchanged: int
    invalidated: list[str]
    deferred: int = 0      # stale assets left for the next publish (CloudFront was slow to invalidate)

    def as_dict(self) -> dict:
        """The --json object."""
        return {"uploaded": self.uploaded, "deleted": self.deleted, "unchanged": self.unchanged,
                "invalidated": list(self.invalidated)}


def prepare(options: PublishOptions, clients: Clients) -> Prepared:
    """Scan the build, refuse it if it must not go live, read the bucket and plan."""
    files = tuple(scan(options.build_dir, options.header_rules, jobs=min(options.jobs, 4)))
    refuse_unpublishable(options.build_dir, list(files))
    with service_errors(options.target.where, "nothing was changed"):
        remote, state, pending = fetch_remote(clients.s3, options.target, files, options.jobs, options.verify)
    plan = make_plan(files, remote)
    invalidations = invalidation_paths(plan, options.wildcard_over, pending) \
        if options.target.distribution_id else []
    return Prepared(files, remote, state, plan, invalidations, pending)


def delete_limit(published: int, options: PublishOptions) -> int | None:
    """How many keys one publish may delete when PUBLISHED objects are live (None: no limit)."""
    if options.max_deletes is not None:
        return options.max_deletes
    if options.allow_shrink:
        return None
    return max(DELETE_FLOOR, published * DELETE_SHARE // 100)


def refuse_deletes(prepared: Prepared, options: PublishOptions) -> None:
    """Refuse, before anything is changed, a build much smaller than what is
    published, and a plan deleting more keys than the limit (delete_limit)."""
    count, published, where = len(prepared.plan.deletes), len(prepared.remote), options.target.where
    if not options.allow_shrink and len(prepared.files) * SHRINK_RATIO < published:
        raise SitegenError([Problem(where, 0, 0,
                                    f"refusing to shrink the site from {published} published "
                                    f"files to {len(prepared.files)} (fewer than half); nothing "
                                    "was changed. Check that the build is whole and --prefix "
                                    "is right, then pass --allow-shrink if this is meant")])
    limit = delete_limit(published, options)
    if limit is None or count <= limit:
        return
    if options.max_deletes is not None:
        reason = f"more than --max-deletes {limit}"
        advice = "raise --max-deletes if this is meant"
    else:
        reason = (f"more than {DELETE_SHARE}% of the {published} published, the limit without --max-deletes,"
                  f" at least {DELETE_FLOOR}")
        advice = "pass --allow-shrink (or --max-deletes N) if this is meant"
    raise SitegenError([Problem(where, 0, 0, f"refusing to delete {count} keys ({reason}); nothing was"
                                             f" changed. Check the build and --prefix, then {advice}")])


def next_state(prepared: Prepared, etags: dict[str, str]) -> State:
    """The state after a successful apply: every local file with its ETag, MD5 and headers."""
    return {f.path: Entry(etags.get(f.path) or prepared.remote[f.path].etag, f.md5, f.headers)
            for f in prepared.files}


def execute(prepared: Prepared, options: PublishOptions, clients: Clients, reporter: Reporter) -> Summary:
    """Apply a prepared plan: record the CDN paths owed, upload by group, delete
    stale pages, record the state, invalidate, then delete stale assets."""
    target, plan, owed = options.target, prepared.plan, tuple(prepared.invalidations)
    # Without a distribution to invalidate, what an earlier publish owed stays owed.
    owed = owed if target.distribution_id else prepared.pending
    with service_errors(target.where, "the live site is consistent (no page lacks its assets);"
                                      " run publish again to finish"):
        if owed != prepared.pending:
            # Written down before any page changes: a publish stopped from here on leaves them owed.
            apply.write_state(clients, target, prepared.state, owed)
        etags = apply.upload_groups(plan, clients, target, options.build_dir, options.jobs,
                                    options.multipart_threshold, reporter)
        apply.delete_paths(plan.page_deletes, clients, target, reporter)
        state = next_state(prepared, etags)
        if state != prepared.state or owed != prepared.pending:
            apply.write_state(clients, target, state, owed)
    invalidated = _invalidate(list(owed), options, clients) if target.distribution_id else True
    deferred = () if invalidated else plan.asset_deletes
    with service_errors(target.where, "the pages are live and invalidated; run publish again to delete"
                                      " the old assets"):
        if not deferred:
            apply.delete_paths(plan.asset_deletes, clients, target, reporter)
        if owed and target.distribution_id:
            apply.write_state(clients, target, state)
    return summarise(prepared, deferred=len(deferred))


def _invalidate(paths: list[str], options: PublishOptions, clients: Clients) -> bool:
    """Invalidate PATHS on the CDN and wait for it; False if CloudFront took longer than allowed."""
    if not paths:
        return True
    distribution = options.target.distribution_id
    with service_errors(f"cloudfront:{distribution}", "the bucket is up to date and the paths still owed are"
                        " recorded; run publish again to invalidate them and delete the old assets"):
        ids = apply.invalidate(clients, distribution, paths)
        return apply.wait_for_invalidations(clients, distribution, ids, options.invalidation_wait)


def summarise(prepared: Prepared, deferred: int = 0) -> Summary:
    """The summary of PREPARED's plan (DEFERRED stale assets left for the next publish)."""
    plan = prepared.plan
    return Summary(len(plan.uploads), len(plan.deletes) - deferred, len(plan.unchanged),
                   list(prepared.invalidations), deferred)


def publish(options: PublishOptions, clients: Clients | None = None,
            reporter: Reporter | None = None) -> Summary:
    """Publish OPTIONS.build_dir to OPTIONS.target; raise SitegenError/ServiceError when refused or failed."""
    clients = clients or make_clients(options.target, options.jobs)
    prepared = prepare(options, clients)
    refuse_deletes(prepared, options)
    return execute(prepared, options, clients, reporter or Reporter())
