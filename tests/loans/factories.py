"""Loan terms with keyword arguments: a 100,000 yuan, 4.35%, 12-month loan from 2026-01-15."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from xindai.loans.schedule import LoanTerms, Method


def terms(**fields: Any) -> LoanTerms:
    values: dict[str, Any] = {
        "principal": Decimal("100000"),
        "annual_rate": Decimal("0.0435"),
        "periods": 12,
        "method": Method.EQUAL_INSTALLMENT,
        "start": dt.date(2026, 1, 15),
    }
    values.update(fields)
    return LoanTerms(**values)


def d(text: str) -> Decimal:
    return Decimal(text)
