"""HTML form parsing for the portal's pages; the rules live in the services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from simi.portal.models import MAX_COMMENT_LENGTH, PageFeedback


class PageFeedbackForm(forms.Form):
    page = forms.CharField(max_length=2000, required=False, widget=forms.HiddenInput)
    answer = forms.ChoiceField(
        label=_("Was this page helpful?"),
        choices=PageFeedback.Answer.choices,
        error_messages={"required": _("Choose yes or no.")},
    )
    # The limit is checked again by the service; the message names it.
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=MAX_COMMENT_LENGTH,
        error_messages={
            "max_length": _("Your comment is too long: at most %(limit_value)d characters.")
        },
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": MAX_COMMENT_LENGTH}),
    )
