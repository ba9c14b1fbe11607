"""HTML forms of sightings: parsing only; the rules are in ``services.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.oversight.models import SealVerdict, Sighting
from simi.oversight.register.forms import kecamatan_choices


class _WithKecamatan(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan_choices()  # type: ignore[attr-defined]


class SightingForm(_WithKecamatan):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    seen_at = forms.DateTimeField(
        label=_("Seen at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("Leave empty for now."),
    )
    latitude = forms.CharField(
        label=_("Latitude (GPS)"), required=False, max_length=20, help_text=_("e.g. -5.0235")
    )
    longitude = forms.CharField(
        label=_("Longitude (GPS)"), required=False, max_length=20, help_text=_("e.g. 104.0744")
    )
    foreigner = forms.CharField(widget=forms.HiddenInput, required=False)
    passport_number = forms.CharField(label=_("Passport number"), required=False, max_length=20)
    nationality = forms.CharField(
        label=_("Nationality"), required=False, max_length=3, help_text=_("e.g. AUS")
    )
    seal = forms.CharField(
        label=_("Permit QR code"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("The text the scanner reads from the permit's QR code; checked at once."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    photo = forms.FileField(
        label=_("Photo (JPEG or PNG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


class SightingFilterForm(_WithKecamatan):
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    subject = forms.ChoiceField(
        label=_("Person seen"), required=False, choices=[("", "—"), *Sighting.Subject.choices]
    )
    seal_verdict = forms.ChoiceField(
        label=_("Seal verdict"), required=False, choices=[("", "—"), *SealVerdict.choices]
    )
    address_mismatch = forms.ChoiceField(
        label=_("Away from the registered address"),
        required=False,
        choices=[("", "—"), ("yes", _("Yes")), ("no", _("No"))],
    )
