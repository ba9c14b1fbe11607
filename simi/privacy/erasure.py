"""Erasure of an applicant's personal data "where the law allows" (UU 27/2022 Pasal 43).

Whether SIMI may erase is decided by ``erasure_blockers``: each check names a
duty that obliges SIMI to keep the data (a retention-bound record): staff
accounts (accountability of official acts), submitted applications and the
register of foreigners. Drafts are not records: they are discarded with the
account, uploaded files included.

Erasure deletes the identity record and anonymizes the account; audit entries
stay, they hold ids only. The writes themselves are the accounts and core
domains' services (``account_anonymize``, ``person_delete``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.services import ERASED_EMAIL_DOMAIN, ERASED_NAME, account_anonymize
from simi.people.models import Person
from simi.people.services import person_delete

__all__ = ["ERASED_EMAIL_DOMAIN", "ERASED_NAME", "account_erase", "erasure_blockers"]

Blocker = Callable[[Any, Any], Promise | None]


def _staff_accounts_are_kept(user: Any, exclude_request: Any) -> Promise | None:
    if user.is_office_staff:
        return _("Staff accounts are kept: they are accountable for official acts.")
    return None


def _other_open_requests(user: Any, exclude_request: Any) -> Promise | None:
    from simi.privacy.models import DataSubjectRequest

    others = DataSubjectRequest.objects.filter(
        applicant=user, status__in=DataSubjectRequest.OPEN_STATUSES
    )
    if exclude_request is not None:
        others = others.exclude(pk=exclude_request.pk)
    if others.exists():
        return _("Other requests of this person are still open; finish them first.")
    return None


def _official_records_are_kept(user: Any, exclude_request: Any) -> Promise | None:
    """Submitted applications and the register of foreigners are official
    records with their own retention; drafts are not and go with the account."""
    from simi.applications.models import Application, Status

    if Application.objects.filter(applicant=user).exclude(status=Status.DRAFT).exists():
        return _(
            "Applications you submitted are official records and are kept for their "
            "retention period; your data can be erased after it ends."
        )
    if user.person_id is not None:
        from simi.oversight.models import Foreigner

        if Foreigner.objects.filter(person_id=user.person_id).exists():
            return _(
                "You are in the register of foreigners, an official record kept for its "
                "retention period."
            )
    return None


ERASURE_BLOCKERS: list[Blocker] = [
    _staff_accounts_are_kept,
    _other_open_requests,
    _official_records_are_kept,
]


def erasure_blockers(user: Any, *, exclude_request: Any = None) -> list[Promise]:
    """The reasons SIMI must keep this account's data; empty when it may erase."""
    reasons = [check(user, exclude_request) for check in ERASURE_BLOCKERS]
    return [reason for reason in reasons if reason is not None]


@transaction.atomic
def account_erase(*, actor: Any, user: Any) -> None:
    """Delete the person's identity record, anonymize the account, and drop the
    free-text details of their requests (the requests stay as proof of handling)."""
    from simi.applications.services import drafts_discard_for_erasure
    from simi.privacy.models import DataSubjectRequest

    locked = get_user_model().objects.select_for_update().get(pk=user.pk)
    drafts_discard_for_erasure(actor=actor, applicant=locked)
    person = Person.objects.filter(pk=locked.person_id).first() if locked.person_id else None
    if person is not None:
        person_delete(actor=actor, person=person)
    DataSubjectRequest.objects.filter(applicant=locked).update(details=None)
    account_anonymize(actor=actor, user=locked)
    user.refresh_from_db()
