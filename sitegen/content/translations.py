"""Content translations: a file beside its original, with the language code before the extension.

`content/areas/<slug>/area.cy.yaml` translates `area.yaml`, `news/<story>.cy.md` translates
`news/<story>.md`, `content/pages/<page>.cy.md` translates `<page>.md` (Decap CMS's i18n
`multiple_files` shape).  The overlay rules, for any schema (`overlay`):

- A translation has its original's shape, and every key is optional: a key left out is
  taken from the original.
- A field marked `Field(..., translatable=True)` takes the translation's value.  Every other
  field is shared by every language (dates, phone numbers, ids, addresses on the web): it may
  be written (Decap copies it) but must equal the original's.
- Mappings merge key by key.  A list whose schema names its key (`ListOf(..., key='id')`:
  team members by `name`, priorities by `date`, social links by `url`, events by `id`, form
  pages by `id`, questions by `name`, options by `value`) merges by it, so editing the
  original's list never moves words to another item: a translated item must write its key; one
  whose key the original no longer has is a warning (its words are not shown); an original
  item the translation lacks keeps its words, marked.  Several priorities of one date
  (`ListOf.repeats`) match in order among those of that date, and only when both files have as
  many of them.  A list of plain words (`places`) is the translation's whole list.  Any other
  list must have as many items as the original's, and merges item by item.  A value without
  translatable words (a date, a form's condition) is compared whole.

Every problem is located in the translation (`file:line:col`), with what to do.
"""
from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..errors import WARNING, Problem, Problems, did_you_mean
from ..model import original_path, split_name, translation_path
from .schema import Field, Kind, ListOf, Record, Where, given
from .yamlsource import LocatedDict, LocatedList, Pos

if TYPE_CHECKING:
    from ..model import Area, NewsItem, Page, Site

@lru_cache(maxsize=256)
def known_language(code: str) -> bool:
    """Whether Babel has locale data for CODE ('cy', 'en-GB'): a name like 'story.fr.md'
    is then taken to be meant as a translation."""
    from babel import localedata  # (here: Babel's 4 ms of imports for a file named so)
    return localedata.exists(code.replace("-", "_")) or localedata.exists(code.split("-")[0].lower())


@dataclass(frozen=True)
class Languages:
    """The site's language codes, the default first (one code: a one-language site)."""

    codes: tuple[str, ...]

    @property
    def default(self) -> str:
        """The default language's code."""
        return self.codes[0]

    @property
    def others(self) -> tuple[str, ...]:
        """The codes a file may be translated into."""
        return self.codes[1:]

    def spelled(self, code: str) -> str | None:
        """CODE as the site spells it ('CY' -> 'cy'), or None if the site has no such language."""
        return next((c for c in self.codes if c.casefold() == code.casefold()), None)


def site_languages(config: Any) -> Languages:
    """The languages of CONFIG (a SiteConfig): its `languages` when it has them, else its one `language`."""
    found = tuple(getattr(language, "code", language) for language in getattr(config, "languages", ()) or ())
    return Languages(found or (getattr(config, "language", "en-GB"),))


def required_languages(config: Any) -> tuple[str, ...]:
    """The codes of CONFIG's `required_languages` (none when it has none)."""
    return tuple(getattr(language, "code", language)
                 for language in getattr(config, "required_languages", ()) or ())


@dataclass
class Sorted:
    """A folder's files sorted: ORIGINALS (names) and TRANSLATIONS ({code: {original name: name}})."""

    originals: list[str]
    translations: dict[str, dict[str, str]]


def sort_names(names: Sequence[str], folder_rel: str, languages: Languages, problems: Problems) -> Sorted:
    """Tell NAMES (files of the folder FOLDER_REL) apart into originals and translations.

    `x.<code>.md` is a translation when CODE is one of the site's languages; a translation
    into the default language, or whose original is not among NAMES, is a problem.  When
    CODE is another language Babel knows and the original exists ('area.fr.yaml' on a site of
    English and Welsh), it is a problem too: the site has no such language.  Otherwise the
    name is an ordinary file, as it always was ('st.ann.md', 'area.old.yaml')."""
    present = set(names)
    found = Sorted([], {})
    for name in names:
        parts = split_name(name)
        if parts is None:
            found.originals.append(name)
            continue
        original, written = parts
        code = languages.spelled(written)
        rel = f"{folder_rel}/{name}"
        if code is None:
            if known_language(written) and original in present:
                problems.add(rel, 0, 0, f"is a translation into '{written}', which this site does not have"
                                        f" (languages: {', '.join(languages.codes)}); add '{written}' to"
                                        " 'languages' in site.yaml, or remove the file")
            else:
                found.originals.append(name)
        elif code == languages.default:
            problems.add(rel, 0, 0, f"is a translation into '{code}', the site's default language; write"
                                    f" it in {original} instead, and remove this file")
        elif original not in present:
            problems.add(rel, 0, 0, f"translates {original}, which does not exist; name it after the file it"
                                    f" translates (like 'story.{code}.md' beside 'story.md'), or remove it")
        elif _is_translation(original, languages):
            problems.add(rel, 0, 0, f"translates {original}, which is itself a translation; translate the"
                                    f" original it translates instead (name it like 'story.{code}.md'"
                                    " beside 'story.md'), or remove this file")
        else:
            found.translations.setdefault(code, {})[original] = name
    return found


def _is_translation(name: str, languages: Languages) -> bool:
    """Whether the file NAME is named as a translation into one of LANGUAGES ('story.cy.md')."""
    parts = split_name(name)
    return parts is not None and languages.spelled(parts[1]) is not None


@dataclass(frozen=True)
class Overlaid:
    """A translation laid over its original (`overlay_parts`).

    VALUE is the merged value (None when the original is unusable).  FALLBACKS holds the dotted
    paths of the translatable values the translation leaves out, whose original words stand in
    for them: 'summary', 'contact.address', 'team.2.bio' (the third item of a list merged item
    by item), 'events.panel-may.description' (an item of a list merged by its key, ListOf.key;
    an item the translation leaves out whole gives each of its translatable values).  A value
    the translation gives, even in the original's words ('Abbey'), is not a fallback; nor is
    one the original leaves empty.  A whole translatable list (`places`) is one path."""

    value: Any
    fallbacks: frozenset[str] = frozenset()


def overlay(kind: Kind, original: Any, raw: Any, where: Where, problems: Problems, original_file: str) -> Any:
    """The merged value of `overlay_parts` (which see), without its fallbacks."""
    return overlay_parts(kind, original, raw, where, problems, original_file).value


def overlay_parts(kind: Kind, original: Any, raw: Any, where: Where, problems: Problems,
                  original_file: str, parsed: bool = False) -> Overlaid:
    """ORIGINAL (a value KIND checked) with the translation RAW laid over it, by the rules above.

    RAW is the translation as parsed (LocatedDict / LocatedList, so problems are located);
    WHERE locates it (the translation file, and (1, 1) or the front matter's first line).
    It is checked by KIND with every key optional: its ordinary problems (a bad date, an
    unknown key) are reported at their lines.  ORIGINAL_FILE names the original in messages
    ('area.yaml').  ORIGINAL None (the original is unusable, already reported): the
    translation is only checked, and None comes back.  Where the translation is wrong, the
    original's value is kept.  An empty file translates nothing: every translatable value
    falls back.

    PARSED: ORIGINAL is the file as parsed, not checked (a form, whose loader then reads the
    merged value): it is checked here quietly to compare and match, and the merged value keeps
    its containers (LocatedDict, LocatedList) with their positions.

    Returns the merged value and its fallbacks (Overlaid)."""
    checked = optional(kind).check({} if raw is None and isinstance(kind, Record) else raw, where, problems)
    if original is None:
        return Overlaid(None)
    report = _Report(problems, original_file, parsed)
    fallbacks = frozenset(fallen_back(kind, report.checked(kind, original), checked, raw=raw))
    if checked is None:
        return Overlaid(original, fallbacks)
    return Overlaid(_merge(kind, False, original, checked, raw, where, report), fallbacks)


def fallen_back(kind: Kind, original: Any, given: Any, translatable: bool = False,
                path: str = "", raw: Any = None) -> Iterator[str]:
    """The paths (as Overlaid.fallbacks) of ORIGINAL's translatable values, a value of KIND,
    that GIVEN (the translation, checked; None: not given) leaves out, under PATH.  RAW is
    GIVEN as written: an item of a keyed list written as text (an option copied as the
    original's text) gives no words."""
    if original is None or original == "" or original == [] or original == {}:
        return
    if isinstance(kind, Record) and isinstance(original, dict):
        for field in kind.fields:
            if field.name in original:
                yield from fallen_back(field.kind, original[field.name],
                                       given.get(field.name) if isinstance(given, dict) else None,
                                       translatable or field.translatable, _join(path, field.name),
                                       raw.get(field.name) if isinstance(raw, dict) else None)
    elif isinstance(kind, ListOf) and isinstance(kind.item, Record) and isinstance(original, list):
        yield from _items_fallen_back(kind, original, given, translatable, path, raw)
    elif translatable and given is None:
        yield path


def _items_fallen_back(kind: ListOf, original: list, given: Any, translatable: bool, path: str,
                       raw: Any) -> Iterator[str]:
    """fallen_back for each item of the list ORIGINAL, matched by key or by place."""
    item = kind.item
    given_items = given if isinstance(given, list) else []
    raw_items = raw if isinstance(raw, list) and len(raw) == len(given_items) else [None] * len(given_items)
    if kind.key:
        keyed = [new if written is None or isinstance(written, dict) else None
                 for new, written in zip(given_items, raw_items, strict=True)]
        pairs = match_items(kind, original, keyed).pairs
        for place, old in enumerate(original):
            at = pairs.get(place)
            new, written = (None, None) if at is None else (given_items[at], raw_items[at])
            name = str(place) if kind.by_place else str(_key_of(old, kind.key))
            yield from fallen_back(item, old, new, translatable, _join(path, name), written)
        return
    if len(given_items) != len(original):   # a translation of another length is not used (reported)
        given_items, raw_items = [None] * len(original), [None] * len(original)
    for index, (old, new) in enumerate(zip(original, given_items, strict=True)):
        yield from fallen_back(item, old, new, translatable, _join(path, str(index)), raw_items[index])


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


@dataclass
class _Report:
    """The problems of one overlay, and how to read its original (PARSED: as overlay_parts says)."""

    problems: Problems
    original_file: str
    parsed: bool = False

    def checked(self, kind: Kind, value: Any, written: str | None = None) -> Any:
        """VALUE of the original (written WRITTEN, as its container says) as KIND checks it:
        itself, or for a PARSED original checked quietly (its problems were reported when it was read)."""
        if not self.parsed or value is None:
            return value
        return optional(kind).check(given(kind, value, written), Where(self.original_file, (0, 0), ""),
                                    Problems())

    def shared(self, where: Where) -> None:
        shared_problem(where, self.problems, self.original_file)

    def absent(self, where: Where) -> None:
        where.report(self.problems, f"is not in {self.original_file}; a translation gives only the words of"
                                    " what the original has")

    def length(self, where: Where, here: int, there: int) -> None:
        where.report(self.problems, f"has {_items(here)} here but {_items(there)} in {self.original_file};"
                                    " translate each one, in the same order")

    def warn(self, where: Where, message: str) -> None:
        """MESSAGE about the value at WHERE, as a warning: the original changed, and nothing stops."""
        prefix = f"{where.name}: " if where.name else ""
        self.problems.items.append(Problem(where.path, where.pos[0], where.pos[1], prefix + message, WARNING))

    def unknown_key(self, where: Where, key_field: str, key: object, known: Sequence[str]) -> None:
        """A warning: an item whose key the original no longer has (it left, or is misspelt)."""
        self.warn(where, f"there is no item with {key_field} '{key}' in {self.original_file}, so its words"
                         f" are not shown; if it left {self.original_file}, remove it here, else write the"
                         f" {key_field} as it is there (the same in every language)"
                         f"{did_you_mean(str(key), [str(k) for k in known])}")

    def no_key(self, where: Where, key_field: str, item: Record, guess: str | None, place: int) -> None:
        """An item without its key; GUESS is the key of the original's item at its PLACE (from 0)."""
        what = item.name if item.name != "mapping" else "item"
        hint = (f": write '{key_field}: {guess}' as in {self.original_file} (if it translates {what}"
                f" {place + 1} there), so its words stay with that {what}" if guess is not None else
                f": the {key_field} of the {what} in {self.original_file} it translates, so its words"
                f" stay with that {what}")
        where.report(self.problems, f"needs '{key_field}'{hint}")

    def uneven(self, where: Where, kind: ListOf, key: str, here: int, there: int) -> None:
        """A warning: a key several items share (ListOf.repeats) is given HERE times, the original
        has it THERE times: which translates which is unknown, so none of them is used."""
        what = kind.item.name if isinstance(kind.item, Record) else "item"
        self.warn(where, f"{_items(here)} here {'has' if here == 1 else 'have'} {kind.key} {key}, and"
                         f" {self.original_file} has {there}; as no one can tell which {what} each"
                         f" translates, their words are not shown; write one item for each {what} of"
                         f" {kind.key} {key} in {self.original_file}, in its order")

    def twice(self, where: Where, key_field: str, key: object) -> None:
        where.report(self.problems, f"{key_field} '{key}' is translated twice; keep one")

    def as_text(self, where: Where, item: Record, key_field: str) -> None:
        article = "an" if item.name[:1] in "aeiou" else "a"
        where.report(self.problems, f"{article} {item.name} is translated as a mapping of its {key_field} and"
                                    f" its words, like {{{key_field}: dont-know, label: Ddim yn gwybod}};"
                                    f" the {key_field} is the original's (one written as text has its text"
                                    f" as a slug: see {self.original_file})")


def shared_problem(where: Where, problems: Problems, original_file: str) -> None:
    """Report that the value at WHERE, shared by every language, differs from ORIGINAL_FILE's."""
    where.report(problems, f"is the same in every language, and differs from {original_file}; change it"
                           f" in {original_file}, or remove it here")


def _items(count: int) -> str:
    return "1 item" if count == 1 else f"{count} items"


def _has_words(kind: Kind) -> bool:
    """Whether a value of KIND holds a translatable field at any depth (else it is shared whole)."""
    if isinstance(kind, Record):
        return any(f.translatable or _has_words(f.kind) for f in kind.fields)
    return isinstance(kind, ListOf) and _has_words(kind.item)


def _merge(kind: Kind, translatable: bool, original: Any, translated: Any, raw: Any, where: Where,
           report: _Report) -> Any:
    """TRANSLATED (checked) over ORIGINAL, both values of KIND; RAW is TRANSLATED as written.
    A value without words is compared whole by the record holding it (`_merge_record`)."""
    if isinstance(kind, Record) and isinstance(translated, dict):
        return _merge_record(kind, translatable, original if isinstance(original, dict) else {}, translated,
                             raw, where, report)
    if isinstance(kind, ListOf) and isinstance(translated, list):
        return _merge_list(kind, translatable, original, translated, raw, where, report)
    if translatable:
        return translated
    if translated != report.checked(kind, original):
        report.shared(where)
    return original


def _merge_record(kind: Record, translatable: bool, original: dict, translated: dict, raw: Any,
                  where: Where, report: _Report) -> dict:
    fields = {f.name: f for f in kind.fields}
    known = report.checked(kind, original) or {}
    out = _copy(original)
    for key, value in translated.items():
        field = fields[key]
        spot = where.child(key, raw.value_where(key) if isinstance(raw, LocatedDict) else where.pos)
        words = translatable or field.translatable
        keyed = isinstance(field.kind, ListOf) and bool(field.kind.key)
        if not words and not _has_words(field.kind) and not keyed:   # shared whole: a date, a condition
            if value != known.get(key):
                report.shared(spot)
            continue
        child = raw.get(key) if isinstance(raw, dict) else None
        merged = _merge(field.kind, words, original.get(key), value, child, spot, report)
        if merged is not None:
            _put(out, key, merged)
    return out


def _merge_list(kind: ListOf, translatable: bool, original: Any, translated: list, raw: Any, where: Where,
                report: _Report) -> Any:
    if not isinstance(original, list):
        if not translatable:
            report.absent(where)
        return translated if translatable else original
    raw_items = list(raw) if isinstance(raw, list) else []
    if len(raw_items) != len(translated):
        return original   # an item of the translation is unusable: already reported
    if translatable and not isinstance(kind.item, (Record, ListOf)):
        return translated   # plain words (places): the translation's whole list, of any length
    if kind.key:
        return _merge_by_key(kind, translatable, original, translated, raw, where, report)
    if len(translated) != len(original):
        report.length(where, len(translated), len(original))
        return original
    return _rebuilt(original, [_merge(kind.item, translatable, old, new, raw_items[index],
                                      where.item(index, _item_pos(raw, index, where)), report)
                               for index, (old, new) in enumerate(zip(original, translated, strict=True))])


def _merge_by_key(kind: ListOf, translatable: bool, original: list, translated: list, raw: Any,
                  where: Where, report: _Report) -> list:
    """Items merged by their key (KIND.key, `match_items`), in the original's order.  An item
    without its key, or given twice, is a problem; one whose key the original no longer has, or
    (KIND.repeats) of a key given another number of times than the original gives it, is a
    warning, and its words are not shown; an item the translation leaves out stays as the
    original has it.  An item written as text must copy the original's (Decap CMS copies them)."""
    key_field, item = kind.key, kind.item
    known = [report.checked(item, old, _written(original, index)) for index, old in enumerate(original)]
    keys = [_key_of(old, key_field) for old in known]
    spots = [where.item(index, _item_pos(raw, index, where)) for index in range(len(translated))]
    record = item if isinstance(item, Record) else Record([], "item")
    keyed: list[Any] = []
    for index, new in enumerate(translated):
        keyed.append(new if isinstance(raw[index], dict) else None)
        if not isinstance(raw[index], dict):
            if not isinstance(item, Record) or new not in known:
                report.as_text(spots[index], record, key_field)
        elif _key_of(new, key_field) is None:
            guess = keys[index] if len(translated) == len(original) and index < len(keys) else None
            report.no_key(spots[index], key_field, record, guess, index)
    found = match_items(kind, known, keyed)
    for index in found.unknown:
        report.unknown_key(spots[index], key_field, _key_of(keyed[index], key_field),
                           [k for k in keys if k is not None])
    for index in found.twice:
        report.twice(spots[index], key_field, _key_of(keyed[index], key_field))
    for key, places, there in found.uneven:
        report.uneven(spots[places[0]], kind, key, len(places), there)
    out = []
    for place, old in enumerate(original):
        if place not in found.pairs:
            out.append(old)
            continue
        index = found.pairs[place]
        base = old if isinstance(old, dict) else known[place]
        out.append(_merge(item, translatable, base, translated[index], raw[index], spots[index], report))
    return _rebuilt(original, out)


@dataclass
class Matching:
    """How a translation's items match the original's (`match_items`).  PAIRS: {place in the
    original: place in the translation}; UNKNOWN: places in the translation whose key the
    original has not; TWICE: places giving a key again (a list whose keys do not repeat);
    UNEVEN: (key, its places in the translation, how many items of the original have it) where
    a key that repeats is given another number of times than the original gives it."""

    pairs: dict[int, int]
    unknown: list[int]
    twice: list[int]
    uneven: list[tuple[str, list[int], int]]


def match_items(kind: ListOf, original: Sequence[Any], translated: Sequence[Any]) -> Matching:
    """Match TRANSLATED's items (None, or one without its key: unmatched) to ORIGINAL's, both
    lists of KIND, by KIND.key (values compared as text: a date and '2026-10-01' are one key).
    Items sharing a key (KIND.repeats) match in order among those of that key, and only when the
    translation gives that key as many times as the original; else none of them does."""
    slots: dict[str, list[int]] = {}
    for place, old in enumerate(original):
        if (key := _key_of(old, kind.key)) is not None:
            slots.setdefault(key, []).append(place)
    given_at: dict[str, list[int]] = {}
    for index, new in enumerate(translated):
        if (key := _key_of(new, kind.key)) is not None:
            given_at.setdefault(key, []).append(index)
    found = Matching({}, [], [], [])
    for key, places in given_at.items():
        if key not in slots:
            found.unknown += places
        elif not kind.repeats:
            found.pairs[slots[key][0]] = places[0]
            found.twice += places[1:]
        elif len(places) == len(slots[key]):
            found.pairs.update(zip(slots[key], places, strict=True))
        else:
            found.uneven.append((key, places, len(slots[key])))
    found.unknown.sort()
    found.twice.sort()
    return found


def _key_of(value: Any, key_field: str) -> str | None:
    """VALUE's key (the field KEY_FIELD, as text), or None when it is not a mapping with one."""
    if not isinstance(value, dict) or value.get(key_field) is None:
        return None
    key = value[key_field]
    return key.isoformat() if hasattr(key, "isoformat") else str(key)


def _item_pos(raw: Any, index: int, where: Where) -> Pos:
    return raw.where(index) if isinstance(raw, LocatedList) else where.pos


def _written(items: Any, index: int) -> str | None:
    return items.written_as(index) if isinstance(items, LocatedList) else None


def _copy(value: dict) -> dict:
    """A shallow copy of VALUE; a parsed mapping keeps its positions (what it was written as is
    its own: `_put` changes it)."""
    if not isinstance(value, LocatedDict):
        return dict(value)
    copied = LocatedDict(value)
    copied.__dict__.update(value.__dict__)
    copied.written = dict(getattr(value, "written", {}))
    return copied


def _put(out: dict, key: str, value: Any) -> None:
    """OUT[KEY] = VALUE, forgetting how the original wrote KEY's value (`label: Yes` is now Ydw)."""
    if value is not out.get(key) and isinstance(out, LocatedDict):
        getattr(out, "written", {}).pop(key, None)
    out[key] = value


def _rebuilt(original: list, items: list) -> list:
    """ITEMS in place of ORIGINAL's; a parsed list keeps its positions, and what it was written as
    only for the items kept."""
    if not isinstance(original, LocatedList):
        return items
    out = LocatedList(items)
    out.__dict__.update(original.__dict__)
    out.written = {i: text for i, text in getattr(original, "written", {}).items()
                   if i < len(items) and items[i] is original[i]}
    return out


_OPTIONAL: dict[int, tuple[Kind, Kind]] = {}


def optional(kind: Kind) -> Kind:
    """KIND with no key required, at any depth: the schema of a translation.  Records'
    own rules (an id for each event, an end after the start) still apply; a list whose
    loader checks its items (ListOf.checks_items false) is checked item by item."""
    if id(kind) in _OPTIONAL:
        return _OPTIONAL[id(kind)][1]
    relaxed: Kind = kind
    if isinstance(kind, Record):
        relaxed = copy.copy(kind)
        relaxed.fields = [_optional_field(f) for f in kind.fields]
    elif isinstance(kind, ListOf):
        relaxed = copy.copy(kind) if kind.checks_items else ListOf(
            kind.item, kind.max_items, kind.key, repeats=kind.repeats, by_place=kind.by_place)
        relaxed.item = optional(kind.item)
    _OPTIONAL[id(kind)] = (kind, relaxed)   # KIND kept, so its id is never reused
    return relaxed


def _optional_field(field: Field) -> Field:
    return replace(field, required=False, kind=optional(field.kind))


# What `check` lists as untranslated: (kind, its plural), each in the order the site holds them.
KINDS = (("area", "areas"), ("news story", "news stories"), ("page", "pages"), ("form", "forms"),
         ("site.yaml", "site.yaml"))
SHOWN_FILES = 5   # files a warning names; the rest are counted


def untranslated(site: Site, code: str) -> dict[str, tuple[list[str], int]]:
    """What SITE has not translated into CODE: {kind: (site paths of the originals, how many
    of that kind there are)}, kinds as in KINDS.  An area counts as translated when it has an
    area.<code>.yaml that leaves none of its words out (Site.fallbacks); its stories are counted
    one by one.  A record translated in part is listed here, and by `partly_translated`."""
    stories = [story for area in site.areas for story in area.news]
    records: dict[str, Sequence[Area | NewsItem | Page]] = {
        "area": site.areas, "news story": stories, "page": site.pages}
    missing = {kind: ([r.source for r in found if not site.translated(r, code) or site.fallbacks(r, code)],
                      len(found))
               for kind, found in records.items()}
    # forms and the triage tree
    missing["form"] = site.forms.untranslated(code) if site.forms is not None else ([], 0)
    texts = getattr(site.config, "texts", None)   # site.<code>.yaml, read by sitegen/config.py
    partly = getattr(site.config, "text_fallbacks", {}).get(code)
    missing["site.yaml"] = (["site.yaml"] if texts is not None and (code not in texts or partly) else [], 1)
    return missing


@dataclass(frozen=True)
class Partial:
    """A record translated in part: ORIGINAL and TRANSLATION (site paths of its file and of its
    translation's), and WORDS, what the translation leaves out as an editor names them."""

    original: str
    translation: str
    words: tuple[str, ...]


def partly_translated(site: Site, code: str) -> list[Partial]:
    """Each area, story, page and form SITE has translated into CODE only in part, in the order
    the site holds them (forms: FormsBundle.partly, when it has it)."""
    view = site.in_language(code)
    found = []
    for area in site.areas:
        version = view.area(area.slug)
        if site.translated(area, code) and (paths := site.fallbacks(area, code)):
            found.append(Partial(area.source, version.source, tuple(_area_words(version, paths))))
    records: list[NewsItem | Page] = [story for area in site.areas for story in area.news]
    for record in [*records, *site.pages]:
        if site.translated(record, code) and (paths := site.fallbacks(record, code)):
            found.append(Partial(record.source, translation_path(record.source, code),
                                 tuple(sorted(paths, key=("title", "summary", "body").index))))
    forms_partly = getattr(site.forms, "partly", None)
    found += [Partial(*item) for item in forms_partly(code)] if forms_partly else []
    config_partly = getattr(site.config, "text_fallbacks", {}).get(code)
    if config_partly:
        found.append(Partial("site.yaml", translation_path("site.yaml", code),
                             tuple(_site_words(sorted(config_partly)))))
    return found


def _site_words(paths: Iterable[str]) -> Iterator[str]:
    """Paths of site.yaml's words as an editor names them: 'description', 'the title of
    report_actions 2' (its place, from 1)."""
    for path in paths:
        head, *rest = path.split(".")
        yield f"the {rest[1]} of {head} {int(rest[0]) + 1}" if len(rest) == 2 and rest[0].isdigit() else path


def _area_words(area: Area, paths: Iterable[str]) -> Iterator[str]:
    """PATHS (Site.fallbacks of the version AREA) as an editor names them, in area.yaml's order:
    'summary', 'the bio of team member 3', 'the action of the priority of 2026-03-12', "the
    description of event 'panel-may'"."""
    order = [f.name for f in fields(area)]

    def place(path: str) -> tuple:
        head, *rest = path.split(".")
        return (order.index(head) if head in order else len(order),
                [int(part) if part.isdigit() else 0 for part in rest], path)

    for path in sorted(paths, key=place):
        head, *rest = path.split(".")
        if head == "team" and len(rest) == 2:
            yield f"the {rest[1]} of team member {int(rest[0]) + 1}"
        elif head == "priorities" and len(rest) == 2 and int(rest[0]) < len(area.priorities):
            yield f"the {rest[1]} of {_priority(area, int(rest[0]))}"
        elif head == "events" and len(rest) == 2:
            yield f"the {rest[1]} of event '{rest[0]}'"
        elif head == "contact" and rest:
            yield f"the contact {rest[0]}"
        else:
            yield path


def _priority(area: Area, place: int) -> str:
    """The priority at PLACE (from 0) of AREA's priorities (newest first) as an editor finds it in
    area.yaml: 'the priority of 2026-10-01', or, when several share its date, 'the 2nd priority of
    2026-10-01' (their order is area.yaml's)."""
    day = area.priorities[place].date
    same = [at for at, priority in enumerate(area.priorities) if priority.date == day]
    if len(same) == 1:
        return f"the priority of {day.isoformat()}"
    nth = same.index(place) + 1
    suffix = "th" if 10 <= nth % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(nth % 10, "th")
    return f"the {nth}{suffix} priority of {day.isoformat()}"


def language_name(code: str) -> str:
    """CODE's name in English for messages ('Welsh (cy)'), or CODE alone if Babel does not know it."""
    from babel import Locale, UnknownLocaleError
    try:
        return f"{Locale.parse(code, sep='-').get_display_name('en')} ({code})"
    except (UnknownLocaleError, ValueError):
        return code


def translation_warnings(site: Site, codes: Iterable[str] = ()) -> list[Problem]:
    """A warning at site.yaml for each language but the default (and but CODES: the required
    ones, which translation_errors reports) that has something untranslated: how many of each
    kind, and the first few files."""
    warnings = []
    for code in site.languages[1:]:
        if code in set(codes):
            continue
        missing = untranslated(site, code)
        partial = partly_translated(site, code)
        counts = [_count(kind, plural, len(files), total)
                  for (kind, plural), (files, total) in zip(KINDS, missing.values(), strict=True) if files]
        if not counts:
            continue
        files = [path for found, _ in missing.values() for path in found]
        shown = ", ".join(files[:SHOWN_FILES]) + (f" and {len(files) - SHOWN_FILES} more"
                                                 if len(files) > SHOWN_FILES else "")
        warnings.append(Problem("site.yaml", 0, 0, (
            f"{language_name(code)}: not yet translated: {_and(counts)} ({shown}); their pages in this"
            f" language show them in {language_name(site.default_language)}, with a notice saying so."
            f" Translate each in a file beside it, like area.{code}.yaml or <story>.{code}.md (see"
            " docs/editing.md, 'Translating a page')." + (
                " A file translated only in part is counted here too; the warning at its translation"
                " names the words it leaves out" if partial else "")), WARNING))
        warnings.extend(Problem(part.translation, 0, 0, (
            f"{_and(list(part.words))} {'is' if len(part.words) == 1 else 'are'} not translated into"
            f" {language_name(code)}: its pages in this language show {_them(part.words)} in"
            f" {language_name(site.default_language)}, with a notice saying so; translate"
            f" {_them(part.words)} here"), WARNING) for part in partial)
    return warnings


def _them(words: Sequence[str]) -> str:
    return "it" if len(words) == 1 else "them"


def translation_errors(site: Site, codes: Iterable[str]) -> list[Problem]:
    """An error at each original SITE has not translated into one of CODES (the site's
    `required_languages`), and at each translation that leaves words out, naming them."""
    errors = []
    for code in site.languages[1:]:
        if code not in set(codes):
            continue
        partial = partly_translated(site, code)
        for part in partial:
            errors.append(Problem(part.translation, 0, 0, (
                f"leaves {_and(list(part.words))} in {language_name(site.default_language)}, and"
                f" 'required_languages' in site.yaml asks for every word in {language_name(code)};"
                f" write {_them(part.words)} in this file")))
        in_part = {part.original for part in partial}
        for files, _total in untranslated(site, code).values():
            for path in files:
                if path in in_part:
                    continue
                name = translation_path(path, code).rpartition("/")[2]
                errors.append(Problem(path, 0, 0, f"has no {language_name(code)} translation, which"
                                                  f" 'required_languages' in site.yaml asks for; write {name}"
                                                  " beside it"))
    return errors


def _count(kind: str, plural: str, missing: int, total: int) -> str:
    """'2 of 3 areas', '1 of 1 page'; "site.yaml's words" for site.yaml."""
    if kind == "site.yaml":
        return "site.yaml's words"
    return f"{missing} of {total} {plural if total != 1 else kind}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


__all__ = ["KINDS", "Languages", "Overlaid", "Partial", "Sorted", "fallen_back",
           "overlay_parts", "partly_translated", "shared_problem", "known_language", "language_name",
           "translation_errors", "translation_warnings", "untranslated", "optional", "original_path",
           "overlay", "required_languages", "site_languages", "sort_names", "split_name", "translation_path"]
