"""How a loan is paid out (支付方式): entrusted payment (受托支付) to the counterparties of the
purpose evidence, or self payment (自主支付) to the borrower, and payments split to dodge the
line (化整为零). Pure: stdlib and ``xindai.core`` only.

The lines are the defaults of ``shared/RULES.md`` ("Disbursement"), kept once, in
``products.domain.ENTRUSTED_THRESHOLD`` (a product's ``entrusted_threshold`` may only be
stricter):

* 个人贷款管理办法 (2024): a personal loan is paid by entrusted payment unless each single
  payment is at most ¥300,000 (consumption) or ¥500,000 (business), or the counterparty cannot
  take a non-cash payment (the reason is recorded);
* 农户贷款管理办法 (2012) treats farmer loans as personal loans. The catalogue's purpose
  ``farmer`` (农户贷款) is a loan for the household's production and business (a farmer's
  consumption loan is filed under ``consumption``), so it takes the business line, ¥500,000;
* 流动资金贷款管理办法 (2024): entrusted when a single payment to one counterparty exceeds
  ¥10,000,000, or the customer is new to the bank with average credit;
* 固定资产贷款管理办法 (2024): entrusted when a single payment exceeds ¥10,000,000;
* the 2024 rules: payments split to stay under the line are flagged. Here: two or more payments
  to one counterparty (same account or same name), in this disbursement or in the customer's
  disbursements of the last ``SPLIT_WINDOW_DAYS`` days, each within the line but together above
  it. The flag is recorded for 风险合规 and self payment is refused: the bank pays such a
  counterparty itself.

Worked example: a 400,000 元 consumption loan paid to one shop as 200,000 + 200,000 元 is a
split (400,000 > 300,000): self payment refused, entrusted payment of both lines allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.products.domain import ENTRUSTED_THRESHOLD, PurposeClass

SPLIT_WINDOW_DAYS = 30  # practice: earlier payments this many days back count for a split
USE_REPORT_DAYS = 30  # 个人贷款管理办法: self payment — the borrower reports the use of funds

SOURCES: dict[PurposeClass, str] = {
    PurposeClass.CONSUMPTION: _("个人贷款管理办法（2024）"),
    PurposeClass.PERSONAL_BUSINESS: _("个人贷款管理办法（2024）"),
    PurposeClass.FARMER: _("农户贷款管理办法（2012）"),
    PurposeClass.WORKING_CAPITAL: _("流动资金贷款管理办法（2024）"),
    PurposeClass.FIXED_ASSET: _("固定资产贷款管理办法（2024）"),
}
PERSONAL = frozenset(
    {PurposeClass.CONSUMPTION, PurposeClass.PERSONAL_BUSINESS, PurposeClass.FARMER}
)


class PaymentMode(StrEnum):
    ENTRUSTED = "entrusted"  # 受托支付
    SELF = "self"  # 自主支付


MODE_LABELS = {PaymentMode.ENTRUSTED: _("受托支付"), PaymentMode.SELF: _("自主支付")}


@dataclass(frozen=True)
class Line:
    """A payment: to whom (name, account, bank) and how much. For entrusted payment the bank
    pays it; for self payment it is the borrower's declared use (from the purpose evidence)."""

    counterparty: str
    amount: Decimal
    account: str = ""
    bank: str = ""


@dataclass(frozen=True)
class Earlier:
    """A payment of an earlier disbursement to the same customer."""

    value_date: dt.date
    line: Line


@dataclass(frozen=True)
class Plan:
    purpose: PurposeClass
    amount: Decimal  # the amount disbursed
    mode: PaymentMode
    lines: tuple[Line, ...] = ()
    product_threshold: Decimal | None = None
    cash_reason: str = ""  # the counterparty cannot take a non-cash payment (personal loans)
    new_customer_average_credit: bool = False  # working capital: new customer, average credit
    earlier: tuple[Earlier, ...] = ()
    as_of: dt.date = dt.date.min


@dataclass(frozen=True)
class Flag:
    """A split: payments to one counterparty each within ``line`` but together above it."""

    counterparty: str
    amounts: tuple[Decimal, ...]
    total: Decimal
    line: Decimal

    def problem(self) -> Problem:
        params = {
            "counterparty": self.counterparty,
            "count": str(len(self.amounts)),
            "total": f"{self.total:,.2f}",
            "line": f"{self.line:,.2f}",
        }
        return Problem(
            "split",
            _(
                "疑似化整为零：向 %(counterparty)s 支付 %(count)s 笔，每笔未超过 %(line)s 元，"
                "合计 %(total)s 元"
            ),
            params,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "kind": "split",
            "counterparty": self.counterparty,
            "amounts": [f"{a:.2f}" for a in self.amounts],
            "total": f"{self.total:.2f}",
            "line": f"{self.line:.2f}",
        }


@dataclass(frozen=True)
class Decision:
    """What the rules say: ``entrusted_required`` with the reasons why, the line used, and the
    split flags."""

    line: Decimal
    source: str
    reasons: tuple[Problem, ...] = ()
    flags: tuple[Flag, ...] = field(default=())

    @property
    def entrusted_required(self) -> bool:
        return bool(self.reasons)

    @property
    def mode(self) -> PaymentMode:
        return PaymentMode.ENTRUSTED if self.entrusted_required else PaymentMode.SELF


def line_of(purpose: PurposeClass, product_threshold: Decimal | None) -> Decimal:
    """The single-payment line: the regulatory one, or the product's if the bank set it lower."""
    regulatory = ENTRUSTED_THRESHOLD[purpose]
    if product_threshold is not None and 0 < product_threshold < regulatory:
        return product_threshold
    return regulatory


def single_payments(plan: Plan) -> tuple[Line, ...]:
    """The payments the rules judge: the lines, or the whole amount as one payment."""
    return plan.lines or (Line(counterparty="", amount=plan.amount),)


def decide(plan: Plan) -> Decision:
    line = line_of(plan.purpose, plan.product_threshold)
    flags = splits(plan, line)
    reasons = [flag.problem() for flag in flags]
    largest = max(p.amount for p in single_payments(plan))
    params = {"line": f"{line:,.2f}", "amount": f"{largest:,.2f}"}
    if largest > line and not (plan.purpose in PERSONAL and plan.cash_reason.strip()):
        template = _("单笔支付 %(amount)s 元超过 %(line)s 元，须受托支付")
        reasons.insert(0, Problem("payment_mode", template, params))
    if plan.purpose == PurposeClass.WORKING_CAPITAL and plan.new_customer_average_credit:
        reasons.append(Problem("payment_mode", _("新客户且信用状况一般，须受托支付")))
    return Decision(line=line, source=SOURCES[plan.purpose], reasons=tuple(reasons), flags=flags)


def _key_name(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _key_account(text: str) -> str:
    return re.sub(r"[\s-]+", "", text)


def splits(plan: Plan, line: Decimal) -> tuple[Flag, ...]:
    """Payments to one counterparty (same account, or same name) in this plan and in the
    customer's disbursements of the last ``SPLIT_WINDOW_DAYS`` days, each within ``line`` but
    together above it."""
    since = plan.as_of - dt.timedelta(days=SPLIT_WINDOW_DAYS)
    recent = [e.line for e in plan.earlier if since <= e.value_date <= plan.as_of]
    groups: dict[tuple[str, str], list[Line]] = {}
    for payment in (*plan.lines, *recent):
        for key in _keys(payment):
            groups.setdefault(key, []).append(payment)
    found: list[Flag] = []
    seen: set[tuple[int, ...]] = set()
    for members in groups.values():
        ids = tuple(sorted(id(m) for m in members))
        ours = any(m is mine for m in members for mine in plan.lines)
        if len(members) < 2 or ids in seen or not ours:
            continue
        seen.add(ids)
        total = sum((m.amount for m in members), Decimal(0))
        if total > line and all(m.amount <= line for m in members):
            amounts = tuple(m.amount for m in members)
            found.append(Flag(members[0].counterparty, amounts, total, line))
    return tuple(found)


def _keys(payment: Line) -> Iterable[tuple[str, str]]:
    if payment.account.strip():
        yield ("account", _key_account(payment.account))
    if payment.counterparty.strip():
        yield ("name", _key_name(payment.counterparty))


def problems(plan: Plan, decision: Decision | None = None) -> list[Problem]:
    """What is wrong with the plan for its chosen mode (empty: it may be paid out so)."""
    decision = decision or decide(plan)
    found = _line_problems(plan)
    total = sum((p.amount for p in plan.lines), Decimal(0))
    if plan.mode == PaymentMode.ENTRUSTED:
        if not plan.lines:
            found.append(Problem("payments", _("受托支付须填写收款方（交易对手）及金额")))
        elif total != plan.amount:
            params = {"total": f"{total:,.2f}", "amount": f"{plan.amount:,.2f}"}
            template = _("受托支付合计 %(total)s 元，须等于放款金额 %(amount)s 元")
            found.append(Problem("payments", template, params))
    else:
        found += decision.reasons  # each says why the bank must pay (受托支付)
        if total > plan.amount:
            params = {"total": f"{total:,.2f}", "amount": f"{plan.amount:,.2f}"}
            template = _("支付明细合计 %(total)s 元，超过放款金额 %(amount)s 元")
            found.append(Problem("payments", template, params))
    return found


def _line_problems(plan: Plan) -> list[Problem]:
    found = []
    for number, payment in enumerate(plan.lines, start=1):
        params = {"n": str(number)}
        if not payment.counterparty.strip():
            found.append(Problem("payments", _("第 %(n)s 笔支付未填写收款方"), params))
        if payment.amount <= 0:
            found.append(Problem("payments", _("第 %(n)s 笔支付金额须大于 0"), params))
        if plan.mode == PaymentMode.ENTRUSTED and not payment.account.strip():
            found.append(Problem("payments", _("第 %(n)s 笔受托支付未填写收款账号"), params))
    return found
