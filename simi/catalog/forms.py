"""The filter form of the public catalogue page (parsing only)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.catalog.models import ApplicantCategory
from simi.core.selectors import office_list


class CatalogFilterForm(forms.Form):
    office = forms.ChoiceField(label=_("Office"), required=False)
    applicant_category = forms.ChoiceField(
        label=_("For"),
        required=False,
        choices=[
            ("", _("Everyone")),
            (ApplicantCategory.CITIZEN.value, ApplicantCategory.CITIZEN.label),
            (ApplicantCategory.FOREIGNER.value, ApplicantCategory.FOREIGNER.label),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offices = [(office.code, office.name) for office in office_list()]
        office_field = self.fields["office"]
        assert isinstance(office_field, forms.ChoiceField)
        office_field.choices = [("", _("All offices")), *offices]
