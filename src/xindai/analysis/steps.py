"""The shape of a credit-limit calculation (pure): the method, its steps (label, formula with
the figures put in, value) and the limit, and how figures are written into formulas."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from xindai.analysis.definitions import YUAN
from xindai.core.money import round_rate
from xindai.core.problems import Problem
from xindai.core.problems import mark as _


class LimitMethod(StrEnum):
    WORKING_CAPITAL = "working_capital"
    CASH_FLOW = "cash_flow"
    COLLATERAL = "collateral"


METHOD_LABELS: dict[LimitMethod, str] = {
    LimitMethod.WORKING_CAPITAL: _("流动资金需求测算"),
    LimitMethod.CASH_FLOW: _("可支配现金流测算"),
    LimitMethod.COLLATERAL: _("抵质押物测算"),
}


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    formula: Problem  # the formula with the figures put in; ``formula.text(gettext)``
    value: Decimal
    unit: str = YUAN


@dataclass(frozen=True)
class LimitResult:
    method: LimitMethod
    steps: tuple[Step, ...]
    limit: Decimal | None  # None: the method does not apply, ``reason`` says why
    reason: Problem | None = None

    @property
    def label(self) -> str:
        return METHOD_LABELS[self.method]


def formula_of(key: str, template: str, **values: str) -> Problem:
    """A formula with the figures put in, translated where shown."""
    return Problem(key, template, values)


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f}"


def figure(value: Decimal) -> str:
    """Days, times, multiples: at most two decimals, no trailing zeros (90, 3.71)."""
    return f"{round_rate(value, 2).normalize():f}"


def percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"
