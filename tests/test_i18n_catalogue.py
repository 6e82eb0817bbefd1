"""The theme's message catalogues: messages.pot is what the code and templates say now
(a new English string without a catalogue entry fails here, naming `make messages`), and
the Welsh catalogue is complete, not fuzzy, and keeps every placeholder and tag."""
from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from sitegen import i18n

ROOT = Path(__file__).resolve().parent.parent
POT = i18n.LOCALE_DIR / "messages.pot"
LANGUAGES = sorted(p.name for p in i18n.LOCALE_DIR.iterdir() if (p / "LC_MESSAGES" / "messages.po").exists())
TAG = re.compile(r"<[^>]*>")
FIX = "run `make messages`, then translate the new entries (docs/development.md)"


def read(path: Path) -> Catalog:
    with open(path, "rb") as handle:
        return read_po(handle)


def keys(catalog: Catalog) -> set[tuple[object, str | None]]:
    return {(m.id, m.context) for m in catalog if m.id}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Catalog:
    """The messages a fresh extraction finds (babel.cfg), as `make messages` runs it."""
    out = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "-q", "extract", "-F", "babel.cfg",
                    "-k", "N_", "-o", str(out), "."], cwd=ROOT, check=True)
    return read(out)


def test_pot_is_up_to_date(fresh: Catalog):
    stored = read(POT)
    new = sorted(map(str, keys(fresh) - keys(stored)))
    gone = sorted(map(str, keys(stored) - keys(fresh)))
    assert not new and not gone, f"messages.pot is out of date: new {new}, gone {gone}; {FIX}"


def test_there_is_a_welsh_catalogue():
    assert "cy" in LANGUAGES


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_matches_the_pot(code: str):
    po = read(i18n.LOCALE_DIR / code / "LC_MESSAGES" / "messages.po")
    missing = sorted(map(str, keys(read(POT)) - keys(po)))
    extra = sorted(map(str, keys(po) - keys(read(POT))))
    assert not missing and not extra, f"{code}: missing {missing}, not in the pot {extra}; {FIX}"


def strings(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_message_is_translated_and_checked(code: str):
    po = read(i18n.LOCALE_DIR / code / "LC_MESSAGES" / "messages.po")
    for message in po:
        if not message.id:
            continue
        assert not message.fuzzy, f"{code}: fuzzy {message.id!r}; check it and remove the fuzzy flag"
        assert all(s.strip() for s in strings(message)), f"{code}: no translation for {message.id!r}; {FIX}"
        if message.pluralizable:
            assert len(strings(message)) == po.num_plurals, f"{code}: {message.id!r} needs {po.num_plurals} forms"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in po.check() if errors]
    assert not problems, f"{code}: placeholders differ: {problems}"


@pytest.mark.parametrize("code", LANGUAGES)
def test_markup_is_kept(code: str):
    """The links and spans a sentence carries are the same in every language (order may change)."""
    po = read(i18n.LOCALE_DIR / code / "LC_MESSAGES" / "messages.po")
    for message in po:
        if not message.id:
            continue
        english = message.id[0] if isinstance(message.id, tuple) else message.id
        for translated in strings(message):
            assert Counter(TAG.findall(translated)) == Counter(TAG.findall(english)), (code, english)


def test_catalogue_says_it_needs_review():
    text = (i18n.LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert "Machine-aided translation: to be reviewed" in text.split("msgid", 1)[0]
