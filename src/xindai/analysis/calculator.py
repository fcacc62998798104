"""The ratio and credit-limit calculators behind ``xindai ratios`` and the API: JSON-like data
in, JSON-ready data out, one function each so that every surface shows the same figures.

An edge, not pure domain: it reads the industry bounds and the credit policy from the
database, checks the loan terms with :mod:`xindai.loans.terms` (rate within 4 × LPR) and
translates with gettext. Bad input raises ``FormInvalid`` whose ``details`` map the path of
each bad value (``periods[0].balance_sheet.cash``, ``cash_flow.monthly_income``) to messages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext

from xindai.analysis import limits, ratios, report, schema, services
from xindai.analysis.thresholds import CollateralKind
from xindai.core import business_date
from xindai.core.errors import FormInvalid
from xindai.core.problems import Problem, by_field
from xindai.core.problems import mark as _
from xindai.loans.schedule import MAX_PRINCIPAL
from xindai.loans.terms import parse_terms


def invalid(details: dict[str, list[str]]) -> FormInvalid:
    summary = "；".join(
        f"{field}：{m}" if field else m for field, ms in details.items() for m in ms
    )
    return FormInvalid(gettext("数据有误：%(details)s") % {"details": summary}, details=details)


def ratios_report(data: object) -> dict[str, Any]:
    """Ratios per period, flags and trend of a statements file (``schema.parse_request``),
    with the bounds of its industry (``IndustryThreshold``) and its own overrides."""
    try:
        request = schema.parse_request(data)
    except schema.InvalidData as exc:
        raise invalid(by_field(exc.problems, gettext)) from exc
    bounds, prefix = services.thresholds_for(request.industry_code)
    analysis = ratios.analyse(request.periods, bounds.with_overrides(request.thresholds))
    return report.analysis_json(
        analysis, gettext, industry_code=request.industry_code, industry_threshold=prefix
    )


# ---- credit limit -----------------------------------------------------------------------------

NOT_NUMBER = _("应为数字，例如 0.15")
NOT_FRACTION = _("比例以小数表示（15% 写作 0.15）")
NOT_POSITIVE = _("应大于 0")
NOT_KIND = _("未知的押品类型（可选：%(options)s）")
NOTHING_TO_COMPUTE = _("请至少提供一种测算方法（working_capital、cash_flow、collateral）的数据")

_TOP = frozenset({"as_of", "working_capital", "cash_flow", "collateral", "guarantor"})
_WC_REQUIRED: tuple[str, ...] = (
    "sales",
    "sales_margin",
    "growth",
    "inventory_days",
    "receivable_days",
    "payable_days",
)
_WC_DAYS: tuple[str, ...] = (
    "inventory_days",
    "receivable_days",
    "payable_days",
    "prepayment_days",
    "advance_days",
)
_WC_AMOUNTS = ("own_funds", "existing_loans", "other_financing")
_WC_KEYS = frozenset({"sales", "sales_margin", "growth", *_WC_DAYS, *_WC_AMOUNTS})
_TERMS: tuple[str, ...] = (
    "annual_rate",
    "periods",
    "method",
    "start",
    "frequency",
    "due_day_rule",
    "first_due_day",
    "interest_basis",
    "day_count",
    "rounding_multiple",
    "grace_periods",
)
_CF_KEYS = frozenset(
    {
        "monthly_income",
        "monthly_living_costs",
        "monthly_debt_service",
        "max_debt_service_ratio",
        "max_principal",
        *_TERMS,
    }
)
_COLLATERAL_KEYS = frozenset({"kind", "appraised_value", "description"})
_GUARANTOR_KEYS = frozenset({"net_assets", "guarantees_given", "amount", "multiple"})


class _Reader:
    """Reads the request, collecting every problem (translated) by the path of its value."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, template: str, **params: str) -> None:
        self.errors.setdefault(path, []).append(Problem(path, template, params).text(gettext))

    def section(self, raw: object, path: str, keys: frozenset[str]) -> Mapping[str, Any] | None:
        if raw is None:
            return None
        if not isinstance(raw, Mapping):
            self.fail(path, schema.NOT_OBJECT)
            return None
        for key in raw:
            if key not in keys:
                self.fail(f"{path}.{key}", schema.UNKNOWN_ITEM)
        return raw

    def amount(
        self, data: Mapping[str, Any], key: str, path: str, *, signed: bool = False
    ) -> Decimal | None:
        raw = data.get(key)
        if raw is None or raw == "":
            self.fail(f"{path}.{key}", schema.REQUIRED)
            return None
        try:
            return schema.parse_amount(raw, signed=signed)
        except schema.BadValue as bad:
            self.fail(f"{path}.{key}", bad.template)
            return None

    def optional_amount(self, data: Mapping[str, Any], key: str, path: str) -> Decimal | None:
        return None if data.get(key) in (None, "") else self.amount(data, key, path)

    def number(
        self, data: Mapping[str, Any], key: str, path: str, *, required: bool = True
    ) -> Decimal | None:
        raw = data.get(key)
        if raw is None or raw == "":
            if required:
                self.fail(f"{path}.{key}", schema.REQUIRED)
            return None
        try:
            return schema.parse_decimal(raw, NOT_NUMBER)
        except schema.BadValue as bad:
            self.fail(f"{path}.{key}", bad.template)
            return None

    def non_negative(self, data: Mapping[str, Any], key: str, path: str, **kw: Any) -> Any:
        value = self.number(data, key, path, **kw)
        if value is not None and value < 0:
            self.fail(f"{path}.{key}", schema.NEGATIVE)
            return None
        return value


def credit_limit_report(data: object) -> dict[str, Any]:
    """Each method given, step by step, the suggestion (the smallest) and, when asked, the
    guarantor's capacity."""
    reader = _Reader()
    if not isinstance(data, Mapping):
        raise invalid({"": [gettext(schema.NOT_OBJECT)]})
    for key in data:
        if key not in _TOP:
            reader.fail(str(key), schema.UNKNOWN_ITEM)
    as_of = _as_of(reader, data.get("as_of"))
    working = _working_capital(reader, data.get("working_capital"))
    cash = _cash_flow(reader, data.get("cash_flow"), as_of)
    collateral = _collateral(reader, data.get("collateral"))
    guarantor = _guarantor(reader, data.get("guarantor"))
    if not reader.errors and working is cash is collateral is guarantor is None:
        reader.fail("", NOTHING_TO_COMPUTE)
    if reader.errors:
        raise invalid(reader.errors)
    results = []
    if working is not None:
        results.append(limits.working_capital(working))
    if cash is not None:
        results.append(limits.cash_flow(cash))
    if collateral is not None:
        results.append(limits.secured(collateral))
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "methods": [report.limit_json(result, gettext) for result in results],
        "suggestion": report.suggestion_json(limits.suggest(results), gettext),
        "guarantor": report.guarantor_json(guarantor, gettext) if guarantor else None,
    }


def _as_of(reader: _Reader, raw: object) -> dt.date | None:
    if raw is None or raw == "":
        return business_date.current_or_none() or timezone.localdate()
    period, problems = schema.parse_period({"end": raw}, "")
    if period is None:
        for problem in problems:
            reader.fail("as_of", problem.template)
        return None
    return period.end


def _working_capital(reader: _Reader, raw: object) -> limits.WorkingCapitalInputs | None:
    path = "working_capital"
    data = reader.section(raw, path, _WC_KEYS)
    if data is None:
        return None
    values: dict[str, Any] = {
        "sales": reader.amount(data, "sales", path),
        "sales_margin": reader.number(data, "sales_margin", path),
        "growth": reader.number(data, "growth", path),
    }
    for key in _WC_DAYS:
        values[key] = reader.non_negative(data, key, path, required=key in _WC_REQUIRED)
    for key in _WC_AMOUNTS:
        values[key] = reader.optional_amount(data, key, path)
    if any(values[key] is None for key in _WC_REQUIRED):
        return None
    given = {key: value for key, value in values.items() if value is not None}
    return limits.WorkingCapitalInputs(**given)


def _cash_flow(reader: _Reader, raw: object, as_of: dt.date | None) -> limits.CashFlowInputs | None:
    path = "cash_flow"
    data = reader.section(raw, path, _CF_KEYS)
    if data is None:
        return None
    income = reader.amount(data, "monthly_income", path, signed=True)
    living = reader.amount(data, "monthly_living_costs", path)
    debt = reader.amount(data, "monthly_debt_service", path)
    ratio = _ratio(reader, data, path)
    cap = reader.optional_amount(data, "max_principal", path)
    terms = _terms(reader, data, path, as_of)
    if None in (income, living, debt, ratio, terms):
        return None
    assert income is not None and living is not None and debt is not None
    assert ratio is not None and terms is not None
    return limits.CashFlowInputs(income, living, debt, ratio, terms, cap or MAX_PRINCIPAL)


def _ratio(reader: _Reader, data: Mapping[str, Any], path: str) -> Decimal | None:
    if data.get("max_debt_service_ratio") in (None, ""):
        return services.default_debt_service_ratio()
    value = reader.number(data, "max_debt_service_ratio", path)
    if value is not None and not 0 < value <= 1:
        reader.fail(f"{path}.max_debt_service_ratio", NOT_FRACTION)
        return None
    return value


def _terms(reader: _Reader, data: Mapping[str, Any], path: str, as_of: dt.date | None) -> Any:
    fields = {key: data[key] for key in _TERMS if data.get(key) not in (None, "")}
    if "start" not in fields and as_of is not None:
        fields["start"] = as_of
    try:
        return parse_terms({**fields, "principal": "1"})  # the principal is what is searched
    except FormInvalid as exc:
        for field, messages in exc.details.items():
            reader.errors.setdefault(f"{path}.{field}", []).extend(messages)
        return None


def _collateral(reader: _Reader, raw: object) -> list[limits.Collateral] | None:
    if raw is None:
        return None
    if not isinstance(raw, list):
        reader.fail("collateral", schema.NOT_LIST)
        return None
    found = []
    for index, item in enumerate(raw):
        path = f"collateral[{index}]"
        data = reader.section(item, path, _COLLATERAL_KEYS)
        if data is None:
            if item is None:
                reader.fail(path, schema.NOT_OBJECT)
            continue
        value = reader.amount(data, "appraised_value", path)
        kind = str(data.get("kind") or "")
        if kind not in set(CollateralKind):
            options = "、".join(CollateralKind)
            reader.fail(f"{path}.kind", NOT_KIND, options=options)
        elif value is not None:
            found.append(
                limits.Collateral(CollateralKind(kind), value, str(data.get("description") or ""))
            )
    return found


def _guarantor(reader: _Reader, raw: object) -> limits.GuarantorCapacity | None:
    path = "guarantor"
    data = reader.section(raw, path, _GUARANTOR_KEYS)
    if data is None:
        return None
    net = reader.amount(data, "net_assets", path, signed=True)
    given = reader.amount(data, "guarantees_given", path)
    amount = reader.amount(data, "amount", path)
    multiple = reader.non_negative(data, "multiple", path, required=False)
    if multiple is not None and multiple == 0:
        reader.fail(f"{path}.multiple", NOT_POSITIVE)
        return None
    if net is None or given is None or amount is None:
        return None
    return limits.guarantor_capacity(net, given, amount, multiple or Decimal(1))
