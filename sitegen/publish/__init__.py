"""Publish a build to S3 and CloudFront, uploading only what changed, in a safe order.

Modules, one job each:

    headers    the one table of Content-Type and Cache-Control, with site.yaml overrides
    local      the build: path, size, MD5, wanted headers (never mtimes)
    remote     the bucket: listing, publish state, HEAD where needed
    state      the small JSON record of what was uploaded with which headers
    plan       pure: local + remote -> uploads with reasons, deletes, CDN paths
    apply      boto3 I/O: grouped parallel uploads, batched deletes, invalidation
    clients    boto3 clients, retries, and S3 failures as ServiceError (exit 3)
    report     progress bar and plan text
    publisher  the whole publish, start to end
"""
from .clients import Target, make_clients
from .publisher import PublishOptions, Summary, execute, prepare, publish, refuse_deletes, summarise

__all__ = ["PublishOptions", "Summary", "Target", "execute", "make_clients", "prepare", "publish",
           "refuse_deletes", "summarise"]
