"""HTML forms of devices: parsing only; the rules are in ``services.py``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.oversight.models import DeviceKeyKind, DeviceKind
from simi.oversight.register.forms import kecamatan_choices


class _WithKecamatan(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan_choices()  # type: ignore[attr-defined]


class DeviceForm(_WithKecamatan):
    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits, dashes; e.g. cctv-liwa-01"),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    kecamatan = forms.ChoiceField(label=_("Kecamatan"))
    location = forms.CharField(label=_("Location"), max_length=200)
    expected_interval_minutes = forms.IntegerField(
        label=_("Offline after minutes of silence"), initial=10, min_value=1, max_value=1440
    )
    key_kind = forms.ChoiceField(
        label=_("Key"), choices=DeviceKeyKind.choices, widget=forms.RadioSelect
    )
    public_key = forms.CharField(
        label=_("Ed25519 public key (base64)"),
        required=False,
        max_length=100,
        help_text=_("Only for an Ed25519 key. For HMAC, SIMI makes the secret and shows it once."),
    )


class RekeyForm(forms.Form):
    key_kind = forms.ChoiceField(
        label=_("New key"), choices=DeviceKeyKind.choices, widget=forms.RadioSelect
    )
    public_key = forms.CharField(
        label=_("Ed25519 public key (base64)"), required=False, max_length=100
    )


class DeviceFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", "—"), *DeviceKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", "—"), ("active", _("Active")), ("disabled", _("Disabled"))],
    )
