"""Form and triage pages: what they are (plan) and how each is made (renderers).

    forms/<id>/index.html        the form (native), or the page that links out (hosted)
    forms/<id>/schema.json       its JSON Schema (native only)
    forms/<id>/done/index.html   the confirmation page (native only)
    report/index.html            the triage start; report/<node>/index.html each other node
"""
from __future__ import annotations

import json
from dataclasses import replace

from ..build.sources import FORMS
from ..i18n import gettext
from ..model import Site
from ..outputs.base import Output, RenderContext, localised_links
from ..outputs.pages import marked, page_html, page_output, written_lang
from .fields import field, marked_condition
from .model import DEFAULT_EXIT_URL, Form, FormsBundle, Match, Triage
from .rules import fallback_langs, form_rules
from .schema import compile_schema
from .translation import DONE_WORDS, question_left_out


def plan_forms(site: Site) -> list[Output]:
    """Every output of the site's forms and triage tree."""
    bundle: FormsBundle | None = site.forms
    if not bundle:
        return []
    outputs = []
    for form in bundle.forms:
        if form.is_hosted:
            hosted = _output(f"forms/{form.id}/index.html", "hosted_form", form.id, "forms/hosted.html")
            outputs.append(hosted)
            continue
        outputs += [_output(f"forms/{form.id}/index.html", "form", form.id, "forms/form.html"),
                    _output(f"forms/{form.id}/schema.json", "form_schema", form.id, ""),
                    _output(f"forms/{form.id}/done/index.html", "form_done", form.id, "forms/done.html")]
    if bundle.triage:
        outputs += [_output(bundle.triage.url(n.id).lstrip("/") + "index.html", "triage", n.id,
                            "triage/outcome.html" if n.is_outcome else "triage/question.html")
                    for n in bundle.triage.nodes]
    return outputs


def _output(path: str, kind: str, key: str, template: str) -> Output:
    """An output made from the forms folder (and site.yaml) alone."""
    if template:   # an HTML page, made with page_html
        return page_output(path, kind, key, (FORMS,), template)
    return Output(path, kind, key, deps=(FORMS,), template=template)


def _bundle(ctx: RenderContext) -> FormsBundle:
    """The site's forms; these renderers run only for outputs plan_forms made from them (KeyError if none)."""
    if ctx.site.forms is None:
        raise KeyError("forms")
    return ctx.site.forms


def _form(ctx: RenderContext, form_id: str) -> Form:
    form = _bundle(ctx).form(form_id)
    if form is None:
        raise KeyError(form_id)
    if not ctx.lang:
        return form
    # The editor's Markdown links to site pages lead to the page's language where the build makes them.
    pages = tuple(replace(page, intro_html=_localised(ctx, page.intro_html)) for page in form.pages)
    return replace(form, intro_html=_localised(ctx, form.intro_html), pages=pages,
                   next_steps_html=_localised(ctx, form.next_steps_html))


def _localised(ctx: RenderContext, html: str) -> str:
    """HTML (rendered Markdown) with its links to site pages in CTX's language (outputs.base)."""
    return localised_links(html, ctx.language.prefix, ctx.known) if html and ctx.lang else html


def _crumbs(ctx: RenderContext) -> list:
    crumbs = [(gettext("Home"), "/")]
    if _bundle(ctx).triage:
        crumbs.append((gettext("Report"), "/report/"))
    return crumbs


def render_form(ctx: RenderContext, key: str) -> bytes:
    """A native form: every question on one page, stepped through by forms.js."""
    form = _form(ctx, key)
    written = written_lang(ctx, form) or written_lang(ctx, not form.fallbacks)   # none, all or some words
    form = _conditions_marked(form, written)
    pages = [(page, [field(q, form.sensitive, localised=bool(form.lang), written=written,
                           left_out=question_left_out(form, page.id, q.name))
                     for q in page.questions]) for page in form.pages]
    return page_html(ctx, "forms/form.html", form.url, form.title, _crumbs(ctx), form=form, pages=pages,
                     title_html=marked(ctx, form.title, form, "title"),
                     rules=form_rules(form, _script_langs(ctx, form, written)), description=form.summary,
                     description_lang=written_lang(ctx, form, "summary"), sensitive=form.sensitive,
                     exit_url=form.quick_exit_url,
                     **_translated(form.translated, form.fallbacks - DONE_WORDS))


def _script_langs(ctx: RenderContext, form: Form, written: str) -> dict[str, dict[str, str]]:
    """By question name, the words of FORM that forms.js writes in the default language (tag WRITTEN;
    '' for none) for want of a translation (rules.fallback_langs)."""
    if not written:
        return {}
    original = _bundle(ctx).languages.get("", _bundle(ctx)).form(form.id)
    originals = {q.name: q for q in original.questions} if original else {}
    return {q.name: fallback_langs(q, written, question_left_out(form, page.id, q.name) or _every_word,
                                   originals.get(q.name))
            for page in form.pages for q in page.questions}


def _conditions_marked(form: Form, written: str) -> Form:
    """FORM with the words its conditions' sentences quote ('Answer this only if you answered ‘Yes’
    for ‘...’.', 'Skip this section if ...') marked WRITTEN where its translation leaves them out
    (fields.marked_condition); FORM itself when WRITTEN is ''."""
    if not written:
        return form
    asked = {q.name: q for q in form.questions}

    def mark(text: str, match: Match | None) -> str:
        trigger = asked.get(match.field) if match else None
        if match is None or trigger is None:
            return text
        left_out = question_left_out(form, trigger.page, trigger.name) or _every_word
        return marked_condition(text, trigger, match.values, written, left_out)

    pages = tuple(replace(page, condition_text=mark(page.condition_text, page.skip_when),
                          questions=tuple(replace(q, condition_text=mark(q.condition_text, q.show_when))
                                          for q in page.questions))
                  for page in form.pages)
    return replace(form, pages=pages)


def _every_word(_path: str) -> bool:
    """An untranslated form's left_out: every word is the original's."""
    return True


def render_form_schema(ctx: RenderContext, key: str) -> bytes:
    """The JSON Schema of a form's answers: one for the site, with every language's words."""
    translations = _translations(ctx, key)
    paths = {lang.code: lang.path for lang in ctx.site.config.languages} if translations else {}
    schema = compile_schema(_form(ctx, key), ctx.site.config.base_url, translations, paths,
                            ctx.site.config.root)
    return (json.dumps(schema, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def render_form_done(ctx: RenderContext, key: str) -> bytes:
    """The confirmation page the receiver redirects to, with ?ref=REFERENCE."""
    form = _form(ctx, key)
    crumbs = _crumbs(ctx) + [(marked(ctx, form.title, form, "title"), form.url)]
    return page_html(ctx, "forms/done.html", f"{form.url}done/", form.done_title, crumbs, form=form,
                     title_html=marked(ctx, form.done_title, _done_words(form), "done_title"),
                     sensitive=form.sensitive, exit_url=form.quick_exit_url,
                     **_translated(form.translated, form.fallbacks & DONE_WORDS))


def render_hosted_form(ctx: RenderContext, key: str) -> bytes:
    """A service run elsewhere: what it is, what you need, and a button that links out."""
    form = _form(ctx, key)
    return page_html(ctx, "forms/hosted.html", form.url, form.title, _crumbs(ctx), form=form,
                     title_html=marked(ctx, form.title, form, "title"),
                     description=form.summary, description_lang=written_lang(ctx, form, "summary"),
                     sensitive=form.sensitive, exit_url=form.quick_exit_url,
                     **_translated(form.translated, form.fallbacks))


def render_triage(ctx: RenderContext, key: str) -> bytes:
    """One triage node: a question with answers as links, or an outcome."""
    triage = _bundle(ctx).triage
    node = triage.node(key) if triage else None
    if triage is None or node is None:
        raise KeyError(key)
    node = replace(node, body_html=_localised(ctx, node.body_html)) if ctx.lang else node
    is_start = key == triage.start
    crumbs = [(gettext("Home"), "/")] + ([] if is_start else [(gettext("Report"), "/report/")])
    parents = triage.parents(key)
    back = triage.url(parents[0].id) if len(parents) == 1 else ""
    template = "triage/outcome.html" if node.is_outcome else "triage/question.html"
    return page_html(ctx, template, triage.url(key), node.heading, crumbs, node=node, back_url=back,
                     triage=triage,
                     title_html=marked(ctx, node.heading, triage, "nodes", node.id,
                                       "title" if node.is_outcome else "question"),
                     answers=[(a, _answer_url(ctx, triage, a)) for a in node.answers],
                     sensitive=node.sensitive, exit_url=DEFAULT_EXIT_URL, start_url="/report/",
                     is_start=is_start, **_translated(triage.translated, frozenset(
                         path for path in triage.fallbacks if path.startswith(f"nodes.{key}."))))


def _done_words(form: Form) -> Form | bool:
    """Whose words a form's done title is: the form's, or the theme's 'Report sent' (True: never
    marked) when the form gives none (as forms/done.html asks)."""
    return form if form.done_title != gettext("Report sent") else True


def _translated(translated: bool, fallbacks: frozenset[str] = frozenset()) -> dict:
    """page_html's `translated`, given only when False, so pages of the default language are
    rendered as before; `partly` when the translation leaves words (FALLBACKS) out."""
    return {"partly": True} if translated and fallbacks else {} if translated else {"translated": False}


def _translations(ctx: RenderContext, form_id: str) -> dict[str, Form]:
    """The form FORM_ID in each language of the site but the default, by language tag."""
    found = {}
    for other in _bundle(ctx).languages.values():
        form = other.form(form_id)
        if form is not None and form.lang:
            found[form.lang] = form
    return found


def _answer_url(ctx: RenderContext, triage: Triage, answer) -> str:
    return triage.url(answer.next) if answer.next else f"/forms/{answer.form}/"
