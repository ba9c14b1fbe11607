"""The document seal: VDS-NC-shaped JSON signed with ES256 over RFC 8785 bytes.

    {"data": {"hdr": {"t": "simi.doc", "v": 1, "is": "IDN"}, "msg": {...}},
     "sig": {"alg": "ES256", "kid": "<key id>", "sigvl": "<base64url r||s>"}}

The signature is ECDSA P-256 with SHA-256 over the canonical JSON of
``data`` (RFC 8785, ``simi.audit.canonical``), written as the 64-byte
``r || s`` pair like a JWS ES256 signature (RFC 7518, 3.4), not as DER: it is
shorter in the QR code and every JOSE library reads it. No database here:
outside verifiers need only this logic, ``cryptography`` and keys.json.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from simi.audit.canonical import canonical_json

SEAL_TYPE = "simi.doc"
SEAL_VERSION = 1
ISSUING_STATE = "IDN"
ALGORITHM = "ES256"
# A seal is a few hundred bytes; anything far larger is not one, and is
# refused before JSON parsing so that garbage costs nothing.
MAX_SEAL_BYTES = 4096
_COORDINATE_BYTES = 32


class SealError(ValueError):
    """Text that is not a well-formed seal (before any key is consulted)."""


def b64url_encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii() or "=" in text:
        raise SealError("not base64url")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as exc:
        raise SealError("not base64url") from exc


def sign_data(data: dict[str, Any], key: ec.EllipticCurvePrivateKey, kid: str) -> dict[str, Any]:
    """The complete seal for ``data``."""
    der = key.sign(canonical_json(data), ec.ECDSA(hashes.SHA256()))
    r, s = decode_dss_signature(der)
    raw = r.to_bytes(_COORDINATE_BYTES, "big") + s.to_bytes(_COORDINATE_BYTES, "big")
    return {"data": data, "sig": {"alg": ALGORITHM, "kid": kid, "sigvl": b64url_encode(raw)}}


def signature_valid(data: Any, sigvl: str, public_key: ec.EllipticCurvePublicKey) -> bool:
    try:
        raw = b64url_decode(sigvl)
        message = canonical_json(data)
    except (SealError, ValueError, TypeError):
        return False
    if len(raw) != 2 * _COORDINATE_BYTES:
        return False
    r = int.from_bytes(raw[:_COORDINATE_BYTES], "big")
    s = int.from_bytes(raw[_COORDINATE_BYTES:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), message, ec.ECDSA(hashes.SHA256()))
    except (InvalidSignature, ValueError):
        return False
    return True


def seal_text(seal: dict[str, Any]) -> str:
    """The text put in the QR code: the seal's own canonical JSON (compact, stable)."""
    return canonical_json(seal).decode("utf-8")


def parse_seal(text: str | bytes) -> tuple[dict[str, Any], str, str]:
    """``(data, kid, sigvl)`` of a seal's text; ``SealError`` for anything else."""
    if isinstance(text, bytes):
        if len(text) > MAX_SEAL_BYTES:
            raise SealError("too long")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise SealError("not UTF-8") from exc
    if not isinstance(text, str) or len(text.encode("utf-8", "replace")) > MAX_SEAL_BYTES:
        raise SealError("too long")
    try:
        seal = json.loads(text.strip(), parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        raise SealError("not JSON") from exc
    if not isinstance(seal, dict) or set(seal) != {"data", "sig"}:
        raise SealError("not a seal")
    data, sig = seal["data"], seal["sig"]
    if not isinstance(data, dict) or not isinstance(sig, dict):
        raise SealError("not a seal")
    header = data.get("hdr")
    if header != {"t": SEAL_TYPE, "v": SEAL_VERSION, "is": ISSUING_STATE}:
        raise SealError("not a SIMI seal")
    if not isinstance(data.get("msg"), dict):
        raise SealError("no message")
    if sig.get("alg") != ALGORITHM:
        raise SealError("unsupported algorithm")
    kid, sigvl = sig.get("kid"), sig.get("sigvl")
    if not isinstance(kid, str) or not isinstance(sigvl, str) or len(kid) > 64:
        raise SealError("no key id or signature")
    return data, kid, sigvl


def _refuse_constant(name: str) -> Any:
    # NaN and Infinity are not JSON; Python's parser accepts them by default.
    raise ValueError(name)


def public_jwk(public_key: ec.EllipticCurvePublicKey, kid: str) -> dict[str, str]:
    """RFC 7517/7518 JSON Web Key of a P-256 public key."""
    numbers = public_key.public_numbers()
    return {
        "kty": "EC",
        "crv": "P-256",
        "x": b64url_encode(numbers.x.to_bytes(_COORDINATE_BYTES, "big")),
        "y": b64url_encode(numbers.y.to_bytes(_COORDINATE_BYTES, "big")),
        "kid": kid,
        "use": "sig",
        "alg": ALGORITHM,
    }


def public_key_from_xy(x: str, y: str) -> ec.EllipticCurvePublicKey:
    """The key of a JWK's coordinates; ``SealError`` when they are not a P-256 point."""
    try:
        numbers = ec.EllipticCurvePublicNumbers(
            int.from_bytes(b64url_decode(x), "big"),
            int.from_bytes(b64url_decode(y), "big"),
            ec.SECP256R1(),
        )
        return numbers.public_key()
    except ValueError as exc:
        raise SealError("not a P-256 point") from exc
