"""HTML form parsing for the privacy pages; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.privacy.models import DataCategory, DataSubjectRequest, Incident
from simi.privacy.services import MAX_DETAILS_LENGTH, IncidentData

_LOCAL_INPUT = "%Y-%m-%dT%H:%M"


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[_LOCAL_INPUT, "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=_LOCAL_INPUT),
        help_text=_("Local time (WIB)."),
    )


class DsrSubmitForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What do you ask for?"),
        choices=DataSubjectRequest.Kind.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Details"),
        required=False,
        max_length=MAX_DETAILS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For a correction: what is wrong and what is right. For a withdrawal of "
            "consent: which processing."
        ),
    )


class DsrDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Decision note"),
        required=False,
        max_length=MAX_DETAILS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What you decided and did. Required for a rejection."),
    )


class IncidentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, help_text=_("No personal data."))
    description = forms.CharField(
        label=_("What happened and how"),
        max_length=MAX_DETAILS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Stated in the notices to data subjects and to the PDP agency."),
    )
    occurred_at = _datetime_field(_("Occurred at"))
    discovered_at = _datetime_field(_("Discovered at"))
    severity = forms.ChoiceField(label=_("Severity"), choices=Incident.Severity.choices)
    data_categories = forms.MultipleChoiceField(
        label=_("Data exposed"),
        choices=DataCategory.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    affected_subjects = forms.IntegerField(
        label=_("Affected data subjects (estimate)"), min_value=0, initial=0
    )
    remediation = forms.CharField(
        label=_("Handling and recovery"),
        required=False,
        max_length=MAX_DETAILS_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What was done to contain it and to recover; stated in the notices."),
    )

    def to_data(self, *, status: str | None = None) -> IncidentData:
        data = self.cleaned_data
        return IncidentData(
            title=data["title"],
            description=data["description"],
            occurred_at=data["occurred_at"],
            discovered_at=data["discovered_at"],
            severity=data["severity"],
            data_categories=list(data["data_categories"]),
            affected_subjects=data["affected_subjects"],
            remediation=data.get("remediation") or "",
            status=status,
        )


class IncidentUpdateForm(IncidentForm):
    status = forms.ChoiceField(label=_("Status"), choices=Incident.Status.choices)

    def to_data(self, *, status: str | None = None) -> IncidentData:
        return super().to_data(status=self.cleaned_data["status"])


class IncidentNotifiedForm(forms.Form):
    audience = forms.ChoiceField(
        label=_("Notice sent to"),
        choices=[("subjects", _("Data subjects")), ("authority", _("PDP agency"))],
    )
    notified_at = _datetime_field(_("Sent at"))
