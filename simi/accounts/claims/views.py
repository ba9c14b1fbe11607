"""Back-office pages of identity claims (/kantor/identitas/): the office's
queue, one claim with the claimant's data, and the decision. As thin as the
API: the same selectors and services underneath."""

from __future__ import annotations

import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from simi.accounts.claims import selectors, services
from simi.accounts.decorators import staff_required
from simi.accounts.forms import ClaimDecisionForm
from simi.accounts.mfa import session_recently_verified
from simi.accounts.models import IdentityClaim, User
from simi.core import errors
from simi.core.formerrors import add_service_error

PAGE_SIZE = 25
ACTIONS = {"confirm": services.identity_claim_confirm, "reject": services.identity_claim_reject}


def _resolver(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if not user.can("people:resolve"):
        raise PermissionDenied
    return user


@staff_required
@require_GET
def claim_queue(request: HttpRequest) -> HttpResponse:
    user = _resolver(request)
    claims = selectors.identity_claims_for_office(actor=user)
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/claims/queue.html", {"page": page})


def _detail(
    request: HttpRequest, claim: IdentityClaim, form: ClaimDecisionForm, status: int = 200
) -> HttpResponse:
    context = {
        "claim": claim,
        "holder_account": selectors.holder_account(claim),
        "form": form,
    }
    return render(request, "accounts/claims/detail.html", context, status=status)


def _claim_or_404(user: User, claim_id: uuid.UUID) -> IdentityClaim:
    try:
        return selectors.identity_claim_get_staff(actor=user, public_id=claim_id)
    except errors.NotFound:
        raise Http404 from None


@staff_required
@require_GET
def claim_detail(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    user = _resolver(request)
    return _detail(request, _claim_or_404(user, claim_id), ClaimDecisionForm())


@staff_required
@require_POST
def claim_decide(request: HttpRequest, claim_id: uuid.UUID, action: str) -> HttpResponse:
    user = _resolver(request)
    decide = ACTIONS.get(action)
    if decide is None:
        raise Http404
    if not session_recently_verified(request):
        # Moving an identity number is sensitive: a code from the last few minutes.
        detail = reverse("backoffice:identity_claim", args=[claim_id])
        return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': detail})}")
    form = ClaimDecisionForm(request.POST)
    if not form.is_valid():
        return _detail(request, _claim_or_404(user, claim_id), form, status=422)
    try:
        decide(actor=user, public_id=claim_id, note=form.cleaned_data["note"])
    except errors.NotFound:
        raise Http404 from None
    except errors.SimiError as exc:
        add_service_error(form, exc)
        return _detail(request, _claim_or_404(user, claim_id), form, status=exc.status)
    if action == "confirm":
        messages.success(request, _("The number is confirmed as the claimant's."))
    else:
        messages.success(request, _("The claim is rejected; the claimant is told."))
    return redirect("backoffice:identity_claims")
