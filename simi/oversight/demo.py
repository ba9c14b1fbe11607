"""Synthetic demo data for oversight: a living register, never real people.

Names are made of invented syllables (e.g. "TESANU VOLAKI"), passports and
permit numbers start with DEMO-like prefixes, every row is ``is_demo``, and
partner accounts live under ``demo.simi.invalid``. Deterministic (fixed
seed, dates relative to today); a second run changes nothing.

    from simi.oversight.demo import seed_oversight_demo
    seed_oversight_demo()  # -> {"foreigners": 300, ...}
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from simi.accounts.models import User
from simi.accounts.passwords import DEMO_PASSWORD
from simi.accounts.roles import Role
from simi.audit.services import audit_record
from simi.core.demo import DemoOptions
from simi.core.models import Office, Region
from simi.issuance import mrz
from simi.oversight.codes import Action
from simi.oversight.lodging.services import CleanGuest, new_report
from simi.oversight.models import (
    Foreigner,
    LodgingPlace,
    LodgingReport,
    Movement,
    PermitKind,
    PermitStatus,
    Sponsor,
    StayPermit,
)
from simi.oversight.register.detection import (
    lodging_without_permit_detect,
    overstays_detect,
    permit_reminders_create,
)
from simi.oversight.register.permits import extension_start, permit_number_index
from simi.oversight.register.services import foreigner_register, sponsor_create

SEED = 20261123
DEMO_DOMAIN = "demo.simi.invalid"
_SYLLABLES = ["ka", "lo", "mi", "ru", "te", "sa", "vo", "ne", "di", "pa", "zu", "re", "ki", "no"]
_NATIONALITIES = [
    "AUS", "NLD", "DEU", "JPN", "CHN", "KOR", "USA", "GBR",
    "FRA", "MYS", "SGP", "IND", "TLS", "PHL", "NOR",
]  # fmt: skip
_PORTS = ["Soekarno-Hatta (CGK)", "Radin Inten II (TKG)", "Bakauheni", "Ngurah Rai (DPS)"]
_PLACES = [
    ("demo-hotel-liwa", "Hotel Demo Liwa", LodgingPlace.Kind.HOTEL, "18.04.04", "mitra.hotel"),
    ("demo-homestay-ranau", "Homestay Demo Ranau", LodgingPlace.Kind.HOMESTAY, "18.04.22", None),
    ("demo-kebun-kopi", "Mes Kebun Kopi Demo", LodgingPlace.Kind.COMPANY, "18.04.07", None),
    ("demo-penginapan-suoh", "Penginapan Demo Suoh", LodgingPlace.Kind.HOMESTAY, "18.04.09", None),
    ("demo-host-sukau", "Tuan Rumah Demo Sukau", LodgingPlace.Kind.PRIVATE_HOST, "18.04.11", None),
    ("demo-hotel-sekincau", "Hotel Demo Sekincau", LodgingPlace.Kind.HOTEL, "18.04.08", None),
]  # fmt: skip


def synthetic_name(rng: random.Random) -> tuple[str, str]:
    """(surname, given names) from invented syllables: nobody is called this."""

    def word(parts: int) -> str:
        return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).upper()

    return word(3), word(rng.choice((2, 3)))


def _passport(rng: random.Random, index: int, nationality: str, today: date) -> str:
    surname, given = synthetic_name(rng)
    line1, line2 = mrz.td3_lines(
        mrz.MrzFields(
            document_code="P",
            issuing_state=nationality,
            primary_identifier=surname,
            secondary_identifier=given,
            document_number=f"DM{index:07d}",
            nationality=nationality,
            birth_date=date(1960 + rng.randrange(40), rng.randint(1, 12), rng.randint(1, 28)),
            sex=rng.choice("MF"),
            expiry_date=today + timedelta(days=rng.randint(200, 3000)),
        )
    )
    return f"{line1}\n{line2}"


def _partner(local_part: str, name: str) -> User:
    email = f"{local_part}@{DEMO_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, is_demo=True, email_verified_at=timezone.now())
        user.set_password(DEMO_PASSWORD)
        user.full_name = name
        user.role = Role.PARTNER
        user.save()
    return user


def _places(kotabumi: Office) -> list[LodgingPlace]:
    places = []
    for code, name, kind, kecamatan, login in _PLACES:
        place, _created = LodgingPlace.objects.get_or_create(
            code=code,
            defaults={
                "name": f"{name} (sintetis)",
                "kind": kind,
                "kecamatan": Region.objects.get(code=kecamatan),
                "office": kotabumi,
                "is_demo": True,
            },
        )
        place.partners.add(_partner(login or f"mitra.{code}", f"Mitra {name}"))
        places.append(place)
    return places


def _sponsors(rng: random.Random, kotabumi: Office) -> list[Sponsor]:
    sponsors = []
    for i in range(10):
        kind = Sponsor.Kind.COMPANY if i < 7 else Sponsor.Kind.PERSON
        surname, given = synthetic_name(rng)
        name = f"PT {surname.title()} Demo" if kind == Sponsor.Kind.COMPANY else given.title()
        sponsors.append(
            sponsor_create(
                actor=None,
                kind=kind,
                name=f"{name} (sintetis)",
                contact=f"+62812000{i:05d}",
                office=kotabumi,
                is_demo=True,
            )
        )
    return sponsors


# Permit plan by share of foreigners: (weight, state)
_PLAN = [
    (55, "active"),
    (6, "expiring"),
    (10, "expired_left"),
    (5, "cancelled"),
    (8, "overstay_short"),
    (4, "overstay_long"),
    (12, "no_permit"),
]


def _state(rng: random.Random) -> str:
    return rng.choices([s for _w, s in _PLAN], weights=[w for w, _s in _PLAN])[0]


def _permit_for(
    rng: random.Random,
    foreigner: Foreigner,
    state: str,
    index: int,
    today: date,
    sponsors: list[Sponsor],
) -> tuple[StayPermit, list[Movement]]:
    """An unsaved permit and its movements (saved in bulk: the demo must be fast)."""
    kind = rng.choice([PermitKind.VISIT, PermitKind.ITK, PermitKind.ITAS, PermitKind.ITAS])
    if state == "active":
        until = today + timedelta(days=rng.randint(40, 300))
    elif state == "expiring":
        until = today + timedelta(days=rng.choice((1, 5, 7, 20, 30)))
    elif state == "overstay_short":
        until = today - timedelta(days=rng.randint(1, 25))
    elif state == "overstay_long":
        until = today - timedelta(days=rng.randint(61, 120))
    else:  # expired_left, cancelled
        until = today - timedelta(days=rng.randint(10, 200))
    length = 180 if kind == PermitKind.ITAS else 60
    number = f"DEMO-{kind.upper()}-{index:05d}"
    cancelled = state == "cancelled"
    permit = StayPermit(
        foreigner=foreigner,
        kind=kind,
        number=number,
        number_index=permit_number_index(kind, number),
        valid_from=until - timedelta(days=length),
        valid_until=until,
        office=foreigner.office,
        sponsor=rng.choice(sponsors) if kind == PermitKind.ITAS else None,
        status=(
            PermitStatus.CANCELLED
            if cancelled
            else PermitStatus.ACTIVE
            if until >= today
            else PermitStatus.EXPIRED
        ),
        cancelled_at=timezone.now() if cancelled else None,
    )
    port = rng.choice(_PORTS)
    movements = [
        Movement(
            foreigner=foreigner,
            direction=Movement.Direction.ENTRY,
            date=min(today, permit.valid_from),
            port=port,
        )
    ]
    if state == "expired_left":
        movements.append(
            Movement(
                foreigner=foreigner,
                direction=Movement.Direction.EXIT,
                date=until - timedelta(days=rng.randint(0, 10)),
                port=port,
            )
        )
    return permit, movements


def _extensions(permits: list[StayPermit]) -> int:
    """The three active ITAS that end first have been extended already: the
    register shows chains (the old permit extended, its extension valid from
    the day after it ends, as SIMI issues them)."""
    soon = sorted(
        (p for p in permits if p.kind == PermitKind.ITAS and p.status == PermitStatus.ACTIVE),
        key=lambda p: (p.valid_until, p.pk),
    )[:3]
    extensions = []
    for old in soon:
        number = f"{old.number}-X1"
        starts = extension_start(old, applied_on=old.valid_until)  # extended in time
        extensions.append(
            StayPermit(
                foreigner=old.foreigner,
                kind=old.kind,
                number=number,
                number_index=permit_number_index(old.kind, number),
                valid_from=starts,
                valid_until=starts + timedelta(days=180),
                office=old.office,
                sponsor=old.sponsor,
                status=PermitStatus.ACTIVE,
                extends=old,
            )
        )
    StayPermit.objects.bulk_create(extensions)
    StayPermit.objects.filter(pk__in=[p.pk for p in soon]).update(status=PermitStatus.EXTENDED)
    return len(extensions)


def _lodging(
    rng: random.Random, places: list[LodgingPlace], foreigners: list[Foreigner], now: datetime
) -> int:
    reports: list[LodgingReport] = []
    seen: set[tuple[int, str, datetime]] = set()
    for foreigner in rng.sample(foreigners, k=min(120, len(foreigners))):
        # The last place has gone quiet: its reports stop 30 days ago.
        place = rng.choice(places)
        days_ago = rng.randint(31, 80) if place == places[-1] else rng.randint(0, 60)
        day = (now - timedelta(days=days_ago)).date()
        check_in = timezone.make_aware(datetime.combine(day, time(rng.randint(11, 22), 0)))
        late = rng.random() < 0.2
        reported_at = check_in + timedelta(
            hours=rng.randint(30, 90) if late else rng.randint(1, 20)
        )
        reported_at = min(reported_at, now)
        stay = check_in + timedelta(days=rng.randint(1, 6), hours=-4)
        document = foreigner.travel_documents.first()
        person = foreigner.person
        if document is None or (place.pk, document.number_index, check_in) in seen:
            continue
        seen.add((place.pk, document.number_index, check_in))
        guest = CleanGuest(
            full_name=person.full_name or "",
            nationality=person.nationality,
            passport_number=document.number,
            passport_index=document.number_index,
            check_in=check_in,
            check_out=stay if stay < now else None,
        )
        report = new_report(
            place,
            guest,
            actor=None,
            source=rng.choice(list(LodgingReport.Source.values)),
            reported_at=reported_at,
            foreigner_id=foreigner.pk,
        )
        reports.append(report)
    LodgingReport.objects.bulk_create(reports, batch_size=200)
    return len(reports)


@transaction.atomic
def seed_oversight_demo(*, foreigners: int = 300) -> dict[str, int]:
    """Create the demo register once; a second run returns the counts and
    changes nothing. Needs the reference offices and regions."""
    existing = Foreigner.objects.filter(is_demo=True).count()
    if existing:
        return {"foreigners": existing, "created": 0}
    rng = random.Random(SEED)  # noqa: S311 - deterministic synthetic data, not security
    today = timezone.localdate()
    now = timezone.now()
    kotabumi = Office.objects.get(code="kanim-kotabumi")
    liwa = Office.objects.filter(code="ulp-liwa").first() or kotabumi
    kecamatan = list(
        Region.objects.filter(level=Region.Level.DISTRICT, code__startswith="18.04.")
        .order_by("code")
        .values_list("code", flat=True)
    )
    places = _places(kotabumi)
    sponsors = _sponsors(rng, kotabumi)
    made: list[Foreigner] = []
    permits: list[StayPermit] = []
    movements: list[Movement] = []
    for index in range(1, foreigners + 1):
        nationality = rng.choice(_NATIONALITIES)
        foreigner = foreigner_register(
            actor=None,
            mrz_text=_passport(rng, index, nationality, today),
            kecamatan_code=rng.choice(kecamatan),
            address=f"Jl. Contoh No. {rng.randint(1, 99)} (alamat sintetis)",
            office=liwa if index % 4 == 0 else kotabumi,
            is_demo=True,
        )
        state = _state(rng)
        if state != "no_permit":
            permit, moves = _permit_for(rng, foreigner, state, index, today, sponsors)
            permits.append(permit)
            movements.extend(moves)
        made.append(foreigner)
    StayPermit.objects.bulk_create(permits, batch_size=200)
    Movement.objects.bulk_create(movements, batch_size=200)
    extended = _extensions(permits)
    reports = _lodging(rng, places, made, now)
    audit_record(
        actor=None,
        action=Action.DEMO_SEEDED,
        data={
            "foreigners": len(made),
            "permits": len(permits) + extended,
            "extensions": extended,
            "lodging_reports": reports,
        },
    )
    permit_reminders_create()
    overstays = overstays_detect()
    lodging = lodging_without_permit_detect()
    return {
        "foreigners": len(made),
        "created": len(made),
        "lodging_places": len(places),
        "lodging_reports": reports,
        "overstays": len(overstays.created),
        "escalated": len(overstays.escalated),
        "lodging_violations": len(lodging.created),
    }


def seed_demo(options: DemoOptions) -> str:
    """``seed_demo`` step: the register of foreigners (before applications:
    issuing demo stay permits adds to it)."""
    return f"foreigners in the register: {seed_oversight_demo().get('foreigners', 0)}"
