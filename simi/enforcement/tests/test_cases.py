import pytest
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.core.errors import NotFound, ValidationFailed
from simi.enforcement.models import Case, CaseStatus, CaseViolation, EventKind
from simi.enforcement.services import (
    case_assign,
    case_close,
    case_open_or_join,
    cases_open_for_violations,
    note_add,
)

from .conftest import overstay, register

pytestmark = pytest.mark.django_db


def test_a_violation_opens_a_case_with_a_working_day_deadline(oversight, violation):
    # when the officer puts the violation into a case
    case, opened = case_open_or_join(actor=oversight, violation=violation)
    # then a new open case of the foreigner's office holds it, due in the future
    assert opened is True
    assert case.status == CaseStatus.OPEN
    assert case.subject_id == violation.foreigner_id
    assert case.office_id == violation.office_id
    assert case.due_date > timezone.localdate()
    assert case.due_date.weekday() < 5
    assert [e.kind for e in case.events.all()] == [EventKind.OPENED, EventKind.VIOLATION_JOINED]
    assert AuditEntry.objects.filter(action="enforcement.case_opened").count() == 1


def test_a_second_violation_of_the_same_foreigner_joins_the_open_case(
    oversight, foreigner, violation
):
    first, _ = case_open_or_join(actor=oversight, violation=violation)
    other = overstay(oversight, foreigner, number="ITK-0002", days=5)
    second, opened = case_open_or_join(actor=oversight, violation=other)
    assert opened is False
    assert second == first
    assert first.violation_links.count() == 2


def test_the_job_puts_every_open_violation_in_a_case_once(oversight, foreigner, violation):
    other_foreigner = register(oversight, "Y98765432", nationality="NLD")
    overstay(oversight, other_foreigner, number="ITK-0003", days=3)
    overstay(oversight, foreigner, number="ITK-0004", days=2)
    # when the job runs twice
    first = cases_open_for_violations()
    second = cases_open_for_violations()
    # then two cases (one per foreigner) hold the three violations, and the
    # second run changed nothing
    assert len(first.opened) == 2
    assert len(first.joined) == 1
    assert (second.opened, second.joined) == ([], [])
    assert Case.objects.count() == 2
    assert CaseViolation.objects.count() == 3


def test_calling_open_twice_for_the_same_violation_changes_nothing(oversight, violation):
    case, _ = case_open_or_join(actor=oversight, violation=violation)
    again, opened = case_open_or_join(actor=oversight, violation=violation)
    assert (again, opened) == (case, False)
    assert case.events.count() == 2


def test_a_closed_case_is_not_joined_a_new_one_opens(oversight, foreigner, violation):
    case, _ = case_open_or_join(actor=oversight, violation=violation)
    case_close(actor=oversight, case=case, reason="Foreigner left Indonesia, charge settled.")
    other = overstay(oversight, foreigner, number="ITK-0005", days=4)
    new, opened = case_open_or_join(actor=oversight, violation=other)
    assert opened is True
    assert new != case


def test_another_office_cannot_open_a_case_for_our_violation(oversight_elsewhere, violation):
    with pytest.raises(NotFound):
        case_open_or_join(actor=oversight_elsewhere, violation=violation)


def test_assignment_takes_an_oversight_officer_of_the_office(
    supervisor, oversight, oversight_elsewhere, violation
):
    case, _ = case_open_or_join(actor=None, violation=violation)
    with pytest.raises(ValidationFailed) as refused:
        case_assign(actor=supervisor, case=case, assignee=oversight_elsewhere)
    assert refused.value.code == "assignee_not_allowed"
    case = case_assign(actor=supervisor, case=case, assignee=oversight)
    assert case.status == CaseStatus.IN_PROGRESS
    assert case.assignee == oversight


def test_notes_are_encrypted_and_on_the_timeline(oversight, violation):
    case, _ = case_open_or_join(actor=oversight, violation=violation)
    note = note_add(actor=oversight, case=case, text="Visited the address; nobody home.")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM enforcement_casenote WHERE id = %s", [note.pk])
        stored = cursor.fetchone()[0]
    assert "nobody" not in stored
    assert case.events.filter(kind=EventKind.NOTE_ADDED).count() == 1
