"""No app reaches into another app's private names (issue 11): a leading
underscore means "this app only", so a name another app needs is made public
in the owning app, or the need goes through a hook."""

from __future__ import annotations

import ast
from pathlib import Path

import simi

ROOT = Path(simi.__file__).parent


def _app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "simi" else ""


def _borrowed_private_names(root: Path) -> list[str]:
    found = []
    for path in sorted(root.rglob("*.py")):
        if "tests" in path.parts:
            continue  # a test may look inside the code it tests
        relative = path.relative_to(root.parent).with_suffix("")
        importer = _app_of(".".join(relative.parts))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if not isinstance(node, ast.ImportFrom) or not node.module or node.level:
                continue
            owner = _app_of(node.module)
            if not owner or owner == importer:
                continue
            last = node.module.rsplit(".", 1)[-1]
            names = [alias.name for alias in node.names]
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if last.startswith("_") and not last.startswith("__"):
                private.append(f"module {node.module}")
            found += [f"{relative}.py:{node.lineno} {name}" for name in private]
    return found


def test_no_app_imports_another_apps_private_names():
    assert _borrowed_private_names(ROOT) == []


def test_the_rule_names_a_borrowed_private_name(tmp_path):
    app = tmp_path / "simi" / "payments"
    app.mkdir(parents=True)
    (app / "services.py").write_text(
        "from simi.applications.services import _locked_own, application_create\n"
        "from simi.payments.services import _audit_data\n"
    )
    assert _borrowed_private_names(tmp_path / "simi") == ["simi/payments/services.py:1 _locked_own"]
