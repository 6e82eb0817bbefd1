"""Names that become addresses: a borough's name gives its page /boroughs/<slug>/."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import Problems
from . import slugify
from .schema import Str, Where


@dataclass
class AddressName(Str):
    """Text (like Str) whose slug must not be empty, because it becomes an address.

    WHAT names the value in the message ('borough').  A name of emoji or
    punctuation only is refused at its position.
    """

    what: str = "name"

    def check(self, value, where: Where, problems: Problems):
        text = super().check(value, where, problems)
        if text is not None and not slugify(text):
            line, col = where.pos
            problems.add(where.path, line, col,
                         f"{self.what} '{text}' gives an empty address; write it with letters or digits"
                         f" (any alphabet will do), like 'Barking and Dagenham'")
            return None
        return text
