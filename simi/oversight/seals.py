"""Permit QR seals read in the field: by a patrol's sighting or in a device's
``seal_scan`` event. Verified by simi.issuance; only the verdict and the
document id are kept."""

from __future__ import annotations

import uuid


def verify_seal(text: str) -> tuple[str, uuid.UUID | None, str]:
    """The verdict on a permit seal, its document id (unless forged) and, when
    forged, why (simi.issuance.verification.Forgery)."""
    from simi.issuance import seal
    from simi.issuance.verification import Verdict, seal_verify

    verdict = seal_verify(text)
    if verdict.status == Verdict.FORGED:
        return str(verdict.status), None, str(verdict.reason or "")
    data, _kid, _sig = seal.parse_seal(text)
    return str(verdict.status), uuid.UUID(str(data["msg"]["id"])), ""
