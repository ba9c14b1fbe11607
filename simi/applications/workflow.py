"""The officer workflow: every state change after submission.

registered -> verifying -> (more_documents_requested -> verifying)* ->
interview -> awaiting_payment -> paid -> approved | rejected ->
issued -> collected, and cancelled from the places the rules allow.

Each step is one function: it locks the application, checks the move in
``TRANSITIONS`` (from which states, which capability), checks the office
scope and segregation of duties (whoever completed verification may not
decide), writes the public timeline event and an audit entry with codes
only, and schedules the applicant's notification after commit.

System steps (a bill paid or expired, a deadline passed, a document not
collected) run with ``actor=None`` from payments and from scheduled jobs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, Literal

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from simi.accounts.actors import Actor, signed_in
from simi.applications.access import (
    DECIDE,
    LOOK_UP_OFFICES,
    PROCESS,
    Visible,
    in_office_scope,
    require_applicant,
)
from simi.applications.billing import (
    application_bill_cancel,
    application_bill_issue,
    application_of_bill,
)
from simi.applications.codes import Action, Code
from simi.applications.deadlines import documents_deadline
from simi.applications.guardians import application_documents
from simi.applications.models import (
    Application,
    ApplicationEvent,
    DocumentRequest,
    DocumentStatus,
    EventNote,
    RejectReason,
    Status,
)
from simi.applications.notices import notify_applicant
from simi.applications.requirements import applied_on, missing_details, missing_documents
from simi.audit.services import audit_record
from simi.catalog.languages import localized
from simi.catalog.periods import validity_end
from simi.core.capabilities import Capability
from simi.core.codes import CommonCode
from simi.core.documents import DocumentKind
from simi.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from simi.core.hooks import run_hook
from simi.core.workdays import WorkingCalendar
from simi.issuance.models import IssuedDocument
from simi.payments.models import Bill

if TYPE_CHECKING:
    from simi.issuance.mrz import MrzFields

SYSTEM: Final = "system"  # jobs and payment callbacks: ``actor=None``
APPLICANT: Final = "applicant"

MAX_NOTE_LENGTH = 2000
UNCOLLECTED_DAYS = 30


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    # who takes the step: staff whose role has the capability, the applicant, or SIMI
    capability: Capability | Literal["applicant", "system"]

    @property
    def staff_capability(self) -> Capability | None:
        """What an officer's step needs; None when the applicant or SIMI takes it."""
        match self.capability:
            case "applicant" | "system":
                return None
            case capability:
                return capability


TRANSITIONS: dict[str, Transition] = {
    "start_verification": Transition(frozenset({Status.REGISTERED}), Status.VERIFYING, PROCESS),
    "request_documents": Transition(
        frozenset({Status.VERIFYING}), Status.MORE_DOCUMENTS_REQUESTED, PROCESS
    ),
    "documents_sent": Transition(
        frozenset({Status.MORE_DOCUMENTS_REQUESTED}), Status.VERIFYING, APPLICANT
    ),
    "complete_verification": Transition(frozenset({Status.VERIFYING}), Status.INTERVIEW, PROCESS),
    "record_interview": Transition(frozenset({Status.INTERVIEW}), Status.AWAITING_PAYMENT, PROCESS),
    "bill_paid": Transition(frozenset({Status.AWAITING_PAYMENT}), Status.PAID, SYSTEM),
    "bill_expired": Transition(frozenset({Status.AWAITING_PAYMENT}), Status.CANCELLED, SYSTEM),
    "approve": Transition(frozenset({Status.PAID}), Status.APPROVED, DECIDE),
    "reject": Transition(
        frozenset({Status.VERIFYING, Status.INTERVIEW, Status.PAID}), Status.REJECTED, DECIDE
    ),
    "issue": Transition(frozenset({Status.APPROVED}), Status.ISSUED, DECIDE),
    "collect": Transition(frozenset({Status.ISSUED}), Status.COLLECTED, PROCESS),
    "documents_overdue": Transition(
        frozenset({Status.MORE_DOCUMENTS_REQUESTED}), Status.CANCELLED, SYSTEM
    ),
    "uncollected": Transition(frozenset({Status.ISSUED}), Status.CANCELLED, SYSTEM),
}

# What an officer may do next from each state (for the pages and the API).
STAFF_ACTIONS = {
    name: rule for name, rule in TRANSITIONS.items() if rule.capability in (PROCESS, DECIDE)
}


def _today() -> date:
    return timezone.localdate()


def _locked(application: Application) -> Application:
    locked = (
        Application.objects.select_for_update(of=("self",), no_key=True)
        .filter(pk=application.pk)
        .select_related("service_type", "office", "person")
        .first()
    )
    if locked is None:
        raise NotFound()
    return locked


def may(
    actor: Actor, application: Application, action: str, *, visible: Visible = LOOK_UP_OFFICES
) -> bool:
    """Whether ``actor`` may take ``action`` on ``application`` now (no side effects).

    ``visible``: the actor's ``visible_office_ids`` when the caller already has
    them (a page of the queue), so a list does not query once per row.
    """
    rule = TRANSITIONS[action]
    needed = rule.staff_capability
    if application.status not in rule.sources or needed is None:
        return False
    if not actor.is_authenticated or not in_office_scope(actor, application, visible):
        return False
    if not actor.can(needed):
        return False
    return not (needed == DECIDE and application.verified_by_id == actor.pk)


def _check(actor: Actor | None, application: Application, action: str) -> Transition:
    rule = TRANSITIONS[action]
    needed = rule.staff_capability
    if needed is not None:
        if actor is None or not actor.is_authenticated or not in_office_scope(actor, application):
            raise NotFound()
        if not actor.can(needed):
            raise PermissionDenied(
                _("Your role may not take this step."), code=Code.WORKFLOW_NOT_ALLOWED
            )
        if needed == DECIDE and application.verified_by_id == actor.pk:
            raise PermissionDenied(
                _("You verified this application, so another officer must decide it."),
                code=Code.SEGREGATION_OF_DUTIES,
            )
    if application.status not in rule.sources:
        raise Conflict(
            _("This step is not possible while the application is %(status)s.")
            % {"status": Status(application.status).label},
            code=Code.INVALID_TRANSITION,
        )
    return rule


def _clean_note(note: str | None, *, required: bool) -> str:
    text = (note or "").strip()
    if required and not text:
        raise ValidationFailed.for_field(
            "note", _("Write the reason for this step."), code=CommonCode.NOTE_REQUIRED
        )
    if len(text) > MAX_NOTE_LENGTH:
        raise ValidationFailed.for_field(
            "note",
            _("Keep the note under %(max)d characters.") % {"max": MAX_NOTE_LENGTH},
            code=CommonCode.NOTE_TOO_LONG,
        )
    return text


def _move(
    app: Application,
    rule: Transition,
    *,
    actor: Actor | None,
    action: Action,
    note: str,
    staff_note: str = "",
    data: dict[str, Any] | None = None,
) -> Application:
    status_from = app.status
    app.status = rule.target
    app.save()
    user = actor if actor is not None and actor.is_authenticated else None
    ApplicationEvent.objects.create(
        application=app,
        at=timezone.now(),
        status_from=status_from,
        status_to=app.status,
        actor_role=(user.role if user is not None else "") or SYSTEM,
        actor=user,
        note=note,
        staff_note=staff_note or None,
    )
    audit_record(
        actor=actor,
        action=action,
        target=app,
        data={"from": status_from, "to": app.status, **(data or {})},
    )
    if app.status in (Status.CANCELLED, Status.REJECTED):
        release_for_closed(app, actor=actor)
    return app


def release_for_closed(app: Application, *, actor: Actor | None) -> None:
    """A closed (cancelled or refused) application lets go of what it held:
    the domains above it react to ``applications.closed`` (appointments frees
    the booked visit), and its unpaid bill is cancelled."""
    run_hook("applications.closed", application=app, actor=actor)
    application_bill_cancel(actor=actor, application=app)


# --- officer steps ----------------------------------------------------------


@transaction.atomic
def start_verification(*, actor: Actor, application: Application) -> Application:
    app = _locked(application)
    rule = _check(actor, app, "start_verification")
    return _move(
        app,
        rule,
        actor=actor,
        action=Action.VERIFICATION_STARTED,
        note=EventNote.VERIFICATION_STARTED,
    )


def _documents_deadline(app: Application, working_days: int) -> date:
    return WorkingCalendar(app.office).add_working_days(_today(), working_days)


@transaction.atomic
def request_documents(
    *,
    actor: Actor,
    application: Application,
    requirement_codes: list[str],
    message: str,
    working_days: int | None = None,
) -> DocumentRequest:
    """Ask the applicant for documents by a deadline in working days."""
    app = _locked(application)
    rule = _check(actor, app, "request_documents")
    officer = signed_in(actor)  # _check lets only a signed-in officer through
    known = {r.code for r in application_documents(app)}
    codes = list(dict.fromkeys(code for code in requirement_codes if code))
    if not codes:
        raise ValidationFailed.for_field(
            "requirement_codes",
            _("Choose at least one document to ask for."),
            code=Code.DOCUMENTS_REQUIRED,
        )
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationFailed.for_field(
            "requirement_codes",
            _("These are not documents of this service: %(codes)s") % {"codes": ", ".join(unknown)},
            code=Code.UNKNOWN_DOCUMENT,
        )
    text = _clean_note(message, required=True)
    deadline = documents_deadline()
    days = working_days if working_days is not None else deadline.default_working_days
    if not deadline.min_working_days <= days <= deadline.max_working_days:
        raise ValidationFailed.for_field(
            "working_days",
            _("Give the applicant between %(min)d and %(max)d working days.")
            % {"min": deadline.min_working_days, "max": deadline.max_working_days},
            code=Code.DEADLINE_OUT_OF_RANGE,
        )
    due = _documents_deadline(app, days)
    request = DocumentRequest.objects.create(
        application=app, requirement_codes=codes, message=text, due_date=due, requested_by=officer
    )
    app.documents_due_date = due
    _move(
        app,
        rule,
        actor=actor,
        action=Action.DOCUMENTS_REQUESTED,
        note=EventNote.DOCUMENTS_REQUESTED,
        data={"documents": codes, "due": due.isoformat()},
    )
    names = {doc.code: doc for doc in application_documents(app)}
    with translation.override(app.applicant.preferred_language):
        asked = "; ".join(localized(names[code], "name") for code in codes)
    notify_applicant(
        app,
        "documents_requested",
        f"documents_requested:{request.pk}",
        due_date=due.isoformat(),
        documents=asked[:1000],
    )
    return request


@transaction.atomic
def complete_verification(*, actor: Actor, application: Application, note: str = "") -> Application:
    """The documents are complete and genuine: on to interview and biometrics."""
    app = _locked(application)
    rule = _check(actor, app, "complete_verification")
    officer = signed_in(actor)  # _check lets only a signed-in officer through
    lacking = missing_details(app)
    if lacking:
        raise Conflict(
            _("The applicant has not given: %(details)s. Ask for it before completing.")
            % {"details": ", ".join(lacking)},
            code=Code.DETAILS_INCOMPLETE,
        )
    missing = missing_documents(app)
    if missing:
        raise Conflict(
            _("Documents are missing: %(codes)s. Ask the applicant for them first.")
            % {"codes": ", ".join(missing)},
            code=Code.DOCUMENTS_INCOMPLETE,
        )
    now = timezone.now()
    app.documents.filter(status=DocumentStatus.SUBMITTED).update(
        status=DocumentStatus.ACCEPTED, reviewed_by=officer, reviewed_at=now
    )
    app.verified_by = officer
    app.verified_at = now
    return _move(
        app,
        rule,
        actor=actor,
        action=Action.VERIFIED,
        note=EventNote.VERIFIED,
        staff_note=_clean_note(note, required=False),
    )


@transaction.atomic
def record_interview(
    *, actor: Actor, application: Application, biometrics_reference: str, note: str = ""
) -> Application:
    """Interview held and biometrics enrolled: the bill is issued."""
    app = _locked(application)
    rule = _check(actor, app, "record_interview")
    reference = "".join((biometrics_reference or "").split()).upper()
    if not reference or len(reference) > 40 or not reference.replace("-", "").isalnum():
        raise ValidationFailed.for_field(
            "biometrics_reference",
            _("Enter the enrolment station's reference (letters, digits and '-', up to 40)."),
            code=Code.BIOMETRICS_REFERENCE,
        )
    app.biometrics_reference = reference
    free = app.fee_total_at_submit == 0
    _move(
        app,
        rule,
        actor=actor,
        action=Action.INTERVIEWED,
        note=EventNote.INTERVIEWED_NO_FEE if free else EventNote.INTERVIEWED,
        staff_note=_clean_note(note, required=False),
    )
    run_hook("applications.interviewed", application=app, actor=actor)
    if not free:
        application_bill_issue(actor=actor, application=app)
        return app
    # A service without a fee (a passport replaced after a disaster): there is
    # no bill to wait for, so the application goes on as if it were paid.
    return _move(
        app,
        TRANSITIONS["bill_paid"],
        actor=None,
        action=Action.NO_FEE_DUE,
        note=EventNote.NO_FEE_DUE,
    )


@transaction.atomic
def approve(*, actor: Actor, application: Application, note: str = "") -> Application:
    app = _locked(application)
    rule = _check(actor, app, "approve")
    officer = signed_in(actor)  # _check lets only a signed-in officer through
    app.decided_by = officer
    app.decided_at = timezone.now()
    _move(
        app,
        rule,
        actor=actor,
        action=Action.APPROVED,
        note=EventNote.APPROVED,
        staff_note=_clean_note(note, required=False),
    )
    notify_applicant(app, "decision_approved", f"decision:{app.public_id}")
    return app


@transaction.atomic
def reject(*, actor: Actor, application: Application, reason: str, note: str) -> Application:
    if reason not in RejectReason.values:
        raise ValidationFailed.for_field(
            "reason", _("Choose a reason from the list."), code=CommonCode.UNKNOWN_REASON
        )
    app = _locked(application)
    rule = _check(actor, app, "reject")
    officer = signed_in(actor)  # _check lets only a signed-in officer through
    app.decided_by = officer
    app.decided_at = timezone.now()
    app.reject_reason = reason
    _move(
        app,
        rule,
        actor=actor,
        action=Action.REJECTED,
        note=EventNote.REJECTED,
        staff_note=_clean_note(note, required=True),
        data={"reason": reason},
    )
    notify_applicant(app, "decision_rejected", f"decision:{app.public_id}", reason_code=reason)
    return app


def _name_document_number(exc: ValidationFailed) -> None:
    """Issuance names the number (and the MRZ written from it) ``number`` and
    ``mrz``; the officer sent it as ``document_number``, so the error points
    there."""
    renamed = {"number": "document_number", "mrz": "document_number"}
    fields: dict[str, list[Any]] = {}
    for name, messages in exc.fields.items():
        fields.setdefault(renamed.get(name, name), []).extend(messages)
    exc.fields = fields


def _mrz_fields(app: Application, document_code: str, number: str, valid_until: date) -> MrzFields:
    from simi.issuance import mrz

    person = app.person
    if person is None or person.birth_date is None:
        raise Conflict(
            _("The identity record has no birth date; a passport cannot be written."),
            code=Code.IDENTITY_INCOMPLETE,
        )
    names = mrz.name_components(person.full_name)
    # One-word names (common in Indonesia) are the primary identifier alone.
    primary, secondary = (names[-1], " ".join(names[:-1])) if len(names) > 1 else (names[0], "")
    return mrz.MrzFields(
        document_code=document_code,
        issuing_state="IDN",
        primary_identifier=primary,
        secondary_identifier=secondary,
        document_number=number,
        nationality=person.nationality or "IDN",
        birth_date=person.birth_date,
        sex=person.sex or "X",
        expiry_date=valid_until,
    )


@transaction.atomic
def issue(*, actor: Actor, application: Application, document_number: str = "") -> Application:
    """Register the kind of document the catalogue says the service issues,
    with its MRZ when that kind carries one (passports, visas), seal it and
    mark it ready. An extension is valid from the day after the permit it
    extends ends, or from the day of a late application (``extension_start``),
    not from the day of issue."""
    from simi.issuance.services import document_issue, mrz_document_code
    from simi.oversight.register.permits import extension_start

    app = _locked(application)
    rule = _check(actor, app, "issue")
    service = app.service_type
    if not service.issued_kind or not service.issued_validity:
        raise Conflict(
            _("The catalogue does not say what this service issues."), code=Code.NOTHING_TO_ISSUE
        )
    kind = service.issued_kind
    extends = app.extends_permit
    valid_from = (
        extension_start(extends, applied_on=applied_on(app)) if extends is not None else _today()
    )
    valid_until = validity_end(valid_from, service.issued_validity)
    number = "".join((document_number or "").split()).upper()
    document_code = mrz_document_code(kind)
    if document_code is not None:
        if not number:
            raise ValidationFailed.for_field(
                "document_number",
                _("Enter the number printed in the passport booklet."),
                code=Code.NUMBER_REQUIRED,
            )
        mrz_fields = _mrz_fields(app, document_code, number, valid_until)
    else:
        number = number or f"{app.office.code[:3].upper()}-{app.tracking_code}"
        mrz_fields = None
    try:
        document = document_issue(
            actor=actor,
            kind=kind,
            holder=app.person,
            number=number,
            valid_from=valid_from,
            valid_until=valid_until,
            office=app.office,
            mrz_fields=mrz_fields,
            application_reference=app.tracking_code,
        )
    except ValidationFailed as exc:
        _name_document_number(exc)
        raise
    app.issued_document = document
    app.issued_at = timezone.now()
    _move(
        app,
        rule,
        actor=actor,
        action=Action.ISSUED,
        note=EventNote.ISSUED,
        data={"document": str(document.public_id), "kind": kind},
    )
    _attach_permit(app, actor, document)
    collect_by = timezone.localdate(app.issued_at) + timedelta(days=UNCOLLECTED_DAYS)
    notify_applicant(
        app,
        "ready_for_collection",
        f"ready:{app.public_id}",
        office_code=app.office.code,
        collect_by=collect_by.isoformat(),
    )
    return app


# Catalogue service kinds -> the register's permit kinds.
_PERMIT_KINDS = {
    "visit-stay-extension": "itk",
    "limited-stay": "itas",
    "limited-stay-extension": "itas",
    "permanent-stay": "itap",
    "re-entry": "re_entry",
}


def _attach_permit(app: Application, actor: Actor, document: IssuedDocument) -> None:
    """A stay permit SIMI issued joins the register of foreigners; an
    extension joins it as the continuation of the permit it extends."""
    kind = _PERMIT_KINDS.get(app.service_type.kind)
    if app.service_type.issued_kind != DocumentKind.STAY_PERMIT or kind is None:
        return
    if app.person is None:
        return
    from simi.oversight.register.permits import permit_register_from_issuance

    permit_register_from_issuance(
        actor=actor,
        holder=app.person,
        kind=kind,
        number=document.number,
        valid_from=document.valid_from,
        valid_until=document.valid_until,
        office=app.office,
        issued_document_id=document.public_id,
        extends=app.extends_permit,
    )


@transaction.atomic
def collect(*, actor: Actor, application: Application) -> Application:
    app = _locked(application)
    rule = _check(actor, app, "collect")
    app.collected_at = timezone.now()
    return _move(app, rule, actor=actor, action=Action.COLLECTED, note=EventNote.COLLECTED)


# --- the applicant's answer -----------------------------------------------


@transaction.atomic
def documents_sent(*, actor: Actor, application: Application) -> Application:
    """The applicant says the documents asked for are uploaded: back to the officer."""
    require_applicant(actor)
    app = _locked(application)
    if app.applicant_id != actor.pk:
        raise NotFound()
    rule = _check(actor, app, "documents_sent")
    request = app.document_requests.filter(state=DocumentRequest.State.OPEN).first()
    if request is not None:
        uploaded = set(
            app.documents.filter(uploaded_at__gte=request.requested_at).values_list(
                "requirement_code", flat=True
            )
        )
        missing = [code for code in request.requirement_codes if code not in uploaded]
        if missing:
            raise ValidationFailed.for_field(
                "documents",
                _("Upload every document asked for first: %(codes)s")
                % {"codes": ", ".join(missing)},
                code=Code.DOCUMENTS_MISSING,
            )
        request.state = DocumentRequest.State.ANSWERED
        request.answered_at = timezone.now()
        request.save(update_fields=["state", "answered_at"])
    app.documents_due_date = None
    return _move(
        app, rule, actor=actor, action=Action.DOCUMENTS_SENT, note=EventNote.DOCUMENTS_SENT
    )


# --- system steps (payments, jobs) -----------------------------------------


@transaction.atomic
def bill_paid(*, bill: Bill) -> None:
    """Payments calls this when the application's bill is paid."""
    app = _locked(application_of_bill(bill))
    if app.status not in TRANSITIONS["bill_paid"].sources:
        # Paid after a cancellation: payments keeps the money on record for a refund.
        audit_record(
            actor=None,
            action=Action.PAID_UNEXPECTEDLY,
            target=app,
            data={"status": app.status, "bill": str(bill.public_id)},
        )
        return
    _move(
        app,
        TRANSITIONS["bill_paid"],
        actor=None,
        action=Action.PAID,
        note=EventNote.PAID,
        data={"bill": str(bill.public_id)},
    )


@transaction.atomic
def bill_expired(*, bill: Bill) -> None:
    """Payments calls this when an unpaid bill expires and is handed over
    (``billing.bill_on_expiry``: the rule is to cancel)."""
    app = _locked(application_of_bill(bill))
    if app.status not in TRANSITIONS["bill_expired"].sources:
        return
    app.cancelled_at = timezone.now()
    _move(
        app,
        TRANSITIONS["bill_expired"],
        actor=None,
        action=Action.CANCELLED_UNPAID,
        note=EventNote.CANCELLED_UNPAID,
        data={"bill": str(bill.public_id)},
    )
    # payments already told the applicant that the bill expired


def cancel_overdue_document_requests(*, today: date | None = None) -> list[str]:
    """Cancel applications whose requested documents did not come by the deadline."""
    day = today or _today()
    done = []
    overdue = Application.objects.filter(
        status=Status.MORE_DOCUMENTS_REQUESTED, documents_due_date__lt=day
    ).values_list("pk", flat=True)
    for pk in list(overdue):
        with transaction.atomic():
            app = _locked(Application(pk=pk))
            if app.status != Status.MORE_DOCUMENTS_REQUESTED or not (
                app.documents_due_date and app.documents_due_date < day
            ):
                continue
            app.cancelled_at = timezone.now()
            app.document_requests.filter(state=DocumentRequest.State.OPEN).update(
                state=DocumentRequest.State.EXPIRED
            )
            _move(
                app,
                TRANSITIONS["documents_overdue"],
                actor=None,
                action=Action.CANCELLED_DOCUMENTS_OVERDUE,
                note=EventNote.CANCELLED_DOCUMENTS_OVERDUE,
            )
            notify_applicant(
                app,
                "application_cancelled",
                f"cancelled:{app.public_id}",
                reason_code="documents_overdue",
            )
            done.append(str(app.public_id))
    return done


def cancel_uncollected(*, now: datetime | None = None) -> list[str]:
    """Documents not collected within 30 days are withdrawn and the application cancelled."""
    from simi.issuance.services import document_withdraw_uncollected

    moment = now or timezone.now()
    cutoff = moment - timedelta(days=UNCOLLECTED_DAYS)
    done = []
    stale = Application.objects.filter(status=Status.ISSUED, issued_at__lt=cutoff).values_list(
        "pk", flat=True
    )
    for pk in list(stale):
        with transaction.atomic():
            app = _locked(Application(pk=pk))
            if app.status != Status.ISSUED or app.issued_at is None or app.issued_at >= cutoff:
                continue
            if app.issued_document is not None:
                document_withdraw_uncollected(document=app.issued_document)
            app.cancelled_at = moment
            _move(
                app,
                TRANSITIONS["uncollected"],
                actor=None,
                action=Action.CANCELLED_UNCOLLECTED,
                note=EventNote.CANCELLED_UNCOLLECTED,
            )
            notify_applicant(
                app,
                "application_cancelled",
                f"cancelled:{app.public_id}",
                reason_code="uncollected",
            )
            done.append(str(app.public_id))
    return done
