"""Synthetic demo people: deterministic, labelled, never real persons.

Every account made here has ``is_demo=True``, an address under
``demo.simi.invalid`` (a domain that cannot exist) and the published demo
password, which SIMI refuses when SIMI_ENV=production.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from simi.accounts.claims.services import applicant_identity_save
from simi.accounts.codes import Action
from simi.accounts.household.services import household_member_add
from simi.accounts.models import HouseholdMember, TotpDevice, User
from simi.accounts.passwords import DEMO_PASSWORD
from simi.accounts.roles import Role
from simi.audit.services import audit_record
from simi.core.demo import DemoOptions
from simi.core.models import Office
from simi.people.services import PersonData, number_holder, person_check

DEMO_DOMAIN = "demo.simi.invalid"
# The authenticator secret every demo staff account shares (README; demo only).
DEMO_TOTP_SECRET = "SIMIDEMOSIMIDEMOSIMIDEMOSIMIDEMO"  # noqa: S105 - public demo secret
SEED = 20261122


@dataclass(frozen=True)
class DemoAccount:
    local_part: str
    full_name: str
    role: str
    office_code: str | None
    identity: PersonData | None = None


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
    # Synthetic NIK of kecamatan 18.04.01 (never drawn for the generated applicants).
    DemoAccount(
        "pemohon",
        "Pemohon Demo",
        Role.APPLICANT,
        None,
        PersonData(
            kind="citizen",
            full_name="Pemohon Demo (sintetis)",
            nik="1804011506870004",
            address="Alamat demo (sintetis)",
        ),
    ),
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


# Nationalities (ICAO codes) given to the synthetic foreign names, in order.
_FOREIGN_NATIONALITY = [
    "DEU",
    "IRL",
    "JPN",
    "CHN",
    "IND",
    "FRA",
    "ITA",
    "AFG",
    "VNM",
    "GBR",
    "KOR",
    "NOR",
]
# Kecamatan codes of Lampung Barat (18.04.xx) used in synthetic NIKs.
_DISTRICTS = ["04", "05", "06", "07", "08", "09", "10", "11", "12", "13"]


def _synthetic_identity(rng: random.Random, name: str, foreign_index: int | None) -> PersonData:
    """A made-up but well-formed identity: NIK with a real structure, or a passport."""
    if foreign_index is not None:
        number = f"D{rng.randrange(10**7):07d}"
        return PersonData(
            kind="foreigner",
            full_name=name,
            nationality=_FOREIGN_NATIONALITY[foreign_index],
            passport_number=number,
            # derived, not drawn, so the sequence of synthetic names stays stable
            birth_date=date(1970 + 2 * foreign_index, foreign_index % 12 + 1, 10),
        )
    female = rng.random() < 0.5
    day = rng.randint(1, 28) + (40 if female else 0)
    month, year = rng.randint(1, 12), rng.randint(60, 99)
    nik = f"1804{rng.choice(_DISTRICTS)}{day:02d}{month:02d}{year:02d}{rng.randint(1, 9999):04d}"
    return PersonData(
        kind="citizen",
        full_name=name,
        nik=nik,
        address="Alamat demo (sintetis)",
        # the birth date and sex a NIK encodes (women's day + 40)
        birth_date=date(1900 + year, month, day - 40 if female else day),
        sex="F" if female else "M",
    )


def _generated_applicants(count: int) -> list[DemoAccount]:
    rng = random.Random(SEED)  # noqa: S311 - deterministic synthetic data, not security
    people: list[DemoAccount] = []
    for i in range(count):
        foreign_index = rng.randrange(len(_FOREIGN)) if i % 3 == 2 else None
        if foreign_index is not None:
            name = _FOREIGN[foreign_index]
        else:
            name = f"{rng.choice(_ID_GIVEN)} {rng.choice(_ID_FAMILY)}"
        identity = _synthetic_identity(rng, f"{name} (demo)", foreign_index)
        people.append(
            DemoAccount(f"pemohon{i + 1:03d}", f"{name} (demo)", Role.APPLICANT, None, identity)
        )
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
        if account.identity is not None and user.person_id is None:
            # Two generated people may draw the same number: the first keeps it.
            numbers = person_check(account.identity).numbers
            if not any(number_holder(number) for number in numbers):
                applicant_identity_save(actor=user, data=account.identity)
        if user.is_office_staff or user.is_staff:
            TotpDevice.objects.update_or_create(
                user=user, defaults={"secret": DEMO_TOTP_SECRET, "confirmed_at": now}
            )
    if created:
        audit_record(actor=None, action=Action.DEMO_SEEDED, data={"created": created})
    return {"created": created, "existing": updated}


# The demo applicant's household (My family): a spouse and two children, one
# under 17 so that a child's passport shows the parent's documents. Synthetic
# NIKs of kecamatan 18.04.01, which the generated applicants never draw.
DEMO_HOUSEHOLD_OF = "pemohon"
DEMO_HOUSEHOLD: tuple[tuple[str, PersonData], ...] = (
    (
        HouseholdMember.Relationship.SPOUSE,
        PersonData(
            kind="citizen",
            full_name="Pasangan Demo (sintetis)",
            nik="1804015203880001",
            address="Alamat demo (sintetis)",
        ),
    ),
    (
        HouseholdMember.Relationship.CHILD,
        PersonData(
            kind="citizen",
            full_name="Anak Pertama Demo (sintetis)",
            nik="1804011007140002",
            address="Alamat demo (sintetis)",
        ),
    ),
    (
        HouseholdMember.Relationship.CHILD,
        PersonData(
            kind="citizen",
            full_name="Anak Kedua Demo (sintetis)",
            nik="1804015509190003",
            address="Alamat demo (sintetis)",
        ),
    ),
)


def demo_household_seed() -> int:
    """Give the demo applicant its synthetic household once; a second run adds nothing."""
    user = User.objects.filter(email=f"{DEMO_HOUSEHOLD_OF}@{DEMO_DOMAIN}").first()
    if user is None or HouseholdMember.objects.filter(account=user).exists():
        return 0
    for relationship, data in DEMO_HOUSEHOLD:
        household_member_add(actor=user, relationship=relationship, data=data)
    return len(DEMO_HOUSEHOLD)


def seed_demo(options: DemoOptions) -> str:
    """``seed_demo`` step: the demo accounts."""
    result = demo_seed(applicants=options.applicants)
    members = demo_household_seed()
    return (
        f"demo accounts: {result['created']} created, {result['existing']} already there; "
        f"{members} household members"
    )
