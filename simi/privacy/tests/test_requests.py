"""Data-subject requests: the 3x24-hour clock, escalation, scoping, rate limit."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from freezegun import freeze_time

from simi.accounts.services import api_token_create
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, NotFound, RateLimited, ValidationFailed
from simi.privacy import selectors
from simi.privacy.clocks import PDP_RESPONSE_HOURS
from simi.privacy.models import DataSubjectRequest
from simi.privacy.services import (
    MAX_OPEN_REQUESTS,
    dsr_complete,
    dsr_escalate_overdue,
    dsr_reject,
    dsr_start,
)

pytestmark = pytest.mark.django_db


def _bearer(user):
    _row, token = api_token_create(actor=user, name="uji", scopes=["profile"], days=1)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_the_answer_is_due_3x24_hours_after_receipt(applicant, submit):
    # given a fixed moment
    with freeze_time("2026-03-02 09:15:00+07:00"):
        # when an applicant asks for a correction
        dsr = submit(applicant)
    # then the clock says 72 hours, with its legal basis in data
    assert PDP_RESPONSE_HOURS.hours == 72
    assert "UU 27/2022" in PDP_RESPONSE_HOURS.legal_basis
    assert dsr.due_at - dsr.received_at == timedelta(hours=72)
    assert dsr.status == DataSubjectRequest.Status.RECEIVED
    with freeze_time("2026-03-05 08:15:00+07:00"):
        assert dsr.hours_left() == 1
        assert not dsr.is_overdue


@pytest.mark.django_db(transaction=True)
def test_an_overdue_request_is_escalated_once_and_the_admins_are_told_once(
    applicant, admin_user, submit, django_capture_on_commit_callbacks, run_jobs
):
    # given a request received three days and one minute ago
    with freeze_time(timezone.now() - timedelta(hours=72, minutes=1)):
        dsr = submit(applicant)
    fresh = submit(applicant)
    # when the escalation runs twice
    with django_capture_on_commit_callbacks(execute=True):
        first = dsr_escalate_overdue()
    with django_capture_on_commit_callbacks(execute=True):
        second = dsr_escalate_overdue()
    # then one notification job was queued, with ids only
    (job,) = DBTaskResult.objects.filter(task_path__endswith="notify_overdue_requests")
    assert job.args_kwargs["args"] == [[str(dsr.public_id)]]
    run_jobs()  # the real worker, which gives the mail its job's Message-ID
    # and only the overdue request is escalated, once, and one mail went out
    assert first == [dsr.public_id]
    assert second == []
    dsr.refresh_from_db()
    fresh.refresh_from_db()
    assert dsr.escalated_at is not None
    assert fresh.escalated_at is None
    assert AuditEntry.objects.filter(action="privacy.request_escalated").count() == 1
    assert [m.to for m in mail.outbox] == [[admin_user.email]]
    assert mail.outbox[0].extra_headers["Message-ID"] == (
        f"<job.{job.pk}.{admin_user.public_id}@simi.invalid>"
    )
    assert str(dsr.public_id) in mail.outbox[0].body
    # no personal data in the mail: the details stay in SIMI
    assert "Alamat" not in mail.outbox[0].body


def test_finished_requests_are_never_escalated(applicant, admin_user, submit):
    with freeze_time(timezone.now() - timedelta(days=4)):
        dsr = submit(applicant)
        dsr_reject(actor=admin_user, public_id=dsr.public_id, reason="Data ini wajib disimpan.")
    assert dsr_escalate_overdue() == []


def test_an_applicant_cannot_see_anothers_request(client_for, applicant, other_applicant, submit):
    theirs = submit(other_applicant)
    with pytest.raises(NotFound):
        selectors.dsr_get_own(actor=applicant, public_id=theirs.public_id)
    client = client_for(applicant)
    assert client.get(f"/akun/data-pribadi/permintaan/{theirs.public_id}/").status_code == 404
    api = client.get(f"/api/v1/privacy/requests/{theirs.public_id}")
    assert api.status_code == 404
    assert api.json()["error"]["code"] == "not_found"
    listed = client.get("/api/v1/privacy/requests").json()
    assert listed["count"] == 0


def test_an_applicant_reads_their_own_request_through_the_api(client, applicant, submit):
    mine = submit(applicant)
    response = client.get(f"/api/v1/privacy/requests/{mine.public_id}", **_bearer(applicant))
    assert response.status_code == 200
    body = response.json()
    assert body["id"] == str(mine.public_id)
    assert body["details"] == mine.details


def test_the_details_are_stored_encrypted(applicant, submit):
    from django.db import connection

    dsr = submit(applicant, details="NIK saya 1804041708850003 salah ketik")
    with connection.cursor() as cursor:
        cursor.execute("SELECT details FROM privacy_datasubjectrequest WHERE id = %s", [dsr.pk])
        raw = cursor.fetchone()[0]
    assert raw.startswith("v1:")
    assert "1804041708850003" not in raw


def test_a_person_may_have_only_a_few_open_requests(applicant, submit):
    for _ in range(MAX_OPEN_REQUESTS):
        submit(applicant)
    with pytest.raises(RateLimited) as caught:
        submit(applicant)
    assert caught.value.code == "too_many_open_requests"
    # an access request is answered at once, so it is never refused for this
    assert submit(applicant, kind="access", details="").status == "completed"


def test_submitting_through_the_api_answers_201_and_bad_input_422(client, applicant):
    headers = _bearer(applicant)
    made = client.post(
        "/api/v1/privacy/requests",
        {"kind": "restriction", "details": "Tolong hentikan sementara."},
        content_type="application/json",
        **headers,
    )
    assert made.status_code == 201
    assert made.json()["status"] == "received"
    bad_kind = client.post(
        "/api/v1/privacy/requests",
        {"kind": "everything"},
        content_type="application/json",
        **headers,
    )
    assert bad_kind.status_code == 422
    assert "kind" in bad_kind.json()["error"]["fields"]
    too_long = client.post(
        "/api/v1/privacy/requests",
        {"kind": "correction", "details": "x" * 4001},
        content_type="application/json",
        **headers,
    )
    assert too_long.status_code == 422
    assert "details" in too_long.json()["error"]["fields"]


def test_the_page_shows_field_errors_for_bad_input(client_for, applicant):
    client = client_for(applicant)
    response = client.post("/akun/data-pribadi/", {"kind": "correction", "details": "x" * 4001})
    assert response.status_code == 422
    assert "field-error" in response.content.decode()
    response = client.post("/akun/data-pribadi/", {"kind": "nonsense"})
    assert response.status_code == 422
    assert not DataSubjectRequest.objects.exists()


def test_the_page_lists_own_requests_and_offers_the_download(client_for, applicant, submit):
    submit(applicant)
    page = client_for(applicant).get("/akun/data-pribadi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/akun/data-pribadi/unduh/" in html
    assert "data-pribadi/permintaan/" in html


def test_handlers_start_complete_and_reject_with_a_reason(applicant, admin_user, submit):
    dsr = submit(applicant)
    started = dsr_start(actor=admin_user, public_id=dsr.public_id)
    assert (started.status, started.handled_by) == ("in_progress", admin_user)
    with pytest.raises(ValidationFailed) as caught:
        dsr_complete(actor=admin_user, public_id=dsr.public_id, note="")
    assert "note" in caught.value.fields
    done = dsr_complete(
        actor=admin_user, public_id=dsr.public_id, note="Alamat diperbaiki di data induk."
    )
    assert done.status == "completed"
    assert done.completed_at is not None
    with pytest.raises(Conflict):
        dsr_reject(actor=admin_user, public_id=dsr.public_id, reason="Terlambat ditolak.")
    other = submit(applicant)
    with pytest.raises(ValidationFailed) as caught:
        dsr_reject(actor=admin_user, public_id=other.public_id, reason=" ")
    assert "reason" in caught.value.fields
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "privacy.request_started" in actions
    assert "privacy.request_completed" in actions
    entry = AuditEntry.objects.get(action="privacy.request_completed")
    assert "Alamat" not in str(entry.data)


def test_a_restriction_sets_the_flag(applicant, admin_user, submit):
    dsr = submit(applicant, kind="restriction", details="")
    done = dsr_complete(
        actor=admin_user, public_id=dsr.public_id, note="Pemrosesan dibatasi sejak hari ini."
    )
    assert done.processing_restricted is True


def test_the_staff_queue_shows_the_clock_and_overdue_requests(
    client_for, applicant, admin_user, submit
):
    with freeze_time(timezone.now() - timedelta(hours=80)):
        late = submit(applicant)
    submit(applicant)
    page = client_for(admin_user).get("/kantor/data-pribadi/")
    assert page.status_code == 200
    html = page.content.decode()
    assert str(late.public_id) in html
    assert 'class="overdue"' in html  # the overdue one is highlighted
    items = client_for(admin_user).get("/api/v1/privacy/queue").json()["items"]
    assert items[0]["id"] == str(late.public_id)
    assert items[0]["hours_left"] < 0 < items[1]["hours_left"]


def test_a_handler_acts_on_a_request_from_its_page(client_for, applicant, admin_user, submit):
    dsr = submit(applicant)
    client = client_for(admin_user)
    base = f"/kantor/data-pribadi/permintaan/{dsr.public_id}/"
    assert client.get(base).status_code == 200
    bad = client.post(base + "reject/", {"note": ""})
    assert bad.status_code == 422
    assert "field-error" in bad.content.decode()
    good = client.post(base + "reject/", {"note": "Data wajib disimpan menurut undang-undang."})
    assert good.status_code == 302
    dsr.refresh_from_db()
    assert dsr.status == "rejected"
    assert client.post(base + "explode/", {"note": "x"}).status_code == 404


@pytest.mark.parametrize("kind", [k.value for k in DataSubjectRequest.Kind])
def test_sending_any_request_from_the_web_form_works(client_for, applicant, kind):
    # given the signed-in applicant on her personal-data page (issue 14: this answered 500,
    # because the service was tested and the page was not)
    client = client_for(applicant)
    client.cookies["django_language"] = "en"
    # when she sends a request of any kind from the form
    sent = client.post(
        "/akun/data-pribadi/", {"kind": kind, "details": "Mohon diproses."}, follow=True
    )
    # then she is back on the page with a confirmation, and the request is on file
    assert sent.status_code == 200
    assert sent.redirect_chain == [("/akun/data-pribadi/", 302)]
    html = sent.content.decode()
    assert "Your copy is ready" in html or "We received your request" in html
    assert DataSubjectRequest.objects.get(applicant=applicant).kind == kind
