"""HTML forms of the partner pages: parsing only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class GuestForm(forms.Form):
    full_name = forms.CharField(label=_("Guest's full name (as in the passport)"), max_length=150)
    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=3,
        help_text=_("Three letters as in the passport, e.g. AUS"),
    )
    passport_number = forms.CharField(label=_("Passport number"), max_length=20)
    check_in = forms.DateTimeField(
        label=_("Check-in"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    check_out = forms.DateTimeField(
        label=_("Check-out"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty while the guest stays; report the check-out later."),
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file (UTF-8)"))
