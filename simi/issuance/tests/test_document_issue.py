"""Issuing a document: who may, what is stored (encrypted), what is audited."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.core.documents import DocumentKind
from simi.core.errors import Conflict, PermissionDenied, ValidationFailed
from simi.issuance import mrz
from simi.issuance.models import IssuedDocument, SealKey
from simi.issuance.services import mrz_document_code
from simi.issuance.tests.builders import passport_mrz

pytestmark = pytest.mark.django_db


def _raw(column: str, document: IssuedDocument) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column} FROM issuance_issueddocument WHERE id = %s",  # noqa: S608
            [document.pk],
        )
        return cursor.fetchone()[0]


def test_a_supervisor_issues_a_passport_with_a_valid_td3_mrz_and_a_seal(issue):
    # given the passport's expiry
    until = timezone.localdate() + timedelta(days=3650)
    # when the Kotabumi supervisor issues it
    document = issue(
        kind="passport",
        number="C1234567",
        valid_until=until,
        mrz_fields=passport_mrz("C1234567", until),
    )
    # then the register holds the MRZ, the summary and the seal
    document.refresh_from_db()
    assert mrz.parse((document.mrz_line1, document.mrz_line2)).valid
    assert document.mrz_line1.startswith("P<IDNERIKSSON<<ANNA<MARIA<")
    assert (document.holder_initials, document.holder_birth_year) == ("AME", 1974)
    assert document.status == "valid"
    assert json.loads(document.seal_payload)["msg"]["no"] == "C1234567"
    assert document.seal_kid == SealKey.objects.get().kid


def test_a_visa_gets_an_mrva_mrz(issue):
    until = timezone.localdate() + timedelta(days=60)
    fields = passport_mrz("V7654321", until)
    fields = mrz.MrzFields(**{**fields.__dict__, "document_code": "V"})
    document = issue(kind="visa", number="V7654321", valid_until=until, mrz_fields=fields)
    document.refresh_from_db()
    reading = mrz.parse((document.mrz_line1, document.mrz_line2))
    assert (reading.format, reading.valid) == ("MRV-A", True)


def test_number_mrz_and_seal_are_ciphertext_in_the_database(issue):
    until = timezone.localdate() + timedelta(days=3650)
    document = issue(
        kind="passport",
        number="C7777777",
        valid_until=until,
        mrz_fields=passport_mrz("C7777777", until),
    )
    for column in ("number", "mrz_line1", "mrz_line2", "seal_payload"):
        raw = _raw(column, document)
        assert raw.startswith("v1:"), column
        assert "C7777777" not in raw
        assert "ERIKSSON" not in raw
    assert "C7777777" not in _raw("number_index", document)


def test_the_issuance_is_audited_with_the_seal_digest_and_its_log_position(issue):
    document = issue()
    entry = AuditEntry.objects.get(action="issuance.document_issued")
    assert document.audit_leaf_index == entry.leaf_index
    assert entry.object_id == str(document.public_id)
    expected = hashlib.sha256(document.seal_payload.encode()).hexdigest()
    assert entry.data["seal_sha256"] == expected
    assert "ITAS" not in json.dumps(entry.data)  # ids and codes, not the number


def test_a_receipt_without_a_number_gets_a_simi_number(issue):
    document = issue(kind="receipt", number="")
    assert document.number.startswith("SIMI-")


def test_an_administrator_may_issue_for_any_office(issue, admin_user, elsewhere):
    document = issue(actor=admin_user, office=elsewhere)
    assert document.office == elsewhere


def test_a_supervisor_issues_for_a_service_point_of_their_office(issue, liwa):
    assert issue(office=liwa).office == liwa


@pytest.mark.parametrize("persona", ["officer", "oversight", "analyst", "auditor", "applicant"])
def test_roles_other_than_supervisor_and_admin_are_refused(request, issue, persona):
    with pytest.raises(PermissionDenied):
        issue(actor=request.getfixturevalue(persona))
    assert not IssuedDocument.objects.exists()


def test_a_supervisor_of_another_office_is_refused(issue, outsider, kotabumi):
    with pytest.raises(PermissionDenied):
        issue(actor=outsider, office=kotabumi)


def test_a_number_is_unique_per_kind_but_may_repeat_across_kinds(issue):
    issue(kind="stay_permit", number="A1")
    issue(kind="visa", number="A1")
    with pytest.raises(Conflict) as caught:
        issue(kind="stay_permit", number="a1")
    assert caught.value.code == "number_taken"


def test_validity_must_not_end_before_it_starts(issue):
    today = timezone.localdate()
    with pytest.raises(ValidationFailed) as caught:
        issue(valid_from=today, valid_until=today - timedelta(days=1))
    assert "valid_until" in caught.value.fields


@pytest.mark.parametrize("number", ["", "   ", "A B\x00", "#1", "X" * 41])
def test_a_malformed_number_is_refused(issue, number):
    with pytest.raises(ValidationFailed):
        issue(number=number)


def test_the_mrz_must_match_the_documents_number_and_expiry(issue):
    until = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationFailed) as caught:
        issue(kind="passport", number="C1", valid_until=until, mrz_fields=passport_mrz("C2", until))
    assert caught.value.code == "mrz_mismatch"


@pytest.mark.parametrize("kind", ["stay_permit", "travel_document", "receipt"])
def test_only_passports_and_visas_carry_an_mrz(issue, kind):
    until = timezone.localdate() + timedelta(days=30)
    with pytest.raises(ValidationFailed) as caught:
        issue(kind=kind, number="C1", valid_until=until, mrz_fields=passport_mrz("C1", until))
    assert caught.value.code == "mrz_not_applicable"


def test_each_kind_says_which_mrz_document_code_it_carries():
    # given the office's vocabulary of kinds
    codes = {kind: mrz_document_code(kind) for kind in DocumentKind.values}
    # then passports are "P" (TD3), visas "V" (MRV-A), and the others carry no MRZ
    assert codes == {
        "passport": "P",
        "travel_document": None,
        "visa": "V",
        "stay_permit": None,
        "receipt": None,
    }
    assert mrz_document_code("unknown") is None


def test_a_travel_document_is_registered_and_sealed_as_its_own_kind(issue):
    # when an SPLP is issued
    document = issue(kind="travel_document", number="SPLP-0001")
    # then the register and the seal name it a travel document, without an MRZ
    assert document.kind == IssuedDocument.Kind.TRAVEL_DOCUMENT
    assert document.mrz_line1 is None
    assert json.loads(document.seal_payload)["msg"]["kind"] == "travel_document"
    # and the same number may also be a passport's: numbers are unique per kind
    assert issue(kind="passport", number="SPLP-0001").kind == "passport"


def test_mrz_fields_the_format_cannot_hold_are_a_validation_error(issue):
    until = timezone.localdate() + timedelta(days=30)
    fields = mrz.MrzFields(**{**passport_mrz("C1", until).__dict__, "sex": "Q"})
    with pytest.raises(ValidationFailed) as caught:
        issue(kind="passport", number="C1", valid_until=until, mrz_fields=fields)
    assert caught.value.code == "mrz_invalid"


def test_a_document_without_a_holder_keeps_an_empty_summary(issue):
    document = issue(kind="receipt", holder=None, number="")
    assert (document.holder_initials, document.holder_birth_year) == ("", None)


def test_erasing_the_holder_keeps_the_document_and_its_summary(issue, holder):
    document = issue()
    holder.delete()
    document.refresh_from_db()
    assert document.holder is None
    assert document.holder_initials == "AME"
