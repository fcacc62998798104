"""The rules a loan product must keep (pure: stdlib and the schedule engine's enums only).

The limits are the defaults of ``shared/RULES.md`` with their sources:

* terms — 个人贷款管理办法 (2024): consumption ≤ 5 years, personal business ≤ 5 years (10 with a
  long cash-flow cycle); 流动资金贷款管理办法 (2024): working capital ≤ 3 years (5 with a long
  cycle); 固定资产贷款管理办法 (2024): fixed asset ≤ 10 years; 农户贷款管理办法 (2012): a farmer
  loan longer than one year must not be 利随本清 (no term cap of its own);
* penalty markups — 银发〔2003〕251号: overdue contract rate × (1 + 30%–50%),
  misuse × (1 + 50%–100%);
* entrusted payment (受托支付) above a single payment of ¥300,000 (consumption), ¥500,000
  (personal business, farmer), ¥10,000,000 (working capital, fixed asset);
* post-loan — first inspection within 15 days of disbursement (30 at most); loans up to six
  months are inspected monthly.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.loans.schedule import Method


class PurposeClass(StrEnum):
    CONSUMPTION = "consumption"  # 个人消费
    PERSONAL_BUSINESS = "personal_business"  # 个人经营
    WORKING_CAPITAL = "working_capital"  # 流动资金
    FIXED_ASSET = "fixed_asset"  # 固定资产
    FARMER = "farmer"  # 农户


class Pricing(StrEnum):
    FIXED = "fixed"
    LPR_1Y = "lpr_1y"
    LPR_5Y = "lpr_5y"


class Cycle(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


SETTLEMENT_DAY = 20  # 结息日: the 20th (of each month, or of a quarter's last month)

# (usual maximum, maximum with a long cash-flow cycle) in months; None: no cap of its own.
MAX_TERM_MONTHS: dict[PurposeClass, tuple[int | None, int | None]] = {
    PurposeClass.CONSUMPTION: (60, 60),
    PurposeClass.PERSONAL_BUSINESS: (60, 120),
    PurposeClass.WORKING_CAPITAL: (36, 60),
    PurposeClass.FIXED_ASSET: (120, 120),
    PurposeClass.FARMER: (None, None),
}

# A single payment above this goes to the counterparty (受托支付), not to the borrower.
ENTRUSTED_THRESHOLD: dict[PurposeClass, Decimal] = {
    PurposeClass.CONSUMPTION: Decimal(300_000),
    PurposeClass.PERSONAL_BUSINESS: Decimal(500_000),
    PurposeClass.FARMER: Decimal(500_000),
    PurposeClass.WORKING_CAPITAL: Decimal(10_000_000),
    PurposeClass.FIXED_ASSET: Decimal(10_000_000),
}

# Which customer kinds (customers.CustomerKind values) may borrow for each purpose.
BORROWER_KINDS: dict[PurposeClass, frozenset[str]] = {
    PurposeClass.CONSUMPTION: frozenset({"farmer", "business"}),
    PurposeClass.PERSONAL_BUSINESS: frozenset({"farmer", "business"}),
    PurposeClass.FARMER: frozenset({"farmer"}),
    PurposeClass.WORKING_CAPITAL: frozenset({"enterprise"}),
    PurposeClass.FIXED_ASSET: frozenset({"enterprise"}),
}

PENALTY_MARKUP = (Decimal("0.3"), Decimal("0.5"))
PENALTY_MARKUP_DEFAULT = Decimal("0.5")
MISUSE_MARKUP = (Decimal("0.5"), Decimal("1.0"))
MISUSE_MARKUP_DEFAULT = Decimal("1.0")
FIRST_INSPECTION_DAYS = (1, 30)
FIRST_INSPECTION_DAYS_DEFAULT = 15
MONTHLY_INSPECTION_UP_TO_MONTHS = 6
FARMER_BULLET_UP_TO_MONTHS = 12


def max_term_months(purpose: PurposeClass, *, long_cycle: bool) -> int | None:
    usual, long = MAX_TERM_MONTHS[purpose]
    return long if long_cycle else usual


def lpr_priced(base: Decimal, spread_bp: int) -> Decimal:
    """LPR plus a spread in basis points: 3.00% + 45bp = 3.45% (0.0300 + 0.0045 = 0.0345)."""
    return base + Decimal(spread_bp) / Decimal(10_000)


def clamped(rate: Decimal, floor: Decimal | None, ceiling: Decimal | None) -> Decimal:
    """The rate kept within the product's floor and ceiling (either may be absent)."""
    if floor is not None and rate < floor:
        return floor
    if ceiling is not None and rate > ceiling:
        return ceiling
    return rate


PURPOSE_LABEL = {
    PurposeClass.CONSUMPTION: _("个人消费贷款"),
    PurposeClass.PERSONAL_BUSINESS: _("个人经营贷款"),
    PurposeClass.WORKING_CAPITAL: _("流动资金贷款"),
    PurposeClass.FIXED_ASSET: _("固定资产贷款"),
    PurposeClass.FARMER: _("农户贷款"),
}


@dataclass(frozen=True)
class ProductRules:
    """What ``problems_of`` needs to know about a product, in plain values."""

    purpose: PurposeClass
    long_cycle: bool
    customer_kinds: frozenset[str]
    min_amount: Decimal
    max_amount: Decimal
    min_term: int
    max_term: int
    pricing: Pricing
    fixed_rate: Decimal | None
    spread_bp: int | None
    floor_rate: Decimal | None
    ceiling_rate: Decimal | None
    methods: frozenset[str]
    guarantees: frozenset[str]
    penalty_markup: Decimal
    misuse_markup: Decimal
    entrusted_threshold: Decimal
    first_inspection_days: int
    inspection_cycle: Cycle


def problems_of(rules: ProductRules) -> list[Problem]:
    """Why a product breaks the rules (empty: it keeps them)."""
    checks = (
        _amounts,
        _terms,
        _pricing,
        _methods,
        _kinds,
        _guarantees,
        _markups,
        _payment,
        _inspection,
    )
    return [problem for check in checks for problem in check(rules)]


Found = list[Problem]


def _amounts(r: ProductRules) -> Found:
    if r.min_amount <= 0:
        return [Problem("min_amount", _("最低金额必须大于 0"))]
    if r.max_amount < r.min_amount:
        return [Problem("max_amount", _("最高金额不能低于最低金额"))]
    return []


def _terms(r: ProductRules) -> Found:
    found: Found = []
    if r.min_term < 1:
        found.append(Problem("min_term", _("最短期限至少 1 个月")))
    if r.max_term < r.min_term:
        found.append(Problem("max_term", _("最长期限不能短于最短期限")))
    cap = max_term_months(r.purpose, long_cycle=r.long_cycle)
    if cap is not None and r.max_term > cap:
        found.append(_term_cap(r.purpose, cap, r.long_cycle))
    return found


def _term_cap(purpose: PurposeClass, cap: int, long_cycle: bool) -> Problem:
    params = {"purpose": PURPOSE_LABEL[purpose], "cap": str(cap)}
    long = MAX_TERM_MONTHS[purpose][1]
    if long_cycle or long is None or long <= cap:
        return Problem("max_term", _("%(purpose)s期限最长 %(cap)s 个月"), params)
    template = _(
        "%(purpose)s期限最长 %(cap)s 个月（现金流回笼周期长的勾选“长周期”后最长 %(long)s 个月）"
    )
    return Problem("max_term", template, params | {"long": str(long)})


def _pricing(r: ProductRules) -> Found:
    found: Found = []
    if r.pricing == Pricing.FIXED and (r.fixed_rate is None or r.fixed_rate <= 0):
        found.append(Problem("fixed_rate", _("固定利率定价须填写大于 0 的年利率")))
    if r.pricing != Pricing.FIXED and r.spread_bp is None:
        found.append(Problem("spread_bp", _("LPR 定价须填写加点（基点，可为负数）")))
    if r.floor_rate is not None and r.ceiling_rate is not None and r.floor_rate > r.ceiling_rate:
        found.append(Problem("ceiling_rate", _("利率上限不能低于利率下限")))
    return found


def _guarantees(r: ProductRules) -> Found:
    if not r.guarantees:
        return [Problem("guarantee_methods", _("请至少选择一种担保方式"))]
    return []


def _methods(r: ProductRules) -> Found:
    if not r.methods:
        return [Problem("repayment_methods", _("请至少选择一种还款方式"))]
    farmer_bullet = r.purpose == PurposeClass.FARMER and Method.BULLET.value in r.methods
    if farmer_bullet and r.max_term > FARMER_BULLET_UP_TO_MONTHS:
        return [Problem("repayment_methods", _("农户贷款期限超过 1 年的不得采用利随本清"))]
    return []


def _kinds(r: ProductRules) -> Found:
    if not r.customer_kinds:
        return [Problem("customer_kinds", _("请至少选择一种客户类型"))]
    if not r.customer_kinds <= BORROWER_KINDS[r.purpose]:
        params = {"purpose": PURPOSE_LABEL[r.purpose]}
        return [Problem("customer_kinds", _("%(purpose)s不适用于所选客户类型"), params)]
    return []


def _markups(r: ProductRules) -> Found:
    found: Found = []
    low, high = PENALTY_MARKUP
    if not low <= r.penalty_markup <= high:
        found.append(Problem("penalty_markup", _("逾期罚息上浮比例须在 0.3 至 0.5 之间")))
    low, high = MISUSE_MARKUP
    if not low <= r.misuse_markup <= high:
        found.append(Problem("misuse_markup", _("挪用罚息上浮比例须在 0.5 至 1.0 之间")))
    return found


def _payment(r: ProductRules) -> Found:
    limit = ENTRUSTED_THRESHOLD[r.purpose]
    if 0 < r.entrusted_threshold <= limit:
        return []
    template = _("%(purpose)s单笔支付超过 %(limit)s 元须受托支付：起点须大于 0 且不高于此数")
    params = {"purpose": PURPOSE_LABEL[r.purpose], "limit": f"{limit:,.0f}"}
    return [Problem("entrusted_threshold", template, params)]


def _inspection(r: ProductRules) -> Found:
    found: Found = []
    low, high = FIRST_INSPECTION_DAYS
    if not low <= r.first_inspection_days <= high:
        found.append(Problem("first_inspection_days", _("首次跟踪检查须在放款后 1 至 30 天内")))
    short = r.max_term <= MONTHLY_INSPECTION_UP_TO_MONTHS
    if short and r.inspection_cycle != Cycle.MONTHLY:
        found.append(Problem("inspection_cycle", _("期限 6 个月以内的贷款须按月检查")))
    return found
