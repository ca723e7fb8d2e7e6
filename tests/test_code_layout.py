"""The shape of the code: no import cycle, no private name imported across modules, the code location
free of dev tooling and of the simulator, resources not defined in asset modules."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from orchestration.settings import REPO_ROOT

PACKAGES = (
    "api",
    "catalogue",
    "orchestration",
    "spark_jobs",
    "simulator",
    "texts",
    "warehouse",
    "workbench",
    "benchmarks",
    "tests",
)


def module_name(path: Path) -> str:
    parts = path.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for package in PACKAGES for p in sorted((REPO_ROOT / package).rglob("*.py"))}


def imports(module: str) -> Iterator[tuple[str, str | None]]:
    """(imported module, imported name or None) of every import in `module`, at any depth of its code."""
    for node in ast.walk(ast.parse(MODULES[module].read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from ((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield from ((node.module, alias.name) for alias in node.names)


def project_imports(module: str) -> set[str]:
    """The project's modules that `module` imports (`from package import module` counts as the module)."""
    found = set()
    for target, name in imports(module):
        if name and f"{target}.{name}" in MODULES:
            found.add(f"{target}.{name}")
        elif target in MODULES:
            found.add(target)
    return found


def cycles() -> list[list[str]]:
    """The strongly connected components of the import graph with more than one module (Tarjan)."""
    graph = {module: project_imports(module) for module in MODULES}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph[module]:
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                found.append(sorted(component))

    for module in graph:
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle():
    assert cycles() == []


def test_no_module_imports_a_private_name_of_another():
    private = [
        f"{module}: from {target} import {name}"
        for module in MODULES
        for target, name in imports(module)
        if name and name.startswith("_") and target.split(".")[0] in PACKAGES and f"{target}.{name}" not in MODULES
    ]
    assert private == []


def test_the_code_location_imports_no_dev_tooling_and_no_simulator():
    location = [m for m in MODULES if m.split(".")[0] in ("orchestration", "catalogue", "spark_jobs")]
    reaching = [
        f"{module} imports {target}"
        for module in location
        for target in project_imports(module)
        if target.split(".")[0] in ("workbench", "simulator", "benchmarks", "tests")
    ]
    assert reaching == []


def test_resources_are_not_defined_in_asset_modules():
    """Asset modules import the resources they use; the resources module imports no asset module."""
    assert not [m for m in project_imports("orchestration.resources") if ".assets" in m or ".live" in m]
