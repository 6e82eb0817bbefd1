"""The receiver's settings: command-line flags, then SITEGEN_INTAKE_* environment
variables, then site.yaml's `intake:` section, then the defaults below.

In Lambda there is no site.yaml: everything comes from the environment, and
the schemas from the `forms/` folder packed beside the handler.
"""
from __future__ import annotations

import math
import os
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import Problem, SitegenError
from .notify import DEFAULT_ROUTING_FIELDS, Route, destination_problem, parse_flag, parse_names, parse_routes

ENV_PREFIX = "SITEGEN_INTAKE_"
SECRET_ENV = ENV_PREFIX + "SECRET"
DEFAULT_MAX_BODY = 256 * 1024


@dataclass(frozen=True)
class IntakeSettings:
    """Everything the receiver needs; see docs/intake.md for each setting."""

    bucket: str = ""
    prefix: str = ""
    region: str = ""
    endpoint_url: str = ""
    kms_key_id: str = ""
    site_url: str = ""              # where people are sent back to; '' keeps redirects site-relative
    allowed_origin: str = ""        # the one origin given CORS headers; default: site_url's origin
    max_body_bytes: int = DEFAULT_MAX_BODY
    body_timeout_seconds: float = 10.0  # the whole body must arrive within this (WSGI app); else 400
    rate_per_minute: int = 30       # per client address, WSGI app only; 0 turns it off
    rate_burst: int = 10
    schemas: str = ""               # folder holding <form-id>/schema.json
    postcodes: str = ""             # postcode lookup (wards.py); '': beside schemas
    retries: int = 3                # extra attempts at each S3 request before answering 503
    backoff_seconds: float = 0.2    # first retry delay; doubles each time, with jitter
    timezone: str = "Europe/London"  # the day a date must be on or before ('past' dates)
    secret: str = ""                # HMAC key for references: environment only
    max_connections: int = 32       # S3 connection pool
    notify: str = ""                # default queue URL or topic ARN for announcements (notify.py); '' none
    routes: tuple[Route, ...] = ()  # first matching {form, ward, to} wins, else notify
    routing_fields: tuple[str, ...] = DEFAULT_ROUTING_FIELDS  # choice questions whose answers route
    acknowledge: bool = False       # email residents who gave an address (acknowledge.py), every form
    acknowledge_forms: tuple[str, ...] = ()  # ... or only these forms
    ses_from: str = ""              # the verified SES sender identity
    contact_phone: str = ""         # for 'how to add information'; default site.yaml phone.non_emergency
    contact_url: str = ""           # the site's contact page, if it has one

    @property
    def key_prefix(self) -> str:
        """The prefix with a trailing slash, or ''."""
        return self.prefix.strip("/") + "/" if self.prefix.strip("/") else ""

    @property
    def origin(self) -> str:
        """The origin allowed to call the receiver from scripts, or ''."""
        return self.allowed_origin.rstrip("/") or origin_of(self.site_url)


INT_SETTINGS = ("max_body_bytes", "rate_per_minute", "rate_burst", "retries", "max_connections")
FLOAT_SETTINGS = ("backoff_seconds", "body_timeout_seconds")


def origin_of(url: str) -> str:
    """scheme://host[:port] of URL, or ''."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def env_name(setting: str) -> str:
    """The environment variable of SETTING, like SITEGEN_INTAKE_MAX_BODY_BYTES."""
    return ENV_PREFIX + setting.upper()


def from_mapping(values: Mapping[str, object], where: Callable[[str], str],
                 base: IntakeSettings | None = None) -> IntakeSettings:
    """BASE with VALUES (setting -> value; None or '' ignored) applied; WHERE(setting) locates errors."""
    known = {f.name for f in fields(IntakeSettings)}
    changes: dict = {}
    problems: list[Problem] = []
    for name, value in values.items():
        if name not in known or value is None or value == "":
            continue
        if name in NOTIFY_SETTINGS:
            problems.extend(_notify_setting(name, value, where(name), changes))
            continue
        try:
            changes[name] = _typed(name, value)
        except ValueError:
            problems.append(Problem(where(name), 0, 0, f"expected a number of 0 or more, found {value!r}"))
    if problems:
        raise SitegenError(problems)
    return replace(base or IntakeSettings(), **changes)


NOTIFY_SETTINGS = ("notify", "routes", "routing_fields", "acknowledge", "acknowledge_forms", "ses_from")


def _notify_setting(name: str, value: object, where: str, changes: dict) -> list[Problem]:
    """Put setting NAME's parsed VALUE in CHANGES; the problems with it, located at WHERE."""
    text = str(value).strip()
    if name == "routes":
        changes[name], problems = parse_routes(value, where)
        return problems
    if name in ("routing_fields", "acknowledge_forms"):
        changes[name] = parse_names(value)
        return []
    if name == "acknowledge":
        try:
            changes[name] = parse_flag(value)
        except ValueError:
            return [Problem(where, 0, 0, f"expected true or false, found {text[:100]!r}")]
        return []
    problem = destination_problem(text) if name == "notify" else (
        "" if "@" in text and "\n" not in text and len(text) <= 320
        else f"expected the sender's email address, verified in SES, found {text[:100]!r}")
    if problem:
        return [Problem(where, 0, 0, problem)]
    changes[name] = text
    return []


def _typed(name: str, value: object):
    if name in INT_SETTINGS or name in FLOAT_SETTINGS:
        number = (int if name in INT_SETTINGS else float)(str(value).strip())
        if number < 0 or not math.isfinite(number):
            raise ValueError(name)
        return number
    return str(value).strip()


def from_env(environ: Mapping[str, str], base: IntakeSettings | None = None) -> IntakeSettings:
    """BASE overridden by the SITEGEN_INTAKE_* variables in ENVIRON."""
    values = {f.name: environ.get(env_name(f.name)) for f in fields(IntakeSettings)}
    return from_mapping(values, env_name, base)


def from_site(root: Path) -> IntakeSettings:
    """Settings from ROOT/site.yaml's `intake:` section, with the site's defaults filled in."""
    from ..config import load_config
    config = load_config(root)
    section = dict(config.raw.get("intake", {}))
    settings = from_mapping(section, lambda name: f"site.yaml: intake.{name}")
    schemas = Path(settings.schemas) if settings.schemas else Path("build") / "forms"
    if settings.postcodes and not Path(settings.postcodes).is_absolute():
        settings = replace(settings, postcodes=str(root / settings.postcodes))
    phone = config.raw.get("phone")
    if not settings.contact_phone and isinstance(phone, dict) and phone.get("non_emergency"):
        settings = replace(settings, contact_phone=str(phone["non_emergency"]).strip()[:40])
    return replace(settings, site_url=settings.site_url or config.base_url,
                   schemas=str(schemas if schemas.is_absolute() else root / schemas))


def resolve(root: Path | None, environ: Mapping[str, str], flags: Mapping[str, object]) -> IntakeSettings:
    """Flags over environment over ROOT/site.yaml (when there is one) over defaults."""
    base = from_site(root) if root is not None and (root / "site.yaml").is_file() else IntakeSettings()
    return from_mapping(flags, lambda name: "--" + name.replace("_", "-"), from_env(environ, base))


def require(settings: IntakeSettings, ephemeral_secret: bool = False) -> IntakeSettings:
    """SETTINGS if complete; a random secret when EPHEMERAL_SECRET allows one (local use)."""
    problems = []
    if not settings.bucket:
        problems.append(Problem(env_name("bucket"), 0, 0,
                                "no bucket: pass --bucket, set intake.bucket "
                                f"in site.yaml or {env_name('bucket')}"))
    if not settings.schemas:
        problems.append(Problem(env_name("schemas"), 0, 0, "no schema folder: pass --schemas or set "
                                                             f"{env_name('schemas')}"))
    if not settings.secret and not ephemeral_secret:
        problems.append(Problem(SECRET_ENV, 0, 0, "not set: references must come from a "
                                                  "fixed secret (32 random bytes, hex) so "
                                                  "that a retried post keeps its reference"))
    if problems:
        raise SitegenError(problems)
    return settings if settings.secret else replace(settings, secret=secrets.token_hex(32))


def lambda_settings(environ: Mapping[str, str] | None = None) -> IntakeSettings:
    """Settings inside AWS Lambda: the environment, schemas beside the code by default."""
    environ = os.environ if environ is None else environ
    task_root = Path(environ.get("LAMBDA_TASK_ROOT", "."))
    return require(from_env(environ, IntakeSettings(schemas=str(task_root / "forms"))))
