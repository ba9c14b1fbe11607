"""Synthetic demo people: deterministic, labelled, never real persons.

Every account made here has ``is_demo=True``, an address under
``demo.simi.invalid`` (a domain that cannot exist) and the published demo
password, which SIMI refuses when SIMI_ENV=production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from simi.accounts.models import User
from simi.accounts.passwords import DEMO_PASSWORD
from simi.accounts.roles import Role
from simi.audit.services import audit_record
from simi.core.models import Office

DEMO_DOMAIN = "demo.simi.invalid"
SEED = 20261122


@dataclass(frozen=True)
class DemoAccount:
    local_part: str
    full_name: str
    role: str
    office_code: str | None


# The named personas used in the README and in manual testing.
PERSONAS: tuple[DemoAccount, ...] = (
    DemoAccount("admin", "Admin Demo", Role.ADMIN, None),
    DemoAccount("auditor", "Auditor Demo", Role.AUDITOR, None),
    DemoAccount("analis", "Analis Demo", Role.ANALYST, None),
    DemoAccount("kasi.kotabumi", "Kasi Kotabumi Demo", Role.SUPERVISOR, "kanim-kotabumi"),
    DemoAccount("petugas.kotabumi", "Petugas Kotabumi Demo", Role.FRONT_DESK, "kanim-kotabumi"),
    DemoAccount("kasi.liwa", "Kasi Liwa Demo", Role.SUPERVISOR, "ulp-liwa"),
    DemoAccount("petugas.liwa", "Petugas Liwa Demo", Role.FRONT_DESK, "ulp-liwa"),
    DemoAccount("pengawasan", "Pengawasan Demo", Role.OVERSIGHT, "kanim-kotabumi"),
    DemoAccount("mitra.hotel", "Mitra Hotel Demo", Role.PARTNER, None),
    DemoAccount("pemohon", "Pemohon Demo", Role.APPLICANT, None),
    DemoAccount("applicant", "Foreign Applicant Demo", Role.APPLICANT, None),
)

_ID_GIVEN = [
    "Agus",
    "Budi",
    "Citra",
    "Dewi",
    "Eko",
    "Fitri",
    "Gilang",
    "Hendra",
    "Indah",
    "Joko",
    "Kartika",
    "Lestari",
    "Made",
    "Nur",
    "Putri",
    "Rahmat",
    "Siti",
    "Teguh",
    "Wahyu",
    "Yusuf",
]
_ID_FAMILY = [
    "Saputra",
    "Wijaya",
    "Pratama",
    "Lestari",
    "Hidayat",
    "Nugroho",
    "Siregar",
    "Harahap",
    "Kurniawan",
    "Santoso",
    "Rahayu",
    "Syahputra",
]
_FOREIGN = [
    "Anna Keller",
    "Liam O'Brien",
    "Mei Tanaka",
    "Chen Wei",
    "Priya Raman",
    "Lucas Martin",
    "Sofia Rossi",
    "Ahmed Karimi",
    "Nguyen Thi Lan",
    "Olivia Brown",
    "Kim Min-jun",
    "Jonas Berg",
]


def _generated_applicants(count: int) -> list[DemoAccount]:
    rng = random.Random(SEED)  # noqa: S311 - deterministic synthetic data, not security
    people: list[DemoAccount] = []
    for i in range(count):
        if i % 3 == 2:
            name = _FOREIGN[rng.randrange(len(_FOREIGN))]
        else:
            name = f"{rng.choice(_ID_GIVEN)} {rng.choice(_ID_FAMILY)}"
        people.append(DemoAccount(f"pemohon{i + 1:03d}", f"{name} (demo)", Role.APPLICANT, None))
    return people


@transaction.atomic
def demo_seed(*, applicants: int = 24) -> dict[str, int]:
    """Create or refresh the demo accounts; running it twice changes nothing more."""
    offices = {o.code: o for o in Office.objects.all()}
    created = updated = 0
    now = timezone.now()
    for account in (*PERSONAS, *_generated_applicants(applicants)):
        email = f"{account.local_part}@{DEMO_DOMAIN}"
        office = offices[account.office_code] if account.office_code else None
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User(email=email, is_demo=True, email_verified_at=now)
            user.set_password(DEMO_PASSWORD)
            created += 1
        else:
            updated += 1
        user.full_name = account.full_name
        user.role = account.role
        user.office = office
        user.is_demo = True
        user.is_active = True
        if account.role == Role.ADMIN:
            user.is_superuser = True
        user.save()
    if created:
        audit_record(actor=None, action="demo.seeded", data={"created": created})
    return {"created": created, "existing": updated}
