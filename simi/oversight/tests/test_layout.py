"""The shape of oversight holds as it grows: small modules, sub-packages that
keep their private names to themselves, and no import cycles among modules."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APP = ROOT / "simi" / "oversight"
SUB_PACKAGES = {"register", "lodging", "sightings", "devices", "models"}
MAX_LINES = 500


def _modules() -> dict[str, Path]:
    found = {}
    for path in sorted(APP.rglob("*.py")):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if "migrations" in parts or "tests" in parts:
            continue
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _sub_package(module: str) -> str:
    """register, lodging, ... for a module inside one; "" for the app's own modules."""
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[2] in SUB_PACKAGES else ""


def _top_level_imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Oversight modules ``path`` imports when it is loaded (not inside functions)."""
    imported = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module in modules:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                imported.add(child if child in modules else node.module)
        elif isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names if alias.name in modules)
    return imported


def test_it_keeps_every_module_under_500_lines():
    # given every module of the app (migrations apart)
    too_long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    # then none has grown past the size where it should be split
    assert too_long == {}


def test_it_imports_no_private_name_across_sub_packages():
    # given every module of SIMI and the benchmarks
    offenders = []
    for path in [*ROOT.joinpath("simi").rglob("*.py"), *ROOT.joinpath("bench").rglob("*.py")]:
        importer = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ImportFrom) and node.module):
                continue
            if not node.module.startswith("simi.oversight"):
                continue
            same_home = importer.startswith("simi.oversight.") and _sub_package(
                importer
            ) == _sub_package(node.module + ".x")
            for alias in node.names:
                if alias.name.startswith("_") and not same_home:
                    offenders.append(f"{importer}: {node.module}.{alias.name}")
    # then a private name is only used inside its own sub-package
    assert offenders == []


def test_it_has_no_import_cycle_between_its_modules():
    # given the module-level imports among oversight's modules
    modules = _modules()
    graph = {name: _top_level_imports(path, modules) for name, path in modules.items()}
    # when we walk them depth first
    cycles = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for target in sorted(graph[name]):
            if state.get(target) == "open":
                cycles.append([*trail[trail.index(target) :], target])
            elif target not in state:
                visit(target, [*trail, target])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    # then no module needs another that needs it back
    assert cycles == []
