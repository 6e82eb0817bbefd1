"""The build's shape: typed units (an unknown one is an error), renderers listed
in one place, no import cycle, and one pipeline whose reporter says what it did."""
from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

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
