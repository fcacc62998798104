"""The three credit-limit methods on hand-worked examples, the suggestion and the guarantor."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

import numpy_financial as npf
import pytest

from tests.analysis.examples import year_2022, year_2023
from xindai.analysis import limits
from xindai.analysis.statements import BusinessStatement, HouseholdStatement
from xindai.analysis.thresholds import CollateralKind
from xindai.loans.schedule import LoanTerms, Method

D = Decimal
FEN = D("0.01")


def steps(result: limits.LimitResult) -> dict[str, Decimal]:
    return {step.key: step.value for step in result.steps}


# ---- (a) working capital -------------------------------------------------------------------

# 上年度销售收入 10,000,000 元, 销售利润率 10 %, 预计增长 20 %; 周转天数: 存货 60, 应收 45,
# 应付 30, 预付 20, 预收 5 → 60 + 45 − 30 + 20 − 5 = 90 天, 周转次数 360 ÷ 90 = 4.
# 营运资金量 = 10,000,000 × (1 − 0.10) × (1 + 0.20) ÷ 4 = 10,800,000 ÷ 4 = 2,700,000.
# 额度 = 2,700,000 − 自有资金 800,000 − 现有流动资金贷款 1,000,000 − 其他渠道 200,000 = 700,000.
WORKED = limits.WorkingCapitalInputs(
    sales=D(10_000_000),
    sales_margin=D("0.10"),
    growth=D("0.20"),
    inventory_days=D(60),
    receivable_days=D(45),
    payable_days=D(30),
    prepayment_days=D(20),
    advance_days=D(5),
    own_funds=D(800_000),
    existing_loans=D(1_000_000),
    other_financing=D(200_000),
)


def test_the_working_capital_formula_on_a_hand_worked_example() -> None:
    result = limits.working_capital(WORKED)
    assert steps(result) == {
        "cycle_days": D(90),
        "turnover": D(4),
        "base": D(10_800_000),
        "need": D(2_700_000),
        "gap": D(700_000),
    }
    assert (result.limit, result.reason) == (D("700000.00"), None)
    formulas = [step.formula.text() for step in result.steps]
    assert formulas[0] == "存货 60 + 应收账款 45 − 应付账款 30 + 预付账款 20 − 预收账款 5（天）"
    assert formulas[2] == (
        "上年度销售收入 10,000,000.00 ×（1 − 销售利润率 10%）×（1 + 增长率 20%）"
    )


def test_the_turnover_is_never_rounded_before_dividing() -> None:
    # 97 days: 360 ÷ 97 = 3.711… shown as 3.71, but 10,800,000 × 97 ÷ 360 = 2,910,000 exactly
    result = limits.working_capital(
        limits.WorkingCapitalInputs(**{**WORKED.__dict__, "inventory_days": D(67)})
    )
    assert steps(result)["turnover"] == D("3.71")
    assert steps(result)["need"] == D(2_910_000)
    assert result.limit == D("910000.00")  # 2,910,000 − 2,000,000


def test_no_new_working_capital_need_gives_zero_with_the_reason() -> None:
    rich = limits.WorkingCapitalInputs(**{**WORKED.__dict__, "own_funds": D(5_000_000)})
    result = limits.working_capital(rich)
    assert result.limit == D(0)
    assert result.reason is not None
    assert result.reason.text() == "营运资金需求已由自有资金和现有融资满足，无新增流动资金贷款需求"


def test_a_cycle_of_no_days_makes_the_method_not_applicable() -> None:
    result = limits.working_capital(
        limits.WorkingCapitalInputs(**{**WORKED.__dict__, "payable_days": D(120)})
    )  # 60 + 45 − 120 + 20 − 5 = 0
    assert result.limit is None
    assert result.reason is not None and "营运资金周转天数不大于 0" in result.reason.text()


def test_working_capital_from_the_statements_reads_days_sales_and_margin() -> None:
    # From tests/analysis/test_ratios.py: days 80 + 30 − 32 + 8 − 9 = 77; sales 1,200,000;
    # margin 160,000 ÷ 1,200,000. Base (1,200,000 − 160,000) × 1.1 = 1,144,000;
    # need 1,144,000 × 77 ÷ 360 = 244,688.888… → 244,688.89; less 50,000 and 100,000.
    result = limits.working_capital_from(
        year_2023(),
        year_2022(),
        growth=D("0.10"),
        own_funds=D(50_000),
        existing_loans=D(100_000),
        other_financing=D(0),
    )
    assert steps(result)["cycle_days"] == D(77)
    assert steps(result)["base"] == D("1144000.00")
    assert steps(result)["need"] == D("244688.89")
    assert result.limit == D("94688.89")


def test_working_capital_from_statements_missing_an_item_says_which() -> None:
    result = limits.working_capital_from(
        year_2023(balance={"prepayments": None}),
        year_2022(),
        growth=D(0),
        own_funds=D(0),
        existing_loans=D(0),
        other_financing=D(0),
    )
    assert result.limit is None
    assert result.reason is not None and result.reason.text() == "缺少“预付账款”，无法计算"


# ---- (b) cash flow -------------------------------------------------------------------------

TERMS = LoanTerms(
    principal=D(1),
    annual_rate=D("0.0435"),
    periods=36,
    method=Method.EQUAL_INSTALLMENT,
    start=dt.date(2026, 1, 15),
)

# A household: income 种植 80,000 + 养殖 30,000 + 务工 10,000 = 120,000 a year, production
# 30,000 → net 90,000 = 7,500 a month; living 24,000 + 6,000 + 3,000 + 3,000 = 36,000 = 3,000 a
# month; existing debt service 6,000 a year = 500 a month.
# 可支配 7,500 − 3,000 − 500 = 4,000; 还款收入比 50 %: 7,500 × 0.5 − 500 = 3,250; allowed 3,250.
HOUSEHOLD = HouseholdStatement(
    income_planting=D(80_000),
    income_breeding=D(30_000),
    income_wages=D(10_000),
    expense_production=D(30_000),
    expense_living=D(24_000),
    expense_education=D(6_000),
    expense_medical=D(3_000),
    expense_favours=D(3_000),
    yearly_debt_service=D(6_000),
)


def installments(principal: int, annual: str = "0.0435", n: int = 36) -> list[Decimal]:
    """An equal-installment schedule worked out independently of the engine: installment
    P·i·(1+i)^n / ((1+i)^n − 1) rounded half-up to the fen, interest on the balance rounded per
    month, the last month repaying the whole balance."""
    i = D(annual) / 12
    growth = (1 + i) ** n
    level = (principal * i * growth / (growth - 1)).quantize(FEN, ROUND_HALF_UP)
    balance, payments = D(principal), []
    for month in range(1, n + 1):
        interest = (balance * i).quantize(FEN, ROUND_HALF_UP)
        repaid = balance if month == n else level - interest
        payments.append(repaid + interest)
        balance -= repaid
    return payments


def test_the_household_limit_on_a_hand_worked_example() -> None:
    result = limits.household_cash_flow(HOUSEHOLD, max_debt_service_ratio=D("0.5"), terms=TERMS)
    assert {k: v for k, v in steps(result).items() if k != "principal"} == {
        "disposable": D(4000),
        "within_ratio": D(3250),
        "installment": D(3250),
    }
    # numpy-financial: the principal whose level payment is 3,250 over 36 months at 4.35 %
    present_value = npf.pv(0.0435 / 12, 36, -3250)  # 109,501.59…
    assert math.floor(present_value) == 109_501
    # The last installment absorbs the rounding of the 35 before it, so whole yuan down from
    # there the first principal whose every payment fits is 109,498:
    fitting = next(p for p in range(109_501, 109_400, -1) if max(installments(p)) <= D(3250))
    assert fitting == 109_498
    assert result.limit == D("109498.00")
    assert max(installments(109_499)) > D(3250)
    # and its level installment, by numpy-financial, is within the allowed 3,250
    level = D(repr(float(npf.pmt(0.0435 / 12, 36, -109_498)))).quantize(FEN, ROUND_HALF_UP)
    assert level == D("3249.89")


def test_the_ratio_ceiling_can_be_the_tighter_bound() -> None:
    result = limits.household_cash_flow(HOUSEHOLD, max_debt_service_ratio=D("0.6"), terms=TERMS)
    # 7,500 × 0.6 − 500 = 4,000 = the disposable cash flow; with 0.7: 4,750 > 4,000
    assert steps(result)["installment"] == D(4000)
    looser = limits.household_cash_flow(HOUSEHOLD, max_debt_service_ratio=D("0.7"), terms=TERMS)
    assert steps(looser)["installment"] == D(4000)
    assert steps(looser)["within_ratio"] == D(4750)


def test_no_capacity_gives_zero_with_the_reason() -> None:
    poor = HouseholdStatement(
        income_wages=D(36_000),
        expense_production=D(0),
        expense_living=D(36_000),
        yearly_debt_service=D(0),
    )
    result = limits.household_cash_flow(poor, max_debt_service_ratio=D("0.5"), terms=TERMS)
    assert result.limit == D(0)
    assert (
        result.reason is not None
        and result.reason.text() == "可支配现金流不足以承担新增贷款的月还款"
    )


def test_a_household_without_debt_service_given_is_not_computable() -> None:
    unknown = HouseholdStatement(income_wages=D(1), expense_production=D(0), expense_living=D(0))
    result = limits.household_cash_flow(unknown, max_debt_service_ratio=D("0.5"), terms=TERMS)
    assert result.limit is None
    assert result.reason is not None
    assert result.reason.text() == "缺少“现有债务年还本付息额”，无法计算"


def test_a_business_limit_uses_its_monthly_profit() -> None:
    # 12,000 − 4,000 − 1,000 = 7,000; 12,000 × 0.5 − 1,000 = 5,000 → 5,000 a month
    shop = BusinessStatement(
        monthly_profit=D(12_000), monthly_living_costs=D(4_000), monthly_debt_service=D(1_000)
    )
    result = limits.business_cash_flow(shop, max_debt_service_ratio=D("0.5"), terms=TERMS)
    assert steps(result)["installment"] == D(5000)
    assert result.limit is not None
    payments = installments(int(result.limit))
    assert max(payments) <= D(5000) < max(installments(int(result.limit) + 1))


@pytest.mark.parametrize(
    ("method", "monthly"),
    [
        # 等额本金: the first payment is the largest: P ÷ 12 + P × 0.06 ÷ 12 ≤ 1,000
        # → P ≤ 1,000 ÷ (1/12 + 0.005) = 11,320.75… → 11,320 (principal per month rounded)
        (Method.EQUAL_PRINCIPAL, 11_320),
        # 按月付息: the interest P × 0.06 ÷ 12 ≤ 1,000 → P ≤ 200,000
        (Method.INTEREST_ONLY, 200_000),
        # 利随本清: (P + P × 0.06) ÷ 12 months ≤ 1,000 → P ≤ 11,320.75… → 11,320
        (Method.BULLET, 11_320),
    ],
)
def test_the_largest_principal_for_other_methods(method: Method, monthly: int) -> None:
    terms = LoanTerms(
        principal=D(1), annual_rate=D("0.06"), periods=12, method=method, start=dt.date(2026, 1, 1)
    )
    assert limits.largest_principal(terms, D(1000)) == D(monthly)


def test_the_largest_principal_stops_at_the_cap() -> None:
    assert limits.largest_principal(TERMS, D(3250), cap=D(50_000)) == D(50_000)
    free = LoanTerms(
        principal=D(1),
        annual_rate=D(0),
        periods=12,
        method=Method.INTEREST_ONLY,
        start=dt.date(2026, 1, 1),
    )  # no regular payment at all: only the cap bounds it
    assert limits.largest_principal(free, D(1), cap=D(300_000)) == D(300_000)


# ---- (c) collateral, the suggestion and the guarantor --------------------------------------


def test_collateral_times_its_loan_to_value() -> None:
    result = limits.secured(
        [
            limits.Collateral(CollateralKind.RESIDENTIAL, D(1_000_000), "县城住房"),
            limits.Collateral(CollateralKind.DEPOSIT, D(100_000)),
            limits.Collateral(CollateralKind.LAND_USE, D("333333.33")),
        ]
    )
    # 1,000,000 × 70 % = 700,000; 100,000 × 90 % = 90,000; 333,333.33 × 50 % = 166,666.665
    # → 166,666.67 (half-up); total 956,666.67
    assert [step.value for step in result.steps] == [
        D(700_000),
        D(90_000),
        D("166666.67"),
        D("956666.67"),
    ]
    assert result.limit == D("956666.67")
    assert result.steps[0].formula.text() == "县城住房：评估价值 1,000,000.00 × 抵（质）押率 70%"
    assert limits.secured([]).limit is None


def test_the_suggestion_is_the_smallest_applicable_limit_with_the_reasoning() -> None:
    working = limits.working_capital(WORKED)  # 700,000
    cash = limits.household_cash_flow(HOUSEHOLD, max_debt_service_ratio=D("0.5"), terms=TERMS)
    secured = limits.secured([limits.Collateral(CollateralKind.RESIDENTIAL, D(1_000_000))])
    not_applicable = limits.secured([])
    suggestion = limits.suggest([working, cash, secured, not_applicable])
    assert (suggestion.limit, suggestion.method) == (D("109498.00"), limits.LimitMethod.CASH_FLOW)
    assert suggestion.reason.text() == "取 3 种适用方法中的最小值：可支配现金流测算 109,498.00 元"
    nothing = limits.suggest([not_applicable])
    assert nothing.limit is None and "没有可用的测算方法" in nothing.reason.text()


def test_guarantor_capacity_against_the_amount() -> None:
    # net assets 500,000 − guarantees already given 350,000 = 150,000
    enough = limits.guarantor_capacity(D(500_000), D(350_000), D(150_000))
    assert (enough.capacity, enough.sufficient) == (D(150_000), True)
    short = limits.guarantor_capacity(D(500_000), D(350_000), D("150000.01"))
    assert short.sufficient is False
    assert short.message.text() == (
        "剩余担保能力 150,000.00 元，低于本笔担保金额 150,000.01 元：担保能力不足"
    )
    indebted = limits.guarantor_capacity(D(-10_000), D(0), D(1))
    assert (indebted.capacity, indebted.sufficient) == (D(0), False)
    doubled = limits.guarantor_capacity(D(500_000), D(350_000), D(600_000), multiple=D(2))
    assert (doubled.capacity, doubled.sufficient) == (D(650_000), True)
