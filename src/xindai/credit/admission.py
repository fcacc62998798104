"""The admission engine (准入 / 禁入 / 审慎), pure: facts + policy → a decision with reasons.

The outline's 第二部分 四 and ``shared/RULES.md``: each rule looks at named facts and gives
``admit``, ``prudent`` (allowed only after a branch head escalates it with a reason) or
``prohibit``. The decision is the worst outcome over all rules; every rule's result is kept,
passed ones too, so the page shows the whole checklist and the facts each rule used.

Facts come from the application, the archive and the credit-report summary; gathering them
from the database is ``services``' job, not this module's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.credit.policy import Policy


class Outcome(StrEnum):
    ADMIT = "admit"  # 准入
    PRUDENT = "prudent"  # 审慎
    PROHIBIT = "prohibit"  # 禁入


SEVERITY = {Outcome.ADMIT: 0, Outcome.PRUDENT: 1, Outcome.PROHIBIT: 2}


class Capacity(StrEnum):
    """民事行为能力 of a natural-person borrower, as checked at intake."""

    FULL = "full"
    LIMITED = "limited"
    NONE = "none"


class IndustryStance(StrEnum):
    """The bank's stance on an industry (国家产业政策 catalogue)."""

    ENCOURAGED = "encouraged"  # 鼓励
    ALLOWED = "allowed"  # 允许
    RESTRICTED = "restricted"  # 限制
    ELIMINATED = "eliminated"  # 淘汰


@dataclass(frozen=True)
class LicenceFacts:
    registered_on: dt.date
    valid_until: dt.date | None  # None: long-term (长期)
    annual_report: str  # reported / not_reported / abnormal (customers.AnnualReport)
    annual_report_year: int | None


@dataclass(frozen=True)
class PermitFacts:
    name: str
    expires_on: dt.date


@dataclass(frozen=True)
class CreditReportFacts:
    """征信摘要, entered by the manager from the credit report he queried with consent."""

    consent_recorded: bool  # the customer's written authorisation for this query
    max_consecutive_overdue_24m: int  # longest run of overdue periods in the last 24 months
    total_overdue_24m: int  # overdue occurrences in the last 24 months
    current_overdue_amount: Decimal  # overdue now, at any bank
    other_bank_lenders: int  # institutions other than this bank with credit outstanding
    other_bank_debt: Decimal  # balance owed to them
    monthly_debt_service: Decimal  # what the borrower pays them per month


@dataclass(frozen=True)
class AdmissionFacts:
    as_of: dt.date  # the business date of the check
    customer_kind: str  # farmer / business / enterprise
    # The natural person who borrows (farmer: the household head; business: the operator);
    # None for an enterprise, or when the archive does not say.
    borrower_birth_date: dt.date | None
    borrower_sex: str | None  # "M" / "F"
    legal_capacity: Capacity
    amount: Decimal
    term_months: int
    purpose: str  # products.domain.PurposeClass value
    long_cycle: bool  # the product allows the longer term of a long cash-flow cycle
    repayment_method: str  # loans.schedule.Method value
    guarantees: frozenset[str]  # credit / guarantee / mortgage / pledge
    industry_code: str  # GB/T 4754, may be empty for farmers
    industry_stance: IndustryStance | None  # None: not in the catalogue
    industry_requires_permit: bool
    licence: LicenceFacts | None
    permits: tuple[PermitFacts, ...]
    account_here: bool  # a settlement / basic / general account at this bank
    credit_report: CreditReportFacts | None
    monthly_income: Decimal | None  # household or business, from the archive
    new_monthly_payment: Decimal  # the applied loan's largest regular payment, monthly
    related_party: bool  # 关系人 of the bank (商业银行法 第40条)
    blacklisted: bool
    blacklist_reason: str = ""


@dataclass(frozen=True)
class RuleResult:
    rule: str  # a stable rule id, e.g. "age.at_maturity"
    outcome: Outcome
    message: Problem  # field = the rule id; the Chinese template, translated where shown
    facts: Mapping[str, str] = field(default_factory=dict)  # the facts used, as text


@dataclass(frozen=True)
class Decision:
    outcome: Outcome
    results: tuple[RuleResult, ...]

    @property
    def unmet(self) -> tuple[RuleResult, ...]:
        return tuple(r for r in self.results if r.outcome != Outcome.ADMIT)


def evaluate(facts: AdmissionFacts, policy: Policy) -> Decision:
    """Every rule on these facts under this policy; the outcome is the worst of them."""
    from xindai.credit.admission_rules import RULES  # the rules read this module's types

    results = tuple(rule(facts, policy) for rule in RULES)
    outcome = max((r.outcome for r in results), key=SEVERITY.__getitem__, default=Outcome.ADMIT)
    return Decision(outcome, results)
