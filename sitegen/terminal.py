"""Text from outside made safe for a terminal: the one escaping function.

Feed servers, feed titles, police.uk answers, URLs and file names can carry
control characters.  Printed raw, ESC and CSI sequences retitle the terminal,
clear it or move the cursor; a carriage return or line feed forges a line of
our own output ("All good"); bidi overrides reorder what is shown.  Every
message and log line made from such text goes through `printable`, which shows
these characters as visible escapes, as Python writes them (`\\x1b`, `\\n`,
`\\u202e`), and leaves all other text, tabs and backslashes as they are.
"""
from __future__ import annotations

_CONTROLS = [*range(0x20), *range(0x7F, 0xA0)]  # C0 (CR and LF too), DEL and C1 (CSI, OSC...)
# Bidi marks and overrides, then the line and paragraph separators.
_FORMATTING = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029]
_KEPT = {0x09}  # a tab moves the cursor on, nothing more
_NAMED = {0x0A: "\\n", 0x0D: "\\r"}


def _visible(code: int) -> str:
    if code in _NAMED:
        return _NAMED[code]
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_TABLE = {code: _visible(code) for code in (*_CONTROLS, *_FORMATTING) if code not in _KEPT}


def printable(text: object) -> str:
    """TEXT (any object, through str()) with every terminal control character shown as an escape.

    ESC becomes the four characters backslash, x, 1, b; a line feed becomes
    backslash, n.  The result holds nothing a terminal acts on and no line break.
    """
    return str(text).translate(_TABLE)
