"""The admission engine (准入 / 禁入 / 审慎), rule by rule at and across each boundary. Pure: no
database. Every expected value is computed by hand in the comments, not by running the code."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xindai.core import industry as gbt4754
from xindai.credit import admission, admission_rules
from xindai.credit.admission import (
    AdmissionFacts,
    Capacity,
    CreditReportFacts,
    Decision,
    IndustryStance,
    LicenceFacts,
    Outcome,
    PermitFacts,
    RuleResult,
    evaluate,
)
from xindai.credit.industry_catalogue import STARTER
from xindai.credit.policy import Policy

DEFAULT = Policy()
AS_OF = dt.date(2026, 6, 15)
D = dt.date


# ---- factories: each builds facts that pass every rule; a test changes one thing ----------


def report(**overrides: Any) -> CreditReportFacts:
    values: dict[str, Any] = {
        "consent_recorded": True,
        "max_consecutive_overdue_24m": 0,
        "total_overdue_24m": 0,
        "current_overdue_amount": Decimal("0.00"),
        "other_bank_lenders": 1,
        "other_bank_debt": Decimal("20000.00"),
        "monthly_debt_service": Decimal("0.00"),
    }
    return CreditReportFacts(**(values | overrides))


def facts(**overrides: Any) -> AdmissionFacts:
    """A farmer (农户) borrowing 100,000 for 12 months on his own credit: he passes every rule."""
    values: dict[str, Any] = {
        "as_of": AS_OF,
        "customer_kind": "farmer",
        "borrower_birth_date": D(1980, 3, 10),  # 46 on 2026-06-15
        "borrower_sex": "M",
        "legal_capacity": Capacity.FULL,
        "amount": Decimal("100000.00"),
        "term_months": 12,
        "purpose": "farmer",
        "long_cycle": False,
        "repayment_method": "equal_installment",
        "guarantees": frozenset({"credit"}),
        "industry_code": "",
        "industry_stance": None,
        "industry_requires_permit": False,
        "licence": None,
        "permits": (),
        "account_here": True,
        "credit_report": report(),
        "monthly_income": Decimal("10000.00"),
        "new_monthly_payment": Decimal("3000.00"),  # 3,000 / 10,000 = 0.30
        "related_party": False,
        "blacklisted": False,
    }
    return AdmissionFacts(**(values | overrides))


def licence(**overrides: Any) -> LicenceFacts:
    values: dict[str, Any] = {
        "registered_on": D(2018, 4, 1),
        "valid_until": None,  # 长期
        "annual_report": "reported",
        "annual_report_year": 2025,
    }
    return LicenceFacts(**(values | overrides))


def business(**overrides: Any) -> AdmissionFacts:
    """A restaurant (个体工商户, 6210 正餐服务) run by a woman: 200,000 for 24 months."""
    values: dict[str, Any] = {
        "customer_kind": "business",
        "borrower_birth_date": D(1985, 9, 20),
        "borrower_sex": "F",
        "amount": Decimal("200000.00"),
        "term_months": 24,
        "purpose": "personal_business",
        "guarantees": frozenset({"guarantee"}),
        "industry_code": "6210",
        "industry_stance": IndustryStance.ALLOWED,
        "industry_requires_permit": True,
        "licence": licence(),
        "permits": (PermitFacts("食品经营许可证", D(2029, 12, 31)),),
        "credit_report": report(monthly_debt_service=Decimal("1000.00")),
        "monthly_income": Decimal("20000.00"),
        "new_monthly_payment": Decimal("5000.00"),  # (1,000 + 5,000) / 20,000 = 0.30
    }
    return facts(**(values | overrides))


def enterprise(**overrides: Any) -> AdmissionFacts:
    """A rice mill (企业, 1311 稻谷加工), working capital 2,000,000 for 12 months, mortgaged."""
    values: dict[str, Any] = {
        "customer_kind": "enterprise",
        "borrower_birth_date": None,
        "borrower_sex": None,
        "amount": Decimal("2000000.00"),
        "term_months": 12,
        "purpose": "working_capital",
        "guarantees": frozenset({"mortgage"}),
        "industry_code": "1311",
        "industry_stance": IndustryStance.ENCOURAGED,
        "industry_requires_permit": True,
        "licence": licence(registered_on=D(2015, 3, 1), valid_until=D(2035, 2, 28)),
        "permits": (PermitFacts("食品生产许可证", D(2028, 1, 1)),),
        "credit_report": report(monthly_debt_service=Decimal("20000.00")),
        "monthly_income": Decimal("300000.00"),
        "new_monthly_payment": Decimal("100000.00"),  # (20,000 + 100,000) / 300,000 = 0.40
    }
    return facts(**(values | overrides))


def result(decision: Decision, rule: str) -> RuleResult:
    found = [r for r in decision.results if r.rule == rule]
    assert len(found) == 1, (rule, [r.rule for r in decision.results])
    return found[0]


def check(f: AdmissionFacts, rule: str, policy: Policy = DEFAULT) -> RuleResult:
    return result(evaluate(f, policy), rule)


# ---- the cases: one per rule at and across its boundary -----------------------------------


@dataclasses.dataclass(frozen=True)
class Case:
    name: str
    facts: AdmissionFacts
    rule: str
    outcome: Outcome
    says: str = ""  # a piece of the rendered message
    policy: Policy = DEFAULT


ADMIT, PRUDENT, PROHIBIT = Outcome.ADMIT, Outcome.PRUDENT, Outcome.PROHIBIT
NO_REPORT = "尚未录入征信报告摘要"
UNSECURED = "信用贷款条件不满足，须提供保证、抵押或质押担保"

CASES = [
    # 1. blacklist (贷款通则 第24条)
    Case("blacklist-not-listed", facts(), "blacklist", ADMIT),
    Case(
        "blacklist-listed-with-reason",
        facts(blacklisted=True, blacklist_reason="恶意逃废债务"),
        "blacklist",
        PROHIBIT,
        "恶意逃废债务",
    ),
    Case("blacklist-listed-no-reason", facts(blacklisted=True), "blacklist", PROHIBIT, "第24条"),
    # 2. capacity: natural persons need full civil capacity
    Case("capacity-full", facts(), "capacity", ADMIT),
    Case(
        "capacity-limited",
        facts(legal_capacity=Capacity.LIMITED),
        "capacity",
        PROHIBIT,
        "限制民事行为能力",
    ),
    Case("capacity-none", business(legal_capacity=Capacity.NONE), "capacity", PROHIBIT),
    Case(
        "capacity-enterprise",
        enterprise(legal_capacity=Capacity.NONE),
        "capacity",
        ADMIT,
        "企业客户不适用",
    ),
    # 3. age.min: 18 on 2026-06-15 means born on or before 2008-06-15
    Case("age.min-18-today", facts(borrower_birth_date=D(2008, 6, 15)), "age.min", ADMIT, "18"),
    Case(
        "age.min-one-day-short",
        facts(borrower_birth_date=D(2008, 6, 16)),  # 17 until 2026-06-16
        "age.min",
        PROHIBIT,
        "17",
    ),
    # born on 29 Feb 2008: the 18th birthday falls on 28 Feb 2026 (2026 is not a leap year)
    Case(
        "age.min-feb29-on-feb28",
        facts(borrower_birth_date=D(2008, 2, 29), as_of=D(2026, 2, 28)),
        "age.min",
        ADMIT,
    ),
    Case(
        "age.min-feb29-on-feb27",
        facts(borrower_birth_date=D(2008, 2, 29), as_of=D(2026, 2, 27)),
        "age.min",
        PROHIBIT,
    ),
    Case(
        "age.min-no-birth-date",
        facts(borrower_birth_date=None),
        "age.min",
        PROHIBIT,
        "无法核实借款人年龄：档案缺少身份证号/出生日期",
    ),
    Case("age.min-enterprise", enterprise(), "age.min", ADMIT, "企业客户不适用"),
    Case(
        "age.min-policy-20",
        facts(borrower_birth_date=D(2008, 6, 15)),  # 18 < 20
        "age.min",
        PROHIBIT,
        "未满 20 周岁",
        Policy(min_age=20),
    ),
    # 4. age.at_maturity: man born 1961-06-15 turns 65 on 2026-06-15;
    # as_of 2025-06-15 + 12 months = 2026-06-15 (allowed), 2025-06-16 + 12 = 2026-06-16 (not)
    Case(
        "age.at_maturity-man-65-exactly",
        facts(borrower_birth_date=D(1961, 6, 15), as_of=D(2025, 6, 15)),
        "age.at_maturity",
        ADMIT,
    ),
    Case(
        "age.at_maturity-man-65-plus-one-day",
        facts(borrower_birth_date=D(1961, 6, 15), as_of=D(2025, 6, 16)),
        "age.at_maturity",
        PROHIBIT,
        "65",
    ),
    # woman born 1966-06-15 turns 60 on 2026-06-15; 2023-06-15 + 36 months = 2026-06-15
    Case(
        "age.at_maturity-woman-60-exactly",
        facts(
            borrower_birth_date=D(1966, 6, 15),
            borrower_sex="F",
            as_of=D(2023, 6, 15),
            term_months=36,
        ),
        "age.at_maturity",
        ADMIT,
    ),
    Case(
        "age.at_maturity-woman-60-plus-one-day",
        facts(
            borrower_birth_date=D(1966, 6, 15),
            borrower_sex="F",
            as_of=D(2023, 6, 16),
            term_months=36,
        ),
        "age.at_maturity",
        PROHIBIT,
        "60",
    ),
    # a month end: 2026-01-31 + 1 month = 2026-02-28 (clamped), not 2026-03-03
    Case(
        "age.at_maturity-month-end-clamped",
        facts(borrower_birth_date=D(1961, 2, 28), as_of=D(2026, 1, 31), term_months=1),
        "age.at_maturity",
        ADMIT,
    ),
    Case(
        "age.at_maturity-month-end-one-day-late",
        facts(borrower_birth_date=D(1961, 2, 27), as_of=D(2026, 1, 31), term_months=1),
        "age.at_maturity",
        PROHIBIT,
    ),
    # born 1960-02-29: 65th birthday 2025-02-28; 2024-02-28 + 12 = 2025-02-28 (allowed),
    # 2024-03-01 + 12 = 2025-03-01 (one day late)
    Case(
        "age.at_maturity-feb29-on-feb28",
        facts(borrower_birth_date=D(1960, 2, 29), as_of=D(2024, 2, 28)),
        "age.at_maturity",
        ADMIT,
    ),
    Case(
        "age.at_maturity-feb29-mar1",
        facts(borrower_birth_date=D(1960, 2, 29), as_of=D(2024, 3, 1)),
        "age.at_maturity",
        PROHIBIT,
    ),
    # born 1960-06-15: 2025-06-15 + 12 = 2026-06-15, his 66th birthday
    Case(
        "age.at_maturity-66-default-policy",
        facts(borrower_birth_date=D(1960, 6, 15), as_of=D(2025, 6, 15)),
        "age.at_maturity",
        PROHIBIT,
    ),
    Case(
        "age.at_maturity-66-policy-70",
        facts(borrower_birth_date=D(1960, 6, 15), as_of=D(2025, 6, 15)),
        "age.at_maturity",
        ADMIT,
        "70",
        Policy(max_age_at_maturity_male=70),
    ),
    Case(
        "age.at_maturity-no-birth-date",
        business(borrower_birth_date=None),
        "age.at_maturity",
        PROHIBIT,
        "出生日期",
    ),
    Case("age.at_maturity-no-sex", facts(borrower_sex=None), "age.at_maturity", PROHIBIT, "性别"),
    Case("age.at_maturity-enterprise", enterprise(), "age.at_maturity", ADMIT, "企业客户不适用"),
    # 5. term.purpose: caps 60 / 60 (long) / 120 (long) / 36 / 60 (long) / 120; farmer none
    Case(
        "term-consumption-60",
        facts(purpose="consumption", term_months=60),
        "term.purpose",
        ADMIT,
    ),
    Case(
        "term-consumption-61",
        facts(purpose="consumption", term_months=61),
        "term.purpose",
        PROHIBIT,
        "上限 60 个月",
    ),
    Case(
        "term-consumption-long-cycle-61",
        facts(purpose="consumption", term_months=61, long_cycle=True),
        "term.purpose",
        PROHIBIT,
    ),
    Case("term-business-60", business(term_months=60), "term.purpose", ADMIT),
    Case("term-business-61", business(term_months=61), "term.purpose", PROHIBIT),
    Case(
        "term-business-long-120", business(term_months=120, long_cycle=True), "term.purpose", ADMIT
    ),
    Case(
        "term-business-long-121",
        business(term_months=121, long_cycle=True),
        "term.purpose",
        PROHIBIT,
        "上限 120 个月",
    ),
    Case("term-working-capital-36", enterprise(term_months=36), "term.purpose", ADMIT),
    Case("term-working-capital-37", enterprise(term_months=37), "term.purpose", PROHIBIT),
    Case(
        "term-working-capital-long-60",
        enterprise(term_months=60, long_cycle=True),
        "term.purpose",
        ADMIT,
    ),
    Case(
        "term-working-capital-long-61",
        enterprise(term_months=61, long_cycle=True),
        "term.purpose",
        PROHIBIT,
    ),
    Case(
        "term-fixed-asset-120",
        enterprise(purpose="fixed_asset", term_months=120),
        "term.purpose",
        ADMIT,
    ),
    Case(
        "term-fixed-asset-121",
        enterprise(purpose="fixed_asset", term_months=121),
        "term.purpose",
        PROHIBIT,
    ),
    Case("term-farmer-no-cap", facts(term_months=240), "term.purpose", ADMIT, "无统一期限上限"),
    Case("term-unknown-purpose", facts(purpose="tuition"), "term.purpose", PROHIBIT, "tuition"),
    Case(
        "term-consumption-policy-36",
        facts(purpose="consumption", term_months=37),
        "term.purpose",
        PROHIBIT,
        "上限 36 个月",
        Policy(max_term_consumption=36),
    ),
    # 5b. term.farmer_bullet: a farmer loan over 12 months must not be 利随本清
    Case(
        "farmer-bullet-12",
        facts(repayment_method="bullet", term_months=12),
        "term.farmer_bullet",
        ADMIT,
    ),
    Case(
        "farmer-bullet-13",
        facts(repayment_method="bullet", term_months=13),
        "term.farmer_bullet",
        PROHIBIT,
        "利随本清",
    ),
    Case(
        "farmer-installments-13",
        facts(repayment_method="equal_principal", term_months=13),
        "term.farmer_bullet",
        ADMIT,
    ),
    Case(
        "farmer-customer-consumption-bullet-13",
        facts(purpose="consumption", repayment_method="bullet", term_months=13),
        "term.farmer_bullet",
        PROHIBIT,
    ),
    Case(
        "business-bullet-24-not-applicable",
        business(repayment_method="bullet", term_months=24),
        "term.farmer_bullet",
        ADMIT,
        "不适用",
    ),
    # 6. industry: each stance, not in the catalogue, no code
    Case(
        "industry-encouraged",
        enterprise(industry_stance=IndustryStance.ENCOURAGED),
        "industry",
        ADMIT,
        "鼓励",
    ),
    Case("industry-allowed", business(), "industry", ADMIT, "允许"),
    Case(
        "industry-restricted",
        enterprise(industry_code="3011", industry_stance=IndustryStance.RESTRICTED),
        "industry",
        PRUDENT,
        "限制类",
    ),
    Case(
        "industry-eliminated",
        enterprise(industry_code="2521", industry_stance=IndustryStance.ELIMINATED),
        "industry",
        PROHIBIT,
        "淘汰类",
    ),
    Case(
        "industry-not-in-catalogue",
        business(industry_code="8040", industry_stance=None, industry_requires_permit=False),
        "industry",
        ADMIT,
        "不在",
    ),
    Case("industry-farmer-no-code", facts(), "industry", ADMIT, "不适用"),
    Case(
        "industry-farmer-with-code",
        facts(industry_code="0111", industry_stance=IndustryStance.ENCOURAGED),
        "industry",
        ADMIT,
    ),
    Case(
        "industry-business-no-code",
        business(industry_code="", industry_stance=None),
        "industry",
        PROHIBIT,
        "档案缺少行业代码",
    ),
    Case(
        "industry-enterprise-no-code",
        enterprise(industry_code="", industry_stance=None),
        "industry",
        PROHIBIT,
    ),
    # 7. licence: farmers exempt; missing, expired, abnormal, annual report
    Case("licence-farmer-exempt", facts(), "licence", ADMIT, "无需营业执照"),
    Case("licence-missing", business(licence=None), "licence", PROHIBIT, "档案缺少营业执照"),
    Case(
        "licence-valid-until-today",
        enterprise(licence=licence(valid_until=AS_OF)),
        "licence",
        ADMIT,
    ),
    Case(
        "licence-expired-yesterday",
        enterprise(licence=licence(valid_until=D(2026, 6, 14))),
        "licence",
        PROHIBIT,
        "2026-06-14",
    ),
    Case(
        "licence-abnormal",
        business(licence=licence(annual_report="abnormal")),
        "licence",
        PROHIBIT,
        "经营异常名录",
    ),
    # on 2026-06-30 the 2025 report is not due yet: the 2024 one is enough
    Case(
        "licence-june-30-report-2024",
        business(as_of=D(2026, 6, 30), licence=licence(annual_report_year=2024)),
        "licence",
        ADMIT,
        "2024",
    ),
    Case(
        "licence-june-30-report-2023",
        business(as_of=D(2026, 6, 30), licence=licence(annual_report_year=2023)),
        "licence",
        PROHIBIT,
        "2024",
    ),
    # from 2026-07-01 the 2025 report is due
    Case(
        "licence-july-1-report-2024",
        business(as_of=D(2026, 7, 1), licence=licence(annual_report_year=2024)),
        "licence",
        PROHIBIT,
        "未报送 2025 年度报告",
    ),
    Case(
        "licence-july-1-report-2025",
        business(as_of=D(2026, 7, 1), licence=licence(annual_report_year=2025)),
        "licence",
        ADMIT,
    ),
    Case(
        "licence-july-1-marked-not-reported",
        business(
            as_of=D(2026, 7, 1),
            licence=licence(annual_report="not_reported", annual_report_year=2025),
        ),
        "licence",
        PROHIBIT,
    ),
    # registered in 2025: on 2026-06-30 no report is due yet (2024 ended before it existed)
    Case(
        "licence-new-no-report-due",
        business(
            as_of=D(2026, 6, 30),
            licence=licence(
                registered_on=D(2025, 3, 1), annual_report="not_reported", annual_report_year=None
            ),
        ),
        "licence",
        ADMIT,
        "无须报送",
    ),
    # registered on 2025-12-31: the 2025 report is due from 2026-07-01; on 2026-01-01: not
    Case(
        "licence-registered-last-day-of-year",
        business(
            as_of=D(2026, 7, 1),
            licence=licence(
                registered_on=D(2025, 12, 31), annual_report="not_reported", annual_report_year=None
            ),
        ),
        "licence",
        PROHIBIT,
    ),
    Case(
        "licence-registered-first-day-of-year",
        business(
            as_of=D(2026, 7, 1),
            licence=licence(
                registered_on=D(2026, 1, 1), annual_report="not_reported", annual_report_year=None
            ),
        ),
        "licence",
        ADMIT,
    ),
    # 8. permits
    Case(
        "permit-expires-today",
        business(permits=(PermitFacts("食品经营许可证", AS_OF),)),
        "permits",
        ADMIT,
        "食品经营许可证",
    ),
    Case(
        "permit-expired-yesterday",
        business(permits=(PermitFacts("食品经营许可证", D(2026, 6, 14)),)),
        "permits",
        PROHIBIT,
        "食品经营许可证",
    ),
    Case("permit-required-none", business(permits=()), "permits", PROHIBIT, "没有有效的许可证"),
    Case(
        "permit-not-required-but-expired",
        enterprise(
            industry_requires_permit=False,
            permits=(PermitFacts("排污许可证", D(2026, 1, 1)),),
        ),
        "permits",
        PROHIBIT,
        "排污许可证",
    ),
    Case(
        "permit-renewed-under-the-same-name",
        business(
            permits=(
                PermitFacts("食品经营许可证", D(2026, 1, 1)),
                PermitFacts("食品经营许可证", D(2031, 1, 1)),
            )
        ),
        "permits",
        ADMIT,
    ),
    Case("permit-not-required", facts(), "permits", ADMIT, "无需"),
    # 9. account
    Case("account-here", facts(), "account", ADMIT),
    Case(
        "account-missing",
        enterprise(account_here=False),
        "account",
        PROHIBIT,
        "须在本行开立结算账户（企业为基本户或一般户）并接受监督",
    ),
    # 10. credit.consent
    Case("consent-recorded", facts(), "credit.consent", ADMIT),
    Case("consent-no-report", facts(credit_report=None), "credit.consent", PROHIBIT, NO_REPORT),
    Case(
        "consent-not-recorded",
        facts(credit_report=report(consent_recorded=False)),
        "credit.consent",
        PROHIBIT,
        "未取得客户书面征信查询授权",
    ),
    # 11. credit.overdue: 连三累六 — limits 2 consecutive and 5 in total
    Case(
        "overdue-consecutive-2",
        facts(credit_report=report(max_consecutive_overdue_24m=2, total_overdue_24m=2)),
        "credit.overdue",
        ADMIT,
    ),
    Case(
        "overdue-consecutive-3",
        facts(credit_report=report(max_consecutive_overdue_24m=3, total_overdue_24m=3)),
        "credit.overdue",
        PROHIBIT,
        "连三累六",
    ),
    Case(
        "overdue-total-5",
        facts(credit_report=report(max_consecutive_overdue_24m=1, total_overdue_24m=5)),
        "credit.overdue",
        ADMIT,
    ),
    Case(
        "overdue-total-6",
        facts(credit_report=report(max_consecutive_overdue_24m=1, total_overdue_24m=6)),
        "credit.overdue",
        PROHIBIT,
        "累计逾期 6 次",
    ),
    Case("overdue-no-report", facts(credit_report=None), "credit.overdue", PROHIBIT, NO_REPORT),
    # 12. credit.current_overdue: any overdue now → 审慎
    Case("current-overdue-0", facts(), "credit.current_overdue", ADMIT),
    Case(
        "current-overdue-1-fen",
        business(credit_report=report(current_overdue_amount=Decimal("0.01"))),
        "credit.current_overdue",
        PRUDENT,
        "0.01",
    ),
    Case(
        "current-overdue-no-report", facts(credit_report=None), "credit.current_overdue", PROHIBIT
    ),
    # 13. credit.other_banks: at most 3
    Case(
        "other-banks-3",
        facts(credit_report=report(other_bank_lenders=3)),
        "credit.other_banks",
        ADMIT,
    ),
    Case(
        "other-banks-4",
        facts(credit_report=report(other_bank_lenders=4)),
        "credit.other_banks",
        PRUDENT,
        "4 家",
    ),
    Case("other-banks-no-report", facts(credit_report=None), "credit.other_banks", PROHIBIT),
    # 14. debt_to_income: at most 0.50
    # (2,000 + 3,000) / 10,000 = 5,000 / 10,000 = 0.5000 → at the cap
    Case(
        "dti-0.50",
        facts(
            credit_report=report(monthly_debt_service=Decimal("2000.00")),
            new_monthly_payment=Decimal("3000.00"),
        ),
        "debt_to_income",
        ADMIT,
        "50%",
    ),
    # (2,000 + 3,001) / 10,000 = 5,001 / 10,000 = 0.5001 → over
    Case(
        "dti-0.5001",
        facts(
            credit_report=report(monthly_debt_service=Decimal("2000.00")),
            new_monthly_payment=Decimal("3001.00"),
        ),
        "debt_to_income",
        PRUDENT,
        "50.01%",
    ),
    # (2,000 + 3,000.01) / 10,000 = 0.500001: shown as 0.5000, still over (exact ratio compared)
    Case(
        "dti-0.500001",
        facts(
            credit_report=report(monthly_debt_service=Decimal("2000.00")),
            new_monthly_payment=Decimal("3000.01"),
        ),
        "debt_to_income",
        PRUDENT,
    ),
    # no report: debt service counts 0 → 5,000 / 10,000 = 0.50
    Case(
        "dti-no-report",
        facts(credit_report=None, new_monthly_payment=Decimal("5000.00")),
        "debt_to_income",
        ADMIT,
    ),
    Case("dti-no-income", facts(monthly_income=None), "debt_to_income", PRUDENT, "无法计算"),
    Case("dti-zero-income", facts(monthly_income=Decimal(0)), "debt_to_income", PRUDENT),
    # 15. related_party (商业银行法 第40条)
    Case("related-party-no", facts(), "related_party", ADMIT),
    Case(
        "related-party-credit-only",
        facts(related_party=True),
        "related_party",
        PROHIBIT,
        "不得发放信用贷款",
    ),
    Case(
        "related-party-secured",
        business(related_party=True),
        "related_party",
        ADMIT,
        "不得优于",
    ),
    Case(
        "related-party-credit-and-guarantee",
        facts(related_party=True, guarantees=frozenset({"credit", "guarantee"})),
        "related_party",
        ADMIT,
    ),
    # 16. security: unsecured up to 300,000 and with a clean record
    Case("unsecured-300000", facts(amount=Decimal("300000.00")), "security", ADMIT),
    Case(
        "unsecured-300000.01",
        facts(amount=Decimal("300000.01")),
        "security",
        PROHIBIT,
        UNSECURED + "：金额 300,000.01 元",
    ),
    Case(
        "unsecured-current-overdue",
        facts(credit_report=report(current_overdue_amount=Decimal("0.01"))),
        "security",
        PROHIBIT,
        "当前逾期 0.01 元",
    ),
    Case(
        "unsecured-overdue-history",
        facts(credit_report=report(total_overdue_24m=1, max_consecutive_overdue_24m=1)),
        "security",
        PROHIBIT,
        "近 24 个月逾期 1 次",
    ),
    Case(
        "unsecured-too-much-and-overdue",
        facts(amount=Decimal("500000.00"), credit_report=report(total_overdue_24m=2)),
        "security",
        PROHIBIT,
        "500,000.00",
    ),
    Case(
        "no-guarantee-chosen", facts(guarantees=frozenset()), "security", PROHIBIT, "未选择担保方式"
    ),
    Case("mortgaged-large-amount", enterprise(), "security", ADMIT),
    Case(
        "unsecured-policy-500000",
        facts(amount=Decimal("500000.00")),
        "security",
        ADMIT,
        policy=Policy(max_unsecured_amount=Decimal("500000")),
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_rule(case: Case) -> None:
    found = check(case.facts, case.rule, case.policy)
    assert found.outcome == case.outcome, found.message.text()
    assert found.message.field == case.rule
    assert case.says in found.message.text()


def test_the_case_names_are_unique() -> None:
    assert len({c.name for c in CASES}) == len(CASES)


# ---- the facts each rule shows --------------------------------------------------------------


def test_age_at_maturity_shows_the_maturity_and_the_limit() -> None:
    # 2026-01-31 + 1 month = 2026-02-28; born 1961-02-27 → 65 on 2026-02-27, a day earlier
    found = check(
        facts(borrower_birth_date=D(1961, 2, 27), as_of=D(2026, 1, 31), term_months=1),
        "age.at_maturity",
    )
    assert found.facts["maturity"] == "2026-02-28"
    assert found.facts["limit_date"] == "2026-02-27"
    assert found.facts["borrower_birth_date"] == "1961-02-27"
    assert found.facts["borrower_sex"] == "M"
    assert found.facts["max_age_at_maturity"] == "65"


def test_debt_to_income_shows_the_ratio_to_four_places() -> None:
    def ratio(payment: str) -> str:
        f = facts(
            credit_report=report(monthly_debt_service=Decimal("2000.00")),
            new_monthly_payment=Decimal(payment),
        )
        return check(f, "debt_to_income").facts["debt_to_income"]

    assert ratio("3000.00") == "0.5000"
    assert ratio("3001.00") == "0.5001"
    assert ratio("3000.01") == "0.5000"  # 0.500001 rounded, though prudent (see dti-0.500001)
    assert ratio("1333.33") == "0.3333"  # 3,333.33 / 10,000 = 0.333333


def test_the_age_is_in_completed_years() -> None:
    # born 1980-03-10: 46 on 2026-06-15; born 1980-06-16: 45 until 2026-06-16
    assert check(facts(), "age.min").facts["age"] == "46"
    assert check(facts(borrower_birth_date=D(1980, 6, 16)), "age.min").facts["age"] == "45"


# ---- the decision ---------------------------------------------------------------------------


@pytest.mark.parametrize("build", [facts, business, enterprise], ids=["farmer", "business", "firm"])
def test_the_factories_pass_every_rule(build: Any) -> None:
    decision = evaluate(build(), DEFAULT)
    assert decision.outcome == Outcome.ADMIT, [r.message.text() for r in decision.unmet]
    assert decision.unmet == ()


def test_every_rule_gives_one_result_in_order() -> None:
    rules = [r.rule for r in evaluate(facts(), DEFAULT).results]
    assert rules == [
        "blacklist",
        "capacity",
        "age.min",
        "age.at_maturity",
        "term.purpose",
        "term.farmer_bullet",
        "industry",
        "licence",
        "permits",
        "account",
        "credit.consent",
        "credit.overdue",
        "credit.current_overdue",
        "credit.other_banks",
        "debt_to_income",
        "related_party",
        "security",
    ]


def test_prudent_and_admit_give_prudent() -> None:
    decision = evaluate(facts(credit_report=report(other_bank_lenders=4)), DEFAULT)
    assert decision.outcome == Outcome.PRUDENT
    assert [r.rule for r in decision.unmet] == ["credit.other_banks"]


def test_prudent_and_prohibit_give_prohibit() -> None:
    f = enterprise(
        industry_code="3011", industry_stance=IndustryStance.RESTRICTED, account_here=False
    )
    decision = evaluate(f, DEFAULT)
    assert decision.outcome == Outcome.PROHIBIT
    assert {(r.rule, r.outcome) for r in decision.unmet} == {
        ("industry", Outcome.PRUDENT),
        ("account", Outcome.PROHIBIT),
    }


def test_a_passing_rule_says_what_it_checked() -> None:
    found = check(facts(borrower_birth_date=D(1991, 6, 15)), "age.min")
    assert found.message.text() == "借款人年龄 35 周岁，符合要求"


def test_messages_are_translated_with_their_labels() -> None:
    found = check(facts(legal_capacity=Capacity.LIMITED), "capacity")
    shown = found.message.text(lambda s: f"<{s}>")
    assert shown == "<借款人不具有完全民事行为能力（<限制民事行为能力>），不得借款>"


# ---- every message renders ------------------------------------------------------------------


def _marked_strings() -> set[str]:
    """Every ``_("…")`` literal of the engine (admission.py and admission_rules.py)."""
    source = "\n".join(
        Path(module.__file__).read_text(encoding="utf-8") for module in (admission, admission_rules)
    )
    tree = ast.parse(source)
    return {
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "_"
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
    }


def _every_result() -> list[RuleResult]:
    every = [*CASES, Case("farmer", facts(), "", ADMIT)]
    every += [Case("business", business(), "", ADMIT), Case("firm", enterprise(), "", ADMIT)]
    return [r for c in every for r in evaluate(c.facts, c.policy).results]


def test_every_result_has_a_rule_id_and_a_message_that_renders() -> None:
    for found in _every_result():
        assert found.rule and found.message.field == found.rule
        text = found.message.text()
        assert text and "%(" not in text, found
        assert all(isinstance(v, str) for v in found.facts.values()), found


def test_every_marked_template_is_produced_and_renders() -> None:
    results = _every_result()
    templates = {r.message.template for r in results}
    labels = {v for r in results for v in r.message.params.values()}
    unused = {s for s in _marked_strings() if s not in templates | labels}
    assert not unused, unused


# ---- the starter industry catalogue ---------------------------------------------------------


def test_the_starter_catalogue_uses_real_divisions_and_stances() -> None:
    codes = [code for code, *_ in STARTER]
    assert len(codes) == len(set(codes))
    stances = {s.value for s in IndustryStance}
    for code, stance, requires_permit, note in STARTER:
        assert gbt4754.division_of(code) is not None, code
        assert stance in stances, code
        assert isinstance(requires_permit, bool)
        assert note and len(note) <= 200, code
