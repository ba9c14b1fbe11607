"""Which seal keys sign now and which ones verifiers must accept.

The private key comes from ``simi.core.keys.seal_key()`` (``SIMI_SEAL_KEY``).
Its public half is recorded in ``SealKey`` the first time it signs, so that a
rotated-out key keeps verifying the seals it made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric import ec
from django.db import transaction
from django.utils import timezone

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core import keys
from simi.core.errors import NotFound, PermissionDenied
from simi.issuance.codes import Action
from simi.issuance.models import SealKey
from simi.issuance.seal import SealError, public_jwk, public_key_from_xy


@dataclass(frozen=True)
class PublicSealKey:
    kid: str
    key: ec.EllipticCurvePublicKey
    retired_at: datetime | None

    def as_jwk(self) -> dict[str, str]:
        jwk = public_jwk(self.key, self.kid)
        if self.retired_at is not None:
            # Not standard JWK, but harmless to JOSE libraries: tells people
            # the key verifies old seals and signs no new ones.
            jwk["retired"] = self.retired_at.date().isoformat()
        return jwk


def signing_key() -> tuple[ec.EllipticCurvePrivateKey, str]:
    key = keys.seal_key()
    return key, keys.ec_public_key_id(key.public_key())


def accepted_keys() -> dict[str, PublicSealKey]:
    """Every key a seal may be signed with: recorded keys not withdrawn, and
    the current key even before it has signed anything."""
    accepted: dict[str, PublicSealKey] = {}
    withdrawn: set[str] = set()
    for row in SealKey.objects.all():
        if row.withdrawn_at is not None:
            withdrawn.add(row.kid)
            continue
        try:
            accepted[row.kid] = PublicSealKey(
                row.kid, public_key_from_xy(row.x, row.y), row.retired_at
            )
        except SealError:
            continue  # a damaged row verifies nothing rather than everything
    private, kid = signing_key()
    if kid not in withdrawn:
        accepted[kid] = PublicSealKey(kid, private.public_key(), None)
    return accepted


def jwks() -> dict[str, list[dict[str, str]]]:
    """keys.json: the current key first, then retired keys newest first."""
    found = list(accepted_keys().values())
    active = [key for key in found if key.retired_at is None]
    retired = sorted(
        (key for key in found if key.retired_at is not None),
        key=lambda key: key.retired_at or timezone.now(),
        reverse=True,
    )
    return {"keys": [key.as_jwk() for key in active + retired]}


@transaction.atomic
def seal_key_register(*, actor: Actor | None) -> SealKey:
    """Record the current key before it signs; a new key retires the others."""
    private, kid = signing_key()
    existing = SealKey.objects.select_for_update(no_key=True).filter(kid=kid).first()
    if existing is not None:
        return existing
    jwk = public_jwk(private.public_key(), kid)
    now = timezone.now()
    retired = list(SealKey.objects.filter(retired_at__isnull=True).values_list("kid", flat=True))
    SealKey.objects.filter(retired_at__isnull=True).update(retired_at=now)
    row = SealKey.objects.create(kid=kid, x=jwk["x"], y=jwk["y"], first_used_at=now)
    audit_record(
        actor=actor,
        action=Action.SEAL_KEY_REGISTERED,
        target=row,
        data={"kid": kid, "retired": retired},
    )
    return row


@transaction.atomic
def seal_key_withdraw(*, actor: Actor, kid: str) -> SealKey:
    """Stop trusting a (compromised) key: every seal it made answers forged.

    Administrators only. The documents stay in the register; reissue them
    under the new key after configuring ``SIMI_SEAL_KEY``.
    """
    if not (actor.is_authenticated and actor.is_active and actor.is_staff):
        raise PermissionDenied()
    row = SealKey.objects.select_for_update(no_key=True).filter(kid=kid).first()
    if row is None:
        raise NotFound()
    if row.withdrawn_at is None:
        row.withdrawn_at = timezone.now()
        row.save(update_fields=["withdrawn_at"])
        audit_record(actor=actor, action=Action.SEAL_KEY_WITHDRAWN, target=row, data={"kid": kid})
    return row
