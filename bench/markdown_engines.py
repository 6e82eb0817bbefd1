"""Compare the two Markdown engines on the bundled content and a bench corpus:
time per document, and whether they give the same HTML.

    .venv/bin/python bench/markdown_engines.py"""
from __future__ import annotations

import difflib
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from corpus import write_corpus  # noqa: E402
from sitegen.content.frontmatter import body_of  # noqa: E402
from sitegen.content.markup import ENGINES, MarkdownRenderer  # noqa: E402


def bodies(folder: Path) -> list[tuple[str, str]]:
    """(path, Markdown body) of every news and page file under FOLDER/content."""
    files = sorted((folder / "content").rglob("*.md"))
    return [(p.relative_to(folder).as_posix(), body_of(p.read_text(), p.name)) for p in files]


def compare(label: str, docs: list[tuple[str, str]]) -> None:
    """Print timings and differences for DOCS."""
    outputs, times = {}, {}
    for engine in ENGINES:
        renderer = MarkdownRenderer(engine)
        started = time.perf_counter()
        outputs[engine] = [renderer.render(text).html for _, text in docs]
        times[engine] = (time.perf_counter() - started) / len(docs) * 1000
    differing = [(path, a, b) for (path, _), a, b in zip(docs, *outputs.values()) if a.split() != b.split()]
    print(f"{label}: {len(docs)} documents; " + ", ".join(f"{e} {t:.3f} ms each" for e, t in times.items())
          + f"; {len(differing)} differ beyond white space")
    for path, a, b in differing[:3]:
        diff = difflib.unified_diff(a.splitlines(), b.splitlines(), "commonmark", "python-markdown", lineterm="", n=0)
        print(f"  {path}:\n    " + "\n    ".join(list(diff)[2:8]))


def main() -> None:
    """The bundled example site, then 200 generated wards."""
    compare("bundled content", bodies(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), 200)
        compare("bench corpus (200 wards)", bodies(Path(tmp)))


if __name__ == "__main__":
    main()
