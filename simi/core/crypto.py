"""Authenticated field encryption (AES-256-GCM) and keyed blind indexes.

Stored form: ``v1:<key id>:<base64url(nonce || ciphertext+tag)>``. The column
name is bound in as associated data, so a value copied into another column
does not decrypt. Exact look-ups use ``blind_index``: an HMAC-SHA256 of the
normalized value under a separate key, so the database never sees the value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from simi.core.keys import data_keyring, index_key

VERSION = "v1"
_NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be authenticated: wrong key, column or tampering."""


def encrypt(plaintext: str, *, context: str) -> str:
    ring = data_keyring()
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(ring.active_key).encrypt(nonce, plaintext.encode("utf-8"), context.encode())
    token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{VERSION}:{ring.active_id}:{token}"


def key_id_of(stored: str) -> str | None:
    parts = stored.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == VERSION else None


def decrypt(stored: str, *, context: str) -> str:
    parts = stored.split(":", 2)
    if len(parts) != 3 or parts[0] != VERSION:
        raise DecryptionError("not an encrypted SIMI value")
    _version, key_id, token = parts
    key = data_keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key {key_id} is not in the key ring")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        return (
            AESGCM(key)
            .decrypt(raw[:_NONCE_BYTES], raw[_NONCE_BYTES:], context.encode())
            .decode("utf-8")
        )
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("the value failed authentication") from exc


_BLOB_MAGIC = b"SIMIB1"


def encrypt_bytes(plaintext: bytes, *, context: str) -> bytes:
    """Encrypt a file's bytes: ``SIMIB1 | len(key id) | key id | nonce | ciphertext+tag``."""
    ring = data_keyring()
    key_id = ring.active_id.encode("ascii")
    nonce = os.urandom(_NONCE_BYTES)
    sealed = AESGCM(ring.active_key).encrypt(nonce, plaintext, context.encode())
    return _BLOB_MAGIC + bytes([len(key_id)]) + key_id + nonce + sealed


def decrypt_bytes(blob: bytes, *, context: str) -> bytes:
    if not blob.startswith(_BLOB_MAGIC) or len(blob) < len(_BLOB_MAGIC) + 1:
        raise DecryptionError("not an encrypted SIMI file")
    start = len(_BLOB_MAGIC) + 1
    key_id = blob[start : start + blob[len(_BLOB_MAGIC)]].decode("ascii", "replace")
    key = data_keyring().keys.get(key_id)
    if key is None:
        raise DecryptionError(f"key {key_id} is not in the key ring")
    body = blob[start + len(key_id) :]
    try:
        return AESGCM(key).decrypt(body[:_NONCE_BYTES], body[_NONCE_BYTES:], context.encode())
    except (InvalidTag, ValueError) as exc:
        raise DecryptionError("the file failed authentication") from exc


def blind_index(purpose: str, normalized: str) -> str:
    """Deterministic keyed digest for exact look-ups; ``purpose`` separates domains."""
    mac = hmac.new(index_key(), f"{purpose}\x1f{normalized}".encode(), hashlib.sha256)
    return mac.hexdigest()
