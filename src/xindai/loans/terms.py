"""Loan terms from user input, and a schedule as JSON: the one parser and the one serialisation
shared by ``xindai schedule``, ``POST /api/v1/schedules/preview`` and the 贷款试算 page.

``parse_terms`` takes a mapping of field name → value (strings from a form or the command line,
or numbers from JSON) and either returns ``LoanTerms`` or raises ``FormInvalid`` whose
``details`` maps each bad field to its Chinese messages. A ``first_due_day`` without a
``due_day_rule`` means the fixed-day rule. The rate is checked against 4 × the 1-year LPR in
force on the start date, read from the LPR table: this module is an edge, not pure domain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from django.utils.translation import gettext

from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import by_field
from xindai.core.problems import mark as _
from xindai.loans.schedule import (
    CHOICE_LABELS,
    MAX_PERIODS,
    DayCount,
    DueDayRule,
    Frequency,
    InterestBasis,
    LoanTerms,
    Method,
    Schedule,
    annualised_rate,
    problems_of,
)
from xindai.products.lpr import lpr_on

LPR_MULTIPLE_CEILING = 4

E = TypeVar("E", bound=StrEnum)


class _Missing(Exception):
    pass


class _Bad(Exception):
    """A field's value could not be read; the message says how it should look."""


def parse_terms(data: Mapping[str, object]) -> LoanTerms:
    """``LoanTerms`` from user input, or ``FormInvalid`` listing every bad field at once."""
    values, errors = _read(data)
    ceiling = _rate_ceiling(values["start"], errors) if "start" in values else None
    unreadable = set(errors)
    # Fields that could not be read stand in as harmless placeholders, so that the rules on
    # the readable ones are reported in the same answer.
    terms = LoanTerms(**{**_PLACEHOLDERS, **values})
    found = by_field(problems_of(terms, max_annual_rate=ceiling), gettext)
    for field, messages in found.items():
        if field not in unreadable:
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise FormInvalid(_summary(errors), details=errors)
    return terms


def _read(data: Mapping[str, object]) -> tuple[dict[str, Any], dict[str, list[str]]]:
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for field, reader, required in _FIELDS:
        raw = data.get(field)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                errors[field] = [gettext("必填")]
            continue
        try:
            values[field] = reader(raw)
        except _Bad as exc:
            errors[field] = [str(exc)]
    if "first_due_day" in values and "due_day_rule" not in values and "due_day_rule" not in errors:
        values["due_day_rule"] = DueDayRule.FIXED_DAY
    return values, errors


_PLACEHOLDERS: dict[str, Any] = {
    "principal": Decimal(1),
    "annual_rate": Decimal(0),
    "periods": MAX_PERIODS,
    "method": Method.EQUAL_INSTALLMENT,
    "start": dt.date(2000, 1, 1),
}


def _rate_ceiling(start: dt.date, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        return LPR_MULTIPLE_CEILING * lpr_on(start).one_year
    except DomainError as exc:
        errors.setdefault("start", []).append(exc.message)
        return None


def _summary(errors: dict[str, list[str]]) -> str:
    return "；".join(message for messages in errors.values() for message in messages)


def _decimal(raw: object, hint: str) -> Decimal:
    if isinstance(raw, bool):
        raise _Bad(gettext(hint))
    if isinstance(raw, float):
        raw = repr(raw)  # 0.0435 from JSON means the decimal 0.0435, not the nearest binary
    try:
        value = Decimal(str(raw).strip().replace(",", ""))
    except InvalidOperation as exc:
        raise _Bad(gettext(hint)) from exc
    if not value.is_finite():
        raise _Bad(gettext(hint))
    return value


def _integer(raw: object, hint: str) -> int:
    if isinstance(raw, bool):
        raise _Bad(gettext(hint))
    if isinstance(raw, int):
        return raw
    text = str(raw).strip()
    if not text.lstrip("-").isdigit() or len(text) > 6:
        raise _Bad(gettext(hint))
    return int(text)


def _choice(kind: type[E]) -> Callable[[object], E]:
    def read(raw: object) -> E:
        try:
            return kind(str(raw).strip())
        except ValueError as exc:
            options = "、".join(choice.value for choice in kind)
            message = gettext("未知的%(label)s：%(value)s（可选：%(options)s）")
            values = {"label": gettext(CHOICE_LABELS[kind]), "value": raw, "options": options}
            raise _Bad(message % values) from exc

    return read


def _date(raw: object) -> dt.date:
    if isinstance(raw, dt.datetime):
        raise _Bad(gettext("日期格式应为 YYYY-MM-DD"))
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise _Bad(gettext("日期格式应为 YYYY-MM-DD，例如 2026-01-15")) from exc


_FIELDS: tuple[tuple[str, Callable[[object], Any], bool], ...] = (
    ("principal", lambda raw: _decimal(raw, _("贷款本金应为金额数字，例如 100000")), True),
    ("annual_rate", lambda raw: _decimal(raw, _("年利率应为小数，例如 0.0435（即 4.35%）")), True),
    ("periods", lambda raw: _integer(raw, _("期数应为整数")), True),
    ("method", _choice(Method), True),
    ("start", _date, True),
    ("frequency", _choice(Frequency), False),
    ("due_day_rule", _choice(DueDayRule), False),
    ("first_due_day", lambda raw: _integer(raw, _("还款日应为 1 到 31 之间的整数")), False),
    ("interest_basis", _choice(InterestBasis), False),
    ("day_count", _choice(DayCount), False),
    ("rounding_multiple", lambda raw: _decimal(raw, _("取整单位应为 0.01 或 1")), False),
    ("grace_periods", lambda raw: _integer(raw, _("宽限期应为整数")), False),
)


def schedule_json(schedule: Schedule) -> dict[str, Any]:
    """The schedule as JSON-ready data: amounts as strings with two decimals, the annualised
    rate as a fraction string with six decimals."""
    return {
        "rows": [
            {
                "period": row.period,
                "due_date": row.due_date.isoformat(),
                "days": row.days,
                "principal": _amount(row.principal),
                "interest": _amount(row.interest),
                "payment": _amount(row.payment),
                "balance": _amount(row.balance),
            }
            for row in schedule.rows
        ],
        "totals": {
            "principal": _amount(schedule.total_principal),
            "interest": _amount(schedule.total_interest),
            "payment": _amount(schedule.total_payment),
            "annualised_rate": f"{annualised_rate(schedule):.6f}",
        },
    }


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"  # already whole fen: formatting only, no rounding
