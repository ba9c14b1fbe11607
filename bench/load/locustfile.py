"""Locust scenario for SIMI (bench/load_bench.py starts it against a real
gunicorn + PostgreSQL office): the public, applicants and the office.

Accounts and a seal come from the JSON file named by SIMI_LOAD_ACCOUNTS,
which the bench writes: {"applicants": [token...], "staff": [token...],
"tracking": [code...], "seals": [text...]}. Each simulated person sends its
own X-Forwarded-For (a phone behind the office's proxy), so per-address
limits apply per person as they would in production.
"""

from __future__ import annotations

import io
import itertools
import json
import os
import random
import uuid

from locust import HttpUser, between, task

ACCOUNTS = json.loads(open(os.environ["SIMI_LOAD_ACCOUNTS"]).read())  # noqa: SIM115
_applicants = itertools.cycle(ACCOUNTS["applicants"])
_staff = itertools.cycle(ACCOUNTS["staff"])
_addresses = itertools.count(1)
PDF = open(os.environ["SIMI_LOAD_PDF"], "rb").read()  # noqa: SIM115
# What the passport service requires before submission (its mandatory documents).
PASSPORT_DOCUMENTS = ("e-ktp", "kartu-keluarga", "civil-record")
FAMILY_CARD = "1804041203150007"  # synthetic; 18 is Lampung's province code


def _address() -> str:
    n = next(_addresses)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


class Visitor(HttpUser):
    """Someone without an account: the catalogue, tracking and verification."""

    weight = 5
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.client.headers.update({"X-Forwarded-For": _address(), "Accept-Language": "id"})

    @task(4)
    def track(self) -> None:
        code = random.choice(ACCOUNTS["tracking"])
        self.client.get(f"/api/v1/track/{code}", name="GET /api/v1/track/{code}")

    @task(3)
    def catalogue(self) -> None:
        self.client.get("/api/v1/services", name="GET /api/v1/services")

    @task(1)
    def catalogue_page(self) -> None:
        self.client.get("/layanan/", name="GET /layanan/")

    @task(1)
    def verify(self) -> None:
        seal = random.choice(ACCOUNTS["seals"])
        self.client.post("/api/v1/verify", json={"seal": seal}, name="POST /api/v1/verify")


class Applicant(HttpUser):
    """A citizen with the app: the dashboard, a new application, an upload, submit."""

    weight = 3
    wait_time = between(2, 5)

    def on_start(self) -> None:
        self.client.headers.update(
            {
                "Authorization": f"Bearer {next(_applicants)}",
                "X-Forwarded-For": _address(),
                "Accept-Language": "id",
            }
        )

    @task(4)
    def dashboard(self) -> None:
        self.client.get("/api/v1/applications?limit=20", name="GET /api/v1/applications")

    @task(1)
    def apply(self) -> None:
        made = self.client.post(
            "/api/v1/applications",
            json={"service": "passport-ordinary-5y", "office": "ulp-liwa"},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="POST /api/v1/applications",
        )
        if made.status_code != 201:
            return
        app_id = made.json()["id"]
        # a passport draft is submitted complete: the family card number and
        # a scan of each mandatory document
        self.client.put(
            f"/api/v1/applications/{app_id}/details",
            json={"family_card_number": FAMILY_CARD},
            name="PUT /api/v1/applications/{id}/details",
        )
        for code in PASSPORT_DOCUMENTS:
            self.client.post(
                f"/api/v1/applications/{app_id}/documents",
                data={"requirement_code": code},
                files={"file": (f"{code}.pdf", io.BytesIO(PDF), "application/pdf")},
                name="POST /api/v1/applications/{id}/documents",
            )
        self.client.post(
            f"/api/v1/applications/{app_id}/submit",
            json={"declaration": True},
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="POST /api/v1/applications/{id}/submit",
        )


class Officer(HttpUser):
    """The counter: the office queue and one application in it."""

    weight = 1
    wait_time = between(2, 6)

    def on_start(self) -> None:
        self.client.headers.update(
            {"Authorization": f"Bearer {next(_staff)}", "X-Forwarded-For": _address()}
        )

    @task
    def queue(self) -> None:
        listed = self.client.get(
            "/api/v1/office/applications?limit=20", name="GET /api/v1/office/applications"
        )
        if listed.status_code == 200 and listed.json().get("items"):
            first = listed.json()["items"][0]["id"]
            self.client.get(
                f"/api/v1/office/applications/{first}", name="GET /api/v1/office/applications/{id}"
            )
