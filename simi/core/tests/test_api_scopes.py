"""Every API operation declares its scope on its route, and a token without
that scope is refused by every one of them, before its input is even read.

The operations come from the live OpenAPI document, so a new operation is in
these tests without being listed (and cannot be written without a scope:
``ScopedRouter`` requires the keyword).
"""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from simi.accounts.roles import POLICIES, Role
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import UserFactory
from simi.api import api, scopes_markdown
from simi.core.capabilities import CAPABILITIES
from simi.core.routing import FRESH_FACTOR_KEY, SCOPE_KEY

PREFIX = "/api/v1"


def _operations():
    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


OPERATIONS = list(_operations())
SCOPED = [
    pytest.param(method, path, op[SCOPE_KEY], id=f"{method.upper()} {path}")
    for method, path, op in OPERATIONS
    if op[SCOPE_KEY] is not None
]


def test_every_operation_declares_a_known_scope_or_says_it_is_public():
    for method, path, operation in OPERATIONS:
        assert SCOPE_KEY in operation, f"{method} {path}: no scope declared"
        declared = operation[SCOPE_KEY]
        names = declared if isinstance(declared, list) else [declared]
        if declared is None:
            assert not operation.get("security"), f"{method} {path}: public but signs in"
        else:
            assert set(names) <= CAPABILITIES, (method, path, declared)
            assert operation.get("security"), f"{method} {path}: scoped but anonymous"


def test_only_sensitive_actions_ask_for_a_fresh_second_factor():
    sensitive = {(m, p) for m, p, op in OPERATIONS if op.get(FRESH_FACTOR_KEY)}
    assert (("post", f"{PREFIX}/documents/{{document_id}}/revoke")) in sensitive


def _role_with(scopes: list[str]) -> Role:
    """A staff role (bound to an office when it must be) whose policy grants one of ``scopes``."""
    for role, policy in POLICIES.items():
        if set(scopes) & policy.api_scopes and len(policy.api_scopes) > 1:
            return Role(role)
    raise AssertionError(f"no role grants {scopes}")


def _url(path: str) -> str:
    # every path parameter gets a well-formed value that names nothing
    return re.sub(r"\{[^}]+\}", lambda m: str(uuid.uuid4()) if "id" in m.group(0) else "x", path)


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "path", "declared"), SCOPED)
def test_a_token_without_the_scope_is_refused_before_anything_else(
    method, path, declared, kotabumi
):
    # given an account whose role may do this, with a token that has every other scope
    needed = declared if isinstance(declared, list) else [declared]
    role = _role_with(needed)
    user = UserFactory(role=role, office=kotabumi if POLICIES[role].needs_office else None)
    others = sorted(POLICIES[role].api_scopes - set(needed))
    _token, secret = api_token_create(actor=user, name="without", scopes=others, days=1)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # when it calls the operation with an empty body and ids that name nothing
    response = getattr(client, method)(_url(path), {}, content_type="application/json")
    # then it is refused for the scope, which the answer names
    assert response.status_code == 403, response.content[:300]
    error = response.json()["error"]
    assert error["code"] == "scope_missing"
    assert set(error["scope"].split(" | ")) == set(needed)


@pytest.mark.django_db
def test_a_staff_token_with_only_read_scopes_cannot_approve_an_application(kotabumi):
    # the finding: a supervisor token with profile and staff:read approved an application
    chief = UserFactory(role=Role.SUPERVISOR, office=kotabumi)
    _token, secret = api_token_create(
        actor=chief, name="read", scopes=["profile", "staff:read"], days=1
    )
    response = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
        f"{PREFIX}/office/applications/{uuid.uuid4()}/approve", {}, content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["scope"] == "applications:decide"


def test_the_committed_scopes_page_is_current():
    committed = (Path(settings.BASE_DIR) / "docs" / "scopes.md").read_text(encoding="utf-8")
    assert committed == scopes_markdown(), "run `make openapi`"
