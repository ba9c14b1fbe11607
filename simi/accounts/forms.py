from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from simi.accounts.models import HouseholdMember, User
from simi.core.countries import country_choices
from simi.people.models import Person
from simi.people.services import PersonData


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


# The fields only one kind of person answers; the other kind's are neither
# validated nor saved, even when a page without scripts sent them.
CITIZEN_FIELDS = ("nik",)
FOREIGNER_FIELDS = ("passport_number", "nationality", "sex", "birth_date")


class IdentityForm(forms.Form):
    """The applicant's identity data; deep checks are the person service's.

    A citizen gives the NIK only: sex and birth date are read from it. A
    foreign national gives the passport, nationality (chosen by name), sex
    and birth date."""

    kind = forms.ChoiceField(
        label=_("Are you an Indonesian citizen or a foreign national?"),
        choices=[
            (Person.Kind.CITIZEN, _("Indonesian citizen")),
            (Person.Kind.FOREIGNER, _("Foreign national")),
        ],
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    nik = forms.CharField(
        label=_("NIK"),
        max_length=40,
        required=False,
        help_text=_("The 16 digits on your e-KTP. Your sex and birth date are read from it."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    passport_number = forms.CharField(
        label=_("Passport number"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        required=False,
        help_text=_("The country that issued your passport."),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = country_choices(exclude=frozenset({"IDN"}))
        saved = self.initial.get("nationality") or ""
        if saved and saved != "IDN" and saved not in {code for code, _name in choices}:
            choices.append((saved, saved))  # a code from before the list, kept as it is
        nationality = self.fields["nationality"]
        assert isinstance(nationality, forms.ChoiceField)
        nationality.choices = [("", _("Choose…")), *choices]

    @property
    def citizen_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in CITIZEN_FIELDS]

    @property
    def foreigner_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FOREIGNER_FIELDS]

    @property
    def common_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("full_name", "address", "phone")]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Person.Kind.CITIZEN:
            ignored: tuple[str, ...] = FOREIGNER_FIELDS
        elif kind == Person.Kind.FOREIGNER:
            ignored = CITIZEN_FIELDS
        else:
            return data
        for name in ignored:
            self.errors.pop(name, None)
            data[name] = None
        if kind == Person.Kind.FOREIGNER and not data.get("nationality"):
            self.add_error("nationality", _("Choose your nationality."))
        return data


def identity_initial(person: Person | None) -> dict[str, object]:
    if person is None:
        return {}
    return {
        "kind": person.kind,
        "full_name": person.full_name,
        "nik": person.nik or "",
        "passport_number": person.passport_number or "",
        "nationality": person.nationality,
        "sex": person.sex,
        "birth_date": person.birth_date,
        "address": person.address or "",
        "phone": person.phone or "",
    }


def identity_data(data: dict[str, Any], shown: Person | None) -> PersonData:
    """Only the chosen kind's fields: a citizen's sex and birth date come from
    the NIK, and a passport already on a citizen's record stays (not asked here)."""
    common = {
        "kind": data["kind"],
        "full_name": data["full_name"],
        "address": data["address"] or None,
        "phone": data["phone"] or None,
    }
    if data["kind"] == Person.Kind.CITIZEN:
        kept = shown.passport_number if shown and shown.kind == Person.Kind.CITIZEN else None
        return PersonData(**common, nik=data["nik"], passport_number=kept)
    return PersonData(
        **common,
        passport_number=data["passport_number"] or None,
        nationality=data["nationality"],
        sex=data["sex"] or Person.Sex.UNSPECIFIED,
        birth_date=data["birth_date"],
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


class HouseholdMemberForm(IdentityForm):
    """A family member's identity data: the identity form's fields and checks,
    asked about the member, and how the member is related to the applicant."""

    relationship = forms.ChoiceField(
        label=_("How is this person related to you?"),
        choices=[("", _("Choose…")), *HouseholdMember.Relationship.choices],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _(
            "Is this family member an Indonesian citizen or a foreign national?"
        )
        self.fields["full_name"].help_text = _(
            "As written on their identity card, family card or passport."
        )
        self.fields["nik"].help_text = _(
            "The 16 digits of their NIK (on the e-KTP or the Kartu Keluarga, also for "
            "children). Sex and birth date are read from it."
        )
        self.fields["nationality"].help_text = _("The country that issued their passport.")
