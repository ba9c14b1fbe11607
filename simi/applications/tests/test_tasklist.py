"""The draft's task list (GOV.UK "complete multiple tasks"): the page, the
API's ``GET .../tasks`` and the submission's refusal say the same thing."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from simi.accounts.services import api_token_create
from simi.applications.tests.complete import DECLARED, complete_draft
from simi.applications.tests.conftest import API, post_json
from simi.appointments.referencedata import current_models, load_schedule
from simi.appointments.selectors import earliest_slot
from simi.appointments.services import booking_create
from simi.core.models import Office

pytestmark = pytest.mark.django_db


def task_rows(html: str) -> dict[str, str]:
    """Each task of the page by its code -> its status text."""
    rows = re.findall(r'data-task="(\w+)">(.*?)</li>', html, flags=re.S)
    found = {}
    for code, body in rows:
        status = re.search(r'class="task-status"[^>]*>(.*?)</div>', body, flags=re.S)
        assert status is not None
        found[code] = re.sub(r"<[^>]+>", "", status.group(1)).strip()
    return found


def test_it_lists_the_drafts_tasks_with_their_status_in_indonesian(ani, draft, client_for):
    # given Ani's new passport draft, with nothing uploaded yet
    client = client_for(ani)
    # when she opens it (Indonesian is the default language)
    response = client.get(f"/permohonan/{draft.public_id}/")
    # then the task list says what is done, what is left and what waits
    assert response.status_code == 200
    html = response.content.decode()
    assert "Permohonan Anda, tugas demi tugas" in html
    assert task_rows(html) == {
        "identity": "Selesai",
        "details": "Belum selesai",
        "documents": "Belum selesai",
        "visit": "Belum dapat dimulai",
        "declaration": "Belum dapat dimulai",
    }
    assert "Anda telah menyelesaikan 1 dari 5 tugas." in html
    assert "Anda memesan kunjungan setelah mengajukan permohonan." in html


def task_section(html: str) -> str:
    return html.split('id="tasks"')[1].split("</section>")[0]


def english(client: Client) -> Client:
    client.cookies["django_language"] = "en"
    return client


def test_it_links_each_task_to_where_it_is_done_in_english(ani, draft, client_for):
    # given Ani's passport draft, and English chosen
    client = english(client_for(ani))
    page = f"/permohonan/{draft.public_id}/"
    # when she opens it
    html = client.get(page).content.decode()
    # then each task she can do now links to its place; those that wait do not
    assert task_rows(html) == {
        "identity": "Completed",
        "details": "Incomplete",
        "documents": "Incomplete",
        "visit": "Cannot start yet",
        "declaration": "Cannot start yet",
    }
    assert 'href="/akun/identitas/"' in html
    assert f'href="{page}#details-title"' in html
    assert f'href="{page}#documents"' in html
    assert f'href="/permohonan/{draft.public_id}/periksa/"' not in task_section(html)
    # when every detail and document is given
    complete_draft(actor=ani, application=draft)
    html = client.get(page).content.decode()
    # then only the check and the declaration are left, and it links there
    assert task_rows(html) == {
        "identity": "Completed",
        "details": "Completed",
        "documents": "Completed",
        "visit": "Cannot start yet",
        "declaration": "Incomplete",
    }
    assert f'href="/permohonan/{draft.public_id}/periksa/"' in html
    assert "You have completed 3 of 5 tasks." in html


def test_it_shows_no_task_list_once_the_application_is_submitted(ani, submitted, client_for):
    # given Ani's submitted application
    # when she opens it
    html = client_for(ani).get(f"/permohonan/{submitted.public_id}/").content.decode()
    # then the status stepper speaks, not the task list
    assert 'id="tasks"' not in html
    assert 'class="stepper"' in html


def test_the_api_lists_the_same_missing_items_as_the_submit_refusal(ani, draft, client_for):
    # given Ani's draft without documents or family card number
    client = english(client_for(ani))
    # when her app asks for the tasks, then tries to submit
    tasks = client.get(f"{API}/applications/{draft.public_id}/tasks")
    refused = post_json(client, f"{API}/applications/{draft.public_id}/submit", DECLARED)
    # then the tasks' missing items are exactly what the refusal lists
    assert tasks.status_code == 200
    assert refused.status_code == 409
    body = tasks.json()
    assert body["missing"] == refused.json()["error"]["missing"]
    assert [item["item"] for item in body["missing"]] == [
        "family_card_number",
        "e-ktp",
        "kartu-keluarga",
        "civil-record",
    ]
    assert body["ready_to_submit"] is False
    statuses = {task["task"]: (task["status"], task["status_label"]) for task in body["tasks"]}
    assert statuses == {
        "identity": ("completed", "Completed"),
        "details": ("incomplete", "Incomplete"),
        "documents": ("incomplete", "Incomplete"),
        "visit": ("cannot_start", "Cannot start yet"),
        "declaration": ("cannot_start", "Cannot start yet"),
    }
    assert body["tasks"][2]["href"] == f"/permohonan/{draft.public_id}/#documents"


def test_the_api_says_a_complete_draft_is_ready_in_indonesian(ani, draft, client_for):
    # given a complete draft
    complete_draft(actor=ani, application=draft)
    # when the app asks, in the default language
    body = client_for(ani).get(f"{API}/applications/{draft.public_id}/tasks").json()
    # then nothing is missing and the declaration is the task left
    assert body["missing"] == []
    assert body["ready_to_submit"] is True
    declaration = body["tasks"][-1]
    assert (declaration["task"], declaration["status"]) == ("declaration", "incomplete")
    assert declaration["status_label"] == "Belum selesai"
    assert declaration["href"] == f"/permohonan/{draft.public_id}/periksa/"


def test_the_api_says_when_a_submitted_applications_visit_is_booked(ani, submitted, client_for):
    # given Ani's submitted application without a visit
    client = client_for(ani)
    url = f"{API}/applications/{submitted.public_id}/tasks"
    visit = client.get(url).json()["tasks"][3]
    # then booking the visit is the task left, linked to the booking page
    assert (visit["task"], visit["status"]) == ("visit", "incomplete")
    assert visit["href"] == f"/janji-temu/permohonan/{submitted.public_id}/"
    # when she books it
    load_schedule(current_models(), Office)
    slot = earliest_slot(office=submitted.office, kind=submitted.service_type.kind)
    assert slot is not None
    booking_create(actor=ani, application=submitted, day=slot.day, session_code=slot.session.code)
    body = client.get(url).json()
    # then every task is completed and nothing is missing
    assert [task["status"] for task in body["tasks"]] == ["completed"] * 5
    assert body["missing"] == []
    assert body["ready_to_submit"] is False


def test_someone_elses_application_has_no_tasks(ani, budi, draft, client_for):
    # given Ani's draft
    # when Budi asks for its tasks, or its page
    other = client_for(budi)
    # then it does not exist for him
    assert other.get(f"{API}/applications/{draft.public_id}/tasks").status_code == 404
    assert other.get(f"/permohonan/{draft.public_id}/").status_code == 404
    # and without signing in the API asks for it
    assert Client().get(f"{API}/applications/{draft.public_id}/tasks").status_code == 401


def test_a_token_without_the_profile_scope_gets_no_tasks(ani, officer, draft):
    # given a staff token that has no profile scope
    _token, secret = api_token_create(actor=officer, name="desk", scopes=["staff:read"], days=5)
    phone = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    # when it asks for a draft's tasks
    response = phone.get(f"{API}/applications/{draft.public_id}/tasks")
    # then the scope is refused before anything is read
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "scope_missing"
