"""forms/<form>.<ll>.yaml and forms/triage.<ll>.yaml: a form's words in another language.

A translation has its original's shape and gives only words (a form's title, a
question's label, an option's label...: the fields spec.py marks translatable).
It is laid over the original by the one overlay of every translation,
content.translations.overlay_parts, as the original was parsed: pages are matched
by `id`, questions by `name`, options by `value` (the keys spec.py's lists name),
triage answers by their place; the triage tree's nodes, a mapping, by their key
(here).  Everything else is shared by every language: a translation may copy it
(Decap CMS does) but it must equal the original, so the languages can never accept
different answers.  The merged mapping is then read by the ordinary loader.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import i18n
from ..content.context import LoadContext
from ..content.schema import Kind, ListOf, Record, Where
from ..content.translations import fallen_back, optional, overlay_parts, shared_problem
from ..content.yamlsource import LocatedDict, LocatedList, as_written, load_yaml_file
from ..errors import Problems, SitegenError, did_you_mean
from .loader import FORMS_DIR, TRANSLATION_NAME, TRIAGE_FILE, read_form
from .model import Form, FormsBundle, Triage
from .spec import FORM, OUTCOME_NODE, QUESTION_NODE
from .triage import TRIAGE_PATH, read_triage

if TYPE_CHECKING:
    from ..config import SiteConfig


# A form's words its done page shows (and its form page does not)
DONE_WORDS = frozenset({"done_title", "what_happens_next"})
MARKDOWN_WORDS = frozenset({"before_you_start", "what_happens_next", "intro", "body"})


def overlay_form(original: Any, text: Any, where: Where, original_rel: str, problems: Problems,
                 kind: Kind = FORM) -> tuple[Any, frozenset[str]]:
    """ORIGINAL (a form file as parsed, or a triage node: KIND) with its translation TEXT (as
    parsed, at WHERE in its file) laid over it, every problem located there: (the merged mapping,
    still as parsed, for the loader; the dotted paths of the words TEXT leaves out:
    'title', 'pages.<id>.questions.<name>.hint', '...options.<value>.label')."""
    overlaid = overlay_parts(kind, original, text, where, problems, original_rel, parsed=True)
    return overlaid.value, overlaid.fallbacks


def markdown_words(kind: Kind, text: Any) -> Iterator[tuple[str, int]]:
    """(Markdown, the line of its key) of each Markdown word (MARKDOWN_WORDS) the translation
    TEXT (as parsed, a value of KIND) gives, for LoadContext.survey_markdown."""
    if isinstance(kind, Record) and isinstance(text, LocatedDict):
        for field in kind.fields:
            value = text.get(field.name)
            if field.name in MARKDOWN_WORDS and isinstance(value, str) and value.strip():
                yield value.strip(), text.where(field.name)[0]
            elif value is not None:
                yield from markdown_words(field.kind, value)
    elif isinstance(kind, ListOf) and isinstance(text, LocatedList):
        for item in text:
            yield from markdown_words(kind.item, item)


def question_left_out(form: Form, page_id: str, name: str) -> Callable[[str], bool] | None:
    """For fields.field: which words of question NAME (on page PAGE_ID) of FORM its translation
    leaves out, by their path in the question ('hint'); None when FORM has no translation (all)."""
    if not form.translated:
        return None
    prefix = f"pages.{page_id}.questions.{name}."
    return lambda path: prefix + path in form.fallbacks


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
    fallbacks: frozenset[str] = frozenset()
    if rel:
        raw, fallbacks = overlay_form(raw, text, Where(rel, (1, 1), ""), form.source, ctx.problems)
        _survey(ctx, markdown_words(FORM, text), rel, form.url)
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
        raw, fallbacks = _overlay_triage(ctx.problems, raw, text, Where(rel, (1, 1), ""))
        nodes = text.get("nodes") if isinstance(text, dict) else None
        for node_id, node in nodes.items() if isinstance(nodes, dict) else ():
            _survey(ctx, markdown_words(_node_kind(raw["nodes"].get(node_id)), node), rel, "/report/")
    built = read_triage(quiet, raw, {f.id for f in bundle.forms})
    return replace(built or bundle.triage, translated=bool(rel), fallbacks=fallbacks)


def _survey(ctx: LoadContext, words: Iterator[tuple[str, int]], rel: str, url: str) -> None:
    """The translation's Markdown WORDS (from REL) looked over as the original's are: their links
    checked with the site's, their problems (a second page title...) located in the translation."""
    for text, line in words:
        ctx.survey_markdown(text, line + 1, rel, url)


def _node_kind(node: Any) -> Record:
    """The spec of a triage node as parsed: a question (with 'question') or an outcome."""
    return QUESTION_NODE if isinstance(node, dict) and "question" in node else OUTCOME_NODE


def _overlay_triage(problems: Problems, raw: Any, text: Any, where: Where) -> tuple[Any, frozenset[str]]:
    """forms/triage.yaml as parsed (RAW) with the words of its translation TEXT, nodes matched by
    id, and the paths of the words TEXT leaves out ('nodes.<id>.answers.0.label')."""
    nodes = raw.get("nodes") if isinstance(raw, dict) else None
    if not isinstance(nodes, dict):
        return raw, frozenset()
    given: Any = {}
    if isinstance(text, dict):
        for key, value in text.items():
            spot = _spot(text, key, where)
            if key == "start":
                if as_written(value) != as_written(raw.get("start")):
                    shared_problem(spot, problems, TRIAGE_PATH)
            elif key != "nodes":
                spot.report(problems, f"unknown key '{key}' in a triage translation; give 'nodes'")
            elif not isinstance(value, dict):
                spot.report(problems, f"expected a mapping of node ids, found {_kind(value)}")
            else:
                given = value
    elif text is not None:
        where.report(problems, f"expected a mapping with 'nodes', found {_kind(text)}")
    merged = LocatedDict(nodes)
    merged.__dict__.update(nodes.__dict__)
    fallbacks: set[str] = set()
    in_nodes = where.child("nodes", where.pos)
    for node_id in given:
        if not isinstance(nodes.get(node_id), dict):
            _spot(given, node_id, in_nodes).report(problems, f"node '{node_id}' is not in {TRIAGE_PATH}"
                                                          f"{did_you_mean(str(node_id), nodes)};"
                                                          " a translation cannot add one")
    for node_id, node in nodes.items():
        if not isinstance(node, dict):
            continue
        kind = _node_kind(node)
        if node_id in given:
            merged[node_id], left = overlay_form(node, given[node_id], _spot(given, node_id, in_nodes),
                                                 TRIAGE_PATH, problems, kind)
        else:
            left = frozenset(fallen_back(kind, optional(kind).check(node, where, Problems()), None))
        fallbacks |= {f"nodes.{node_id}.{path}" for path in left}
    out = LocatedDict(raw)
    out.__dict__.update(raw.__dict__)
    out["nodes"] = merged
    return out, frozenset(fallbacks)


def _spot(text: Any, key: str, where: Where) -> Where:
    pos = text.value_where(key) if isinstance(text, LocatedDict) else where.pos
    return where.child(str(key), pos)


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
