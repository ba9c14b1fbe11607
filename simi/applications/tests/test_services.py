"""Application services: create, submit (fee and SLA fixed), cancel, ownership."""

from datetime import date

import pytest
from django.utils import translation
from freezegun import freeze_time

from simi.applications.models import Application, ApplicationEvent, Status
from simi.applications.services import (
    application_cancel,
    application_create,
    application_submit,
)
from simi.applications.tests.complete import submit_complete
from simi.audit.models import AuditEntry
from simi.catalog.models import ServiceType
from simi.catalog.selectors import fee_in_force
from simi.catalog.services import fee_schedule_change
from simi.core import trackingcodes
from simi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from simi.core.workdays import WorkingCalendar

pytestmark = pytest.mark.django_db


def test_a_citizen_with_identity_data_starts_a_draft_at_liwa(ani, liwa):
    # when Ani starts an ordinary passport application at Liwa
    app = application_create(actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa")
    # then a draft exists for her identity, with no code, fee or clock yet
    assert app.status == Status.DRAFT
    assert app.person == ani.person
    assert app.office == liwa
    assert app.tracking_code is None
    assert app.fee_total_at_submit is None
    assert [e.note for e in app.events.all()] == ["created"]
    entry = AuditEntry.objects.get(action="applications.created")
    assert entry.data == {"service": "passport-ordinary-5y", "office": "ulp-liwa"}


def test_without_identity_data_the_applicant_is_asked_to_enter_it_first(applicant, catalogue):
    # given an applicant who has not entered identity data
    # when she applies
    with translation.override("en"), pytest.raises(ValidationFailed) as caught:
        application_create(
            actor=applicant, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        )
    # then the error names the person field and says what to do
    assert caught.value.code == "identity_missing"
    with translation.override("en"):
        assert "identity data first" in str(caught.value.fields["person"][0])


def test_a_service_not_offered_at_the_office_is_refused(ani):
    with pytest.raises(ValidationFailed) as caught:
        application_create(actor=ani, service_code="itk-30d", office_code="ulp-liwa")
    assert "office" in caught.value.fields


def test_a_citizen_cannot_apply_for_a_service_for_foreigners(ani):
    with pytest.raises(ValidationFailed) as caught:
        application_create(actor=ani, service_code="itk-30d", office_code="kanim-kotabumi")
    assert caught.value.code == "service_not_for_applicant"


def test_unknown_and_inactive_services_and_offices_are_field_errors(ani):
    ServiceType.objects.filter(code="passport-ordinary-10y").update(is_active=False)
    for service, office, field in [
        ("nope", "ulp-liwa", "service"),
        ("passport-ordinary-10y", "ulp-liwa", "service"),
        ("passport-ordinary-5y", "kanim-nowhere", "office"),
    ]:
        with pytest.raises(ValidationFailed) as caught:
            application_create(actor=ani, service_code=service, office_code=office)
        assert field in caught.value.fields


def test_staff_cannot_apply(officer, catalogue):
    with pytest.raises(PermissionDenied):
        application_create(
            actor=officer, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        )


def test_submitting_fixes_fee_sla_and_tracking_code(ani, draft):
    # when Ani submits her draft
    app = submit_complete(actor=ani, application=draft)
    # then the fee in force, the 4-day standard and a valid tracking code are kept
    assert app.status == Status.REGISTERED
    assert app.fee_total_at_submit == 350_000
    assert app.sla_working_days == 4
    assert trackingcodes.normalize(app.tracking_code) == app.tracking_code
    assert app.sla_due_date == WorkingCalendar(app.office).sla_due_date(app.submitted_at, 4)
    steps = list(app.events.values_list("status_from", "status_to", "actor_role"))
    assert steps[-1] == ("draft", "registered", "applicant")
    assert AuditEntry.objects.filter(action="applications.submitted").count() == 1


def test_a_draft_cannot_be_submitted_twice(ani, submitted):
    with pytest.raises(Conflict) as caught:
        application_submit(actor=ani, application=submitted, declared=True)
    assert caught.value.code == "not_a_draft"


def test_the_fee_at_submission_is_kept_after_a_later_fee_change(ani, draft, admin_user):
    # given Ani submitted on 1 July 2026 at the fee then in force
    with freeze_time("2026-07-01 09:00:00+07:00"):
        app = submit_complete(actor=ani, application=draft)
        # and a fee rise was scheduled from 1 August
        fee_schedule_change(
            actor=admin_user,
            service_type=app.service_type,
            amount=400_000,
            valid_from=date(2026, 8, 1),
            legal_basis="PP uji 2026",
        )
    # when August comes
    with freeze_time("2026-08-03 09:00:00+07:00"):
        assert fee_in_force(app.service_type).total == 400_000
        later = submit_complete(
            actor=ani,
            application=application_create(
                actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
            ),
        )
    # then her application keeps the old fee, a new one gets the new fee
    app.refresh_from_db()
    assert app.fee_total_at_submit == 350_000
    assert later.fee_total_at_submit == 400_000


def test_the_due_date_skips_the_weekend_and_independence_day(ani, draft):
    # given a submission on Friday 14 August 2026 (17 August is a holiday)
    with freeze_time("2026-08-14 10:00:00+07:00"):
        app = submit_complete(actor=ani, application=draft)
    # then 4 working days are Tue 18, Wed 19, Thu 20 and Fri 21 August
    assert WorkingCalendar(app.office).holiday_name(date(2026, 8, 17))
    assert app.sla_due_date == date(2026, 8, 21)


def test_a_draft_and_a_registered_application_can_be_cancelled_once(ani, draft, submitted):
    # given a registered application and a new draft
    other = application_create(
        actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
    )
    # when both are cancelled
    for app in (submitted, other):
        cancelled = application_cancel(actor=ani, application=app, reason="no_longer_needed")
        assert cancelled.status == Status.CANCELLED
        assert cancelled.cancelled_at
    # then the registered one keeps its code, and cancelling again is refused
    assert Application.objects.get(pk=submitted.pk).tracking_code == submitted.tracking_code
    with pytest.raises(Conflict):
        application_cancel(actor=ani, application=submitted, reason="other")
    assert ApplicationEvent.objects.filter(note="cancelled_no_longer_needed").count() == 2


def test_cancelling_needs_a_known_reason(ani, draft):
    with pytest.raises(ValidationFailed) as caught:
        application_cancel(actor=ani, application=draft, reason="Saya sakit, alamat Pekon Uji")
    assert "reason" in caught.value.fields


def test_another_applicant_cannot_act_on_the_application(budi, draft):
    with pytest.raises(NotFound):
        application_submit(actor=budi, application=draft, declared=True)
    with pytest.raises(NotFound):
        application_cancel(actor=budi, application=draft, reason="other")
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_audit_log_holds_no_personal_data(ani, submitted):
    for entry in AuditEntry.objects.filter(action__startswith="applications."):
        text = str(entry.data)
        assert "Ani" not in text
        assert "1804041708850003" not in text
