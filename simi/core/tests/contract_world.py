"""The records the API contract test runs against.

The demo data of every domain (``seed_demo``, the same seeders a newcomer's
``make run`` uses, so deterministic) plus what the demo does not make: an
applicant with applications in several states, documents, bills, a visit,
privacy requests and notifications; a device, a sighting, evidence on a
case, a reconciliation, a lodging import, a live watchlist with its review
queue, an incident; and an API token for each persona with every scope of
its role.

``known`` then lists, per persona, real values the test puts into generated
requests some of the time: the ids in its paths (its own records, and its
office's), and codes in its queries and bodies (offices, services, visit
days), so that the contract is checked on answers with data in them, not
only on 404s and 422s.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta
from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from simi.accounts.claims.services import applicant_identity_save
from simi.accounts.demo import DEMO_DOMAIN, DEMO_TOTP_SECRET
from simi.accounts.household.selectors import household_members_own
from simi.accounts.household.services import household_member_add
from simi.accounts.models import ApiToken, User
from simi.accounts.passwords import DEMO_PASSWORD
from simi.accounts.roles import Role, policy_for
from simi.accounts.services import api_token_create
from simi.applications.demo import _walk, demo_pdf
from simi.applications.models import Application, ApplicationDocument, CancelReason
from simi.applications.services import (
    application_cancel,
    application_create,
)
from simi.applications.tests.complete import submit_complete
from simi.appointments.demo import appointments_demo_seed
from simi.appointments.models import Ticket
from simi.appointments.selectors import bookings_own
from simi.catalog.models import ServiceType
from simi.core.models import Office
from simi.enforcement.evidence import evidence_add
from simi.enforcement.models import ActionType, AdministrativeAction, Case, CaseStatus
from simi.issuance.models import IssuedDocument
from simi.issuance.printing import document_seal_text
from simi.oversight.devices.services import DeviceData, device_register
from simi.oversight.lodging.imports import lodging_import_start
from simi.oversight.models import Foreigner, LodgingImport, LodgingPlace, Sighting
from simi.oversight.sightings.services import SightingData, sighting_record
from simi.payments.models import Bill, BillStatus, Payment, Reconciliation
from simi.payments.reconciliation import reconciliation_import
from simi.payments.selectors import bills_own
from simi.people.services import PersonData
from simi.privacy.selectors import dsr_list_own
from simi.privacy.services import IncidentData, dsr_submit, incident_report
from simi.screening import live
from simi.screening.flows import screen_subject
from simi.screening.imports import watchlist_import_file
from simi.screening.models import ReviewItem, Watchlist, WatchlistImport
from simi.screening.services import impact_estimate, watchlist_create, watchlist_publish

# The data migrations: a flushed test database gets their rows back from them.
DATA_MIGRATIONS = (
    "simi.core.migrations.0002_load_regions_and_offices",
    "simi.catalog.migrations.0003_load_catalogue",
    "simi.catalog.migrations.0005_load_issued_kinds",
    "simi.appointments.migrations.0002_load_schedule",
    "simi.enforcement.migrations.0002_load_action_types",
    "simi.privacy.migrations.0002_default_retention_rules",
)

APPLICANT_EMAIL = "contract.applicant@example.test"
# Who calls: the demo's staff personas (the demo data was made by them) and an
# applicant of this test's own with many records.
PERSONAS: dict[str, str | None] = {
    "anonymous": None,
    "applicant": APPLICANT_EMAIL,
    "supervisor": f"kasi.kotabumi@{DEMO_DOMAIN}",
    "oversight": f"pengawasan@{DEMO_DOMAIN}",
    "partner": f"mitra.hotel@{DEMO_DOMAIN}",
    "admin": f"admin@{DEMO_DOMAIN}",
}
# The applicant's applications: the states an applicant meets most.
APPLICANT_STATES = (
    ("draft", "passport-ordinary-5y", "ulp-liwa"),
    ("registered", "passport-electronic-10y", "ulp-liwa"),
    ("more_documents_requested", "passport-ordinary-10y", "kanim-kotabumi"),
    ("awaiting_payment", "passport-ordinary-5y", "kanim-kotabumi"),
    ("issued", "passport-electronic-10y", "kanim-kotabumi"),
    ("rejected", "passport-ordinary-10y", "ulp-liwa"),
    ("cancelled", "passport-ordinary-5y", "ulp-liwa"),
)
REASON = "Synthetic reason written by the API contract test."


@dataclass
class World:
    tokens: dict[str, str] = field(default_factory=dict)
    emails: dict[str, str] = field(default_factory=dict)
    # persona -> path template -> path parameters of real records
    paths: dict[str, dict[str, list[dict[str, Any]]]] = field(default_factory=dict)
    # persona -> query or body field name -> real values
    values: dict[str, dict[str, list[Any]]] = field(default_factory=dict)
    # persona -> (method, path) -> whole valid bodies
    bodies: dict[str, dict[tuple[str, str], list[dict[str, Any]]]] = field(default_factory=dict)
    device_code: str = ""
    device_secret: str = ""
    totp_secret: str = DEMO_TOTP_SECRET


def load_reference_data() -> None:
    """What the data migrations load, when a flush took it away."""
    if Office.objects.exists():
        return
    for name in DATA_MIGRATIONS:
        import_module(name).load(apps, None)


def flush() -> None:
    call_command("flush", interactive=False, verbosity=0)
    live.forget()
    load_reference_data()


def _user(persona: str) -> User:
    return User.objects.get(email=PERSONAS[persona])


def _applicant() -> User:
    user = User.objects.create_user(
        email=APPLICANT_EMAIL,
        password=DEMO_PASSWORD,
        full_name="Kontrak Pemohon",
        role=Role.APPLICANT,
    )
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    applicant_identity_save(
        actor=user,
        data=PersonData(
            kind="citizen",
            full_name="Kontrak Pemohon",
            nik="1804045203910007",
            birth_date=date(1991, 3, 12),
            sex="F",
            address="Alamat uji (sintetis)",
        ),
    )
    user.refresh_from_db()
    chief = _user("supervisor")
    counters = {
        "ulp-liwa": User.objects.get(email=f"petugas.liwa@{DEMO_DOMAIN}"),
        "kanim-kotabumi": User.objects.get(email=f"petugas.kotabumi@{DEMO_DOMAIN}"),
    }
    for serial, (target, service, office) in enumerate(APPLICANT_STATES, start=900):
        app = application_create(actor=user, service_code=service, office_code=office)
        if target == "draft":
            continue
        app = submit_complete(actor=user, application=app)
        if target == "cancelled":
            application_cancel(actor=user, application=app, reason=CancelReason.NO_LONGER_NEEDED)
            continue
        _walk(app, target, counter=counters[office], chief=chief, serial=serial)
    # a household: a child with a draft passport (the parent's documents asked), a spouse
    child = household_member_add(
        actor=user,
        relationship="child",
        data=PersonData(kind="citizen", full_name="Anak Kontrak", nik="1804041505150003"),
    )
    household_member_add(
        actor=user,
        relationship="spouse",
        data=PersonData(kind="citizen", full_name="Pasangan Kontrak", nik="1804041203900006"),
    )
    application_create(
        actor=user,
        service_code="passport-ordinary-5y",
        office_code="ulp-liwa",
        member_id=child.public_id,
    )
    # the demo books visits for open demo applications: this applicant's too
    User.objects.filter(pk=user.pk).update(is_demo=True)
    appointments_demo_seed()
    dsr_submit(actor=user, kind="access")
    dsr_submit(actor=user, kind="correction", details="Nama saya salah eja (sintetis).")
    return user


def _watchlist(admin: User) -> Watchlist:
    """A live watchlist naming a few demo people, so the review queue has items."""
    kotabumi = Office.objects.get(code="kanim-kotabumi")
    watchlist = watchlist_create(
        actor=admin,
        code="kontrak-penangkalan",
        name="Daftar uji kontrak (sintetis)",
        kind=Watchlist.Kind.ENTRY_BAN,
        owner_office=kotabumi,
        legal_basis="UU 6/2011 Pasal 102",
    )
    rows = ["id,name,aliases,birth_date,nationality,document_numbers,list_kind,reason"]
    foreigners = list(
        Foreigner.objects.filter(office=kotabumi).select_related("person").order_by("id")[:4]
    )
    for index, person in enumerate(f.person for f in foreigners):
        born = person.birth_date.isoformat() if person.birth_date else ""
        rows.append(f"k-{index},{person.full_name},,{born},,,entry_ban,synthetic contract entry")
    watchlist_import_file(
        actor=admin, watchlist=watchlist, raw=("\n".join(rows) + "\n").encode("utf-8")
    )
    impact_estimate(actor=admin, watchlist=watchlist)
    watchlist_publish(actor=admin, watchlist=watchlist)
    # the seeding queued a screening of everyone; these few are screened now
    # (a worker would take a while for all of them)
    for foreigner in foreigners:
        screen_subject(subject_type="foreigner", subject_id=foreigner.pk)
    return watchlist


def _staff_records(world: World) -> None:
    supervisor, officer, partner, admin = (
        _user(p) for p in ("supervisor", "oversight", "partner", "admin")
    )
    foreigner = Foreigner.objects.filter(office__code="kanim-kotabumi").order_by("id").first()
    assert foreigner is not None
    registered = device_register(
        actor=officer,
        data=DeviceData(
            code="kontrak-cctv-01",
            kind="cctv_analytics",
            kecamatan_code=foreigner.kecamatan.code,
            location="Simpang uji (sintetis)",
            key_kind="hmac",
        ),
    )
    world.device_code, world.device_secret = registered.device.code, registered.secret or ""
    sighting_record(
        actor=officer,
        data=SightingData(
            kecamatan_code=foreigner.kecamatan.code, foreigner_id=foreigner.public_id
        ),
    )
    case = Case.objects.filter(office__code="kanim-kotabumi", status=CaseStatus.OPEN).first()
    if case is not None:
        evidence_add(actor=officer, case=case, content=demo_pdf("evidence"), description="Foto")
    paid = Payment.objects.select_related("bill").order_by("id")[:2]
    statement = "date,billing_code,amount,reference\n" + "".join(
        f"{timezone.localdate().isoformat()},{p.bill.billing_code},{p.amount},{p.channel_reference}\n"
        for p in paid
    )
    reconciliation_import(
        actor=supervisor, file_name="statement.csv", content=statement.encode("utf-8")
    )
    place = LodgingPlace.objects.filter(partners=partner).order_by("id").first()
    if place is not None:
        check_in = (timezone.localtime() - timedelta(hours=3)).replace(microsecond=0)
        raw = (
            "full_name,nationality,passport_number,check_in,check_out\n"
            f"Uji Kontrak,AUS,PA{place.pk:07d},{check_in.isoformat()},\n"
        )
        lodging_import_start(actor=partner, place=place, raw=raw.encode("utf-8"), enqueue=False)
    _watchlist(admin)
    now = timezone.now()
    incident_report(
        actor=admin,
        data=IncidentData(
            title="Uji kontrak: surel salah kirim (sintetis)",
            description="Sebuah surel pemberitahuan terkirim ke alamat yang salah (sintetis).",
            occurred_at=now - timedelta(hours=5),
            discovered_at=now - timedelta(hours=2),
            severity="low",
            data_categories=["contact"],
            affected_subjects=1,
        ),
    )


def _token(world: World, persona: str) -> None:
    user = _user(persona)
    scopes = sorted(policy_for(user.role).api_scopes)
    ApiToken.objects.filter(user=user).delete()
    api_token_create(actor=user, name="spare", scopes=["profile"], days=1)
    _row, token = api_token_create(actor=user, name="contract", scopes=scopes, days=1)
    world.tokens[persona] = token
    world.emails[persona] = user.email


def _ids(queryset: Any, name: str = "public_id") -> list[str]:
    rows = queryset.all()
    if not rows.ordered:
        rows = rows.order_by("id")
    return [str(value) for value in rows.values_list(name, flat=True)[:20]]


def _known(world: World) -> None:
    offices = ["kanim-kotabumi", "ulp-liwa"]
    services = list(ServiceType.objects.values_list("code", flat=True))
    tracking = [
        a.tracking_code_display
        for a in Application.objects.exclude(tracking_code=None).order_by("id")[:10]
    ]
    common: dict[str, list[Any]] = {
        "office": offices,
        "service": services,
        "tracking_code": tracking,
        "code": services,
        "kecamatan": ["18.04.04", "18.04.05", "18.04.10"],
        "parent_code": ["18", "18.04"],
        "nationality": ["AUS", "DEU", "IDN"],
        "reason": [REASON],
        "note": [REASON],
        "text": [REASON],
        "grounds": [REASON + " Grounds."],
        "purpose": [REASON],
        "session": ["pagi", "siang"],
        "date": [timezone.localdate() + timedelta(days=n) for n in range(1, 15)],
        "seal": [document_seal_text(d) for d in IssuedDocument.objects.order_by("id")[:3]],
    }
    for persona in PERSONAS:
        world.values[persona] = dict(common)
        world.paths[persona] = {}
        world.bodies[persona] = {}
    world.paths["anonymous"]["/api/v1/track/{tracking_code}"] = [
        {"tracking_code": code} for code in tracking
    ]

    applicant = _user("applicant")
    own = Application.objects.filter(applicant=applicant)
    documents = ApplicationDocument.objects.filter(application__applicant=applicant)
    world.paths["applicant"] = {
        "application_id": [{"application_id": i} for i in _ids(own)],
        "booking_id": [{"booking_id": i} for i in _ids(bookings_own(actor=applicant))],
        "bill_id": [{"bill_id": i} for i in _ids(bills_own(applicant))],
        "request_id": [{"request_id": i} for i in _ids(dsr_list_own(actor=applicant))],
        "member_id": [{"member_id": i} for i in _ids(household_members_own(actor=applicant))],
        "/api/v1/applications/{application_id}/documents/{document_id}": [
            {"application_id": str(d.application.public_id), "document_id": str(d.public_id)}
            for d in documents.select_related("application").order_by("id")[:20]
        ],
        "/api/v1/issued-documents/{document_id}/pdf": [
            {"document_id": str(app.issued_document.public_id)}
            for app in own.exclude(issued_document=None).select_related("issued_document")
        ],
    }

    world.values["applicant"]["member"] = [
        p["member_id"] for p in world.paths["applicant"]["member_id"]
    ]

    office_apps = Application.objects.filter(office__code__in=offices).exclude(status="draft")
    staff_documents = ApplicationDocument.objects.filter(application__in=office_apps)
    world.paths["supervisor"] = {
        "application_id": [{"application_id": i} for i in _ids(office_apps.order_by("id"))],
        "document_id": [{"document_id": i} for i in _ids(IssuedDocument.objects.all())],
        "/api/v1/office/applications/{application_id}/documents/{document_id}/content": [
            {"application_id": str(d.application.public_id), "document_id": str(d.public_id)}
            for d in staff_documents.select_related("application").order_by("id")[:20]
        ],
        "ticket_id": [{"ticket_id": i} for i in _ids(Ticket.objects.all())],
        "reconciliation_id": [{"reconciliation_id": i} for i in _ids(Reconciliation.objects)],
        "item_id": [{"item_id": i} for i in _ids(ReviewItem.objects)],
    }
    for persona in ("supervisor", "oversight"):
        paths = world.paths[persona]
        paths["case_id"] = [{"case_id": i} for i in _ids(Case.objects.order_by("-id"))]
        paths["action_id"] = [{"action_id": i} for i in _ids(AdministrativeAction.objects)]
        paths["foreigner_id"] = [{"foreigner_id": i} for i in _ids(Foreigner.objects)]
        paths["sighting_id"] = [{"sighting_id": i} for i in _ids(Sighting.objects)]
        world.values[persona]["action"] = list(ActionType.objects.values_list("code", flat=True))
        world.values[persona]["assignee"] = [
            str(u.public_id) for u in User.objects.filter(role=Role.OVERSIGHT)
        ]
        world.values[persona]["foreigner"] = [p["foreigner_id"] for p in paths["foreigner_id"]]
    world.paths["partner"]["import_id"] = [
        {"import_id": i} for i in _ids(LodgingImport.objects.all())
    ]
    world.values["partner"]["place"] = list(
        LodgingPlace.objects.filter(partners=_user("partner")).values_list("code", flat=True)
    )
    world.paths["admin"] = {
        "import_id": [{"import_id": i} for i in _ids(WatchlistImport.objects.all())],
        "code": [{"code": c} for c in Watchlist.objects.values_list("code", flat=True)],
        "reconciliation_id": [{"reconciliation_id": i} for i in _ids(Reconciliation.objects)],
    }
    for persona in PERSONAS:
        if persona != "anonymous":
            world.paths[persona]["token_id"] = [
                {"token_id": i} for i in _ids(ApiToken.objects.filter(user=_user(persona)))
            ]
        world.paths[persona].setdefault(
            "tracking_code", world.paths["anonymous"]["/api/v1/track/{tracking_code}"]
        )
        world.paths[persona].setdefault("/api/v1/services/{code}", [{"code": c} for c in services])
    unpaid = Bill.objects.filter(status=BillStatus.UNPAID).order_by("id")[:5]
    world.bodies["anonymous"][("POST", "/api/v1/payments/notifications")] = [
        {
            "billing_code": bill.billing_code,
            "amount": bill.amount,
            "reference": f"KONTRAK-{bill.pk}",
            "paid_at": timezone.now().isoformat(),
        }
        for bill in unpaid
    ]
    world.bodies["anonymous"][("POST", "/api/v1/devices/events")] = [
        {
            "events": [
                {
                    "event_id": f"kontrak-{n}",
                    "kind": "plate_read",
                    "occurred_at": timezone.now().isoformat(),
                    "payload": {"confidence": 0.9},
                }
            ]
        }
        for n in range(3)
    ]


def build() -> World:
    """Seed the demo and this test's own records; returns what the test needs."""
    load_reference_data()
    call_command("seed_demo", "--applicants", "12", stdout=io.StringIO())
    world = World()
    _applicant()
    _staff_records(world)
    for persona in PERSONAS:
        if persona != "anonymous":
            _token(world, persona)
    _known(world)
    return world
