from __future__ import annotations

from collections.abc import Iterator

import pytest

from simi.accounts.models import User
from simi.notifications import sms
from simi.people.services import PersonData, person_create


@pytest.fixture(autouse=True)
def sms_outbox() -> Iterator[list[sms.SmsMessage]]:
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


@pytest.fixture
def with_phone(reference_data: None):  # type: ignore[no-untyped-def]
    """Give an account an identity record with a mobile number."""

    def attach(user: User, phone: str = "081234567890") -> User:
        person = person_create(
            actor=None,
            data=PersonData(
                kind="citizen", full_name=user.full_name, nik="1804045708950002", phone=phone
            ),
        )
        user.person = person
        user.save(update_fields=["person"])
        return user

    return attach
