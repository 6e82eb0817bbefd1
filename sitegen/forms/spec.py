"""The keys of forms/<id>.yaml and forms/triage.yaml, as schema Records.

These check the shape of each file (unknown keys with a hint, kinds, required
keys); `loader` and `triage` then check what only makes sense as a whole
(duplicate names, conditions, the graph).  docs/forms.md describes every key.
"""
from __future__ import annotations

import re
import unicodedata

from ..content.schema import (
    Bool,
    Choice,
    Field,
    Int,
    Kind,
    ListOf,
    Record,
    Slug,
    Str,
    Text,
    Url,
    Where,
    _show,
)
from ..errors import Problems
from .messages import MESSAGE_KINDS
from .model import CATEGORIES, QUESTION_TYPES

NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,49}\Z")
AUTOCOMPLETE_RE = re.compile(r"^[a-z0-9 -]{1,60}\Z")
YAML_BOOL_HINT = ("YAML reads yes, no, true, false, on and off without quotes as true or false; "
                  "write the text in quotes, like \"Yes\"")

Name = Str(max_len=50, pattern=NAME_RE,
           pattern_help="a field name: lowercase letters, digits and underscores, starting with a letter")


def value_slug(label: str) -> str:
    """'Don't know' -> 'don-t-know': the value posted for an option written as plain text."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "option"


class Values(Kind):
    """One option value, or a list of them: always returned as a tuple."""

    def describe(self) -> str:
        return "an option value or a list of them"

    def check(self, value, where: Where, problems: Problems):
        items = value if isinstance(value, list) else [value]
        if not items or any(isinstance(v, bool) for v in items):
            return where.report(problems, YAML_BOOL_HINT) if items else self.wrong(value, where, problems)
        if not all(isinstance(v, (str, int)) and str(v).strip() for v in items):
            return self.wrong(value, where, problems)
        return tuple(str(v).strip() for v in items)


class RawList(ListOf):
    """A list of ITEM checked item by item by the loader, which needs each item's position: here
    only its being a list is checked.  ITEM and KEY give a translation its shape (ListOf)."""

    checks_items = False

    def check(self, value, where: Where, problems: Problems):
        return value if isinstance(value, list) else self.wrong(value, where, problems)


class RawMapping(Kind):
    """A mapping of names to entries, checked entry by entry by the loader."""

    def describe(self) -> str:
        return "a mapping"

    def check(self, value, where: Where, problems: Problems):
        return value if isinstance(value, dict) else self.wrong(value, where, problems)


class OptionItem(Record):
    """An option: plain text (its value is the text as a slug) or a mapping of its fields."""

    def describe(self) -> str:
        return "an option: text, or a mapping with 'value' and 'label'"

    def check(self, value, where: Where, problems: Problems):
        if isinstance(value, bool):
            return where.report(problems, YAML_BOOL_HINT)
        if isinstance(value, (str, int)) and str(value).strip():
            label = str(value).strip()
            return {"value": value_slug(label), "label": label}
        if isinstance(value, dict):
            return super().check(value, where, problems)
        where.report(problems, f"expected {self.describe()}, found {_show(value)}")
        return None


OPTION = OptionItem(name="option", fields=[
    Field("value", Str(max_len=100), required=True, doc="What is posted when chosen."),
    Field("label", Str(max_len=200), required=True, doc="What people see.", translatable=True),
    Field("hint", Str(max_len=300), doc="A line of help under the option.", translatable=True),
    Field("exclusive", Bool(), doc="Checkboxes only: a 'None of these' option that unticks the others."),
])


CONDITION = Record(name="condition", fields=[
    Field("field", Name, required=True, doc="The name of an earlier radios, checkboxes or select question."),
    Field("is", Values(), required=True, doc="The option value, or a list of values, that makes it match."),
])

MESSAGES = Record(name="messages", fields=[Field(kind, Str(max_len=300), translatable=True)
                                          for kind in MESSAGE_KINDS])

QUESTION = Record(name="question", fields=[
    Field("name", Name, required=True, doc="The field name posted; unique in the form."),
    Field("type", Choice(QUESTION_TYPES), required=True, doc="What kind of answer."),
    Field("label", Str(max_len=300), required=True, doc="The question as people read it.", translatable=True),
    Field("summary_label", Str(max_len=100), doc="A short name for check-your-answers and messages.",
          translatable=True),
    Field("hint", Text(1000), doc="Help under the label.", translatable=True),
    Field("required", Bool(), doc="Must be answered (default false; declarations are always required)."),
    Field("min_length", Int(0, 100000), doc="Fewest characters (text types)."),
    Field("max_length", Int(1, 100000), doc="Most characters (text types)."),
    Field("pattern", Str(max_len=500), doc="A regular expression the whole answer must match (text)."),
    Field("options", ListOf(OPTION, 100, key="value"), doc="The choices (radios, checkboxes, select)."),
    Field("must_be", Choice(("past", "future")), doc="Date: today or earlier ('past'), or today or later."),
    Field("min", Int(), doc="Number: the smallest allowed."),
    Field("max", Int(), doc="Number: the largest allowed."),
    Field("postcode", Choice(("required", "optional")), doc="Address: whether the postcode must be given."),
    Field("routing", Choice(("ward",)),
          doc="Address of where it happened: its postcode's ward routes the report (docs/intake.md)."),
    Field("rows", Int(2, 40), doc="Textarea: visible lines."),
    Field("autocomplete",
          Str(max_len=60, pattern=AUTOCOMPLETE_RE, pattern_help="an autocomplete token like 'email'"),
          doc="The HTML autocomplete token (text, email, tel; 'address' for an address)."),
    Field("show_when", CONDITION, doc="Ask this question only when an earlier answer matches."),
    Field("messages", MESSAGES, doc="Error messages that replace the defaults."),
])

PAGE = Record(name="page", fields=[
    Field("id", Slug, required=True, doc="A short name, unique in the form."),
    Field("title", Str(max_len=150), required=True, doc="The heading of this group of questions.",
          translatable=True),
    Field("intro", Text(3000), doc="Markdown shown above the questions.", translatable=True),
    Field("skip_when", CONDITION, doc="Skip the whole page when an earlier answer matches."),
    Field("questions", RawList(QUESTION, key="name"), required=True, doc="The questions on this page."),
])

FORM = Record(name="form", fields=[
    Field("title", Str(max_len=120), required=True, doc="The form's title, its page heading.",
          translatable=True),
    Field("summary", Str(max_len=300), doc="One sentence for lists and search engines.", translatable=True),
    Field("category", Choice(CATEGORIES), doc="What it is about; some categories are always sensitive."),
    Field("sensitive", Bool(), doc="Show the quick-exit control and keep no draft in the browser."),
    Field("endpoint", Url(), doc="Post here instead of site.yaml's forms.endpoint."),
    Field("hosted_url", Url(), doc="A service run elsewhere: the page explains it and links here."),
    Field("provider", Str(max_len=120), doc="Hosted: who runs the service.", translatable=True),
    Field("start_label", Str(max_len=60), doc="Hosted: the start button's text.", translatable=True),
    Field("before_you_start", Text(5000), doc="Markdown shown before the questions.", translatable=True),
    Field("what_happens_next", Text(5000), doc="Markdown on the confirmation page.", translatable=True),
    Field("submit_label", Str(max_len=60), doc="The send button's text (default 'Send report').",
          translatable=True),
    Field("done_title", Str(max_len=80), doc="The confirmation panel's title (default 'Report sent').",
          translatable=True),
    Field("quick_exit_url", Url(), doc="Where quick exit goes (default BBC Weather)."),
    Field("pages", RawList(PAGE, key="id"), doc="The pages of questions of a native form."),
    Field("retention_days", Int(1, 3650),
          doc="Native: days a report is kept in the reports bucket before S3 deletes it (default 365)."),
])

TRIAGE = Record(name="triage.yaml", fields=[
    Field("start", Slug, required=True, doc="The first node: it must send anyone in danger to 999."),
    Field("nodes", RawMapping(), required=True, doc="Every node by id."),
])

ANSWER = Record(name="answer", fields=[
    Field("label", Str(max_len=200), required=True, doc="The answer as people read it.", translatable=True),
    Field("hint", Str(max_len=300), doc="A line of help under the answer.", translatable=True),
    Field("next", Slug, doc="The node this answer leads to."),
    Field("form", Slug, doc="The form (native or hosted) this answer leads to."),
])

QUESTION_NODE = Record(name="question node", fields=[
    Field("question", Str(max_len=200), required=True, doc="The question, the page heading.",
          translatable=True),
    Field("hint", Text(1000), doc="Help under the question.", translatable=True),
    Field("answers", RawList(ANSWER), required=True, doc="The choices, each checked as an ANSWER."),
    Field("sensitive", Bool(), doc="Show the quick-exit control on this page."),
])

OUTCOME_NODE = Record(name="outcome node", fields=[
    Field("title", Str(max_len=120), required=True, doc="The page heading, like 'Call 999 now'.",
          translatable=True),
    Field("body", Text(5000), doc="Markdown: what to do.", translatable=True),
    Field("call", Choice(("emergency", "non_emergency")),
          doc="Show this number from site.yaml in large type."),
    Field("link", Record(name="link", fields=[
        Field("title", Str(max_len=80), required=True, doc="Button text.", translatable=True),
        Field("url", Url(allow_path=True), required=True, doc="Where it goes."),
    ]), doc="A start button leading to another service."),
    Field("sensitive", Bool(), doc="Show the quick-exit control on this page."),
])
