"""Issuance pages: public seal verification, the published keys, and the
back office's register, printable document and revocation. As thin as the
API: forms in, services and selectors underneath."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from simi.accounts.decorators import staff_required
from simi.accounts.mfa import session_recently_verified
from simi.core import errors
from simi.core.formerrors import add_service_error, posted, posted_files
from simi.core.ratelimit import client_ip, hit_wait
from simi.core.uploads import max_upload_bytes, read_limited
from simi.issuance import qrphoto, selectors, services
from simi.issuance.api import VERIFY_LIMIT
from simi.issuance.forms import DocumentRevokeForm, SealVerifyForm
from simi.issuance.models import IssuedDocument
from simi.issuance.printing import document_seal_text, seal_qr_data_uri
from simi.issuance.sealkeys import jwks
from simi.issuance.verification import seal_verify

PAGE_SIZE = 25
KEYS_MAX_AGE = 3600


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """Check a seal: from a photo of its QR code, or from its text."""
    form = SealVerifyForm(posted(request), posted_files(request))
    result = None
    status = 200
    wait = 0
    if request.method == "POST":
        # One count with the API, by the client behind the proxy.
        wait = hit_wait("seal-verify", client_ip(request), limit=VERIFY_LIMIT, window_seconds=60)
        if wait:
            form.add_error(None, str(errors.RateLimited.default_message))
            status = 429
        elif form.is_valid():
            photo = form.cleaned_data.get("photo")
            try:
                text = (
                    qrphoto.seal_text_from_photo(read_limited(photo, declared_size=photo.size))
                    if photo
                    else form.cleaned_data["seal"]
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                result = seal_verify(text)
                # An empty form again: the seal holds the document number, and the
                # next person at a shared counter device should not see it.
                form = SealVerifyForm()
        else:
            status = 422
    context = {
        "form": form,
        "result": result,
        "max_photo_bytes": max_upload_bytes(),
        "photo_side": qrphoto.MAX_SIDE,
    }
    response = render(request, "issuance/verify.html", context, status=status)
    if wait:
        response["Retry-After"] = str(wait)
    return response


@require_GET
def keys_json(request: HttpRequest) -> JsonResponse:
    """Public seal keys (JWKS). Cacheable and open to any origin: verifiers
    keep a copy for offline checks; new keys appear before they sign."""
    response = JsonResponse(jwks())
    response["Cache-Control"] = f"public, max-age={KEYS_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _get_or_404(public_id: uuid.UUID, request: HttpRequest, *, audited: bool) -> IssuedDocument:
    getter = selectors.document_open if audited else selectors.document_get
    try:
        return getter(actor=request.user, public_id=public_id)
    except errors.NotFound:
        raise Http404 from None


@staff_required
@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    found = selectors.document_list(actor=request.user)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "issuance/backoffice/documents.html", {"page": page})


@staff_required
@require_GET
def document_detail(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    """The printable receipt or decision page, with the MRZ and the QR seal."""
    document = _get_or_404(document_id, request, audited=True)
    text = document_seal_text(document)
    context = {
        "document": document,
        "seal_text": text,
        "qr_uri": seal_qr_data_uri(text),
        "can_revoke": services.can_revoke(request.user, document),
        "verify_url": request.build_absolute_uri(reverse("issuance:verify")),
    }
    return render(request, "issuance/backoffice/document.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def document_revoke(request: HttpRequest, document_id: uuid.UUID) -> HttpResponse:
    document = _get_or_404(document_id, request, audited=False)
    if not services.can_revoke(request.user, document):
        raise PermissionDenied
    if not session_recently_verified(request):
        # Revocation is sensitive: a code from the last few minutes, as for tokens.
        return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.path})}")
    form = DocumentRevokeForm(posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.document_revoke(
                    actor=request.user, document=document, reason=form.cleaned_data["reason"]
                )
            except errors.SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The document is revoked. Its seal now says so."))
                return redirect("issuance:document", document_id=document.public_id)
        else:
            status = 422
    context = {"document": document, "form": form}
    return render(request, "issuance/backoffice/revoke.html", context, status=status)
