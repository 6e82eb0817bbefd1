"""Generate a benchmark corpus of N wards: each an area.yaml and four news pages
of 300-600 words with headings, lists and links.  Deterministic for a given N."""
from __future__ import annotations

import argparse
import os
import random
from pathlib import Path

WORDS = ("police neighbourhood team residents ward panel meeting patrol community safety street "
         "burglary bike theft speeding park station library council school evening weekend report "
         "officer constable sergeant support advice local priority action update week month").split()


def paragraph(rng: random.Random, words: int) -> str:
    """A paragraph of WORDS pseudo-sentences."""
    out, sentence = [], []
    for _ in range(words):
        sentence.append(rng.choice(WORDS))
        if len(sentence) >= rng.randint(8, 16):
            out.append(" ".join(sentence).capitalize() + ".")
            sentence = []
    if sentence:
        out.append(" ".join(sentence).capitalize() + ".")
    return " ".join(out)


def news_body(rng: random.Random, slug: str, other: str) -> str:
    """Markdown of 300-600 words with headings, a list and internal links."""
    target, parts, count = rng.randint(300, 600), [], 0
    while count < target:
        words = rng.randint(60, 120)
        parts.append(paragraph(rng, words))
        count += words
        if rng.random() < 0.4:
            parts.append(f"## {paragraph(rng, 4)[:-1]}")
        if rng.random() < 0.3:
            parts.append("\n".join(f"- {paragraph(rng, 6)}" for _ in range(3)))
    parts.append(f"See [your team](/areas/{slug}/) and [a neighbouring ward](/areas/{other}/).")
    return "\n\n".join(parts)


def area_yaml(index: int, slug: str) -> str:
    """A complete area.yaml."""
    return f"""name: Ward {index}
borough: Borough {index // 20}
code: E05{index:06d}
population: {8000 + index}
summary: The neighbourhood team for ward {index}.
team:
  - name: Officer {index}A
    role: Police Sergeant
  - name: Officer {index}B
    role: Police Constable
contact:
  email: {slug}@example.police.uk
  phone: 020 7946 0{index % 1000:03d}
priorities:
  - issue: Speeding on the main road.
    date: 2026-10-01
    action: Weekly speed checks.
events:
  - id: ward-panel
    title: Ward panel meeting
    start: 2027-01-{1 + index % 27:02d}T19:00
    end: 2027-01-{1 + index % 27:02d}T20:30
    location: Community hall
social:
  - network: x
    url: https://x.com/ward{index}
"""


def tool_env() -> dict[str, str]:
    """The environment to time a generator in: this one, except that Python
    tools keep their compiled bytecode, as they do when installed.  A shell
    with PYTHONDONTWRITEBYTECODE set (this workplace's is) would otherwise
    make sitegen and Pelican compile every module they import on every run."""
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def write_corpus(root: Path, wards: int, seed: int = 1) -> None:
    """Write a sitegen site of WARDS wards under ROOT."""
    rng = random.Random(seed)
    (root / "content/areas").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text("name: Bench Police\nbase_url: https://bench.example.org/\n")
    for index in range(wards):
        slug, other = f"ward-{index}", f"ward-{(index + 1) % wards}"
        folder = root / "content/areas" / slug
        (folder / "news").mkdir(parents=True, exist_ok=True)
        (folder / "area.yaml").write_text(area_yaml(index, slug))
        for number in range(4):
            (folder / "news" / f"news-{number}.md").write_text(
                f"---\ntitle: News {number} from ward {index}\ndate: 2026-{1 + number * 3:02d}-15\n"
                f"summary: Update {number}.\n---\n{news_body(rng, slug, other)}\n")


def main() -> None:
    """Command line: corpus.py DIR N."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("root", type=Path)
    parser.add_argument("wards", type=int)
    args = parser.parse_args()
    write_corpus(args.root, args.wards)


if __name__ == "__main__":
    main()
