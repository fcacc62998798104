"""Whether a period's statements add up (pure): subtotals against their detail lines, the
income statement's steps, and assets = liabilities + equity, each within ¥1. A check adds the
detail lines that are given (a blank line of a balance sheet carries no balance) and runs only
when the total and at least one detail line are given. Problems are warnings, never failures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from xindai.analysis.statements import BalanceSheet, EnterpriseStatements, items_of
from xindai.core.problems import Problem
from xindai.core.problems import mark as _

TOLERANCE = Decimal(1)  # ¥1: statements are often kept in whole yuan


@dataclass(frozen=True)
class _Check:
    section: str
    total: str
    parts: tuple[tuple[str, int], ...]  # (item, +1 or -1)
    required: tuple[str, ...] = ()  # parts that must be given for the check to run
    # ... and at least one of the other parts: a blank detail line counts as 0

    def run(self, statement: Any) -> Problem | None:
        total = getattr(statement, self.total)
        values = [(getattr(statement, key), sign) for key, sign in self.parts]
        if total is None or any(getattr(statement, key) is None for key in self.required):
            return None
        optional = [
            getattr(statement, key) for key, _sign in self.parts if key not in self.required
        ]
        if optional and all(value is None for value in optional):
            return None  # no detail line given: nothing to add up
        computed = sum((value * sign for value, sign in values if value is not None), Decimal(0))
        if abs(total - computed) <= TOLERANCE:
            return None
        label = next(i.label for i in items_of(type(statement)) if i.key == self.total)
        params = {"item": label, "total": _yuan(total), "sum": _yuan(computed)}
        params["difference"] = _yuan(total - computed)
        return Problem(f"{self.section}.{self.total}", SUBTOTAL_OFF, params)


SUBTOTAL_OFF = _("%(item)s %(total)s 元与各分项计算值 %(sum)s 元相差 %(difference)s 元")
UNBALANCED = _(
    "资产总计 %(assets)s 元不等于负债合计与所有者权益合计之和 %(sum)s 元（相差 %(difference)s 元）"
)

_CURRENT_ASSETS: tuple[str, ...] = (
    "cash",
    "short_term_investments",
    "notes_receivable",
    "accounts_receivable",
    "prepayments",
    "other_receivables",
    "inventory",
    "other_current_assets",
)
_NON_CURRENT_ASSETS: tuple[str, ...] = (
    "long_term_equity_investments",
    "fixed_assets",
    "construction_in_progress",
    "intangible_assets",
    "other_non_current_assets",
)
_CURRENT_LIABILITIES: tuple[str, ...] = (
    "short_term_loans",
    "notes_payable",
    "accounts_payable",
    "advances_from_customers",
    "payroll_payable",
    "taxes_payable",
    "other_payables",
    "other_current_liabilities",
)
_NON_CURRENT_LIABILITIES = (
    "long_term_loans",
    "long_term_payables",
    "other_non_current_liabilities",
)
_EQUITY = ("paid_in_capital", "capital_reserve", "surplus_reserve", "retained_earnings")


def _plus(*keys: str) -> tuple[tuple[str, int], ...]:
    return tuple((key, 1) for key in keys)


_BS = "balance_sheet"
_IS = "income_statement"
_CHECKS: tuple[_Check, ...] = (
    _Check(_BS, "total_current_assets", _plus(*_CURRENT_ASSETS)),
    _Check(
        _BS,
        "total_assets",
        _plus("total_current_assets", *_NON_CURRENT_ASSETS),
        ("total_current_assets",),
    ),
    _Check(_BS, "total_current_liabilities", _plus(*_CURRENT_LIABILITIES)),
    _Check(
        _BS,
        "total_liabilities",
        _plus("total_current_liabilities", *_NON_CURRENT_LIABILITIES),
        ("total_current_liabilities",),
    ),
    _Check(_BS, "total_equity", _plus(*_EQUITY)),
    _Check(
        _BS,
        "total_liabilities_and_equity",
        _plus("total_liabilities", "total_equity"),
        ("total_liabilities", "total_equity"),
    ),
    _Check(
        _IS,
        "operating_profit",
        (
            ("revenue", 1),
            ("cost_of_sales", -1),
            ("taxes_and_surcharges", -1),
            ("selling_expenses", -1),
            ("admin_expenses", -1),
            ("finance_costs", -1),
            ("investment_income", 1),
        ),
        ("revenue",),
    ),
    _Check(
        _IS,
        "total_profit",
        (("operating_profit", 1), ("non_operating_income", 1), ("non_operating_expenses", -1)),
        ("operating_profit",),
    ),
    _Check(_IS, "net_profit", (("total_profit", 1), ("income_tax", -1)), ("total_profit",)),
    _Check(
        "cash_flow",
        "net_increase_in_cash",
        _plus("operating_net", "investing_net", "financing_net"),
        ("operating_net", "investing_net", "financing_net"),
    ),
)


def check(statements: EnterpriseStatements) -> list[Problem]:
    """Warnings where the statements do not add up (empty: they do, as far as given)."""
    sections = {
        _BS: statements.balance_sheet,
        _IS: statements.income,
        "cash_flow": statements.cash_flow,
    }
    found = [p for check in _CHECKS if (p := check.run(sections[check.section])) is not None]
    balance = _balance_problem(statements.balance_sheet)
    return ([balance] if balance else []) + found


def _balance_problem(sheet: BalanceSheet) -> Problem | None:
    assets, liabilities, equity = sheet.total_assets, sheet.total_liabilities, sheet.total_equity
    if assets is None or liabilities is None or equity is None:
        return None
    difference = assets - (liabilities + equity)
    if abs(difference) <= TOLERANCE:
        return None
    params = {
        "assets": _yuan(assets),
        "sum": _yuan(liabilities + equity),
        "difference": _yuan(difference),
    }
    return Problem("balance_sheet.total_assets", UNBALANCED, params)


def _yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"
