"""How a UK postcode is written, for the site's lookup (content/postcodes.py), the form
receiver's ward routing (intake/wards.py) and the build's scan (build/sources.py).

Standard library only: the receiver's Lambda package carries this module
(intake/package.RUNTIME_FILES), and a build with nothing to do reads its patterns."""
from __future__ import annotations

import re

POSTCODE = re.compile(r"([A-Z]{1,2}[0-9][A-Z0-9]?) ([0-9])([A-Z]{2})")   # as written: 'RM8 3HR'
DISTRICT = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?")                       # its outward code: 'RM8'
SPACES = re.compile(r"\s+")


def compact(text: str) -> str:
    """TEXT without white space, in capitals: how a postcode is compared however it was
    typed ('rm8  3hr' -> 'RM83HR')."""
    return SPACES.sub("", text).upper()
