"""/.well-known/simi/keys.json: the public seal keys, enough for an offline check."""

import base64
import json

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from django.test import Client

from simi.core import keys
from simi.issuance.printing import document_seal, document_seal_text
from simi.issuance.tests.builders import other_p256_key, pem_of

pytestmark = pytest.mark.django_db

URL = "/.well-known/simi/keys.json"


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _jcs(value) -> bytes:
    # Enough of RFC 8785 for a seal (strings, small integers, null, objects):
    # what any third party can write with the standard library alone.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def offline_verify(seal_text: str, jwks: dict) -> bool:
    """A verifier that knows nothing of SIMI but keys.json and `cryptography`."""
    sealed = json.loads(seal_text)
    jwk = next((k for k in jwks["keys"] if k["kid"] == sealed["sig"]["kid"]), None)
    if jwk is None or (jwk["kty"], jwk["crv"], jwk["alg"]) != ("EC", "P-256", "ES256"):
        return False
    public_key = ec.EllipticCurvePublicNumbers(
        int.from_bytes(_b64(jwk["x"]), "big"), int.from_bytes(_b64(jwk["y"]), "big"), ec.SECP256R1()
    ).public_key()
    raw = _b64(sealed["sig"]["sigvl"])
    signature = encode_dss_signature(
        int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")
    )
    try:
        public_key.verify(signature, _jcs(sealed["data"]), ec.ECDSA(hashes.SHA256()))
    except InvalidSignature:
        return False
    return True


def test_keys_json_lists_the_current_seal_key_as_a_p256_jwk(db):
    response = Client().get(URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    [jwk] = response.json()["keys"]
    assert {k: jwk[k] for k in ("kty", "crv", "use", "alg")} == {
        "kty": "EC",
        "crv": "P-256",
        "use": "sig",
        "alg": "ES256",
    }
    assert jwk["kid"] == keys.seal_key_id()
    assert len(_b64(jwk["x"])) == len(_b64(jwk["y"])) == 32
    assert "d" not in jwk  # never the private part


def test_keys_json_may_be_cached_and_fetched_from_any_origin(db):
    response = Client().get(URL)
    assert "public" in response["Cache-Control"]
    assert "max-age=" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_verifier_with_only_keys_json_and_cryptography_accepts_a_real_seal(issue):
    # given an issued document and the published keys
    text = document_seal_text(issue())
    jwks = Client().get(URL).json()
    # then the offline verifier accepts it, and refuses it once altered
    assert offline_verify(text, jwks)
    sealed = document_seal(issue())
    sealed["data"]["msg"]["ini"] = "ZZ"
    assert not offline_verify(json.dumps(sealed), jwks)


def test_after_rotation_keys_json_keeps_the_retired_key_and_old_seals_verify(issue, monkeypatch):
    old_text = document_seal_text(issue())
    monkeypatch.setenv("SIMI_SEAL_KEY", pem_of(other_p256_key()))
    keys.seal_key.cache_clear()
    new_text = document_seal_text(issue())
    jwks = Client().get(URL).json()
    current, retired = jwks["keys"]
    assert current["kid"] == keys.seal_key_id()
    assert "retired" not in current
    assert "retired" in retired
    assert offline_verify(old_text, jwks)
    assert offline_verify(new_text, jwks)


def test_keys_json_only_answers_get(db):
    assert Client().post(URL).status_code == 405
