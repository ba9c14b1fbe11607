from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema


class MeOut(Schema):
    """The signed-in account."""

    id: uuid.UUID
    email: str
    full_name: str
    role: str
    office_code: str | None
    email_verified: bool
    preferred_language: str


class TokenCreateIn(Schema):
    """Sign in with e-mail and password to get a bearer token for an app."""

    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=200)
    name: str = Field(
        ..., max_length=100, description="What the token is for, e.g. 'Android phone'."
    )
    scopes: list[str] = Field(default_factory=lambda: ["profile"], max_length=10)
    days: int = Field(
        30,
        ge=1,
        le=settings.SIMI_API_TOKEN_MAX_DAYS,
        description=(
            "Lifetime in days, at most the server's limit "
            f"(SIMI_API_TOKEN_MAX_DAYS, {settings.SIMI_API_TOKEN_MAX_DAYS} here)."
        ),
    )
    otp: str | None = Field(
        None,
        max_length=10,
        description="Staff only: the current 6-digit code of your authenticator.",
    )


class TokenOut(Schema):
    """An API token as its owner sees it; the secret is never shown again."""

    id: uuid.UUID
    name: str
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreatedOut(TokenOut):
    """The new token; ``token`` is shown this once."""

    token: str


class StaffOut(Schema):
    """A staff member as colleagues see them."""

    id: uuid.UUID
    full_name: str
    role: str
    office_code: str | None


class IdentityIn(Schema):
    """Your identity record as on your documents (stored encrypted).

    Citizens give their NIK; foreigners their passport number and nationality.
    """

    kind: Literal["citizen", "foreigner"]
    full_name: str = Field(..., min_length=1, max_length=150)
    nationality: str = Field("IDN", min_length=3, max_length=3, description="ICAO code, e.g. AUS.")
    nik: str | None = Field(None, max_length=32)
    passport_number: str | None = Field(None, max_length=20)
    sex: Literal["M", "F", "X"] = "X"
    birth_date: date | None = None
    address: str | None = Field(None, max_length=300)
    region_code: str | None = Field(None, max_length=13)
    phone: str | None = Field(None, max_length=20)


class IdentityOut(Schema):
    """Your identity record: numbers shown masked (only their last 4 characters)."""

    kind: str
    full_name: str
    nationality: str
    nik_last4: str | None
    passport_last4: str | None
    birth_date: date | None


class RegistrationIn(Schema):
    """A new applicant account, checked like the registration page: the
    address must be verified (the link in the mail) before signing in."""

    full_name: str = Field(
        ..., max_length=150, description="As written on the identity card or passport."
    )
    email: str = Field(..., max_length=254)
    password: str = Field(
        ..., max_length=200, description="At least 10 characters; not a common password."
    )


class AccountNoticeOut(Schema):
    """What happens next, in the caller's language; for a request that takes
    an address, the same answer whether the address has an account or not."""

    message: str


class EmailVerifyIn(Schema):
    """The token of a verification link: the last part of
    ``/akun/verifikasi-email/<token>/`` in the mail."""

    token: str = Field(..., max_length=500)


class PasswordResetIn(Schema):
    """The address of the account that needs a new password (or a new
    verification link)."""

    email: str = Field(..., max_length=254)


class PasswordResetConfirmIn(Schema):
    """A new password with the two parts of the link in the reset mail,
    ``/akun/sandi-baru/<uid>/<token>/``."""

    uid: uuid.UUID = Field(..., description="The account part of the link.")
    token: str = Field(..., max_length=100, description="The token part of the link.")
    password: str = Field(
        ..., max_length=200, description="At least 10 characters; not a common password."
    )
