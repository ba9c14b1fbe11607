"""Erasure of an applicant's personal data "where the law allows" (UU 27/2022 Pasal 43).

Whether SIMI may erase is decided by ``erasure_blockers``: each check names a
duty that obliges SIMI to keep the data (a retention-bound record). Privacy
checks its own (staff accounts are accountable for official acts; other
requests still open); the domains above it add theirs through the hook
``privacy.erasure_blockers`` (settings.SIMI_HOOKS: submitted applications, the
register of foreigners), each handler answering a reason or None.

Erasure runs the hook ``privacy.erasing`` first (applications discards the
drafts, which are not records, uploaded files included), then deletes the
identity record and the household members' (``household_erase``) and
anonymizes the account; audit entries stay, they hold ids
only. The writes themselves are the other domains' services
(``account_anonymize``, ``person_delete``).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.household.services import household_erase
from simi.accounts.models import User
from simi.accounts.services import ERASED_EMAIL_DOMAIN, ERASED_NAME, account_anonymize
from simi.core.hooks import run_hook
from simi.people.selectors import person_own
from simi.people.services import person_delete
from simi.privacy.models import DataSubjectRequest

__all__ = ["ERASED_EMAIL_DOMAIN", "ERASED_NAME", "account_erase", "erasure_blockers"]

Blocker = Callable[[User, DataSubjectRequest | None], Promise | None]


def _staff_accounts_are_kept(
    user: User, exclude_request: DataSubjectRequest | None
) -> Promise | None:
    if user.is_office_staff:
        return _("Staff accounts are kept: they are accountable for official acts.")
    return None


def _other_open_requests(user: User, exclude_request: DataSubjectRequest | None) -> Promise | None:
    others = DataSubjectRequest.objects.filter(
        applicant=user, status__in=DataSubjectRequest.OPEN_STATUSES
    )
    if exclude_request is not None:
        others = others.exclude(pk=exclude_request.pk)
    if others.exists():
        return _("Other requests of this person are still open; finish them first.")
    return None


ERASURE_BLOCKERS: list[Blocker] = [
    _staff_accounts_are_kept,
    _other_open_requests,
]


def erasure_blockers(
    user: User, *, exclude_request: DataSubjectRequest | None = None
) -> list[Promise]:
    """The reasons SIMI must keep this account's data; empty when it may erase.
    Privacy's own checks first, then the official records of other domains."""
    reasons = [check(user, exclude_request) for check in ERASURE_BLOCKERS]
    reasons += run_hook("privacy.erasure_blockers", user=user)
    return [reason for reason in reasons if reason is not None]


@transaction.atomic
def account_erase(*, actor: User, user: User) -> None:
    """Delete the person's identity record, anonymize the account, and drop the
    free-text details of their requests (the requests stay as proof of handling)."""
    locked = User.objects.select_for_update(no_key=True).get(pk=user.pk)
    run_hook("privacy.erasing", actor=actor, user=locked)
    household_erase(actor=actor, account=locked)
    person = person_own(actor=locked)
    if person is not None:
        person_delete(actor=actor, person=person)
    DataSubjectRequest.objects.filter(applicant=locked).update(details=None)
    account_anonymize(actor=actor, user=locked)
    user.refresh_from_db()
