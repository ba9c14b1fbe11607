"""Accounts API: who am I, API tokens, the office's staff list."""

import uuid

from django.contrib.auth import authenticate
from django.http import HttpRequest
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
from simi.accounts.models import ApiToken, User
from simi.accounts.roles import Role
from simi.accounts.schemas import (
    IdentityIn,
    IdentityOut,
    MeOut,
    StaffOut,
    TokenCreatedOut,
    TokenCreateIn,
    TokenOut,
)
from simi.core import credentials
from simi.core.errors import NotAuthenticated, PermissionDenied
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
