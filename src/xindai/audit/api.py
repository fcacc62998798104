import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from xindai.api import requires
from xindai.audit import queries, services
from xindai.audit.messages import describe
from xindai.core.errors import InvalidInput
from xindai.core.schemas import Paged, PageQuery, paged

router = Router(tags=["audit"])


class EventOut(Schema):
    seq: int
    occurred_at: dt.datetime
    actor_username: str
    roles: str
    org_unit_code: str
    ip: str
    action: str
    object_type: str
    object_id: str
    changes: dict[str, Any]
    reason: str
    hash: str


class EventFilter(PageQuery):
    q: str = ""
    actor: str = ""
    object_type: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None


class VerifyOut(Schema):
    ok: bool
    checked: int
    broken_at: int | None
    problem: str | None


@router.get(
    "/events", response=Paged[EventOut], summary="审计事件", auth=requires("audit.view_auditevent")
)
def list_events(request: HttpRequest, filters: Query[EventFilter]) -> dict[str, Any]:
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        raise InvalidInput(
            _("起始日期不能晚于截止日期"), details={"date_from": str(filters.date_from)}
        )
    criteria = filters.dict(exclude={"page", "page_size"})
    return paged(queries.events_for(request.user, **criteria), filters)


@router.get(
    "/verify", response=VerifyOut, summary="校验审计链", auth=requires("audit.verify_chain")
)
def verify_chain(request: HttpRequest) -> dict[str, Any]:
    checked, broken = services.verify()
    return {
        "ok": broken is None,
        "checked": checked,
        "broken_at": broken.event_id if broken else None,
        "problem": describe(broken) if broken else None,
    }
