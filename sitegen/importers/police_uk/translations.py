"""Keeping an area's translations (area.<code>.yaml) in step with the area.yaml an import writes.

A translation lays its words over area.yaml by the rules of content/translations.py: each
item of a list names the item it translates (a member by `name`, a priority by `date`, a link
by `url`, an event by `id`).  When an import adds, removes or reorders a team member or
priority, or changes its words, each translation is rewritten beside it (`sync`):

- an item the import keeps keeps its translation, matched the way the import knows items
  (a team member by name, a priority by its issue, a social link by its address, an event
  by its id), and moves to the item's new place;
- a removed item's translation goes;
- a new item gets an item with its shared keys only (a member's name, a priority's dates):
  its words fall back to area.yaml's, marked as untranslated, never copied;
- a translated text whose English the import changed (a new role, an edited action) goes
  too, so a page never shows a translation of words that are no longer there;
- shared values a translation repeats (Decap copies them) follow area.yaml.

A translation `check` refuses before the import is left as it was, with a note.
"""
from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from ...config import load_config
from ...content.areas import AREA
from ...content.schema import Kind, ListOf, Record, Where
from ...content.translations import match_items, overlay, site_languages
from ...content.yamlsource import parse_yaml, read_text
from ...errors import ERROR, Problem, Problems, SitegenError
from ...model import split_name
from .area_yaml import yaml_body
from .existing import plain

# How the import knows an item of a list without an id again, by record name: the field that names it.
IDENTITY = {"team member": "name", "priority": "issue", "social link": "url"}
MISSING: Any = object()   # a value the synced translation leaves out


@dataclass
class Tally:
    """What syncing did to one translation, by area.yaml key: {(key, what): count}, WHAT being
    'new' (items to translate), 'removed' or 'changed' (texts whose English changed)."""

    counts: Counter = field(default_factory=Counter)

    def add(self, key: str, what: str, count: int = 1) -> None:
        if count:
            self.counts[(key, what)] += count

    def summary(self) -> str:
        """'team: 1 new, 2 removed; description: 1 changed in English' in area.yaml's key order."""
        keys = [f.name for f in AREA.fields if any(k == f.name for k, _ in self.counts)]
        parts = []
        for key in keys:
            found = [f"{self.counts[(key, what)]} {what}" for what in ("new", "removed", "changed")
                     if self.counts[(key, what)]]
            parts.append(f"{key}: {', '.join(found)}")
        return "; ".join(parts)


@dataclass
class SiteLanguages:
    """The site at ROOT's languages but the default ('cy',), read from site.yaml only when an
    area folder has a file named like a translation: an import into a site of one language
    never depends on the rest of site.yaml."""

    root: Path

    @cached_property
    def others(self) -> tuple[str, ...]:
        """Raises SitegenError with site.yaml's problems, as check would report them."""
        return site_languages(load_config(self.root)).others


def translation_files(folder: Path, rel_folder: str, old: dict, new_text: bytes, languages: SiteLanguages,
                      nid: str, notes: list[str], problems: Problems) -> dict[str, bytes]:
    """The translations in FOLDER (site path REL_FOLDER) rewritten to follow the area.yaml
    NEW_TEXT (bytes the import writes) where it changed OLD (area.yaml's data as it was):
    {file name: bytes} of those that change.  LANGUAGES: the site's.  A note per file
    rewritten or left alone goes to NOTES (neighbourhood NID); a rewritten translation check
    would refuse goes to PROBLEMS (the import then writes nothing)."""
    names = _translation_names(folder)
    if not names:
        return {}
    wanted = {code.casefold() for code in languages.others}
    new = plain(parse_yaml(new_text.decode("utf-8"), f"{rel_folder}/area.yaml"))
    written: dict[str, bytes] = {}
    for name in (name for name, code in names if code.casefold() in wanted):
        rel = f"{rel_folder}/{name}"
        text = _text(folder / name, rel)
        original = read_text(folder / "area.yaml", f"{rel_folder}/area.yaml")   # scan_areas read it
        if text is None or _overlay_errors(original, text, rel, f"{rel_folder}/area.yaml"):
            notes.append(f"{nid}: {rel} left as it was: check finds problems in it; fix them (sitegen check),"
                         " then import again to bring it in step with area.yaml")
            continue
        tally = Tally()
        before = plain(parse_yaml(text, rel)) or {}
        after = sync(AREA, before, old, new, tally)
        if after == before:
            continue
        data = (leading_comments(text) + yaml_body(after) if after else leading_comments(text)).encode()
        _check_written(new_text, data, rel, rel_folder, problems)
        written[name] = data
        notes.append(f"{nid}: {rel} kept in step with area.yaml" + (
            f" ({tally.summary()}); translate what is new or changed: until then its pages show"
            " area.yaml's words" if tally.counts else " (only values shared by every language changed)"))
    return written


def _text(path: Path, rel: str) -> str | None:
    """The text of the file at PATH (REL) as check reads it, or None when check refuses to read
    it (not UTF-8, too big, a link out of the site...)."""
    try:
        return read_text(path, rel)
    except SitegenError:
        return None


def _translation_names(folder: Path) -> list[tuple[str, str]]:
    """(name, code) of each file in FOLDER named like a translation of area.yaml
    (('area.cy.yaml', 'cy')), sorted."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted((name, parts[1]) for name in names if (parts := split_name(name)) is not None
                  and parts[0] == "area.yaml" and (folder / name).is_file())


def _overlay_errors(original: str, text: str, rel: str, original_rel: str) -> list[Problem]:
    """check's errors (not warnings) in the translation TEXT at REL over the area.yaml ORIGINAL."""
    found = Problems()
    try:
        checked = AREA.check(parse_yaml(original, original_rel), Where(original_rel, (1, 1), ""), found)
        overlay(AREA, checked, parse_yaml(text, rel), Where(rel, (1, 1), ""), found, "area.yaml")
    except SitegenError as exc:
        found.extend(exc.problems)
    return [p for p in found if p.level == ERROR]


def _check_written(area_text: bytes, data: bytes, rel: str, rel_folder: str, problems: Problems) -> None:
    """Add to PROBLEMS whatever check would refuse in DATA, the translation at REL, beside AREA_TEXT."""
    problems.extend(Problem(p.path, p.line, p.col, f"the import would write this invalid value: {p.message}")
                    for p in _overlay_errors(area_text.decode("utf-8"), data.decode("utf-8"), rel,
                                             f"{rel_folder}/area.yaml") if p.path == rel)


def leading_comments(text: str) -> str:
    """The comment lines TEXT begins with (a translator's marks, 'machine-aided'), with blank lines."""
    kept = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        kept.append(line if line.endswith("\n") else line + "\n")
    return "".join(kept)


# ---------------------------------------------------------------- the sync itself, on plain data


def sync(kind: Record, translation: dict, old: dict, new: dict, tally: Tally) -> dict:
    """TRANSLATION (a valid translation of OLD, plain data) made a translation of NEW, by the
    rules in this module's docstring; TALLY counts what changed, by KIND's top-level key."""
    fields = {f.name: f for f in kind.fields}
    out = {}
    for key, value in translation.items():
        if key not in fields:
            out[key] = value
            continue
        field_ = fields[key]
        synced = _sync(field_.kind, field_.translatable, old.get(key), new.get(key), value, key, tally)
        if _kept(synced, value):
            out[key] = synced
    return out


def _sync(kind: Kind, translatable: bool, old: Any, new: Any, text: Any, key: str, tally: Tally) -> Any:
    """TEXT, the translation of OLD, as a translation of NEW (both of KIND); MISSING to leave it out."""
    if new is None:
        if translatable or isinstance(text, list):
            tally.add(key, "removed", len(text) if isinstance(text, list) else 1)
        return MISSING
    if isinstance(kind, Record) and isinstance(text, dict):
        old_record = old if isinstance(old, dict) else {}
        return _sync_record(kind, translatable, old_record, new, text, key, tally)
    if isinstance(kind, ListOf) and isinstance(text, list) and isinstance(kind.item, Record):
        old_list = old if isinstance(old, list) else []
        return _sync_list(kind.item, kind.key, translatable, old_list, new, text, key, tally)
    if not translatable:
        return new
    if old == new:
        return text
    tally.add(key, "changed")
    return MISSING


def _sync_record(kind: Record, translatable: bool, old: dict, new: Any, text: dict, key: str,
                 tally: Tally) -> Any:
    if not isinstance(new, dict):
        return MISSING
    fields = {f.name: f for f in kind.fields}
    out = {}
    for name, value in text.items():
        field_ = fields.get(name)
        synced = value if field_ is None else _sync(field_.kind, translatable or field_.translatable,
                                                    old.get(name), new.get(name), value, key, tally)
        if _kept(synced, value):
            out[name] = synced
    return out


def _kept(synced: Any, written: Any) -> bool:
    """Whether a key stays in the synced translation: not MISSING, and not a mapping emptied by
    the sync ('contact: {}' once its address went), which would translate nothing."""
    return synced is not MISSING and (synced != {} or written == {})


def _sync_list(item: Record, key_field: str, translatable: bool, old: list, new: Any, text: list, key: str,
               tally: Tally) -> Any:
    if not isinstance(new, list) or not new:
        tally.add(key, "removed", len(text))
        return MISSING
    if key_field and item.name not in IDENTITY:
        return _sync_by_key(item, key_field, translatable, old, new, text, key, tally)
    # The item of OLD each item of the translation translates (the translation was valid): by
    # its key (a member's name, a priority's date), as check matches them, or by place.
    pairs = match_items(ListOf(item, key=key_field, repeats=True), old, text).pairs if key_field else {
        place: place for place in range(min(len(old), len(text)))}
    pending: dict[str, list[tuple[Any, Any]]] = {}
    for before, translated in ((old[place], text[index]) for place, index in sorted(pairs.items())):
        pending.setdefault(_identity(item, before), []).append((before, translated))
    out = []
    for after in new:
        kept = pending.get(_identity(item, after))
        if kept:
            before, translated = kept.pop(0)
            out.append(_sync(item, translatable, before, after, translated, key, tally))
        else:
            out.append(shared_only(item, after))
            tally.add(key, "new")
    tally.add(key, "removed", sum(len(left) for left in pending.values()))
    return out


def _sync_by_key(item: Record, key_field: str, translatable: bool, old: list, new: list, text: list,
                 key: str, tally: Tally) -> Any:
    """A list merged by KEY_FIELD (events by id): each translated item of an item NEW still has,
    in NEW's order; a new item needs no translated item (it falls back as it is)."""
    old_by = {o.get(key_field): o for o in old if isinstance(o, dict)}
    text_by = {t.get(key_field): t for t in text if isinstance(t, dict)}
    new_keys = [n.get(key_field) for n in new if isinstance(n, dict)]
    tally.add(key, "removed", len(set(text_by) - set(new_keys)))
    tally.add(key, "new", len([k for k in new_keys if k not in old_by]))
    out = [_sync(item, translatable, old_by.get(k, {}), n, text_by[k], key, tally)
           for k, n in zip(new_keys, new, strict=True) if k in text_by]
    return [value for value in out if value is not MISSING] or MISSING


def _identity(item: Record, value: Any) -> str:
    """What names VALUE, an item of a list of ITEM records, across imports: IDENTITY's field,
    without case or spacing differences; else the whole item."""
    name = IDENTITY.get(item.name)
    if name is not None and isinstance(value, dict) and isinstance(value.get(name), str):
        return " ".join(value[name].split()).casefold()
    return json.dumps(value, sort_keys=True, default=str)


def shared_only(kind: Kind, value: Any) -> Any:
    """VALUE (of KIND) with only the fields shared by every language: what a translation of a
    new item holds, so its words fall back to the original's instead of being copied."""
    if isinstance(kind, Record) and isinstance(value, dict):
        return {f.name: shared_only(f.kind, value[f.name]) for f in kind.fields
                if f.name in value and not f.translatable}
    if isinstance(kind, ListOf) and isinstance(value, list):
        return [shared_only(kind.item, v) for v in value]
    return value
