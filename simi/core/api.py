"""Public reference data: offices and regions."""

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from simi.core import selectors
from simi.core.models import Office, Person, Region
from simi.core.schemas import OfficeOut, PersonLookupIn, PersonOut, RegionOut
from simi.core.scopes import require_scope

router = Router(tags=["reference data"])


class RegionFilter(Schema):
    level: Region.Level | None = None
    parent_code: str | None = None


def _office_out(office: Office) -> OfficeOut:
    return OfficeOut(
        id=office.public_id,
        code=office.code,
        name=office.name,
        kind=office.kind,
        parent_code=office.parent.code if office.parent else None,
        region_code=office.region.code if office.region else None,
        address=office.address,
    )


@router.get(
    "/offices", response=list[OfficeOut], auth=None, summary="List offices and service points"
)
@paginate(LimitOffsetPagination)
def office_list(request: HttpRequest) -> list[OfficeOut]:
    """Active immigration offices and service points serving Lampung Barat."""
    return [_office_out(o) for o in selectors.office_list()]


@router.get("/regions", response=list[RegionOut], auth=None, summary="List regions")
@paginate(LimitOffsetPagination)
def region_list(request: HttpRequest, filters: Query[RegionFilter]) -> list[RegionOut]:
    """Province, regency, kecamatan and village codes (Kepmendagri) with centroids."""
    regions = selectors.region_list(level=filters.level, parent_code=filters.parent_code)
    return [
        RegionOut(
            code=r.code,
            level=r.level,
            name=r.name,
            parent_code=r.parent.code if r.parent else None,
            lat=float(r.lat) if r.lat is not None else None,
            lng=float(r.lng) if r.lng is not None else None,
        )
        for r in regions
    ]


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


@router.post("/people/lookup", response=PersonOut, tags=["people"], summary="Look up a person")
def person_lookup(request: HttpRequest, payload: PersonLookupIn) -> PersonOut:
    """Staff find one person by exact NIK or passport number; every look-up,
    found or not, is written to the audit log with its purpose."""
    require_scope(request, "people:lookup")
    person = selectors.person_lookup(
        actor=request.user,
        purpose=payload.purpose,
        nik=payload.nik,
        passport_number=payload.passport_number,
        nationality=payload.nationality,
    )
    return person_out(person)
