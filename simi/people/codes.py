"""Audit actions and error codes of people (docs/codes.md)."""

from simi.core.codes import AuditAction, ErrorCode


class Action(AuditAction):
    PERSON_CREATED = "people.person_created", "An identity record was created."
    PERSON_UPDATED = "people.person_updated", "Fields of an identity record changed."
    PERSON_DELETED = "people.person_deleted", "An identity record was erased (UU PDP)."
    PERSON_NUMBER_CONFIRMED = (
        "people.person_number_confirmed",
        "An identity number was confirmed as this record's after a check (it gets the index).",
    )
    PERSON_NUMBER_WITHDRAWN = (
        "people.person_number_withdrawn",
        "An identity number was confirmed as another record's; this one keeps it unindexed.",
    )
    PERSON_LOOKED_UP = (
        "people.person_looked_up",
        "Staff looked a person up by identity number, with a purpose (found or not).",
    )


class Code(ErrorCode):
    NIK_TAKEN = "nik_taken", "A person with this NIK is already registered."
    PASSPORT_TAKEN = "passport_taken", "A person with this passport is already registered."
    PURPOSE_REQUIRED = "purpose_required", "A look-up needs a stated purpose."
    IDENTIFIER_REQUIRED = "identifier_required", "Give a NIK or a passport number."


FORMERLY = {
    Action.PERSON_CREATED: "person.created",
    Action.PERSON_UPDATED: "person.updated",
    Action.PERSON_DELETED: "person.deleted",
    Action.PERSON_LOOKED_UP: "person.looked_up",
}
