"""The applicant's family members at /akun/keluarga/: list, add, correct,
remove. Forms in, the household services underneath (the API uses the same)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from simi.accounts.forms import HouseholdMemberForm, identity_data, identity_initial
from simi.accounts.household import selectors, services
from simi.accounts.models import HouseholdMember, User
from simi.accounts.roles import Role
from simi.core.errors import NotFound, SimiError
from simi.core.formerrors import add_service_error, posted


def _applicant(request: HttpRequest) -> User:
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.APPLICANT:
        raise PermissionDenied
    return user


def _own_or_404(user: User, member_id: uuid.UUID) -> HouseholdMember:
    try:
        return selectors.household_member_get_own(actor=user, public_id=member_id)
    except NotFound:
        raise Http404 from None


@never_cache
@login_required
@require_GET
def household(request: HttpRequest) -> HttpResponse:
    user = _applicant(request)
    members = list(selectors.household_members_own(actor=user))
    context = {
        "members": members,
        "can_add": len(members) < services.MAX_MEMBERS,
        "max_members": services.MAX_MEMBERS,
    }
    return render(request, "accounts/household/list.html", context)


def _member_form_page(
    request: HttpRequest, user: User, member: HouseholdMember | None
) -> HttpResponse:
    initial = identity_initial(member.person) if member else {}
    if member:
        initial["relationship"] = member.relationship
    form = HouseholdMemberForm(posted(request), initial=initial)
    status = 200
    retry_after = 0
    if request.method == "POST":
        if form.is_valid():
            data = identity_data(form.cleaned_data, member.person if member else None)
            relationship = form.cleaned_data["relationship"]
            try:
                if member is None:
                    services.household_member_add(actor=user, relationship=relationship, data=data)
                else:
                    services.household_member_update(
                        actor=user, public_id=member.public_id, relationship=relationship, data=data
                    )
            except NotFound:
                raise Http404 from None
            except SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
                retry_after = getattr(exc, "retry_after", 0) or 0
            else:
                messages.success(request, _("The family member's data is saved."))
                return redirect("accounts:household")
        else:
            status = 422
    context = {"form": form, "member": member}
    response = render(request, "accounts/household/form.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def household_add(request: HttpRequest) -> HttpResponse:
    return _member_form_page(request, _applicant(request), None)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request: HttpRequest, member_id: uuid.UUID) -> HttpResponse:
    user = _applicant(request)
    return _member_form_page(request, user, _own_or_404(user, member_id))


@login_required
@require_POST
def household_remove(request: HttpRequest, member_id: uuid.UUID) -> HttpResponse:
    user = _applicant(request)
    _own_or_404(user, member_id)
    try:
        services.household_member_remove(actor=user, public_id=member_id)
    except NotFound:
        raise Http404 from None
    except SimiError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The family member is removed from your account."))
    return redirect("accounts:household")
