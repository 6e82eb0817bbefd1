"""forms/<form>.<ll>.yaml and forms/triage.<ll>.yaml: a form's words in another language.

A translation has its original's shape and gives only words (a form's title, a
question's label, an option's label...).  Pages are matched by `id`, questions
by `name`, options by `value`, triage nodes by their key and triage answers by
their place.  Everything else is shared by every language: a translation may
copy it (Decap CMS does) but it must equal the original, so the languages can
never accept different answers.  `overlay` checks a translation against its
original, every problem located in the translation, and gives the original's
parsed mapping with the words replaced, which the ordinary loader then reads.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..content.context import LoadContext
from ..content.schema import Record, Where, given
from ..content.yamlsource import LocatedDict, LocatedList, as_written, load_yaml_file
from ..errors import Problems, SitegenError, did_you_mean
from .loader import FORMS_DIR, TRANSLATION_NAME, TRIAGE_FILE, read_form
from .messages import MESSAGE_KINDS
from .model import Form, FormsBundle, Triage
from .spec import ANSWER, FORM, MESSAGES, OPTION, OUTCOME_NODE, PAGE, QUESTION, QUESTION_NODE, value_slug
from .triage import TRIAGE_PATH, read_triage

if TYPE_CHECKING:
    from ..config import SiteConfig


@dataclass(frozen=True)
class Shape:
    """What a translation of one mapping may hold.

    RECORD checks each word's kind (lengths...); WORDS are the keys a translation may
    change; MAPS are nested mappings and LISTS lists of records, matched by the key
    named ('' for by place).  Every other key of RECORD is shared.
    """

    record: Record
    words: frozenset[str] = frozenset()
    maps: Mapping[str, Shape] = field(default_factory=dict)
    lists: Mapping[str, tuple[str, Shape]] = field(default_factory=dict)


_LINK = next(f.kind for f in OUTCOME_NODE.fields if f.name == "link")
assert isinstance(_LINK, Record)

OPTION_SHAPE = Shape(OPTION, frozenset({"label", "hint"}))
QUESTION_SHAPE = Shape(QUESTION, frozenset({"label", "summary_label", "hint"}),
                       maps={"messages": Shape(MESSAGES, frozenset(MESSAGE_KINDS))},
                       lists={"options": ("value", OPTION_SHAPE)})
PAGE_SHAPE = Shape(PAGE, frozenset({"title", "intro"}), lists={"questions": ("name", QUESTION_SHAPE)})
FORM_SHAPE = Shape(FORM, frozenset({"title", "summary", "provider", "start_label", "before_you_start",
                                    "what_happens_next", "submit_label", "done_title"}),
                   lists={"pages": ("id", PAGE_SHAPE)})
QUESTION_NODE_SHAPE = Shape(QUESTION_NODE, frozenset({"question", "hint"}),
                            lists={"answers": ("", Shape(ANSWER, frozenset({"label", "hint"})))})
OUTCOME_NODE_SHAPE = Shape(OUTCOME_NODE, frozenset({"title", "body"}),
                           maps={"link": Shape(_LINK, frozenset({"title"}))})


# A form's words its done page shows (and its form page does not)
DONE_WORDS = frozenset({"done_title", "what_happens_next"})
MARKDOWN_WORDS = frozenset({"before_you_start", "what_happens_next", "intro", "body"})


class Overlay:
    """Checks one translation file (REL) against its original (ORIGINAL, a path for messages)."""

    def __init__(self, rel: str, original: str, problems: Problems):
        self.rel, self.original, self.problems = rel, original, problems
        # (Markdown, the line of its key) of each Markdown word taken, for LoadContext.survey_markdown
        self.markdown: list[tuple[str, int]] = []

    def mapping(self, base: Any, text: Any, where: Where, shape: Shape) -> Any:
        """BASE (the original's mapping) with TEXT's words over it; BASE itself when TEXT is wrong."""
        if not isinstance(text, dict) or not isinstance(base, dict):
            if text is not None:
                where.report(self.problems, f"expected {shape.record.describe()}, found {_kind(text)}")
            return base
        merged = _copy(base)
        known = {f.name: f for f in shape.record.fields}
        for key, value in text.items():
            spot = self._spot(text, key, where)
            if key in shape.words:
                word = self._word(known[key], value, text, key, spot)
                if word is not None:
                    merged[key] = word
                    if key in MARKDOWN_WORDS and isinstance(text, LocatedDict):
                        self.markdown.append((word, text.where(key)[0]))
            elif key in shape.maps:
                merged[key] = self.mapping(base.get(key) or _empty(base), value, spot, shape.maps[key])
            elif key in shape.lists:
                match, item = shape.lists[key]
                merged[key] = self.records(base.get(key), value, spot, match, item)
            elif key in known:
                self._shared(base, text, key, spot)
            else:
                hint = did_you_mean(key, known) or "; remove it, or correct its spelling"
                spot.report(self.problems, f"unknown key '{key}' in {shape.record.name}{hint}")
        return merged

    def records(self, base: Any, text: Any, where: Where, match: str, shape: Shape) -> Any:
        """The original's list BASE with each of TEXT's records merged into the one it matches."""
        if not isinstance(text, list):
            where.report(self.problems, f"expected a list, found {_kind(text)}")
            return base
        if not isinstance(base, list):
            where.report(self.problems, f"is not in {self.original}; a translation gives only the words of"
                                        " what the original has")
            return base
        merged = _copy(base)
        if not match and len(text) != len(base):
            where.report(self.problems, f"has {len(text)} items but {self.original} has {len(base)};"
                                        " translate each of them, in the same order")
            return merged
        keys = [_match_key(item, match) for item in base]
        seen: set[str] = set()
        for index, item in enumerate(text):
            spot = where.item(index, text.where(index) if isinstance(text, LocatedList) else where.pos)
            if match == "value" and not isinstance(item, dict) and self._plain_option(item, base, spot):
                continue
            place = self._place(item, index, match, keys, seen, spot)
            if place is not None:
                merged[place] = self.mapping(_as_mapping(base[place], match), item, spot, shape)
        return merged

    def _plain_option(self, item: Any, base: list, spot: Where) -> bool:
        """Whether ITEM, an option written as plain text, is done with: a copy of one of the original's
        (Decap CMS copies them) is taken as it is; other text is reported, as it cannot say which
        option it translates."""
        if any(not isinstance(old, dict) and str(old).strip() == str(item).strip() for old in base):
            return True
        spot.report(self.problems, "an option is translated as a mapping of its value and its words, like"
                                   " {value: dont-know, label: Ddim yn gwybod}; the value is the original's"
                                   " (an option written as text has its text as a slug: see"
                                   f" {self.original})")
        return True

    def _place(self, item: Any, index: int, match: str, keys: list[str], seen: set[str],
               spot: Where) -> int | None:
        """Where ITEM (the translation's INDEXth) goes in the original's list, whose items' KEYS are given."""
        if not match:
            return index
        key = _match_key(item, match) if isinstance(item, dict) else ""
        if not key:
            spot.report(self.problems, f"needs '{match}': the {match} of the item in {self.original} it"
                                       " translates")
            return None
        if key not in keys:
            spot.report(self.problems, f"{match} '{key}' is not in {self.original}"
                                       f"{did_you_mean(key, keys)}; a translation cannot add one")
            return None
        if key in seen:
            spot.report(self.problems, f"{match} '{key}' is translated twice; keep one")
            return None
        seen.add(key)
        return keys.index(key)

    def _word(self, spec, value: Any, text: Any, key: str, spot: Where) -> Any:
        written = text.written_as(key) if isinstance(text, LocatedDict) else None
        raw = given(spec.kind, value, written)
        return None if raw is None else spec.kind.check(raw, spot, self.problems)

    def _shared(self, base: Any, text: Any, key: str, spot: Where) -> None:
        mine, theirs = as_written(text.get(key)), as_written(base.get(key))
        if mine != theirs:
            spot.report(self.problems, f"'{key}' is shared by every language; change it in {self.original}"
                                       " (a translation gives only the words)")

    def _spot(self, text: Any, key: str, where: Where) -> Where:
        pos = text.value_where(key) if isinstance(text, LocatedDict) else where.pos
        return where.child(str(key), pos)


def left_out(base: Any, text: Any, shape: Shape, path: str = "") -> Iterator[str]:
    """The dotted paths of the words of BASE (an original's mapping of SHAPE) that its
    translation TEXT (as parsed; None: not given) leaves out, so the original's stand in:
    'title', 'pages.<id>.questions.<name>.hint', '...options.<value>.label', 'answers.0.label'
    (a list matched by place).  A word the original leaves empty is not; nor is one the
    translation gives in the original's words."""
    if not isinstance(base, dict):
        return
    given = text if isinstance(text, dict) else {}
    for key in sorted(shape.words):
        if base.get(key) not in (None, "") and given.get(key) in (None, ""):
            yield _joined(path, key)
    for key, inner in shape.maps.items():
        yield from left_out(base.get(key), given.get(key), inner, _joined(path, key))
    for key, (match, inner) in shape.lists.items():
        items = base.get(key)
        if not isinstance(items, list):
            continue
        found_texts = given.get(key)
        texts: list[Any] = found_texts if isinstance(found_texts, list) else []
        if not match:
            texts = texts if len(texts) == len(items) else [None] * len(items)
            for index, (item, item_text) in enumerate(zip(items, texts, strict=True)):
                yield from left_out(item, item_text, inner, _joined(path, f"{key}.{index}"))
            continue
        by_key = {_match_key(t, match): t for t in texts}
        for item in items:
            found = _match_key(item, match)
            yield from left_out(_as_mapping(item, match), by_key.get(found), inner,
                                _joined(path, f"{key}.{found}"))


def question_left_out(form: Form, page_id: str, name: str) -> Callable[[str], bool] | None:
    """For fields.field: which words of question NAME (on page PAGE_ID) of FORM its translation
    leaves out, by their path in the question ('hint'); None when FORM has no translation (all)."""
    if not form.translated:
        return None
    prefix = f"pages.{page_id}.questions.{name}."
    return lambda path: prefix + path in form.fallbacks


def _joined(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _match_key(item: Any, match: str) -> str:
    """The value of MATCH in a list ITEM; an option written as plain text has its slug as its value."""
    if isinstance(item, dict):
        value = item.get(match)
        return str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    if match == "value" and isinstance(item, (str, int)) and not isinstance(item, bool):
        return value_slug(str(item).strip())
    return ""


def _as_mapping(item: Any, match: str) -> Any:
    """An option written as plain text as the mapping it stands for; anything else as it is."""
    if match == "value" and isinstance(item, (str, int)) and not isinstance(item, bool):
        label = str(item).strip()
        return {"value": value_slug(label), "label": label}
    return item


def _empty(beside: Any) -> LocatedDict:
    """An empty parsed mapping, placed where BESIDE is: for words the original does not have yet."""
    empty = LocatedDict()
    empty.pos = getattr(beside, "pos", (0, 0))
    empty.key_pos, empty.value_pos, empty.written = {}, {}, {}
    return empty


def _copy(value: Any) -> Any:
    """A shallow copy of a parsed mapping or list that keeps its positions."""
    copied = type(value)(value)
    if hasattr(value, "__dict__"):
        copied.__dict__.update(value.__dict__)
    return copied


def _kind(value: Any) -> str:
    names: dict[type, str] = {dict: "a mapping", list: "a list", str: "text"}
    return next((name for kind, name in names.items() if isinstance(value, kind)), type(value).__name__)


# Bundles ------------------------------------------------------------------------------------

def translate_bundle(ctx: LoadContext, config: SiteConfig, bundle: FormsBundle) -> FormsBundle:
    """BUNDLE (the default language's) knowing every language's bundle (FormsBundle.in_language).

    Each other language's forms are read again inside i18n.activate, so the words the
    machinery writes (default error messages...) are that language's, with the words of
    forms/<id>.<tag>.yaml over the original's; a form without one is kept with
    `translated=False`.  A translation's problems, and a translation file of no form or of a
    language the site does not have, go into CTX's problems; the original's own problems are
    reported once, by the original.
    """
    languages = tuple(getattr(config, "languages", ()))
    _stray_files(ctx, bundle, [language.code for language in languages[1:]])
    if len(languages) < 2:
        return bundle
    family: dict[str, FormsBundle] = {}
    default = replace(bundle, languages=family)
    family.update({"": default, languages[0].code: default})
    for language in languages[1:]:
        with i18n.activate(language, ctx.root):
            family[language.code] = _bundle_in(ctx, config, bundle, language.code, family)
    return default


def _bundle_in(ctx: LoadContext, config: SiteConfig, bundle: FormsBundle, code: str,
               family: Mapping[str, FormsBundle]) -> FormsBundle:
    # The shared parts were checked with the original: read again, their problems go nowhere.
    quiet = LoadContext(root=ctx.root, host=ctx.host, renderer=ctx.renderer)
    forms = tuple(_form_in(ctx, quiet, config, form, code) for form in bundle.forms)
    triage = _triage_in(ctx, quiet, bundle, code)
    return FormsBundle(forms, triage, lang=code, languages=family)


def _translation(ctx: LoadContext, original: str, code: str) -> tuple[str, Any]:
    """The translation of the file ORIGINAL (site-relative) into CODE: (its path, it as parsed), or
    ('', None) when there is none or it cannot be parsed (reported)."""
    path = ctx.root / original
    path = path.with_name(f"{path.name.rsplit('.', 1)[0]}.{code}.yaml")
    if not path.is_file():
        return "", None
    rel = ctx.rel(path)
    try:
        return rel, load_yaml_file(path, rel)
    except SitegenError as exc:
        ctx.problems.extend(exc.problems)
        return "", None


def _form_in(ctx: LoadContext, quiet: LoadContext, config: SiteConfig, form: Form, code: str) -> Form:
    if form.stand_in:
        return form
    try:
        raw = load_yaml_file(ctx.root / form.source, form.source)
    except SitegenError:   # reported when the original was read
        return form
    rel, text = _translation(ctx, form.source, code)
    fallbacks = frozenset(left_out(raw, text, FORM_SHAPE)) if rel else frozenset()
    if rel:
        overlay = Overlay(rel, form.source, ctx.problems)
        raw = overlay.mapping(raw, text, Where(rel, (1, 1), ""), FORM_SHAPE)
        _survey(ctx, overlay, form.url)
    built = read_form(quiet, form.source, form.id, raw, config.forms_endpoint,
                      own_endpoint=not config.preview)
    if built is not None and not rel:
        built = _original_messages(built, form)
    elif built is not None:
        built = _original_messages(built, form, _quoting_left_out(built, fallbacks), text)
    return replace(built or form, lang=code, translated=bool(rel), fallbacks=fallbacks)


def _quoting_left_out(form: Form, fallbacks: frozenset[str]) -> set[str]:
    """The questions of FORM whose default error messages quote a word its translation leaves
    out (the summary_label, or else the label, as messages.default_messages takes it)."""
    return {q.name for page in form.pages for q in page.questions
            if f"pages.{page.id}.questions.{q.name}.{'summary_label' if q.summary_label else 'label'}"
            in fallbacks}


def _given_messages(text: Any, name: str) -> set[str]:
    """The kinds of message the translation TEXT gives question NAME ('required', ...)."""
    pages = text.get("pages") if isinstance(text, dict) else None
    for page in pages if isinstance(pages, list) else ():
        questions = page.get("questions") if isinstance(page, dict) else None
        for question in questions if isinstance(questions, list) else ():
            if isinstance(question, dict) and question.get("name") == name:
                messages = question.get("messages")
                return set(messages) if isinstance(messages, dict) else set()
    return set()


def _original_messages(built: Form, original: Form, only: set[str] | None = None, text: Any = None) -> Form:
    """BUILT (an untranslated form read in another language: the theme's words in it) with the
    error messages of ORIGINAL: they quote the question's words, which are the original's, so
    they stay whole sentences of the default language, not another language's sentence around
    them ('Gwiriwch description of the people').  ONLY: just these questions (of a form
    translated in part: those whose quoted words it leaves out), keeping the messages its
    translation TEXT gives."""
    built_messages = {q.name: q.messages for q in built.questions}
    messages = {q.name: {**q.messages, **{kind: built_messages[q.name][kind]
                                          for kind in _given_messages(text, q.name)
                                          if kind in built_messages.get(q.name, {})}}
                for q in original.questions if only is None or q.name in only}
    pages = tuple(replace(page, questions=tuple(replace(q, messages=messages.get(q.name, q.messages))
                                                for q in page.questions))
                  for page in built.pages)
    return replace(built, pages=pages)


def _triage_in(ctx: LoadContext, quiet: LoadContext, bundle: FormsBundle, code: str) -> Triage | None:
    if bundle.triage is None or bundle.triage.stand_in:
        return bundle.triage
    try:
        raw = load_yaml_file(ctx.root / TRIAGE_PATH, TRIAGE_PATH)
    except SitegenError:
        return bundle.triage
    rel, text = _translation(ctx, TRIAGE_PATH, code)
    fallbacks: frozenset[str] = frozenset()
    if rel:
        fallbacks = frozenset(_triage_left_out(raw, text))
        overlay = Overlay(rel, TRIAGE_PATH, ctx.problems)
        raw = _overlay_triage(overlay, raw, text, Where(rel, (1, 1), ""))
        _survey(ctx, overlay, "/report/")
    built = read_triage(quiet, raw, {f.id for f in bundle.forms})
    return replace(built or bundle.triage, translated=bool(rel), fallbacks=fallbacks)


def _triage_left_out(raw: Any, text: Any) -> Iterator[str]:
    """left_out for forms/triage.yaml (RAW) and its translation TEXT: 'nodes.<id>.question'..."""
    nodes = raw.get("nodes") if isinstance(raw, dict) else None
    given = text.get("nodes") if isinstance(text, dict) else None
    for node_id, node in nodes.items() if isinstance(nodes, dict) else ():
        shape = QUESTION_NODE_SHAPE if isinstance(node, dict) and "question" in node else OUTCOME_NODE_SHAPE
        yield from left_out(node, given.get(node_id) if isinstance(given, dict) else None, shape,
                            f"nodes.{node_id}")


def _survey(ctx: LoadContext, overlay: Overlay, url: str) -> None:
    """The translation's Markdown looked over as the original's is: its links checked with the site's,
    its problems (a second page title...) located in the translation."""
    for text, line in overlay.markdown:
        ctx.survey_markdown(text, line + 1, overlay.rel, url)


def _overlay_triage(overlay: Overlay, raw: Any, text: Any, where: Where) -> Any:
    """forms/triage.yaml as parsed (RAW) with the words of its translation TEXT: nodes by id."""
    if not isinstance(text, dict) or not isinstance(raw, dict):
        if text is not None:
            where.report(overlay.problems, f"expected a mapping with 'nodes', found {_kind(text)}")
        return raw
    merged = _copy(raw)
    for key, value in text.items():
        spot = overlay._spot(text, key, where)
        if key == "start":
            overlay._shared(raw, text, key, spot)
        elif key != "nodes":
            spot.report(overlay.problems, f"unknown key '{key}' in a triage translation; give 'nodes'")
        elif not isinstance(value, dict) or not isinstance(raw.get("nodes"), dict):
            spot.report(overlay.problems, f"expected a mapping of node ids, found {_kind(value)}")
        else:
            merged["nodes"] = _overlay_nodes(overlay, raw["nodes"], value, spot)
    return merged


def _overlay_nodes(overlay: Overlay, nodes: Any, text: Any, where: Where) -> Any:
    merged = _copy(nodes)
    for node_id, value in text.items():
        spot = overlay._spot(text, node_id, where)
        base = nodes.get(node_id)
        if not isinstance(base, dict):
            hint = did_you_mean(str(node_id), nodes)
            spot.report(overlay.problems, f"node '{node_id}' is not in {TRIAGE_PATH}{hint};"
                                          " a translation cannot add one")
            continue
        shape = QUESTION_NODE_SHAPE if "question" in base else OUTCOME_NODE_SHAPE
        merged[node_id] = overlay.mapping(base, value, spot, shape)
    return merged


def _stray_files(ctx: LoadContext, bundle: FormsBundle, others: list[str]) -> None:
    """A problem for each forms/<name>.<tag>.yaml of a language the site does not have (OTHERS: its
    languages but the default), or whose original does not exist."""
    base = ctx.root / FORMS_DIR
    names = {f.id for f in bundle.forms} | ({Path(TRIAGE_FILE).stem} if bundle.triage else set())
    for path in sorted(base.iterdir()) if base.is_dir() else ():
        found = TRANSLATION_NAME.match(path.name)
        if not found or not path.is_file():
            continue
        stem, tag = found["stem"], found["lang"]
        if tag not in others:
            known = ", ".join(others) or "none: the site has one language"
            ctx.problems.add(ctx.rel(path), 1, 1,
                             f"is for the language '{tag}', which is not one of the site's other languages"
                             f" ({known}); add it to 'languages' in site.yaml, or rename or remove the file")
        elif stem not in names or path.suffix != ".yaml":
            ctx.problems.add(ctx.rel(path), 1, 1,
                             f"translates {FORMS_DIR}/{stem}.yaml, which does not exist"
                             f"{did_you_mean(stem, sorted(names))}; name it after the form it translates,"
                             f" like {FORMS_DIR}/report-crime.{tag}.yaml")
