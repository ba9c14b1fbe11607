"""Synthetic demo applications in every state of the workflow, so a newcomer's
portal and back office are never empty.

Only demo applicants (``is_demo``) with a synthetic identity get them; the
steps are the real services (documents, workflow, bills, payments through the
demo bank), done by the demo staff personas. Each applicant gets at most one
application, except the first demo foreigner, who also gets an ITAS and its
extension; running ``seed_demo`` again changes nothing.
"""

from __future__ import annotations

import io
import uuid
from contextlib import redirect_stdout
from typing import Any

from django.core.management import call_command
from django.db import transaction

from simi.accounts.models import User
from simi.accounts.roles import Role
from simi.applications import workflow
from simi.applications.documents import document_upload
from simi.applications.models import Application, CancelReason
from simi.applications.requirements import required_details
from simi.applications.services import (
    application_cancel,
    application_create,
    application_details_save,
    application_submit,
)
from simi.catalog.models import ServiceKind
from simi.catalog.selectors import required_documents
from simi.core.demo import DemoOptions
from simi.issuance.services import mrz_document_code
from simi.oversight.models import StayPermit

# The states to show, in the order demo applicants receive them.
TARGETS = (
    "registered",
    "verifying",
    "more_documents_requested",
    "interview",
    "awaiting_payment",
    "paid",
    "approved",
    "issued",
    "collected",
    "rejected",
    "cancelled",
    "draft",
)
_STEPS = (
    "submitted",
    "verifying",
    "interview",
    "awaiting_payment",
    "paid",
    "approved",
    "issued",
    "collected",
)
_CITIZEN_SERVICES = ("passport-ordinary-5y", "passport-electronic-10y", "passport-ordinary-10y")
_FOREIGNER_SERVICES = ("itk-30d", "itas-1y", "re-entry-1y")
# One demo foreigner gets an ITAS and extends it (after the loop below).
FIRST_ITAS = "itas-1y"
EXTENSION = "itas-extension-1y"


def demo_pdf(label: str) -> bytes:
    """A one-page PDF that says what it is: synthetic demo content."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=14)
    pdf.multi_cell(0, 10, f"SIMI DEMO - SYNTHETIC DOCUMENT\n{label}\nNot a real person's document.")
    return bytes(pdf.output())


def _staff(local_part: str) -> User:
    return User.objects.get(email=f"{local_part}@demo.simi.invalid")


def _pay(app: Application) -> None:
    from simi.applications.billing import application_bills
    from simi.payments.models import BillStatus

    bill = application_bills(app).get(status=BillStatus.UNPAID)
    with redirect_stdout(io.StringIO()):
        call_command("simulate_payment", bill.billing_code, stdout=io.StringIO())


def _complete(app: Application, *, serial: int, extends_permit: uuid.UUID | None = None) -> None:
    """Give a draft what its service requires, as the applicant does before
    submitting: the details asked for and a file for each mandatory document."""
    applicant = app.applicant
    needed = required_details(app.service_type)
    if needed:
        details: dict[str, Any] = (
            {"family_card_number": f"18040{serial:011d}"}
            if "family_card_number" in needed
            else {
                "sponsor_kind": "company",
                "sponsor_name": f"PT Sponsor Demo {serial} (synthetic)",
                "sponsor_contact": f"sponsor{serial}@demo.simi.invalid",
            }
        )
        if extends_permit is not None:
            details["extends_permit"] = extends_permit
        application_details_save(actor=applicant, application=app, **details)
    for requirement in required_documents(app.service_type):
        if requirement.is_mandatory:
            document_upload(
                actor=applicant,
                application=app,
                requirement_code=requirement.code,
                content=demo_pdf(f"{requirement.code} / demo {serial}"),
            )


def _submit(
    app: Application, *, serial: int, extends_permit: uuid.UUID | None = None
) -> Application:
    _complete(app, serial=serial, extends_permit=extends_permit)
    return application_submit(actor=app.applicant, application=app, declared=True)


def _walk(
    app: Application,
    target: str,
    *,
    counter: User,
    chief: User,
    serial: int,
) -> None:
    """Take a registered application through the real steps up to ``target``."""
    if target == "registered":
        return
    workflow.start_verification(actor=counter, application=app)
    if target == "more_documents_requested":
        first = next(r.code for r in required_documents(app.service_type))
        workflow.request_documents(
            actor=counter,
            application=app,
            requirement_codes=[first],
            message="Demo: the scan is not readable; please upload a clearer copy.",
        )
        return
    if target == "rejected":
        workflow.reject(
            actor=chief,
            application=app,
            reason="documents_invalid",
            note="Demo refusal: the documents do not match the identity record (synthetic).",
        )
        return
    order = _STEPS.index(target) if target in _STEPS else len(_STEPS)
    if order <= _STEPS.index("verifying"):
        return
    workflow.complete_verification(actor=counter, application=app, note="Demo: complete.")
    if order <= _STEPS.index("interview"):
        return
    workflow.record_interview(
        actor=counter, application=app, biometrics_reference=f"DEMO-BIO-{serial:04d}"
    )
    if order <= _STEPS.index("awaiting_payment"):
        return
    _pay(app)
    app.refresh_from_db()
    if order <= _STEPS.index("paid"):
        return
    workflow.approve(actor=chief, application=app, note="Demo approval.")
    if order <= _STEPS.index("approved"):
        return
    # A kind with an MRZ (a passport) needs the number printed on it; SIMI numbers the others.
    needs_number = mrz_document_code(app.service_type.issued_kind) is not None
    number = f"X{9_000_000 + serial:07d}" if needs_number else ""
    workflow.issue(actor=chief, application=app, document_number=number)
    if order <= _STEPS.index("issued"):
        return
    workflow.collect(actor=counter, application=app)


@transaction.atomic
def applications_demo_seed(*, limit: int = 24) -> int:
    """Give up to ``limit`` demo applicants one application each, cycling through
    every state; returns how many were made."""
    applicants = (
        User.objects.filter(is_demo=True, role=Role.APPLICANT, person__isnull=False)
        .select_related("person")
        .order_by("email")[:limit]
    )
    chief = _staff("kasi.kotabumi")
    counters = {"ulp-liwa": _staff("petugas.liwa"), "kanim-kotabumi": _staff("petugas.kotabumi")}
    made = 0
    for position, user in enumerate(applicants):
        person = user.person
        if person is None or Application.objects.filter(applicant=user).exists():
            continue
        target = TARGETS[position % len(TARGETS)]
        if person.kind == "citizen":
            code = _CITIZEN_SERVICES[position % len(_CITIZEN_SERVICES)]
            office = "ulp-liwa" if position % 2 else "kanim-kotabumi"
        else:
            code = _FOREIGNER_SERVICES[position % len(_FOREIGNER_SERVICES)]
            office = "kanim-kotabumi"  # stay permits are handled at the office itself
        app = application_create(actor=user, service_code=code, office_code=office)
        made += 1
        if target == "draft":
            continue
        app = _submit(app, serial=position + 1)
        if target == "cancelled":
            application_cancel(actor=user, application=app, reason=CancelReason.NO_LONGER_NEEDED)
            continue
        _walk(app, target, counter=counters[office], chief=chief, serial=position + 1)
    made += _extension_demo_seed(counter=counters["kanim-kotabumi"], chief=chief)
    return made


def _extension_demo_seed(*, counter: User, chief: User) -> int:
    """The first demo foreigner gets a one-year ITAS, issued and collected, and
    then applies for its one-year extension, worked up to the issue: the
    register shows the new permit continuing the old one. Returns how many
    applications were made (none when the extension is there already)."""
    if Application.objects.filter(
        applicant__is_demo=True, service_type__kind=ServiceKind.LIMITED_STAY_EXTENSION
    ).exists():
        return 0
    user = (
        User.objects.filter(is_demo=True, role=Role.APPLICANT, person__kind="foreigner")
        .order_by("email")
        .first()
    )
    if user is None:
        return 0
    office = "kanim-kotabumi"  # stay permits are handled at the office itself
    first = application_create(actor=user, service_code=FIRST_ITAS, office_code=office)
    first = _submit(first, serial=901)
    _walk(first, "collected", counter=counter, chief=chief, serial=901)
    first.refresh_from_db()
    assert first.issued_document is not None
    extension = application_create(actor=user, service_code=EXTENSION, office_code=office)
    # the permit her first ITAS put in the register, as she chooses it
    permit = StayPermit.objects.get(issued_document_id=first.issued_document.public_id)
    extension = _submit(extension, serial=902, extends_permit=permit.public_id)
    _walk(extension, "issued", counter=counter, chief=chief, serial=902)
    return 2


def seed_demo(options: DemoOptions) -> str:
    """``seed_demo`` step: one application per demo applicant, in every state,
    and one ITAS extension."""
    return f"demo applications: {applications_demo_seed()} created"
