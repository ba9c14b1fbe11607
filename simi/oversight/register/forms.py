"""HTML forms of the register: parsing only; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.core.models import Region
from simi.oversight.models import Movement, PermitKind, Sponsor


def kecamatan_choices() -> list[tuple[str, str]]:
    districts = Region.objects.filter(level=Region.Level.DISTRICT, code__startswith="18.04.")
    return [("", "—")] + [(r.code, r.name) for r in districts.order_by("name")]


class ForeignerFilterForm(forms.Form):
    nationality = forms.CharField(
        label=_("Nationality"), required=False, max_length=3, help_text=_("e.g. AUS")
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan"), required=False)
    permit_kind = forms.ChoiceField(
        label=_("Permit"), required=False, choices=[("", "—"), *PermitKind.choices]
    )
    expiring_within = forms.IntegerField(
        label=_("Permit ends within (days)"), required=False, min_value=0, max_value=366
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan_choices()  # type: ignore[attr-defined]


class ForeignerRegisterForm(forms.Form):
    mrz = forms.CharField(
        label=_("Passport MRZ"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
        help_text=_("The two lines of 44 characters at the bottom of the passport's photo page."),
    )
    kecamatan = forms.ChoiceField(label=_("Kecamatan of the address"), required=False)
    address = forms.CharField(
        label=_("Address in Lampung Barat"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan_choices()  # type: ignore[attr-defined]


class ForeignerEditForm(forms.Form):
    kecamatan = forms.ChoiceField(label=_("Kecamatan of the address"), required=False)
    address = forms.CharField(
        label=_("Address in Lampung Barat"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = kecamatan_choices()  # type: ignore[attr-defined]


class TravelDocumentForm(forms.Form):
    mrz = forms.CharField(
        label=_("MRZ of the new passport"),
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false", "autocomplete": "off"}),
    )


class PermitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PermitKind.choices)
    number = forms.CharField(label=_("Permit number"), max_length=40)
    valid_from = forms.DateField(
        label=_("Valid from"), widget=forms.DateInput(attrs={"type": "date"})
    )
    valid_until = forms.DateField(
        label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"})
    )
    sponsor = forms.ChoiceField(label=_("Sponsor"), required=False)

    def __init__(self, *args: Any, sponsors: list[Sponsor], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sponsor"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(s.public_id), f"{s.name} ({s.get_kind_display()})") for s in sponsors
        ]


class MovementForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Movement.Direction.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    port = forms.CharField(
        label=_("Port (TPI)"), max_length=100, help_text=_("e.g. Soekarno-Hatta (CGK)")
    )


class SponsorForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Sponsor.Kind.choices)
    name = forms.CharField(label=_("Name"), max_length=200)
    contact = forms.CharField(label=_("Contact (phone or e-mail)"), required=False, max_length=200)
