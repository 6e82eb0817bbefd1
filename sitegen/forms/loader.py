"""forms/<id>.yaml: one form each, checked with every problem located.

`FORM`, `PAGE` and `QUESTION` (in spec.py) check each mapping's keys and kinds;
this module checks what needs the whole form: unique names, keys that suit the
question type, and conditions that use an earlier answer and a real option.
It also works out each question's `relevant` condition.
"""
from __future__ import annotations

import re
from pathlib import Path

from ..content.context import LoadContext
from ..content.schema import SLUG_RE, Where
from ..content.yamlsource import LocatedDict, LocatedList, load_yaml_file
from ..errors import SitegenError, did_you_mean
from ..i18n import gettext
from ..sitefiles import name_fault
from .fields import condition_words
from .messages import default_messages
from .model import (
    ALWAYS,
    CHOICE_TYPES,
    DEFAULT_EXIT_URL,
    DEFAULT_RETENTION_DAYS,
    LANG_FIELD,
    RESERVED_NAMES,
    SENSITIVE_CATEGORIES,
    Condition,
    Form,
    FormPage,
    Match,
    Not,
    Option,
    Question,
    all_of,
)
from .patterns import pattern_problem
from .spec import CONDITION, FORM, PAGE, QUESTION

FORMS_DIR = "forms"
TRIAGE_FILE = "triage.yaml"
# forms/<form>.<language>.yaml: a translation (the language a BCP 47 tag like 'cy' or 'pt-BR').
TRANSLATION_NAME = re.compile(r"^(?P<stem>[^.]+)\.(?P<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*)\.ya?ml\Z")

COMMON_KEYS = {"name", "type", "label", "summary_label", "hint", "required", "show_when", "messages"}
TYPE_KEYS = {
    "text": {"min_length", "max_length", "pattern", "autocomplete"},
    "textarea": {"min_length", "max_length", "rows"},
    "email": {"max_length", "autocomplete"},
    "tel": {"max_length", "autocomplete"},
    "number": {"min", "max"},
    "date": {"must_be"},
    "radios": {"options"},
    "checkboxes": {"options"},
    "select": {"options"},
    "address": {"postcode", "autocomplete", "routing"},
    "declaration": set(),
}
DEFAULT_MAX_LENGTH = {"text": 500, "textarea": 10000, "email": 254, "tel": 30}


def form_files(root: Path) -> list[Path]:
    """The form definitions under ROOT/forms, sorted; triage.yaml and translations
    (`<form>.<ll>.yaml`, read by translation.py) excluded."""
    base = root / FORMS_DIR
    if not base.is_dir():
        return []
    return sorted(p for p in base.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml")
                  and p.name != TRIAGE_FILE and not p.name.startswith(".") and not name_fault(p.name)
                  and not TRANSLATION_NAME.match(p.name))


def load_form(ctx: LoadContext, path: Path, default_endpoint: str, own_endpoint: bool = True) -> Form | None:
    """Load one form file; problems go into CTX, and None comes back when it is unusable."""
    rel = ctx.rel(path)
    if path.suffix != ".yaml" or not SLUG_RE.match(path.stem):
        ctx.problems.add(rel, 0, 0,
                         "a form file is named like 'report-crime.yaml': lowercase letters, "
                         "digits and hyphens, ending '.yaml' (the name becomes the form's address)")
        return None
    try:
        raw = load_yaml_file(path, rel)
    except SitegenError as exc:
        ctx.problems.extend(exc.problems)
        return None
    return read_form(ctx, rel, path.stem, raw, default_endpoint, own_endpoint)


def read_form(ctx: LoadContext, rel: str, form_id: str, raw, default_endpoint: str,
              own_endpoint: bool = True) -> Form | None:
    """The form FORM_ID from RAW, its file (REL) as parsed, or a translation laid over it."""
    data = FORM.check(raw, Where(rel, (1, 1), ""), ctx.problems)
    if data is None:
        return None
    reader = _FormReader(ctx, rel, f"/forms/{form_id}/", raw)
    return reader.form(form_id, data, default_endpoint, own_endpoint)


class _FormReader:
    """Reads one form, remembering the questions asked so far for conditions."""

    def __init__(self, ctx: LoadContext, rel: str, url: str, raw: LocatedDict):
        self.ctx, self.rel, self.url, self.raw = ctx, rel, url, raw
        self.problems = ctx.problems
        self.asked: dict[str, Question] = {}
        self.name_lines: dict[str, int] = {}
        self.page_ids: dict[str, int] = {}
        self.page_of = _names_by_page(raw.get("pages"))

    def at(self, mapping, key: str, name: str = "") -> Where:
        """Where KEY of MAPPING sits, for a problem about it."""
        pos = mapping.where(key) if isinstance(mapping, LocatedDict) else (0, 0)
        return Where(self.rel, pos, name)

    def form(self, form_id: str, data: dict, default_endpoint: str, own_endpoint: bool = True) -> Form | None:
        """The Form from the checked top-level DATA."""
        sensitive = self._sensitive(data)
        hosted = bool(data.get("hosted_url"))
        self._check_kind(data, hosted)
        pages = () if hosted else self.pages(self.raw.get("pages") or LocatedList())
        if "title" not in data:
            return None
        return Form(
            id=form_id, title=data["title"], source=self.rel, summary=data.get("summary", ""),
            category=data.get("category", "other"), sensitive=sensitive,
            # OWN_ENDPOINT false (a preview build): every form posts where the build says, never live.
            endpoint=(own_endpoint and data.get("endpoint")) or _endpoint(default_endpoint, form_id),
            hosted_url=data.get("hosted_url", ""), provider=data.get("provider", ""),
            start_label=data.get("start_label", gettext("Start now")),
            intro_html=self.markdown(self.raw, data, "before_you_start"),
            next_steps_html=self.markdown(self.raw, data, "what_happens_next"),
            submit_label=data.get("submit_label", gettext("Send report")),
            done_title=data.get("done_title", gettext("Report sent")),
            quick_exit_url=data.get("quick_exit_url") or DEFAULT_EXIT_URL, pages=pages,
            retention_days=data.get("retention_days") or DEFAULT_RETENTION_DAYS)

    def markdown(self, raw: LocatedDict, data: dict, key: str) -> str:
        """KEY of DATA rendered from Markdown, its links recorded for checking."""
        if not data.get(key):
            return ""
        return self.ctx.render_markdown(data[key], raw.where(key)[0] + 1, self.rel, self.url).html

    def _sensitive(self, data: dict) -> bool:
        category = data.get("category", "")
        if category in SENSITIVE_CATEGORIES and data.get("sensitive") is False:
            self.at(self.raw, "sensitive").report(
                self.problems, f"a '{category}' form is always sensitive; remove 'sensitive: false'")
        return category in SENSITIVE_CATEGORIES or bool(data.get("sensitive"))

    def _check_kind(self, data: dict, hosted: bool) -> None:
        if hosted:
            for key in ("pages", "endpoint", "submit_label", "done_title", "what_happens_next",
                        "retention_days"):
                if key in self.raw:
                    self.at(self.raw, key).report(
                        self.problems,
                        f"'{key}' does not apply to a hosted form (one with 'hosted_url'); remove it")
        elif not self.raw.get("pages"):
            Where(self.rel, (1, 1), "").report(
                self.problems,
                "a form needs 'pages' (its questions) or 'hosted_url' (a service run elsewhere)")
        for key in ("provider", "start_label"):
            if key in self.raw and not hosted:
                self.at(self.raw, key).report(self.problems,
                                              f"'{key}' only applies to a hosted form; remove it")

    def pages(self, raw_pages) -> tuple[FormPage, ...]:
        """Every page of the form, checked in order."""
        out = []
        for index, raw in enumerate(raw_pages):
            page = self.page(raw, Where(self.rel, raw_pages.where(index), f"pages[{index + 1}]"))
            if page:
                out.append(page)
        return tuple(out)

    def page(self, raw, where: Where) -> FormPage | None:
        """One page and its questions."""
        data = PAGE.check(raw, where, self.problems)
        if data is None or "id" not in data:
            return None
        page_id = data["id"]
        self._unique_page(page_id, raw, where)
        skip, skip_relevant, skip_text = self.condition(raw, "skip_when", where, page_id)
        relevant = Not(skip_relevant) if skip else ALWAYS
        questions = self._questions(raw.get("questions"), where, page_id, relevant)
        if isinstance(raw.get("questions"), list) and not raw.get("questions"):
            self.at(raw, "questions", where.name).report(self.problems, "a page needs at least one question")
        return FormPage(id=page_id, title=data.get("title", page_id), questions=questions,
                        intro_html=self.markdown(raw, data, "intro"), skip_when=skip, relevant=relevant,
                        condition_text=gettext("Skip this section if %(condition)s.")
                        % {"condition": skip_text} if skip else "")

    def _unique_page(self, page_id: str, raw, where: Where) -> None:
        if page_id in self.page_ids:
            self.at(raw, "id", where.name).report(
                self.problems,
                f"duplicate page id '{page_id}': it is already used at line {self.page_ids[page_id]}")
        else:
            self.page_ids[page_id] = raw.where("id")[0]

    def _questions(self, raw_list, where: Where, page_id: str, relevant: Condition) -> tuple[Question, ...]:
        out = []
        for index, raw in enumerate(raw_list if isinstance(raw_list, LocatedList) else ()):
            spot = Where(self.rel, raw_list.where(index), f"{where.name}.questions[{index + 1}]")
            question = self.question(raw, spot, page_id, relevant)
            if question:
                out.append(question)
        return tuple(out)

    def question(self, raw, where: Where, page_id: str, page_relevant: Condition) -> Question | None:
        """One question, checked against its type and the questions before it."""
        data = QUESTION.check(raw, where, self.problems)
        if data is None or not {"name", "type", "label"} <= data.keys():
            return None
        where = Where(self.rel, where.pos, f"question '{data['name']}'")
        self._unique_name(data["name"], raw, where)
        self._check_type_keys(raw, data, where)
        show, show_relevant, show_text = self.condition(raw, "show_when", where, None)
        question = _build_question(data, page_id, all_of(page_relevant, show_relevant), show,
                                   gettext("Answer this only if %(condition)s.") % {"condition": show_text}
                                   if show else "")
        self.asked.setdefault(question.name, question)
        return question

    def _unique_name(self, name: str, raw, where: Where) -> None:
        spot = self.at(raw, "name", where.name)
        if name in RESERVED_NAMES:
            use = "the page's language" if name == LANG_FIELD else "the form's spam checks"
            spot.report(self.problems, f"'{name}' is reserved for {use}; choose another name")
        elif name in self.name_lines:
            spot.report(self.problems,
                        f"duplicate field name '{name}': it is already used at line {self.name_lines[name]}")
        else:
            self.name_lines[name] = spot.pos[0]

    def _check_type_keys(self, raw, data: dict, where: Where) -> None:
        qtype = data["type"]
        allowed = COMMON_KEYS | TYPE_KEYS[qtype]
        for key in raw:
            if key not in allowed and key in QUESTION_KEYS:
                self.at(raw, key, where.name).report(self.problems,
                                                     f"'{key}' does not apply to a {qtype} question")
        for message in _type_problems(data):
            self.at(raw, message[0], where.name).report(self.problems, message[1])

    def condition(self, raw, key: str, where: Where,
                  skip_page: str | None) -> tuple[Match | None, Condition, str]:
        """The condition under KEY of RAW: the Match, when it applies (the Match and its field was asked),
        and its words for people.  (None, ALWAYS, '') when absent or wrong."""
        cond = raw.get(key) if isinstance(raw, LocatedDict) else None
        data = CONDITION.check(cond, self.at(raw, key, f"{where.name}.{key}"),
                               self.problems) if cond else None
        if not data or not {"field", "is"} <= data.keys():
            return None, ALWAYS, ""
        trigger = self._trigger(data["field"], cond, key, where, skip_page)
        if trigger is None or not self._options_exist(trigger, data["is"], cond, key, where):
            return None, ALWAYS, ""
        match = Match(trigger.name, data["is"], many=trigger.type == "checkboxes")
        return match, all_of(trigger.relevant, match), _condition_words(trigger, data["is"])

    def _trigger(self, field: str, cond, key: str, where: Where, skip_page: str | None) -> Question | None:
        spot = self.at(cond, "field", f"{where.name}.{key}")
        trigger = self.asked.get(field)
        if trigger is None:
            spot.report(self.problems, self._missing_field_message(field, skip_page))
        elif trigger.type not in CHOICE_TYPES:
            spot.report(self.problems,
                        f"condition on '{field}', a {trigger.type} question; conditions can "
                        "only use the answer to a radios, checkboxes or select question")
            return None
        return trigger

    def _missing_field_message(self, field: str, skip_page: str | None) -> str:
        if skip_page and self.page_of.get(field) == skip_page:
            return (f"condition on '{field}', which is asked on this page; skip_when can only use an answer"
                    " from an earlier page")
        if field in self.page_of:
            return f"condition on '{field}', which is asked later; a condition can only use an earlier answer"
        return f"condition on unknown field '{field}'{did_you_mean(field, self.asked)}"

    def _options_exist(self, trigger: Question, values: tuple[str, ...], cond, key: str,
                       where: Where) -> bool:
        known = [o.value for o in trigger.options]
        unknown = [v for v in values if v not in known]
        for value in unknown:
            self.at(cond, "is", f"{where.name}.{key}").report(
                self.problems, f"condition on unknown option '{value}' of '{trigger.name}'"
                               f"{did_you_mean(value, known)} (its options are: {', '.join(known)})")
        return not unknown


QUESTION_KEYS = {f.name for f in QUESTION.fields}


def _names_by_page(raw_pages) -> dict[str, str]:
    """Every question name in the raw file and the id of its page, for messages."""
    found: dict[str, str] = {}
    for page in raw_pages if isinstance(raw_pages, list) else ():
        questions = page.get("questions") if isinstance(page, dict) else None
        for question in questions if isinstance(questions, list) else ():
            if isinstance(question, dict) and isinstance(question.get("name"), str):
                found.setdefault(question["name"], str(page.get("id", "")))
    return found


def _type_problems(data: dict) -> list[tuple[str, str]]:
    """(key, message) pairs for settings that contradict each other or the type."""
    qtype, problems = data["type"], []
    options = data.get("options") or []
    if qtype in CHOICE_TYPES:
        problems += _option_problems(qtype, options)
    if data.get("min_length", 0) > data.get("max_length", 10 ** 9):
        problems.append(("min_length", "'min_length' is more than 'max_length'"))
    if data.get("min", -10 ** 18) > data.get("max", 10 ** 18):
        problems.append(("min", "'min' is more than 'max'"))
    if data.get("pattern") and pattern_problem(data["pattern"]):
        problems.append(("pattern", f"pattern {pattern_problem(data['pattern'])}"))
    if qtype == "declaration" and data.get("required") is False:
        problems.append(("required", "a declaration is always required; remove 'required: false'"))
    if qtype == "address" and data.get("autocomplete") not in (None, "address", "off"):
        problems.append(("autocomplete",
                         "an address takes 'autocomplete: address' (the person's own) or 'off'"))
    return problems


def _option_problems(qtype: str, options: list[dict]) -> list[tuple[str, str]]:
    fewest = 1 if qtype == "checkboxes" else 2
    problems = []
    if len(options) < fewest:
        problems.append(("type", f"a {qtype} question needs 'options', at least {fewest}"))
    values = [o["value"] for o in options]
    for value in sorted({v for v in values if values.count(v) > 1}):
        problems.append(("options", f"option value '{value}' appears twice; each option needs its own value"))
    if qtype != "checkboxes" and any(o.get("exclusive") for o in options):
        problems.append(("options", "'exclusive' only applies to checkboxes"))
    return problems


def _build_question(data: dict, page_id: str, relevant: Condition, show: Match | None,
                    condition_text: str) -> Question:
    qtype = data["type"]
    max_length = data.get("max_length", DEFAULT_MAX_LENGTH.get(qtype))
    messages = default_messages(qtype, data["label"], data.get("summary_label", ""),
                                min_length=data.get("min_length"), max_length=max_length,
                                minimum=data.get("min"), maximum=data.get("max"))
    messages.update(data.get("messages", {}))
    return Question(
        name=data["name"], type=qtype, label=data["label"], page=page_id, hint=data.get("hint", ""),
        summary_label=data.get("summary_label", ""),
        required=qtype == "declaration" or data.get("required", False),
        min_length=data.get("min_length"), max_length=max_length, pattern=data.get("pattern", ""),
        options=tuple(Option(o["value"], o["label"], o.get("hint", ""), o.get("exclusive", False))
                      for o in data.get("options", ())),
        must_be=data.get("must_be", ""), minimum=data.get("min"), maximum=data.get("max"),
        postcode_required=data.get("postcode", "required") == "required", rows=data.get("rows", 5),
        autocomplete=data.get("autocomplete", ""), routing=data.get("routing", ""), show_when=show,
        relevant=relevant,
        condition_text=condition_text, messages=messages)


def _condition_words(trigger: Question, values: tuple[str, ...]) -> str:
    # fields.condition_words: the one wording, which a page in another language marks (marked_condition)
    return condition_words(trigger, values)


def _endpoint(default: str, form_id: str) -> str:
    """site.yaml's forms.endpoint plus the form id, or /submit/<id> on the site itself."""
    return f"{default.rstrip('/')}/{form_id}" if default else f"/submit/{form_id}"
