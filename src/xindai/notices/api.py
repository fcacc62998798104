"""Notices over REST (``/api/v1/notices``): the list with its filters, a notice, its DOCX, a
delivery (送达), the signed receipt (回执, multipart upload) and issuing 催收通知书 on a loan.

A rule that refuses (a receipt before any delivery, a second receipt, a loan not overdue, a
second collection notice to the same person on one day) answers 409 ``notice_refused``; bad
input 422."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.loans.services import visible_loans
from xindai.notices import queries, services
from xindai.notices.models import Delivery, Notice

router = Router(tags=["通知书与送达"])


class NoticeFilter(PageQuery):
    q: str = Field("", description="贷款账号、客户或收件人名称")
    kind: str = Field(
        "", description="maturity 到期 / reminder 还款提示 / overdue 逾期 / collection 催收"
    )
    status: str = Field("", description="issued 待送达 / delivered 已送达 / receipted 已签收")
    unit: int | None = Field(None, description="机构 id（含下级）")
    due_from: str = Field("", description="应还日期自（YYYY-MM-DD）")
    due_to: str = Field("", description="应还日期至（YYYY-MM-DD）")


class DeliveryOut(Schema):
    id: int
    method: str
    delivered_on: str
    received_by: str
    reference: str
    note: str
    delivered_by: str


class ReceiptOut(Schema):
    signed_on: str
    signed_by: str
    sha256: str
    interrupts: bool


class NoticeOut(Schema):
    id: int
    number: str
    kind: str
    kind_label: str
    loan_id: int
    loan_number: str
    recipient_id: int
    recipient: str
    recipient_role: str
    phone: str = Field(description="收件人电话（脱敏）")
    issued_on: str
    due_date: str | None
    days_past_due: int
    principal: str
    interest: str
    penalty: str
    total: str
    outstanding: str
    status: str
    sha256: str
    deliveries: list[DeliveryOut] = []
    receipt: ReceiptOut | None = None


class DeliveryIn(Schema):
    method: str = Field(
        description="in_person 面送签收 / mail 邮寄 / sms 短信 / notary 公证送达 / public 公告"
    )
    received_by: str = ""
    reference: str = ""
    note: str = ""


class IssueIn(Schema):
    recipients: list[int] | None = Field(
        None, description="收件人客户 id；不填为借款人和全部保证人"
    )
    reason: str = ""


def delivery_of(d: Delivery) -> dict[str, Any]:
    return {
        "id": d.pk,
        "method": d.method,
        "delivered_on": d.delivered_on.isoformat(),
        "received_by": d.received_by,
        "reference": d.reference,
        "note": d.note,
        "delivered_by": str(d.delivered_by),
    }


def notice_of(n: Notice, full: bool = False) -> dict[str, Any]:
    from xindai.core.masking import mask_phone

    found: dict[str, Any] = {
        "id": n.pk,
        "number": n.number,
        "kind": n.kind,
        "kind_label": n.get_kind_display(),
        "loan_id": n.loan_id,
        "loan_number": n.loan.number,
        "recipient_id": n.recipient_id,
        "recipient": n.recipient.name,
        "recipient_role": n.recipient_role,
        "phone": mask_phone(n.recipient.phone),
        "issued_on": n.issued_on.isoformat(),
        "due_date": n.due_date.isoformat() if n.due_date else None,
        "days_past_due": n.days_past_due,
        "principal": f"{n.principal:.2f}",
        "interest": f"{n.interest:.2f}",
        "penalty": f"{n.penalty:.2f}",
        "total": f"{n.total:.2f}",
        "outstanding": f"{n.outstanding:.2f}",
        "status": n.status,
        "sha256": n.sha256,
    }
    if full:
        found["deliveries"] = [delivery_of(d) for d in n.deliveries.select_related("delivered_by")]
        receipt = getattr(n, "receipt", None)
        found["receipt"] = (
            None
            if receipt is None
            else {
                "signed_on": receipt.signed_on.isoformat(),
                "signed_by": receipt.signed_by,
                "sha256": receipt.sha256,
                "interrupts": receipt.interrupts,
            }
        )
    return found


def _notice(request: HttpRequest, notice_id: int) -> Notice:
    return get_object_or_404(services.visible_notices(request.user), pk=notice_id)


@router.get("", response=Paged[NoticeOut], summary="通知书列表", auth=requires(services.VIEW))
def list_notices(request: HttpRequest, filters: Query[NoticeFilter]) -> dict[str, Any]:
    found = queries.filtered(services.visible_notices(request.user), filters.dict())
    page = paged(found, filters)
    return page | {"items": [notice_of(n) for n in page["items"]]}


@router.get(
    "/{notice_id}",
    response=NoticeOut,
    summary="通知书详情（含送达与回执）",
    auth=requires(services.VIEW),
)
def get_notice(request: HttpRequest, notice_id: int) -> dict[str, Any]:
    return notice_of(services.ensure_document(_notice(request, notice_id)), full=True)


@router.get("/{notice_id}/docx", summary="下载通知书（DOCX）", auth=requires(services.VIEW))
def download(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = _notice(request, notice_id)
    response = HttpResponse(
        services.document_bytes(notice),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="{notice.number}.docx"'
    return response


@router.post(
    "/{notice_id}/deliveries",
    response={201: NoticeOut},
    summary="登记送达",
    auth=requires(services.SEND),
)
def deliver(request: HttpRequest, notice_id: int, body: DeliveryIn) -> Status[dict[str, Any]]:
    notice = _notice(request, notice_id)
    services.deliver(
        request.user,
        notice,
        body.method,
        received_by=body.received_by,
        reference=body.reference,
        note=body.note,
    )
    return Status(201, notice_of(_notice(request, notice_id), full=True))


@router.post(
    "/{notice_id}/receipt",
    response={201: NoticeOut},
    summary="上传签收回执（逾期、催收通知书的回执中断诉讼时效）",
    auth=requires(services.SEND),
)
def receipt(
    request: HttpRequest,
    notice_id: int,
    file: File[UploadedFile],
    signed_on: Form[str],
    signed_by: Form[str] = "",
) -> Status[dict[str, Any]]:
    notice = _notice(request, notice_id)
    services.record_receipt(request.user, notice, file, signed_on, signed_by)
    return Status(201, notice_of(_notice(request, notice_id), full=True))


@router.post(
    "/loans/{loan_id}/collection",
    response={201: list[NoticeOut]},
    summary="发出催收通知书（借款人及保证人）",
    auth=requires(services.SEND),
)
def issue(request: HttpRequest, loan_id: int, body: IssueIn) -> Status[list[dict[str, Any]]]:
    loan = get_object_or_404(visible_loans(request.user), pk=loan_id)
    made = services.issue_collection(request.user, loan, body.recipients, body.reason)
    return Status(201, [notice_of(_notice(request, n.pk)) for n in made])
