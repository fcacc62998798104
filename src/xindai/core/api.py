import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from xindai.api import requires_permission
from xindai.core import business_date
from xindai.core.masking import mask_phone

router = Router(tags=["core"])


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    phone: str
    org_unit: str | None
    roles: list[str]
    permissions: list[str]


class BusinessDateOut(Schema):
    business_date: dt.date | None


@router.get("/me", response=MeOut, summary="当前用户")
@requires_permission("dashboard.view_workbench")
def me(request: HttpRequest) -> dict[str, object]:
    user = request.user
    return {
        "id": user.pk,
        "username": user.username,
        "full_name": user.full_name,  # type: ignore[union-attr]
        "phone": mask_phone(user.phone),  # type: ignore[union-attr]
        "org_unit": user.org_unit.code if user.org_unit else None,  # type: ignore[union-attr]
        "roles": [spec.role.value for spec in user.role_specs()],  # type: ignore[union-attr]
        "permissions": sorted(user.get_all_permissions()),
    }


@router.get("/business-date", response=BusinessDateOut, summary="会计日期")
@requires_permission("dashboard.view_workbench")
def get_business_date(request: HttpRequest) -> dict[str, object]:
    return {"business_date": business_date.current_or_none()}
