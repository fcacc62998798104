"""The vault's rules (pure: stdlib and ``xindai.core`` only).

Registration (抵质押登记) happens after approval, at 贷款拨付; its date cannot be after the
business date. A certificate (他项权证) or a pledged item (质物) is received into the vault
(入库) and stays on the off-balance-sheet list (表外登记) until it is released (出库): a
request with a reason, approved by someone else. Releasing while the secured debt is still
owed needs the requester's explicit acknowledgement and is flagged.

The reconciliation (对账) compares what the records say should be in the vault with what is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from xindai.core.problems import Problem
from xindai.core.problems import mark as _

# Stages in which the secured debt may still be owed (the case is "live").
LIVE_STAGES = frozenset({"disbursement", "postloan", "npl"})
CLOSED_LOAN = frozenset({"settled", "written_off"})
REGISTRATION_STAGES = frozenset({"disbursement"})
RECEIVING_STAGES = LIVE_STAGES


def debt_outstanding(stage: str, loan_status: str | None) -> bool:
    """The secured debt is (or may soon be) owed: a loan not settled or written off, or no
    loan yet on a live case."""
    if loan_status is not None:
        return loan_status not in CLOSED_LOAN
    return stage in LIVE_STAGES


def registration_problems(
    *, stage: str, registered_on: dt.date, as_of: dt.date, secured_amount: Decimal
) -> list[Problem]:
    found = []
    if stage not in REGISTRATION_STAGES:
        found.append(
            Problem("stage", _("只有处于“贷款拨付”阶段（已审批）的申请可以办理抵质押登记"))
        )
    if registered_on > as_of:
        params = {"date": as_of.isoformat()}
        found.append(Problem("registered_on", _("登记日期不能晚于会计日期 %(date)s"), params))
    if secured_amount <= 0:
        found.append(Problem("secured_amount", _("担保债权金额必须大于 0")))
    return found


def receiving_problems(*, stage: str, already_in: str | None, value: Decimal) -> list[Problem]:
    """``already_in``: the number of an item of the same kind of this registration in the
    vault now (None: none)."""
    found = []
    if stage not in RECEIVING_STAGES:
        found.append(Problem("stage", _("申请已办结或尚未审批，不能办理入库")))
    if already_in is not None:
        params = {"number": already_in}
        found.append(
            Problem("registration", _("该登记的权证已在库（入库编号 %(number)s）"), params)
        )
    if value <= 0:
        found.append(Problem("value", _("表外登记金额必须大于 0")))
    return found


def release_request_problems(
    *, status: str, pending: bool, reason: str, debt_owed: bool, acknowledged: bool
) -> list[Problem]:
    found = []
    if status != "in":
        found.append(Problem("status", _("物品已出库")))
    if pending:
        found.append(Problem("status", _("已有待审批的出库申请")))
    if not reason.strip():
        found.append(Problem("reason", _("请填写出库事由")))
    if debt_owed and not acknowledged:
        found.append(
            Problem(
                "acknowledge",
                _("所担保的贷款尚未结清：确需出库的，请勾选确认并写明理由，出库将被标记"),
            )
        )
    return found


def decision_problems(
    *, state: str, requester_id: int, decider_id: int, note: str = "", refusing: bool = False
) -> list[Problem]:
    found = []
    if state != "pending":
        found.append(Problem("state", _("该出库申请已处理")))
    if requester_id == decider_id:
        found.append(Problem("approver", _("出库须由申请人以外的人审批")))
    if refusing and not note.strip():
        found.append(Problem("note", _("请填写驳回理由")))
    return found


# ---- reconciliation (对账) ---------------------------------------------------------------------


class Kind:
    MISSING_CERTIFICATE = "missing_certificate"
    SHOULD_BE_RELEASED = "should_be_released"
    OFF_BALANCE_MISMATCH = "off_balance_mismatch"
    UNAPPROVED_RELEASE = "unapproved_release"


KIND_LABELS = {
    Kind.MISSING_CERTIFICATE: _("权证未入库"),
    Kind.SHOULD_BE_RELEASED: _("应出库未出库"),
    Kind.OFF_BALANCE_MISMATCH: _("表外余额不符"),
    Kind.UNAPPROVED_RELEASE: _("未经审批出库"),
}


@dataclass(frozen=True)
class RegistrationFact:
    pk: int
    certificate_no: str
    application: str  # its number
    needs_certificate: bool  # a live loan, or at 贷款拨付 with approved terms
    certificate_in: bool  # an in-vault item of this registration


@dataclass(frozen=True)
class ItemFact:
    pk: int
    number: str
    application: str
    status: str  # "in" / "out"
    value: Decimal
    case_live: bool  # the secured debt may still be owed
    approved_release: bool  # a done 出库 movement approved by someone other than the requester


@dataclass(frozen=True)
class Discrepancy:
    kind: str
    subject: str  # a registration's certificate number, an item's number, or "表外科目"
    application: str
    problem: Problem


def reconcile(
    registrations: Iterable[RegistrationFact], items: Iterable[ItemFact], ledger_total: Decimal
) -> list[Discrepancy]:
    """Every discrepancy between the registrations, the vault items, the movements' running
    off-balance total (``ledger_total``) and the cases' state."""
    found = [
        Discrepancy(
            Kind.MISSING_CERTIFICATE,
            r.certificate_no,
            r.application,
            Problem(
                "registration",
                _("已登记但他项权证未入库：%(number)s"),
                {"number": r.certificate_no},
            ),
        )
        for r in registrations
        if r.needs_certificate and not r.certificate_in
    ]
    items = list(items)
    for item in items:
        found += _item_discrepancies(item)
    in_total = sum((item.value for item in items if item.status == "in"), Decimal(0))
    if in_total != ledger_total:
        params = {"ledger": f"{ledger_total:,.2f}", "items": f"{in_total:,.2f}"}
        found.append(
            Discrepancy(
                Kind.OFF_BALANCE_MISMATCH,
                "表外科目",
                "",
                Problem(
                    "off_balance",
                    _("表外登记余额 %(ledger)s 元与在库物品价值合计 %(items)s 元不符"),
                    params,
                ),
            )
        )
    return found


def _item_discrepancies(item: ItemFact) -> list[Discrepancy]:
    found = []
    params = {"number": item.number}
    if item.status == "in" and not item.case_live:
        problem = Problem("item", _("%(number)s 所担保的业务已结清或终止，应办理出库"), params)
        found.append(Discrepancy(Kind.SHOULD_BE_RELEASED, item.number, item.application, problem))
    if item.status == "out" and not item.approved_release:
        problem = Problem("item", _("%(number)s 已出库，但没有经审批的出库记录"), params)
        found.append(Discrepancy(Kind.UNAPPROVED_RELEASE, item.number, item.application, problem))
    return found
