"""Account pages for the mobile number and the channels of notifications:
as thin as the API, the same services (``contact``) underneath."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from simi.accounts import contact
from simi.accounts.forms import MobileCodeForm, MobileNumberForm, NotificationChannelsForm
from simi.accounts.models import User
from simi.accounts.phones import display_mobile, masked_mobile
from simi.core.errors import RateLimited, SimiError
from simi.core.formerrors import add_service_error


def _sent_message(sent: contact.CodeSent) -> str:
    # The same words whoever holds the number (contact's docstring).
    expires = time_format(timezone.localtime(sent.expires_at), "H:i")
    return _("We sent a 6-digit code by SMS to %(number)s. Enter it below before %(time)s.") % {
        "number": masked_mobile(sent.number),
        "time": expires,
    }


def _page(
    request: HttpRequest,
    *,
    number_form: MobileNumberForm | None = None,
    code_form: MobileCodeForm | None = None,
    status: int = 200,
    retry_after: int = 0,
) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    phone = contact.phone_of_account(user)
    context: dict[str, Any] = {
        "number_form": number_form or MobileNumberForm(),
        "code_form": code_form or MobileCodeForm(),
        "verified": display_mobile(phone.number)
        if phone is not None and phone.verified and phone.number
        else "",
        "pending": display_mobile(phone.pending_number)
        if phone is not None and phone.pending_number
        else "",
        "code_expires_at": phone.code_expires_at if phone is not None else None,
    }
    response = render(request, "accounts/phone.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def phone(request: HttpRequest) -> HttpResponse:
    """The account's mobile number: enter it (a code is sent), see its state."""
    if request.method == "GET":
        return _page(request)
    form = MobileNumberForm(request.POST)
    if not form.is_valid():
        return _page(request, number_form=form, status=422)
    try:
        sent = contact.phone_number_set(actor=request.user, number=form.cleaned_data["number"])
    except RateLimited as exc:
        add_service_error(form, exc)
        return _page(request, number_form=form, status=429, retry_after=exc.retry_after or 60)
    except SimiError as exc:
        add_service_error(form, exc)
        return _page(request, number_form=form, status=exc.status)
    messages.success(request, _sent_message(sent))
    return redirect("accounts:phone")


@never_cache
@login_required
@require_POST
def phone_code(request: HttpRequest) -> HttpResponse:
    """Confirm the code sent to the number waiting for it."""
    form = MobileCodeForm(request.POST)
    if not form.is_valid():
        return _page(request, code_form=form, status=422)
    try:
        contact.phone_code_confirm(actor=request.user, code=form.cleaned_data["code"])
    except SimiError as exc:
        add_service_error(form, exc)
        return _page(request, code_form=form, status=exc.status)
    messages.success(
        request,
        _("Your mobile number is verified. You can sign in with it and get SMS or WhatsApp."),
    )
    return redirect("accounts:notifications")


@login_required
@require_POST
def phone_code_resend(request: HttpRequest) -> HttpResponse:
    try:
        sent = contact.phone_code_resend(actor=request.user)
    except RateLimited as exc:
        messages.error(request, str(exc.message))
        return _page(request, status=429, retry_after=exc.retry_after or 60)
    except SimiError as exc:
        messages.error(request, str(exc.message))
        return _page(request, status=exc.status)
    messages.success(request, _sent_message(sent))
    return redirect("accounts:phone")


@login_required
@require_POST
def phone_remove(request: HttpRequest) -> HttpResponse:
    contact.phone_number_remove(actor=request.user)
    messages.success(request, _("Your mobile number is removed. SMS and WhatsApp have stopped."))
    return redirect("accounts:phone")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    """How the owner is told: e-mail, SMS, WhatsApp (the phone ones with a
    verified number)."""
    user: User = request.user  # type: ignore[assignment]
    available = contact.channels_available(user)
    form = NotificationChannelsForm(
        request.POST if request.method == "POST" else None,  # nothing ticked is an answer
        available=available,
        initial={"channels": contact.channels_shown(user)},
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                contact.notification_channels_choose(
                    actor=user, channels=form.cleaned_data["channels"]
                )
            except SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Your choice is saved."))
                return redirect("accounts:notifications")
        else:
            status = 422
    context = {
        "form": form,
        "has_phone": bool(contact.verified_mobile(user)),
        "chosen": user.notification_channels is not None,
    }
    return render(request, "accounts/notifications.html", context, status=status)
