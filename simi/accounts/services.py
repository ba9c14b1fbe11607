"""Every write to accounts: registration, verification, password reset, staff, API tokens."""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts import links, tasks
from simi.accounts.codes import Action, Code
from simi.accounts.models import AccountPhone, ApiToken, IdentityClaim, User
from simi.accounts.phones import clean_mobile, mobile_index
from simi.accounts.roles import ALL_SCOPES, Role, policy_for
from simi.audit.services import audit_record
from simi.core.codes import CommonCode
from simi.core.errors import NotFound, PermissionDenied, RateLimited, ValidationFailed
from simi.core.models import Office
from simi.core.ratelimit import hit, hit_wait
from simi.people.models import Person
from simi.people.services import person_delete

TOKEN_PREFIX = "simi_"  # noqa: S105 - a label, not a secret

# Public requests that send mail, per hour: registrations from one connection
# (web form and API together), and for each kind of request for a link (a
# password reset, a new verification link) those from one connection and
# those for one address.
HOUR = 3600
REGISTRATIONS_PER_CLIENT = 10
LINK_REQUESTS_PER_CLIENT = 10
LINK_REQUESTS_PER_ADDRESS = 3
RESET_CONFIRMS_PER_CLIENT = 30
VERIFICATIONS_PER_CLIENT = 30


def _clean_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    if not email:
        raise ValidationFailed.for_field(
            "email", _("E-mail address is required."), code=Code.EMAIL_REQUIRED
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationFailed.for_field(
            "email", _("Enter a valid e-mail address."), code=Code.EMAIL_FORMAT
        ) from None
    return email


def _clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise ValidationFailed.for_field(
            "full_name", _("Full name is required."), code=CommonCode.NAME_REQUIRED
        )
    if len(name) > 150:
        raise ValidationFailed.for_field(
            "full_name", _("Full name is at most 150 characters."), code=CommonCode.NAME_TOO_LONG
        )
    return name


def _check_password(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationFailed(
            _("Choose a stronger password."),
            code=Code.PASSWORD_WEAK,
            fields={"password": list(exc.messages)},
        ) from None


@transaction.atomic
def applicant_register(
    *, email: str, full_name: str, password: str, language: str = "id", mobile: str = ""
) -> User | None:
    """Create an applicant account that must verify its e-mail before login.

    Returns ``None`` when the address is already registered; the caller shows
    the same "check your inbox" page. A known and an unknown address take the
    same path, so neither the answer nor its time tells who has an account:
    the password is hashed, the account row is inserted (the unique address
    refuses it when taken), one audit entry is written and one mail job is
    queued; the job decides what the mail says (docs/security.md, "Same work
    for every address").

    A ``mobile`` number (optional) is kept waiting for its code; no SMS goes
    before the owner has signed in and asks for the code on the account page.
    """
    email = _clean_email(email)
    full_name = _clean_name(full_name)
    number = clean_mobile(mobile, field="mobile") if (mobile or "").strip() else None
    language = language if language in {"id", "en"} else "id"
    candidate = User(
        email=email, full_name=full_name, role=Role.APPLICANT, preferred_language=language
    )
    _check_password(password, candidate)
    candidate.set_password(password)  # the slow step, for every address
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise
        audit_record(actor=None, action=Action.REGISTRATION_REPEATED, target=existing)
        transaction.on_commit(lambda: tasks.send_registration_email.enqueue(existing.pk))
        return None
    audit_record(actor=None, action=Action.APPLICANT_REGISTERED, target=candidate)
    if number is not None:
        AccountPhone.objects.create(
            account=candidate, pending_number=number, pending_index=mobile_index(number)
        )
        audit_record(
            actor=None,
            action=Action.PHONE_ADDED,
            target=candidate,
            data={"code_sent": False, "withheld": "at_registration"},
        )
    transaction.on_commit(lambda: tasks.send_registration_email.enqueue(candidate.pk))
    return candidate


def count_client(bucket: str, client: str, *, limit: int, window_seconds: int = HOUR) -> None:
    """Count one public request from a connection; ``RateLimited`` (with
    Retry-After) past ``limit`` in the window. Call it outside a transaction
    that may roll back, or the request would not count."""
    wait = hit_wait(bucket, client, limit=limit, window_seconds=window_seconds)
    if wait:
        raise RateLimited(
            _("Too many requests from this connection. Try again in about %(minutes)d minutes.")
            % {"minutes": max(1, math.ceil(wait / 60))},
            retry_after=wait,
        )


def _address_allowed(bucket: str, email: str) -> bool:
    return hit(bucket, email, limit=LINK_REQUESTS_PER_ADDRESS, window_seconds=HOUR)


def password_reset_request(*, email: str, client: str) -> None:
    """Queue a reset link for the active account with this address, if any.

    The same answer and the same work for every address (docs/security.md,
    "Same work for every address"): one look-up, one audit entry, one job
    with the account's id or none (the job sends nothing for none). Past the
    limit for the connection: ``RateLimited``; past the limit for the address,
    the request is dropped without a word, so it floods no mailbox and tells
    nothing. Not one transaction itself: the counters must stay counted.
    """
    count_client("password-reset-ip", client, limit=LINK_REQUESTS_PER_CLIENT)
    email = _clean_email(email)
    if _address_allowed("password-reset-address", email):
        _password_reset_queue(email=email)


@transaction.atomic
def _password_reset_queue(*, email: str) -> None:
    user = User.objects.filter(email=email, is_active=True).first()
    audit_record(actor=None, action=Action.PASSWORD_RESET_REQUESTED, target=user)
    user_id = user.pk if user is not None else None
    transaction.on_commit(lambda: tasks.send_password_reset_email.enqueue(user_id))


def _reset_link_invalid() -> ValidationFailed:
    return ValidationFailed.for_field(
        "token",
        _("This link is not valid any more: it has expired or was already used."),
        code=Code.PASSWORD_RESET_LINK_INVALID,
    )


@transaction.atomic
def password_reset_confirm(*, uid: uuid.UUID, token: str, password: str) -> User:
    """Set a new password from a reset link; the link then stops working.

    Every session of the account ends (Django's session check fails once the
    password changes) and its API tokens are revoked, since a forgotten
    password may be a stolen one; the owner signs in again. The link proves
    the owner reads the mail of the address, so an unverified address
    counts as verified from now on.
    """
    user = (
        User.objects.select_for_update(of=("self",), no_key=True)
        .filter(public_id=uid, is_active=True)
        .first()
    )
    if user is None or not links.password_reset_valid(user, token):
        raise _reset_link_invalid()
    _check_password(password, user)
    user.set_password(password)
    changed = ["password", "updated_at"]
    now = timezone.now()
    if user.email_verified_at is None:
        user.email_verified_at = now
        changed.append("email_verified_at")
        audit_record(actor=user, action=Action.EMAIL_VERIFIED, target=user)
    user.save(update_fields=changed)
    tokens = ApiToken.objects.filter(user=user, revoked_at__isnull=True)
    revoked = [str(t) for t in tokens.values_list("public_id", flat=True)]
    tokens.update(revoked_at=now, updated_at=now)
    audit_record(
        actor=user,
        action=Action.PASSWORD_RESET,
        target=user,
        data={"api_tokens_revoked": revoked},
    )
    return user


def verification_resend(*, email: str, client: str) -> None:
    """Queue a new verification link for an unverified active account with
    this address, if any; the same answer and work otherwise, with the same
    limits as a password reset request (see ``password_reset_request``)."""
    count_client("verification-resend-ip", client, limit=LINK_REQUESTS_PER_CLIENT)
    email = _clean_email(email)
    if _address_allowed("verification-resend-address", email):
        _verification_resend_queue(email=email)


@transaction.atomic
def _verification_resend_queue(*, email: str) -> None:
    user = User.objects.filter(email=email, is_active=True, email_verified_at__isnull=True).first()
    audit_record(actor=None, action=Action.VERIFICATION_RESENT, target=user)
    user_id = user.pk if user is not None else None
    transaction.on_commit(lambda: tasks.send_verification_email.enqueue(user_id))


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Mark the e-mail verified; repeating a valid link is harmless."""
    public_id, fingerprint = links.email_verification_read(token)
    user = User.objects.select_for_update(no_key=True).filter(public_id=public_id).first()
    if user is None or not links.email_matches(user, fingerprint):
        raise ValidationFailed.for_field(
            "token", _("This verification link is not valid."), code=Code.VERIFICATION_INVALID
        )
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at", "updated_at"])
        audit_record(actor=user, action=Action.EMAIL_VERIFIED, target=user)
    return user


@transaction.atomic
def staff_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    role: str,
    office: Office | None,
    password: str | None = None,
    is_demo: bool = False,
) -> User:
    """Create a staff or partner account (admins, or seed/CLI with actor=None)."""
    if actor is not None and actor.role != Role.ADMIN:
        raise PermissionDenied()
    if role not in Role.values or role == Role.APPLICANT:
        raise ValidationFailed.for_field(
            "role", _("Choose a staff or partner role."), code=Code.ROLE_INVALID
        )
    policy = policy_for(role)
    if policy.needs_office and office is None:
        raise ValidationFailed.for_field(
            "office", _("This role must belong to an office."), code=CommonCode.OFFICE_REQUIRED
        )
    user = User(
        email=_clean_email(email),
        full_name=_clean_name(full_name),
        role=role,
        office=office,
        email_verified_at=timezone.now(),
        is_demo=is_demo,
    )
    if User.objects.filter(email=user.email).exists():
        raise ValidationFailed.for_field(
            "email", _("This e-mail address already has an account."), code=Code.EMAIL_TAKEN
        )
    if password is None:
        user.set_unusable_password()
    else:
        if not is_demo:
            _check_password(password, user)
        user.set_password(password)
    user.save()
    audit_record(actor=actor, action=Action.STAFF_CREATED, target=user, data={"role": role})
    return user


def _digest(secret: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough; a slow one
    # would only slow every API call.
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, scopes: list[str], days: int
) -> tuple[ApiToken, str]:
    """Issue a token for the actor; the plaintext is returned once, never stored."""
    name = " ".join((name or "").split())
    if not name or len(name) > 100:
        raise ValidationFailed.for_field(
            "name", _("Give the token a name of 1 to 100 characters."), code=Code.TOKEN_NAME
        )
    allowed = policy_for(actor.role).api_scopes
    requested = sorted(set(scopes or ["profile"]))
    unknown = [s for s in requested if s not in ALL_SCOPES]
    if unknown:
        raise ValidationFailed.for_field(
            "scopes",
            _("Unknown scope: %(scope)s.") % {"scope": unknown[0]},
            code=Code.SCOPE_UNKNOWN,
        )
    forbidden = [s for s in requested if s not in allowed]
    if forbidden:
        raise ValidationFailed.for_field(
            "scopes",
            _("Your role cannot use the scope %(scope)s.") % {"scope": forbidden[0]},
            code=Code.SCOPE_FORBIDDEN,
        )
    if not 1 <= days <= settings.SIMI_API_TOKEN_MAX_DAYS:
        raise ValidationFailed.for_field(
            "days",
            _("A token lives from 1 to %(max)d days.") % {"max": settings.SIMI_API_TOKEN_MAX_DAYS},
            code=Code.TOKEN_DAYS,
        )
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        scopes=requested,
        expires_at=timezone.now() + timedelta(days=days),
    )
    audit_record(
        actor=actor, action=Action.API_TOKEN_CREATED, target=token, data={"scopes": requested}
    )
    return token, f"{TOKEN_PREFIX}{prefix}_{secret}"


@transaction.atomic
def api_token_revoke(*, actor: User, public_id: uuid.UUID) -> ApiToken:
    token = (
        ApiToken.objects.select_for_update(no_key=True)
        .filter(public_id=public_id, user=actor)
        .first()
    )
    if token is None:
        raise NotFound()
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit_record(actor=actor, action=Action.API_TOKEN_REVOKED, target=token)
    return token


def api_token_authenticate(raw: str) -> ApiToken | None:
    """The usable token for a presented bearer value, or ``None``."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 200:
        return None
    prefix, _sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not secret:
        return None
    token = (
        ApiToken.objects.usable()
        .select_related("user", "user__office")
        .filter(prefix=prefix)
        .first()
    )
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    # Touch last_used_at at most once a minute to keep reads cheap.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


ERASED_EMAIL_DOMAIN = "erased.invalid"
ERASED_NAME = "—"


@transaction.atomic
def account_anonymize(*, actor: User | None, user: User) -> None:
    """Keep the account row (audit entries and requests point at it) but nothing
    that identifies the person: address, name, password, tokens, the mobile
    number and the identity numbers it claimed go."""
    claims = IdentityClaim.objects.filter(account=user)
    # A record that waited for a check was never the account's (nor used by anything).
    waiting = claims.filter(status=IdentityClaim.Status.PENDING, person__account__isnull=True)
    for person in Person.objects.filter(pk__in=waiting.values("person_id")):
        person_delete(actor=actor, person=person)
    claims.delete()
    tokens = ApiToken.objects.filter(user=user)
    token_ids = [str(t) for t in tokens.values_list("public_id", flat=True)]
    tokens.delete()
    # The mobile number goes too, which frees it for whoever holds it next.
    AccountPhone.objects.filter(account=user).delete()
    user.email = f"erased-{user.public_id}@{ERASED_EMAIL_DOMAIN}"
    user.full_name = ERASED_NAME
    user.is_active = False
    user.notification_channels = None
    user.set_unusable_password()
    user.save(
        update_fields=[
            "email",
            "full_name",
            "is_active",
            "notification_channels",
            "password",
            "updated_at",
        ]
    )
    audit_record(
        actor=actor,
        action=Action.ACCOUNT_ANONYMIZED,
        target=user,
        data={"api_tokens_deleted": token_ids},
    )
