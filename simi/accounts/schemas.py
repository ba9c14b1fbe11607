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
    """Sign in with e-mail address (or verified mobile number) and password
    to get a bearer token for an app."""

    email: str = Field(
        ...,
        max_length=254,
        description="Your e-mail address, or your verified mobile number (0812..., +62812...).",
    )
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

    Citizens give their NIK: sex and birth date are read from it (a birth
    date sent must match it). Foreigners give their passport number,
    nationality, sex and birth date; a NIK they send is not stored.
    """

    kind: Literal["citizen", "foreigner"]
    full_name: str = Field(..., min_length=1, max_length=150)
    nationality: str = Field(
        "IDN",
        min_length=3,
        max_length=3,
        description="Foreigners: ISO 3166-1 alpha-3 (ICAO) code, e.g. AUS. Citizens: IDN.",
    )
    nik: str | None = Field(None, max_length=32, description="Citizens: the 16-digit NIK.")
    passport_number: str | None = Field(None, max_length=20)
    sex: Literal["M", "F", "X"] = Field("X", description="Foreigners; a citizen's is the NIK's.")
    birth_date: date | None = Field(None, description="Foreigners; a citizen's is the NIK's.")
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
    sex: Literal["M", "F", "X"]
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
    mobile: str | None = Field(
        None,
        max_length=30,
        description=(
            "Optional Indonesian mobile number (0812..., +62812...). No SMS goes yet: "
            "after signing in, POST /me/phone/resend sends its code, POST /me/phone/confirm "
            "verifies it."
        ),
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


class MobileNumberIn(Schema):
    """A mobile number to verify: Indonesian, as people write it
    (``0812 3456 7890``, ``+62 812-3456-7890``, ``6281234567890``)."""

    number: str = Field(..., max_length=30)


class MobileCodeIn(Schema):
    """The 6-digit code of the SMS sent to the number waiting for it."""

    code: str = Field(..., max_length=10)


class MobileNumberOut(Schema):
    """Your mobile numbers in E.164: the verified one (sign-in, SMS and
    WhatsApp) and one waiting for its code, if any."""

    number: str | None = Field(None, description="The verified number, e.g. +6281234567890.")
    verified_at: datetime | None
    pending_number: str | None = Field(None, description="The number waiting for its code.")
    code_expires_at: datetime | None = Field(
        None, description="Until when the code sent to the waiting number works."
    )


class MobileCodeSentOut(Schema):
    """Where the code went (masked) and until when it works; the same answer
    whoever holds the number."""

    message: str
    sent_to: str = Field(..., description="The number, masked: +62 812 ***** 890.")
    code_expires_at: datetime


class NotificationChannelsIn(Schema):
    """How you want to be told: ``email``, ``sms``, ``whatsapp`` (the phone
    ones need a verified number; at least one)."""

    channels: list[Literal["email", "sms", "whatsapp"]] = Field(..., max_length=3)


class NotificationChannelsOut(Schema):
    """Your channels; ``chosen`` is false until you choose (then e-mail, and
    SMS when your identity record has a phone, as the office configured)."""

    channels: list[str]
    chosen: bool
    available: list[str] = Field(..., description="The channels you may choose now.")
