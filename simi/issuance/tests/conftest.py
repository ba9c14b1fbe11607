"""Fixtures of the issuance tests: a holder, a document factory, seal helpers."""

from collections.abc import Callable, Iterator
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from simi.core import keys
from simi.core.models import Office
from simi.issuance.models import IssuedDocument
from simi.issuance.services import document_issue
from simi.people.models import Person
from simi.people.services import PersonData, person_create


@pytest.fixture(autouse=True)
def _fresh_limits_and_keys() -> Iterator[None]:
    """Rate-limit counters live in the cache; the seal key is cached per process."""
    cache.clear()
    keys.seal_key.cache_clear()
    yield
    cache.clear()
    keys.seal_key.cache_clear()


@pytest.fixture
def holder(db: None) -> Person:
    return person_create(
        actor=None,
        data=PersonData(
            kind="foreigner",
            full_name="Ánna María Eriksson",
            nationality="SWE",
            passport_number="XA1234567",
            birth_date=date(1974, 8, 12),
            sex="F",
        ),
    )


@pytest.fixture
def issue(supervisor, kotabumi: Office, holder: Person) -> Callable[..., IssuedDocument]:
    """Issue a document as the Kotabumi supervisor; keywords override the defaults."""
    counter = iter(range(1, 10_000))

    def make(**overrides) -> IssuedDocument:
        today = timezone.localdate()
        arguments = {
            "actor": supervisor,
            "kind": IssuedDocument.Kind.STAY_PERMIT,
            "holder": holder,
            "number": f"ITAS{next(counter):05d}",
            "valid_from": today - timedelta(days=1),
            "valid_until": today + timedelta(days=365),
            "office": kotabumi,
        }
        arguments.update(overrides)
        return document_issue(**arguments)

    return make
