"""A foreigner applies for her first limited stay permit (ITAS) through the
API alone, as the mobile app would (its extension: test_itas_extension.py);
the office works it through the staff API; the bank pays through its signed
notification; the permit's seal verifies at POST /verify."""

from __future__ import annotations

import io
import json
import time
import uuid
from typing import Any

import pytest
from django.test import Client

from simi.accounts.roles import Role
from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import PASSWORD, UserFactory
from simi.applications.tests.files import pdf_bytes
from simi.payments.channels import demo_channel_ensure, sign

API = "/api/v1"
ITAS_DOCS = ("passport", "stay-permit", "sponsor-letter", "sponsor-identity")


def bearer(token: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def post(client: Client, url: str, body: dict[str, Any], auth: dict[str, str], **extra: str) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **extra)


@pytest.fixture
def staff_tokens(kotabumi: Any) -> dict[str, dict[str, str]]:
    officer = UserFactory(
        email="kota.officer@example.test",
        full_name="Kota Officer",
        role=Role.FRONT_DESK,
        office=kotabumi,
    )
    chief = UserFactory(
        email="kota.chief@example.test",
        full_name="Kota Chief",
        role=Role.SUPERVISOR,
        office=kotabumi,
    )
    tokens = {}
    for name, user in (("officer", officer), ("chief", chief)):
        # what each does in the walk: the counter processes, the chief decides
        scopes = ["profile", "staff:read", "people:lookup"]
        scopes += ["applications:process"] if name == "officer" else ["applications:decide"]
        _, plaintext = api_token_create(actor=user, name="desk", scopes=scopes, days=1)
        tokens[name] = bearer(plaintext)
    return tokens


def test_a_first_itas_walks_through_the_api_only(client, catalogue, staff_tokens):
    foreigner = UserFactory(email="mara@example.test", full_name="Mara Synthetic")
    # the app signs in and keeps a token
    response = post(
        client,
        f"{API}/auth/tokens",
        {"email": foreigner.email, "password": PASSWORD, "name": "Phone"},
        {},
    )
    assert response.status_code == 201, response.content
    me = bearer(response.json()["token"])
    # identity record (encrypted), then a draft for a one-year ITAS at Kotabumi
    response = client.put(
        f"{API}/me/identity",
        data=json.dumps(
            {
                "kind": "foreigner",
                "full_name": "Mara Testperson",
                "nationality": "NLD",
                "passport_number": "NX1234567",
                "sex": "F",
                "birth_date": "1990-04-02",
            }
        ),
        content_type="application/json",
        **me,
    )
    assert response.status_code == 200, response.content
    assert response.json()["passport_last4"] == "4567"
    key = {"HTTP_IDEMPOTENCY_KEY": str(uuid.uuid4())}
    created = post(
        client, f"{API}/applications", {"service": "itas-1y", "office": "kanim-kotabumi"}, me, **key
    )
    retried = post(
        client, f"{API}/applications", {"service": "itas-1y", "office": "kanim-kotabumi"}, me, **key
    )
    assert created.status_code == retried.status_code == 201
    assert created.json()["id"] == retried.json()["id"]
    app_id = created.json()["id"]
    # the guided form asks a stay permit's sponsor
    assert created.json()["details_missing"] == ["sponsor"]
    details = client.put(
        f"{API}/applications/{app_id}/details",
        data=json.dumps(
            {
                "sponsor_kind": "company",
                "sponsor_name": "PT Kopi Liwa Sintetis",
                "sponsor_contact": "+62 812-0000-1111",
            }
        ),
        content_type="application/json",
        **me,
    )
    assert details.status_code == 200, details.content
    assert details.json()["details_missing"] == []
    for code in ITAS_DOCS:
        upload = io.BytesIO(pdf_bytes(text=f"synthetic {code}"))
        upload.name = f"{code}.pdf"
        response = client.post(
            f"{API}/applications/{app_id}/documents",
            {"requirement_code": code, "file": upload},
            **me,
        )
        assert response.status_code == 201, response.content
    submitted = post(client, f"{API}/applications/{app_id}/submit", {"declaration": True}, me)
    assert submitted.status_code == 200
    tracking = submitted.json()["tracking_code"]

    # the office: queue, verification, interview (the bill is issued)
    officer, chief = staff_tokens["officer"], staff_tokens["chief"]
    queue = client.get(f"{API}/office/applications?queue=counter", **officer).json()
    assert [item["tracking_code"] for item in queue["items"]] == [tracking]
    assert queue["items"][0]["next_actions"] == ["start_verification"]
    for path, body in (
        ("start-verification", {}),
        ("complete-verification", {"note": "Sponsor letter checked"}),
        ("interview", {"biometrics_reference": "BIO-KTB-77"}),
    ):
        response = post(client, f"{API}/office/applications/{app_id}/{path}", body, officer)
        assert response.status_code == 200, (path, response.content)
    assert response.json()["status"] == "awaiting_payment"

    # the applicant sees the bill; the bank pays it with a signed notification
    bills = client.get(f"{API}/bills", **me).json()["items"]
    assert len(bills) == 1
    bill = bills[0]
    channel = demo_channel_ensure()
    body = json.dumps(
        {
            "billing_code": bill["billing_code"].replace(" ", ""),
            "amount": bill["amount"],
            "reference": "BANK-REF-0001",
            "paid_at": "2026-01-01T00:00:00+07:00",
        }
    ).encode()
    stamp = str(int(time.time()))
    headers = {
        "HTTP_X_SIMI_CHANNEL": channel.code,
        "HTTP_X_SIMI_TIMESTAMP": stamp,
        "HTTP_X_SIMI_SIGNATURE": sign(channel.secret or "", stamp, body),
    }
    for _ in range(2):  # the bank retries: one payment
        paid = client.post(
            f"{API}/payments/notifications", data=body, content_type="application/json", **headers
        )
        assert paid.status_code == 200, paid.content
    forged = dict(headers, HTTP_X_SIMI_SIGNATURE="0" * 64)
    assert (
        client.post(
            f"{API}/payments/notifications", data=body, content_type="application/json", **forged
        ).status_code
        == 401
    )

    # the supervisor approves and issues; the officer who verified could not
    refused = post(client, f"{API}/office/applications/{app_id}/approve", {}, officer)
    assert refused.status_code == 403
    for path in ("approve", "issue"):
        response = post(client, f"{API}/office/applications/{app_id}/{path}", {}, chief)
        assert response.status_code == 200, (path, response.content)
    detail = response.json()
    assert detail["status"] == "issued"
    document_id = detail["issued_document"]
    assert document_id

    # anyone can check the permit's seal; the public tracking shows the timeline
    from simi.issuance.models import IssuedDocument
    from simi.issuance.printing import document_seal_text

    seal = document_seal_text(IssuedDocument.objects.get(public_id=document_id))
    verdict = post(client, f"{API}/verify", {"seal": seal}, {})
    assert verdict.status_code == 200, verdict.content
    assert verdict.json()["status"] == "valid"
    from simi.oversight.models import StayPermit

    permit = StayPermit.objects.get(issued_document_id=document_id)
    assert permit.kind == "itas"
    track = client.get(f"{API}/track/{tracking}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert track["status"] == "issued"
    assert track["holder_initials"] == "M. T."
    assert [step["status"] for step in track["timeline"]][-1] == "issued"
