"""One row per (recipient, event key, channel): the outbox of every message SIMI sends.

The row holds the event code and its params (ids and codes only), never the
destination: the e-mail address and phone number are read from the account
and its identity record when the message is sent.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from simi.accounts.models import NotificationChannel
from simi.core.models import TimeStampedModel
from simi.notifications.events import Event

# One vocabulary with the account's choice of channels (accounts is below us).
Channel = NotificationChannel


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notification(TimeStampedModel):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    key = models.CharField(
        _("event key"),
        max_length=200,
        help_text=_("The caller's idempotency key: one message per key and channel."),
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    params = models.JSONField(_("params"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=DeliveryStatus.choices,
        default=DeliveryStatus.PENDING,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error code"), max_length=64, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    provider_message_id = models.CharField(_("provider message id"), max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key", "channel"], name="notification_once_per_key_channel"
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="notification_sent_has_sent_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(claimed_at__isnull=False),
                name="notification_sending_is_claimed",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notification_due_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.channel} {self.public_id}"
