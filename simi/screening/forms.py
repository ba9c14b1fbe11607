"""HTML form parsing only; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.screening.models import Watchlist


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Watchlist file"),
        help_text=_(
            "OpenSanctions targets.simple.csv, FollowTheMoney JSON lines, or the SIMI watchlist "
            "CSV; UTF-8."
        ),
    )


class WatchlistForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"), choices=Watchlist.Kind.choices)
    owner_agency = forms.CharField(label=_("Owner agency"), max_length=200, required=False)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("confirm", _("Confirm: it is this person")),
            ("dismiss", _("Dismiss: a different person (false positive)")),
            ("escalate", _("Escalate to the head of office")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required. What did you compare and why do you decide so?"),
        max_length=2000,
    )


class ControlForm(forms.Form):
    automatic_enabled = forms.TypedChoiceField(
        label=_("Automatic screening"),
        choices=[("on", _("On")), ("off", _("Off: stop automatic screening"))],
        coerce=lambda value: value == "on",
        widget=forms.RadioSelect,
    )
    review_threshold = forms.FloatField(
        label=_("Review threshold"), min_value=0.6, max_value=1.0, required=False
    )
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=500
    )
