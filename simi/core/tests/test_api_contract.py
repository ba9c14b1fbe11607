"""The API keeps its published contract: schemathesis drives every operation
in-process with generated input; no 5xx, every answer matches the schema."""

import json
from pathlib import Path

import pytest
import schemathesis
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from simi.accounts.services import api_token_create
from simi.api import api

OPENAPI_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.json"

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def test_the_committed_openapi_document_is_current():
    current = (
        json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    )
    assert OPENAPI_FILE.read_text(encoding="utf-8") == current, (
        "run `make openapi` and review the diff"
    )


@pytest.fixture
def bearer(db, request):
    """Anonymous, an applicant's token, or staff tokens with every scope of their role."""
    persona = request.param
    if persona == "anonymous":
        return {}
    user = request.getfixturevalue(persona)
    scopes = {
        "applicant": ["profile"],
        "supervisor": ["profile", "staff:read", "people:lookup"],
        "admin_user": ["profile", "staff:read", "privacy:handle"],
    }[persona]
    _row, token = api_token_create(actor=user, name="schemathesis", scopes=scopes, days=1)
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "bearer", ["anonymous", "applicant", "supervisor", "admin_user"], indirect=True
)
@schema.parametrize()
@hypothesis_settings(
    max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
)
def test_every_operation_keeps_its_contract(case, bearer):
    # Business rules (a real NIK date, a purpose of 10+ characters) legitimately
    # refuse some schema-valid input with 422; every other check stays on.
    case.call_and_validate(headers=bearer, excluded_checks=[positive_data_acceptance])
