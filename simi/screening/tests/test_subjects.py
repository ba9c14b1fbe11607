"""Screening subjects are registered by the domain that owns the record
(``SIMI_SCREENING_SUBJECTS``), and screening imports no domain above it.
Every person here is synthetic."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from simi.applications.services import application_create
from simi.applications.tests.complete import submit_complete
from simi.applications.tests.conftest import ani  # noqa: F401 (fixture)
from simi.core.hooks import named
from simi.oversight.lodging.imports import lodging_import_file
from simi.oversight.tests.conftest import foreigner, make_permit, place  # noqa: F401 (fixtures)
from simi.screening import flows
from simi.screening.models import ReviewItem, ScreeningRecord, SubjectType
from simi.screening.risk.facts import history_source
from simi.screening.subjects import LODGING_IMPORT, REQUEST_TYPES, subject_display

from .conftest import BANNED, make_live

SCREENING = Path(__file__).resolve().parents[1]
HIGHER = re.compile(
    r"^\s*(from|import)\s+simi\.(applications|oversight|enforcement|appointments|payments|portal)\b"
)


def test_every_subject_type_has_a_registered_source_and_every_source_a_known_type():
    # given the registry in settings
    registry = settings.SIMI_SCREENING_SUBJECTS
    # then every subject type (and a whole lodging upload) has a source ...
    assert {*SubjectType.values, LODGING_IMPORT} <= set(registry)
    # ... every registered key is a type screening knows ...
    assert set(registry) <= REQUEST_TYPES
    # ... and every source answers both questions screening asks
    for path in registry.values():
        source = named(path)
        assert callable(source.targets)
        assert callable(source.display)
    history = history_source()
    assert callable(history.population)
    assert callable(history.facts)


@pytest.mark.django_db
def test_it_refuses_a_request_for_a_type_no_domain_registered():
    # given a house where no domain registered stay permits
    registry = {k: v for k, v in settings.SIMI_SCREENING_SUBJECTS.items() if k != "stay_permit"}
    with override_settings(SIMI_SCREENING_SUBJECTS=registry):
        # when a stay permit (or something unheard of) asks for a screening: a programming error
        with pytest.raises(ValueError, match="stay_permit"):
            flows.request_screening(subject_type="stay_permit", subject_id=1)
        with pytest.raises(ValueError, match="visa"):
            flows.request_screening(subject_type="visa", subject_id=1)
        # and a review item of an unregistered type shows no subject rather than failing
        assert subject_display("stay_permit", ReviewItem().public_id) is None


@pytest.mark.django_db
def test_each_registered_subject_is_screened_and_shown_to_its_reviewer(
    admin_user,
    entry_ban,
    oversight,
    supervisor,
    client_for,
    ani,  # noqa: F811
    foreigner,  # noqa: F811
    place,  # noqa: F811
):
    # given a live list with Tesanu Volaki, Ani Rahmawati Putri and Kurowi Sabadane
    make_live(admin_user, entry_ban, BANNED)
    # and Tesanu's stay permit, Ani's application and a hotel's upload with
    # Tesanu (in the register) and Kurowi (not in it)
    permit = make_permit(oversight, foreigner, until=timezone.localdate() + timedelta(days=30))
    application = submit_complete(
        actor=ani,
        application=application_create(
            actor=ani, service_code="passport-ordinary-5y", office_code="ulp-liwa"
        ),
    )
    check_in = (timezone.localtime() - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M")
    upload = lodging_import_file(
        actor=None,
        place=place,
        raw=(
            "full_name,nationality,passport_number,check_in,check_out\n"
            f"Tesanu Volaki,AUS,X12345678,{check_in},\n"
            f"Kurowi Sabadane,MYS,MK5550001,{check_in},\n"
        ).encode(),
    )
    # when the worker screens each request
    for subject_type, pk in (
        ("foreigner", foreigner.pk),
        ("stay_permit", permit.pk),
        ("application", application.pk),
        (LODGING_IMPORT, upload.pk),
    ):
        flows.screen_subject(subject_type=subject_type, subject_id=pk)
    # then each opens a review item about its own record, at the record's office
    items = {(i.subject_type, i.subject_key.partition(":")[0]): i for i in ReviewItem.objects.all()}
    assert set(items) == {
        ("foreigner", "person"),
        ("stay_permit", "person"),
        ("application", "person"),
        ("lodging_report", "person"),
        ("lodging_report", "passport"),
    }
    assert items["application", "person"].subject_id == application.public_id
    assert items["stay_permit", "person"].subject_id == permit.public_id
    assert items["lodging_report", "passport"].office == place.office
    # and the reviewer sees the screened person next to the hit
    shown = {
        ("foreigner", "person"): "TESANU",
        ("stay_permit", "person"): "TESANU",
        ("application", "person"): "Ani Rahmawati Putri",
        ("lodging_report", "person"): "Tesanu Volaki",
        ("lodging_report", "passport"): "Kurowi Sabadane",
    }
    browser = client_for(supervisor)
    for key, name in shown.items():
        page = browser.get(f"/kantor/penyaringan/tinjauan/{items[key].public_id}/")
        assert page.status_code == 200
        assert name.lower() in page.content.decode().lower()
    # and the fairness report groups the guest outside the register by the
    # nationality on the report, the others by their person
    guest = ScreeningRecord.objects.get(subject_key=items["lodging_report", "passport"].subject_key)
    assert (guest.nationality, guest.sex) == ("MYS", "")
    holder = ScreeningRecord.objects.get(subject_id=permit.public_id)
    assert (holder.nationality, holder.sex) == ("AUS", "F")


def test_screening_imports_no_domain_above_it():
    """Applications and oversight call screening; screening reads them only
    through the sources they register."""
    offenders = []
    for path in SCREENING.rglob("*.py"):
        if "tests" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if HIGHER.search(line):
                offenders.append(f"{path.relative_to(SCREENING)}:{number}")
    assert offenders == []
