"""The verdict on a presented seal: valid, revoked, expired, not yet valid or
forged, and for a valid one the audit log position with its inclusion proof."""

import json
from datetime import date, timedelta

import pytest
from django.utils import timezone

from simi.audit.models import AuditEntry
from simi.audit.services import tree_head_publish
from simi.core import keys
from simi.core.errors import Conflict, PermissionDenied
from simi.issuance import seal
from simi.issuance.models import SealKey
from simi.issuance.printing import document_seal, document_seal_text
from simi.issuance.sealkeys import seal_key_withdraw
from simi.issuance.services import document_revoke
from simi.issuance.tests.builders import other_p256_key, pem_of
from simi.issuance.verification import Forgery, Inclusion, Verdict, seal_verify

pytestmark = pytest.mark.django_db


def _resigned(data: dict, key, kid: str) -> str:
    return seal.seal_text(seal.sign_data(data, key, kid))


def test_a_freshly_issued_document_verifies_as_valid_with_only_its_summary(issue):
    # given an issued document
    document = issue()
    # when its seal text is checked
    result = seal_verify(document_seal_text(document))
    # then it is valid, with initials, birth year, kind and validity only
    assert result.status == Verdict.VALID
    assert (result.kind, result.initials, result.birth_year) == ("stay_permit", "AME", 1974)
    assert (result.valid_from, result.valid_until) == (document.valid_from, document.valid_until)
    assert result.audit.leaf_index == document.audit_leaf_index


def test_the_inclusion_proof_is_pending_until_a_tree_head_covers_the_entry(issue):
    document = issue()
    assert seal_verify(document_seal_text(document)).audit.inclusion == Inclusion.PENDING
    # when the next signed tree head is published
    head = tree_head_publish()
    # then the proof checks against it
    audit = seal_verify(document_seal_text(document)).audit
    assert (audit.inclusion, audit.tree_size) == (Inclusion.VERIFIED, head.size)


def test_an_altered_payload_is_forged(issue):
    sealed = document_seal(issue())
    sealed["data"]["msg"]["valid_until"] = "2099-12-31"
    result = seal_verify(seal.seal_text(sealed))
    assert (result.status, result.reason) == (Verdict.FORGED, Forgery.BAD_SIGNATURE)
    assert result.initials is None
    assert result.kind is None


def test_a_seal_signed_with_another_key_under_our_key_id_is_forged(issue):
    sealed = document_seal(issue())
    text = _resigned(sealed["data"], other_p256_key(), sealed["sig"]["kid"])
    assert seal_verify(text).reason == Forgery.BAD_SIGNATURE


def test_a_seal_under_an_unknown_key_id_is_forged(issue):
    sealed = document_seal(issue())
    text = _resigned(sealed["data"], other_p256_key(), "0123456789abcdef")
    result = seal_verify(text)
    assert (result.status, result.reason) == (Verdict.FORGED, Forgery.UNKNOWN_KEY)


def test_a_well_signed_seal_that_simi_never_issued_is_forged(issue):
    # given a seal our own key signed but whose id is not in the register
    sealed = document_seal(issue())
    sealed["data"]["msg"]["id"] = "00000000-0000-4000-8000-000000000000"
    text = _resigned(sealed["data"], keys.seal_key(), sealed["sig"]["kid"])
    assert seal_verify(text).reason == Forgery.NOT_REGISTERED


def test_a_well_signed_seal_that_differs_from_the_register_is_forged(issue):
    sealed = document_seal(issue())
    sealed["data"]["msg"]["yob"] = 1990
    text = _resigned(sealed["data"], keys.seal_key(), sealed["sig"]["kid"])
    assert seal_verify(text).reason == Forgery.REGISTER_MISMATCH


def test_a_revoked_document_answers_revoked_with_the_day(issue, supervisor):
    document = issue()
    document_revoke(actor=supervisor, document=document, reason="Dokumen hilang, dilaporkan polisi")
    result = seal_verify(document_seal_text(document))
    assert result.status == Verdict.REVOKED
    assert result.revoked_at is not None
    assert result.audit is None


def test_an_expired_document_answers_expired(issue):
    document = issue(valid_from=date(2020, 1, 1), valid_until=date(2021, 1, 1))
    assert seal_verify(document_seal_text(document)).status == Verdict.EXPIRED


def test_the_last_day_of_validity_is_still_valid(issue):
    document = issue()
    assert seal_verify(document_seal_text(document), today=document.valid_until).is_valid
    after = document.valid_until + timedelta(days=1)
    assert seal_verify(document_seal_text(document), today=after).status == Verdict.EXPIRED


def test_a_document_before_its_first_day_is_not_yet_valid(issue):
    start = timezone.localdate() + timedelta(days=10)
    document = issue(valid_from=start, valid_until=start + timedelta(days=30))
    assert seal_verify(document_seal_text(document)).status == Verdict.NOT_YET_VALID


def test_a_withdrawn_key_no_longer_verifies_its_seals(issue):
    document = issue()
    SealKey.objects.update(withdrawn_at=timezone.now())
    assert seal_verify(document_seal_text(document)).reason == Forgery.UNKNOWN_KEY


def test_seals_of_a_rotated_out_key_keep_verifying(issue, monkeypatch):
    # given a document sealed with the first key
    first = issue()
    first_kid = first.seal_kid
    # when the office configures a new key and issues again
    monkeypatch.setenv("SIMI_SEAL_KEY", pem_of(other_p256_key()))
    keys.seal_key.cache_clear()
    second = issue()
    # then the new key signs, the old one is retired, and both seals verify
    assert second.seal_kid != first_kid
    assert SealKey.objects.get(kid=first_kid).retired_at is not None
    assert seal_verify(document_seal_text(first)).is_valid
    assert seal_verify(document_seal_text(second)).is_valid


GARBAGE = [
    "",
    " ",
    "null",
    "[]",
    "{}",
    '{"data": {}, "sig": {}}',
    '{"data": 1, "sig": 2}',
    "{" * 3000,
    "[" * 4000,
    '{"data": {"hdr": {"t": "simi.doc", "v": 1, "is": "IDN"}, "msg": {}}, "sig": '
    '{"alg": "ES256", "kid": "x", "sigvl": "!!!"}}',
    '{"data": {"hdr": {"t": "simi.doc", "v": 1, "is": "IDN"}, "msg": []}, "sig": '
    '{"alg": "none", "kid": "x", "sigvl": ""}}',
    '{"data": NaN, "sig": Infinity}',
    "1" * 4000,
    "\udcff\ud800",
    "é" * 3000,
    "\x00\x01\x02",
]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_is_forged_never_an_exception(text):
    result = seal_verify(text)
    assert result.status == Verdict.FORGED


@pytest.mark.parametrize(
    "raw",
    [b"\xff\xfe\x00garbage", b"x" * 100_000, "{}".encode("utf-16")],
    ids=["bin", "big", "u16"],
)
def test_garbage_bytes_are_forged(raw):
    assert seal_verify(raw).status == Verdict.FORGED


def test_a_real_seal_with_its_signature_on_another_kid_or_truncated_is_forged(issue):
    text = document_seal_text(issue())
    assert seal_verify(text[:-10]).status == Verdict.FORGED
    sealed = json.loads(text)
    sealed["sig"]["sigvl"] = sealed["sig"]["sigvl"][:-4]
    assert seal_verify(json.dumps(sealed)).reason == Forgery.BAD_SIGNATURE


def test_whitespace_around_the_scanned_text_does_not_matter(issue):
    text = document_seal_text(issue())
    assert seal_verify(f"\n  {text}\n").is_valid


def test_the_register_counts_not_the_printed_copy_after_revocation(issue, supervisor):
    document = issue()
    text = document_seal_text(document)
    document_revoke(actor=supervisor, document=document, reason="Diganti dokumen baru nomor lain")
    assert seal_verify(text).status == Verdict.REVOKED


def test_only_an_administrator_withdraws_a_key_and_it_is_audited(issue, supervisor, admin_user):
    document = issue()
    with pytest.raises(PermissionDenied):
        seal_key_withdraw(actor=supervisor, kid=document.seal_kid)
    seal_key_withdraw(actor=admin_user, kid=document.seal_kid)
    assert seal_verify(document_seal_text(document)).reason == Forgery.UNKNOWN_KEY
    assert AuditEntry.objects.filter(action="issuance.seal_key_withdrawn").count() == 1


def test_issuing_under_a_withdrawn_key_is_refused(issue, admin_user):
    document = issue()
    seal_key_withdraw(actor=admin_user, kid=document.seal_kid)
    with pytest.raises(Conflict):
        issue()


def test_the_admin_lists_keys_and_documents_without_personal_data(issue, admin_user, client_for):
    issue(number="ITAS99999")
    client = client_for(admin_user)
    keys_page = client.get("/admin/issuance/sealkey/")
    documents_page = client.get("/admin/issuance/issueddocument/")
    assert keys_page.status_code == documents_page.status_code == 200
    assert "ITAS99999" not in documents_page.content.decode()
