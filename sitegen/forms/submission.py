"""From a posted HTML form to the answers document its JSON Schema describes.

A form posts `application/x-www-form-urlencoded` fields.  A receiver turns them
into a JSON object, guided only by the schema:

* every value has CR LF made LF and surrounding white space removed (the
  characters in `patterns.SPACE_CHARS`, which forms.js trims too); blank
  values are dropped, so an empty field is the same as an unanswered one;
* `x-sitegen-type: checkboxes` collects every value into a list;
* `date` joins `NAME-year`, `NAME-month` and `NAME-day` into `YYYY-MM-DD`
  (a day of one or two digits; a month of one or two digits or a month name
  of three letters or more, like `June`, `jun` or `Sept.`; a four-digit year;
  anything else is kept as typed, `YEAR-MONTH-DAY` with a missing part empty
  (and `%` and `-` inside a part written `%25` and `%2D`), so the pattern
  refuses it; a box posted twice makes a list of every value);
* `address` gathers `NAME-line1`, `-line2`, `-town` and `-postcode` into an object;
* `number` becomes an integer when it is written as one (`patterns.whole_number`:
  digits, grouped in threes by commas or spaces or not, after an optional `£`);
* any other field is its one value (a list when it was posted more than once,
  which the schema refuses); unknown fields are kept, and refused.

`make_validator` adds the one check JSON Schema cannot express: a date in the
past or future, relative to the day of validation.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import extend

from .model import ADDRESS_PARTS
from .patterns import DATE, SPACE_CHARS, date_from_parts, whole_number

Pairs = Mapping[str, Iterable[str]]


def clean(value: str) -> str:
    """A posted value as it is checked: LF line ends, no surrounding white space (SPACE_CHARS)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").strip(SPACE_CHARS)


def cleaned_pairs(pairs: Pairs) -> dict[str, list[str]]:
    """PAIRS with every value cleaned and blank values dropped."""
    out: dict[str, list[str]] = {}
    for name, values in pairs.items():
        kept = [clean(v) for v in ([values] if isinstance(values, str) else values) if clean(v)]
        if kept:
            out[name] = kept
    return out


def answers_from_post(schema: dict, pairs: Pairs) -> dict:
    """The answers document for posted PAIRS (name -> values), as SCHEMA reads it."""
    values = cleaned_pairs(pairs)
    answers: dict = {}
    used: set[str] = set()
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("x-sitegen-type", "") if isinstance(prop, dict) else ""
        value, names = _CONVERT.get(kind, _single)(name, values)
        used |= names
        if value is not None:
            answers[name] = value
    for name in values.keys() - used:
        answers[name] = _one_or_list(values[name])
    return answers


def _one_or_list(values: list[str]):
    return values[0] if len(values) == 1 else list(values)


def _single(name: str, values: dict) -> tuple:
    return (_one_or_list(values[name]) if name in values else None), {name}


def _checkboxes(name: str, values: dict) -> tuple:
    return (list(values[name]) if name in values else None), {name}


def _number(name: str, values: dict) -> tuple:
    value, names = _single(name, values)
    number = whole_number(value) if isinstance(value, str) else None
    return (value if number is None else number), names


def _date(name: str, values: dict) -> tuple:
    names = {f"{name}-{part}" for part in ("day", "month", "year")}
    day, month, year = (values.get(f"{name}-{part}") or [] for part in ("day", "month", "year"))
    if not (day or month or year):
        return None, names
    parts = (year, month, day)
    if any(len(v) > 1 for v in parts):        # a box posted twice: a list, which the schema refuses
        return [value for v in parts for value in v], names
    if all(parts):
        iso = date_from_parts(day[0], month[0], year[0])
        if iso:
            return iso, names
    return "-".join(_escape_dash(v[0]) if v else "" for v in parts), names


def _escape_dash(part: str) -> str:
    """A date part as typed, with '%' and '-' escaped so the three parts can be told apart again."""
    return part.replace("%", "%25").replace("-", "%2D")


def _address(name: str, values: dict) -> tuple:
    names = {f"{name}-{part}" for part in ADDRESS_PARTS}
    parts = {part: _one_or_list(values[f"{name}-{part}"]) for part in ADDRESS_PARTS
             if f"{name}-{part}" in values}
    return (parts or None), names


_CONVERT = {"checkboxes": _checkboxes, "number": _number, "date": _date, "address": _address}


def make_validator(schema: dict, today: date) -> Draft202012Validator:
    """A 2020-12 validator for SCHEMA that also checks x-sitegen-date against TODAY."""
    def date_rule(validator, rule, instance, _schema):
        if not isinstance(instance, str) or not re.match(DATE, instance):
            return
        if rule == "past" and instance > today.isoformat():
            yield ValidationError(f"{instance} is after {today.isoformat()}")
        if rule == "future" and instance < today.isoformat():
            yield ValidationError(f"{instance} is before {today.isoformat()}")

    cls = extend(Draft202012Validator, {"x-sitegen-date": date_rule})
    return cls(schema)


def fields_in_error(validator: Draft202012Validator, answers: dict) -> set[str]:
    """The top-level field names that ANSWERS gets wrong."""
    fields: set[str] = set()
    for error in validator.iter_errors(answers):
        if error.absolute_path:
            fields.add(str(error.absolute_path[0]))
        elif error.validator == "required":
            fields |= {n for n in error.validator_value if n not in error.instance}
        elif error.validator == "additionalProperties":
            fields |= {n for n in error.instance if n not in error.schema.get("properties", {})}
        else:
            fields.add("")
    return fields
