"""The lock rules of docs/architecture.md ("Locks"), checked in the source.

1. Every row lock is ``select_for_update(no_key=True, ...)``: FOR NO KEY
   UPDATE still keeps two writers of a row apart, but it does not block the
   key-share lock that PostgreSQL takes on a referenced row when another
   transaction inserts a row pointing at it (Django's foreign keys are checked
   at COMMIT). A plain FOR UPDATE on a shared row (a service type, an office,
   an account) deadlocked against any concurrent insert that referenced it
   while holding the audit-log head (issue 13 F1).
2. A lock on a query with ``select_related`` names what it locks with
   ``of=(...)``: without it the joined rows (the service type, the office)
   are locked too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import simi

ROOT = Path(simi.__file__).parent


def _calls_in_chain(node: ast.AST) -> list[ast.Call]:
    """The method calls of one ``a.b(...).c(...)`` chain, outermost first."""
    chain = []
    while isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        chain.append(node)
        node = node.func.value
    return chain


def _violations() -> list[str]:
    found: list[str] = []
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        seen: set[int] = set()
        for node in ast.walk(tree):
            chain = _calls_in_chain(node)
            if not chain or id(chain[0]) in seen:
                continue
            seen.update(id(call) for call in chain)
            names = {call.func.attr: call for call in chain if isinstance(call.func, ast.Attribute)}
            lock = names.get("select_for_update")
            if lock is None:
                continue
            keywords = {kw.arg: kw.value for kw in lock.keywords}
            where = f"{path.relative_to(ROOT.parent)}:{lock.lineno}"
            no_key = keywords.get("no_key")
            if not (isinstance(no_key, ast.Constant) and no_key.value is True):
                found.append(f"{where} without no_key=True")
            if "select_related" in names and "of" not in keywords:
                found.append(f"{where} locks the select_related rows too (no of=)")
    return found


def test_every_row_lock_follows_the_lock_rules():
    assert _violations() == []


def test_the_rule_finds_a_lock_that_breaks_it(tmp_path, monkeypatch):
    # given a module with the F1 pattern: a lock on a joined query, FOR UPDATE
    bad = tmp_path / "simi" / "example"
    bad.mkdir(parents=True)
    (bad / "services.py").write_text(
        "def f(Application, pk):\n"
        "    return Application.objects.select_for_update()"
        ".select_related('office').get(pk=pk)\n"
    )
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path / "simi")
    # then both rules name it
    assert _violations() == [
        "simi/example/services.py:2 without no_key=True",
        "simi/example/services.py:2 locks the select_related rows too (no of=)",
    ]
