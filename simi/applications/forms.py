"""HTML form parsing only; the rules live in services.py."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from simi.applications.deadlines import documents_deadline
from simi.applications.models import CancelReason, RejectReason, SponsorKind
from simi.oversight.models import StayPermit

# The "for whom" answer of an application for the account holder themself.
FOR_ME = "me"


class ApplicationNewForm(forms.Form):
    """Service and office; and, when the account has household members, for
    whom: the holder (``FOR_ME``) or one member (by id)."""

    applies_for = forms.ChoiceField(
        label=_("Who is this application for?"), widget=forms.RadioSelect
    )
    service = forms.ChoiceField(label=_("Service"))
    office = forms.ChoiceField(label=_("Office"))

    def __init__(
        self,
        *args: Any,
        services: list[tuple[str, str]],
        offices: list[tuple[str, str]],
        people: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if people:
            self.fields["applies_for"].choices = people  # type: ignore[attr-defined]
        else:
            del self.fields["applies_for"]
        # Nothing is chosen for the applicant: a pre-selected first office sent
        # drafts to an office the applicant never meant to visit.
        choose = ("", _("Choose…"))
        self.fields["service"].choices = [choose, *services]  # type: ignore[attr-defined]
        self.fields["office"].choices = [choose, *offices]  # type: ignore[attr-defined]


class SubmitForm(forms.Form):
    """The last step of applying: the applicant's declaration."""

    declaration = forms.BooleanField(
        label=_(
            "I declare that the information I have given is true and complete, and I "
            "understand that false information may lead to the refusal of my application."
        ),
        error_messages={
            "required": _(
                "Tick the box to declare that the information you have given is true and complete."
            )
        },
    )


class CancelForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=CancelReason.choices)


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=30,
        help_text=_("As on your receipt, e.g. 7K3M-Q9TX-2HNA-4P."),
    )


class DocumentUploadForm(forms.Form):
    requirement_code = forms.CharField(widget=forms.HiddenInput, max_length=60)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG or PNG, at most 5 MB. A clear scan or photo of the original."),
        error_messages={"required": _("Choose a file or take a photo first.")},
    )


class RequestDocumentsForm(forms.Form):
    requirement_codes = forms.MultipleChoiceField(
        label=_("Documents to ask for"), widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Message to the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("What is wrong or missing, in words the applicant understands."),
    )
    working_days = forms.IntegerField(label=_("Working days to answer"))

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requirement_codes"].choices = choices  # type: ignore[attr-defined]
        rule = documents_deadline()
        days = self.fields["working_days"]
        days.initial = rule.default_working_days
        days.min_value = rule.min_working_days  # type: ignore[attr-defined]
        days.max_value = rule.max_working_days  # type: ignore[attr-defined]
        days.validators = [
            MinValueValidator(rule.min_working_days),
            MaxValueValidator(rule.max_working_days),
        ]
        days.widget.attrs.update(min=rule.min_working_days, max=rule.max_working_days)
        days.help_text = _("Between %(min)d and %(max)d working days (%(basis)s).") % {
            "min": rule.min_working_days,
            "max": rule.max_working_days,
            "basis": rule.legal_basis,
        }


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note (staff only)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )


class InterviewForm(NoteForm):
    biometrics_reference = forms.CharField(label=_("Biometrics enrolment reference"), max_length=40)


class RejectForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason shown to the applicant"), choices=RejectReason.choices
    )
    note = forms.CharField(
        label=_("Grounds (staff only, kept on file)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class IssueForm(forms.Form):
    document_number = forms.CharField(
        label=_("Document number"),
        max_length=40,
        required=False,
        help_text=_("Passports: the number printed in the booklet. Other documents: leave empty."),
    )


class QueueFilterForm(forms.Form):
    queue = forms.ChoiceField(
        label=_("Queue"),
        required=False,
        choices=[
            ("", _("All open")),
            ("counter", _("Counter work")),
            ("decide", _("To decide or issue")),
            ("waiting", _("Waiting for the applicant")),
        ],
    )
    sla = forms.ChoiceField(
        label=_("Service standard"),
        required=False,
        choices=[("", _("Any")), ("breached", _("Past due")), ("near", _("Due soon"))],
    )
    q = forms.CharField(label=_("Tracking code"), max_length=30, required=False)


def permit_label(permit: StayPermit) -> str:
    """How a permit to extend is offered: kind, number and validity."""
    text = _("%(kind)s %(number)s, valid %(start)s to %(end)s") % {
        "kind": permit.get_kind_display(),
        "number": permit.number,
        "start": date_format(permit.valid_from, "DATE_FORMAT"),
        "end": date_format(permit.valid_until, "DATE_FORMAT"),
    }
    if permit.valid_until < timezone.localdate():
        text = _("%(permit)s (ended)") % {"permit": text}
    return str(text)


class DetailsForm(forms.Form):
    """The guided part of the application: only the fields the service asks for."""

    family_card_number = forms.CharField(
        label=_("Family card (KK) number"),
        max_length=20,
        required=False,
        help_text=_("16 digits, as printed on your Kartu Keluarga."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    sponsor_kind = forms.ChoiceField(
        label=_("Your sponsor is"),
        choices=SponsorKind.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    sponsor_name = forms.CharField(label=_("Sponsor's name"), max_length=200, required=False)
    sponsor_contact = forms.CharField(
        label=_("Sponsor's phone or e-mail"), max_length=254, required=False
    )
    extends_permit = forms.TypedChoiceField(
        label=_("The permit to extend"),
        coerce=uuid.UUID,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Your own permits that can be extended: current, or ended recently."),
    )

    def __init__(
        self, *args: Any, needed: list[str], permits: Sequence[StayPermit] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if "extends_permit" not in needed:
            del self.fields["extends_permit"]
        else:
            field = self.fields["extends_permit"]
            field.choices = [(str(p.public_id), permit_label(p)) for p in permits]  # type: ignore[attr-defined]
            if not permits:
                field.help_text = _(
                    "None of your permits in the register can be extended online. "
                    "Please contact the office."
                )
        if "family_card_number" not in needed:
            del self.fields["family_card_number"]
        if "sponsor" not in needed:
            for name in ("sponsor_kind", "sponsor_name", "sponsor_contact"):
                del self.fields[name]
