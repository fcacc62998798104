"""Loan accounts and disbursement over REST (``/api/v1/loans``): the disbursement gate of an
application, 放款 (exactly once, with an ``Idempotency-Key``), the disbursement queue, the loan
accounts with their schedules, and the use-of-funds reports of self-paid loans.

放款 answers 201 with the new loan; the same request again (same key) answers 200 with the same
loan; another request after success 409 ``already_disbursed``; a gate not met 409
``disbursement_refused`` with every unmet condition by key; bad input 422.
"""

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Query, Router, Schema, UploadedFile
from ninja.responses import Status
from pydantic import Field

from xindai.api import requires
from xindai.core.masking import mask_account, mask_id_number
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.credit import approved
from xindai.credit import queries as credit_queries
from xindai.customers.services import as_of_today
from xindai.loans import gate, services
from xindai.loans.models import LoanAccount, UseOfFundsReport

router = Router(tags=["loans"])

VIEW = services.VIEW
DISBURSE = services.DISBURSE


class PaymentIn(Schema):
    counterparty_name: str = Field(description="收款方（交易对手）名称")
    account: str = Field("", description="收款账号（受托支付必填）")
    bank: str = Field("", description="开户行")
    amount: str = Field(description="金额（元）", examples=["50000.00"])
    evidence: str = Field("", description="用途证明（合同、发票编号等）")


class DisbursementIn(Schema):
    amount: str = Field(description="放款金额（元），不超过批准金额", examples=["100000.00"])
    payment_mode: str = Field(description="支付方式：entrusted 受托支付 / self 自主支付")
    payments: list[PaymentIn] = Field([], description="支付明细（受托支付：合计须等于放款金额）")
    cash_reason: str = Field("", description="个人贷款：交易对象不具备非现金结算条件的说明")
    new_customer_average_credit: bool = Field(False, description="流动资金贷款：新客户且信用一般")
    idempotency_key: str = Field(
        "", description="请求幂等键（也可用 Idempotency-Key 请求头）：重试时用同一个"
    )


class GateItemOut(Schema):
    key: str
    label: str
    ok: bool
    problems: list[str]


class DecisionOut(Schema):
    mode: str = Field(description="按规定应采用的支付方式（对整笔金额一次支付而言）")
    mode_label: str
    entrusted_required: bool
    line: str = Field(description="单笔支付起点（元）")
    source: str
    reasons: list[str]
    flags: list[dict[str, Any]]


class TermsOut(Schema):
    version: int
    amount: str
    term_months: int
    annual_rate: str
    repayment_method: str
    valid_until: str


class GateOut(Schema):
    application_id: int
    application_number: str
    ok: bool
    items: list[GateItemOut]
    terms: TermsOut | None
    loan_contract: str | None = Field(description="已复核的借款合同编号")
    payment: DecisionOut
    loan_id: int | None = Field(description="已放款时：贷款账户 id")


class PaymentOut(Schema):
    counterparty_name: str
    account: str = Field(description="收款账号（脱敏）")
    bank: str
    amount: str
    evidence: str


class DisbursementOut(Schema):
    id: int
    application_id: int
    loan_id: int
    loan_number: str
    amount: str
    value_date: str
    payment_mode: str
    cash_reason: str
    flags: list[dict[str, Any]]
    payments: list[PaymentOut]
    disbursed_by: str


class LoanFilter(PageQuery):
    q: str = Field("", description="贷款账号、原系统借据号或客户名称（包含）")
    status: str = Field("", description="状态：normal / overdue / settled / written_off")
    product: str = Field("", description="贷款产品代码")
    source: str = Field("", description="来源：disbursed 本系统放款 / imported 存量迁移")


class LoanRow(Schema):
    id: int
    number: str
    legacy_number: str | None
    customer: str
    customer_id_number: str = Field(description="证件号码（脱敏）")
    product: str
    source: str
    principal: str
    outstanding_principal: str
    annual_rate: str
    term_months: int
    repayment_method: str
    start_date: str
    maturity_date: str
    status: str
    manager: str


class ScheduleRowOut(Schema):
    period: int
    due_date: str
    principal: str
    interest: str
    payment: str
    balance: str


class UseReportOut(Schema):
    id: int
    due_on: str
    reported_on: str | None
    amount_used: str
    description: str
    has_evidence: bool


class LoanDetail(LoanRow):
    application_id: int | None
    contract: str | None
    disbursement: DisbursementOut | None
    use_reports: list[UseReportOut]


class QueueItemOut(Schema):
    application_id: int
    number: str
    customer: str
    amount: str
    ok: bool
    unmet: int = Field(description="未满足的放款条件数")


# ---- presenters --------------------------------------------------------------------------------


def disbursement_of(made: Any) -> dict[str, Any]:
    return {
        "id": made.pk,
        "application_id": made.application_id,
        "loan_id": made.loan_id,
        "loan_number": made.loan.number,
        "amount": str(made.amount),
        "value_date": made.value_date.isoformat(),
        "payment_mode": made.payment_mode,
        "cash_reason": made.cash_reason,
        "flags": made.flags,
        "payments": [
            {
                "counterparty_name": p.counterparty_name,
                "account": mask_account(p.account),
                "bank": p.bank,
                "amount": str(p.amount),
                "evidence": p.evidence,
            }
            for p in made.payments.all()
        ],
        "disbursed_by": made.disbursed_by.get_full_name() or made.disbursed_by.username,
    }


def row_of(loan: LoanAccount) -> dict[str, Any]:
    return {
        "id": loan.pk,
        "number": loan.number,
        "legacy_number": loan.legacy_number,
        "customer": loan.customer.name,
        "customer_id_number": mask_id_number(loan.customer.id_number),
        "product": loan.product.code,
        "source": loan.source,
        "principal": str(loan.principal),
        "outstanding_principal": str(loan.outstanding_principal),
        "annual_rate": str(loan.annual_rate),
        "term_months": loan.term_months,
        "repayment_method": loan.repayment_method,
        "start_date": loan.start_date.isoformat(),
        "maturity_date": loan.maturity_date.isoformat(),
        "status": loan.status,
        "manager": loan.manager.username,
    }


def report_of(report: UseOfFundsReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "due_on": report.due_on.isoformat(),
        "reported_on": report.reported_on.isoformat() if report.reported_on else None,
        "amount_used": str(report.amount_used),
        "description": report.description,
        "has_evidence": bool(report.evidence),
    }


def loan_for(user: Any, loan_id: int) -> LoanAccount:
    return get_object_or_404(services.visible_loans(user), pk=loan_id)


# ---- 放款 ---------------------------------------------------------------------------------------


@router.get(
    "/applications/{application_id}/gate",
    response=GateOut,
    summary="放款前提条件检查（逐项列出未满足的条件）及按规定的支付方式",
    auth=requires(VIEW),
)
def get_gate(request: HttpRequest, application_id: int) -> dict[str, Any]:
    application = credit_queries.application_for(request.user, application_id)
    today = as_of_today()
    checked = gate.check(application, request.user, today)
    terms = checked.terms
    made = getattr(application, "disbursement", None)
    return {
        "application_id": application.pk,
        "application_number": application.number,
        "ok": checked.ok,
        "items": services.gate_rows(checked),
        "terms": None
        if terms is None
        else {
            "version": terms.version,
            "amount": str(terms.amount),
            "term_months": terms.term_months,
            "annual_rate": str(terms.annual_rate),
            "repayment_method": terms.repayment_method,
            "valid_until": terms.valid_until.isoformat(),
        },
        "loan_contract": checked.loan_contract.number if checked.loan_contract else None,
        "payment": services.decision_of(services.suggested_plan(application, terms, today)),
        "loan_id": made.loan_id if made is not None else None,
    }


@router.post(
    "/applications/{application_id}/disbursement",
    response={200: DisbursementOut, 201: DisbursementOut},
    summary="放款（恰好一次：同一幂等键重试返回同一笔；已放款再请求 409）",
    auth=requires(DISBURSE),
)
def disburse(
    request: HttpRequest, application_id: int, body: DisbursementIn
) -> Status[dict[str, Any]]:
    application = credit_queries.application_for(request.user, application_id)
    key = request.headers.get("Idempotency-Key") or body.idempotency_key
    data = body.dict(exclude={"idempotency_key"})
    made, created = services.disburse(request.user, application, data, key)
    return Status(201 if created else 200, disbursement_of(made))


@router.get(
    "/queue",
    response=list[QueueItemOut],
    summary="放款队列：处于贷款拨付阶段的申请及其放款条件",
    auth=requires(VIEW),
)
def disbursement_queue(request: HttpRequest) -> list[dict[str, Any]]:
    found = []
    for application, checked in services.queue(request.user, as_of_today()):
        terms = approved.current_terms(application)
        amount = terms.amount if terms is not None else application.amount
        found.append(
            {
                "application_id": application.pk,
                "number": application.number,
                "customer": application.customer.name,
                "amount": str(amount),
                "ok": checked.ok,
                "unmet": len(checked.problems),
            }
        )
    return found


# ---- 贷款账户 ---------------------------------------------------------------------------------


@router.get("", response=Paged[LoanRow], summary="贷款账户列表", auth=requires(VIEW))
def list_loans(request: HttpRequest, filters: Query[LoanFilter]) -> dict[str, Any]:
    criteria = filters.dict(include={"q", "status", "product", "source"})
    page = paged(services.loans_for(request.user, criteria), filters)
    return page | {"items": [row_of(loan) for loan in page["items"]]}


@router.get("/{loan_id}", response=LoanDetail, summary="贷款账户详情", auth=requires(VIEW))
def get_loan(request: HttpRequest, loan_id: int) -> dict[str, Any]:
    loan = loan_for(request.user, loan_id)
    made = getattr(loan, "disbursement", None)
    return row_of(loan) | {
        "application_id": loan.application_id,
        "contract": loan.contract.number if loan.contract is not None else None,
        "disbursement": disbursement_of(made) if made is not None else None,
        "use_reports": [report_of(r) for r in loan.use_reports.all()],
    }


@router.get(
    "/{loan_id}/schedule",
    response=list[ScheduleRowOut],
    summary="还款计划",
    auth=requires(VIEW),
)
def get_schedule(request: HttpRequest, loan_id: int) -> list[dict[str, Any]]:
    loan = loan_for(request.user, loan_id)
    return [
        {
            "period": row.period,
            "due_date": row.due_date.isoformat(),
            "principal": str(row.principal),
            "interest": str(row.interest),
            "payment": str(row.payment),
            "balance": str(row.balance),
        }
        for row in loan.schedule.all()
    ]


@router.post(
    "/{loan_id}/use-of-funds",
    response={201: UseReportOut},
    summary="登记自主支付贷款的资金使用报告",
    auth=requires(VIEW),
)
def file_use_report(
    request: HttpRequest,
    loan_id: int,
    amount_used: Form[str],
    description: Form[str],
    evidence: File[UploadedFile | None] = None,
) -> Status[dict[str, Any]]:
    loan = loan_for(request.user, loan_id)
    data = {"amount_used": amount_used, "description": description}
    files = {"evidence": evidence} if evidence is not None else {}
    return Status(201, report_of(services.file_use_report(request.user, loan, data, files)))
