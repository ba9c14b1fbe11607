"""Who may call what: every persona against every endpoint, own and other objects.

One table, read row by row: the expected status for each persona. A new
endpoint gets a row here before it ships.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from simi.accounts.claims.services import applicant_identity_save, identity_claim_office_choose
from simi.accounts.household.services import household_member_add
from simi.accounts.models import IdentityClaim
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import UserFactory
from simi.applications.billing import application_bill_issue
from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import give_identity
from simi.appointments.referencedata import current_models, load_schedule
from simi.appointments.selectors import earliest_slot
from simi.appointments.services import booking_create
from simi.core.models import Office
from simi.issuance.models import IssuedDocument
from simi.issuance.services import document_issue
from simi.payments.tests.conftest import to_awaiting_payment
from simi.people.services import PersonData, person_create
from simi.privacy.services import dsr_submit

PERSONAS = [
    "anonymous",
    "applicant",
    "other_applicant",
    "partner",
    "officer",
    "supervisor",
    "oversight",
    "outsider",
    "analyst",
    "auditor",
    "admin_user",
]
STAFF = {"officer", "supervisor", "oversight", "outsider", "analyst", "auditor", "admin_user"}
CASEWORK = {"officer", "supervisor", "oversight", "outsider"}


def expect(default: int, **overrides: int) -> dict[str, int]:
    return {persona: overrides.get(persona, default) for persona in PERSONAS}


def signed_in(default: int, anonymous: int = 401, **overrides: int) -> dict[str, int]:
    return expect(default, anonymous=anonymous, **overrides)


def only(allowed: set[str], ok: int, *, refused: int = 403, anonymous: int = 401) -> dict[str, int]:
    table = {p: (ok if p in allowed else refused) for p in PERSONAS}
    table["anonymous"] = anonymous
    return table


# (method, path template, body, expected status per persona)
MATRIX = [
    ("get", "/api/v1/offices", None, expect(200)),
    ("get", "/api/v1/services", None, expect(200)),
    ("get", "/api/v1/services/passport-ordinary-5y", None, expect(200)),
    ("get", "/layanan/", None, expect(200)),
    ("get", "/verifikasi/", None, expect(200)),
    ("get", "/permohonan/lacak/", None, expect(200)),
    ("get", "/api/v1/track/{tracking_code}", None, expect(200)),
    ("get", "/api/v1/applications", None, signed_in(200)),
    ("get", "/api/v1/applications/{application}", None, signed_in(404, applicant=200)),
    ("get", "/permohonan/", None, signed_in(200, anonymous=302)),
    # the world's application awaits payment: its check and confirmation pages
    # send the owner back to it
    (
        "get",
        "/permohonan/{application}/periksa/",
        None,
        signed_in(404, anonymous=302, applicant=302),
    ),
    (
        "get",
        "/permohonan/{application}/terkirim/",
        None,
        signed_in(404, anonymous=302, applicant=302),
    ),
    (
        "get",
        "/api/v1/documents/{document}",
        None,
        signed_in(404, supervisor=200, oversight=200, analyst=200, auditor=200, admin_user=200),
    ),
    ("get", "/kantor/dokumen/", None, only(STAFF, 200, anonymous=302)),
    ("get", "/api/v1/me", None, signed_in(200)),
    ("get", "/api/v1/staff", None, only(STAFF, 200)),
    ("post", "/api/v1/people/lookup", "lookup", only(CASEWORK, 200)),
    ("get", "/api/v1/auth/tokens", None, signed_in(200)),
    ("delete", "/api/v1/auth/tokens/{applicant_token}", None, signed_in(404, applicant=204)),
    ("get", "/api/v1/privacy/requests", None, signed_in(200)),
    ("get", "/api/v1/privacy/requests/{applicant_request}", None, signed_in(404, applicant=200)),
    ("get", "/api/v1/privacy/export", None, signed_in(200)),
    ("get", "/api/v1/privacy/queue", None, only({"admin_user"}, 200)),
    ("get", "/api/v1/privacy/incidents", None, only({"admin_user"}, 200)),
    ("get", "/kantor/", None, only(STAFF, 200, anonymous=302)),
    ("get", "/kantor/staf/", None, only(STAFF, 200, anonymous=302)),
    ("get", "/kantor/data-pribadi/", None, only({"admin_user"}, 200, anonymous=302)),
    ("get", "/kantor/data-pribadi/insiden/", None, only({"admin_user"}, 200, anonymous=302)),
    (
        "get",
        "/akun/identitas/",
        None,
        only({"applicant", "other_applicant"}, 200, anonymous=302),
    ),
    ("get", "/akun/data-pribadi/", None, signed_in(200, anonymous=302)),
    # household members: applicants only, each their own (someone else's: 404)
    ("get", "/akun/keluarga/", None, only({"applicant", "other_applicant"}, 200, anonymous=302)),
    (
        "get",
        "/akun/keluarga/{household_member}/",
        None,
        only({"applicant"}, 200, anonymous=302) | {"other_applicant": 404},
    ),
    ("get", "/api/v1/household/members", None, only({"applicant", "other_applicant"}, 200)),
    (
        "get",
        "/api/v1/household/members/{household_member}",
        None,
        only({"applicant"}, 200) | {"other_applicant": 404},
    ),
    ("get", "/api/v1/bills", None, signed_in(200)),
    ("get", "/api/v1/bills/{bill}", None, signed_in(404, applicant=200)),
    ("get", "/pembayaran/", None, signed_in(200, anonymous=302)),
    ("get", "/pembayaran/{bill}/", None, signed_in(404, anonymous=302, applicant=200)),
    # a new code for an expired bill: the payer only; the world's bill is still payable
    (
        "post",
        "/pembayaran/{bill}/tagihan-baru/",
        None,
        signed_in(404, anonymous=302, applicant=409),
    ),
    ("get", "/api/v1/payment-methods", None, expect(200)),
    ("get", "/kantor/pembayaran/", None, only(STAFF, 200, anonymous=302)),
    (
        "get",
        "/kantor/pembayaran/rekonsiliasi/",
        None,
        only({"supervisor", "outsider", "admin_user"}, 200, anonymous=302),
    ),
    ("post", "/api/v1/payments/notifications", None, expect(401)),  # signed by a bank, not a user
    # no file sent: reconcilers get 422 (file missing), everyone else 403 first
    (
        "post",
        "/api/v1/payments/reconciliations",
        None,
        only({"supervisor", "outsider", "admin_user"}, 422),
    ),
    (
        "get",
        "/akun/data-pribadi/permintaan/{applicant_request}/",
        None,
        signed_in(404, anonymous=302, applicant=200),
    ),
    # appointments: counter staff (appointments:manage) see their office and its
    # service points; the outsider's own office is empty, ours answers 404
    (
        "get",
        "/api/v1/appointments/availability?service=passport-ordinary-5y&office=ulp-liwa",
        None,
        expect(200),
    ),
    (
        "get",
        "/api/v1/appointments/slots?service=passport-ordinary-5y&office=ulp-liwa",
        None,
        expect(200),
    ),
    ("get", "/api/v1/appointments", None, signed_in(200)),
    ("get", "/api/v1/appointments/{booking}/proof", None, signed_in(404, applicant=200)),
    ("get", "/api/v1/appointments/{booking}/calendar.ics", None, signed_in(404, applicant=200)),
    ("get", "/janji-temu/", None, signed_in(200, anonymous=302)),
    ("get", "/janji-temu/{booking}/", None, signed_in(404, anonymous=302, applicant=200)),
    (
        "get",
        "/janji-temu/{booking}/kalender.ics",
        None,
        signed_in(404, anonymous=302, applicant=200),
    ),
    (
        "get",
        "/api/v1/appointments/desk/queue",
        None,
        only({"officer", "supervisor", "outsider"}, 200),
    ),
    (
        "get",
        "/api/v1/appointments/desk/bookings?office=ulp-liwa",
        None,
        {**only({"officer", "supervisor"}, 200), "outsider": 404},
    ),
    (
        "get",
        "/kantor/antrean/",
        None,
        only({"officer", "supervisor", "outsider"}, 200, anonymous=302),
    ),
    (
        "get",
        "/kantor/antrean/janji/?office=ulp-liwa",
        None,
        {**only({"officer", "supervisor"}, 200, anonymous=302), "outsider": 404},
    ),
]

WORKERS = {"officer", "supervisor", "outsider"}  # front desk and supervisors, any office
MATRIX += [
    ("get", "/api/v1/applications/{application}/documents", None, signed_in(404, applicant=200)),
    (
        "get",
        "/api/v1/applications/{application}/permits-to-extend",
        None,
        signed_in(404, applicant=200),
    ),
    ("get", "/api/v1/applications/{application}/tasks", None, signed_in(404, applicant=200)),
    ("get", "/api/v1/office/applications", None, only(WORKERS, 200)),
    (
        "get",
        "/api/v1/office/applications/{application}",
        None,
        {**only({"officer", "supervisor"}, 200), "outsider": 404},
    ),
    # the world's application awaits payment: nobody may approve it yet
    (
        "post",
        "/api/v1/office/applications/{application}/approve",
        None,
        {**only(set(), 200), "supervisor": 409, "outsider": 404},
    ),
    (
        "get",
        "/kantor/permohonan/",
        None,
        {**only(WORKERS, 200, anonymous=302), **dict.fromkeys(STAFF - WORKERS, 404)},
    ),
    (
        "get",
        "/kantor/permohonan/{application}/",
        None,
        {
            **only({"officer", "supervisor"}, 200, anonymous=302),
            **dict.fromkeys(STAFF - {"officer", "supervisor"}, 404),
        },
    ),
]

OVERSIGHT_READERS = {"supervisor", "oversight", "outsider"}  # outsider: sees an empty register
MATRIX += [
    ("get", "/api/v1/oversight/foreigners", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/api/v1/oversight/violations", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/api/v1/oversight/lodging/stopped", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/kantor/pengawasan/", None, only(OVERSIGHT_READERS, 200, anonymous=302)),
    ("get", "/kantor/pengawasan/penginapan/", None, only(OVERSIGHT_READERS, 200, anonymous=302)),
    ("get", "/api/v1/lodging/places", None, only({"partner"}, 200)),
    ("get", "/api/v1/lodging/reports", None, only({"partner"}, 200)),
    ("get", "/mitra/", None, only({"partner"}, 200, anonymous=302)),
]

# sightings and devices: readers see their office's (the outsider an empty list);
# recording a sighting needs oversight:write, registering a device write or decide
MATRIX += [
    ("get", "/api/v1/oversight/sightings", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/api/v1/oversight/devices", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/api/v1/oversight/devices/alerts", None, only(OVERSIGHT_READERS, 200)),
    ("post", "/api/v1/devices/events", None, expect(401)),  # signed by a device, not a user
    ("get", "/kantor/pengawasan/temuan/", None, only(OVERSIGHT_READERS, 200, anonymous=302)),
    ("get", "/kantor/pengawasan/temuan/baru/", None, only({"oversight"}, 200, anonymous=302)),
    ("get", "/kantor/pengawasan/perangkat/", None, only(OVERSIGHT_READERS, 200, anonymous=302)),
    (
        "get",
        "/kantor/pengawasan/perangkat/baru/",
        None,
        only(OVERSIGHT_READERS, 200, anonymous=302),
    ),
    (
        "get",
        "/kantor/pengawasan/perangkat/peringatan/",
        None,
        only(OVERSIGHT_READERS, 200, anonymous=302),
    ),
]

# screening: reviewers (screening:review) see their offices' items; watchlists
# are for screening:manage; the switch's state for every screening capability
SCREENING_REVIEWERS = {"supervisor", "outsider"}
SCREENING_CONTROL = {"supervisor", "oversight", "outsider", "analyst", "admin_user"}
MATRIX += [
    ("get", "/api/v1/screening/reviews", None, only(SCREENING_REVIEWERS, 200)),
    ("get", "/kantor/penyaringan/", None, only(SCREENING_REVIEWERS, 200, anonymous=302)),
    ("get", "/api/v1/screening/watchlists", None, only({"admin_user"}, 200)),
    ("get", "/kantor/penyaringan/daftar/", None, only({"admin_user"}, 200, anonymous=302)),
    ("get", "/api/v1/screening/control", None, only(SCREENING_CONTROL, 200)),
    ("get", "/kantor/penyaringan/kendali/", None, only(SCREENING_CONTROL, 200, anonymous=302)),
]

# the risk model's fairness report and model card: screening:report
SCREENING_REPORTERS = {"supervisor", "outsider", "analyst", "admin_user"}
MATRIX += [
    ("get", "/api/v1/screening/risk/fairness", None, only(SCREENING_REPORTERS, 200)),
    ("get", "/api/v1/screening/risk/models", None, only(SCREENING_REPORTERS, 200)),
    ("get", "/api/v1/screening/risk/models/active", None, only(SCREENING_REPORTERS, 404)),
    ("get", "/kantor/penyaringan/risiko/", None, only(SCREENING_REPORTERS, 200, anonymous=302)),
    (
        "get",
        "/kantor/penyaringan/risiko/model/",
        None,
        only(SCREENING_REPORTERS, 200, anonymous=302),
    ),
]

# cases and the oversight dashboard: readers see their office's (the outsider
# an empty list and zero counts); a case outside the scope answers 404
NO_CASE = "00000000-0000-4000-8000-000000000000"
MATRIX += [
    ("get", "/api/v1/enforcement/cases", None, only(OVERSIGHT_READERS, 200)),
    ("get", f"/api/v1/enforcement/cases/{NO_CASE}", None, only(OVERSIGHT_READERS, 404)),
    ("get", "/api/v1/enforcement/action-types", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/api/v1/enforcement/dashboard", None, only(OVERSIGHT_READERS, 200)),
    ("get", "/kantor/pengawasan/kasus/", None, only(OVERSIGHT_READERS, 200, anonymous=302)),
    ("get", "/kantor/pengawasan/kasus/dasbor/", None, only(OVERSIGHT_READERS, 200, anonymous=302)),
]

# Checking a seal is public: a request without the seal or the photo is refused
# the same way for everyone (422), never with a 401 or 403.
MATRIX += [
    ("post", "/api/v1/verify", None, expect(422)),
    ("post", "/api/v1/verify/photo", None, expect(422)),
]

# identity claims: the applicant's own view and choice of office; the office's
# queue for counter staff (people:resolve), scoped like applications: the
# outsider sees an empty queue and another office's claim answers 404.
RESOLVERS = {"officer", "supervisor", "outsider"}
# the account's own mobile number and channels: every signed-in account, its own only
MATRIX += [
    ("get", "/api/v1/me/phone", None, signed_in(200)),
    ("get", "/api/v1/me/notification-channels", None, signed_in(200)),
    ("get", "/akun/telepon/", None, signed_in(200, anonymous=302)),
    ("get", "/akun/notifikasi/", None, signed_in(200, anonymous=302)),
]
MATRIX += [
    ("get", "/api/v1/me/identity", None, only({"applicant", "other_applicant"}, 200)),
    ("get", "/api/v1/office/identity-claims", None, only(RESOLVERS, 200)),
    (
        "get",
        "/api/v1/office/identity-claims/{identity_claim}",
        None,
        {**only({"officer", "supervisor"}, 200), "outsider": 404},
    ),
    # each decision runs in its own test database: the officer and the supervisor
    # of Liwa decide it; another office does not see it
    (
        "post",
        "/api/v1/office/identity-claims/{identity_claim}/confirm",
        "note",
        {**only({"officer", "supervisor"}, 200), "outsider": 404},
    ),
    (
        "post",
        "/api/v1/office/identity-claims/{identity_claim}/reject",
        "note",
        {**only({"officer", "supervisor"}, 200), "outsider": 404},
    ),
    # only the claimant may choose the office of her claim; for others it does not exist
    (
        "put",
        "/api/v1/me/identity/claims/{identity_claim}",
        "office",
        signed_in(404, applicant=404),
    ),
    ("get", "/kantor/identitas/", None, only(RESOLVERS, 200, anonymous=302)),
    (
        "get",
        "/kantor/identitas/{identity_claim}/",
        None,
        {**only({"officer", "supervisor"}, 200, anonymous=302), "outsider": 404},
    ),
]

NIK = "1804045708950002"


@pytest.fixture
def world(request, applicant, catalogue, supervisor, kotabumi):
    """One person to look up, one token and one request owned by the applicant,
    and one stay permit issued by the Kotabumi office."""
    person = person_create(
        actor=None, data=PersonData(kind="citizen", full_name="Dewi Uji", nik=NIK)
    )
    token, _secret = api_token_create(actor=applicant, name="ponsel", scopes=["profile"], days=5)
    dsr = dsr_submit(actor=applicant, kind="correction", details="Nama salah eja")
    today = timezone.localdate()
    document = document_issue(
        actor=supervisor,
        kind=IssuedDocument.Kind.STAY_PERMIT,
        holder=person,
        number="ITAS00001",
        valid_from=today,
        valid_until=today + timedelta(days=30),
        office=kotabumi,
    )
    give_identity(applicant, nik="1804041708850003", name="Ani Rahmawati Putri")
    draft = application_create(
        actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    submitted = submit_complete(actor=applicant, application=draft)
    member = household_member_add(
        actor=applicant,
        relationship="child",
        data=PersonData(kind="citizen", full_name="Bima Uji", nik="1804041505150003"),
    )
    bill = application_bill_issue(actor=None, application=to_awaiting_payment(submitted))
    # the applicant's visit, in the first free session of the window
    load_schedule(current_models(), Office)
    slot = earliest_slot(office=submitted.office, kind=submitted.service_type.kind)
    booking = booking_create(
        actor=applicant, application=submitted, day=slot.day, session_code=slot.session.code
    )
    # someone else records Dewi's NIK (on file), and brings the e-KTP to Liwa
    claimant = UserFactory(email="claimant@example.test", role="applicant")
    applicant_identity_save(
        actor=claimant, data=PersonData(kind="citizen", full_name="Dewi Uji", nik=NIK)
    )
    claim = IdentityClaim.objects.get(account=claimant)
    identity_claim_office_choose(actor=claimant, public_id=claim.public_id, office_code="ulp-liwa")
    return {
        "application": submitted.public_id,
        "tracking_code": submitted.tracking_code,
        "applicant_token": token.public_id,
        "applicant_request": dsr.public_id,
        "document": document.public_id,
        "bill": bill.public_id,
        "identity_claim": claim.public_id,
        "booking": booking.public_id,
        "household_member": member.public_id,
    }


def _client(request, client_for, persona: str) -> Client:
    if persona == "anonymous":
        return Client()
    return client_for(request.getfixturevalue(persona))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=lambda v: v if isinstance(v, str) else None
)
@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_gets_exactly_what_the_matrix_says(
    request, client_for, world, persona, method, path, body, expected
):
    client = _client(request, client_for, persona)
    url = path.format(**world)
    payload = {
        "lookup": {"nik": NIK, "purpose": "Verifikasi berkas pemohon"},
        "office": {"office": "ulp-liwa"},
        "note": {"note": "e-KTP asli diperiksa di loket"},
    }.get(body)
    if method == "get":
        response = client.get(url)
    else:
        response = getattr(client, method)(url, payload, content_type="application/json")
    assert response.status_code == expected[persona], (persona, method, url, response.content[:300])
