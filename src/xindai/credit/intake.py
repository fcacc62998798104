"""Intake rules (申请受理), pure: does the application fit its product, which documents it
needs, and by when the bank must answer (贷款通则 第23条)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.policy import Policy
from xindai.loans.daycount import on_day


@dataclass(frozen=True)
class ProductTerms:
    """What a product allows (from ``products.LoanProduct``)."""

    name: str
    purpose: str
    customer_kinds: frozenset[str]
    min_amount: Decimal
    max_amount: Decimal
    min_term: int
    max_term: int
    methods: frozenset[str]
    guarantees: frozenset[str]
    active: bool = True


@dataclass(frozen=True)
class Request:
    customer_kind: str
    amount: Decimal
    term_months: int
    purpose: str
    repayment_method: str
    guarantees: frozenset[str]


def product_fit(product: ProductTerms, request: Request) -> list[Problem]:
    """Where the request leaves the product's limits (empty: it fits)."""
    name = {"product": product.name}
    found: list[Problem] = []
    if not product.active:
        found.append(Problem("product", _("产品“%(product)s”已停售"), name))
    if request.customer_kind not in product.customer_kinds:
        found.append(Problem("product", _("产品“%(product)s”不适用于该类客户"), name))
    if not product.min_amount <= request.amount <= product.max_amount:
        limits = {"min": f"{product.min_amount:,.2f}", "max": f"{product.max_amount:,.2f}"}
        found.append(Problem("amount", _("申请金额须在 %(min)s 元至 %(max)s 元之间"), limits))
    if not product.min_term <= request.term_months <= product.max_term:
        limits = {"min": str(product.min_term), "max": str(product.max_term)}
        found.append(Problem("term_months", _("期限须在 %(min)s 至 %(max)s 个月之间"), limits))
    if request.purpose != product.purpose:
        found.append(Problem("purpose", _("用途类别与产品“%(product)s”不一致"), name))
    if request.repayment_method not in product.methods:
        found.append(Problem("repayment_method", _("该产品不支持所选还款方式"), name))
    if not request.guarantees:
        found.append(Problem("guarantee_methods", _("请选择担保方式")))
    elif not request.guarantees <= product.guarantees:
        found.append(Problem("guarantee_methods", _("该产品不支持所选担保方式"), name))
    return found


# Documents an application needs in the archive (DocumentType values), by customer kind, and
# by what the application involves. A bank adjusts these lists here.
_BY_KIND: dict[str, tuple[str, ...]] = {
    "farmer": ("id_card", "household_register"),
    "business": ("licence", "id_card", "bank_statement"),
    "enterprise": ("licence", "articles", "statement", "bank_statement"),
}
_FARM_PURPOSE = ("land_contract",)
_MORTGAGE = ("property",)


def checklist(customer_kind: str, purpose: str, guarantees: frozenset[str]) -> tuple[str, ...]:
    """The document types the archive must hold to accept this application."""
    needed = list(_BY_KIND.get(customer_kind, ()))
    if purpose == "farmer":
        needed += _FARM_PURPOSE
    if "mortgage" in guarantees:
        needed += _MORTGAGE
    return tuple(dict.fromkeys(needed))


def is_short_term(term_months: int, policy: Policy) -> bool:
    return term_months <= policy.short_term_max_months


def answer_due(submitted_on: dt.date, term_months: int, policy: Policy) -> dt.date:
    """贷款通则 第23条: answer a short-term application within 1 month, a medium or long-term
    one within 6 months (policy), counted in calendar months from submission (1-31 → 2-28)."""
    months = (
        policy.answer_months_short
        if is_short_term(term_months, policy)
        else policy.answer_months_long
    )
    return on_day(submitted_on.year, submitted_on.month - 1 + months, submitted_on.day)
