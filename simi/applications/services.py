"""Every write on applications: create a draft, submit it, cancel it.

Keyword-only, atomic, audited with ids and codes only. The applicant's own
records only: someone else's application answers NotFound, like a missing one.
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.household.selectors import household_member_get_own
from simi.accounts.models import User
from simi.applications.access import require_applicant
from simi.applications.codes import Action, Code
from simi.applications.models import (
    Application,
    ApplicationEvent,
    CancelReason,
    EventNote,
    SponsorKind,
    Status,
)
from simi.applications.notices import notify_applicant
from simi.applications.requirements import (
    EXTENDS_PERMIT,
    FAMILY_CARD,
    SPONSOR,
    ApplicationIncomplete,
    applied_on,
    missing_items,
    permit_kind_extended,
    required_details,
)
from simi.applications.workflow import release_for_closed
from simi.audit.services import audit_record
from simi.catalog import codes as catalog_codes
from simi.catalog.models import ApplicantCategory
from simi.catalog.selectors import fee_in_force, service_get, services_offered, sla_in_force
from simi.core import trackingcodes
from simi.core.codes import CommonCode
from simi.core.errors import Conflict, NotFound, ValidationFailed
from simi.core.referencedata import province_codes
from simi.core.workdays import WorkingCalendar
from simi.oversight.register.permits import permit_check_extendable, permit_to_extend

if TYPE_CHECKING:
    from simi.oversight.models import StayPermit

CANCELLABLE = frozenset({Status.DRAFT, Status.REGISTERED})
_CANCEL_NOTES = {
    CancelReason.NO_LONGER_NEEDED: EventNote.CANCELLED_NO_LONGER_NEEDED,
    CancelReason.WRONG_SERVICE: EventNote.CANCELLED_WRONG_SERVICE,
    CancelReason.DUPLICATE: EventNote.CANCELLED_DUPLICATE,
    CancelReason.OTHER: EventNote.CANCELLED_OTHER,
}


def _event(application: Application, *, actor: Actor, status_from: str, note: str) -> None:
    ApplicationEvent.objects.create(
        application=application,
        at=timezone.now(),
        status_from=status_from,
        status_to=application.status,
        actor_role=actor.role if actor.is_authenticated else "",
        note=note,
    )


def _locked_own(actor: Actor, application: Application) -> Application:
    applicant = require_applicant(actor)
    locked = (
        Application.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=application.pk, applicant=applicant)
        .select_related("service_type", "office")
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


@transaction.atomic
def application_create(
    *, actor: Actor, service_code: str, office_code: str, member_id: uuid.UUID | None = None
) -> Application:
    """A draft for ``service_code`` at ``office_code`` for the actor's identity,
    or for the household member ``member_id`` of the actor's account (the
    account holder's identity must be entered first either way)."""
    applicant = require_applicant(actor)
    person = applicant.person
    if person is None:
        raise ValidationFailed.for_field(
            "person",
            _("Enter your identity data first (My account, Identity), then apply."),
            code=Code.IDENTITY_MISSING,
        )
    if member_id is not None:
        try:
            member = household_member_get_own(actor=applicant, public_id=member_id)
        except NotFound:
            raise ValidationFailed.for_field(
                "member",
                _("There is no such family member on your account."),
                code=Code.MEMBER_UNKNOWN,
            ) from None
        person = member.person
    try:
        service = service_get(code=service_code or "")
    except NotFound:
        raise ValidationFailed.for_field(
            "service", _("There is no such service."), code=catalog_codes.Code.UNKNOWN_SERVICE
        ) from None
    offered = services_offered(office=office_code or "-")  # raises on an unknown office
    if not offered.filter(pk=service.pk).exists():
        raise ValidationFailed.for_field(
            "office",
            _("This office does not offer this service."),
            code=catalog_codes.Code.SERVICE_NOT_OFFERED,
        )
    if service.applicant_category not in (person.kind, ApplicantCategory.BOTH):
        raise ValidationFailed.for_field(
            "service",
            _("This service is not for your kind of applicant (citizen or foreigner)."),
            code=Code.SERVICE_NOT_FOR_APPLICANT,
        )
    office = service.offices.get(code=office_code)
    application = Application.objects.create(
        service_type=service, applicant=applicant, person=person, office=office
    )
    _event(application, actor=actor, status_from="", note=EventNote.CREATED)
    audit_record(
        actor=actor,
        action=Action.CREATED,
        target=application,
        data={
            "service": service.code,
            "office": office.code,
            **({"member": str(member_id)} if member_id is not None else {}),
        },
    )
    return application


def _new_tracking_code() -> str:
    for _attempt in range(5):
        code = trackingcodes.generate()
        if not Application.objects.filter(tracking_code=code).exists():
            return code
    raise Conflict(code=Code.TRACKING_CODE_EXHAUSTED)  # 60 random bits: practically never


# The words the applicant agrees to before submitting (the check-your-answers
# page, ``declaration: true`` in the API). The submission's audit entry records
# this version: change it when the words change.
DECLARATION_VERSION = 1


@transaction.atomic
def application_submit(*, actor: Actor, application: Application, declared: bool) -> Application:
    """Draft -> registered: fixes the fee and the service-standard due date.

    Refused, with nothing written (the service clock does not start), while a
    required document or detail is missing (``ApplicationIncomplete`` lists
    each) or without the applicant's declaration that the information is true
    and complete."""
    app = _locked_own(actor, application)
    if app.status != Status.DRAFT:
        raise Conflict(_("Only a draft can be submitted."), code=CommonCode.NOT_A_DRAFT)
    if app.person_id is None:
        raise ValidationFailed.for_field(
            "person",
            _("Enter your identity data first (My account, Identity), then apply."),
            code=Code.IDENTITY_MISSING,
        )
    service = app.service_type
    if not service.is_active or not service.offices.filter(pk=app.office_id).exists():
        raise Conflict(
            _("This service is no longer offered here; cancel and start again."),
            code=Code.SERVICE_WITHDRAWN,
        )
    now = timezone.now()
    today = timezone.localdate(now)
    if app.extends_permit is not None:  # chosen earlier: can it still be, on the day of applying?
        permit_check_extendable(
            permit=app.extends_permit, holder=app.person, applied_on=today, field=EXTENDS_FIELD
        )
    missing = missing_items(app)
    if missing:
        raise ApplicationIncomplete(missing)
    if declared is not True:
        raise ValidationFailed.for_field(
            "declaration",
            _("Tick the box to declare that the information you have given is true and complete."),
            code=Code.DECLARATION_REQUIRED,
        )
    fees = fee_in_force(service, today)
    sla = sla_in_force(service, today)
    if not fees.is_set or sla is None:
        raise Conflict(
            _("This service cannot be applied for today; please try again later."),
            code=Code.CATALOGUE_INCOMPLETE,
        )
    app.fee_total_at_submit = fees.total
    app.sla_working_days = sla.working_days
    app.sla_due_date = WorkingCalendar(app.office).sla_due_date(now, sla.working_days)
    app.tracking_code = _new_tracking_code()
    app.submitted_at = now
    app.status = Status.REGISTERED
    app.save()
    _event(app, actor=actor, status_from=Status.DRAFT, note=EventNote.SUBMITTED)
    audit_record(
        actor=actor,
        action=Action.SUBMITTED,
        target=app,
        data={
            "service": service.code,
            "fee": app.fee_total_at_submit,
            "sla_days": sla.working_days,
            "declaration": DECLARATION_VERSION,
        },
    )
    from simi.screening.flows import request_screening  # a lead for a human, never a gate

    request_screening(subject_type="application", subject_id=app.pk)
    notify_applicant(
        app,
        "application_submitted",
        f"submitted:{app.public_id}",
        service_code=service.code,
        due_date=app.sla_due_date.isoformat(),
    )
    return app


@transaction.atomic
def application_cancel(*, actor: Actor, application: Application, reason: str) -> Application:
    """The applicant withdraws a draft or a registered application."""
    if reason not in CancelReason.values:
        raise ValidationFailed.for_field(
            "reason", _("Choose a reason from the list."), code=CommonCode.UNKNOWN_REASON
        )
    app = _locked_own(actor, application)
    if app.status not in CANCELLABLE:
        raise Conflict(
            _("This application can no longer be cancelled online."), code=Code.CANNOT_CANCEL
        )
    status_from = app.status
    app.status = Status.CANCELLED
    app.cancelled_at = timezone.now()
    app.save()
    _event(app, actor=actor, status_from=status_from, note=_CANCEL_NOTES[CancelReason(reason)])
    release_for_closed(app, actor=actor)
    audit_record(
        actor=actor,
        action=Action.CANCELLED,
        target=app,
        data={"from": status_from, "reason": reason},
    )
    return app


# --- the guided form: what each service asks beyond the identity record -------------

DETAIL_STATES = frozenset(
    {Status.DRAFT, Status.REGISTERED, Status.VERIFYING, Status.MORE_DOCUMENTS_REQUESTED}
)
_KK = re.compile(r"^\d{16}$")
_PHONE = re.compile(r"^\+?\d{8,15}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def _clean_family_card(raw: str | None) -> str:
    value = "".join((raw or "").split())
    if not _KK.match(value):
        raise ValidationFailed.for_field(
            FAMILY_CARD,
            _("The family card number has 16 digits, as printed on the Kartu Keluarga."),
            code=Code.KK_FORMAT,
        )
    if value[:2] not in province_codes():
        raise ValidationFailed.for_field(
            FAMILY_CARD,
            _("The first two digits of the family card number are not a province code."),
            code=Code.KK_PROVINCE,
        )
    return value


def _clean_sponsor(kind: str | None, name: str | None, contact: str | None) -> tuple[str, str, str]:
    errors: dict[str, list[Any]] = {}
    if kind not in SponsorKind.values:
        errors["sponsor_kind"] = [_("Choose whether the sponsor is a company or a person.")]
    clean_name = " ".join((name or "").split())
    if not 2 <= len(clean_name) <= 200:
        errors["sponsor_name"] = [_("Enter the sponsor's name (2 to 200 characters).")]
    clean_contact = "".join((contact or "").split())
    phone = clean_contact.replace("-", "")
    if not (_PHONE.match(phone) or (_EMAIL.match(clean_contact) and len(clean_contact) <= 254)):
        errors["sponsor_contact"] = [
            _("Enter the sponsor's phone number (e.g. +6281234567890) or e-mail address.")
        ]
    if errors:
        raise ValidationFailed(fields=errors, code=Code.SPONSOR_INVALID)
    return str(kind), clean_name, (phone if _PHONE.match(phone) else clean_contact.lower())


# The field that names the permit an extension extends, by its id in the register.
EXTENDS_FIELD = EXTENDS_PERMIT


def _permit_to_extend(app: Application, permit_id: uuid.UUID) -> StayPermit:
    """The applicant's own permit that the service extends, current or ended
    recently enough on the day of the application (``permits_to_extend``)."""
    kind = permit_kind_extended(app.service_type)
    assert kind is not None  # only asked of services that extend a permit
    return permit_to_extend(
        holder=app.person,
        kind=kind,
        permit_id=permit_id,
        applied_on=applied_on(app),
        field=EXTENDS_FIELD,
    )


@transaction.atomic
def application_details_save(
    *,
    actor: Actor,
    application: Application,
    family_card_number: str | None = None,
    sponsor_kind: str | None = None,
    sponsor_name: str | None = None,
    sponsor_contact: str | None = None,
    extends_permit: uuid.UUID | None = None,
) -> Application:
    """Record what this service asks beyond the identity (encrypted). Only the
    details the service needs are taken; the others are refused as unknown.
    An extension names the permit it extends, chosen from the applicant's own
    (``selectors.permits_to_extend``) and checked by the register
    (``permit_to_extend``)."""
    app = _locked_own(actor, application)
    if app.status not in DETAIL_STATES:
        raise Conflict(
            _("These details can no longer be changed online."), code=Code.DETAILS_CLOSED
        )
    needed = required_details(app.service_type)
    given_sponsor = any(v for v in (sponsor_kind, sponsor_name, sponsor_contact))
    if family_card_number and FAMILY_CARD not in needed:
        raise ValidationFailed.for_field(
            FAMILY_CARD, _("This service does not ask for a family card."), code=Code.NOT_ASKED
        )
    if given_sponsor and SPONSOR not in needed:
        raise ValidationFailed.for_field(
            "sponsor_kind", _("This service does not ask for a sponsor."), code=Code.NOT_ASKED
        )
    if extends_permit and EXTENDS_PERMIT not in needed:
        raise ValidationFailed.for_field(
            EXTENDS_FIELD, _("This service does not extend a permit."), code=Code.NOT_ASKED
        )
    changed = []
    if EXTENDS_PERMIT in needed and extends_permit is not None:
        app.extends_permit = _permit_to_extend(app, extends_permit)
        changed.append(EXTENDS_PERMIT)
    if FAMILY_CARD in needed and family_card_number is not None:
        app.family_card_number = _clean_family_card(family_card_number)
        changed.append(FAMILY_CARD)
    if SPONSOR in needed and given_sponsor:
        app.sponsor_kind, app.sponsor_name, app.sponsor_contact = _clean_sponsor(
            sponsor_kind, sponsor_name, sponsor_contact
        )
        changed.append(SPONSOR)
    if not changed:
        raise ValidationFailed(
            _("Fill in the details this service asks for."), code=Code.DETAILS_EMPTY
        )
    app.save()
    audit_record(actor=actor, action=Action.DETAILS_SAVED, target=app, data={"details": changed})
    return app


@transaction.atomic
def drafts_discard_for_erasure(*, actor: Actor, applicant: User) -> int:
    """Erasure under UU PDP: the applicant's drafts (never submitted, so no
    official record) go, with their uploaded files. Returns how many."""
    from django.core.files.storage import default_storage

    drafts = list(Application.objects.filter(applicant=applicant, status=Status.DRAFT))
    names = [
        name for draft in drafts for name in draft.documents.values_list("storage_name", flat=True)
    ]
    for draft in drafts:
        audit_record(actor=actor, action=Action.DRAFT_DISCARDED, target=draft)
        draft.delete()

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)
    return len(drafts)
