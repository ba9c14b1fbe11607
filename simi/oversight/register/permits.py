"""Every write on stay permits: recorded by an officer, cancelled, or
attached to the register when SIMI issues one (``permit_register_from_issuance``).

Keyword-only, atomic, audited with ids and codes only; a permit is screened
once recorded. Permit numbers are encrypted, with a blind index unique per kind.
"""

from __future__ import annotations

import re
import uuid
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.audit.services import audit_record
from simi.core.crypto import blind_index
from simi.core.errors import Conflict, ValidationFailed
from simi.core.models import Office
from simi.oversight.access import require_write_in
from simi.oversight.codes import Action, Code
from simi.oversight.models import (
    Foreigner,
    PermitKind,
    PermitStatus,
    Sponsor,
    StayPermit,
    TravelDocument,
)
from simi.people.models import Person
from simi.screening.flows import request_screening as _request_screening

PERMIT_INDEX = "stay_permit"
_PERMIT_NUMBER = re.compile(r"^[A-Z0-9][A-Z0-9/.\-]{2,39}$")
Errors = dict[str, list[str | Promise]]


def permit_number_index(kind: str, number: str) -> str:
    return blind_index(PERMIT_INDEX, f"{kind}:{number}")


def _permit_number(raw: str, errors: Errors) -> str:
    number = "".join((raw or "").split()).upper()
    if not _PERMIT_NUMBER.match(number):
        errors.setdefault("number", []).append(
            _("A permit number has 3 to 40 letters, digits, '/', '.' or '-'.")
        )
    return number


# --- Stay permits ------------------------------------------------------------


def _permit_fields(
    kind: str, number: str, valid_from: date | None, valid_until: date | None
) -> str:
    errors: Errors = {}
    if kind not in PermitKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind of permit."))
    clean = _permit_number(number, errors)
    if valid_from is None:
        errors.setdefault("valid_from", []).append(_("Enter the first day of validity."))
    if valid_until is None:
        errors.setdefault("valid_until", []).append(_("Enter the last day of validity."))
    if valid_from and valid_until and valid_until < valid_from:
        errors.setdefault("valid_until", []).append(
            _("The end of validity cannot be before its start.")
        )
    if errors:
        raise ValidationFailed(fields=errors)
    if StayPermit.objects.filter(kind=kind, number_index=permit_number_index(kind, clean)).exists():
        message = _("A permit of this kind with this number is already registered.")
        raise Conflict(message, code=Code.PERMIT_NUMBER_TAKEN, fields={"number": [message]})
    return clean


def _status_on(valid_until: date) -> str:
    return PermitStatus.EXPIRED if valid_until < timezone.localdate() else PermitStatus.ACTIVE


@transaction.atomic
def permit_create(
    *,
    actor: Actor | None,
    foreigner: Foreigner,
    kind: str,
    number: str,
    valid_from: date | None,
    valid_until: date | None,
    sponsor: Sponsor | None = None,
    office: Office | None = None,
) -> StayPermit:
    """Record a stay permit (one issued elsewhere, or on paper)."""
    require_write_in(actor, foreigner.office_id)
    issuing = office or foreigner.office
    clean = _permit_fields(kind, number, valid_from, valid_until)
    assert valid_from is not None
    assert valid_until is not None
    if sponsor is not None:
        require_write_in(actor, sponsor.office_id)
    permit = StayPermit.objects.create(
        foreigner=foreigner,
        kind=kind,
        number=clean,
        number_index=permit_number_index(kind, clean),
        valid_from=valid_from,
        valid_until=valid_until,
        office=issuing,
        sponsor=sponsor,
        status=_status_on(valid_until),
    )
    audit_record(
        actor=actor,
        action=Action.PERMIT_RECORDED,
        target=permit,
        data={
            "foreigner": str(foreigner.public_id),
            "kind": kind,
            "valid_until": valid_until.isoformat(),
        },
    )
    _request_screening(subject_type="stay_permit", subject_id=permit.pk)
    return permit


@transaction.atomic
def permit_cancel(*, actor: Actor | None, permit: StayPermit) -> StayPermit:
    """Cancel a permit (e.g. the holder left for good); a second call changes nothing."""
    require_write_in(actor, permit.foreigner.office_id)
    locked = StayPermit.objects.select_for_update(no_key=True).get(pk=permit.pk)
    if locked.status == PermitStatus.CANCELLED:
        return locked
    status_from = locked.status
    locked.status = PermitStatus.CANCELLED
    locked.cancelled_at = timezone.now()
    locked.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.PERMIT_CANCELLED,
        target=locked,
        data={"from": status_from},
    )
    return locked


@transaction.atomic
def permit_register_from_issuance(
    *,
    actor: Actor | None,
    holder: Person,
    kind: str,
    number: str,
    valid_from: date,
    valid_until: date,
    office: Office,
    issued_document_id: uuid.UUID,
    sponsor: Sponsor | None = None,
) -> StayPermit:
    """Attach a permit SIMI has just issued to the register.

    Called by the services workflow when an ITAS/ITK/... application is
    issued, inside its transaction. ``holder`` is the applicant's Person (a
    foreigner); a Foreigner record is made for them when there is none yet
    (responsible office: ``office``), with their passport as travel document.
    Idempotent: a second call with the same ``issued_document_id`` returns
    the permit made by the first.
    """
    existing = StayPermit.objects.filter(issued_document_id=issued_document_id).first()
    if existing is not None:
        return existing
    if holder.kind != Person.Kind.FOREIGNER:
        raise ValidationFailed.for_field(
            "holder", _("A stay permit is for a foreigner."), code=Code.HOLDER_NOT_FOREIGNER
        )
    foreigner = Foreigner.objects.filter(person=holder).first()
    if foreigner is None:
        foreigner = Foreigner.objects.create(person=holder, office=office, is_demo=holder.is_demo)
        if holder.passport_index and holder.passport_number:
            TravelDocument.objects.get_or_create(
                number_index=holder.passport_index,
                defaults={
                    "foreigner": foreigner,
                    "number": holder.passport_number,
                    "issuing_state": holder.nationality,
                },
            )
        audit_record(
            actor=actor,
            action=Action.FOREIGNER_REGISTERED,
            target=foreigner,
            data={"office": office.code, "nationality": holder.nationality, "source": "issuance"},
        )
    clean = _permit_fields(kind, number, valid_from, valid_until)
    permit = StayPermit.objects.create(
        foreigner=foreigner,
        kind=kind,
        number=clean,
        number_index=permit_number_index(kind, clean),
        valid_from=valid_from,
        valid_until=valid_until,
        office=office,
        sponsor=sponsor,
        status=_status_on(valid_until),
        issued_document_id=issued_document_id,
    )
    audit_record(
        actor=actor,
        action=Action.PERMIT_RECORDED,
        target=permit,
        data={
            "foreigner": str(foreigner.public_id),
            "kind": kind,
            "valid_until": valid_until.isoformat(),
            "issued_document": str(issued_document_id),
        },
    )
    _request_screening(subject_type="stay_permit", subject_id=permit.pk)
    return permit
