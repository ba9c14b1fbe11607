"""People API: the audited staff look-up by exact identity number."""

from django.http import HttpRequest

from simi.core.routing import ScopedRouter
from simi.people import selectors
from simi.people.models import Person
from simi.people.schemas import PersonLookupIn, PersonOut

router = ScopedRouter(tags=["people"])


def person_out(person: Person) -> PersonOut:
    return PersonOut(
        id=person.public_id,
        kind=person.kind,
        full_name=person.full_name,
        nationality=person.nationality,
        sex=person.sex,
        birth_date=person.birth_date,
        nik_masked=f"{person.nik[:4]}********{person.nik[-4:]}" if person.nik else None,
        passport_number=person.passport_number,
        region_code=person.region.code if person.region else None,
    )


@router.post(
    "/people/lookup", scope="people:lookup", response=PersonOut, summary="Look up a person"
)
def person_lookup(request: HttpRequest, payload: PersonLookupIn) -> PersonOut:
    """Staff find one person by exact NIK or passport number; every look-up,
    found or not, is written to the audit log with its purpose."""
    person = selectors.person_lookup(
        actor=request.user,
        purpose=payload.purpose,
        nik=payload.nik,
        passport_number=payload.passport_number,
        nationality=payload.nationality,
    )
    return person_out(person)
