"""Oversight fixtures: a registered foreigner, a permit, a lodging place
with its partner, and an oversight officer of another office."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.core.models import Office, Region
from simi.issuance import mrz
from simi.oversight.models import Foreigner, LodgingPlace, StayPermit
from simi.oversight.register.permits import permit_create
from simi.oversight.register.services import foreigner_register


def passport_mrz(
    number: str = "X12345678",
    nationality: str = "AUS",
    surname: str = "VOLAKI",
    given: str = "TESANU",
    expiry: date = date(2031, 5, 1),
) -> str:
    line1, line2 = mrz.td3_lines(
        mrz.MrzFields(
            document_code="P",
            issuing_state=nationality,
            primary_identifier=surname,
            secondary_identifier=given,
            document_number=number,
            nationality=nationality,
            birth_date=date(1990, 3, 14),
            sex="F",
            expiry_date=expiry,
        )
    )
    return f"{line1}\n{line2}"


@pytest.fixture
def oversight_elsewhere(elsewhere: Office) -> User:
    """An oversight officer of another office: must see nothing of Kotabumi's."""
    return UserFactory(
        email="olaf@example.test",
        full_name="Olaf Elsewhere",
        role=Role.OVERSIGHT,
        office=elsewhere,
    )


@pytest.fixture
def foreigner(oversight: User) -> Foreigner:
    return foreigner_register(
        actor=oversight, mrz_text=passport_mrz(), kecamatan_code="18.04.04", address="Jl. Demo 1"
    )


def make_permit(
    actor: User, foreigner: Foreigner, *, until: date, days: int = 60, number: str = "ITK-0001"
) -> StayPermit:
    return permit_create(
        actor=actor,
        foreigner=foreigner,
        kind="itk",
        number=number,
        valid_from=until - timedelta(days=days),
        valid_until=until,
    )


@pytest.fixture
def place(kotabumi: Office, partner: User) -> LodgingPlace:
    created = LodgingPlace.objects.create(
        code="hotel-liwa",
        name="Hotel Uji Liwa",
        kind=LodgingPlace.Kind.HOTEL,
        kecamatan=Region.objects.get(code="18.04.04"),
        office=kotabumi,
    )
    created.partners.add(partner)
    return created


@pytest.fixture
def other_partner(db: None) -> User:
    return UserFactory(email="pia@example.test", full_name="Pia Partner", role=Role.PARTNER)


@pytest.fixture
def other_place(kotabumi: Office, other_partner: User) -> LodgingPlace:
    created = LodgingPlace.objects.create(
        code="homestay-sukau",
        name="Homestay Uji Sukau",
        kind=LodgingPlace.Kind.HOMESTAY,
        kecamatan=Region.objects.get(code="18.04.11"),
        office=kotabumi,
    )
    created.partners.add(other_partner)
    return created
