"""Reads of users and tokens, already scoped to the caller."""

from __future__ import annotations

import uuid
from datetime import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from simi.accounts.links import password_reset_valid
from simi.accounts.models import ApiToken, User
from simi.accounts.roles import POLICIES, STAFF_ROLES, Role
from simi.accounts.scoping import scope_by_office
from simi.audit.selectors import entries_by
from simi.core.errors import NotFound, PermissionDenied


def staff_list(*, actor: User, role: str | None = None) -> QuerySet[User]:
    """Staff the actor may see: their office (and its service points) or all."""
    if not actor.is_office_staff:
        raise PermissionDenied()
    queryset = User.objects.filter(role__in=sorted(STAFF_ROLES), is_active=True).select_related(
        "office"
    )
    if role:
        queryset = queryset.filter(role=role)
    # Names are encrypted, so the database cannot order by them: by office, role
    # and address, which works at any size and keeps every page cheap.
    return scope_by_office(queryset, actor).order_by("office__code", "role", "email")


def staff_get(*, actor: User, public_id: uuid.UUID) -> User:
    try:
        return staff_list(actor=actor).get(public_id=public_id)
    except User.DoesNotExist:
        # Someone else's office answers exactly like a missing record.
        raise NotFound() from None


def api_token_list(*, actor: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=actor).order_by("-created_at")


def unverified_accounts_purge_candidates(*, cutoff: datetime) -> QuerySet[User]:
    """Applicant accounts made before ``cutoff`` and never used: e-mail not
    verified, never signed in, no identity record, nothing ever done (the
    audit log points at whoever acted, so they stay)."""
    return User.objects.filter(
        role=Role.APPLICANT,
        email_verified_at__isnull=True,
        last_login__isnull=True,
        person__isnull=True,
        created_at__lt=cutoff,
    ).exclude(Exists(entries_by(OuterRef("pk"))))


def api_tokens_purge_candidates(*, cutoff: datetime) -> QuerySet[ApiToken]:
    """Tokens revoked or expired before ``cutoff``."""
    return ApiToken.objects.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))


def users_with_capability(capability: str) -> QuerySet[User]:
    """Active accounts whose role grants ``capability`` (e.g. for notifications)."""
    roles = sorted(role for role, policy in POLICIES.items() if capability in policy.api_scopes)
    return User.objects.filter(role__in=roles, is_active=True).order_by("id")


def password_reset_account(*, uid: uuid.UUID, token: str) -> User | None:
    """The account a password reset link opens; ``None`` when the link is not
    valid (any more): forged, expired, or used (the password changed since)."""
    user = User.objects.filter(public_id=uid, is_active=True).first()
    if user is None or not password_reset_valid(user, token):
        return None
    return user
