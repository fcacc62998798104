import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema
from pydantic import Field

from xindai.api import requires
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


@router.get("/me", response=MeOut, summary="当前用户", auth=requires("dashboard.view_workbench"))
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


@router.get(
    "/business-date",
    response=BusinessDateOut,
    summary="会计日期",
    auth=requires("dashboard.view_workbench"),
)
def get_business_date(request: HttpRequest) -> dict[str, object]:
    return {"business_date": business_date.current_or_none()}


class BusinessDateIn(Schema):
    business_date: dt.date
    reason: str = Field(..., min_length=2, max_length=200, description="调整原因（记入审计日志）")


@router.put(
    "/business-date",
    response=BusinessDateOut,
    summary="设置会计日期",
    auth=requires("core.change_businessdate"),
)
def put_business_date(request: HttpRequest, body: BusinessDateIn) -> dict[str, object]:
    business_date.set_date(body.business_date, actor=request.user, reason=body.reason.strip())
    return {"business_date": business_date.current()}
