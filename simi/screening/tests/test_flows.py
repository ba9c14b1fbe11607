"""Screening in the flows: jobs after commit, review items, dismissed pairs,
governance before going live, and the switch."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from simi.audit.models import AuditEntry
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.oversight.register.services import foreigner_register
from simi.oversight.tests.conftest import passport_mrz, place  # noqa: F401 (fixture)
from simi.people.models import Person
from simi.people.services import PersonData, person_update
from simi.screening import flows
from simi.screening.models import EntryStatus, ReviewItem, ScreeningControl, WatchlistEntry
from simi.screening.services import (
    control_set,
    entry_publish,
    impact_estimate,
    review_decide,
    watchlist_publish,
)

from .conftest import BANNED, import_bytes, make_live, simi_csv

pytestmark = pytest.mark.django_db


def _register(oversight, **mrz):
    return foreigner_register(
        actor=oversight, mrz_text=passport_mrz(**mrz), kecamatan_code="18.04.04"
    )


def _screen_foreigner(foreigner):
    return flows.screen_subject(subject_type="foreigner", subject_id=foreigner.pk)


def test_an_entry_goes_live_only_after_its_impact_is_estimated(admin_user, entry_ban, oversight):
    # given a foreigner SIMI already holds and a draft entry with her name
    _register(oversight)
    import_bytes(admin_user, entry_ban, BANNED)
    # when publishing before the estimate: refused
    with pytest.raises(Conflict) as caught:
        watchlist_publish(actor=admin_user, watchlist=entry_ban)
    assert caught.value.code == "impact_estimate_required"
    entry = WatchlistEntry.objects.get(external_id="wl-1")
    with pytest.raises(Conflict):
        entry_publish(actor=admin_user, entry=entry)
    # then after the estimate the entry says how many people it would hit
    result = impact_estimate(actor=admin_user, watchlist=entry_ban)
    entry.refresh_from_db()
    assert entry.impact_count == 1
    assert result.entries == 3
    assert WatchlistEntry.objects.get(external_id="wl-3").impact_count == 0
    assert watchlist_publish(actor=admin_user, watchlist=entry_ban) == 3
    assert set(WatchlistEntry.objects.values_list("status", flat=True)) == {EntryStatus.LIVE}
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"screening.impact_estimated", "screening.entries_published"} <= actions


def test_a_changed_entry_needs_a_new_estimate_before_it_is_live_again(admin_user, entry_ban):
    make_live(admin_user, entry_ban, BANNED)
    changed = BANNED.replace(b"T. Volaki", b"Tesanoe Volaki")
    upload = import_bytes(admin_user, entry_ban, changed)
    assert upload.changed_count == 1
    entry = WatchlistEntry.objects.get(external_id="wl-1")
    assert entry.status == EntryStatus.DRAFT
    assert not entry.impact_is_current


def test_a_new_foreigner_on_the_list_opens_a_review_item_with_codes_only(
    admin_user, entry_ban, oversight
):
    make_live(admin_user, entry_ban, BANNED)
    foreigner = _register(oversight)
    outcome = _screen_foreigner(foreigner)
    assert outcome.items_opened == 1
    item = ReviewItem.objects.get()
    assert item.subject_id == foreigner.public_id
    assert item.office == foreigner.office
    assert item.status == ReviewItem.Status.OPEN
    assert item.top_score >= 0.95
    hit = item.hits[0]
    assert hit["entry"] == str(WatchlistEntry.objects.get(external_id="wl-1").public_id)
    assert ["birth date", 0.12, "exact"] in hit["factors"]
    assert "volaki" not in str(item.hits).lower()  # ids and codes, no names
    # a repeated job opens no second item
    assert _screen_foreigner(foreigner).items_opened == 0
    assert ReviewItem.objects.count() == 1


def test_a_different_person_with_a_similar_name_opens_nothing(admin_user, entry_ban, oversight):
    make_live(admin_user, entry_ban, BANNED)
    foreigner = _register(oversight, surname="BAKOLI", given="MIRENA", number="Y7654321")
    assert _screen_foreigner(foreigner).items_opened == 0
    assert not ReviewItem.objects.exists()


def test_a_lost_or_stolen_document_number_always_hits(admin_user, lost_stolen, oversight):
    make_live(admin_user, lost_stolen, simi_csv("doc-1,Unknown Holder,,,,X12345678,lost_stolen,x"))
    foreigner = _register(oversight)
    _screen_foreigner(foreigner)
    item = ReviewItem.objects.get()
    assert item.top_score == 1.0
    assert ["document", 1.0, "lost_stolen"] in item.hits[0]["factors"]


def test_request_screening_queues_a_job_after_commit(
    admin_user, entry_ban, oversight, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _register(oversight)
    job = DBTaskResult.objects.get(task_path="simi.screening.flows.screen_subject_job")
    assert job.args_kwargs["args"][0] == "foreigner"


def test_a_dismissed_pair_does_not_return_until_the_data_changes(
    admin_user, entry_ban, oversight, supervisor
):
    make_live(admin_user, entry_ban, BANNED)
    foreigner = _register(oversight)
    _screen_foreigner(foreigner)
    item = ReviewItem.objects.get()
    # a reason is required
    with pytest.raises(ValidationFailed):
        review_decide(actor=supervisor, item=item, decision="dismiss", reason="")
    review_decide(
        actor=supervisor, item=item, decision="dismiss", reason="Different father's name, MRZ"
    )
    item.refresh_from_db()
    assert item.status == ReviewItem.Status.DISMISSED
    assert item.decision_reason
    # when screened again with the same data: nothing new
    outcome = _screen_foreigner(foreigner)
    assert outcome.items_opened == 0
    assert outcome.dismissed_pairs_skipped == 1
    # when the entry changes (a new alias), the pair is looked at again
    make_live(admin_user, entry_ban, BANNED.replace(b"T. Volaki", b"Tesanu Volakie"))
    assert _screen_foreigner(foreigner).items_opened == 1


def test_a_dismissed_pair_returns_when_the_persons_data_changes(
    admin_user, entry_ban, oversight, supervisor
):
    make_live(admin_user, entry_ban, BANNED)
    foreigner = _register(oversight)
    _screen_foreigner(foreigner)
    review_decide(
        actor=supervisor,
        item=ReviewItem.objects.get(),
        decision="dismiss",
        reason="Checked the passport photo: a different woman",
    )
    person = Person.objects.get(pk=foreigner.person_id)
    person_update(
        actor=oversight,
        person=person,
        data=PersonData(
            kind="foreigner",
            full_name=person.full_name,
            nationality=person.nationality,
            passport_number=person.passport_number,
            sex=person.sex,
            birth_date=date(1990, 3, 15),
        ),
    )
    assert _screen_foreigner(foreigner).items_opened == 1


def test_reviews_are_scoped_to_the_subjects_office(admin_user, entry_ban, oversight, outsider):
    make_live(admin_user, entry_ban, BANNED)
    _screen_foreigner(_register(oversight))
    item = ReviewItem.objects.get()
    with pytest.raises(NotFound):
        review_decide(actor=outsider, item=item, decision="confirm", reason="I think it is her")


def test_the_switch_stops_automatic_screening_and_counts_the_skips(
    admin_user, entry_ban, oversight, django_capture_on_commit_callbacks
):
    make_live(admin_user, entry_ban, BANNED)
    control_set(actor=admin_user, automatic_enabled=False, reason="Model under audit, stop it")
    with django_capture_on_commit_callbacks(execute=True):
        foreigner = _register(oversight)
    # nothing queued, and a job already queued skips
    assert not DBTaskResult.objects.filter(task_path__endswith="screen_subject_job").exists()
    assert _screen_foreigner(foreigner).skipped
    assert not ReviewItem.objects.exists()
    assert ScreeningControl.objects.get().skipped_count == 2
    control_set(actor=admin_user, automatic_enabled=True, reason="Audit finished, restart")
    entry = AuditEntry.objects.filter(action="screening.switched_on").get()
    assert entry.data["skipped_while_off"] == 2
    assert AuditEntry.objects.filter(action="screening.switched_off").exists()
    assert ScreeningControl.objects.get().skipped_count == 0


def test_only_managers_may_switch(supervisor):
    from simi.core.errors import PermissionDenied

    with pytest.raises(PermissionDenied):
        control_set(actor=supervisor, automatic_enabled=False, reason="I do not like it")


def test_a_lodging_report_is_screened_with_the_guest_data(
    admin_user,
    entry_ban,
    partner,
    place,  # noqa: F811
):
    from django.utils import timezone

    from simi.oversight.lodging.services import GuestData, lodging_report_submit

    make_live(admin_user, entry_ban, BANNED)
    outcome = lodging_report_submit(
        actor=partner,
        place=place,
        data=GuestData(
            "Tesanu Volaki", "AUS", "X12345678", timezone.now() - timedelta(hours=2), None
        ),
        source="web",
    )
    flows.screen_subject(subject_type="lodging_report", subject_id=outcome.report.pk)
    item = ReviewItem.objects.get()
    assert item.subject_type == "lodging_report"
    assert item.office == place.office
