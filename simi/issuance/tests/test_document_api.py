"""GET /api/v1/documents/{id}: an issued document for the staff of its
office, with the MRZ SIMI generated when its kind carries one."""

from datetime import timedelta

import pytest
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.issuance import mrz
from simi.issuance.tests.builders import passport_mrz

pytestmark = pytest.mark.django_db


def url(document) -> str:
    return f"/api/v1/documents/{document.public_id}"


def test_it_returns_the_mrz_of_an_issued_passport(issue, supervisor, client_for):
    # given a passport issued at Kotabumi
    until = timezone.localdate() + timedelta(days=3650)
    document = issue(
        kind="passport",
        number="C1234567",
        valid_until=until,
        mrz_fields=passport_mrz("C1234567", until),
    )
    # when its office's supervisor reads it through the staff API
    response = client_for(supervisor).get(url(document))
    # then the answer carries the two TD3 lines SIMI wrote, and they read back
    assert response.status_code == 200, response.content
    lines = response.json()["mrz"]
    assert lines == [document.mrz_line1, document.mrz_line2]
    assert [len(line) for line in lines] == [44, 44]
    assert mrz.parse(tuple(lines)).valid
    # and the read of this personal data is audited, by id and kind only
    entry = AuditEntry.objects.get(action="issuance.document_viewed")
    assert entry.object_id == str(document.public_id)
    assert "C1234567" not in str(entry.data)


def test_it_returns_no_mrz_for_a_document_without_one(issue, supervisor, client_for):
    # given a stay permit (a kind without an MRZ)
    document = issue()
    # when it is read through the staff API
    response = client_for(supervisor).get(url(document))
    # then the field is there, and empty
    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "stay_permit"
    assert response.json()["mrz"] is None


def test_another_offices_staff_get_404_and_no_mrz(issue, outsider, client_for):
    # given a passport issued at Kotabumi
    until = timezone.localdate() + timedelta(days=3650)
    document = issue(
        kind="passport",
        number="C7654321",
        valid_until=until,
        mrz_fields=passport_mrz("C7654321", until),
    )
    # when staff of another office ask for it
    response = client_for(outsider).get(url(document))
    # then it is as missing as a wrong id, and nothing of it is shown
    assert response.status_code == 404
    assert "C7654321" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="issuance.document_viewed").exists()
