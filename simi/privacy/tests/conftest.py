"""Privacy test helpers: identity records for the personas, and quick requests."""

from __future__ import annotations

import pytest

from simi.people.services import PersonData, person_create
from simi.privacy.services import dsr_submit

ANI_NIK = "1804041708850003"
BUDI_NIK = "1804045501900002"


def give_identity(user, nik: str, name: str):
    person = person_create(
        actor=None,
        data=PersonData(kind="citizen", full_name=name, nik=nik, address="Pekon Uji, Liwa"),
    )
    user.person = person
    user.save(update_fields=["person"])
    return person


@pytest.fixture
def ani_person(applicant):
    return give_identity(applicant, ANI_NIK, "Ani Uji Privasi")


@pytest.fixture
def budi_person(other_applicant):
    return give_identity(other_applicant, BUDI_NIK, "Budi Uji Privasi")


@pytest.fixture
def submit():
    def make(user, kind="correction", details="Alamat saya salah, yang benar Pekon Baru."):
        return dsr_submit(actor=user, kind=kind, details=details)

    return make
