"""A draft made complete, for every test that submits one: submission is
refused while a required document or detail is missing, so tests give the
draft what its service requires, as an applicant would, instead of weakening
the rule.

    from simi.applications.tests.complete import submit_complete
    app = submit_complete(actor=ani, application=draft)
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from simi.applications.documents import document_upload
from simi.applications.models import Application
from simi.applications.requirements import (
    EXTENDS_PERMIT,
    FAMILY_CARD,
    SPONSOR,
    missing_documents,
    required_details,
)
from simi.applications.services import application_details_save, application_submit
from simi.applications.tests.files import png_bytes

API = "/api/v1"
# The body of POST .../submit: the applicant's declaration.
DECLARED = {"declaration": True}
FAMILY_CARD_NUMBER = "1804041203150007"  # synthetic; 18 is Lampung's province code
SPONSOR_DETAILS = {
    "sponsor_kind": "company",
    "sponsor_name": "PT Sponsor Uji (synthetic)",
    "sponsor_contact": "+6281234567890",
}


def complete_draft(
    *, actor: Any, application: Application, extends_permit: uuid.UUID | None = None
) -> Application:
    """Give the draft each detail its service asks for and a file for each
    mandatory document still missing. An extension needs ``extends_permit``
    (the public id of the permit it extends) unless it was chosen already."""
    needed = required_details(application.service_type)
    details: dict[str, Any] = {}
    if FAMILY_CARD in needed and not application.family_card_number:
        details["family_card_number"] = FAMILY_CARD_NUMBER
    if SPONSOR in needed and not application.sponsor_name:
        details.update(SPONSOR_DETAILS)
    if EXTENDS_PERMIT in needed and extends_permit is not None:
        details["extends_permit"] = extends_permit
    if details:
        application_details_save(actor=actor, application=application, **details)
    for code in missing_documents(application):
        document_upload(
            actor=actor, application=application, requirement_code=code, content=png_bytes((24, 18))
        )
    application.refresh_from_db()
    return application


def submit_complete(
    *, actor: Any, application: Application, extends_permit: uuid.UUID | None = None
) -> Application:
    """``complete_draft``, then submit it with the applicant's declaration."""
    complete_draft(actor=actor, application=application, extends_permit=extends_permit)
    return application_submit(actor=actor, application=application, declared=True)


def complete_through_api(client: Client, application_id: Any, **headers: str) -> None:
    """As ``complete_draft``, the way an app does it: ``PUT .../details`` and
    one multipart upload per mandatory document still missing."""
    application = Application.objects.get(public_id=application_id)
    needed = required_details(application.service_type)
    details: dict[str, Any] = {}
    if FAMILY_CARD in needed:
        details["family_card_number"] = FAMILY_CARD_NUMBER
    if SPONSOR in needed:
        details.update(SPONSOR_DETAILS)
    url = f"{API}/applications/{application_id}"
    if details:
        saved = client.put(
            f"{url}/details", data=json.dumps(details), content_type="application/json", **headers
        )
        assert saved.status_code == 200, saved.content
    for code in missing_documents(application):
        scan = SimpleUploadedFile("scan.png", png_bytes((24, 18)), content_type="image/png")
        uploaded = client.post(
            f"{url}/documents", {"requirement_code": code, "file": scan}, **headers
        )
        assert uploaded.status_code == 201, uploaded.content
