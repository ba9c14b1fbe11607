"""Users (applicants, staff, partners) and API tokens."""

from __future__ import annotations

import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.roles import OFFICE_BOUND_ROLES, Role, policy_for
from simi.core.capabilities import CAPABILITIES, Capability
from simi.core.fields import EncryptedTextField
from simi.core.models import Office, TimeStampedModel
from simi.people.models import Person


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> User:
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> User:
        fields.setdefault("role", Role.ADMIN)
        fields.setdefault("is_superuser", True)
        fields.setdefault("full_name", "Administrator")
        fields.setdefault("email_verified_at", timezone.now())
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin, TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), unique=True)
    # Encrypted like every name SIMI holds (docs/security.md); nothing searches
    # or sorts by it, so it has no blind index.
    full_name = EncryptedTextField(_("full name"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.APPLICANT)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        verbose_name=_("office"),
    )
    is_active = models.BooleanField(_("active"), default=True)
    email_verified_at = models.DateTimeField(_("e-mail verified at"), null=True, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("id", "Bahasa Indonesia"), ("en", "English")],
        default="id",
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="account",
        verbose_name=_("identity record"),
        help_text=_("The applicant's own identity data (encrypted)."),
    )
    is_demo = models.BooleanField(
        _("synthetic demo account"),
        default=False,
        help_text=_("Created by seed_demo; not a real person."),
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role__in=sorted(OFFICE_BOUND_ROLES)) | Q(office__isnull=False),
                name="user_office_bound_role_has_office",
            ),
            models.CheckConstraint(
                condition=Q(email=Lower("email")),
                name="user_email_lowercase",
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_staff(self) -> bool:
        """Django admin access: administrators only (master data)."""
        return self.is_active and policy_for(self.role).django_admin

    @property
    def is_office_staff(self) -> bool:
        return policy_for(self.role).is_staff

    @property
    def sees_all_offices(self) -> bool:
        return policy_for(self.role).all_offices

    @property
    def capabilities(self) -> frozenset[Capability]:
        """What the role may do (for menus: ``{% if "x:y" in user.capabilities %}``)."""
        return policy_for(self.role).api_scopes if self.is_active else frozenset()

    def can(self, capability: Capability) -> bool:
        """Whether the role grants ``capability``; an unknown name is a mistake in
        the caller, refused instead of answering False for ever."""
        if capability not in CAPABILITIES:
            raise ValueError(f"unknown capability {capability!r} (see simi/core/capabilities.py)")
        return self.is_active and capability in policy_for(self.role).api_scopes

    @property
    def handles_privacy(self) -> bool:
        return self.can("privacy:handle")

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def has_perm(self, perm: str, obj: object = None) -> bool:
        # Admins manage master data in the Django admin; nobody else uses it.
        return self.is_active and (self.is_superuser or policy_for(self.role).django_admin)

    def has_module_perms(self, app_label: str) -> bool:
        return self.has_perm(app_label)


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def usable(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(TimeStampedModel):
    """A bearer token for the API. Only a SHA-256 digest of the secret is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    # First characters of the token, shown to the owner and used to find the row.
    prefix = models.CharField(max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class TotpDevice(TimeStampedModel):
    """A staff member's authenticator (RFC 6238 TOTP). The shared secret is
    encrypted at rest like personal data."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    secret = EncryptedTextField(_("secret"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    # The last accepted time step: a code is never accepted twice.
    last_step = models.BigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("authenticator")
        verbose_name_plural = _("authenticators")

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"


class IdentityClaim(TimeStampedModel):
    """An applicant's claim to an identity number, one row each time an account
    records a number (NIK or passport) it did not hold.

    A number no other record holds is the account's at once (``recorded``). A
    number another record holds is not refused (that answer told anyone who is
    on file): the claim waits (``pending``) until an officer at the office the
    applicant chose has seen the documents and confirms it (the number moves
    to the claimant's record) or rejects it. The number and the officer's note
    are encrypted; ``number_index`` is the number's blind index, the same as
    the person's.
    """

    class Number(models.TextChoices):
        NIK = "nik", _("NIK")
        PASSPORT = "passport", _("passport number")

    class Status(models.TextChoices):
        RECORDED = "recorded", _("Recorded (no other record held it)")
        PENDING = "pending", _("Waiting for a check at the office")
        CONFIRMED = "confirmed", _("Confirmed after a check")
        REJECTED = "rejected", _("Rejected after a check")
        WITHDRAWN = "withdrawn", _("Replaced by another number before the check")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="identity_claims", verbose_name=_("account")
    )
    # The claimant's record that gets the number when it is confirmed.
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("claimant's record"),
    )
    # The record that held the number when it was claimed (pending claims only).
    holder = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("record holding the number"),
    )
    number_kind = models.CharField(_("number"), max_length=10, choices=Number.choices)
    number = EncryptedTextField(_("number claimed"))
    number_index = models.CharField(max_length=64, editable=False, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("office checking the documents"),
    )
    decided_by = models.ForeignKey(
        User,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = EncryptedTextField(_("decision note"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("identity claim")
        verbose_name_plural = _("identity claims")
        indexes = [models.Index(fields=["status", "office"], name="identity_claim_queue")]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "number_kind"],
                condition=Q(status="pending"),
                name="identity_claim_one_pending_per_number",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["confirmed", "rejected"]) | Q(decided_at__isnull=False),
                name="identity_claim_decision_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_number_kind_display()} {self.public_id} ({self.status})"

    @property
    def number_last4(self) -> str:
        return self.number[-4:]


class HouseholdMember(TimeStampedModel):
    """A family member an applicant applies for: a person of their own
    household with an identity record (encrypted like every ``Person``), who
    has no account of their own here. Each application for a member carries
    the member's record; the account holder signs, pays and books for it."""

    class Relationship(models.TextChoices):
        CHILD = "child", _("Child")
        SPOUSE = "spouse", _("Spouse")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Brother or sister")
        OTHER = "other", _("Other family member")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    account = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="household_members",
        verbose_name=_("account"),
    )
    person = models.OneToOneField(
        Person,
        on_delete=models.PROTECT,
        related_name="household_membership",
        verbose_name=_("identity record"),
    )
    relationship = models.CharField(_("relationship"), max_length=10, choices=Relationship.choices)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.CheckConstraint(
                condition=Q(relationship__in=["child", "spouse", "parent", "sibling", "other"]),
                name="household_member_relationship_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_relationship_display()} {self.public_id}"
