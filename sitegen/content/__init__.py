"""Reading a site's files: YAML and Markdown with line numbers, validated into the model."""
from __future__ import annotations

import re
import unicodedata

MEDIA_DIR = "content/media"   # files copied as they are to /media/


def slugify(text: str) -> str:
    """'Barking and Dagenham' -> 'barking-and-dagenham'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
