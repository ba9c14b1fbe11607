"""HTML form parsing only; the rules live in the services."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from simi.accounts.models import User
from simi.enforcement.models import CaseStatus


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *CaseStatus.choices]
    )
    mine = forms.BooleanField(label=_("Assigned to me"), required=False)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("File (PDF, JPEG or PNG, at most 5 MB)"))
    description = forms.CharField(label=_("Description"), required=False, max_length=500)


class AssignForm(forms.Form):
    assignee = forms.ChoiceField(label=_("Assign to"))

    def __init__(self, *args: Any, officers: Iterable[User] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(u.public_id), u.full_name or u.email) for u in officers]
        # By name, in Python: names are encrypted, and an office has few officers.
        choices.sort(key=lambda choice: choice[1].casefold())
        self.fields["assignee"].choices = choices  # type: ignore[attr-defined]


class DeadlineForm(forms.Form):
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the case closed?"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ProposeForm(forms.Form):
    action = forms.ChoiceField(label=_("Administrative action"))
    grounds = forms.CharField(
        label=_("Written grounds"),
        min_length=20,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Facts, the violation and the legal basis; the supervisor reads these."),
    )
    effective_from = forms.DateField(
        label=_("Effective from"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_until = forms.DateField(
        label=_("Effective until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, action_types: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "id"
        self.fields["action"].choices = [  # type: ignore[attr-defined]
            (t.code, f"{t.name(language)} ({t.legal_basis})") for t in action_types
        ]


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reasons for the decision"),
        min_length=10,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
