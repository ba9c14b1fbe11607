"""What an application still lacks, before it can be submitted and before an
officer can complete verification.

Both lists follow the catalogue's data: the documents a service requires, the
details (beyond the identity record) that those documents imply, and for a
service of an extension kind the permit it extends. ``missing_items`` joins
them, labelled in the reader's language, for the submission's refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.utils.translation import gettext_lazy as _

from simi.applications.codes import Code
from simi.applications.guardians import application_documents
from simi.applications.guardians import applied_on as applied_on
from simi.applications.models import Application, DocumentStatus
from simi.catalog.languages import localized
from simi.catalog.models import ServiceKind, ServiceType
from simi.catalog.selectors import required_documents
from simi.core.errors import Conflict

FAMILY_CARD = "family_card_number"
SPONSOR = "sponsor"
EXTENDS_PERMIT = "extends_permit"
# Service kinds that extend a permit of the register -> the kind of that permit.
EXTENDS = {ServiceKind.LIMITED_STAY_EXTENSION.value: "itas"}


def permit_kind_extended(service: ServiceType) -> str | None:
    """The register's kind of permit a service extends; None: it extends nothing."""
    return EXTENDS.get(service.kind)


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
    if permit_kind_extended(service) is not None:
        needed.append(EXTENDS_PERMIT)
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
        if detail == EXTENDS_PERMIT and application.extends_permit_id is None:
            missing.append(EXTENDS_PERMIT)
    return missing


def missing_documents(application: Application) -> list[str]:
    """Codes of mandatory documents with no upload that is not refused."""
    mandatory = [
        requirement.code
        for requirement in application_documents(application)
        if requirement.is_mandatory
    ]
    present = set(
        application.documents.exclude(status=DocumentStatus.REJECTED).values_list(
            "requirement_code", flat=True
        )
    )
    return [code for code in mandatory if code not in present]


# What each detail is called where the applicant fills it in (DetailsForm).
DETAIL_LABELS = {
    FAMILY_CARD: _("Family card (KK) number"),
    SPONSOR: _("Your sponsor"),
    EXTENDS_PERMIT: _("The permit to extend"),
}


@dataclass(frozen=True)
class MissingItem:
    """One thing a draft lacks: a required document (by its requirement code)
    or a detail the service asks for (by its field name)."""

    item: str
    kind: Literal["document", "field"]
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"item": self.item, "kind": self.kind, "label": self.label}


def missing_items(application: Application) -> list[MissingItem]:
    """Everything the draft still lacks, details first (in the order of the
    form), then the documents in the catalogue's order; labels in the
    language active now."""
    items = [
        MissingItem(item=detail, kind="field", label=str(DETAIL_LABELS[detail]))
        for detail in missing_details(application)
    ]
    names = {
        requirement.code: localized(requirement, "name")
        for requirement in application_documents(application)
    }
    items += [
        MissingItem(item=code, kind="document", label=names[code])
        for code in missing_documents(application)
    ]
    return items


class ApplicationIncomplete(Conflict):
    """A draft cannot be submitted yet: its error body lists what is missing
    (``missing``: item, kind ``document`` or ``field``, label), so a client
    can point the applicant at each."""

    default_message = _(
        "Your application is not complete yet. Add what is missing, then submit it."
    )

    def __init__(self, missing: list[MissingItem]) -> None:
        super().__init__(code=Code.APPLICATION_INCOMPLETE)
        self.missing = missing

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "missing": [item.as_dict() for item in self.missing]}
