"""Enforcement fixtures: foreigners of Kotabumi with overstays the oversight
detection found, an oversight officer and a supervisor of each office."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.core.models import Office
from simi.enforcement.models import ActionType
from simi.enforcement.referencedata import load_action_types
from simi.issuance import mrz
from simi.oversight.models import Foreigner, Violation
from simi.oversight.register.detection import overstays_detect
from simi.oversight.register.permits import permit_create
from simi.oversight.register.services import foreigner_register

EXPIRY = date(2026, 3, 31)


def passport_mrz(number: str, nationality: str = "AUS") -> str:
    line1, line2 = mrz.td3_lines(
        mrz.MrzFields(
            document_code="P",
            issuing_state=nationality,
            primary_identifier="VOLAKI",
            secondary_identifier="TESANU",
            document_number=number,
            nationality=nationality,
            birth_date=date(1990, 3, 14),
            sex="F",
            expiry_date=date(2031, 5, 1),
        )
    )
    return f"{line1}\n{line2}"


def register(
    actor: User, number: str, *, kecamatan: str = "18.04.04", nationality: str = "AUS"
) -> Foreigner:
    return foreigner_register(
        actor=actor,
        mrz_text=passport_mrz(number, nationality),
        kecamatan_code=kecamatan,
        address="Jl. Uji 1 (sintetis)",
    )


def overstay(actor: User, foreigner: Foreigner, *, number: str, days: int) -> Violation:
    """A permit that ended on EXPIRY and the detection run ``days`` later."""
    with freeze_time("2026-03-01"):
        permit = permit_create(
            actor=actor,
            foreigner=foreigner,
            kind="itk",
            number=number,
            valid_from=EXPIRY - timedelta(days=60),
            valid_until=EXPIRY,
        )
    overstays_detect(as_of=EXPIRY + timedelta(days=days))
    return Violation.objects.get(permit=permit)


@pytest.fixture(autouse=True)
def action_types(db: None) -> None:
    """The action types of the data migration (reloaded after a flush)."""
    if not ActionType.objects.exists():
        load_action_types(ActionType)


@pytest.fixture
def foreigner(oversight: User) -> Foreigner:
    return register(oversight, "X12345678")


@pytest.fixture
def violation(oversight: User, foreigner: Foreigner) -> Violation:
    return overstay(oversight, foreigner, number="ITK-0001", days=12)


@pytest.fixture
def second_supervisor(kotabumi: Office) -> User:
    return UserFactory(
        email="siti@example.test",
        full_name="Siti Supervisor",
        role=Role.SUPERVISOR,
        office=kotabumi,
    )


@pytest.fixture
def oversight_elsewhere(elsewhere: Office) -> User:
    return UserFactory(
        email="olaf@example.test", full_name="Olaf Elsewhere", role=Role.OVERSIGHT, office=elsewhere
    )
