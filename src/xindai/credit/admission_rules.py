"""The rules of the admission engine (pure), one function each, in the order they are shown.

Each takes the facts and the policy and returns one ``RuleResult``; ``admission.evaluate``
runs them all. Boundaries are inclusive where the rule catalogue says "≤" / "at least".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal

from xindai.core.money import round_rate
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.admission import (
    AdmissionFacts,
    Capacity,
    IndustryStance,
    Outcome,
    RuleResult,
)
from xindai.credit.policy import Policy
from xindai.loans.daycount import on_day
from xindai.loans.schedule import Method
from xindai.products.domain import PURPOSE_LABEL, PurposeClass

# ---- helpers -----------------------------------------------------------------------------

NATURAL_PERSONS = frozenset({"farmer", "business"})
FARMER = "farmer"
CREDIT = "credit"  # 信用: no security

Facts = dict[str, str]

NOT_APPLICABLE_ENTERPRISE = _("企业客户不适用")
NO_BIRTH_DATE = _("无法核实借款人年龄：档案缺少身份证号/出生日期")
NO_REPORT = _("尚未录入征信报告摘要，无法核查")

CAPACITY_LABEL = {  # of a borrower who lacks full capacity
    Capacity.LIMITED: _("限制民事行为能力"),
    Capacity.NONE: _("无民事行为能力"),
}


def _result(
    rule: str,
    outcome: Outcome,
    template: str,
    params: Mapping[str, str] | None = None,
    facts: Mapping[str, str] | None = None,
) -> RuleResult:
    return RuleResult(rule, outcome, Problem(rule, template, dict(params or {})), dict(facts or {}))


def _text(value: object) -> str:
    """A fact as text: dates ISO, booleans true/false, None empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def _percent(fraction: Decimal) -> str:
    """0.5 → "50", 0.5001 → "50.01" (at most two places, for messages)."""
    value = round_rate(fraction * 100, 2).normalize()
    return f"{value:f}"


def _is_person(facts: AdmissionFacts) -> bool:
    return facts.customer_kind in NATURAL_PERSONS


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, the day clamped to the month's end
    (2026-01-31 + 1 → 2026-02-28)."""
    return on_day(day.year, day.month - 1 + months, day.day)


def birthday(born: dt.date, years: int) -> dt.date:
    """The ``years``-th birthday; born on 29 February: 28 February in a common year."""
    return add_months(born, 12 * years)


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years (周岁) on ``day``."""
    years = day.year - born.year
    return years - 1 if birthday(born, years) > day else years


# ---- the rules ---------------------------------------------------------------------------


def blacklist(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "blacklist"
    facts = {"blacklisted": _text(f.blacklisted), "blacklist_reason": f.blacklist_reason}
    if not f.blacklisted:
        return _result(rule, Outcome.ADMIT, _("借款人不在本行黑名单上"), facts=facts)
    if not f.blacklist_reason.strip():
        template = _("借款人在本行黑名单上，禁止贷款（贷款通则 第24条）")
        return _result(rule, Outcome.PROHIBIT, template, facts=facts)
    template = _("借款人在本行黑名单上，禁止贷款（贷款通则 第24条）：%(reason)s")
    params = {"reason": f.blacklist_reason.strip()}
    return _result(rule, Outcome.PROHIBIT, template, params, facts)


def capacity(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "capacity"
    facts = {"customer_kind": f.customer_kind, "legal_capacity": f.legal_capacity.value}
    if not _is_person(f):
        return _result(rule, Outcome.ADMIT, NOT_APPLICABLE_ENTERPRISE, facts=facts)
    if f.legal_capacity == Capacity.FULL:
        return _result(rule, Outcome.ADMIT, _("借款人具有完全民事行为能力"), facts=facts)
    template = _("借款人不具有完全民事行为能力（%(capacity)s），不得借款")
    params = {"capacity": CAPACITY_LABEL[f.legal_capacity]}
    return _result(rule, Outcome.PROHIBIT, template, params, facts)


def min_age(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "age.min"
    facts = {
        "customer_kind": f.customer_kind,
        "borrower_birth_date": _text(f.borrower_birth_date),
        "as_of": _text(f.as_of),
        "min_age": str(p.min_age),
    }
    if not _is_person(f):
        return _result(rule, Outcome.ADMIT, NOT_APPLICABLE_ENTERPRISE, facts=facts)
    if f.borrower_birth_date is None:
        return _result(rule, Outcome.PROHIBIT, NO_BIRTH_DATE, facts=facts)
    age = age_on(f.borrower_birth_date, f.as_of)
    facts["age"] = str(age)
    params = {"age": str(age), "min_age": str(p.min_age)}
    if age < p.min_age:
        template = _("借款人年龄 %(age)s 周岁，未满 %(min_age)s 周岁")
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    return _result(rule, Outcome.ADMIT, _("借款人年龄 %(age)s 周岁，符合要求"), params, facts)


def age_at_maturity(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "age.at_maturity"
    maturity = add_months(f.as_of, f.term_months)
    facts = {
        "customer_kind": f.customer_kind,
        "borrower_birth_date": _text(f.borrower_birth_date),
        "borrower_sex": _text(f.borrower_sex),
        "as_of": _text(f.as_of),
        "term_months": str(f.term_months),
        "maturity": _text(maturity),
    }
    if not _is_person(f):
        return _result(rule, Outcome.ADMIT, NOT_APPLICABLE_ENTERPRISE, facts=facts)
    if f.borrower_birth_date is None:
        return _result(rule, Outcome.PROHIBIT, NO_BIRTH_DATE, facts=facts)
    limits = {"M": p.max_age_at_maturity_male, "F": p.max_age_at_maturity_female}
    if f.borrower_sex not in limits:
        template = _("无法核实借款人性别：档案缺少身份证号/性别")
        return _result(rule, Outcome.PROHIBIT, template, facts=facts)
    limit = limits[f.borrower_sex]
    last_day = birthday(f.borrower_birth_date, limit)
    facts |= {"max_age_at_maturity": str(limit), "limit_date": _text(last_day)}
    params = {"maturity": _text(maturity), "limit": str(limit), "birthday": _text(last_day)}
    if maturity > last_day:
        template = _(
            "贷款到期日 %(maturity)s 借款人已超过 %(limit)s 周岁（%(birthday)s 满 %(limit)s "
            "周岁），年龄加贷款期限超过上限"
        )
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    template = _(
        "贷款到期日 %(maturity)s 借款人不超过 %(limit)s 周岁（%(birthday)s 满 %(limit)s 周岁），"
        "符合要求"
    )
    return _result(rule, Outcome.ADMIT, template, params, facts)


def _term_cap(purpose: PurposeClass, long_cycle: bool, p: Policy) -> int | None:
    caps: dict[PurposeClass, tuple[int, int]] = {
        PurposeClass.CONSUMPTION: (p.max_term_consumption, p.max_term_consumption),
        PurposeClass.PERSONAL_BUSINESS: (p.max_term_business, p.max_term_business_long),
        PurposeClass.WORKING_CAPITAL: (p.max_term_working_capital, p.max_term_working_capital_long),
        PurposeClass.FIXED_ASSET: (p.max_term_fixed_asset, p.max_term_fixed_asset),
    }
    if purpose not in caps:
        return None  # farmer loans have no cap of their own
    usual, long = caps[purpose]
    return long if long_cycle else usual


def term_purpose(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "term.purpose"
    facts = {
        "purpose": f.purpose,
        "long_cycle": _text(f.long_cycle),
        "term_months": str(f.term_months),
    }
    if f.purpose not in {c.value for c in PurposeClass}:
        template = _("无法识别贷款用途“%(purpose)s”")
        return _result(rule, Outcome.PROHIBIT, template, {"purpose": f.purpose}, facts)
    purpose = PurposeClass(f.purpose)
    cap = _term_cap(purpose, f.long_cycle, p)
    params = {"purpose": PURPOSE_LABEL[purpose], "term": str(f.term_months)}
    if cap is None:
        template = _("%(purpose)s期限 %(term)s 个月（农户贷款无统一期限上限）")
        return _result(rule, Outcome.ADMIT, template, params, facts)
    facts["max_term"] = str(cap)
    params["cap"] = str(cap)
    if f.term_months > cap:
        template = _("%(purpose)s期限 %(term)s 个月，超过上限 %(cap)s 个月")
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    template = _("%(purpose)s期限 %(term)s 个月，未超过上限 %(cap)s 个月")
    return _result(rule, Outcome.ADMIT, template, params, facts)


def farmer_bullet(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "term.farmer_bullet"
    facts = {
        "customer_kind": f.customer_kind,
        "purpose": f.purpose,
        "term_months": str(f.term_months),
        "repayment_method": f.repayment_method,
        "farmer_bullet_max_term": str(p.farmer_bullet_max_term),
    }
    if f.purpose != PurposeClass.FARMER and f.customer_kind != FARMER:
        return _result(rule, Outcome.ADMIT, _("非农户贷款，不适用"), facts=facts)
    if f.repayment_method != Method.BULLET:
        return _result(rule, Outcome.ADMIT, _("农户贷款未采用利随本清"), facts=facts)
    params = {"term": str(f.term_months), "cap": str(p.farmer_bullet_max_term)}
    if f.term_months > p.farmer_bullet_max_term:
        template = _(
            "农户贷款期限 %(term)s 个月：期限超过 %(cap)s 个月的不得采用利随本清"
            "（农户贷款管理办法）"
        )
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    template = _("农户贷款利随本清，期限 %(term)s 个月，未超过 %(cap)s 个月")
    return _result(rule, Outcome.ADMIT, template, params, facts)


STANCE_RESULT: dict[IndustryStance, tuple[Outcome, str]] = {
    IndustryStance.ENCOURAGED: (Outcome.ADMIT, _("行业 %(code)s 属于鼓励类")),
    IndustryStance.ALLOWED: (Outcome.ADMIT, _("行业 %(code)s 属于允许类")),
    IndustryStance.RESTRICTED: (
        Outcome.PRUDENT,
        _("行业 %(code)s 属于国家产业政策限制类，须审慎准入"),
    ),
    IndustryStance.ELIMINATED: (
        Outcome.PROHIBIT,
        _("行业 %(code)s 属于国家产业政策淘汰类，禁止贷款（贷款通则 第24条）"),
    ),
}


def industry(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "industry"
    code = f.industry_code.strip()
    facts = {
        "customer_kind": f.customer_kind,
        "industry_code": code,
        "industry_stance": _text(f.industry_stance and f.industry_stance.value),
    }
    if not code:
        if f.customer_kind == FARMER:
            return _result(rule, Outcome.ADMIT, _("农户未登记行业代码，不适用"), facts=facts)
        return _result(rule, Outcome.PROHIBIT, _("档案缺少行业代码"), facts=facts)
    if f.industry_stance is None:
        template = _("行业 %(code)s 不在本行行业信贷政策目录中")
        return _result(rule, Outcome.ADMIT, template, {"code": code}, facts)
    outcome, template = STANCE_RESULT[f.industry_stance]
    return _result(rule, outcome, template, {"code": code}, facts)


def required_report_year(as_of: dt.date) -> int:
    """The latest year whose annual report is due by ``as_of``: year Y-1's by 30 June of Y."""
    return as_of.year - 1 if as_of > dt.date(as_of.year, 6, 30) else as_of.year - 2


def licence(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "licence"
    facts: Facts = {"customer_kind": f.customer_kind}
    if f.customer_kind == FARMER:
        return _result(rule, Outcome.ADMIT, _("农户（自然人）无需营业执照"), facts=facts)
    lic = f.licence
    if lic is None:
        return _result(rule, Outcome.PROHIBIT, _("档案缺少营业执照"), facts=facts)
    year = required_report_year(f.as_of)
    facts |= {
        "as_of": _text(f.as_of),
        "registered_on": _text(lic.registered_on),
        "valid_until": _text(lic.valid_until),
        "annual_report": lic.annual_report,
        "annual_report_year": _text(lic.annual_report_year),
        "required_report_year": str(year),
    }
    if lic.valid_until is not None and lic.valid_until < f.as_of:
        template = _("营业执照已于 %(date)s 到期")
        return _result(rule, Outcome.PROHIBIT, template, {"date": _text(lic.valid_until)}, facts)
    if lic.annual_report == "abnormal":
        template = _("被列入经营异常名录（未按时报送年度报告或其他原因）")
        return _result(rule, Outcome.PROHIBIT, template, facts=facts)
    if lic.registered_on > dt.date(year, 12, 31):
        template = _("营业执照有效；%(date)s 成立，尚无须报送年度报告")
        params = {"date": _text(lic.registered_on)}
        return _result(rule, Outcome.ADMIT, template, params, facts)
    params = {"year": str(year), "due": _text(dt.date(year + 1, 6, 30))}
    reported = lic.annual_report_year is not None and lic.annual_report_year >= year
    if lic.annual_report == "not_reported" or not reported:
        template = _("未报送 %(year)s 年度报告（应于 %(due)s 前报送）")
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    template = _("营业执照有效，已报送 %(year)s 年度报告")
    return _result(rule, Outcome.ADMIT, template, params, facts)


def permits(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "permits"
    facts = {
        "as_of": _text(f.as_of),
        "industry_requires_permit": _text(f.industry_requires_permit),
        "permits": "; ".join(f"{x.name}: {_text(x.expires_on)}" for x in f.permits),
    }
    valid = [x.name for x in f.permits if x.expires_on >= f.as_of]
    # A permit renewed under the same name is not expired; the old record stays on file.
    expired = [x.name for x in f.permits if x.expires_on < f.as_of and x.name not in valid]
    if expired:
        template = _("许可证已过期：%(names)s")
        params = {"names": "、".join(dict.fromkeys(expired))}
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    if f.industry_requires_permit and not valid:
        template = _("该行业须取得特许经营许可证，档案中没有有效的许可证")
        return _result(rule, Outcome.PROHIBIT, template, facts=facts)
    if f.industry_requires_permit:
        template = _("特许经营许可证有效：%(names)s")
        return _result(rule, Outcome.ADMIT, template, {"names": "、".join(valid)}, facts)
    return _result(rule, Outcome.ADMIT, _("该行业无需特许经营许可"), facts=facts)


def account(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "account"
    facts = {"customer_kind": f.customer_kind, "account_here": _text(f.account_here)}
    if not f.account_here:
        template = _("须在本行开立结算账户（企业为基本户或一般户）并接受监督")
        return _result(rule, Outcome.PROHIBIT, template, facts=facts)
    return _result(rule, Outcome.ADMIT, _("已在本行开立结算账户"), facts=facts)


def consent(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "credit.consent"
    report = f.credit_report
    facts = {
        "credit_report": _text(report is not None),
        "consent_recorded": _text(report is not None and report.consent_recorded),
    }
    if report is None:
        return _result(rule, Outcome.PROHIBIT, _("尚未录入征信报告摘要"), facts=facts)
    if not report.consent_recorded:
        return _result(rule, Outcome.PROHIBIT, _("未取得客户书面征信查询授权"), facts=facts)
    template = _("已取得客户书面征信查询授权，征信报告摘要已录入")
    return _result(rule, Outcome.ADMIT, template, facts=facts)


def overdue(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "credit.overdue"
    report = f.credit_report
    facts: Facts = {
        "max_consecutive_overdue": str(p.max_consecutive_overdue),
        "max_total_overdue": str(p.max_total_overdue),
    }
    if report is None:
        return _result(rule, Outcome.PROHIBIT, NO_REPORT, facts=facts)
    facts |= {
        "max_consecutive_overdue_24m": str(report.max_consecutive_overdue_24m),
        "total_overdue_24m": str(report.total_overdue_24m),
    }
    params = {
        "consecutive": str(report.max_consecutive_overdue_24m),
        "total": str(report.total_overdue_24m),
        "max_consecutive": str(p.max_consecutive_overdue),
        "max_total": str(p.max_total_overdue),
    }
    too_long = report.max_consecutive_overdue_24m > p.max_consecutive_overdue
    if too_long or report.total_overdue_24m > p.max_total_overdue:
        template = _(
            "征信近 24 个月最长连续逾期 %(consecutive)s 期、累计逾期 %(total)s 次，超过上限"
            "（连续 %(max_consecutive)s 期、累计 %(max_total)s 次；“连三累六”）"
        )
        return _result(rule, Outcome.PROHIBIT, template, params, facts)
    template = _(
        "征信近 24 个月最长连续逾期 %(consecutive)s 期、累计逾期 %(total)s 次，未超过上限"
        "（连续 %(max_consecutive)s 期、累计 %(max_total)s 次）"
    )
    return _result(rule, Outcome.ADMIT, template, params, facts)


def current_overdue(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "credit.current_overdue"
    report = f.credit_report
    if report is None:
        return _result(rule, Outcome.PROHIBIT, NO_REPORT)
    facts = {"current_overdue_amount": str(report.current_overdue_amount)}
    if report.current_overdue_amount > 0:
        template = _("征信显示当前逾期 %(amount)s 元，须审慎准入")
        params = {"amount": _yuan(report.current_overdue_amount)}
        return _result(rule, Outcome.PRUDENT, template, params, facts)
    return _result(rule, Outcome.ADMIT, _("征信显示当前无逾期"), facts=facts)


def other_banks(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "credit.other_banks"
    report = f.credit_report
    facts: Facts = {"max_other_bank_lenders": str(p.max_other_bank_lenders)}
    if report is None:
        return _result(rule, Outcome.PROHIBIT, NO_REPORT, facts=facts)
    facts |= {
        "other_bank_lenders": str(report.other_bank_lenders),
        "other_bank_debt": str(report.other_bank_debt),
    }
    params = {"count": str(report.other_bank_lenders), "limit": str(p.max_other_bank_lenders)}
    if report.other_bank_lenders > p.max_other_bank_lenders:
        template = _("他行授信机构 %(count)s 家，超过上限 %(limit)s 家，须审慎准入")
        return _result(rule, Outcome.PRUDENT, template, params, facts)
    template = _("他行授信机构 %(count)s 家，未超过上限 %(limit)s 家")
    return _result(rule, Outcome.ADMIT, template, params, facts)


def debt_to_income(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "debt_to_income"
    debt = f.credit_report.monthly_debt_service if f.credit_report else Decimal(0)
    payments = debt + f.new_monthly_payment
    facts = {
        "monthly_income": _text(f.monthly_income),
        "monthly_debt_service": str(debt),
        "new_monthly_payment": str(f.new_monthly_payment),
        "max_debt_to_income": str(p.max_debt_to_income),
    }
    if f.monthly_income is None or f.monthly_income <= 0:
        template = _("无法计算月还款额占月收入比例：档案缺少月收入")
        return _result(rule, Outcome.PRUDENT, template, facts=facts)
    ratio = payments / f.monthly_income
    facts["debt_to_income"] = str(round_rate(ratio, 4))
    params = {
        "payments": _yuan(payments),
        "income": _yuan(f.monthly_income),
        "ratio": _percent(round_rate(ratio, 4)),
        "limit": _percent(p.max_debt_to_income),
    }
    if ratio > p.max_debt_to_income:
        template = _(
            "月还款额 %(payments)s 元占月收入 %(income)s 元的 %(ratio)s%%，超过上限 %(limit)s%%，"
            "须审慎准入"
        )
        return _result(rule, Outcome.PRUDENT, template, params, facts)
    template = _(
        "月还款额 %(payments)s 元占月收入 %(income)s 元的 %(ratio)s%%，未超过上限 %(limit)s%%"
    )
    return _result(rule, Outcome.ADMIT, template, params, facts)


def _secured(guarantees: frozenset[str]) -> bool:
    """Some security besides 信用 (保证, 抵押 or 质押)."""
    return bool(guarantees - {CREDIT})


def related_party(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "related_party"
    facts = {"related_party": _text(f.related_party), "guarantees": ",".join(sorted(f.guarantees))}
    if not f.related_party:
        return _result(rule, Outcome.ADMIT, _("借款人不是本行关系人"), facts=facts)
    if not _secured(f.guarantees):
        template = _("借款人是本行关系人，不得发放信用贷款（商业银行法 第40条）")
        return _result(rule, Outcome.PROHIBIT, template, facts=facts)
    template = _(
        "借款人是本行关系人：可发放担保贷款，但条件不得优于其他借款人同类贷款（商业银行法 第40条）"
    )
    return _result(rule, Outcome.ADMIT, template, facts=facts)


def security(f: AdmissionFacts, p: Policy) -> RuleResult:
    rule = "security"
    report = f.credit_report
    facts = {
        "guarantees": ",".join(sorted(f.guarantees)),
        "amount": str(f.amount),
        "max_unsecured_amount": str(p.max_unsecured_amount),
        "current_overdue_amount": _text(report and report.current_overdue_amount),
        "total_overdue_24m": _text(report and report.total_overdue_24m),
    }
    if not f.guarantees:
        return _result(rule, Outcome.PROHIBIT, _("未选择担保方式"), facts=facts)
    if _secured(f.guarantees):
        return _result(rule, Outcome.ADMIT, _("已提供保证、抵押或质押担保"), facts=facts)
    params = {"amount": _yuan(f.amount), "limit": _yuan(p.max_unsecured_amount)}
    too_much = f.amount > p.max_unsecured_amount
    # Without a report the record is unknown: ``credit.consent`` already prohibits then.
    record = report is not None and (
        report.current_overdue_amount > 0 or report.total_overdue_24m > 0
    )
    if report is not None:
        params |= {"current": _yuan(report.current_overdue_amount)}
        params |= {"count": str(report.total_overdue_24m)}
    if too_much and record:
        template = _(
            "信用贷款条件不满足，须提供保证、抵押或质押担保：金额 %(amount)s 元超过信用贷款上限 "
            "%(limit)s 元；征信有逾期记录（当前逾期 %(current)s 元，近 24 个月逾期 %(count)s 次）"
        )
    elif too_much:
        template = _(
            "信用贷款条件不满足，须提供保证、抵押或质押担保：金额 %(amount)s 元超过信用贷款上限 "
            "%(limit)s 元"
        )
    elif record:
        template = _(
            "信用贷款条件不满足，须提供保证、抵押或质押担保：征信有逾期记录（当前逾期 %(current)s "
            "元，近 24 个月逾期 %(count)s 次）"
        )
    else:
        template = _("信用贷款金额 %(amount)s 元未超过上限 %(limit)s 元，征信无逾期记录")
        return _result(rule, Outcome.ADMIT, template, params, facts)
    return _result(rule, Outcome.PROHIBIT, template, params, facts)


Rule = Callable[[AdmissionFacts, Policy], RuleResult]

RULES: tuple[Rule, ...] = (
    blacklist,
    capacity,
    min_age,
    age_at_maturity,
    term_purpose,
    farmer_bullet,
    industry,
    licence,
    permits,
    account,
    consent,
    overdue,
    current_overdue,
    other_banks,
    debt_to_income,
    related_party,
    security,
)
