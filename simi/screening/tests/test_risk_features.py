"""Features from SIMI's own history: what they read, as of which day, and in
how many queries. Every person here is synthetic."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from simi.oversight.models import (
    LodgingReport,
    Movement,
    PermitKind,
    Sighting,
    StayPermit,
    Violation,
)
from simi.oversight.register.permits import permit_number_index
from simi.oversight.register.services import foreigner_register, sponsor_create
from simi.oversight.tests.conftest import passport_mrz, place  # noqa: F401 (fixture)
from simi.screening.risk.features import (
    FEATURE_NAMES,
    FEATURES,
    features_at,
    label_between,
    load_histories,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12, 0)))


def _foreigner(oversight, number: str, surname: str, expiry: date = date(2031, 5, 1)):
    return foreigner_register(
        actor=oversight,
        mrz_text=passport_mrz(number=number, surname=surname, expiry=expiry),
        kecamatan_code="18.04.04",
    )


def _permit(foreigner, index: int, start: date, sponsor=None) -> StayPermit:
    number = f"TEST-ITAS-{index:05d}"
    return StayPermit.objects.create(
        foreigner=foreigner,
        kind=PermitKind.ITAS,
        number=number,
        number_index=permit_number_index(PermitKind.ITAS, number),
        valid_from=start,
        valid_until=start + timedelta(days=180),
        office=foreigner.office,
        sponsor=sponsor,
    )


def _overstay(foreigner, permit, detected: date, days: int) -> Violation:
    return Violation.objects.create(
        kind="overstay",
        foreigner=foreigner,
        office=foreigner.office,
        permit=permit,
        detected_on=detected,
        evaluated_on=detected,
        overstay_from=detected - timedelta(days=days - 1),
        overstay_days=days,
    )


@pytest.fixture
def history_world(oversight, kotabumi, place):  # noqa: F811
    sponsor = sponsor_create(
        actor=None, kind="company", name="PT Uji (synthetic)", contact="", office=kotabumi
    )
    risky = _foreigner(oversight, "X11111111", "KALOMI", expiry=TODAY - timedelta(days=10))
    other = _foreigner(oversight, "X22222222", "RUTESA")
    permit = _permit(risky, 1, TODAY - timedelta(days=400), sponsor)
    other_permit = _permit(other, 2, TODAY - timedelta(days=300), sponsor)
    # two earlier overstays, one detected only after the cutoff
    _overstay(risky, permit, TODAY - timedelta(days=100), 12)
    later_permit = _permit(risky, 3, TODAY - timedelta(days=200))
    _overstay(risky, later_permit, TODAY + timedelta(days=20), 40)
    _overstay(other, other_permit, TODAY - timedelta(days=50), 3)
    # three short trips this year, one long stay
    for start, length in ((300, 3), (200, 4), (100, 2), (60, 30)):
        Movement.objects.create(
            foreigner=risky, direction="entry", date=TODAY - timedelta(days=start), port="CGK"
        )
        Movement.objects.create(
            foreigner=risky,
            direction="exit",
            date=TODAY - timedelta(days=start - length),
            port="CGK",
        )
    document = risky.travel_documents.get()
    for days_ago, late in ((30, True), (90, True), (500, True), (10, False)):
        check_in = _aware(TODAY - timedelta(days=days_ago))
        LodgingReport.objects.create(
            place=place,
            full_name="KALOMI TESANU",
            nationality="AUS",
            passport_number=document.number,
            passport_index=document.number_index,
            check_in=check_in,
            check_out=check_in + timedelta(days=2),
            reported_at=check_in + timedelta(days=3 if late else 0),
            is_late=late,
            source="web",
            foreigner=risky,
        )
    # seen away from home twice: once covered by a lodging report, once not
    for days_ago in (29, 150):
        Sighting.objects.create(
            office=risky.office,
            seen_at=_aware(TODAY - timedelta(days=days_ago)),
            kecamatan=risky.kecamatan,
            subject="foreigner",
            foreigner=risky,
            address_mismatch=True,
        )
    return risky, other


def test_each_feature_has_a_name_and_a_readable_label():
    assert len(FEATURE_NAMES) == len(set(FEATURE_NAMES)) >= 10
    for spec in FEATURES:
        assert str(spec.label)
        assert str(spec.label) != spec.name


def test_it_reads_a_persons_history_as_of_a_day(history_world):
    risky, _other = history_world
    history = load_histories([risky.person_id])[risky.person_id]
    values = features_at(history, TODAY)
    assert values["prior_violations"] == 1  # the later one is not known yet
    assert values["max_overstay_days"] == 12
    assert values["late_lodging_reports"] == 2  # the one 500 days ago is too old
    assert values["unreported_stays"] == 1
    assert values["entries_12m"] == 4
    assert values["short_stay_share"] == pytest.approx(3 / 4)
    assert values["sponsor_other_violations"] == 1
    assert values["passport_expired"] == 1.0
    assert values["document_reported_lost"] == 0.0
    assert values["watchlist_best_score"] == 0.0


def test_the_future_stays_out_of_the_features_and_makes_the_label(history_world):
    risky, other = history_world
    histories = load_histories([risky.person_id, other.person_id])
    cutoff = TODAY
    later = features_at(histories[risky.person_id], TODAY + timedelta(days=30))
    assert later["prior_violations"] == 2
    assert later["max_overstay_days"] == 40
    assert label_between(histories[risky.person_id], cutoff, cutoff + timedelta(days=180)) == 1
    assert label_between(histories[other.person_id], cutoff, cutoff + timedelta(days=180)) == 0
    # as of long ago, nothing had happened yet
    early = features_at(histories[risky.person_id], TODAY - timedelta(days=700))
    assert early["prior_violations"] == 0
    assert early["entries_12m"] == 0


def test_the_batch_reads_many_people_in_a_fixed_number_of_queries(
    history_world, oversight, django_assert_max_num_queries
):
    for i in range(6):
        _foreigner(oversight, f"Y{i:08d}", f"NOKI{chr(65 + i)}")
    with django_assert_max_num_queries(11):
        everyone = load_histories()
    assert len(everyone) == 8
