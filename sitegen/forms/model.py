"""Forms and triage as data: frozen dataclasses and conditions, no I/O.

A `Form` is either native (pages of questions, submitted to an endpoint) or
hosted (`hosted_url`: the site explains the service and links out).  Every
question and page carries `relevant`, the full condition under which it is
asked: its page is not skipped, its own `show_when` holds, and the answers those
depend on were themselves asked.  The browser rules, the JSON Schema and the
no-JavaScript hints are all compiled from these same conditions.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

QUESTION_TYPES = ("text", "textarea", "email", "tel", "number", "date", "radios", "checkboxes", "select",
                  "address", "declaration")
TEXT_TYPES = ("text", "textarea", "email", "tel")
CHOICE_TYPES = ("radios", "checkboxes", "select")
CATEGORIES = ("crime", "road-traffic", "anti-social-behaviour", "lost-property", "licence", "domestic-abuse",
              "sexual-offence", "hate-crime", "other")
SENSITIVE_CATEGORIES = ("domestic-abuse", "sexual-offence", "hate-crime")

HONEYPOT = "website"            # visually hidden text input; people leave it empty
CLIENT_TOKEN = "client_token"   # hidden input that forms.js fills in
LANG_FIELD = "lang"             # hidden input: the language tag of the page (sites of several languages)
RESERVED_NAMES = (HONEYPOT, CLIENT_TOKEN, LANG_FIELD)
DECLARATION_VALUE = "yes"
ADDRESS_PARTS = ("line1", "line2", "town", "postcode")
DATE_PARTS = ("day", "month", "year")
DEFAULT_EXIT_URL = "https://www.bbc.co.uk/weather"
DEFAULT_RETENTION_DAYS = 365   # a report's days in S3 when its form sets no retention_days

Answers = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class Match:
    """True when FIELD's answer is (for checkboxes: includes) one of VALUES."""

    field: str
    values: tuple[str, ...]
    many: bool = False   # the field is checkboxes: any ticked value may match

    def holds(self, answers: Answers) -> bool:
        """Whether ANSWERS (name -> cleaned non-empty values) match."""
        given = list(answers.get(self.field, ()))
        if self.many:
            return any(v in self.values for v in given)
        return len(given) == 1 and given[0] in self.values


@dataclass(frozen=True)
class Not:
    """True when COND is false."""

    cond: Condition

    def holds(self, answers: Answers) -> bool:
        """Whether COND does not hold for ANSWERS."""
        return not self.cond.holds(answers)


@dataclass(frozen=True)
class All:
    """True when every one of CONDS holds (so All() is always true)."""

    conds: tuple[Condition, ...] = ()

    def holds(self, answers: Answers) -> bool:
        """Whether every condition holds for ANSWERS."""
        return all(c.holds(answers) for c in self.conds)


Condition = Match | Not | All
ALWAYS = All()


def all_of(*conds: Condition) -> Condition:
    """The conjunction of CONDS, flattened, without repeats or always-true parts."""
    parts: list[Condition] = []
    for cond in conds:
        for part in (cond.conds if isinstance(cond, All) else (cond,)):
            if part not in parts:
                parts.append(part)
    return parts[0] if len(parts) == 1 else All(tuple(parts))


@dataclass(frozen=True)
class Option:
    """One choice of a radios, checkboxes or select question."""

    value: str
    label: str
    hint: str = ""
    exclusive: bool = False   # checkboxes: 'None of these' unticks the others


@dataclass(frozen=True, eq=False)
class Question:
    """One question: what is asked, how it is checked, and when it is asked."""

    name: str
    type: str
    label: str
    page: str
    hint: str = ""
    summary_label: str = ""
    required: bool = False
    min_length: int | None = None
    max_length: int | None = None
    pattern: str = ""
    options: tuple[Option, ...] = ()
    must_be: str = ""                 # date: 'past' or 'future' (today counts as both)
    minimum: int | None = None        # number
    maximum: int | None = None
    postcode_required: bool = True    # address
    rows: int = 5                     # textarea
    autocomplete: str = ""
    routing: str = ""                 # address: 'ward' when its postcode's ward routes the report
    show_when: Match | None = None
    relevant: Condition = ALWAYS
    condition_text: str = ""          # 'Answer this if ...' for the page without JavaScript
    messages: Mapping[str, str] = field(default_factory=dict)

    @property
    def input_names(self) -> tuple[str, ...]:
        """Names of the inputs this question posts."""
        if self.type == "date":
            return tuple(f"{self.name}-{p}" for p in DATE_PARTS)
        if self.type == "address":
            return tuple(f"{self.name}-{p}" for p in ADDRESS_PARTS)
        return (self.name,)

    @property
    def short_label(self) -> str:
        """The label used on the check-your-answers page."""
        return self.summary_label or self.label

    def option_label(self, value: str) -> str:
        """The label shown for VALUE, or VALUE itself."""
        return next((o.label for o in self.options if o.value == value), value)


@dataclass(frozen=True, eq=False)
class FormPage:
    """A group of questions asked together: one step with JavaScript."""

    id: str
    title: str
    questions: tuple[Question, ...] = ()
    intro_html: str = ""
    skip_when: Match | None = None
    relevant: Condition = ALWAYS
    condition_text: str = ""


@dataclass(frozen=True, eq=False)
class Form:
    """A form from forms/<id>.yaml: native pages of questions, or a hosted service."""

    id: str
    title: str
    source: str
    summary: str = ""
    category: str = "other"
    sensitive: bool = False
    endpoint: str = ""              # the complete address the form posts to
    hosted_url: str = ""
    provider: str = ""
    start_label: str = "Start now"
    intro_html: str = ""
    next_steps_html: str = ""
    submit_label: str = "Send report"
    done_title: str = "Report sent"
    quick_exit_url: str = DEFAULT_EXIT_URL
    pages: tuple[FormPage, ...] = ()
    retention_days: int = DEFAULT_RETENTION_DAYS   # how long its reports are kept (S3 lifecycle)
    # True for a form whose file exists but could not be loaded: it stands in, so links to the form
    # are not also reported as leading nowhere (only the file's own problems are, and nothing is built).
    stand_in: bool = False
    lang: str = ""              # the language tag of its words; "" for the site's default language
    translated: bool = True     # False: a form of another language with no forms/<id>.<lang>.yaml
    # the words its translation leaves out, shown in the default language (Overlaid.fallbacks:
    # 'title', 'pages.<id>.questions.<name>.hint', '...options.<value>.label')
    fallbacks: frozenset[str] = frozenset()

    @property
    def url(self) -> str:
        """Site path of the form."""
        return f"/forms/{self.id}/"

    @property
    def is_hosted(self) -> bool:
        """True for a service run elsewhere that the site links out to."""
        return bool(self.hosted_url)

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in the order asked."""
        return tuple(q for page in self.pages for q in page.questions)

    def question(self, name: str) -> Question | None:
        """The question called NAME, if any."""
        return next((q for q in self.questions if q.name == name), None)


@dataclass(frozen=True)
class TriageAnswer:
    """One answer to a triage question: it leads to another node or to a form."""

    label: str
    hint: str = ""
    next: str = ""
    form: str = ""
    line: int = 0
    col: int = 0


@dataclass(frozen=True, eq=False)
class TriageNode:
    """A triage step: a question with answers, or an outcome ('Call 999 now')."""

    id: str
    line: int = 0
    col: int = 0
    question: str = ""
    hint: str = ""
    answers: tuple[TriageAnswer, ...] = ()
    title: str = ""
    body_html: str = ""
    call: str = ""          # outcome: 'emergency' or 'non_emergency' shows that number
    link_title: str = ""
    link_url: str = ""
    sensitive: bool = False

    @property
    def is_outcome(self) -> bool:
        """True for an end of the tree."""
        return not self.question

    @property
    def heading(self) -> str:
        """The page's level-1 heading."""
        return self.question or self.title


@dataclass(frozen=True, eq=False)
class Triage:
    """The tree in forms/triage.yaml: a start node and every node by id."""

    source: str
    start: str
    nodes: tuple[TriageNode, ...] = ()
    stand_in: bool = False   # forms/triage.yaml exists but could not be loaded (see Form.stand_in)
    translated: bool = True  # False: the tree of another language with no forms/triage.<lang>.yaml
    fallbacks: frozenset[str] = frozenset()   # the words its translation leaves out ('nodes.<id>.hint')

    def node(self, node_id: str) -> TriageNode | None:
        """The node called NODE_ID, if any."""
        return next((n for n in self.nodes if n.id == node_id), None)

    def url(self, node_id: str) -> str:
        """Site path of a node's page: /report/ for the start."""
        return "/report/" if node_id == self.start else f"/report/{node_id}/"

    def parents(self, node_id: str) -> list[TriageNode]:
        """Nodes with an answer leading to NODE_ID."""
        return [n for n in self.nodes if any(a.next == node_id for a in n.answers)]


@dataclass(frozen=True, eq=False)
class FormsBundle:
    """Every form and the triage tree of one site."""

    forms: tuple[Form, ...] = ()
    triage: Triage | None = None
    lang: str = ""   # the language tag of its words; "" for the site's default language
    # Every language's bundle by tag, this one's included ("" too for the default's): one mapping
    # shared by the bundles of a site, filled by translation.translate_bundle.
    languages: Mapping[str, FormsBundle] = field(default_factory=dict)

    def form(self, form_id: str) -> Form | None:
        """The form called FORM_ID, if any."""
        return next((f for f in self.forms if f.id == form_id), None)

    def in_language(self, code: str) -> FormsBundle:
        """The forms as the pages in language CODE show them (this bundle for a language it lacks)."""
        return self.languages.get(code, self)

    def untranslated(self, code: str) -> tuple[list[str], int]:
        """The files of this bundle (forms, then the triage tree) with no translation into CODE,
        and how many files there are (content.translations.untranslated's shape, for `check`)."""
        translated = self.in_language(code)
        pairs: list[tuple[str, Form | Triage]] = [(form.source, form) for form in translated.forms
                                                   if not form.stand_in]
        if translated.triage is not None and not translated.triage.stand_in:
            pairs.append((translated.triage.source, translated.triage))
        if translated is self:   # the default language, or one the site does not have
            return [], len(pairs)
        return [source for source, item in pairs if not item.translated or item.fallbacks], len(pairs)

    def partly(self, code: str) -> list[tuple[str, str, tuple[str, ...]]]:
        """(original, translation, the words it leaves out as an editor names them) of each form and
        the triage tree translated into CODE only in part (content.translations.Partial's fields)."""
        translated = self.in_language(code)
        items: list[Form | Triage] = [*translated.forms, *([translated.triage] if translated.triage else [])]
        return [(item.source, _translation_file(item.source, code), tuple(_words(path) for path in
                                                                           sorted(item.fallbacks)))
                for item in items if translated is not self and item.translated and item.fallbacks]


def _translation_file(source: str, code: str) -> str:
    """'forms/report-crime.yaml', 'cy' -> 'forms/report-crime.cy.yaml'."""
    stem, _, ext = source.rpartition(".")
    return f"{stem}.{code}.{ext}"


# Names of a form's parts in messages, by the key that holds them
_PARTS = {"pages": "page", "questions": "question", "options": "option", "nodes": "node", "answers": "answer"}


def _words(path: str) -> str:
    """A path of Form.fallbacks as an editor names it: 'pages.about.questions.when.hint' ->
    "the hint of question 'when' of page 'about'"; 'nodes.start.answers.0.label' -> "the label
    of answer 1 of node 'start'"."""
    *parts, word = path.split(".")
    if len(parts) % 2:   # a word of a mapping: a question's messages, an outcome's link
        held = parts.pop()
        word = f"'{word}' message" if held == "messages" else f"{held} {word}"
    owners = []
    for key, name in zip(parts[::2], parts[1::2], strict=False):
        kind = _PARTS.get(key, key)
        owners.append(f"{kind} {int(name) + 1}" if name.isdigit() else f"{kind} '{name}'")
    return " of ".join([f"the {word}", *reversed(owners)]) if owners else word
