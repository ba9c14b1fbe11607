"""Reads of identity records: the account holder's own, and staff look-ups only
by exact identity number, with a stated purpose, and audited (found or not)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from simi.audit.services import audit_record
from simi.core.actors import Someone, may
from simi.core.errors import NotFound, PermissionDenied, ValidationFailed
from simi.people.codes import Action, Code
from simi.people.models import Person
from simi.people.services import nik_index, passport_index

MIN_PURPOSE_LENGTH = 10


def person_own(*, actor: Someone) -> Person | None:
    """The account's own identity record (with its region), or None (anonymous,
    or no identity recorded yet)."""
    person_id = getattr(actor, "person_id", None)  # accounts' User links its record
    if person_id is None:
        return None
    return Person.objects.select_related("region").filter(pk=person_id).first()


def person_lookup(
    *,
    actor: Someone,
    purpose: str,
    nik: str | None = None,
    passport_number: str | None = None,
    nationality: str | None = None,
) -> Person:
    """A staff look-up by exact NIK or passport; always audited with its purpose."""
    if not may(actor, "people:lookup"):
        raise PermissionDenied()
    purpose = " ".join((purpose or "").split())
    if len(purpose) < MIN_PURPOSE_LENGTH:
        raise ValidationFailed.for_field(
            "purpose",
            _("State why you look this person up (at least %(n)d characters).")
            % {"n": MIN_PURPOSE_LENGTH},
            code=Code.PURPOSE_REQUIRED,
        )
    if nik:
        found = Person.objects.filter(nik_index=nik_index(nik)).first()
        by = "nik"
    elif passport_number:
        found = Person.objects.filter(
            passport_index=passport_index(passport_number, nationality or "")
        ).first()
        by = "passport"
    else:
        raise ValidationFailed.for_field(
            "nik", _("Give a NIK or a passport number."), code=Code.IDENTIFIER_REQUIRED
        )
    # A miss is audited too: who searched for whom is itself sensitive.
    audit_record(
        actor=actor,
        action=Action.PERSON_LOOKED_UP,
        target=found,
        purpose=purpose,
        data={"by": by, "found": bool(found)},
    )
    if found is None:
        raise NotFound(_("No person with this identity number."))
    return found
