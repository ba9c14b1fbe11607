"""HTML form parsing for the issuance pages; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.issuance.seal import MAX_SEAL_BYTES
from simi.issuance.services import MAX_REASON_LENGTH


class SealVerifyForm(forms.Form):
    seal = forms.CharField(
        label=_("Seal text"),
        max_length=MAX_SEAL_BYTES,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("Paste the text of the QR code on the document, or scan it with the camera."),
    )


class DocumentRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Stays on the record. At least 10 characters."),
    )
