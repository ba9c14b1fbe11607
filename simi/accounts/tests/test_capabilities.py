"""Capabilities are a closed set: generated into core from the role table,
and a name outside it is refused instead of silently answering False."""

import pytest
from django.contrib.auth.models import AnonymousUser

from simi.accounts.capabilities import capabilities_source
from simi.accounts.roles import ALL_SCOPES, POLICIES
from simi.core import capabilities
from simi.core.actors import may

pytestmark = pytest.mark.django_db


def test_it_refuses_a_misspelt_capability(supervisor):
    # given a supervisor, who may decide applications
    assert supervisor.can("applications:decide")
    # when a caller asks with a typo, then it is told, not answered False
    with pytest.raises(ValueError, match="unknown capability"):
        supervisor.can("applications:decid")  # type: ignore[arg-type]


def test_the_core_list_is_the_one_generated_from_the_role_table():
    with open(capabilities.__file__, encoding="utf-8") as committed:
        assert committed.read() == capabilities_source(), "run `make capabilities`"


def test_every_role_grants_only_described_capabilities():
    granted = set().union(*(policy.api_scopes for policy in POLICIES.values()))
    assert granted <= set(ALL_SCOPES) == capabilities.CAPABILITIES


def test_may_is_false_for_nobody_and_for_the_anonymous(officer):
    assert may(officer, "people:lookup")
    assert not may(officer, "applications:decide")
    assert not may(AnonymousUser(), "people:lookup")
    assert not may(None, "people:lookup")
