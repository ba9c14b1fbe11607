"""HTML form parsing for the issuance pages; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.issuance.seal import MAX_SEAL_BYTES
from simi.issuance.services import MAX_REASON_LENGTH


class SealVerifyForm(forms.Form):
    """A seal to check: a photo of its QR code, or its text (pasted, or put
    there by the page's camera scanner). A photo, when sent, is what counts."""

    photo = forms.FileField(
        label=_("Choose a photo of the QR code"),
        required=False,
        allow_empty_file=True,  # the photo reader refuses it in its own words
        widget=forms.FileInput(attrs={"accept": "image/*"}),
        help_text=_(
            "A JPEG, PNG or WebP picture. The photo is only read to find the code; it is not kept."
        ),
    )
    seal = forms.CharField(
        label=_("Seal text (what a QR reader app shows)"),
        required=False,
        max_length=MAX_SEAL_BYTES,
        widget=forms.Textarea(attrs={"rows": 4, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_(
            "Only if you have the text of the QR code, for example from a QR reader app. "
            "Paste all of it."
        ),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("photo") and not cleaned.get("seal"):
            raise forms.ValidationError(
                _("Send a photo of the QR code, or paste the seal text."), code="required"
            )
        return cleaned


class DocumentRevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for revocation"),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Stays on the record. At least 10 characters."),
    )
