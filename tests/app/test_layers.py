"""The architecture's rules, read from the source with `ast` (nothing is imported).

- the domain imports no Textual, no typer and nothing of the interface or the command line;
- the shared domain package imports no area;
- an area's domain imports the shared package, storage and models, its own modules, and of
  another area only the public modules that area names in its `__init__` (`__all__`);
- likewise an area's interface uses another area's interface only through the modules that
  area's `tuan/tui/<area>/__init__` names public (its screen, a sub-screen others open);
- no module imports another that (directly or not) imports it back.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tuan"
DOMAIN = "tuan.domain"
AREAS = ("chains", "live", "pickup", "members", "partners", "dashboard", "demo", "payments")
# Below every area: time, words, the tables and the database itself.
FOUNDATION = ("tuan.clock", "tuan.i18n", "tuan.models", "tuan.db")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in PACKAGE.rglob("*.py")}


def imported(path: Path, name: str) -> Iterator[str]:
    """Every module `path` imports, at any depth of the file (inside functions too)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            yield base
            for alias in node.names:  # `from tuan.domain.chains import listing` names a module
                yield f"{base}.{alias.name}"


def graph() -> dict[str, set[str]]:
    known = modules()
    edges: dict[str, set[str]] = {}
    for name, path in known.items():
        # `from tuan import clock` names the package too; only the module it brings counts.
        edges[name] = {t for t in imported(path, name) if t in known} - {name, "tuan"}
    return edges


def area_of(module: str) -> str | None:
    parts = module.split(".")
    if module.startswith(DOMAIN + ".") and len(parts) > 2 and parts[2] in AREAS:
        return parts[2]
    return None


def public_modules(area: str, layer: str = "domain") -> set[str]:
    """The modules an area offers to the others: the names in its `__init__`'s `__all__`."""
    init = PACKAGE / layer / area / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets
        ):
            names = ast.literal_eval(node.value)
            return {f"tuan.{layer}.{area}.{name}" for name in names}
    return set()


def test_the_domain_imports_no_interface_and_no_command_line() -> None:
    banned = ("textual", "typer", "tuan.tui", "tuan.cli", "tuan.commands", "tuan.launcher")
    known = modules()
    offenders = [
        f"{name} imports {target}"
        for name, path in known.items()
        if name.startswith(DOMAIN)
        for target in imported(path, name)
        if target.startswith(banned)
    ]
    assert offenders == []


def test_the_shared_package_imports_no_area() -> None:
    offenders = [
        f"{name} imports {target}"
        for name, targets in graph().items()
        if name.startswith(DOMAIN + ".shared")
        for target in targets
        if area_of(target) is not None
    ]
    assert offenders == []


def test_an_area_uses_only_what_other_areas_make_public() -> None:
    offenders = []
    for name, targets in graph().items():
        area = area_of(name)
        if area is None:
            continue
        for target in targets:
            other = area_of(target)
            if target.startswith(DOMAIN + ".shared") or target in FOUNDATION:
                continue
            if other == area or target in {f"{DOMAIN}.{name}" for name in AREAS}:
                continue  # its own modules, or a package named in `from … import module`
            if other is not None and target in public_modules(other):
                continue
            offenders.append(f"{name} imports {target}")
    assert offenders == []


@pytest.mark.parametrize("area", AREAS)
def test_each_public_module_exists(area: str) -> None:
    known = modules()
    layers = ("domain", "tui") if (PACKAGE / "tui" / area).is_dir() else ("domain",)
    for layer in layers:
        assert all(module in known for module in public_modules(area, layer)), layer


def test_an_area_screen_opens_another_area_only_through_its_public_modules() -> None:
    offenders = []
    for name, targets in graph().items():
        parts = name.split(".")
        if not name.startswith("tuan.tui.") or len(parts) < 4 or parts[2] == "shared":
            continue
        for target in targets:
            other = target.split(".")
            if (
                target.startswith("tuan.tui.")
                and len(other) >= 4
                and other[2] not in (parts[2], "shared")
                and target not in public_modules(other[2], "tui")
            ):
                offenders.append(f"{name} imports {target}")
    assert offenders == []


def test_no_import_cycles() -> None:
    edges = graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in edges.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    assert cycles == []


def test_the_rules_catch_a_cycle_and_a_private_import(tmp_path: Path) -> None:
    """The checks above can fail: a made-up pair of modules trips both."""
    one = tmp_path / "one.py"
    one.write_text("from tuan.domain.chains import parse\nimport tuan.domain.live.flash\n")
    found = set(imported(one, "tuan.domain.pickup.one"))
    assert {"tuan.domain.chains.parse", "tuan.domain.live.flash"} <= found
    assert "tuan.domain.live.flash" not in public_modules("live")
