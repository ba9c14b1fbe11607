"""Signed tree heads: the exact bytes SIMI signs and how a signature is checked.

The message is plain text so that an outside verifier can rebuild it by hand::

    simi-audit-tree-head-v1\\n<size>\\n<root hex>\\n<timestamp, ISO 8601 UTC, microseconds>
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from simi.audit.canonical import utc_timestamp
from simi.audit.models import AuditTreeHead
from simi.core.keys import signing_key, signing_key_id

DOMAIN = b"simi-audit-tree-head-v1\n"


def tree_head_message(size: int, root_hash: bytes, created_at: datetime) -> bytes:
    return DOMAIN + f"{size}\n{root_hash.hex()}\n{utc_timestamp(created_at)}".encode()


def tree_head_sign(size: int, root_hash: bytes, created_at: datetime) -> tuple[str, bytes]:
    """(key id, Ed25519 signature) with the office signing key."""
    return signing_key_id(), signing_key().sign(tree_head_message(size, root_hash, created_at))


def tree_head_signature_valid(head: AuditTreeHead, public_key: Ed25519PublicKey) -> bool:
    message = tree_head_message(head.size, bytes(head.root_hash), head.created_at)
    try:
        public_key.verify(bytes(head.signature), message)
    except InvalidSignature:
        return False
    return True


def trusted_public_keys() -> dict[str, Ed25519PublicKey]:
    """The keys heads may be signed with, by key id: today the office key."""
    return {signing_key_id(): signing_key().public_key()}


def public_key_pem() -> str:
    """The office public key, for whoever verifies heads outside SIMI."""
    return (
        signing_key()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def load_public_key(pem: bytes) -> tuple[str, Ed25519PublicKey]:
    """(key id, key) from an Ed25519 public key in PEM form (an older office key)."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    # Same derivation as simi.core.keys.public_key_id, which needs the private half.
    return hashlib.sha256(raw).hexdigest()[:16], key
