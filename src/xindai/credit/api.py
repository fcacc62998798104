"""Credit applications over REST (申请受理 onwards): create and list them, the work queue, the
detail with what the caller may do next and why not yet, transitions, the admission check and
its escalation, the consent, the credit report, the co-investigator, collateral, the timeline.

Every application is looked up through :func:`queries.application_for`, so another branch's
application (or another manager's) is a 404. Views only translate: the services validate
(422 with per-field messages), enforce the stage machine (409 ``transition_refused`` with
every unmet condition by key), save and audit.
"""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Query, Router, UploadedFile
from ninja.responses import Status

from xindai.api import requires
from xindai.core.errors import NotFound
from xindai.core.schemas import Paged, paged
from xindai.credit import facts, presenters, queries, services, stages
from xindai.credit.api_schemas import (
    AdmissionOut,
    ApplicationDetail,
    ApplicationFilter,
    ApplicationIn,
    ApplicationRow,
    CoInvestigatorIn,
    CollateralIn,
    CollateralOut,
    ConsentOut,
    CreditReportIn,
    CreditReportOut,
    QueueItem,
    ReasonIn,
    TimelineOut,
    TransitionOut,
    application_data,
    collateral_of,
    consent_of,
    detail_of,
    queue_item_of,
    report_of,
    row_of,
    transition_of,
)
from xindai.credit.models import CreditApplication
from xindai.customers.queries import customer_for
from xindai.customers.services import as_of_today

router = Router(tags=["credit"])

VIEW = "credit.view_creditapplication"
ADD = "credit.add_creditapplication"
CHANGE = "credit.change_creditapplication"
VIEW_CHECKS = "credit.view_admissioncheck"


class UnknownTransition(NotFound):
    code = "unknown_transition"


class NoAdmissionCheck(NotFound):
    code = "no_admission_check"


def known(name: str) -> str:
    """A transition's name, or 404 ``unknown_transition`` listing the names there are."""
    if name not in stages.BY_NAME:
        names = ", ".join(stages.BY_NAME)
        message = _("没有此操作：%(name)s（可用的操作：%(names)s）")
        raise UnknownTransition(message % {"name": name, "names": names})
    return name


def detail(request: HttpRequest, application: CreditApplication) -> dict[str, Any]:
    """The application as the caller sees it, read again (with what the last step changed)."""
    fresh = queries.application_for(request.user, application.pk)
    return detail_of(request.user, fresh, as_of_today())


# ---- applications --------------------------------------------------------------------------


@router.post(
    "",
    response={201: ApplicationDetail},
    summary="新建信贷申请（默认立即提交，进入申请受理）",
    auth=requires(ADD),
)
def create_application(request: HttpRequest, body: ApplicationIn) -> Status[dict[str, Any]]:
    customer = customer_for(request.user, body.customer_id)
    data = application_data(body)
    created = services.create_application(request.user, customer, data, submit=body.submit)
    return Status(201, detail(request, created))


@router.get("", response=Paged[ApplicationRow], summary="信贷申请列表", auth=requires(VIEW))
def list_applications(request: HttpRequest, filters: Query[ApplicationFilter]) -> dict[str, Any]:
    today = as_of_today()
    criteria = filters.dict(include={"stage", "late", "q"})
    page = paged(queries.applications_for(request.user, today=today, **criteria), filters)
    return page | {"items": [row_of(application, today) for application in page["items"]]}


@router.get(
    "/queue", response=list[QueueItem], summary="我的待办（等待我办理的申请）", auth=requires(VIEW)
)
def work_queue(request: HttpRequest) -> list[dict[str, Any]]:
    today = as_of_today()
    return [queue_item_of(app, actions, today) for app, actions in queries.queue(request.user)]


@router.get(
    "/{application_id}",
    response=ApplicationDetail,
    summary="信贷申请详情（含可办理的操作及未满足的条件）",
    auth=requires(VIEW),
)
def get_application(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return detail(request, queries.application_for(request.user, application_id))


@router.post(
    "/{application_id}/transitions/{name}",
    response=TransitionOut,
    summary="办理流程操作（条件不满足时 409，附全部未满足的条件）",
    auth=requires(VIEW),
)
def take_transition(
    request: HttpRequest, application_id: int, name: str, body: Body[ReasonIn | None] = None
) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    reason = body.reason if body else ""
    return transition_of(services.take(request.user, application, known(name), reason))


@router.get(
    "/{application_id}/timeline",
    response=TimelineOut,
    summary="流程记录与各阶段停留时间",
    auth=requires(VIEW),
)
def timeline(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return presenters.timeline_json(queries.application_for(request.user, application_id))


# ---- admission -----------------------------------------------------------------------------


@router.post(
    "/{application_id}/admission",
    response={201: AdmissionOut},
    summary="准入检查（按当前事实与政策版本重新检查）",
    auth=requires(CHANGE),
)
def check_admission(request: HttpRequest, application_id: int) -> Status[dict[str, Any]]:
    application = queries.application_for(request.user, application_id)
    check = services.check_admission(request.user, application)
    return Status(201, presenters.admission_json(check))


@router.get(
    "/{application_id}/admission",
    response=AdmissionOut,
    summary="最近一次准入检查（不重新检查）",
    auth=requires(VIEW_CHECKS),
)
def latest_admission(request: HttpRequest, application_id: int) -> dict[str, Any]:
    check = facts.latest_check(queries.application_for(request.user, application_id))
    if check is None:
        raise NoAdmissionCheck(_("该申请尚未进行准入检查"))
    return presenters.admission_json(check)


@router.post(
    "/{application_id}/admission/{check_id}/escalation",
    response=AdmissionOut,
    summary="支行行长审核同意审慎类申请（须说明理由）",
    auth=requires(CHANGE),
)
def escalate(
    request: HttpRequest, application_id: int, check_id: int, body: ReasonIn
) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    check = application.admission_checks.get(pk=check_id)
    return presenters.admission_json(services.escalate(request.user, check, body.dict()))


# ---- intake records ------------------------------------------------------------------------


@router.post(
    "/{application_id}/consent",
    response={201: ConsentOut},
    summary="登记征信查询授权（授权人、日期、用途、扫描件）",
    auth=requires(CHANGE),
)
def record_consent(
    request: HttpRequest,
    application_id: int,
    scan: File[UploadedFile],
    signed_by: Form[str] = "",
    signed_on: Form[str] = "",
    purpose: Form[str] = "",
) -> Status[dict[str, Any]]:
    application = queries.application_for(request.user, application_id)
    data = {"signed_by": signed_by, "signed_on": signed_on, "purpose": purpose}
    consent = services.record_consent(request.user, application, data, {"scan": scan})
    return Status(201, consent_of(consent))


@router.put(
    "/{application_id}/credit-report",
    response=CreditReportOut,
    summary="录入或修改征信报告摘要（须先登记授权）",
    auth=requires(CHANGE),
)
def record_credit_report(
    request: HttpRequest, application_id: int, body: CreditReportIn
) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    return report_of(services.record_credit_report(request.user, application, body.dict()))


@router.put(
    "/{application_id}/co-investigator",
    response=ApplicationDetail,
    summary="指定协办调查人（双人调查）",
    auth=requires(CHANGE),
)
def set_co_investigator(
    request: HttpRequest, application_id: int, body: CoInvestigatorIn
) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    data = {"co_investigator": body.co_investigator_id}
    return detail(request, services.set_co_investigator(request.user, application, data))


@router.post(
    "/{application_id}/collateral",
    response={201: CollateralOut},
    summary="登记押品",
    auth=requires(CHANGE),
)
def add_collateral(
    request: HttpRequest, application_id: int, body: CollateralIn
) -> Status[dict[str, Any]]:
    application = queries.application_for(request.user, application_id)
    return Status(
        201, collateral_of(services.add_collateral(request.user, application, body.dict()))
    )
