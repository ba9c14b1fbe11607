"""Named vocabularies: every audit action and error code is a member of its
domain's enumeration, listed in docs/codes.md."""

import ast
from pathlib import Path

import pytest

from simi.core.codes import audit_actions, codes_markdown, domain_label, error_codes
from simi.core.errors import SimiError

ROOT = Path(__file__).resolve().parents[3]
SOURCES = [
    path
    for path in (ROOT / "simi").rglob("*.py")
    if "tests" not in path.parts and "migrations" not in path.parts
]


def _callee(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _error_names() -> set[str]:
    names, todo = set(), [SimiError]
    while todo:
        cls = todo.pop()
        names.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return names | {"for_field"}


def _literals(keyword: str, callees: set[str]) -> list[str]:
    found = []
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and _callee(node) in callees:
                for kw in node.keywords:
                    if kw.arg == keyword and isinstance(kw.value, ast.Constant | ast.JoinedStr):
                        where = f"{path.relative_to(ROOT)}:{node.lineno}"
                        found.append(f"{where} {ast.unparse(kw.value)}")
    return found


def test_no_audit_action_is_a_free_form_string():
    assert _literals("action", {"audit_record"}) == [], "use the domain's codes.Action"


def test_no_error_code_is_a_free_form_string():
    assert _literals("code", _error_names()) == [], "use the domain's codes.Code"


def test_each_domain_writes_actions_under_its_own_prefix():
    for actions in audit_actions():
        prefix = domain_label(actions) + "."
        wrong = [m.value for m in actions if not m.value.startswith(prefix)]
        assert wrong == [], f"{actions.__module__}: every action starts with {prefix!r}"


@pytest.mark.parametrize("vocabulary", [audit_actions, error_codes])
def test_every_value_belongs_to_one_domain_and_says_what_it_means(vocabulary):
    owners: dict[str, str] = {}
    for enum in vocabulary():
        for member in enum:
            assert member.value not in owners, (
                f"{member.value!r} is claimed by {owners[member.value]} and {enum.__module__}"
            )
            owners[member.value] = enum.__module__
            assert member.description, f"{enum.__module__}.{member.name} needs a meaning"


def test_the_committed_codes_page_is_current():
    committed = (ROOT / "docs" / "codes.md").read_text(encoding="utf-8")
    assert committed == codes_markdown(), "run `make codes`"
