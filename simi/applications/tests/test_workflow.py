"""The officer workflow: every step checked (role, office, state, four eyes),
timed, reasoned, audited; bills, documents, deadlines and collection."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.utils import timezone
from freezegun import freeze_time

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.accounts.tests.factories import UserFactory
from simi.applications import workflow
from simi.applications.documents import document_upload
from simi.applications.models import (
    Application,
    ApplicationEvent,
    DocumentRequest,
    EventNote,
    Status,
)
from simi.applications.services import (
    application_create,
    application_details_save,
)
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.files import pdf_bytes, png_bytes
from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from simi.issuance.printing import document_seal_text
from simi.issuance.verification import seal_verify
from simi.notifications.delivery import notification_deliver
from simi.notifications.models import Notification
from simi.payments.models import Bill
from simi.people.services import PersonData, person_create

PASSPORT_DOCS = ("e-ktp", "kartu-keluarga", "civil-record")
FAMILY_CARD = "1804041203150007"


@pytest.fixture
def citizen(applicant: Any, catalogue: None) -> Any:
    applicant.person = person_create(
        actor=None,
        data=PersonData(
            kind="citizen",
            full_name="Ani Rahmawati Putri",
            nik="1804041708850003",
            birth_date=date(1985, 8, 17),
            sex="F",
            address="Pekon Uji (synthetic)",
        ),
    )
    applicant.save(update_fields=["person"])
    return applicant


@pytest.fixture
def registered(citizen: Any) -> Application:
    draft = application_create(
        actor=citizen, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    return submit_complete(actor=citizen, application=draft)


def upload_all(actor: User, app: Application, codes: tuple[str, ...] = PASSPORT_DOCS) -> None:
    """The scans and the family card number a passport application needs."""
    application_details_save(actor=actor, application=app, family_card_number=FAMILY_CARD)
    for index, code in enumerate(codes):
        content = pdf_bytes(text=f"synthetic {code} {index}")
        document_upload(actor=actor, application=app, requirement_code=code, content=content)


def pay(app: Application) -> Bill:
    bill = Bill.objects.get(reference=str(app.public_id), status="unpaid")
    call_command("simulate_payment", bill.billing_code)
    return bill


def to_paid(app: Application, *, verifier: Any) -> Application:
    upload_all(app.applicant, app)
    workflow.start_verification(actor=verifier, application=app)
    workflow.complete_verification(actor=verifier, application=app)
    workflow.record_interview(actor=verifier, application=app, biometrics_reference="BIO-0001")
    pay(app)
    app.refresh_from_db()
    return app


def test_a_passport_goes_from_registration_to_collection_with_a_verifiable_seal(
    registered, citizen, officer, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        app = to_paid(registered, verifier=officer)
        assert app.status == Status.PAID
        assert app.verified_by == officer
        workflow.approve(actor=supervisor, application=app, note="All in order")
        workflow.issue(actor=supervisor, application=app, document_number="x 1234567")
        app.refresh_from_db()
        assert app.status == Status.ISSUED
        workflow.collect(actor=officer, application=app)
    app.refresh_from_db()
    assert app.status == Status.COLLECTED
    document = app.issued_document
    # the passport carries a TD3 MRZ with the holder's name and the booklet number
    assert document.number == "X1234567"
    assert document.mrz_line1.startswith("P<IDNPUTRI<<ANI<RAHMAWATI")
    assert document.mrz_line2.startswith("X1234567")
    # five years of validity from today, and a seal anyone can verify
    assert document.valid_until.year == timezone.localdate().year + 5
    verdict = seal_verify(document_seal_text(document))
    assert verdict.status == "valid"
    # the public timeline names every step by role, never by person
    notes = list(app.events.values_list("note", flat=True))
    assert notes == [
        EventNote.CREATED,
        EventNote.SUBMITTED,
        EventNote.VERIFICATION_STARTED,
        EventNote.VERIFIED,
        EventNote.INTERVIEWED,
        EventNote.PAID,
        EventNote.APPROVED,
        EventNote.ISSUED,
        EventNote.COLLECTED,
    ]
    actions = set(
        AuditEntry.objects.filter(object_id=str(app.public_id)).values_list("action", flat=True)
    )
    assert {"applications.verified", "applications.approved", "applications.issued"} <= actions
    # the applicant hears of the bill, the decision and the collection, once each
    for notification in Notification.objects.filter(recipient=citizen):
        notification_deliver(notification_id=notification.pk)
        notification_deliver(notification_id=notification.pk)  # a retried job: no second mail
    events = sorted(Notification.objects.filter(recipient=citizen).values_list("event", flat=True))
    for event in ("bill_issued", "decision_approved", "ready_for_collection"):
        assert events.count(event) == 1, events
    assert len(mail.outbox) == Notification.objects.filter(recipient=citizen).count()
    assert app.tracking_code_display in " ".join(message.body for message in mail.outbox)


def test_the_verifier_may_not_approve_and_the_database_agrees(registered, supervisor):
    app = to_paid(registered, verifier=supervisor)
    with pytest.raises(PermissionDenied) as refused:
        workflow.approve(actor=supervisor, application=app)
    assert refused.value.code == "segregation_of_duties"
    assert not workflow.may(supervisor, app, "approve")
    # even a direct write cannot put the verifier's name on the decision
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=app.pk).update(
            status=Status.APPROVED, decided_by=supervisor, decided_at=timezone.now()
        )


def test_steps_out_of_order_or_by_the_wrong_role_are_refused(registered, officer, supervisor):
    with pytest.raises(Conflict) as wrong_state:
        workflow.approve(actor=supervisor, application=registered)
    assert wrong_state.value.code == "invalid_transition"
    workflow.start_verification(actor=officer, application=registered)
    upload_all(registered.applicant, registered)
    workflow.complete_verification(actor=officer, application=registered)
    workflow.record_interview(actor=officer, application=registered, biometrics_reference="B-1")
    pay(registered)
    with pytest.raises(PermissionDenied) as front_desk:
        workflow.approve(actor=officer, application=registered)
    assert front_desk.value.code == "workflow_not_allowed"


def test_staff_of_another_office_cannot_see_or_move_the_application(registered, outsider):
    with pytest.raises(NotFound):
        workflow.start_verification(actor=outsider, application=registered)
    registered.refresh_from_db()
    assert registered.status == Status.REGISTERED


def test_verification_cannot_complete_while_a_required_document_is_missing(registered, officer):
    # given an application whose family card file is gone (submitted before
    # submission required every document)
    registered.documents.filter(requirement_code="kartu-keluarga").delete()
    workflow.start_verification(actor=officer, application=registered)
    with pytest.raises(Conflict) as incomplete:
        workflow.complete_verification(actor=officer, application=registered)
    assert incomplete.value.code == "documents_incomplete"
    assert "kartu-keluarga" in str(incomplete.value.message)


def test_more_documents_round_trip_with_a_deadline(registered, officer):
    workflow.start_verification(actor=officer, application=registered)
    request = workflow.request_documents(
        actor=officer,
        application=registered,
        requirement_codes=["kartu-keluarga"],
        message="The family card is unreadable; please scan it again.",
        working_days=7,
    )
    registered.refresh_from_db()
    assert registered.status == Status.MORE_DOCUMENTS_REQUESTED
    assert registered.documents_due_date == request.due_date
    assert request.due_date > timezone.localdate()
    applicant = registered.applicant
    # saying "sent" before uploading is refused with the missing document named
    with pytest.raises(ValidationFailed) as early:
        workflow.documents_sent(actor=applicant, application=registered)
    assert "kartu-keluarga" in str(early.value.fields["documents"][0])
    document_upload(
        actor=applicant,
        application=registered,
        requirement_code="kartu-keluarga",
        content=png_bytes(),
    )
    workflow.documents_sent(actor=applicant, application=registered)
    registered.refresh_from_db()
    request.refresh_from_db()
    assert registered.status == Status.VERIFYING
    assert request.state == DocumentRequest.State.ANSWERED


def test_an_unanswered_request_cancels_the_application_after_the_deadline_once(registered, officer):
    workflow.start_verification(actor=officer, application=registered)
    request = workflow.request_documents(
        actor=officer,
        application=registered,
        requirement_codes=["e-ktp"],
        message="Please upload your e-KTP.",
        working_days=7,
    )
    assert workflow.cancel_overdue_document_requests(today=request.due_date) == []
    day_after = request.due_date + timedelta(days=1)
    assert workflow.cancel_overdue_document_requests(today=day_after) == [str(registered.public_id)]
    assert workflow.cancel_overdue_document_requests(today=day_after) == []
    registered.refresh_from_db()
    assert registered.status == Status.CANCELLED
    assert registered.events.last().note == EventNote.CANCELLED_DOCUMENTS_OVERDUE


def test_a_document_not_collected_in_30_days_is_withdrawn_and_the_seal_says_revoked(
    registered, officer, supervisor
):
    app = to_paid(registered, verifier=officer)
    workflow.approve(actor=supervisor, application=app)
    workflow.issue(actor=supervisor, application=app, document_number="X7654321")
    app.refresh_from_db()
    issued_at = app.issued_at
    assert workflow.cancel_uncollected(now=issued_at + timedelta(days=29)) == []
    assert workflow.cancel_uncollected(now=issued_at + timedelta(days=31)) == [str(app.public_id)]
    assert workflow.cancel_uncollected(now=issued_at + timedelta(days=32)) == []
    app.refresh_from_db()
    assert app.status == Status.CANCELLED
    assert seal_verify(document_seal_text(app.issued_document)).status == "revoked"


def test_refusal_needs_a_reason_and_grounds_and_tells_the_applicant(
    registered, officer, supervisor
):
    workflow.start_verification(actor=officer, application=registered)
    with pytest.raises(ValidationFailed):
        workflow.reject(actor=supervisor, application=registered, reason="not_eligible", note="")
    with pytest.raises(ValidationFailed):
        workflow.reject(actor=supervisor, application=registered, reason="whim", note="x")
    workflow.reject(
        actor=supervisor,
        application=registered,
        reason="not_eligible",
        note="Applicant already holds a valid passport (synthetic case).",
    )
    registered.refresh_from_db()
    assert registered.status == Status.REJECTED
    assert registered.reject_reason == "not_eligible"
    event = registered.events.last()
    assert event.staff_note.startswith("Applicant already holds")
    assert event.actor == supervisor


def test_an_unpaid_passport_bill_cancels_the_application_when_it_expires(registered, officer):
    upload_all(registered.applicant, registered)
    workflow.start_verification(actor=officer, application=registered)
    workflow.complete_verification(actor=officer, application=registered)
    workflow.record_interview(actor=officer, application=registered, biometrics_reference="B-2")
    bill = Bill.objects.get(reference=str(registered.public_id))
    assert bill.amount == registered.fee_total_at_submit == 350_000
    from simi.payments.services import bills_expire_due

    bills_expire_due(now=bill.expires_at + timedelta(minutes=1))
    registered.refresh_from_db()
    assert registered.status == Status.CANCELLED
    assert registered.events.last().note == EventNote.CANCELLED_UNPAID


def test_sla_queue_lists_past_due_and_nearly_due_applications(registered, supervisor, officer):
    due = registered.sla_due_date
    assert list(
        Application.objects.filter(pk=registered.pk).values_list("sla_working_days", flat=True)
    ) == [4]
    from simi.applications.selectors import applications_for_staff

    def codes(**filters: Any) -> list[str]:
        return [app.tracking_code for app in applications_for_staff(actor=supervisor, **filters)]

    assert codes(sla="breached", today=due) == []
    assert codes(sla="breached", today=due + timedelta(days=1)) == [registered.tracking_code]
    assert codes(sla="near", today=due) == [registered.tracking_code]
    # the officer of the service point sees it too; nobody sees drafts
    assert [a.pk for a in applications_for_staff(actor=officer)] == [registered.pk]


@freeze_time("2026-12-23 09:00:00+07:00")
def test_sla_due_date_skips_christmas_and_the_weekend(citizen):
    draft = application_create(
        actor=citizen, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    app = submit_complete(actor=citizen, application=draft)
    # 4 working days from Wed 23 Dec 2026: 24 Dec is cuti bersama, 25 Dec Christmas,
    # 26-27 the weekend -> 28, 29, 30, 31 Dec
    assert app.sla_due_date == date(2026, 12, 31)


def test_segregation_rule_is_per_person_not_per_role(registered, supervisor, kotabumi):
    other_supervisor = UserFactory(
        email="sari@example.test",
        full_name="Sari Supervisor",
        role=Role.SUPERVISOR,
        office=kotabumi,
    )
    app = to_paid(registered, verifier=supervisor)
    workflow.approve(actor=other_supervisor, application=app)
    app.refresh_from_db()
    assert app.status == Status.APPROVED
    assert ApplicationEvent.objects.filter(application=app, note=EventNote.APPROVED).count() == 1


def test_the_applicants_dashboard_lists_the_bill_to_pay(registered, officer, client_for):
    upload_all(registered.applicant, registered)
    workflow.start_verification(actor=officer, application=registered)
    workflow.complete_verification(actor=officer, application=registered)
    workflow.record_interview(actor=officer, application=registered, biometrics_reference="B-9")
    bill = Bill.objects.get(reference=str(registered.public_id))
    client = client_for(registered.applicant)
    client.cookies["django_language"] = "en"
    page = client.get("/permohonan/").content.decode()
    assert "Bills to pay" in page
    assert bill.billing_code_display in page
    assert registered.tracking_code_display in page


def test_the_queue_looks_up_the_office_scope_once_not_per_row(
    citizen, officer, client_for, django_assert_max_num_queries
):
    for _ in range(6):
        draft = application_create(
            actor=citizen, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        )
        submit_complete(actor=citizen, application=draft)
    client = client_for(officer)
    client.get("/api/v1/office/applications")  # warm the session and the schema
    with django_assert_max_num_queries(12):
        body = client.get("/api/v1/office/applications").json()
    assert body["count"] == 6
    assert {tuple(item["next_actions"]) for item in body["items"]} == {("start_verification",)}


def test_the_officer_sees_the_bill_on_the_application(registered, officer, client_for):
    upload_all(registered.applicant, registered)
    workflow.start_verification(actor=officer, application=registered)
    workflow.complete_verification(actor=officer, application=registered)
    workflow.record_interview(actor=officer, application=registered, biometrics_reference="B-7")
    bill = Bill.objects.get(reference=str(registered.public_id))
    page = client_for(officer).get(f"/kantor/permohonan/{registered.public_id}/").content.decode()
    assert bill.billing_code_display in page
    assert "350.000" in page
