"""Concurrent creates and submits through the API on PostgreSQL, each client
on its own connection (issue 13 F1 and F2).

F1: a submit used to lock the shared service-type and office rows
(``select_for_update`` with ``select_related`` and no ``of=``) while a
concurrent create held the audit-log head and needed those rows' key-share
lock at COMMIT: PostgreSQL found a deadlock and the client got a 500.
F2: two identical keyed submits at the same moment: the second used to run
the state check first and answer 409 ``not_a_draft``.
Web forms: two taps on "Save draft" with one form key make one draft.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from simi.accounts.services import api_token_create
from simi.accounts.tests.factories import UserFactory
from simi.applications.models import Application, Status
from simi.applications.tests.complete import DECLARED, complete_through_api
from simi.applications.tests.conftest import give_identity

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite runs one writer at a time, so nothing can deadlock",
    ),
]

API = "/api/v1"
CLIENTS = 6
ROUNDS = 8


def _applicant(n: int) -> dict[str, str]:
    user = UserFactory(email=f"concurrent{n}@example.test")
    give_identity(user, nik=f"18040417088501{n + 10:02d}", name=f"Serentak {n}")
    _, token = api_token_create(actor=user, name="phone", scopes=["profile"], days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}", "HTTP_ACCEPT_LANGUAGE": "en"}


def _post(
    client: Client, url: str, auth: dict[str, str], body: dict[str, Any], **extra: str
) -> Any:
    return client.post(url, data=json.dumps(body), content_type="application/json", **auth, **extra)


def test_concurrent_creates_and_submits_never_answer_500(catalogue):
    # given six applicants on their own connections, all applying at Liwa
    auths = [_applicant(n) for n in range(CLIENTS)]
    start = threading.Barrier(CLIENTS)

    def work(auth: dict[str, str]) -> Counter[int]:
        client = Client()
        seen: Counter[int] = Counter()
        try:
            start.wait()
            for _ in range(ROUNDS):
                # when each creates a draft and submits it, over and over at once
                made = _post(
                    client,
                    f"{API}/applications",
                    auth,
                    {"service": "passport-ordinary-5y", "office": "ulp-liwa"},
                )
                seen[made.status_code] += 1
                if made.status_code != 201:
                    continue
                app_id = made.json()["id"]
                complete_through_api(client, app_id, **auth)
                sent = _post(client, f"{API}/applications/{app_id}/submit", auth, DECLARED)
                seen[sent.status_code] += 1
            return seen
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        totals = sum(pool.map(work, auths), Counter())

    # then every request succeeded: no deadlock reached a client as a 500
    assert totals == Counter({201: CLIENTS * ROUNDS, 200: CLIENTS * ROUNDS})
    submitted = Application.objects.filter(status=Status.REGISTERED).count()
    assert submitted == CLIENTS * ROUNDS


def test_two_identical_keyed_submits_at_once_get_the_same_answer(catalogue):
    auth = _applicant(0)
    client = Client()
    racers = 4
    for _round in range(3):
        # given a draft
        made = _post(
            client,
            f"{API}/applications",
            auth,
            {"service": "passport-ordinary-5y", "office": "ulp-liwa"},
        )
        complete_through_api(client, made.json()["id"], **auth)
        url = f"{API}/applications/{made.json()['id']}/submit"
        key = str(uuid.uuid4())
        start = threading.Barrier(racers)

        def submit(
            _n: int, url: str = url, key: str = key, start: threading.Barrier = start
        ) -> tuple[int, Any]:
            try:
                start.wait()
                answer = _post(Client(), url, auth, DECLARED, HTTP_IDEMPOTENCY_KEY=key)
                return answer.status_code, answer.json()
            finally:
                connections.close_all()

        # when the app sends the same keyed submit four times at the same moment
        with ThreadPoolExecutor(max_workers=racers) as pool:
            answers = list(pool.map(submit, range(racers)))

        # then each is told the submission went through, with the same tracking code
        # (or, at worst, that it is still being processed) - never "not a draft"
        statuses = Counter(status for status, _body in answers)
        assert set(statuses) <= {200, 409}, answers
        assert statuses[200] >= 1
        for status, body in answers:
            if status == 409:
                assert body["error"]["code"] == "idempotency_in_progress"
        codes = {body["tracking_code"] for status, body in answers if status == 200}
        assert len(codes) == 1


def test_two_taps_at_once_with_the_same_form_key_make_one_draft(catalogue):
    # given an applicant's new-application form, signed in on two connections
    user = UserFactory(email="serentak-web@example.test")
    give_identity(user, nik="1804041708850199", name="Serentak Web")
    answer = {"service": "passport-ordinary-5y", "office": "ulp-liwa", "form_key": "t" * 32}
    start = threading.Barrier(2)

    def tap(_n: int) -> tuple[int, str]:
        client = Client()
        client.force_login(user)
        try:
            start.wait()
            response = client.post("/permohonan/baru/", answer)
            return response.status_code, response.get("Location", "")
        finally:
            connections.close_all()

    # when "Save draft" is tapped twice at the same moment
    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(tap, range(2)))

    # then one draft exists, and each tap lands on it (or, at worst, is told to wait)
    draft = Application.objects.get()
    landed = {location for status, location in answers if status == 302}
    assert landed == {f"/permohonan/{draft.public_id}/"}, answers
    assert all(status in (302, 409) for status, _location in answers), answers
