"""Reading a site's files: YAML and Markdown with line numbers, validated into the model."""
from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

MEDIA_DIR = "content/media"   # files copied as they are to /media/


def slugify(text: str) -> str:
    """'Barking and Dagenham' -> 'barking-and-dagenham'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def markdown_files(folder: Path) -> list[Path]:
    """The *.md files in FOLDER, sorted; none if it is not a folder.  Links are
    followed and anything that is not a file is left out, as the build's scan
    does (os.scandir knows a plain file's type without a stat of its own)."""
    try:
        with os.scandir(folder) as entries:
            names = [e.name for e in entries if e.name.endswith(".md") and e.is_file()]
    except OSError:
        return []
    return [folder / name for name in sorted(names)]
