"""Credit applications over REST (申请受理 onwards): create and list them, the work queue, the
detail with what the caller may do next and why not yet, transitions, the admission check and
its escalation, the consent, the credit report, the co-investigator, collateral, the timeline,
and the investigation record (实地调查) with its files and confirmations.

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
from xindai.credit import facts, investigation, presenters, queries, services, stages
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
    InvestigationFileOut,
    InvestigationIn,
    InvestigationOut,
    QueueItem,
    ReasonIn,
    TimelineOut,
    TransitionOut,
    application_data,
    collateral_of,
    consent_of,
    detail_of,
    file_of,
    investigation_of,
    queue_item_of,
    record_data,
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


# ---- 实地调查 (issue 6) -------------------------------------------------------------------------


@router.get(
    "/{application_id}/investigation",
    response=InvestigationOut,
    summary="实地调查记录（走访、调查核实事项、附件、确认及提交调查尚缺的条件）",
    auth=requires(VIEW),
)
def get_investigation(request: HttpRequest, application_id: int) -> dict[str, Any]:
    return investigation_of(request.user, queries.application_for(request.user, application_id))


@router.put(
    "/{application_id}/investigation",
    response=InvestigationOut,
    summary="保存实地调查记录（整份记录；仅本案两位调查人，实地调查阶段）",
    auth=requires(VIEW),
)
def save_investigation(
    request: HttpRequest, application_id: int, body: InvestigationIn
) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    investigation.save_record(request.user, application, record_data(body))
    return investigation_of(request.user, application)


@router.post(
    "/{application_id}/investigation/files",
    response={201: InvestigationFileOut},
    summary="上传现场照片（JPG/PNG）或用途证明（JPG/PNG/PDF）",
    auth=requires(VIEW),
)
def add_investigation_file(
    request: HttpRequest,
    application_id: int,
    file: File[UploadedFile],
    kind: Form[str] = "photo",
    caption: Form[str] = "",
) -> Status[dict[str, Any]]:
    application = queries.application_for(request.user, application_id)
    data = {"kind": kind, "caption": caption}
    return Status(
        201, file_of(investigation.add_file(request.user, application, data, {"file": file}))
    )


@router.post(
    "/{application_id}/investigation/confirm",
    response=InvestigationOut,
    summary="调查人确认调查结果（两位调查人各确认一次）",
    auth=requires(VIEW),
)
def confirm_investigation(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    investigation.confirm(request.user, application)
    return investigation_of(request.user, application)


# ==== 授信额度测算 and 调查报告 (issue 6: credit limit, investigation report) ===================
# Only the case's investigators compute, save and finalise, during 实地调查 (the services say
# so with a 409); anyone who may see the application reads the results and downloads.

from django.http import FileResponse  # noqa: E402

from xindai.core.errors import DomainError  # noqa: E402
from xindai.credit import limit as credit_limit  # noqa: E402
from xindai.credit import report as investigation_report  # noqa: E402
from xindai.credit.api_schemas import (  # noqa: E402
    CreditLimitIn,
    CreditLimitOut,
    ReportDetailOut,
    ReportOut,
    investigation_report_of,
    limit_of,
)


class NoLimitAssessment(NotFound):
    code = "no_limit_assessment"


class NoReport(NotFound):
    code = "no_report"


@router.post(
    "/{application_id}/credit-limit",
    response={201: CreditLimitOut},
    summary="授信额度测算：按资料预填的参数（可覆盖）计算各适用方法并保存，建议额度取最小值",
    auth=requires(VIEW),
)
def assess_credit_limit(
    request: HttpRequest, application_id: int, body: Body[CreditLimitIn | None] = None
) -> Status[dict[str, Any]]:
    application = queries.application_for(request.user, application_id)
    today = as_of_today()
    overrides = body.model_dump(exclude_unset=True) if body else {}
    data = credit_limit.form_data(credit_limit.starting_inputs(application, today) | overrides)
    return Status(201, limit_of(credit_limit.assess(request.user, application, data, today)))


@router.get(
    "/{application_id}/credit-limit",
    response=CreditLimitOut,
    summary="最近一次保存的授信额度测算（参数、每一步、建议额度、保证人担保能力）",
    auth=requires(VIEW),
)
def latest_credit_limit(request: HttpRequest, application_id: int) -> dict[str, Any]:
    found = credit_limit.latest(queries.application_for(request.user, application_id))
    if found is None:
        raise NoLimitAssessment(_("该申请尚未保存授信额度测算"))
    return limit_of(found)


@router.post(
    "/{application_id}/report/finalise",
    response={201: ReportOut},
    summary="调查报告定稿：生成 DOCX（有 LibreOffice 时另生成 PDF），冻结为新版本",
    auth=requires(VIEW),
)
def finalise_report(request: HttpRequest, application_id: int) -> Status[dict[str, Any]]:
    application = queries.application_for(request.user, application_id)
    made = investigation_report.finalise(request.user, application, as_of_today())
    return Status(201, investigation_report_of(made))


@router.get(
    "/{application_id}/report",
    response=ReportDetailOut,
    summary="调查报告：最新定稿版本及全部版本（含下载地址）",
    auth=requires(VIEW),
)
def get_report(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = queries.application_for(request.user, application_id)
    versions = [investigation_report_of(r) for r in investigation_report.reports_of(application)]
    if not versions:
        raise NoReport(_("该申请的调查报告尚未定稿"))
    return versions[0] | {"versions": versions}


@router.get(
    "/{application_id}/report/{version}/{fmt}",
    summary="下载定稿的调查报告（fmt：docx 或 pdf；记入审计日志）",
    auth=requires(VIEW),
)
def download_report(
    request: HttpRequest, application_id: int, version: int, fmt: str
) -> FileResponse:
    application = queries.application_for(request.user, application_id)
    found = application.reports.filter(version=version).first()
    if found is None:
        raise NoReport(_("没有该版本的调查报告"))
    try:
        stored = investigation_report.open_report(request.user, found, fmt)
    except DomainError as missing:
        raise NoReport(missing.message) from missing
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=investigation_report.download_name(found, fmt),
        content_type=investigation_report.FORMATS[fmt],
    )


# 审查、审贷小组、授权审批与批复条款 (issue 7): their own module, mounted here.
from xindai.credit.api_approval import router as approval_router  # noqa: E402

router.add_router("", approval_router)
