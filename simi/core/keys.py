"""Key material: the data-encryption key ring, the blind-index key and the
office signing key.

Production reads keys from the environment or from files named by ``*_FILE``
(outside the repository). Development and tests generate them on first use
into ``SIMI_KEY_DIR`` (default ``var/keys``, ignored by git).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from simi.envconf import env_str


@dataclass(frozen=True)
class KeyRing:
    """AES-256-GCM keys by id; new data is always written with ``active_id``."""

    active_id: str
    keys: dict[str, bytes]

    @property
    def active_key(self) -> bytes:
        return self.keys[self.active_id]

    def to_json(self) -> str:
        encoded = {kid: base64.b64encode(key).decode() for kid, key in self.keys.items()}
        return json.dumps({"active": self.active_id, "keys": encoded}, indent=2)

    @classmethod
    def from_json(cls, text: str) -> KeyRing:
        try:
            raw = json.loads(text)
            keys = {str(kid): base64.b64decode(value) for kid, value in raw["keys"].items()}
            ring = cls(active_id=str(raw["active"]), keys=keys)
        except (ValueError, KeyError, TypeError) as exc:
            raise ImproperlyConfigured(
                f"The data key ring is not valid JSON of the expected shape: {exc}"
            ) from exc
        if ring.active_id not in ring.keys or any(len(k) != 32 for k in keys.values()):
            raise ImproperlyConfigured(
                "The data key ring needs 32-byte keys and an active id among them."
            )
        return ring

    def with_new_key(self) -> KeyRing:
        number = 1 + max((int(k[1:]) for k in self.keys if k[1:].isdigit()), default=0)
        new_id = f"k{number}"
        return KeyRing(active_id=new_id, keys={**self.keys, new_id: secrets.token_bytes(32)})


def key_dir() -> Path:
    return Path(env_str("SIMI_KEY_DIR", str(settings.VAR_DIR / "keys")))


def _create_once(path: Path, content: bytes) -> None:
    """Write a new key file unless another process just did (O_EXCL)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


def _generated_file(name: str, make: bytes) -> bytes:
    """The key file ``name`` in the key folder; made on first use outside production."""
    path = key_dir() / name
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                f"Key {name} is missing: set it in the environment or put it in {path} "
                "(see docs/security.md)."
            )
        _create_once(path, make)
    return path.read_bytes()


DATA_KEYS_FILE = "data-keys.json"


_ring_cache: dict[str, tuple[object, KeyRing]] = {}


def _ring_from_file(path: Path) -> KeyRing:
    """Parsed once per change of the file (by mtime): no read per decryption."""
    mtime = path.stat().st_mtime
    cached = _ring_cache.get(str(path))
    if cached is None or cached[0] != mtime:
        cached = (mtime, KeyRing.from_json(path.read_text(encoding="utf-8")))
        _ring_cache[str(path)] = cached
    return cached[1]


def data_keyring() -> KeyRing:
    """The current key ring. A file-based ring (``SIMI_DATA_KEYS_FILE`` or the
    key folder) is re-read when the file changes, so a running process learns
    a new key without a restart; an inline ``SIMI_DATA_KEYS`` is parsed once."""
    file_name = os.environ.get("SIMI_DATA_KEYS_FILE")
    if file_name:
        try:
            return _ring_from_file(Path(file_name))
        except OSError as exc:
            raise ImproperlyConfigured(
                f"SIMI_DATA_KEYS_FILE={file_name!r} cannot be read: {exc}"
            ) from exc
    from_env = os.environ.get("SIMI_DATA_KEYS", "")
    if from_env:
        cached = _ring_cache.get("env")
        if cached is None or cached[0] != from_env:
            cached = (from_env, KeyRing.from_json(from_env))
            _ring_cache["env"] = cached
        return cached[1]
    path = key_dir() / DATA_KEYS_FILE
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(
                "SIMI_DATA_KEYS (or its _FILE) is required in production."
            ) from None
        initial = KeyRing(active_id="k1", keys={"k1": secrets.token_bytes(32)})
        _generated_file(DATA_KEYS_FILE, initial.to_json().encode())
    return _ring_from_file(path)


def save_data_keyring(ring: KeyRing) -> Path:
    """Replace the key file (file-based key rings only)."""
    if env_str("SIMI_DATA_KEYS", ""):
        raise ImproperlyConfigured("The key ring comes from SIMI_DATA_KEYS; change it there.")
    path = key_dir() / DATA_KEYS_FILE
    temporary = path.with_suffix(".tmp")
    temporary.write_text(ring.to_json(), encoding="utf-8")
    temporary.chmod(0o600)
    temporary.replace(path)
    _ring_cache.clear()
    return path


@cache
def index_key() -> bytes:
    """HMAC key of the blind indexes; separate from the data keys, never rotated
    casually (changing it means recomputing every index)."""
    from_env = env_str("SIMI_INDEX_KEY", "")
    if from_env:
        key = base64.b64decode(from_env)
    else:
        key = base64.b64decode(
            _generated_file("index-key", base64.b64encode(secrets.token_bytes(32)))
        )
    if len(key) < 32:
        raise ImproperlyConfigured("SIMI_INDEX_KEY must hold at least 32 random bytes (base64).")
    return key


@cache
def signing_key() -> Ed25519PrivateKey:
    """The office's Ed25519 key: signs audit tree heads."""
    from_env = env_str("SIMI_SIGNING_KEY", "")
    if from_env:
        pem = from_env.encode()
    else:
        fresh = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        pem = _generated_file("signing-key.pem", fresh)
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("SIMI_SIGNING_KEY must be an Ed25519 private key in PEM form.")
    return key


def public_key_id(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def signing_key_id() -> str:
    return public_key_id(signing_key())


@cache
def seal_key() -> ec.EllipticCurvePrivateKey:
    """The office's P-256 key: signs the seals (VDS-NC style, ES256) of issued
    documents. Separate from the Ed25519 audit key because ICAO seals are ECDSA."""
    from_env = env_str("SIMI_SEAL_KEY", "")
    if from_env:
        pem = from_env.encode()
    else:
        fresh = ec.generate_private_key(ec.SECP256R1()).private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        pem = _generated_file("seal-key.pem", fresh)
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise ImproperlyConfigured(
            "SIMI_SEAL_KEY must be a P-256 (prime256v1) private key in PEM form."
        )
    return key


def ec_public_key_id(public_key: ec.EllipticCurvePublicKey) -> str:
    """First 16 hex digits of SHA-256 over the uncompressed point: stable for a
    key, so verifiers can pick it out of keys.json."""
    raw = public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return hashlib.sha256(raw).hexdigest()[:16]


def seal_key_id() -> str:
    return ec_public_key_id(seal_key().public_key())


def clear_caches() -> None:
    _ring_cache.clear()
    index_key.cache_clear()
    signing_key.cache_clear()
    seal_key.cache_clear()
