from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from simi.accounts.models import User
from simi.people.models import Person


class LoginForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    error_messages = {
        "invalid_login": _("E-mail or password is wrong."),
        "inactive": _("This account is not active."),
        "unverified": _("Verify your e-mail address first: open the link we sent you."),
    }

    @property
    def password_checked(self) -> bool:
        """Whether validation got as far as checking the password."""
        data = getattr(self, "cleaned_data", {})
        return bool(data.get("username")) and bool(data.get("password"))

    def refuse_unchecked(self, message: str) -> None:
        """Show ``message`` without validating: the password is not checked."""
        self.cleaned_data: dict[str, Any] = {}
        self._errors = ErrorDict()
        self.add_error(None, message)

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if isinstance(user, User) and not user.email_verified:
            raise forms.ValidationError(self.error_messages["unverified"], code="unverified")


class RegisterForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=150,
        help_text=_("As written on your identity card or passport."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        max_length=200,
        help_text=_("At least 10 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password_confirm = forms.CharField(
        label=_("Password again"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return data


class EmailLinkForm(forms.Form):
    """The address to send a link to (a password reset, a new verification link)."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class NewPasswordForm(forms.Form):
    password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=200,
        help_text=_("At least 10 characters; not a common password."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "autofocus": True}),
    )
    password_confirm = forms.CharField(
        label=_("New password again"),
        strip=False,
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_confirm"):
            self.add_error("password_confirm", _("The two passwords are not the same."))
        return data


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"),
        min_value=1,
        max_value=settings.SIMI_API_TOKEN_MAX_DAYS,
        initial=30,
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, scope_choices: Sequence[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scopes = self.fields["scopes"]
        assert isinstance(scopes, forms.MultipleChoiceField)
        scopes.choices = scope_choices


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("6-digit code"),
        max_length=10,
        help_text=_("The code your authenticator app shows now."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class IdentityForm(forms.Form):
    """The applicant's identity data; deep checks are the person service's."""

    kind = forms.ChoiceField(label=_("I am"), choices=Person.Kind.choices, widget=forms.RadioSelect)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        required=False,
        help_text=_("Citizens: the 16 digits on your e-KTP."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    nationality = forms.CharField(
        label=_("Nationality"),
        max_length=3,
        required=False,
        help_text=_("Foreigners: the three-letter code in your passport, e.g. DEU."),
    )
    # No default: a pre-chosen "male" was saved for everyone who skipped the field.
    sex = forms.ChoiceField(
        label=_("Sex"), choices=[("", _("Choose…")), *Person.Sex.choices], required=False
    )
    birth_date = forms.DateField(
        label=_("Birth date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    address = forms.CharField(
        label=_("Address"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    phone = forms.CharField(
        label=_("Phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )


class ClaimOfficeForm(forms.Form):
    """Where the applicant will bring the document for the check of a number."""

    office = forms.ChoiceField(label=_("Office I will visit"))

    def __init__(self, *args: Any, offices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office = self.fields["office"]
        assert isinstance(office, forms.ChoiceField)
        office.choices = [("", "—"), *offices]


class ClaimDecisionForm(forms.Form):
    note = forms.CharField(
        label=_("Documents seen"),
        max_length=500,
        help_text=_(
            "Which original documents you checked, e.g. 'original e-KTP, matches the face'."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
