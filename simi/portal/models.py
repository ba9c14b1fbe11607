"""What the public tells the portal about its pages."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from simi.core.fields import EncryptedTextField

MAX_COMMENT_LENGTH = 500


class PageFeedback(models.Model):
    """One answer to "Was this page helpful?". No account, no address: the
    page, the answer, the language and an optional comment (encrypted, since
    people may write anything in it, personal data included)."""

    class Answer(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")

    path = models.CharField(_("page"), max_length=200, db_index=True)
    answer = models.CharField(_("answer"), max_length=3, choices=Answer.choices)
    comment = EncryptedTextField(_("comment"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("page feedback")
        verbose_name_plural = _("page feedback")

    def __str__(self) -> str:
        return f"{self.path} {self.answer}"
