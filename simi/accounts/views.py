"""Account pages: sign in/out, registration, e-mail verification, password
reset, dashboard, tokens."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from simi.accounts import contact, mfa, selectors, services
from simi.accounts.claims import selectors as claim_selectors
from simi.accounts.claims import services as claim_services
from simi.accounts.codes import Code
from simi.accounts.decorators import staff_required
from simi.accounts.forms import (
    ClaimOfficeForm,
    EmailLinkForm,
    IdentityForm,
    LoginForm,
    NewPasswordForm,
    RegisterForm,
    TokenCreateForm,
    TotpCodeForm,
    identity_data,
    identity_initial,
)
from simi.accounts.models import User
from simi.accounts.phones import display_mobile
from simi.accounts.roles import ALL_SCOPES, Role, policy_for
from simi.core import credentials
from simi.core.errors import NotFound, RateLimited, SimiError
from simi.core.formerrors import add_service_error, posted
from simi.core.hooks import run_hook
from simi.core.ratelimit import client_ip, client_network, hit
from simi.people.models import Person


class LoginView(auth_views.LoginView):
    """Sign-in with e-mail address or verified mobile number and password;
    every attempt passes the credential limiter (core.credentials) before the
    password is checked."""

    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        response = super().form_valid(form)
        # Django has already rotated the session key; start the staff clocks.
        now = int(time.time())
        self.request.session[mfa.SESSION_AUTH_AT] = now
        self.request.session[mfa.SESSION_SEEN_AT] = now
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        # An unverified account's sign-in error leads to a new verification link.
        context["unverified"] = isinstance(form, LoginForm) and form.has_error(
            NON_FIELD_ERRORS, "unverified"
        )
        return context

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        form = self.get_form()
        assert isinstance(form, LoginForm)
        # A number and the address of its account share one count.
        email = contact.sign_in_account(request.POST.get("username") or "")
        try:
            attempt = credentials.begin(request, account=email)
        except credentials.SignInDelayed as exc:
            form.refuse_unchecked(str(exc.message))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        if form.is_valid():
            attempt.succeeded()
            response = self.form_valid(form)
            credentials.remember_device(request, response, account=email)
            return response
        if form.get_user() is not None:
            attempt.succeeded()  # the right password of an account that may not sign in yet
        elif not form.password_checked:
            attempt.void()
        return self.form_invalid(form)


class AdminLoginView(LoginView):
    """The Django admin's sign-in, replaced by SIMI's: the same limiter, the
    same second factor (the staff session middleware asks for it before any
    admin page), then on to the admin."""

    redirect_authenticated_user = False  # a signed-in non-admin would loop

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if getattr(request.user, "is_staff", False):
            return redirect(self.get_success_url())
        if request.user.is_authenticated:
            raise PermissionDenied  # signed in, but not an administrator
        return super().get(request, *args, **kwargs)

    def get_default_redirect_url(self) -> str:
        return reverse("admin:index")


@never_cache
@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = RegisterForm(posted(request))
    status = 200
    if request.method == "POST":
        if not hit(
            "register-ip",
            client_ip(request),
            limit=services.REGISTRATIONS_PER_CLIENT,
            window_seconds=services.HOUR,
        ):
            form.add_error(
                None, _("Too many registrations from this connection. Try again in an hour.")
            )
            return render(request, "accounts/register.html", {"form": form}, status=429)
        if form.is_valid():
            try:
                services.applicant_register(
                    email=form.cleaned_data["email"],
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password"],
                    language=get_language() or "id",
                    mobile=form.cleaned_data["mobile"],
                )
            except SimiError as exc:
                add_service_error(form, exc)
            else:
                return redirect("accounts:register_done")
        status = 422
    return render(request, "accounts/register.html", {"form": form}, status=status)


def register_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/register_done.html")


@never_cache
def verify_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        services.email_verify(token=token)
    except SimiError as exc:
        return render(request, "accounts/verify_failed.html", {"error": exc}, status=400)
    messages.success(request, _("Your e-mail is verified. You can sign in now."))
    return redirect("accounts:login")


def _link_request(
    request: HttpRequest,
    *,
    send: Callable[..., None],
    template: str,
    done: str,
) -> HttpResponse:
    """A page that takes an address and always answers the same way: the same
    redirect to the same page whether the address has an account or not."""
    form = EmailLinkForm(posted(request))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                send(email=form.cleaned_data["email"], client=client_network(request))
            except RateLimited as exc:
                add_service_error(form, exc)
                response = render(request, template, {"form": form}, status=exc.status)
                response["Retry-After"] = str(exc.retry_after or services.HOUR)
                return response
            except SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                return redirect(done)
        else:
            status = 422
    return render(request, template, {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a link that sets a new password."""
    return _link_request(
        request,
        send=services.password_reset_request,
        template="accounts/password_reset.html",
        done="accounts:password_reset_done",
    )


def password_reset_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_done.html")


def _reset_link_refused(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_reset_invalid.html", status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_confirm(request: HttpRequest, uid: uuid.UUID, token: str) -> HttpResponse:
    """Choose a new password from the link in the mail; then sign in again.

    Every answer to a POST is counted first, a refused link too."""
    form = NewPasswordForm(posted(request))
    status = 200
    if request.method == "POST":
        try:
            services.count_client(
                "password-reset-confirm-ip",
                client_network(request),
                limit=services.RESET_CONFIRMS_PER_CLIENT,
            )
        except RateLimited as exc:
            add_service_error(form, exc)
            response = render(
                request, "accounts/password_reset_confirm.html", {"form": form}, status=429
            )
            response["Retry-After"] = str(exc.retry_after or services.HOUR)
            return response
    if selectors.password_reset_account(uid=uid, token=token) is None:
        return _reset_link_refused(request)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.password_reset_confirm(
                    uid=uid, token=token, password=form.cleaned_data["password"]
                )
            except SimiError as exc:
                if exc.code == Code.PASSWORD_RESET_LINK_INVALID:
                    return _reset_link_refused(request)
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(
                    request,
                    _("Your password is changed. Sign in with your new password."),
                )
                return redirect("accounts:login")
        else:
            status = 422
    return render(request, "accounts/password_reset_confirm.html", {"form": form}, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def verification_resend(request: HttpRequest) -> HttpResponse:
    """Ask for a new verification link."""
    return _link_request(
        request,
        send=services.verification_resend,
        template="accounts/verification_resend.html",
        done="accounts:verification_resend_done",
    )


def verification_resend_done(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/verification_resend_done.html")


@never_cache
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if user.is_office_staff:
        return redirect("backoffice:home")
    waiting = claim_selectors.identity_claims_waiting_own(actor=user).exists()
    verified = contact.verified_mobile(user)
    context = {"identity_waiting": waiting, "mobile": display_mobile(verified) if verified else ""}
    return render(request, "accounts/home.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    choices = [(s, ALL_SCOPES[s]) for s in sorted(policy_for(user.role).api_scopes)]
    form = TokenCreateForm(posted(request), scope_choices=choices)
    new_token = None
    status = 200
    if (
        request.method == "POST"
        and mfa.needs_mfa(user)
        and not mfa.session_recently_verified(request)
    ):
        # Issuing a staff token is sensitive: ask for a fresh code first.
        return redirect(f"{reverse('accounts:mfa_verify')}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, new_token = services.api_token_create(
                    actor=user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"] or ["profile"],
                    days=form.cleaned_data["days"],
                )
                form = TokenCreateForm(scope_choices=choices)
            except SimiError as exc:
                add_service_error(form, exc)
                status = 422
        else:
            status = 422
    context = {"form": form, "tokens": selectors.api_token_list(actor=user), "new_token": new_token}
    return render(request, "accounts/tokens.html", context, status=status)


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> HttpResponse:
    try:
        services.api_token_revoke(actor=request.user, public_id=token_id)  # type: ignore[arg-type]
    except SimiError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The token is revoked."))
    return redirect("accounts:tokens")


@staff_required
def backoffice_home(request: HttpRequest) -> HttpResponse:
    """The officer's start page: a card of real figures from each domain that
    has work for this role (``backoffice.home`` in settings.SIMI_HOOKS)."""
    cards = [card for card in run_hook("backoffice.home", actor=request.user) if card]
    return render(request, "backoffice/home.html", {"cards": cards})


@staff_required
def backoffice_staff(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    role = request.GET.get("role") or None
    if role not in Role.values:
        role = None
    staff = selectors.staff_list(actor=request.user, role=role)  # type: ignore[arg-type]
    page = Paginator(staff, 25).get_page(request.GET.get("page"))
    roles = [(value, label) for value, label in Role.choices if value != Role.APPLICANT]
    return render(request, "backoffice/staff.html", {"page": page, "roles": roles, "role": role})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("accounts:home")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if mfa.has_confirmed_device(user):
        return redirect(
            f"{reverse('accounts:mfa_verify')}?{urlencode({'next': _safe_next(request)})}"
        )
    device = mfa.mfa_enrolment_start(actor=user)
    uri = mfa.provisioning_uri(device)
    form = TotpCodeForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            mfa.mfa_verify(actor=user, code=form.cleaned_data["code"], confirming=True)
        except SimiError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            mfa.mark_session_verified(request)
            messages.success(request, _("Your authenticator is set up."))
            return redirect(_safe_next(request))
    elif request.method == "POST":
        status = 422
    context = {
        "form": form,
        "secret": device.secret,
        "qr": segno.make(uri, error="m").svg_data_uri(scale=5, border=2),
        "next": _safe_next(request),
    }
    return render(request, "accounts/mfa_setup.html", context, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not mfa.has_confirmed_device(user):
        return redirect(
            f"{reverse('accounts:mfa_setup')}?{urlencode({'next': _safe_next(request)})}"
        )
    form = TotpCodeForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            mfa.mfa_verify(actor=user, code=form.cleaned_data["code"])
        except SimiError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            mfa.mark_session_verified(request)
            return redirect(_safe_next(request))
    elif request.method == "POST":
        status = 422
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": _safe_next(request)},
        status=status,
    )


def _nik_facts(person: Person | None) -> dict[str, object] | None:
    """What the saved NIK says, shown read-only on the page."""
    if person is None or person.kind != Person.Kind.CITIZEN or not person.birth_date:
        return None
    return {"birth_date": person.birth_date, "sex": person.get_sex_display()}


def _office_choices() -> list[tuple[str, str]]:
    return [(office.code, office.name) for office in claim_selectors.offices_for_checks()]


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def identity(request: HttpRequest) -> HttpResponse:
    """The applicant's identity data, and any number of theirs waiting for a
    check at an office (with the office to bring the document to)."""
    user: User = request.user  # type: ignore[assignment]
    if user.role != Role.APPLICANT:
        raise PermissionDenied
    waiting = list(claim_selectors.identity_claims_waiting_own(actor=user))
    shown = user.person or next((c.person for c in waiting if c.person is not None), None)
    form = IdentityForm(posted(request), initial=identity_initial(shown))
    status = 200
    retry_after = 0
    if request.method == "POST":
        if form.is_valid():
            try:
                claim_services.applicant_identity_save(
                    actor=user, data=identity_data(form.cleaned_data, shown)
                )
            except RateLimited as exc:
                add_service_error(form, exc)
                status, retry_after = exc.status, exc.retry_after or 0
            except SimiError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                # The same answer whether a number waits for a check or not.
                messages.success(request, _("Your identity data is saved."))
                return redirect("accounts:home")
        else:
            status = 422
    offices = _office_choices()
    context = {
        "form": form,
        "nik_facts": _nik_facts(shown),
        "claims": [
            (
                claim,
                ClaimOfficeForm(
                    offices=offices, initial={"office": claim.office.code if claim.office else ""}
                ),
            )
            for claim in waiting
        ],
    }
    response = render(request, "accounts/identity.html", context, status=status)
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


@login_required
@require_POST
def identity_claim_office(request: HttpRequest, claim_id: uuid.UUID) -> HttpResponse:
    """The applicant chooses the office that checks a number of theirs."""
    user: User = request.user  # type: ignore[assignment]
    form = ClaimOfficeForm(request.POST, offices=_office_choices())
    if not form.is_valid():
        messages.error(request, _("Choose one of the offices listed."))
        return redirect("accounts:identity")
    try:
        claim = claim_services.identity_claim_office_choose(
            actor=user, public_id=claim_id, office_code=form.cleaned_data["office"]
        )
    except NotFound:
        raise Http404 from None
    except SimiError as exc:
        messages.error(request, str(exc.message))
    else:
        assert claim.office is not None
        messages.success(
            request,
            _("Bring your original document to %(office)s. You will get an e-mail after the check.")
            % {"office": claim.office.name},
        )
    return redirect("accounts:identity")
