"""YAML syntax errors in plain words: the likely mistake, where it is, what to do.

PyYAML (libyaml) says what its parser met ("mapping values are not allowed in
this context"); an editor needs the mistake that usually causes it (a value with
': ' in it that needs quotes, a line indented differently, a tab, a quote never
closed, `key:value` without a space).  `syntax_message` turns one into the other.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml

PREFIX = "YAML syntax: "
# `key:value` with no space after the colon (but not a URL's `https://`).
_NO_SPACE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*):(?=[^\s/:])")

INDENTATION = ("this line is indented differently from the lines around it; line up the keys of one mapping,"
               " and the '-' items of one list, at the same column, using spaces")
COLON_IN_VALUE = ("a ': ' (colon and space) inside a value; put the whole value in quotes, like"
                  " title: \"Update: new times\", or check the indentation of this line")
TAB = "a tab is used to indent this line; indent with spaces only"
FLOW = ("a '[' or '{' is not closed; close it, or put the value in quotes if the bracket is part of the text")


def syntax_message(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, int, str]:
    """(line, col, message) for EXC raised while parsing TEXT: LINE counts from 0 in
    TEXT, COL from 1, and MESSAGE names the likely mistake and what to do."""
    problem, context = exc.problem or "", exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line, mark.column + 1) if mark else (0, 0)
    lines = text.split("\n")
    if "quoted scalar" in context and exc.context_mark and "end of stream" in problem:
        start = exc.context_mark
        quote = lines[start.line][start.column:start.column + 1] if start.line < len(lines) else '"'
        return start.line, start.column + 1, PREFIX + (f"the value starting with {quote} here "
                                                       "is never closed; add the closing "
                                                       f"{quote} at the end of the value")
    hidden = _hidden_line_end(lines, line) if _is_structure_problem(problem) else None
    if hidden:
        return hidden
    if "flow" in context or "expected ',' or" in problem:
        unclosed = unclosed_flow(text, mark.index if mark else len(text))
        if unclosed:
            return unclosed
    if _is_structure_problem(problem):
        missing = _missing_space(lines, line)
        if missing is not None:
            key_line, key = missing
            return key_line, 1, PREFIX + (f"'{key}:' needs a space after the colon, like '{key}: value'")
    return line, col, PREFIX + _plain_words(problem, context, lines, line, col)


# `key: "quoted"more` (or 'quoted', [list], {map}) on one line: group 1 the key, 2 the value.
_KEY_VALUE = re.compile(r"^\s*(?:-\s+)?(\S[^#]*?):\s+(([\"'\[{]).*?)\s*$")
_CLOSERS = {'"': '"', "'": "'", "[": "]", "{": "}"}


def quoted(text: str) -> str:
    """TEXT as a quoted YAML value that reads back as TEXT (one line, no escapes needed)."""
    return f'"{text}"' if '"' not in text and "\\" not in text else "'" + text.replace("'", "''") + "'"


def _text_after_closing(text: str, col: int) -> str | None:
    """The message for `key: "quoted"more`: text after a value's closing quote or bracket
    (at COL in the line TEXT), or None when the line is not like that."""
    match = _KEY_VALUE.match(text)
    closer = _CLOSERS[match[3]] if match else ""
    if not match or not text[:col - 1].rstrip().endswith(closer):
        return None
    key, value = match[1], match[2]
    what = "quote" if closer in "\"'" else "bracket"
    return (f"the value starts with {match[3]} and goes on after the closing {what}, so YAML "
            f"cannot tell where it ends; put the whole value in quotes, like {key}: {quoted(value)}")


def _dash_after_key(text: str, col: int) -> str:
    """The message for `key: - x`: a '- ' on the key's line is read as a list item."""
    value = text[col - 1:].split(" #")[0].strip()
    return ("a value starting with '- ' is read as a list item, which cannot follow a "
            f"key on its line; put the value in quotes, like {_key_before(text, col)}: "
            f"{quoted(value)}, or start a list on the next line, indented")


def _special_value(text: str, col: int) -> str:
    """The message for a value YAML gives its own meaning (`=`, `<<`) at COL in TEXT."""
    value = text[col - 1:].split(" #")[0].strip()
    return (f"'{value}' on its own means something special to YAML, not the text; put it in quotes,"
            f" like {_key_before(text, col)}: {quoted(value)}")


def _key_before(text: str, col: int) -> str:
    """The key written before the value at COL in the line TEXT (`- title: x` gives title)."""
    return text[:col - 1].strip().removeprefix("- ").rstrip(":").strip() or "key"


# Line ends to YAML 1.1, but invisible inside a line to an editor (NEL, line and paragraph separators).
_HIDDEN_LINE_END = re.compile("[\x85\u2028\u2029]")
_QUOTED_BEFORE = re.compile(r"^\s*(?:-\s+)?(?:[^:#]*:\s+)?[\"']")   # `key: "...` - inside quotes, it is text


def _hidden_line_end(lines: list[str], error_line: int) -> tuple[int, int, str] | None:
    """(line, col, message) for a NEL, LS or PS on ERROR_LINE or the line above, which
    YAML reads as the end of the line: the value after it looks like a badly indented key."""
    for number in range(min(error_line, len(lines) - 1), max(error_line - 2, -1), -1):
        found = _HIDDEN_LINE_END.search(lines[number])
        if found and not _QUOTED_BEFORE.match(lines[number][:found.start()]):
            return number, found.start() + 1, PREFIX + (
                f"an invisible U+{ord(found[0]):04X} (line separator) here, which YAML "
                "reads as the end of the line; delete it, or put the whole value in quotes")
    return None


def _is_structure_problem(problem: str) -> bool:
    return any(words in problem for words in ("mapping values are not allowed", "could not find expected ':'",
                                              "did not find expected key", "expected <block end>"))


def _missing_space(lines: list[str], error_line: int) -> tuple[int, str] | None:
    """The nearest line at or above ERROR_LINE (within 3) written `key:value`, and the key."""
    for number in range(min(error_line, len(lines) - 1), max(error_line - 4, -1), -1):
        match = _NO_SPACE.match(lines[number])
        if match:
            return number, match[1]
    return None


def _plain_words(problem: str, context: str, lines: list[str], line: int, col: int) -> str:
    if "tab" in problem or "'\\t'" in problem:
        return TAB
    text = lines[line] if line < len(lines) else ""
    if "did not find expected key" in problem:
        after_quote = _text_after_closing(text, col)
        if after_quote:
            return after_quote
    if "block sequence entries are not allowed" in problem:
        return _dash_after_key(text, col)
    if "constructor for the tag" in problem and text[col - 1:col] != "!":
        return _special_value(text, col)
    if "mapping values are not allowed" in problem:
        return COLON_IN_VALUE
    if _is_structure_problem(problem) or "expected '-' indicator" in problem:
        return INDENTATION
    if "appears twice" in problem:
        return f"{problem}; keep one of them (a later one would silently replace the earlier)"
    if "cannot start any token" in problem:
        char = lines[line][col - 1:col] if line < len(lines) and col else ""
        if char == "\t":   # libyaml does not name the tab, as PyYAML does
            return TAB
        return (f"a value cannot start with '{char}' unless it is in quotes; put the whole value in quotes")
    if "constructor for the tag" in problem:
        return "a value starting with '!' is read as a YAML tag; put the value in quotes"
    if "second occurrence" in problem:
        return ("an anchor name (&name) is used twice; give each anchor its own name, "
                "or put the value in quotes")
    if "another document" in problem:
        return ("a line '---' starts a second document; a file holds one, so remove "
                "that line (in a Markdown file, front matter ends at the second '---')")
    if "undefined alias" in problem:
        return "a value starting with '*' is read as a reference to an '&' anchor; put the value in quotes"
    if "escape" in problem:
        return ("a backslash escape in a \"double-quoted\" value is not valid; write the "
                "character itself, or use 'single quotes', where a backslash is plain text")
    if "flow" in context or "expected ',' or" in problem:
        return FLOW
    if "end of stream" in problem:
        return "the file ends in the middle of a value; check the quotes and brackets near the end"
    return f"{problem or context or 'not valid YAML'}; check the indentation and the quotes around this line"


def unclosed_flow(text: str, end: int) -> tuple[int, int, str] | None:
    """(line from 0, col from 1, message) for the outermost '[' or '{' in TEXT[:END]
    left open, naming a ' #' inside it (which YAML reads as a comment, there too);
    None when every bracket before END is closed."""
    opened: list[int] = []
    comment_inside: int | None = None
    index = 0
    while index < end:
        char = text[index]
        starts_token = index == 0 or text[index - 1] in " \t\n[{,"
        if char in "\"'" and starts_token:
            index = _after_quoted(text, index)
            continue
        if char == "#" and (index == 0 or text[index - 1] in " \t\n"):
            if opened and comment_inside is None:
                comment_inside = index
            newline = text.find("\n", index)
            index = newline if newline >= 0 else len(text)
            continue
        if char in "[{":
            opened.append(index)
        elif char in "]}" and opened:
            opened.pop()
        index += 1
    if not opened:
        return None
    return _unclosed_message(text, opened[0], comment_inside)


def _after_quoted(text: str, start: int) -> int:
    """The index just after the quoted value starting at START (or the end of TEXT)."""
    quote, index = text[start], start + 1
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index + 1
        index += 1
    return len(text)


def _position(text: str, index: int) -> tuple[int, int]:
    before = text[:index]
    return before.count("\n"), index - (before.rfind("\n") + 1) + 1


def _unclosed_message(text: str, opener: int, comment: int | None) -> tuple[int, int, str]:
    line, col = _position(text, opener)
    bracket, closer = text[opener], _CLOSERS[text[opener]]
    if comment is None:
        return line, col, PREFIX + (f"the '{bracket}' here is not closed; add the "
                                    f"'{closer}' at the end of the value, or put the whole "
                                    "value in quotes if the bracket is part of the text")
    hash_line, hash_col = _position(text, comment)
    written = re.split(r"[,}\]\n]", text[comment:])[0].strip()
    return line, col, PREFIX + (
        f"the '{bracket}' here is not closed, because the '#' at line {hash_line + 1}, column "
        f"{hash_col} starts a comment (inside '[...]' and '{{...}}' too, ' #' starts one) and "
        f"hides the rest of the line; put the value in quotes, like {quoted(written)}")
