"""HTML form parsing only; the rules live in services.py."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.appointments.models import PriorityReason
from simi.catalog.models import ADDON_KINDS, ServiceKind


def slot_value(day: date, session_code: str) -> str:
    return f"{day.isoformat()}|{session_code}"


class SlotForm(forms.Form):
    """One session of one day, offered as radio buttons grouped by day."""

    slot = forms.ChoiceField(
        label=_("Day and session"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose a day and session."),
            "invalid_choice": _("This session is no longer available; choose another."),
        },
    )

    def __init__(self, *args: Any, slots: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].choices = slots  # type: ignore[attr-defined]

    def chosen(self) -> tuple[date, str]:
        day, session = self.cleaned_data["slot"].split("|", 1)
        return date.fromisoformat(day), session


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, I am sure"),
        error_messages={"required": _("Tick the box to confirm.")},
    )


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Booking code"),
        max_length=20,
        help_text=_("As on the applicant's confirmation, e.g. 7K3M-Q9TX."),
    )


def _kind_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in ServiceKind.choices if value not in ADDON_KINDS]


class WalkInForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=_kind_choices)
    reason = forms.ChoiceField(label=_("Priority because"), choices=PriorityReason.choices)


class CallNextForm(forms.Form):
    counter = forms.CharField(
        label=_("Counter"), max_length=20, help_text=_("E.g. Loket 2."), initial="Loket 1"
    )
