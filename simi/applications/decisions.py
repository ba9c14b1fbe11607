"""What an applicant can act on after a decision: the reason for a refusal
with its legal basis, what to do next, the refusal letter, and where, when
and with what to collect an issued document.

The legal basis of each refusal reason is data (``data/refusal_grounds.csv``,
sources in ``data/SOURCES.md``), never a literal here. Only the reason code
the supervisor chose reaches the applicant; the staff note never does.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from simi.applications.models import Application, RejectReason, Status
from simi.catalog.languages import active_language, localized

DATA_DIR = Path(__file__).resolve().parent / "data"
ANY_CATEGORY = "*"
# workflow.UNCOLLECTED_DAYS, repeated here to keep this module free of the workflow
COLLECT_WITHIN_DAYS = 30
DECIDED = (Status.REJECTED, Status.APPROVED, Status.ISSUED, Status.COLLECTED)


@dataclass(frozen=True)
class LegalBasis:
    text: str
    source: str


@dataclass(frozen=True)
class NextStep:
    """One thing the applicant can do; ``url`` is site-relative, or "" when
    the step is a visit or a call."""

    kind: str  # reapply | reconsider | ask | collect
    title: str
    text: str
    url: str = ""


@dataclass(frozen=True)
class OfficeContact:
    code: str
    name: str
    address: str
    phone: str


@dataclass(frozen=True)
class Collection:
    """Where, when and with what to collect an issued document."""

    office: OfficeContact
    collect_by: date
    where: str
    when: str
    bring: list[str]


@dataclass(frozen=True)
class Decision:
    outcome: str  # refused | approved
    decided_on: date
    office: OfficeContact
    reason_code: str = ""
    reason_label: str = ""
    legal_basis: LegalBasis | None = None
    next_steps: tuple[NextStep, ...] = ()
    collection: Collection | None = None


@functools.cache
def _grounds() -> dict[tuple[str, str], dict[str, str]]:
    with (DATA_DIR / "refusal_grounds.csv").open(encoding="utf-8", newline="") as handle:
        return {(row["reason"], row["applicant_category"]): row for row in csv.DictReader(handle)}


def _category(app: Application) -> str:
    person = app.person
    if person is not None and person.kind:
        return str(person.kind)
    return str(app.service_type.applicant_category)


def refusal_legal_basis(reason: str, category: str) -> LegalBasis:
    """The legal basis of ``reason`` for a citizen's or a foreigner's
    application, in the active language (Indonesian when English is empty)."""
    grounds = _grounds()
    row = grounds.get((reason, category)) or grounds.get((reason, ANY_CATEGORY))
    if row is None:
        row = grounds[(RejectReason.OTHER, ANY_CATEGORY)]
    text = row["legal_basis_en"] if active_language() == "en" else ""
    return LegalBasis(text=text or row["legal_basis_id"], source=row["source"])


def office_contact(app: Application) -> OfficeContact:
    office = app.office
    return OfficeContact(
        code=office.code, name=office.name, address=office.address, phone=office.phone
    )


def _contact_text(office: OfficeContact) -> str:
    where = office.name + (f", {office.address}" if office.address else "")
    if office.phone:
        return _("%(office)s, telephone %(phone)s") % {"office": where, "phone": office.phone}
    return where


def refusal_next_steps(app: Application) -> tuple[NextStep, ...]:
    office = office_contact(app)
    contact = _contact_text(office)
    service = localized(app.service_type, "name")
    reapply = f"{reverse('applications:new')}?service={app.service_type.code}"
    return (
        NextStep(
            kind="reapply",
            title=_("Fix it and apply again"),
            text=_(
                "If you can correct what the reason names (for example a clearer or valid "
                "document), start a new application for %(service)s. A new application has "
                "its own fee and tracking code."
            )
            % {"service": service},
            url=reapply,
        ),
        NextStep(
            kind="reconsider",
            title=_("Object or ask for reconsideration"),
            text=_(
                "If you think the decision is wrong, write to or visit the office that "
                "decided, %(contact)s. Name the tracking code %(code)s and say why, with any "
                "document that supports you."
            )
            % {"contact": contact, "code": app.tracking_code_display},
        ),
        NextStep(
            kind="ask",
            title=_("Ask a question"),
            text=_(
                "For a question about the decision or the requirements, contact %(contact)s "
                "on a working day, or read the requirements of the service."
            )
            % {"contact": contact},
            url=reverse("catalog:detail", args=[app.service_type.code]),
        ),
    )


def collection_of(app: Application) -> Collection | None:
    """Collection instructions while an issued document waits at the office."""
    if app.status != Status.ISSUED or app.issued_at is None:
        return None
    office = office_contact(app)
    collect_by = timezone.localdate(app.issued_at) + timedelta(days=COLLECT_WITHIN_DAYS)
    due = formats.date_format(collect_by, "DATE_FORMAT")
    identity = (
        _("your e-KTP (identity card)")
        if _category(app) == "citizen"
        else _("your national passport")
    )
    return Collection(
        office=office,
        collect_by=collect_by,
        where=_contact_text(office),
        when=_(
            "On a working day (Monday to Friday, not on public holidays) during the office's "
            "opening hours, by %(date)s at the latest. A document not collected by then is "
            "cancelled."
        )
        % {"date": due},
        bring=[
            identity,
            _("the collection receipt (printed or on your phone)"),
            _("the originals of the documents you uploaded"),
        ],
    )


def decision_of(app: Application) -> Decision | None:
    """The decision on ``app`` as its applicant sees it; None before one is made."""
    if app.status not in DECIDED or app.decided_at is None:
        return None
    decided_on = timezone.localdate(app.decided_at)
    office = office_contact(app)
    if app.status == Status.REJECTED:
        reason = app.reject_reason or RejectReason.OTHER
        return Decision(
            outcome="refused",
            decided_on=decided_on,
            office=office,
            reason_code=reason,
            reason_label=str(RejectReason(reason).label),
            legal_basis=refusal_legal_basis(reason, _category(app)),
            next_steps=refusal_next_steps(app),
        )
    return Decision(
        outcome="approved", decided_on=decided_on, office=office, collection=collection_of(app)
    )


def refusal_letter_pdf_bytes(app: Application, *, tracking_url: str) -> bytes:
    """The refusal letter as a one-page PDF in the active language.

    Not sealed: the seal (``simi.issuance.seal``) speaks for a document in the
    register of issued documents, and a refusal is not one. The letter names
    the tracking code, which anyone can check on the public tracking page.
    """
    from simi.issuance.printing import letter_pdf

    decision = decision_of(app)
    if decision is None or decision.outcome != "refused" or decision.legal_basis is None:
        raise ValueError("not refused")
    rows = [
        (_("Tracking code"), app.tracking_code_display),
        (_("Service"), localized(app.service_type, "name")),
        (_("Office"), _contact_text(decision.office)),
        (_("Date of the decision"), formats.date_format(decision.decided_on, "DATE_FORMAT")),
        (_("Decision"), _("The application is refused.")),
    ]
    sections = [
        (_("Reason"), decision.reason_label),
        (_("Legal basis"), decision.legal_basis.text),
        *((step.title, step.text) for step in decision.next_steps),
    ]
    return letter_pdf(
        title=_("SIMI Lampung Barat: decision on your application"),
        rows=rows,
        sections=sections,
        footer=_(
            "This letter is made by SIMI from the decision on record. Check the status of "
            "the application with its tracking code at %(url)s."
        )
        % {"url": tracking_url},
    )
