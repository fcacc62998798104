from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from xindai.api import requires
from xindai.core.masking import mask_phone
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.org import queries
from xindai.org.models import OrgUnit, User

router = Router(tags=["org"])


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    path: str


class StaffOut(Schema):
    id: int
    username: str
    full_name: str
    employee_no: str
    phone_masked: str
    org_unit: str | None
    roles: list[str]
    is_active: bool

    @staticmethod
    def resolve_phone_masked(obj: User) -> str:
        return mask_phone(obj.phone)

    @staticmethod
    def resolve_org_unit(obj: User) -> str | None:
        return obj.org_unit.code if obj.org_unit else None

    @staticmethod
    def resolve_roles(obj: User) -> list[str]:
        return [spec.role.value for spec in obj.role_specs()]


class StaffFilter(PageQuery):
    q: str = ""
    unit: str = ""
    role: str = ""


@router.get("/units", response=list[UnitOut], summary="可见机构", auth=requires("org.view_orgunit"))
def list_units(request: HttpRequest) -> Any:
    return queries.units_for(request.user)


@router.get(
    "/units/{unit_id}", response=UnitOut, summary="机构详情", auth=requires("org.view_orgunit")
)
def get_unit(request: HttpRequest, unit_id: int) -> OrgUnit:
    return queries.unit_for(request.user, unit_id)


@router.get("/staff", response=Paged[StaffOut], summary="可见员工", auth=requires("org.view_user"))
def list_staff(request: HttpRequest, filters: Query[StaffFilter]) -> dict[str, Any]:
    found = queries.staff_for(request.user, q=filters.q, unit=filters.unit, role=filters.role)
    return paged(found, filters)


@router.get(
    "/staff/{staff_id}", response=StaffOut, summary="员工详情", auth=requires("org.view_user")
)
def get_staff(request: HttpRequest, staff_id: int) -> User:
    return queries.staff_member_for(request.user, staff_id)
