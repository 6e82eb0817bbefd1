"""The build's shape: typed units (an unknown one is an error), renderers listed
in one place, no import cycle, and one pipeline whose reporter says what it did."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build import Reporter, Selection, build
from sitegen.build.hashing import InputHashes
from sitegen.build.sources import CONFIG, area_unit
from sitegen.build.units import Unit, UnknownUnit, digest
from sitegen.outputs.base import Output
from sitegen.outputs.catalogue import RENDERERS, plan

PACKAGE = Path(__file__).resolve().parent.parent / "sitegen"


class NoTemplates:
    """Template hashes for outputs made without templates."""

    def __call__(self, name: str) -> str:
        return ""


def test_an_output_reading_an_unknown_unit_is_an_error_not_an_empty_hash():
    made = InputHashes("frame", {CONFIG: digest("site.yaml")}, NoTemplates(), lambda key: "")  # type: ignore[arg-type]
    known = Output("robots.txt", "robots", "", (CONFIG,))
    assert made(known) == made(known)
    with pytest.raises(UnknownUnit, match="area:abbey"):
        made(Output("areas/abbey/index.html", "area", "abbey", (area_unit("abbey"),)))


def test_units_are_typed_values_that_print_as_their_old_keys():
    assert area_unit("abbey") == Unit("area", "abbey") != Unit("page", "abbey")
    assert str(area_unit("abbey")) == "area:abbey" and str(CONFIG) == "config"


def test_every_planned_kind_has_a_listed_renderer(make_site):
    from sitegen.build.checks import load_and_check
    site, _ = load_and_check(make_site("example"), date(2026, 11, 28))
    kinds = {o.kind for o in plan(site)}
    assert kinds <= RENDERERS.keys()
    assert {"home", "area", "news", "atom", "ics", "sitemap", "form", "triage"} <= kinds


def imports_run(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement in TREE but those under `if TYPE_CHECKING:`."""
    found: list[ast.Import | ast.ImportFrom] = []
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            found += imports_run(ast.Module(body=node.orelse, type_ignores=[]))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        else:
            found += imports_run(node)
    return found


def module_imports(path: Path, modules: set[str]) -> set[str]:
    """The sitegen MODULES that PATH imports, at module level or inside a function
    (not for type checking only): `from pkg import sub` reads the module sub,
    `from pkg import name` what pkg/__init__.py defines."""
    name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in imports_run(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            if base.startswith("sitegen"):
                for alias in node.names:
                    found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names if alias.name.startswith("sitegen"))
    return found


def test_no_module_of_sitegen_imports_itself_through_others():
    modules = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph = {name: {m for m in module_imports(path, set(modules)) if m in modules and m != name}
             for name, path in modules.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycle = trail[trail.index(other):] + [other] if other in trail else [name, other]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if other not in state:
                visit(other, trail + [other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_no_renderer_registers_itself_by_being_imported():
    for path in PACKAGE.rglob("*.py"):
        assert "@renderer(" not in path.read_text(encoding="utf-8"), path


def test_a_broken_selected_area_is_reported_by_the_whole_site_build(make_site, tmp_path):
    """A narrow selection with a problem widens to the whole site, whose messages are the ones reported."""
    from sitegen.errors import SitegenError
    site = make_site("minimal")
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("name: North Ward", "name: [North, Ward]"))
    reporter = Reporter()
    with pytest.raises(SitegenError) as raised:
        build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", reporter=reporter)
    assert reporter.selections == [Selection(frozenset({"north-ward"})), Selection(None)]
    assert reporter.rendered == [] and any("area.yaml" in str(p) for p in raised.value.problems)


def test_the_reporter_times_every_phase_in_order(make_site, tmp_path):
    site = make_site("minimal")
    reporter = Reporter()
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", reporter=reporter)
    assert list(reporter.phases) == ["scan", "load and check", "hash", "write", "keep"]
    assert reporter.cold and reporter.selection == Selection(None) and len(reporter.rendered) > 10


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def clean_tree(site: Path, tmp_path: Path, day: date = date(2026, 11, 28)) -> dict[str, bytes]:
    build(site, tmp_path / "clean", day, state_dir=tmp_path / "clean-state", clean=True)
    return tree(tmp_path / "clean")


@settings(max_examples=16, deadline=None)
@given(which=st.sampled_from(["state.bin", "areas", "events/shards", "site-parses.pickle"]),
       seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 6))
def test_a_damaged_cache_file_is_a_cache_miss_never_a_crash(tmp_path_factory, which, seed, flips):
    """Bytes flipped anywhere in the build state, the area cache's shard of the ward then edited
    (with the parse memo of its files), an event ledger shard or the site's parse memo: the next
    build, of a story's edit, reads it as lost (exit 0, the same site as a clean build's)."""
    import random
    import shutil

    from sitegen.build.areacache import shard_of
    tmp = tmp_path_factory.mktemp("damaged")
    site = tmp / "site"
    shutil.copytree(PACKAGE.parent / "tests/sites/minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    state = tmp / "state"
    build(site, tmp / "out", date(2026, 11, 28), state_dir=state)
    files = {"state.bin": [state / which], "site-parses.pickle": [state / which],
             "areas": [state / f"areas/{shard_of('north-ward'):02d}.pickle"],
             "events/shards": sorted((site / ".cache/build" / which).glob("*.json"))}[which]
    rng = random.Random(seed)
    target = rng.choice(files)
    data = bytearray(target.read_bytes())
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    target.write_bytes(bytes(data))
    story = site / "content/areas/north-ward/news/speed-checks.md"
    story.write_text(story.read_text() + "\nOne more sentence.\n")
    build(site, tmp / "out", date(2026, 11, 28), state_dir=state)
    assert tree(tmp / "out") == clean_tree(site, tmp)


def test_a_deeply_nested_ledger_is_read_as_lost(make_site, tmp_path):
    from sitegen.build.eventledger import ledger_path
    site = make_site("minimal")
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    ledger_path(site, "north-ward").write_text("[" * 200_000)
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", clean=True)


def sequences(ics: bytes) -> list[int]:
    return [int(line.split(b":")[1]) for line in ics.splitlines() if line.startswith(b"SEQUENCE:")]


def test_an_event_removed_and_put_back_on_the_same_day_never_goes_down(make_site, tmp_path):
    site = make_site("minimal")
    area = site / "content/areas/north-ward/area.yaml"
    original = area.read_text()
    day = date(2026, 11, 28)
    ics = tmp_path / "out/areas/north-ward/events.ics"
    build(site, tmp_path / "out", day, state_dir=tmp_path / "state")
    first = sequences(ics.read_bytes())
    area.write_text(original.replace("location: Town hall", "location: Moved to Town hall"))
    build(site, tmp_path / "out", day, state_dir=tmp_path / "state")
    edited = sequences(ics.read_bytes())
    assert edited[0] > first[0]
    start, end = original.index("  - id: ward-panel-meeting-2026-12-03"), original.index("  - id: street-surgery")
    area.write_text(original[:start] + original[end:])   # the meeting is taken out...
    build(site, tmp_path / "out", day, state_dir=tmp_path / "state")
    area.write_text(original.replace("location: Town hall", "location: Moved to Town hall"))   # ...and put back
    build(site, tmp_path / "out", day, state_dir=tmp_path / "state")
    assert sequences(ics.read_bytes())[0] >= edited[0]


@pytest.mark.parametrize("slug", ["shard-16", "shards", "16"])
def test_no_ward_name_reaches_another_wards_event_ledger(make_site, tmp_path, slug):
    """The ledger's shards cannot be taken for a ward's ledger of the old one-file-per-ward kind."""
    import shutil
    site = make_site("minimal")
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("location: Town hall", "location: Moved to Town hall"))
    build(site, tmp_path / "out", date(2026, 11, 29), state_dir=tmp_path / "state")
    published = (tmp_path / "out/areas/north-ward/events.ics").read_bytes()
    shutil.copytree(site / "content/areas/south-ward", site / "content/areas" / slug)
    build(site, tmp_path / "out", date(2026, 11, 29), state_dir=tmp_path / "state")
    assert (tmp_path / "out/areas/north-ward/events.ics").read_bytes() == published
    assert clean_tree(site, tmp_path, date(2026, 11, 29))["areas/north-ward/events.ics"] == published


class StopWhileMoving(Reporter):
    def moving(self, path: str) -> None:
        raise KeyboardInterrupt


def test_a_build_stopped_after_rendering_never_publishes_one_sequence_for_two_contents(make_site, tmp_path):
    site = make_site("minimal")
    area = site / "content/areas/north-ward/area.yaml"
    original = area.read_text()
    ics = tmp_path / "out/areas/north-ward/events.ics"
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    area.write_text(original.replace("location: Town hall", "location: Second Town hall"))
    with pytest.raises(KeyboardInterrupt):
        build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", reporter=StopWhileMoving())
    before = sequences(ics.read_bytes())
    area.write_text(original.replace("location: Town hall", "location: Third Town hall"))
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    assert sequences(ics.read_bytes())[0] > before[0] + 1   # the second content's number was recorded


def test_a_file_deleted_by_hand_is_made_again_by_its_areas_build_or_the_next_whole_one(make_site, tmp_path):
    """A narrow build checks only its own areas' files (checking every output would cost
    as much as the rest of it); the next build with nothing else to do finds the others."""
    site = make_site("minimal")
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    (tmp_path / "out/index.html").unlink()
    (tmp_path / "out/areas/north-ward/feed.xml").unlink()
    news = site / "content/areas/north-ward/news/speed-checks.md"
    news.write_text(news.read_text() + "\nOne more line.\n")
    reporter = Reporter()
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", reporter=reporter)
    assert reporter.selection == Selection(frozenset({"north-ward"}))
    assert (tmp_path / "out/areas/north-ward/feed.xml").is_file()
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    assert tree(tmp_path / "out") == clean_tree(site, tmp_path)


def test_a_relative_output_folder_is_the_same_build_as_its_absolute_path(make_site, tmp_path, monkeypatch):
    site = make_site("minimal")
    monkeypatch.chdir(tmp_path)
    build(site, Path("out"), date(2026, 11, 28), state_dir=tmp_path / "state")
    reporter = Reporter()
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", reporter=reporter)
    assert reporter.selections == []


class EditWhileLoading(Reporter):
    """A reporter that saves FILE with TEXT just as the build starts reading the site."""

    def __init__(self, file: Path, text: str):
        super().__init__()
        self.file, self.text = file, text

    def phase(self, name: str):
        if name == "load and check":
            self.file.write_text(self.text)
        return super().phase(name)


def test_an_edit_saved_while_a_build_reads_the_site_and_then_undone_is_not_missed(make_site, tmp_path):
    """The build renders what it read, which the scan did not hash; undoing the edit
    must still bring the page back to the file as it is."""
    site = make_site("minimal")
    news = site / "content/areas/north-ward/news/speed-checks.md"
    page = tmp_path / "out/areas/north-ward/news/speed-checks/index.html"
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    original = news.read_text()
    news.write_text(original + "\nFirst edit.\n")
    during = EditWhileLoading(news, original + "\nSecond edit, saved mid-build.\n")
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state", reporter=during)
    assert "Second edit" in page.read_text()
    news.write_text(original + "\nFirst edit.\n")   # back to what the scan hashed
    build(site, tmp_path / "out", date(2026, 11, 28), state_dir=tmp_path / "state")
    assert "First edit" in page.read_text() and "Second edit" not in page.read_text()
    assert tree(tmp_path / "out") == clean_tree(site, tmp_path)
