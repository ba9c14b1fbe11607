"""Every write on data-subject requests (UU 27/2022): submit, handle, escalate."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor
from simi.accounts.models import User
from simi.audit.services import audit_record
from simi.core.codes import CommonCode, ErrorCode
from simi.core.errors import Conflict, NotFound, PermissionDenied, RateLimited, ValidationFailed
from simi.privacy.clocks import PDP_BREACH_NOTICE_HOURS, PDP_RESPONSE_HOURS
from simi.privacy.codes import Action, Code
from simi.privacy.erasure import account_erase, erasure_blockers
from simi.privacy.mail import notify_overdue_requests
from simi.privacy.models import DataCategory, DataSubjectRequest, Incident

Kind = DataSubjectRequest.Kind
Status = DataSubjectRequest.Status

MAX_OPEN_REQUESTS = 3
MAX_DETAILS_LENGTH = 4000
MIN_NOTE_LENGTH = 10
# Staff must write down what they decided and did.
NOTE_REQUIRED = frozenset({Kind.CORRECTION, Kind.CONSENT_WITHDRAWAL, Kind.RESTRICTION})


def can_handle(actor: Actor) -> bool:
    return actor.is_authenticated and actor.can("privacy:handle")


def _require_handler(actor: Actor) -> User:
    """The signed-in privacy handler; PermissionDenied for anyone else."""
    if not actor.is_authenticated or not can_handle(actor):
        raise PermissionDenied()
    return actor


@dataclass(frozen=True)
class _Text:
    """A free-text field and the codes of its checks (None: the generic
    ``validation_failed``, for a check the field never fails)."""

    name: str
    too_long: ErrorCode
    missing: ErrorCode | None = None
    too_short: ErrorCode | None = None
    minimum: int = 1


_DETAILS = _Text("details", too_long=Code.DETAILS_TOO_LONG)
_NOTE = _Text(
    "note",
    too_long=CommonCode.NOTE_TOO_LONG,
    missing=CommonCode.NOTE_REQUIRED,
    too_short=Code.NOTE_TOO_SHORT,
    minimum=MIN_NOTE_LENGTH,
)
_REASON = _Text(
    "reason",
    too_long=CommonCode.REASON_TOO_LONG,
    missing=CommonCode.REASON_REQUIRED,
    too_short=Code.REASON_TOO_SHORT,
    minimum=MIN_NOTE_LENGTH,
)


def _clean_text(raw: str | None, spec: _Text, *, required: bool) -> str | None:
    text = (raw or "").strip()
    if not text:
        if required:
            raise ValidationFailed.for_field(
                spec.name, _("This field is required."), code=spec.missing
            )
        return None
    if len(text) < spec.minimum:
        raise ValidationFailed.for_field(
            spec.name,
            _("Write at least %(n)d characters.") % {"n": spec.minimum},
            code=spec.too_short,
        )
    if len(text) > MAX_DETAILS_LENGTH:
        raise ValidationFailed.for_field(
            spec.name,
            _("At most %(n)d characters.") % {"n": MAX_DETAILS_LENGTH},
            code=spec.too_long,
        )
    return text


def _locked(public_id: uuid.UUID) -> DataSubjectRequest:
    dsr = (
        DataSubjectRequest.objects.select_for_update(no_key=True)
        .filter(public_id=public_id)
        .first()
    )
    if dsr is None:
        raise NotFound()
    return dsr


def _require_open(dsr: DataSubjectRequest) -> None:
    if not dsr.is_open:
        raise Conflict(_("This request is already finished."), code=Code.REQUEST_FINISHED)


def _finish(
    dsr: DataSubjectRequest, *, handler: User | None, status: str, note: str | None, now: datetime
) -> None:
    dsr.status = status
    dsr.completed_at = now
    dsr.handled_by = handler if handler is not None else dsr.handled_by
    dsr.decision_note = note
    dsr.save(
        update_fields=[
            "status",
            "completed_at",
            "handled_by",
            "decision_note",
            "processing_restricted",
            "updated_at",
        ]
    )


@transaction.atomic
def dsr_submit(*, actor: Actor, kind: str, details: str | None = None) -> DataSubjectRequest:
    """Record a request from the signed-in data subject about their own data.

    An access request is answered at once: the applicant downloads the copy
    themselves (``privacy.export``), so it completes on submission.
    """
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied()
    if kind not in Kind.values:
        raise ValidationFailed.for_field(
            "kind", _("Choose a kind of request."), code=CommonCode.KIND
        )
    # Details are optional: the kind says what is asked, and the team asks back
    # when a correction does not say what is wrong.
    text = _clean_text(details, _DETAILS, required=False)
    # Lock the applicant's row so two concurrent submissions count each other.
    User.objects.select_for_update(no_key=True).filter(pk=actor.pk).first()
    open_count = DataSubjectRequest.objects.filter(
        applicant=actor, status__in=DataSubjectRequest.OPEN_STATUSES
    ).count()
    if kind != Kind.ACCESS and open_count >= MAX_OPEN_REQUESTS:
        raise RateLimited(
            _("You already have %(n)d open requests. Wait until one is answered.")
            % {"n": MAX_OPEN_REQUESTS},
            code=Code.TOO_MANY_OPEN_REQUESTS,
        )
    now = timezone.now()
    dsr = DataSubjectRequest.objects.create(
        kind=kind,
        applicant=actor,
        person_id=actor.person_id,
        details=text,
        received_at=now,
        due_at=PDP_RESPONSE_HOURS.due(now),
    )
    audit_record(actor=actor, action=Action.REQUEST_SUBMITTED, target=dsr, data={"kind": kind})
    if kind == Kind.ACCESS:
        _finish(dsr, handler=None, status=Status.COMPLETED, note=None, now=now)
        audit_record(
            actor=actor,
            action=Action.REQUEST_COMPLETED,
            target=dsr,
            data={"kind": kind, "self_service": True},
        )
    return dsr


@transaction.atomic
def dsr_start(*, actor: Actor, public_id: uuid.UUID) -> DataSubjectRequest:
    """A handler takes the request; repeating it on a started request is harmless."""
    handler = _require_handler(actor)
    dsr = _locked(public_id)
    _require_open(dsr)
    if dsr.status == Status.RECEIVED:
        dsr.status = Status.IN_PROGRESS
        dsr.handled_by = handler
        dsr.save(update_fields=["status", "handled_by", "updated_at"])
        audit_record(actor=actor, action=Action.REQUEST_STARTED, target=dsr)
    return dsr


@transaction.atomic
def dsr_complete(
    *, actor: Actor, public_id: uuid.UUID, note: str | None = None
) -> DataSubjectRequest:
    """Carry out the request and close it.

    Erasure deletes the identity record and anonymizes the account where the
    law allows (no retention-bound records); restriction flags processing as
    restricted; correction and consent withdrawal are done by staff and
    described in the note.
    """
    handler = _require_handler(actor)
    dsr = _locked(public_id)
    _require_open(dsr)
    text = _clean_text(note, _NOTE, required=dsr.kind in NOTE_REQUIRED)
    data: dict[str, Any] = {"kind": dsr.kind}
    if dsr.kind == Kind.ERASURE:
        blockers = erasure_blockers(dsr.applicant, exclude_request=dsr)
        if blockers:
            raise Conflict(
                _("The law does not allow erasure yet: %(reasons)s Reject the request instead.")
                % {"reasons": " ".join(str(b) for b in blockers)},
                code=Code.ERASURE_NOT_ALLOWED,
            )
        account_erase(actor=handler, user=dsr.applicant)
        data["erased"] = True
    elif dsr.kind == Kind.RESTRICTION:
        dsr.processing_restricted = True
        data["processing_restricted"] = True
    _finish(dsr, handler=handler, status=Status.COMPLETED, note=text, now=timezone.now())
    audit_record(actor=actor, action=Action.REQUEST_COMPLETED, target=dsr, data=data)
    return dsr


@transaction.atomic
def dsr_reject(*, actor: Actor, public_id: uuid.UUID, reason: str) -> DataSubjectRequest:
    """Refuse the request with a written reason (e.g. a retention duty, Pasal 33)."""
    handler = _require_handler(actor)
    dsr = _locked(public_id)
    _require_open(dsr)
    text = _clean_text(reason, _REASON, required=True)
    _finish(dsr, handler=handler, status=Status.REJECTED, note=text, now=timezone.now())
    audit_record(actor=actor, action=Action.REQUEST_REJECTED, target=dsr, data={"kind": dsr.kind})
    return dsr


@transaction.atomic
def dsr_escalate_overdue(*, now: datetime | None = None) -> list[uuid.UUID]:
    """Mark open requests past their 3x24-hour deadline and alert the handlers.

    Only requests not escalated before are touched, so a second run changes
    nothing and sends nothing.
    """
    now = now or timezone.now()
    overdue = list(
        DataSubjectRequest.objects.select_for_update(no_key=True)
        .filter(
            status__in=DataSubjectRequest.OPEN_STATUSES,
            due_at__lte=now,
            escalated_at__isnull=True,
        )
        .order_by("due_at", "id")
    )
    for dsr in overdue:
        dsr.escalated_at = now
        dsr.save(update_fields=["escalated_at", "updated_at"])
        audit_record(
            actor=None,
            action=Action.REQUEST_ESCALATED,
            target=dsr,
            data={"kind": dsr.kind, "due_at": dsr.due_at.isoformat()},
        )
    ids = [dsr.public_id for dsr in overdue]
    if ids:
        as_text = [str(i) for i in ids]
        transaction.on_commit(lambda: notify_overdue_requests.enqueue(as_text))
    return ids


# --- Personal-data incidents (UU 27/2022 Pasal 46) ---------------------------


@dataclass(frozen=True)
class IncidentData:
    """An incident as entered by a handler (not yet validated)."""

    title: str
    description: str
    occurred_at: datetime | None
    discovered_at: datetime | None
    severity: str
    data_categories: list[str] = field(default_factory=list)
    affected_subjects: int = 0
    remediation: str = ""
    status: str | None = None


def _clean_incident(data: IncidentData, *, now: datetime) -> dict[str, Any]:
    errors: dict[str, list[Any]] = {}

    def fail(name: str, message: Any) -> None:
        errors.setdefault(name, []).append(message)

    title = " ".join((data.title or "").split())
    if not title:
        fail("title", _("This field is required."))
    elif len(title) > 200:
        fail("title", _("At most %(n)d characters.") % {"n": 200})
    description = (data.description or "").strip()
    if not description:
        fail("description", _("Say what happened and how."))
    elif len(description) > MAX_DETAILS_LENGTH:
        fail("description", _("At most %(n)d characters.") % {"n": MAX_DETAILS_LENGTH})
    remediation = (data.remediation or "").strip()
    if len(remediation) > MAX_DETAILS_LENGTH:
        fail("remediation", _("At most %(n)d characters.") % {"n": MAX_DETAILS_LENGTH})
    if data.occurred_at is None:
        fail("occurred_at", _("This field is required."))
    elif data.occurred_at > now:
        fail("occurred_at", _("This cannot be in the future."))
    if data.discovered_at is None:
        fail("discovered_at", _("This field is required."))
    elif data.discovered_at > now:
        fail("discovered_at", _("This cannot be in the future."))
    elif data.occurred_at is not None and data.discovered_at < data.occurred_at:
        fail("discovered_at", _("It cannot have been discovered before it happened."))
    if data.severity not in Incident.Severity.values:
        fail("severity", _("Choose a severity."))
    categories = sorted(set(data.data_categories or []))
    if not categories:
        fail("data_categories", _("Choose at least one kind of data."))
    elif any(code not in DataCategory.values for code in categories):
        fail("data_categories", _("Choose from the listed kinds of data."))
    if data.affected_subjects is None or data.affected_subjects < 0:
        fail("affected_subjects", _("Enter zero or more."))
    if data.status is not None and data.status not in Incident.Status.values:
        fail("status", _("Choose a status."))
    if errors:
        raise ValidationFailed(fields=errors)
    assert data.discovered_at is not None
    clean: dict[str, Any] = {
        "title": title,
        "description": description,
        "occurred_at": data.occurred_at,
        "discovered_at": data.discovered_at,
        "severity": data.severity,
        "data_categories": categories,
        "affected_subjects": data.affected_subjects,
        "remediation": remediation,
        "notify_deadline": PDP_BREACH_NOTICE_HOURS.due(data.discovered_at),
    }
    if data.status is not None:
        clean["status"] = data.status
    return clean


@transaction.atomic
def incident_report(*, actor: Actor, data: IncidentData) -> Incident:
    """Record a breach at once; the 3x24-hour notice clock starts at discovery."""
    handler = _require_handler(actor)
    clean = _clean_incident(data, now=timezone.now())
    clean.pop("status", None)
    incident = Incident.objects.create(**clean, reported_by=handler)
    audit_record(
        actor=actor,
        action=Action.INCIDENT_REPORTED,
        target=incident,
        data={"severity": incident.severity, "data_categories": incident.data_categories},
    )
    return incident


def _locked_incident(public_id: uuid.UUID) -> Incident:
    incident = Incident.objects.select_for_update(no_key=True).filter(public_id=public_id).first()
    if incident is None:
        raise NotFound()
    return incident


@transaction.atomic
def incident_update(*, actor: Actor, public_id: uuid.UUID, data: IncidentData) -> Incident:
    _require_handler(actor)
    incident = _locked_incident(public_id)
    clean = _clean_incident(data, now=timezone.now())
    if clean.get("status") == Incident.Status.NOTIFIED and not incident.fully_notified:
        raise ValidationFailed.for_field(
            "status",
            _("Record both notices (data subjects and PDP agency) first."),
            code=Code.NOT_NOTIFIED,
        )
    changed = [name for name, value in clean.items() if getattr(incident, name) != value]
    for name in changed:
        setattr(incident, name, clean[name])
    if changed:
        incident.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.INCIDENT_UPDATED,
            target=incident,
            data={"fields": sorted(changed), "status": incident.status},
        )
    return incident


NOTICE_AUDIENCES = ("subjects", "authority")


@transaction.atomic
def incident_mark_notified(
    *, actor: Actor, public_id: uuid.UUID, audience: str, at: datetime | None = None
) -> Incident:
    """Record when the written notice went to the data subjects or to the PDP agency.

    With both notices sent the incident moves to "notified" (unless closed).
    """
    _require_handler(actor)
    if audience not in NOTICE_AUDIENCES:
        raise ValidationFailed.for_field(
            "audience", _("Choose data subjects or the PDP agency."), code=Code.AUDIENCE
        )
    incident = _locked_incident(public_id)
    now = timezone.now()
    at = at or now
    if at > now:
        raise ValidationFailed.for_field(
            "notified_at", _("This cannot be in the future."), code=Code.NOTIFIED_IN_FUTURE
        )
    if at < incident.discovered_at:
        raise ValidationFailed.for_field(
            "notified_at",
            _("The notice cannot predate the discovery."),
            code=Code.NOTIFIED_BEFORE_DISCOVERY,
        )
    name = f"{audience}_notified_at"
    setattr(incident, name, at)
    changed = [name]
    if incident.fully_notified and incident.status in (
        Incident.Status.OPEN,
        Incident.Status.CONTAINED,
    ):
        incident.status = Incident.Status.NOTIFIED
        changed.append("status")
    incident.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor,
        action=Action.INCIDENT_NOTIFIED,
        target=incident,
        data={
            "audience": audience,
            "late": at > incident.notify_deadline,
            "status": incident.status,
        },
    )
    return incident
