"""A publish from start to end: scan, list, plan, refuse, apply, record, invalidate.

    build/ ─► local.scan ────────┐
                                 ├─► plan.make_plan (pure) ─► refusals ─► apply: uploads by group,
    bucket ─► remote.fetch_remote┘                                        deletes, state, CDN
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


@dataclass(frozen=True)
class PublishOptions:
    """Everything one publish needs to know."""

    build_dir: Path
    target: Target
    max_deletes: int = 250
    wildcard_over: int = 100
    header_rules: tuple[dict, ...] = ()
    jobs: int = 16
    verify: bool = False
    multipart_threshold: int = 8 * MiB


@dataclass(frozen=True)
class Prepared:
    """A plan with what was learnt making it."""

    files: tuple[LocalFile, ...]
    remote: dict[str, RemoteObject]
    state: State
    plan: Plan
    invalidations: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Summary:
    """What a publish did (or, for a dry run, would do)."""

    uploaded: int
    deleted: int
    unchanged: int
    invalidated: list[str]

    def as_dict(self) -> dict:
        """The --json object."""
        return {"uploaded": self.uploaded, "deleted": self.deleted, "unchanged": self.unchanged,
                "invalidated": list(self.invalidated)}


def prepare(options: PublishOptions, clients: Clients) -> Prepared:
    """Scan the build, refuse it if it must not go live, read the bucket and plan."""
    files = tuple(scan(options.build_dir, options.header_rules, jobs=min(options.jobs, 4)))
    refuse_unpublishable(options.build_dir, list(files))
    with service_errors(options.target.where, "nothing was changed"):
        remote, state = fetch_remote(clients.s3, options.target, files, options.jobs, options.verify)
    plan = make_plan(files, remote)
    invalidations = invalidation_paths(plan, options.wildcard_over) if options.target.distribution_id else []
    return Prepared(files, remote, state, plan, invalidations)


def refuse_deletes(prepared: Prepared, options: PublishOptions) -> None:
    """Refuse, before anything is changed, a plan that deletes more than max_deletes keys."""
    count = len(prepared.plan.deletes)
    if count > options.max_deletes:
        raise SitegenError([Problem(options.target.where, 0, 0,
                                    f"refusing to delete {count} keys (more than --max-deletes {options.max_deletes});"
                                    " nothing was changed. Check the build and --prefix, then raise --max-deletes"
                                    " if this is meant")])


def next_state(prepared: Prepared, etags: dict[str, str]) -> State:
    """The state after a successful apply: every local file with its ETag, MD5 and headers."""
    return {f.path: Entry(etags.get(f.path) or prepared.remote[f.path].etag, f.md5, f.headers)
            for f in prepared.files}


def execute(prepared: Prepared, options: PublishOptions, clients: Clients, reporter: Reporter) -> Summary:
    """Apply a prepared plan: uploads by group, deletes, the state, then the CDN."""
    target, plan = options.target, prepared.plan
    with service_errors(target.where, "the live site is consistent (no page lacks its assets);"
                                      " run publish again to finish"):
        etags = apply.upload_groups(plan, clients, target, options.build_dir, options.jobs,
                                    options.multipart_threshold, reporter)
        apply.delete_paths(plan, clients, target, reporter)
        state = next_state(prepared, etags)
        if state != prepared.state:
            apply.write_state(clients, target, state)
    if prepared.invalidations:
        with service_errors(f"cloudfront:{target.distribution_id}", "the bucket is up to date, but the CDN may"
                            " serve the old pages until their max-age (5 minutes) runs out"):
            apply.invalidate(clients, target.distribution_id, prepared.invalidations)
    return summarise(prepared)


def summarise(prepared: Prepared) -> Summary:
    """The summary of PREPARED's plan."""
    plan = prepared.plan
    return Summary(len(plan.uploads), len(plan.deletes), len(plan.unchanged), list(prepared.invalidations))


def publish(options: PublishOptions, clients: Clients | None = None, reporter: Reporter | None = None) -> Summary:
    """Publish OPTIONS.build_dir to OPTIONS.target; raise SitegenError/ServiceError when refused or failed."""
    clients = clients or make_clients(options.target, options.jobs)
    prepared = prepare(options, clients)
    refuse_deletes(prepared, options)
    return execute(prepared, options, clients, reporter or Reporter())
