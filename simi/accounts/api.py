"""Accounts API: registration and password reset, who am I, API tokens, the
office's staff list."""

import uuid

from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status

from simi.accounts import mfa, selectors, services
from simi.accounts.actors import signed_in
from simi.accounts.claims import selectors as claim_selectors
from simi.accounts.claims.api import claim_out, identity_out
from simi.accounts.claims.api import router as claims_router
from simi.accounts.claims.schemas import MyIdentityOut
from simi.accounts.claims.services import applicant_identity_save as identity_save
from simi.accounts.codes import Code
from simi.accounts.household.api import router as household_router
from simi.accounts.models import ApiToken, User
from simi.accounts.roles import Role
from simi.accounts.schemas import (
    AccountNoticeOut,
    EmailVerifyIn,
    IdentityIn,
    IdentityOut,
    MeOut,
    PasswordResetConfirmIn,
    PasswordResetIn,
    RegistrationIn,
    StaffOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from simi.core import credentials
from simi.core.errors import NotAuthenticated, PermissionDenied
from simi.core.ratelimit import client_ip, client_network
from simi.core.routing import PUBLIC, ScopedRouter
from simi.people.services import PersonData

router = ScopedRouter(tags=["accounts"])


def _token_out(token: ApiToken) -> TokenOut:
    return TokenOut(
        id=token.public_id,
        name=token.name,
        prefix=token.prefix,
        scopes=token.scopes,
        created_at=token.created_at,
        expires_at=token.expires_at,
        last_used_at=token.last_used_at,
        revoked_at=token.revoked_at,
    )


@router.get("/me", scope="profile", response=MeOut, summary="The signed-in account")
def me(request: HttpRequest) -> MeOut:
    user: User = request.user  # type: ignore[assignment]
    return MeOut(
        id=user.public_id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        office_code=user.office.code if user.office else None,
        email_verified=user.email_verified,
        preferred_language=user.preferred_language,
    )


@router.post(
    "/auth/tokens",
    scope=PUBLIC,
    response={201: TokenCreatedOut},
    summary="Sign in and get an API token",
)
def token_create(request: HttpRequest, payload: TokenCreateIn) -> Status[TokenCreatedOut]:
    """Exchange e-mail and password for a bearer token with the given scopes.

    Wrong passwords are delayed like on the web sign-in, with the same count:
    after a few, 429 `sign_in_delayed` with Retry-After (seconds), growing."""
    attempt = credentials.begin(request, account=payload.email)
    user = authenticate(request, username=payload.email, password=payload.password)
    if user is None or not isinstance(user, User) or not user.is_active:
        raise NotAuthenticated(_("E-mail or password is wrong."), code=Code.LOGIN_FAILED)
    attempt.succeeded()
    if not user.email_verified:
        raise NotAuthenticated(_("Verify your e-mail address first."), code=Code.EMAIL_UNVERIFIED)
    if mfa.needs_mfa(user):
        # A staff token is a second key to the back office: only against a fresh code.
        mfa.mfa_verify(actor=user, code=payload.otp or "", field="otp")
    token, plaintext = services.api_token_create(
        actor=user, name=payload.name, scopes=payload.scopes, days=payload.days
    )
    return Status(201, TokenCreatedOut(**_token_out(token).model_dump(), token=plaintext))


@router.post(
    "/auth/register",
    scope=PUBLIC,
    response={202: AccountNoticeOut},
    summary="Register an applicant account",
)
def register(request: HttpRequest, payload: RegistrationIn) -> Status[AccountNoticeOut]:
    """Like the registration page: the same checks, the same limit (10 an
    hour from one connection, web and API together; 429 with Retry-After),
    and the same answer whether the address is new or already has an account,
    so the answer tells nobody who is registered. The mail says what applies:
    a verification link to a new or unverified address (POST
    /auth/verify-email with its token), "you already have an account" to a
    verified one."""
    services.count_client(
        "register-ip", client_ip(request), limit=services.REGISTRATIONS_PER_CLIENT
    )
    services.applicant_register(
        email=payload.email,
        full_name=payload.full_name,
        password=payload.password,
        language=get_language() or "id",
    )
    return Status(
        202,
        AccountNoticeOut(
            message=gettext(
                "If the address can be registered, we have sent a link to it. Open the link "
                "to activate your account, then sign in."
            )
        ),
    )


@router.post(
    "/auth/verify-email",
    scope=PUBLIC,
    response=AccountNoticeOut,
    summary="Verify an e-mail address",
)
def verify_email(request: HttpRequest, payload: EmailVerifyIn) -> AccountNoticeOut:
    """The token of the link in the verification mail; repeating it is
    harmless. A forged or altered token answers 422 `verification_invalid`,
    an old one `verification_expired` (ask for a new link on the web, or
    register again). At most 30 an hour from one connection."""
    services.count_client(
        "verify-email-ip", client_network(request), limit=services.VERIFICATIONS_PER_CLIENT
    )
    services.email_verify(token=payload.token)
    return AccountNoticeOut(message=gettext("Your e-mail is verified. You can sign in now."))


@router.post(
    "/auth/verify-email/resend",
    scope=PUBLIC,
    response={202: AccountNoticeOut},
    summary="Ask for a new verification link",
)
def verify_email_resend(request: HttpRequest, payload: PasswordResetIn) -> Status[AccountNoticeOut]:
    """Always 202 with the same answer: an active account whose address is
    not verified yet gets a new link; any other address nothing. The limits
    of a password reset request apply (10 an hour from one connection, 429
    with Retry-After; more than 3 for one address send nothing)."""
    services.verification_resend(email=payload.email, client=client_network(request))
    return Status(
        202,
        AccountNoticeOut(
            message=gettext(
                "If an account waits for this address to be verified, we have sent a new link "
                "to it. Open the link to activate your account, then sign in."
            )
        ),
    )


@router.post(
    "/auth/password-reset",
    scope=PUBLIC,
    response={202: AccountNoticeOut},
    summary="Ask for a password reset link",
)
def password_reset(request: HttpRequest, payload: PasswordResetIn) -> Status[AccountNoticeOut]:
    """Always 202 with the same answer, whether the address has an account
    or not: an active account gets a mail with a link that works once, for an
    hour (PASSWORD_RESET_TIMEOUT). Use its two parts with POST
    /auth/password-reset/confirm. At most 10 requests an hour from one
    connection (429 with Retry-After); more than 3 an hour for one address
    are answered alike but send nothing."""
    services.password_reset_request(email=payload.email, client=client_network(request))
    return Status(
        202,
        AccountNoticeOut(
            message=gettext(
                "If an account exists for this address, we have sent a link to it. Open the "
                "link to choose a new password."
            )
        ),
    )


@router.post(
    "/auth/password-reset/confirm",
    scope=PUBLIC,
    response=AccountNoticeOut,
    summary="Set a new password from a reset link",
)
def password_reset_confirm(
    request: HttpRequest, payload: PasswordResetConfirmIn
) -> AccountNoticeOut:
    """The link's account part (`uid`) and token with the new password. A
    link that is not valid, has expired or was used answers 422
    `password_reset_link_invalid` (ask again); a weak password 422
    `password_weak` with the reasons under `fields.password`. On success
    every session of the account ends and its API tokens are revoked: sign
    in again. At most 30 attempts an hour from one connection."""
    services.count_client(
        "password-reset-confirm-ip",
        client_network(request),
        limit=services.RESET_CONFIRMS_PER_CLIENT,
    )
    services.password_reset_confirm(uid=payload.uid, token=payload.token, password=payload.password)
    return AccountNoticeOut(
        message=gettext("Your password is changed. Sign in with your new password.")
    )


@router.get("/auth/tokens", scope="profile", response=list[TokenOut], summary="Your API tokens")
@paginate(LimitOffsetPagination)
def token_list(request: HttpRequest) -> list[TokenOut]:
    return [_token_out(t) for t in selectors.api_token_list(actor=request.user)]  # type: ignore[arg-type]


@router.delete(
    "/auth/tokens/{token_id}", scope="profile", response={204: None}, summary="Revoke an API token"
)
def token_revoke(request: HttpRequest, token_id: uuid.UUID) -> Status[None]:
    """Revoke one of your tokens; it stops working at once. Repeating is harmless."""
    services.api_token_revoke(actor=request.user, public_id=token_id)  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/staff", scope="staff:read", response=list[StaffOut], summary="Staff of your office")
@paginate(LimitOffsetPagination)
def staff_list(request: HttpRequest, role: Role | None = None) -> list[StaffOut]:
    """Staff of the caller's office and its service points (all offices for admins and auditors)."""
    users = selectors.staff_list(actor=request.user, role=role)  # type: ignore[arg-type]
    return [
        StaffOut(
            id=u.public_id,
            full_name=u.full_name,
            role=u.role,
            office_code=u.office.code if u.office else None,
        )
        for u in users
    ]


@router.put(
    "/me/identity", scope="profile", response=IdentityOut, summary="Record or correct your identity"
)
def identity_put(request: HttpRequest, payload: IdentityIn) -> IdentityOut:
    """Applicants only. Needed before applying; validated like the identity page
    (NIK check, passport format), stored encrypted.

    The answer shows what you entered, alike whether a number is already on
    file or not. A number another record holds must be checked at an office
    before you can apply with it: GET /me/identity lists it under ``claims``.
    At most a few changes a day (429 ``identity_changes_limited``, Retry-After)."""
    entered = identity_save(actor=signed_in(request.user), data=PersonData(**payload.model_dump()))
    return IdentityOut(
        kind=entered.kind,
        full_name=entered.full_name,
        nationality=entered.nationality,
        nik_last4=entered.nik[-4:] if entered.nik else None,
        passport_last4=entered.passport_number[-4:] if entered.passport_number else None,
        sex=entered.sex,  # type: ignore[arg-type]
        birth_date=entered.birth_date,
    )


@router.get("/me/identity", scope="profile", response=MyIdentityOut, summary="Your identity record")
def identity_get(request: HttpRequest) -> MyIdentityOut:
    """Applicants only. ``identity`` is the record you apply with; ``claims``
    are numbers of yours an officer must check first (choose the office with
    PUT /me/identity/claims/{claim_id}, then bring the document there)."""
    user = signed_in(request.user)
    if user.role != Role.APPLICANT:
        raise PermissionDenied()
    waiting = claim_selectors.identity_claims_waiting_own(actor=user)
    return MyIdentityOut(
        identity=identity_out(user.person) if user.person else None,
        claims=[claim_out(claim) for claim in waiting],
    )


router.add_router("", claims_router)
router.add_router("", household_router)
