"""HTML form parsing for payments pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bank statement (CSV)"),
        help_text=_(
            "UTF-8 CSV with the header date,billing_code,amount,reference; "
            "dates as YYYY-MM-DD; at most 5 MB."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
