"""The mobile number and the channels of notifications in the API: the
account page's operations, the same services (``contact``)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext
from ninja.responses import Status

from simi.accounts import contact
from simi.accounts.actors import signed_in
from simi.accounts.models import User
from simi.accounts.phones import masked_mobile
from simi.accounts.schemas import (
    MobileCodeIn,
    MobileCodeSentOut,
    MobileNumberIn,
    MobileNumberOut,
    NotificationChannelsIn,
    NotificationChannelsOut,
)
from simi.core.routing import ScopedRouter

router = ScopedRouter(tags=["accounts"])


def _phone_out(user: User) -> MobileNumberOut:
    phone = contact.phone_of_account(user)
    if phone is None:
        return MobileNumberOut(
            number=None, verified_at=None, pending_number=None, code_expires_at=None
        )
    return MobileNumberOut(
        number=phone.number if phone.verified else None,
        verified_at=phone.verified_at if phone.verified else None,
        pending_number=phone.pending_number or None,
        code_expires_at=phone.code_expires_at if phone.pending_number else None,
    )


def _sent_out(sent: contact.CodeSent) -> MobileCodeSentOut:
    return MobileCodeSentOut(
        message=gettext("We sent a 6-digit code by SMS to %(number)s.")
        % {"number": masked_mobile(sent.number)},
        sent_to=masked_mobile(sent.number),
        code_expires_at=sent.expires_at,
    )


@router.get("/me/phone", scope="profile", response=MobileNumberOut, summary="Your mobile number")
def phone_get(request: HttpRequest) -> MobileNumberOut:
    return _phone_out(signed_in(request.user))


@router.put(
    "/me/phone",
    scope="profile",
    response={202: MobileCodeSentOut},
    summary="Enter a mobile number to verify",
)
def phone_put(request: HttpRequest, payload: MobileNumberIn) -> Status[MobileCodeSentOut]:
    """Sends a 6-digit code by SMS to the number (valid 10 minutes, 5 tries);
    confirm it with POST /me/phone/confirm. A verified number keeps working
    until the new one is verified. The same answer whoever holds the number.
    422 `phone_format` (not an Indonesian mobile number), `phone_same`;
    429 `phone_code_wait` (one code a minute) or `phone_codes_limited`
    (5 an hour), with Retry-After."""
    sent = contact.phone_number_set(actor=request.user, number=payload.number)
    return Status(202, _sent_out(sent))


@router.post(
    "/me/phone/resend",
    scope="profile",
    response={202: MobileCodeSentOut},
    summary="Send a new code to the waiting number",
)
def phone_resend(request: HttpRequest) -> Status[MobileCodeSentOut]:
    """The old code stops working. 422 `phone_none` when no number waits;
    429 as for PUT /me/phone."""
    return Status(202, _sent_out(contact.phone_code_resend(actor=request.user)))


@router.post(
    "/me/phone/confirm",
    scope="profile",
    response=MobileNumberOut,
    summary="Verify the waiting number with its code",
)
def phone_confirm(request: HttpRequest, payload: MobileCodeIn) -> MobileNumberOut:
    """422 `phone_code_wrong` (the tries left in `fields.code`),
    `phone_code_used_up` (5 wrong codes), `phone_code_expired` (10 minutes),
    `phone_none`: ask for a new code."""
    contact.phone_code_confirm(actor=request.user, code=payload.code)
    return _phone_out(signed_in(request.user))


@router.delete("/me/phone", scope="profile", response={204: None}, summary="Remove your number")
def phone_delete(request: HttpRequest) -> Status[None]:
    """SMS and WhatsApp stop; a choice left without a channel falls back to
    e-mail. Repeating it is harmless."""
    contact.phone_number_remove(actor=request.user)
    return Status(204, None)


def _channels_out(user: User) -> NotificationChannelsOut:
    return NotificationChannelsOut(
        channels=contact.channels_shown(user),
        chosen=user.notification_channels is not None,
        available=contact.channels_available(user),
    )


@router.get(
    "/me/notification-channels",
    scope="profile",
    response=NotificationChannelsOut,
    summary="How you are told",
)
def channels_get(request: HttpRequest) -> NotificationChannelsOut:
    return _channels_out(signed_in(request.user))


@router.put(
    "/me/notification-channels",
    scope="profile",
    response=NotificationChannelsOut,
    summary="Choose how you are told",
)
def channels_put(request: HttpRequest, payload: NotificationChannelsIn) -> NotificationChannelsOut:
    """422 `channels_empty`, `channel_needs_phone` (SMS and WhatsApp need a
    verified number), `channel_needs_email`; at most 20 changes an hour
    (429 `channel_changes_limited`, Retry-After)."""
    user = signed_in(request.user)
    contact.notification_channels_choose(actor=user, channels=list(payload.channels))
    user.refresh_from_db(fields=["notification_channels"])
    return _channels_out(user)
