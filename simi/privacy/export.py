"""The right of access and copy (UU 27/2022 Pasal 7 and 32): one JSON document
with everything SIMI holds on the signed-in person.

The document is streamed in chunks: lists (tokens, requests, audit entries)
are read with server-side iterators, never loaded whole. Each part is
serialized with the schema in ``simi.privacy.schemas``, so the published API
contract and the file are the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from ninja import Schema

from simi.accounts.actors import Actor
from simi.accounts.household.selectors import household_members_own
from simi.accounts.models import User
from simi.accounts.selectors import api_token_list
from simi.audit.selectors import entries_by_or_about
from simi.audit.services import audit_record
from simi.core.errors import PermissionDenied
from simi.people.models import Person
from simi.people.selectors import person_own
from simi.privacy.clocks import PDP_RESPONSE_HOURS
from simi.privacy.codes import Action
from simi.privacy.models import DataSubjectRequest
from simi.privacy.schemas import (
    DsrOut,
    ExportAccountOut,
    ExportAuditEntryOut,
    ExportHouseholdMemberOut,
    ExportPersonOut,
    ExportTokenOut,
)

EXPORT_FORMAT = "simi-personal-data/1"
CHUNK_SIZE = 500


def dsr_out(dsr: DataSubjectRequest) -> DsrOut:
    return DsrOut(
        id=dsr.public_id,
        kind=dsr.kind,
        status=dsr.status,
        details=dsr.details,
        received_at=dsr.received_at,
        due_at=dsr.due_at,
        completed_at=dsr.completed_at,
        decision_note=dsr.decision_note,
        processing_restricted=dsr.processing_restricted,
    )


def _account_out(user: User) -> ExportAccountOut:
    return ExportAccountOut(
        id=user.public_id,
        email=user.email,
        full_name=user.full_name,
        role=user.role,
        office_code=user.office.code if user.office is not None else None,
        is_active=user.is_active,
        email_verified_at=user.email_verified_at,
        preferred_language=user.preferred_language,
        created_at=user.created_at,
        last_login=user.last_login,
    )


def _person_out(person: Person) -> ExportPersonOut:
    return ExportPersonOut(
        id=person.public_id,
        kind=person.kind,
        full_name=person.full_name,
        nik=person.nik,
        passport_number=person.passport_number,
        nationality=person.nationality,
        sex=person.sex,
        birth_date=person.birth_date,
        address=person.address,
        region_code=person.region.code if person.region else None,
        region_name=person.region.name if person.region else None,
        phone=person.phone,
        created_at=person.created_at,
        updated_at=person.updated_at,
    )


def _json_list(items: Iterable[Schema]) -> Iterator[str]:
    yield "["
    for index, item in enumerate(items):
        yield ("," if index else "") + item.model_dump_json()
    yield "]"


def _own_objects(user: User, person: Person | None) -> dict[str, set[str]]:
    """The records that are the person's own, by audit object type."""
    own: dict[str, set[str]] = {
        "accounts.user": {str(user.public_id)},
        "accounts.apitoken": {
            str(i) for i in api_token_list(actor=user).values_list("public_id", flat=True)
        },
        "privacy.datasubjectrequest": {
            str(i)
            for i in DataSubjectRequest.objects.filter(applicant=user).values_list(
                "public_id", flat=True
            )
        },
    }
    members = household_members_own(actor=user)
    own["accounts.householdmember"] = {str(m.public_id) for m in members}
    people = {str(m.person.public_id) for m in members}
    if person is not None:
        people.add(str(person.public_id))
    if people:
        # Entries written before Person moved from core to people carry the old label.
        own["people.person"] = own["core.person"] = people
    return own


def _audit_entries(user: User, own: dict[str, set[str]]) -> Iterator[ExportAuditEntryOut]:
    rows = (
        entries_by_or_about(actor=user, objects=own)
        .values_list(
            "action", "occurred_at", "actor_id", "actor_role", "object_type", "object_id", "purpose"
        )
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for action, occurred_at, actor_id, role, object_type, object_id, purpose in rows:
        is_own = object_id in own.get(object_type, set())
        yield ExportAuditEntryOut(
            action=action,
            occurred_at=occurred_at,
            actor_role=role,
            by_you=actor_id == user.pk,
            object_type=object_type,
            # Someone else's record (a staff member's look-up) stays anonymous.
            object_id=object_id if is_own or not object_id else None,
            purpose=purpose if is_own or not object_id else None,
        )


def _document(user: User, generated_at: datetime) -> Iterator[str]:
    person = person_own(actor=user)
    own = _own_objects(user, person)
    head = {
        "format": EXPORT_FORMAT,
        "generated_at": generated_at.isoformat(),
        "legal_basis": PDP_RESPONSE_HOURS.legal_basis,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1]
    yield ', "account": ' + _account_out(user).model_dump_json()
    yield ', "person": ' + (_person_out(person).model_dump_json() if person else "null")
    yield ', "household_members": '
    yield from _json_list(
        ExportHouseholdMemberOut(
            id=m.public_id,
            relationship=m.relationship,
            created_at=m.created_at,
            person=_person_out(m.person),
        )
        for m in household_members_own(actor=user)
    )
    tokens = api_token_list(actor=user).order_by("created_at", "id").iterator(CHUNK_SIZE)
    yield ', "api_tokens": '
    yield from _json_list(
        ExportTokenOut(
            id=t.public_id,
            name=t.name,
            prefix=t.prefix,
            scopes=t.scopes,
            created_at=t.created_at,
            expires_at=t.expires_at,
            last_used_at=t.last_used_at,
            revoked_at=t.revoked_at,
        )
        for t in tokens
    )
    requests = DataSubjectRequest.objects.filter(applicant=user).order_by("received_at", "id")
    yield ', "requests": '
    yield from _json_list(dsr_out(d) for d in requests.iterator(CHUNK_SIZE))
    yield ', "audit_entries": '
    yield from _json_list(_audit_entries(user, own))
    yield "}\n"


@transaction.atomic
def personal_data_export(*, actor: Actor) -> Iterator[str]:
    """Audit the download and hand back the document as an iterator of text chunks."""
    if not actor.is_authenticated or not actor.is_active:
        raise PermissionDenied()
    generated_at = timezone.now()
    audit_record(
        actor=actor, action=Action.ACCESS_EXPORTED, target=actor, data={"format": EXPORT_FORMAT}
    )
    return _document(actor, generated_at)


def export_filename(generated_on: date | None = None) -> str:
    day = timezone.localdate() if generated_on is None else generated_on
    return f"simi-data-pribadi-{day:%Y%m%d}.json"
