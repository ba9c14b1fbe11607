"""Public reference data: offices and regions."""

from django.http import HttpRequest
from ninja import Query, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from simi.core import selectors
from simi.core.models import Office, Region
from simi.core.routing import PUBLIC, ScopedRouter
from simi.core.schemas import OfficeOut, RegionOut

router = ScopedRouter(tags=["reference data"])


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
    "/offices", scope=PUBLIC, response=list[OfficeOut], summary="List offices and service points"
)
@paginate(LimitOffsetPagination)
def office_list(request: HttpRequest) -> list[OfficeOut]:
    """Active immigration offices and service points serving Lampung Barat."""
    return [_office_out(o) for o in selectors.office_list()]


@router.get("/regions", scope=PUBLIC, response=list[RegionOut], summary="List regions")
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
