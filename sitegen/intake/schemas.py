"""The forms a receiver accepts: the published `<form-id>/schema.json` files of a
built site (`build/forms/`), loaded once and never the site's sources.

Each schema is checked as JSON Schema 2020-12 when loaded.  Its version is the
SHA-256 of the file's bytes, stored with every submission so a force can tell
which definition a set of answers was checked against.
"""
from __future__ import annotations

import hashlib
import json
import re
import threading
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from pathlib import Path

from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from ..errors import Problem, SitegenError
from ..forms.model import LANG_FIELD
from ..forms.submission import make_validator
from .references import form_prefix
from .words import DEFAULT_VOICE, Voice

FORM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")


@dataclass(eq=False)
class FormSchema:
    """One form's published schema and what the receiver derives from it."""

    form_id: str
    schema: dict
    version: str
    prefix: str
    _validators: dict = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def schema_id(self) -> str:
        """The schema's $id, or ''."""
        return str(self.schema.get("$id", ""))

    @property
    def properties(self) -> list[str]:
        """Top-level property names, in the form's order."""
        return list(self.schema.get("properties", {}))

    def validator(self, today: date) -> Draft202012Validator:
        """A validator whose past/future dates are relative to TODAY (kept for the day)."""
        with self._lock:
            if today not in self._validators:
                self._validators = {today: make_validator(self.schema, today)}
            return self._validators[today]

    @cached_property
    def messages(self) -> dict[str, dict]:
        """Each property's x-sitegen-messages (error messages by kind)."""
        return {name: prop.get("x-sitegen-messages", {}) if isinstance(prop, dict) else {}
                for name, prop in self.schema.get("properties", {}).items()}

    # ---- languages (a site of several: forms.schema.compile_schema) ----

    @cached_property
    def languages(self) -> dict[str, str]:
        """Language tag -> the folder of its pages ('' for the default, first), from
        `x-sitegen-languages`; {} for a one-language site's form."""
        found = self.schema.get("x-sitegen-languages")
        if not isinstance(found, dict):
            return {}
        return {str(code): path for code, path in found.items() if isinstance(path, str)}

    def translation(self, code: str) -> dict:
        """`x-sitegen-translations`' entry for the language CODE, or {}."""
        found = self.schema.get("x-sitegen-translations")
        entry = found.get(code) if isinstance(found, dict) else None
        return entry if isinstance(entry, dict) else {}

    def voice(self, answers: object) -> Voice:
        """The language the receiver answers ANSWERS in: the one their `lang` names when the form
        has it, else the form's default; DEFAULT_VOICE (English) for a one-language site's form."""
        if not self.languages:
            return DEFAULT_VOICE
        asked = answers.get(LANG_FIELD) if isinstance(answers, dict) else None
        code = asked if isinstance(asked, str) and asked in self.languages else next(iter(self.languages))
        words = self.translation(code).get("receiver")
        words = {k: v for k, v in words.items() if isinstance(v, str)} if isinstance(words, dict) else {}
        return Voice(code, self.languages[code], words)

    def messages_in(self, code: str) -> dict[str, dict]:
        """Each property's error messages in the language CODE (the default's where it has none)."""
        own = self.translation(code).get("properties")
        own = own if isinstance(own, dict) else {}
        found = {}
        for name, texts in self.messages.items():
            entry = own.get(name)
            translated = entry.get("x-sitegen-messages") if isinstance(entry, dict) else None
            found[name] = translated if isinstance(translated, dict) and translated else texts
        return found

    def title_in(self, code: str) -> object:
        """The form's title in the language CODE (the schema's `title` where it has none)."""
        return self.translation(code).get("title") or self.schema.get("title")


def load_schema(path: Path, form_id: str) -> FormSchema:
    """FORM_ID's schema from PATH; SitegenError if it is not a valid 2020-12 schema."""
    data = path.read_bytes()
    try:
        schema = json.loads(data)
        Draft202012Validator.check_schema(schema)
    except (ValueError, SchemaError) as exc:
        message = getattr(exc, "message", str(exc))
        raise SitegenError([Problem(str(path), 0, 0, f"not a usable JSON Schema: {message}")]) from None
    if not isinstance(schema, dict) or schema.get("type") != "object":
        raise SitegenError([Problem(str(path), 0, 0, "not a form schema: its type must be 'object'")])
    return FormSchema(form_id, schema, "sha256:" + hashlib.sha256(data).hexdigest(),
                      form_prefix(form_id, schema))


class SchemaStore:
    """The schemas under DIRECTORY (`<form-id>/schema.json`).

    With WATCH (the local preview), a schema is reloaded when its file changes
    and a new form is found when first asked for; in Lambda the set is fixed.
    """

    def __init__(self, directory: Path, watch: bool = False):
        self.directory = Path(directory)
        self.watch = watch
        self._forms: dict[str, tuple[tuple, FormSchema]] = {}
        self._lock = threading.Lock()
        if not watch:
            if not self.directory.is_dir():
                raise SitegenError([Problem(str(self.directory), 0, 0,
                                            "schema folder not found; build the "
                                            "site first or pass --schemas DIR")])
            for path in sorted(self.directory.glob("*/schema.json")):
                if FORM_ID.match(path.parent.name):
                    self._forms[path.parent.name] = ((), load_schema(path, path.parent.name))

    def form_ids(self) -> list[str]:
        """The ids of the forms known now."""
        if self.watch:
            return sorted(p.parent.name for p in self.directory.glob("*/schema.json")
                          if FORM_ID.match(p.parent.name))
        return sorted(self._forms)

    def get(self, form_id: str) -> FormSchema | None:
        """FORM_ID's schema, or None for a form this receiver does not know."""
        if not FORM_ID.match(form_id):
            return None
        if not self.watch:
            entry = self._forms.get(form_id)
            return entry[1] if entry else None
        return self._fresh(form_id)

    def _fresh(self, form_id: str) -> FormSchema | None:
        path = self.directory / form_id / "schema.json"
        try:
            info = path.stat()
        except OSError:
            return None
        stamp = (info.st_mtime_ns, info.st_size)
        with self._lock:
            entry = self._forms.get(form_id)
            if entry is None or entry[0] != stamp:
                entry = (stamp, load_schema(path, form_id))
                self._forms[form_id] = entry
            return entry[1]
