"""A small manufacturer's statements for two year-ends, made up so that every ratio can be
worked out by hand (the arithmetic is in tests/analysis/test_ratios.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from xindai.analysis.statements import (
    BalanceSheet,
    EnterpriseStatements,
    IncomeStatement,
    Period,
    Supplement,
)

D = Decimal

BALANCE_2022 = {
    "accounts_receivable": "80000",
    "prepayments": "10000",
    "inventory": "150000",
    "total_assets": "900000",
    "accounts_payable": "60000",
    "advances_from_customers": "20000",
    "total_equity": "400000",
}
BALANCE_2023 = {
    "cash": "100000",
    "accounts_receivable": "120000",
    "prepayments": "30000",
    "inventory": "250000",
    "total_current_assets": "500000",  # 100,000 + 120,000 + 30,000 + 250,000
    "fixed_assets": "500000",
    "total_assets": "1000000",
    "short_term_loans": "200000",
    "accounts_payable": "100000",
    "advances_from_customers": "40000",
    "other_payables": "60000",
    "total_current_liabilities": "400000",  # 200,000 + 100,000 + 40,000 + 60,000
    "long_term_loans": "200000",
    "total_liabilities": "600000",
    "paid_in_capital": "300000",
    "retained_earnings": "100000",
    "total_equity": "400000",
    "total_liabilities_and_equity": "1000000",
}
INCOME_2023 = {
    "revenue": "1200000",
    "cost_of_sales": "900000",
    "taxes_and_surcharges": "12000",
    "selling_expenses": "48000",
    "admin_expenses": "60000",
    "finance_costs": "20000",  # interest 24,000 less interest income 4,000
    "interest_expense": "24000",
    "operating_profit": "160000",  # 1,200,000 − 900,000 − 12,000 − 48,000 − 60,000 − 20,000
    "non_operating_expenses": "10000",
    "total_profit": "150000",
    "income_tax": "37500",
    "net_profit": "112500",
}
SUPPLEMENT_2023 = {"depreciation_amortisation": "50000", "principal_due": "100000"}


def _section(cls: type, values: dict[str, str]) -> Any:
    """The section with the values given; a None value leaves the item out (not given)."""
    return cls(**{key: D(value) for key, value in values.items() if value is not None})


def year_2022() -> EnterpriseStatements:
    return EnterpriseStatements(Period(dt.date(2022, 12, 31)), _section(BalanceSheet, BALANCE_2022))


def year_2023(**changes: Any) -> EnterpriseStatements:
    return EnterpriseStatements(
        Period(dt.date(2023, 12, 31), changes.pop("months", 12)),
        _section(BalanceSheet, {**BALANCE_2023, **changes.pop("balance", {})}),
        _section(IncomeStatement, {**INCOME_2023, **changes.pop("income", {})}),
        supplement=_section(Supplement, {**SUPPLEMENT_2023, **changes.pop("supplement", {})}),
    )


def statements_file() -> dict[str, Any]:
    """The two years as a statements file of ``xindai ratios``."""
    return {
        "periods": [
            {"end": "2022-12-31", "balance_sheet": BALANCE_2022},
            {
                "end": "2023-12-31",
                "months": 12,
                "balance_sheet": BALANCE_2023,
                "income_statement": INCOME_2023,
                "supplement": SUPPLEMENT_2023,
            },
        ]
    }
