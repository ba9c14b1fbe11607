"""HTML form parsing only; the rules live in services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.applications.models import CancelReason


class ApplicationNewForm(forms.Form):
    service = forms.ChoiceField(label=_("Service"))
    office = forms.ChoiceField(label=_("Office"))

    def __init__(
        self,
        *args: Any,
        services: list[tuple[str, str]],
        offices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = services  # type: ignore[attr-defined]
        self.fields["office"].choices = offices  # type: ignore[attr-defined]


class CancelForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CancelReason.choices)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        help_text=_("As on your receipt, e.g. 7K3M-Q9TX-2HNA-4P."),
    )
