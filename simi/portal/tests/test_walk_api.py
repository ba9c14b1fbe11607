"""The citizen's whole journey through the API alone, as the mobile app walks
it: nothing but HTTP calls, bearer tokens and the mailed links' parts.

She registers, verifies her address, resets her password, signs in for a
token, enters her identity, applies, is refused submission while a document
is missing (and told which), uploads it, submits, books the earliest visit,
reads her bill, the bank pays it (its signed notification), the office
decides through the staff API, and she downloads her issued document and
reads why her daughter's application, made from the same account, was
refused. Each step asserts what the app would show.
"""

from __future__ import annotations

import io
import json
import re
import time
import uuid
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from simi.accounts.roles import Role
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import UserFactory
from simi.applications.tests.files import pdf_bytes
from simi.appointments.referencedata import current_models, load_schedule
from simi.core.models import Office
from simi.payments.channels import demo_channel_ensure, sign
from simi.payments.models import PaymentMethod
from simi.payments.referencedata import load_payment_methods

API = "/api/v1"
EMAIL = "rani@example.test"
FIRST_PASSWORD = "Kopi-Liwa-2026-pertama"
NEW_PASSWORD = "Kopi-Liwa-2026-kedua"
PASSPORT_DOCS = ("e-ktp", "kartu-keluarga", "civil-record")
# A child's passport: the parent's e-KTP and the parents' marriage certificate
# (data: simi/applications/data/guardian_documents.csv).
CHILD_DOCS = ("ktp-orang-tua", "kartu-keluarga", "akta-kelahiran", "akta-perkawinan-orang-tua")
CHILD_NIK = "1804045506200003"  # a girl born 15 June 2020


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def send(client: Client, method: str, url: str, body: Any = None, **headers: str) -> Any:
    headers.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return getattr(client, method)(
        API + url,
        data=json.dumps(body if body is not None else {}),
        content_type="application/json",
        **headers,
    )


def mailed(pattern: str) -> re.Match[str]:
    match = re.search(pattern, mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match


@pytest.fixture
def office_tokens(liwa: Office, kotabumi: Office) -> dict[str, dict[str, str]]:
    """The Liwa counter and the Kotabumi supervisor, each with a token of
    the scopes their steps need (what the back office's own set-up gives)."""
    officer = UserFactory(email="liwa.desk@example.test", role=Role.FRONT_DESK, office=liwa)
    chief = UserFactory(email="kota.kasi@example.test", role=Role.SUPERVISOR, office=kotabumi)
    tokens = {}
    for name, user, scope in (
        ("officer", officer, "applications:process"),
        ("chief", chief, "applications:decide"),
    ):
        _, plaintext = api_token_create(
            actor=user, name="desk", scopes=["profile", "staff:read", scope], days=1
        )
        tokens[name] = bearer(plaintext)
    return tokens


def new_application(client: Client, me: dict[str, str], member: str | None = None) -> str:
    created = send(
        client,
        "post",
        "/applications",
        {"service": "passport-ordinary-5y", "office": "ulp-liwa", "member": member},
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        **me,
    )
    assert created.status_code == 201, created.content
    app_id: str = created.json()["id"]
    details = send(
        client,
        "put",
        f"/applications/{app_id}/details",
        {"family_card_number": "1804041203150007"},
        **me,
    )
    assert details.status_code == 200, details.content
    return app_id


def upload(client: Client, me: dict[str, str], app_id: str, code: str) -> None:
    content = io.BytesIO(pdf_bytes(text=f"synthetic {code}"))
    content.name = f"{code}.pdf"
    response = client.post(
        f"{API}/applications/{app_id}/documents", {"requirement_code": code, "file": content}, **me
    )
    assert response.status_code == 201, response.content


def office_step(client: Client, token: dict[str, str], app_id: str, step: str, body: Any) -> Any:
    response = send(client, "post", f"/office/applications/{app_id}/{step}", body, **token)
    assert response.status_code == 200, (step, response.content)
    return response.json()


@pytest.mark.django_db(transaction=True)  # the real worker runs the mail jobs
def test_a_citizen_walks_the_whole_journey_through_the_api(
    client, catalogue, office_tokens, run_jobs
):
    load_schedule(current_models(), Office)
    load_payment_methods(PaymentMethod)  # reference data a transactional test may have lost

    # --- register (202 whether or not the address is known) and verify
    registered = send(
        client,
        "post",
        "/auth/register",
        {"email": EMAIL, "full_name": "Rani Uji Sintetis", "password": FIRST_PASSWORD},
    )
    assert registered.status_code == 202, registered.content
    run_jobs()
    token = mailed(r"/akun/verifikasi-email/([^/\s]+)/").group(1)
    verified = send(client, "post", "/auth/verify-email", {"token": token})
    assert verified.status_code == 200, verified.content

    # --- forgotten password: the mailed link's two parts set a new one
    asked = send(client, "post", "/auth/password-reset", {"email": EMAIL})
    assert asked.status_code == 202
    run_jobs()
    link = mailed(r"/akun/sandi-baru/([0-9a-f-]{36})/([^/\s]+)/")
    reset = send(
        client,
        "post",
        "/auth/password-reset/confirm",
        {"uid": link.group(1), "token": link.group(2), "password": NEW_PASSWORD},
    )
    assert reset.status_code == 200, reset.content
    old = send(
        client,
        "post",
        "/auth/tokens",
        {"email": EMAIL, "password": FIRST_PASSWORD, "name": "Phone"},
    )
    assert old.status_code == 401
    signed_in = send(
        client, "post", "/auth/tokens", {"email": EMAIL, "password": NEW_PASSWORD, "name": "Phone"}
    )
    assert signed_in.status_code == 201, signed_in.content
    me = bearer(signed_in.json()["token"])

    # --- identity: the NIK gives sex and birth date
    identity = send(
        client,
        "put",
        "/me/identity",
        {"kind": "citizen", "full_name": "Rani Uji Sintetis", "nik": "1804045708900001"},
        **me,
    )
    assert identity.status_code == 200, identity.content
    assert identity.json()["sex"] == "F"

    # --- apply: submission is refused while a document is missing, and says which
    passport = new_application(client, me)
    upload(client, me, passport, "e-ktp")
    upload(client, me, passport, "kartu-keluarga")
    refused = send(client, "post", f"/applications/{passport}/submit", {"declaration": True}, **me)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "application_incomplete"
    assert [item["item"] for item in error["missing"]] == ["civil-record"]
    upload(client, me, passport, "civil-record")
    submitted = send(
        client, "post", f"/applications/{passport}/submit", {"declaration": True}, **me
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "registered"

    # --- book the earliest free session
    week = client.get(
        f"{API}/appointments/slots?service=passport-ordinary-5y&office=ulp-liwa", **me
    ).json()
    earliest = week["earliest"]
    booked = send(
        client,
        "post",
        f"/applications/{passport}/appointment",
        {"date": earliest["date"], "session": earliest["session"]},
        **me,
    )
    assert booked.status_code == 201, booked.content
    booking = booked.json()["id"]
    proof = client.get(f"{API}/appointments/{booking}/proof", **me)
    assert proof.status_code == 200, proof.content
    ics = client.get(f"{API}/appointments/{booking}/calendar.ics", **me)
    assert ics["Content-Type"].startswith("text/calendar")

    # --- the counter verifies and interviews: the bill is issued
    officer, chief = office_tokens["officer"], office_tokens["chief"]
    office_step(client, officer, passport, "start-verification", {})
    office_step(client, officer, passport, "complete-verification", {})
    assert (
        office_step(client, officer, passport, "interview", {"biometrics_reference": "BIO-LIWA-9"})[
            "status"
        ]
        == "awaiting_payment"
    )

    # --- her bill, and the ways to pay it; the bank's signed notification pays it
    bills = client.get(f"{API}/bills", **me).json()["items"]
    assert len(bills) == 1
    assert bills[0]["payable"] is True
    bill = bills[0]
    methods = client.get(f"{API}/payment-methods", HTTP_ACCEPT_LANGUAGE="en").json()
    assert len(methods["items"] if isinstance(methods, dict) else methods) >= 5
    channel = demo_channel_ensure()
    body = json.dumps(
        {
            "billing_code": bill["billing_code"].replace(" ", ""),
            "amount": bill["amount"],
            "reference": "BANK-REF-RANI-1",
            "paid_at": "2026-01-01T09:00:00+07:00",
            "ntpn": "0A1B2C3D4E5F6G7H",
        }
    ).encode()
    stamp = str(int(time.time()))
    paid = client.post(
        f"{API}/payments/notifications",
        data=body,
        content_type="application/json",
        HTTP_X_SIMI_CHANNEL=channel.code,
        HTTP_X_SIMI_TIMESTAMP=stamp,
        HTTP_X_SIMI_SIGNATURE=sign(channel.secret or "", stamp, body),
    )
    assert paid.status_code == 200, paid.content
    receipt = client.get(f"{API}/bills/{bill['id']}", **me).json()
    assert receipt["ntpn"] == "0A1B2C3D4E5F6G7H"

    # --- approved and issued; she lists her documents and downloads the PDF
    office_step(client, chief, passport, "approve", {})
    office_step(client, chief, passport, "issue", {"document_number": "X1357924"})
    documents = client.get(f"{API}/issued-documents", **me).json()
    assert documents["count"] == 1
    document = documents["items"][0]
    assert document["status"] == "valid"
    assert document["seal"]
    pdf = client.get(document["pdf"], **me)
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    verdict = send(client, "post", "/verify", {"seal": document["seal"]})
    assert verdict.json()["status"] == "valid"

    # --- her daughter, from the same account: her own application, the parents' papers
    added = send(
        client,
        "post",
        "/household/members",
        {
            "kind": "citizen",
            "full_name": "Dewi Uji Sintetis",
            "nik": CHILD_NIK,
            "relationship": "child",
        },
        **me,
    )
    assert added.status_code == 201, added.content
    second = new_application(client, me, member=added.json()["id"])
    tasks = client.get(f"{API}/applications/{second}/tasks", **me).json()
    assert tasks["ready_to_submit"] is False
    assert {item["item"] for item in tasks["missing"]} == set(CHILD_DOCS)
    for code in CHILD_DOCS:
        upload(client, me, second, code)
    assert (
        send(
            client, "post", f"/applications/{second}/submit", {"declaration": True}, **me
        ).status_code
        == 200
    )
    office_step(client, officer, second, "start-verification", {})
    office_step(
        client, chief, second, "reject", {"reason": "documents_invalid", "note": "Staff-only note"}
    )
    decision = client.get(f"{API}/applications/{second}/decision", **me)
    assert decision.status_code == 200, decision.content
    refusal = decision.json()
    assert refusal["outcome"] == "refused"
    assert refusal["reason_label"] == "The documents are not valid or not genuine"
    assert refusal["legal_basis"] is not None
    assert refusal["next_steps"]
    assert "Staff-only note" not in decision.content.decode()
    letter = client.get(refusal["letter_pdf"], **me)
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf"

    # --- her list shows both, each with its own state and whose it is
    mine = client.get(f"{API}/applications", **me).json()
    assert sorted(item["status"] for item in mine["items"]) == ["issued", "rejected"]
    child = next(item for item in mine["items"] if item["id"] == second)
    assert child["member"] is not None
