"""What an application still lacks before an officer can complete verification.

Both lists follow the catalogue's data: the documents a service requires, and
the details (beyond the identity record) that those documents imply.
"""

from __future__ import annotations

from simi.applications.models import Application, DocumentStatus
from simi.catalog.models import ServiceType
from simi.catalog.selectors import required_documents

FAMILY_CARD = "family_card_number"
SPONSOR = "sponsor"


def required_details(service: ServiceType) -> list[str]:
    """Derived from the catalogue's document list, so it follows the data: a
    service that asks for the family card asks for its number; one that asks
    for sponsor documents asks who the sponsor is."""
    codes = {
        requirement.code for requirement in required_documents(service) if requirement.is_mandatory
    }
    needed = []
    if "kartu-keluarga" in codes:
        needed.append(FAMILY_CARD)
    if any(code.startswith("sponsor-") for code in codes):
        needed.append(SPONSOR)
    return needed


def missing_details(application: Application) -> list[str]:
    missing = []
    for detail in required_details(application.service_type):
        if detail == FAMILY_CARD and not application.family_card_number:
            missing.append(FAMILY_CARD)
        if detail == SPONSOR and not (
            application.sponsor_kind and application.sponsor_name and application.sponsor_contact
        ):
            missing.append(SPONSOR)
    return missing


def missing_documents(application: Application) -> list[str]:
    """Codes of mandatory documents with no upload that is not refused."""
    mandatory = [
        requirement.code
        for requirement in required_documents(application.service_type)
        if requirement.is_mandatory
    ]
    present = set(
        application.documents.exclude(status=DocumentStatus.REJECTED).values_list(
            "requirement_code", flat=True
        )
    )
    return [code for code in mandatory if code not in present]
