"""Issued documents API: public seal verification and revocation by the
issuing office's supervisor."""

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from ninja import File
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from simi.core.codes import CommonCode
from simi.core.errors import RateLimited
from simi.core.ratelimit import client_ip, hit_wait
from simi.core.routing import PUBLIC, ScopedRouter
from simi.core.uploads import max_upload_bytes, read_limited
from simi.issuance import selectors, services
from simi.issuance.models import IssuedDocument
from simi.issuance.qrphoto import seal_text_from_photo
from simi.issuance.schemas import (
    AuditEvidenceOut,
    DocumentRevokeIn,
    IssuedDocumentOut,
    SealVerifyIn,
    SealVerifyOut,
)
from simi.issuance.verification import Verification, seal_verify

router = ScopedRouter(tags=["issued documents"])

# Tokens carry it once simi.accounts.roles grants it to supervisors; until
# then only the (MFA-verified) browser session can revoke through the API.
# Checks per client address per minute, counted with the verification page
# (one count for the deployment, by the client behind the proxy).
VERIFY_LIMIT = 30
# A seal is at most 4,096 characters (up to 12 bytes each once JSON-escaped);
# a body far beyond that is refused before Django reads it: past
# DATA_UPLOAD_MAX_MEMORY_SIZE Django raises, which would be a 500. The answer
# is 400 (documented for every operation) rather than 413, which the contract
# tests do not count as refusing malformed input.
MAX_VERIFY_BODY = 64 * 1024
# A photo's multipart body: the file (at most the upload limit) and its
# part headers; past that it is refused the same way, before Django reads it.
MULTIPART_OVERHEAD = 64 * 1024


def body_at_most(
    limit: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Refuse a request whose declared body is over ``limit()`` bytes with 400."""

    def decorate(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = limit() + 1
            if length > limit():
                body = {
                    "code": CommonCode.REQUEST_TOO_LARGE,
                    "message": gettext("The request is too large."),
                    "reference": getattr(request, "request_id", ""),
                }
                return JsonResponse({"error": body}, status=400)
            return run(request, *args, **kwargs)

        return wrapper

    return decorate


small_body_only = body_at_most(lambda: MAX_VERIFY_BODY)
photo_body_only = body_at_most(lambda: max_upload_bytes() + MULTIPART_OVERHEAD)


def _count_a_check(request: HttpRequest) -> None:
    wait = hit_wait("seal-verify", client_ip(request), limit=VERIFY_LIMIT, window_seconds=60)
    if wait:
        raise RateLimited(retry_after=wait)


def verification_out(result: Verification) -> SealVerifyOut:
    audit = result.audit
    return SealVerifyOut(
        status=result.status,
        reason=result.reason,
        kind=IssuedDocument.Kind(result.kind) if result.kind else None,
        initials=result.initials,
        birth_year=result.birth_year,
        valid_from=result.valid_from,
        valid_until=result.valid_until,
        revoked_on=result.revoked_at.date() if result.revoked_at else None,
        audit=(
            AuditEvidenceOut(
                position=audit.leaf_index, inclusion=audit.inclusion, tree_size=audit.tree_size
            )
            if audit is not None
            else None
        ),
    )


def document_out(document: IssuedDocument) -> IssuedDocumentOut:
    return IssuedDocumentOut(
        id=document.public_id,
        kind=IssuedDocument.Kind(document.kind),
        status=IssuedDocument.Status(document.status),
        initials=document.holder_initials,
        birth_year=document.holder_birth_year,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        issued_at=document.issued_at,
        office_code=document.office.code,
        revoked_at=document.revoked_at,
        audit_position=document.audit_leaf_index,
        mrz=([document.mrz_line1, document.mrz_line2 or ""] if document.mrz_line1 else None),
    )


@router.post(
    "/verify",
    scope=PUBLIC,
    response=SealVerifyOut,
    summary="Verify a document's seal",
)
@decorate_view(small_body_only)
def verify(request: HttpRequest, payload: SealVerifyIn) -> SealVerifyOut:
    """Anyone may check a seal: valid, revoked, expired, not_yet_valid or forged.

    A forged answer is 200 like the others: the request was fine, the seal is
    not. Valid seals come with the audit log position of their issuance and
    whether its inclusion proof checks. 30 checks per minute per address.
    """
    _count_a_check(request)
    return verification_out(seal_verify(payload.seal))


@router.post(
    "/verify/photo",
    scope=PUBLIC,
    response=SealVerifyOut,
    summary="Verify a document's seal from a photo of its QR code",
)
@decorate_view(photo_body_only)
def verify_photo(request: HttpRequest, photo: File[UploadedFile]) -> SealVerifyOut:
    """Multipart form with one file, ``photo``: a JPEG, PNG or WebP picture of
    the QR seal (judged by its bytes, at most the upload limit and 40
    megapixels). The seal read from it gets the same verdict as
    ``POST /verify``; the photo is not kept. 422 on ``photo`` when it is not
    a picture (``photo_not_an_image``), shows no readable QR code
    (``photo_no_qr``) or a QR code that is not a SIMI seal
    (``photo_not_a_seal``); ``file_too_large``, ``image_too_large``,
    ``image_damaged`` as for other uploads. Counted with ``POST /verify``:
    30 checks per minute per address.
    """
    _count_a_check(request)
    text = seal_text_from_photo(read_limited(photo.file, declared_size=photo.size))
    return verification_out(seal_verify(text))


@router.get(
    "/documents/{document_id}",
    scope="staff:read",
    response=IssuedDocumentOut,
    summary="An issued document (staff)",
)
def document_get(request: HttpRequest, document_id: uuid.UUID) -> IssuedDocumentOut:
    """A document of your office (others answer 404), with its MRZ when it has
    one; reading it is audited like opening its page."""
    return document_out(selectors.document_open(actor=request.user, public_id=document_id))


@router.post(
    "/documents/{document_id}/revoke",
    scope="documents:revoke",
    fresh_factor=True,
    response=IssuedDocumentOut,
    summary="Revoke an issued document",
)
def document_revoke(
    request: HttpRequest, document_id: uuid.UUID, payload: DocumentRevokeIn
) -> IssuedDocumentOut:
    """Supervisors of the issuing office only, with a reason."""
    document = selectors.document_get(actor=request.user, public_id=document_id)
    revoked = services.document_revoke(actor=request.user, document=document, reason=payload.reason)
    return document_out(revoked)
