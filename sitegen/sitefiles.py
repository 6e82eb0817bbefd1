"""The one rule for symbolic links in a site: nothing but the site's sources
is read or published through one.

A link whose target is in a source folder (SOURCE_FOLDERS), at no hidden name,
is followed like any file.  A link that leads outside the site (directly,
through `../..`, through a linked folder or a chain of links) is refused
wherever site files are read or listed; one that leads elsewhere in the site
(.git, .cache, build/, .env, node_modules, a dot-folder: `stray_target`) is
refused where media are listed and source files read.  `outside_links`, which
`sitegen check` and every build run, reports both.

The one rule for names: a source file or folder name must be valid UTF-8,
hold no control character, bidi mark or invisible space, and neither start nor
end with white space (`name_fault`); `bad_names` reports every other one, and
names in one folder that differ only in case, in `sitegen check` and every
build; publish refuses a name name_fault refuses in build/.
"""
from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from .errors import Problem, SitegenError

# The files and folders of a site that a build reads.
SOURCES = ("site.yaml", "content", "templates", "assets", "forms")
# Where a link among the sources may lead: a source folder, to no hidden entry.
SOURCE_FOLDERS = ("content", "templates", "assets", "forms")


def outside_target(root: Path | str, path: Path | str) -> str | None:
    """Where PATH really leads, if following its links takes it outside the site
    at ROOT; None when it stays inside (or is no link at all)."""
    real = os.path.realpath(path)
    base = os.path.realpath(root)
    if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
        return None
    return real


def stray_target(root: Path | str, path: Path | str) -> str | None:
    """Where PATH really leads, if a link on the way takes it inside the site at
    ROOT but not into its source folders (SOURCE_FOLDERS), or to a hidden entry
    (a name starting with '.') within one: .git, .cache, build/, .env, node_modules,
    a dot-folder under content/.  None when no link is on the way, or the links
    lead to a source; a path leading outside the site is outside_target's."""
    base = os.path.realpath(root)
    real = os.path.realpath(path)
    if real == os.path.join(base, os.path.relpath(os.path.abspath(path), os.path.abspath(root))):
        return None   # no link on the way: the path is where it lies
    if outside_target(base, real) is not None:
        return None
    for folder in SOURCE_FOLDERS:
        real_folder = os.path.realpath(os.path.join(base, folder))
        if real == real_folder or real.startswith(real_folder.rstrip(os.sep) + os.sep):
            hidden = any(part.startswith(".") for part in Path(os.path.relpath(real, real_folder)).parts
                         if part != os.curdir)
            return real if hidden else None
    return real


def stray_problem(root: Path | str, rel_path: str, target: str) -> Problem:
    """The problem for the site file REL_PATH, a link leading to TARGET inside the
    site at ROOT but not to a source (stray_target)."""
    shown = os.path.relpath(target, os.path.realpath(root))
    return Problem(shown_path(rel_path), 0, 0,
                   f"is a link to {shown_path(shown)}, which is not a source of the site (links may lead only"
                   " into content/, templates/, assets/ and forms/, to no name starting with '.'); copy the"
                   " file into content/ instead, or remove the link")


def is_hidden(rel_path: str) -> bool:
    """Whether the '/'-separated REL_PATH has a part whose name starts with '.'."""
    return any(part.startswith(".") for part in rel_path.split("/"))


# The folders found to be no link in this run (absolute path strings), and the
# files refuse_link_out let through (path string, site-relative name), while a
# run is under way (folders_checked_once); None outside one, where every folder
# and file is looked at again.  Forked workers inherit the parent's and add their own.
_PLAIN_FOLDERS: set[str] | None = None
_PLAIN_FILES: set[tuple[str, str]] | None = None


@contextmanager
def folders_checked_once() -> Iterator[None]:
    """Within the block (one build), each folder on the way to a site file is
    checked for being a link once, not once per file under it: 2,000 wards read
    ~18,000 files through ~4,000 folders; and each file once, though a story is
    read twice (loaded, then its body rendered).  A folder swapped for a link during
    the block goes unseen until the next, whose scan looks again; a file is read
    without following a link (yamlsource.read_text), so one swapped is looked at again."""
    global _PLAIN_FOLDERS, _PLAIN_FILES
    outer = _PLAIN_FOLDERS, _PLAIN_FILES
    if outer[0] is None or outer[1] is None:
        _PLAIN_FOLDERS, _PLAIN_FILES = set(), set()
    try:
        yield
    finally:
        _PLAIN_FOLDERS, _PLAIN_FILES = outer


def _link_on_the_way(root: Path | str, rel_path: str) -> bool:
    """Whether any part of REL_PATH ('/'-separated, below ROOT) is a symbolic link.

    One lstat a part (a folder once a run, under folders_checked_once): most
    files are reached through no link at all, and the realpath comparisons of
    outside_target and stray_target cost ten times more."""
    path = os.fspath(root)
    plain = _PLAIN_FOLDERS
    head = rel_path.rpartition("/")[0]
    if plain is not None and head and os.path.join(path, head) in plain:
        return os.path.islink(os.path.join(path, rel_path))   # its folders checked, for an earlier file
    parts = rel_path.split("/")
    for index, part in enumerate(parts):
        path = os.path.join(path, part)
        folder = index < len(parts) - 1
        if folder and plain is not None and path in plain:
            continue
        if os.path.islink(path):
            return True
        if folder and plain is not None:
            plain.add(path)
    return False


def _plain_root(text: str, rel_path: str) -> str | None:
    """The site folder of the file TEXT named REL_PATH, in the usual case, without
    parsing: a plain absolute path ending in plain names; None in any other."""
    if text.endswith("/" + rel_path) and os.path.normpath(text) == text and text[:1] == "/" != text[1:2] \
            and all(part not in ("", ".", "..") for part in rel_path.split("/")):
        return text[:-len(rel_path) - 1] or "/"
    return None


def root_of(path: Path, rel_path: str) -> Path | None:
    """The site folder of PATH, named REL_PATH relative to it ('content/x.md');
    None when REL_PATH is not the tail of PATH."""
    if (plain := _plain_root(os.fspath(path), rel_path)) is not None:
        return Path(plain)
    tail = PurePosixPath(rel_path).parts
    if not tail or ".." in tail or Path(path).parts[-len(tail):] != tail:
        return None
    return Path(*Path(path).parts[:-len(tail)]) if len(Path(path).parts) > len(tail) else Path(".")


def outside_problem(rel_path: str, target: str) -> Problem:
    """The problem for the site file REL_PATH, a link leading to TARGET outside the site."""
    if os.path.isdir(target):
        what, fix = "a folder", "copy the folder into the site instead"
    elif os.path.lexists(target):
        what, fix = "a file", "copy the file into the site instead"
    else:
        what, fix = "a missing file", "remove the link, or copy the file into the site"
    return Problem(rel_path, 0, 0, f"is a link to {what} outside the site ({target}); {fix}")


def outside_links(root: Path) -> list[Problem]:
    """A problem for every link among the site's sources that leads outside ROOT,
    or inside it but not to a source (stray_target).  One walk: only the links
    (known from the folder listing, no stat of their own) are resolved."""
    problems: list[Problem] = []
    seen: set[tuple[int, int]] = set()
    for name in SOURCES:
        path = root / name
        if not os.path.lexists(path):
            continue
        target = outside_target(root, path)
        if target is not None:
            problems.append(outside_problem(name, target))
        elif path.is_dir():
            problems.extend(_walk(root, os.fspath(path), name, seen))
    return problems


def _walk(root: Path, folder: str, rel: str, seen: set[tuple[int, int]]) -> Iterator[Problem]:
    """The links under FOLDER (shown as REL) that lead out of the site or to what
    is not a source, following links that stay among the sources (each real
    folder once, known by its device and inode, so a loop of links ends)."""
    try:
        info = os.stat(folder)
    except OSError:
        return
    if (info.st_dev, info.st_ino) in seen:
        return
    seen.add((info.st_dev, info.st_ino))
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        entry_rel = f"{rel}/{entry.name}"
        if entry.is_symlink():
            if (target := outside_target(root, entry.path)) is not None:
                yield outside_problem(entry_rel, target)
                continue
            if (target := stray_target(root, entry.path)) is not None:
                yield stray_problem(root, entry_rel, target)
                continue
        try:
            is_dir = entry.is_dir()
        except OSError as exc:   # ELOOP: links that lead to each other, never to a file
            yield Problem(shown_path(entry_rel), 0, 0, f"is a link that leads nowhere ({exc.strerror});"
                                                       " remove it, or point it at a file or folder")
            continue
        if is_dir:
            yield from _walk(root, entry.path, entry_rel, seen)   # (a string: no Path for 4,000 folders)


def refuse_link_out(path: Path, rel_path: str, *, again: bool = False) -> bool:
    """Raise SitegenError if the site file PATH (REL_PATH relative to the site)
    leads outside the site, or to what is not a source, through a link.

    Returns whether no link was on its way, itself included, when it was looked at,
    perhaps earlier in this run: the caller may then open it without following a
    link (O_NOFOLLOW), and so never read through one made since, and on finding one
    (ELOOP) ask AGAIN, which looks afresh."""
    checked, key = _PLAIN_FILES, (os.fspath(path), rel_path)
    if checked is not None and key in checked:
        if not again:
            return True   # let through earlier in this run (folders_checked_once)
        checked.discard(key)
    plain = _refuse_link_out(path, rel_path)
    if plain and checked is not None:
        checked.add(key)
    return plain


def let_through(folder: Path | str, rel_folder: str, entries: Iterable[os.DirEntry[str]]) -> None:
    """Note the files among ENTRIES (a listing of FOLDER, the site folder REL_FOLDER) that are no
    link as let through by refuse_link_out for the rest of the run (folders_checked_once), when
    no link is on FOLDER's way: a listing tells a link from a file by its type, without a stat
    of its own, where refuse_link_out would take one for each file (10,000 at 2,000 wards).
    What refuse_link_out then lets through is what it would have let through itself."""
    checked = _PLAIN_FILES
    if checked is None:
        return
    root = _plain_root(os.fspath(folder), rel_folder)
    if root is None or _link_on_the_way(root, rel_folder):
        return
    for entry in entries:
        if not entry.is_symlink():
            checked.add((entry.path, f"{rel_folder}/{entry.name}"))


def _refuse_link_out(path: Path, rel_path: str) -> bool:
    """refuse_link_out, looking at PATH's folders (each once a run) and PATH itself."""
    plain = _plain_root(os.fspath(path), rel_path)   # no Path made for the thousands of files with no link
    if plain is not None and not _link_on_the_way(plain, rel_path):
        return True
    root = Path(plain) if plain is not None else root_of(path, rel_path)
    if root is None or (plain is None and not _link_on_the_way(root, rel_path)):
        return root is not None
    target = outside_target(root, path)
    if target is not None:
        raise SitegenError([outside_problem(rel_path, target)])
    if (target := stray_target(root, path)) is not None:
        raise SitegenError([stray_problem(root, rel_path, target)])
    return False


# A file or folder name holding one of these cannot be shown, typed or published
# safely: C0 controls (tab, line feed, ESC...), DEL and the C1 controls.
_CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f]")


# Characters that make a name read other than it is: bidi marks and overrides
# (`cod\u202eFDP.exe` shows as `codexe.PDF`), and spaces that look like a plain
# space but are not one (no-break, figure, narrow no-break) or take no room
# (zero-width space, byte-order mark).  ZWJ and ZWNJ stay allowed: scripts need them.
_INVISIBLE_CHARACTERS = {
    0x061C: "ARABIC LETTER MARK", 0x200E: "LEFT-TO-RIGHT MARK", 0x200F: "RIGHT-TO-LEFT MARK",
    0x202A: "LEFT-TO-RIGHT EMBEDDING", 0x202B: "RIGHT-TO-LEFT EMBEDDING",
    0x202C: "POP DIRECTIONAL FORMATTING",
    0x202D: "LEFT-TO-RIGHT OVERRIDE", 0x202E: "RIGHT-TO-LEFT OVERRIDE", 0x2066: "LEFT-TO-RIGHT ISOLATE",
    0x2067: "RIGHT-TO-LEFT ISOLATE", 0x2068: "FIRST STRONG ISOLATE", 0x2069: "POP DIRECTIONAL ISOLATE",
    0x00A0: "NO-BREAK SPACE", 0x2007: "FIGURE SPACE", 0x202F: "NARROW NO-BREAK SPACE",
    0x200B: "ZERO WIDTH SPACE", 0xFEFF: "ZERO WIDTH NO-BREAK SPACE",
}


# White space at either end of a part of a '/'-separated name.
_SPACE_AT_AN_END = re.compile(r"(?:^|/)\s|\s(?:/|$)")


def name_fault(name: str) -> str | None:
    """What is wrong with the file or folder NAME, as os.listdir gives it (bytes
    that are not UTF-8 arrive as lone surrogates), or None for a good name.
    NAME may be a '/'-separated path: each part is held to the rule.  Faults:
    not UTF-8; a control character; a bidi or invisible-space character (named,
    with its position, counted from 1 in the part); white space at either end."""
    if name.isascii() and name.isprintable() and not _SPACE_AT_AN_END.search(name):
        return None   # the common case, on every scan: no character to look at one by one
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "is not valid UTF-8"
    if _CONTROL_CHARACTERS.search(name):
        return "holds a control character"
    for part in name.split("/"):
        if fault := _part_fault(part):
            return fault
    return None


def _part_fault(part: str) -> str | None:
    """The invisible-character or white-space fault of one name PART, or None."""
    for position, char in enumerate(part, start=1):
        if (label := _INVISIBLE_CHARACTERS.get(ord(char))) is not None:
            return (f"holds the invisible character U+{ord(char):04X} {label} at character {position},"
                    " which makes the name read other than it is")
    if part[:1].isspace():
        return "starts with white space, which cannot be seen in a link or a list of files"
    if part[-1:].isspace():
        return "ends with white space, which cannot be seen in a link or a list of files"
    return None


def shown_path(rel_path: str) -> str:
    """REL_PATH as a problem's path: bytes that are not UTF-8 as `\\xe9` (no text can
    carry them), every other character as it is, so `--format json` names the real
    file.  Whatever prints a problem for a terminal or log escapes it there
    (sitegen.terminal.printable: cli.py, problemformats.github_lines, serve.py)."""
    return os.fsencode(rel_path).decode("utf-8", "backslashreplace")


def name_problem(rel_path: str, fault: str) -> Problem:
    """The problem for the file or folder REL_PATH whose name has FAULT (from name_fault)."""
    return Problem(shown_path(rel_path), 0, 0, f"the name {fault}; rename it using printable characters only"
                   " (letters, digits, '-', '_', '.'), saved as UTF-8")


def bad_names(root: Path) -> list[Problem]:
    """A problem for every file or folder among the site's sources (SOURCES under
    ROOT) whose name name_fault refuses, and for every name that differs from
    another in its folder only in upper and lower case (case_clashes).  Links are
    not followed: a link's own name is checked, and where it leads is checked
    where it lies in the site."""
    problems = []
    for source in SOURCES:
        top = os.fspath(root / source)
        for folder, dirs, files in os.walk(top):
            # FOLDER is TOP joined with names ('/'-separated), so its tail is the rest of its
            # site path: pathlib's relative_to would take both apart, for each of 4,000 folders.
            problems.extend(folder_name_problems(source + folder[len(top):], dirs, files))
            dirs[:] = [d for d in dirs if not name_fault(d)]   # reported once, at the folder
    return problems


def folder_name_problems(rel_folder: str, dirs: list[str], files: list[str]) -> list[Problem]:
    """bad_names' problems for the entries (DIRS and FILES) of the site folder REL_FOLDER."""
    problems = []
    good = []
    for name in sorted(dirs + files):
        if fault := name_fault(name):
            problems.append(name_problem(f"{rel_folder}/{name}", fault))
        else:
            good.append(name)
    problems.extend(case_clashes(rel_folder, good))
    return problems


def case_clashes(rel_folder: str, names: list[str]) -> list[Problem]:
    """A problem for each of NAMES (the entries of the site folder REL_FOLDER, in
    order) that is an earlier one in other upper and lower case (`Q.PDF` beside
    `q.pdf`): a Mac or Windows checkout keeps only one of them.  Names that differ
    only in Unicode normal form are left to content/medianames.py."""
    first: dict[str, str] = {}
    problems = []
    for name in names:
        composed = unicodedata.normalize("NFC", name)
        same = first.setdefault(composed.casefold(), name)
        if same != name and unicodedata.normalize("NFC", same) != composed:
            other = shown_path(f"{rel_folder}/{same}")
            problems.append(Problem(shown_path(f"{rel_folder}/{name}"), 0, 0,
                                    f"has the same name as {other} but for upper and lower case, so a Mac or"
                                    " Windows checkout keeps only one of them; rename or delete one"))
    return problems
