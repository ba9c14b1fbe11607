"""The import contracts in pyproject.toml bite: an import that runs back up
the layers, even one hidden inside a function, fails `make lint`."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

pytestmark = pytest.mark.skipif(not LINT_IMPORTS.exists(), reason="needs import-linter")


def _tree_with(tmp_path: Path, module: str, addition: str) -> Path:
    shutil.copytree(
        ROOT / "simi",
        tmp_path / "simi",
        ignore=shutil.ignore_patterns("__pycache__", "locale", "static", "templates", "*.mo"),
    )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / module
    path.write_text(path.read_text() + addition)
    return tmp_path


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=tree,
        env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_committed_tree_keeps_every_contract():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout[-3000:]


def test_an_import_from_core_up_to_a_domain_breaks_the_layers(tmp_path):
    tree = _tree_with(tmp_path, "simi/core/money.py", "\nfrom simi.applications import models\n")
    result = _lint(tree)
    assert result.returncode != 0
    assert "simi.core is not allowed to import simi.applications" in result.stdout


def test_an_upward_import_hidden_inside_a_function_breaks_them_too(tmp_path):
    hidden = "\n\ndef _sneaky():\n    from simi.oversight import models\n\n    return models\n"
    tree = _tree_with(tmp_path, "simi/payments/billingcodes.py", hidden)
    result = _lint(tree)
    assert result.returncode != 0
    assert "simi.payments is not allowed to import simi.oversight" in result.stdout


def test_a_cycle_between_two_modules_of_one_app_breaks_them(tmp_path):
    tree = _tree_with(
        tmp_path,
        "simi/catalog/periods.py",
        "\n\ndef _back():\n    from simi.catalog import services\n",
    )
    result = _lint(tree)
    assert result.returncode != 0
    assert "No cycles are allowed in simi.catalog" in result.stdout
