"""POST /api/v1/verify: public, rate-limited, minimal, and never a 500."""

import json

import pytest
from django.test import Client

from simi.audit.services import tree_head_publish
from simi.issuance.printing import document_seal, document_seal_text
from simi.issuance.services import document_revoke

pytestmark = pytest.mark.django_db

URL = "/api/v1/verify"


def _post(client: Client, body, content_type: str = "application/json"):
    return client.post(URL, body, content_type=content_type)


def test_anyone_gets_valid_with_the_summary_and_the_audit_position(issue):
    # given an issued document whose issuance is in a signed tree head
    document = issue()
    tree_head_publish()
    # when an anonymous verifier posts its seal
    response = _post(Client(), {"seal": document_seal_text(document)})
    # then the answer is valid, with no personal data beyond initials and birth year
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "valid",
        "reason": None,
        "kind": "stay_permit",
        "initials": "AME",
        "birth_year": 1974,
        "valid_from": document.valid_from.isoformat(),
        "valid_until": document.valid_until.isoformat(),
        "revoked_on": None,
        "audit": {
            "position": document.audit_leaf_index,
            "inclusion": "verified",
            "tree_size": body["audit"]["tree_size"],
        },
    }
    for secret in ("ITAS", "Eriksson", "ERIKSSON", "XA1234567", "1974-08-12"):
        assert secret not in response.content.decode()


def test_revoked_and_forged_are_answered_as_such(issue, supervisor):
    document = issue()
    sealed = document_seal(document)
    sealed["data"]["msg"]["ini"] = "XYZ"
    forged = _post(Client(), {"seal": json.dumps(sealed)}).json()
    assert (forged["status"], forged["reason"], forged["initials"]) == (
        "forged",
        "bad_signature",
        None,
    )
    document_revoke(actor=supervisor, document=document, reason="Pemegang meninggal dunia")
    revoked = _post(Client(), {"seal": document_seal_text(document)}).json()
    assert revoked["status"] == "revoked"
    assert revoked["revoked_on"] is not None
    assert revoked["audit"] is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\x00\xff\xfe\x89PNG\r\n\x1a\n", "application/json"),
        ('{"seal": "caf\xe9"}'.encode("latin-1"), "application/json"),
        (b'{"seal": "{\\"data\\": {', "application/json"),
        (b'{"seal": ', "application/json"),
        (b"", "application/json"),
        (b"seal=abc", "application/x-www-form-urlencoded"),
        (b'{"seal": 12}', "application/json"),
        (b'{"seal": ["a"]}', "application/json"),
        (b'{"seal": null}', "application/json"),
        (b"[1, 2, 3]", "application/json"),
        (json.dumps({"seal": "x" * 5000}).encode(), "application/json"),
        (b'{"seal": "' + b"x" * 3_000_000 + b'"}', "application/json"),
        (b"{" * 100_000, "application/json"),
    ],
    ids=[
        "binary",
        "latin-1",
        "truncated-inner",
        "truncated",
        "empty",
        "form",
        "number",
        "list",
        "null",
        "array",
        "too-long-seal",
        "huge-body",
        "deep-nesting",
    ],
)
def test_a_broken_request_is_a_4xx_never_a_500(body, content_type):
    response = _post(Client(), body, content_type)
    assert 400 <= response.status_code < 500, response.content[:200]
    assert "error" in response.json()


@pytest.mark.parametrize(
    "seal_text",
    ["", "garbage", "{}", "{" * 2000, '{"data": {"hdr": 1}, "sig": {}}', "😀" * 1000],
    ids=["empty", "word", "object", "nesting", "header", "emoji"],
)
def test_a_well_formed_request_with_a_garbage_seal_is_forged(seal_text):
    response = _post(Client(), {"seal": seal_text})
    assert response.status_code == 200
    assert response.json()["status"] == "forged"


def test_a_nul_character_is_refused_before_verification():
    # No SIMI field can hold NUL; the edge refuses it for every endpoint.
    assert _post(Client(), {"seal": "\u0000"}).status_code == 400


def test_verification_is_rate_limited_per_address(issue):
    client = Client()
    statuses = [_post(client, {"seal": "x"}).status_code for _ in range(32)]
    assert statuses[:30] == [200] * 30
    assert statuses[-1] == 429
    assert _post(client, {"seal": "x"}).json()["error"]["code"] == "rate_limited"


def test_the_seal_check_limit_does_not_eat_the_sign_in_allowance():
    client = Client()
    for _ in range(31):
        _post(client, {"seal": "x"})
    response = client.post(
        "/api/v1/auth/tokens",
        {"email": "nobody@example.test", "password": "wrong-password", "name": "t"},
        content_type="application/json",
    )
    assert response.status_code != 429


def test_it_counts_a_client_that_rotates_the_forwarded_for_left_part():
    # given a verifier behind the proxy that invents a new left part every time
    client = Client()
    statuses = [
        client.post(
            URL,
            {"seal": "x"},
            content_type="application/json",
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.60",
        ).status_code
        for n in range(31)
    ]
    # then the count followed the address the proxy saw
    assert statuses[:30] == [200] * 30
    assert statuses[30] == 429
    # and another client behind the same proxy still has its own allowance
    other = client.post(
        URL,
        {"seal": "x"},
        content_type="application/json",
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.61",
    )
    assert other.status_code == 200
