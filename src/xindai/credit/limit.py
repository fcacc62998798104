"""授信额度测算 of an application under investigation: every method that applies, computed by
:mod:`xindai.analysis.limits` from inputs the investigator may edit (prefilled by
:mod:`limit_data`), the suggestion (the smallest, with the reason), the guarantors' capacity,
and the use cases that save an assessment and a guarantor's capacity (one transaction and an
audit event each).

Which methods apply: 流动资金需求测算 for enterprises and individual businesses; 可支配现金流
测算 for farmers and individual businesses; 抵质押物测算 when the register holds collateral.
Collateral counts at the loan-to-value rate of its type (``thresholds.DEFAULT_LTV``), except
an item whose ownership is disputed (民法典 第399条: such property may not be mortgaged) or
whose type is not given: those are listed, not counted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xindai.analysis import limits
from xindai.analysis import report as json_of
from xindai.analysis.definitions import MISSING
from xindai.analysis.limits import LimitMethod, LimitResult
from xindai.analysis.thresholds import DEFAULT_LTV, CollateralKind
from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit import services, stages
from xindai.credit.forms import GuarantorCapacityForm, LimitForm
from xindai.credit.limit_data import PERCENT_FIELDS, guarantor_figures, number, prefill
from xindai.credit.models import (
    ApplicationCollateral,
    ApplicationGuarantor,
    CreditApplication,
    CreditLimitAssessment,
)
from xindai.customers.forms import errors_of
from xindai.customers.models import CustomerKind
from xindai.loans.schedule import LoanTerms, Method, problems_of

WC, CF, CO = LimitMethod.WORKING_CAPITAL, LimitMethod.CASH_FLOW, LimitMethod.COLLATERAL
METHODS_OF_KIND: dict[str, tuple[LimitMethod, ...]] = {
    CustomerKind.ENTERPRISE: (WC,),
    CustomerKind.BUSINESS: (WC, CF),
    CustomerKind.FARMER: (CF,),
}
LABELS = {  # the inputs, as a missing one is named
    "sales": _("上年度销售收入"),
    "sales_margin": _("上年度销售利润率"),
    "growth": _("预计销售收入年增长率"),
    "inventory_days": _("存货周转天数"),
    "receivable_days": _("应收账款周转天数"),
    "payable_days": _("应付账款周转天数"),
    "monthly_income": _("月均净收入"),
    "monthly_living_costs": _("月生活支出"),
    "monthly_debt_service": _("现有债务月还款"),
    "max_debt_service_ratio": _("还款收入比上限"),
    "annual_rate": _("年利率"),
    "term_months": _("期限"),
    "repayment_method": _("还款方式"),
}
WC_REQUIRED = tuple(LABELS)[:6]
CF_REQUIRED = tuple(LABELS)[6:]
WC_OPTIONAL = ("prepayment_days", "advance_days", "own_funds", "existing_loans", "other_financing")
DISPUTED = _("%(item)s：存在权属争议（%(note)s），不得抵押，不计入测算")
UNTYPED = _("%(item)s：未选择押品种类，无法确定抵（质）押率，不计入测算")
NONE_USABLE = _("登记的押品均不能计入测算")
NOT_INVESTIGATING = _("只能在实地调查阶段进行授信额度测算和调查报告")
NOT_INVESTIGATOR = _("只有本笔申请的调查人（主调查人、协办调查人）可以办理")
NOTHING_APPLIES = _("没有可用的测算方法，未保存：请补充所需数据")


# ---- inputs ----------------------------------------------------------------------------------


def starting_inputs(application: CreditApplication, as_of: dt.date) -> dict[str, Any]:
    """What the page starts from: the last saved inputs, else the data."""
    saved = latest(application)
    if saved is not None:
        return {key: saved.inputs.get(key) for key in LimitForm.base_fields}
    return prefill(application, as_of).inputs


def form_data(inputs: Mapping[str, Any]) -> dict[str, str]:
    """Canonical inputs (rates as fractions) as LimitForm data (rates in percent)."""
    data = {}
    for key in LimitForm.base_fields:
        value = inputs.get(key)
        if value is None or value == "":
            data[key] = ""
        elif key in PERCENT_FIELDS:
            data[key] = _percent(value)
        else:
            data[key] = str(value)
    return data


def _percent(fraction: Any) -> str:
    """0.1333 → "13.33"; what is not a number goes to the form as typed, to be refused."""
    try:
        return f"{(Decimal(str(fraction)) * 100).normalize():f}"
    except ArithmeticError:  # decimal.InvalidOperation
        return str(fraction)


def inputs_of(cleaned: Mapping[str, Any]) -> dict[str, Any]:
    """LimitForm's cleaned data as canonical inputs: JSON-ready, rates as fractions."""
    found: dict[str, Any] = {}
    for key in LimitForm.base_fields:
        value = cleaned.get(key)
        if isinstance(value, Decimal):
            found[key] = number(value / 100 if key in PERCENT_FIELDS else value)
        else:
            found[key] = value if value not in ("", None) else None
    return found


def _decimal(inputs: Mapping[str, Any], key: str) -> Decimal | None:
    value = inputs.get(key)
    return None if value in (None, "") else Decimal(str(value))


def _missing(method: LimitMethod, inputs: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    absent = next((key for key in keys if inputs.get(key) in (None, "")), None)
    if absent is None:
        return None
    return LimitResult(method, (), None, Problem(method, MISSING, {"item": LABELS[absent]}))


# ---- computing -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Computation:
    results: tuple[LimitResult, ...]
    suggestion: limits.Suggestion
    notes: tuple[Problem, ...]  # collateral not counted, and why


def methods_of(application: CreditApplication) -> tuple[LimitMethod, ...]:
    found = METHODS_OF_KIND[application.customer.kind]
    return (*found, CO) if application.collateral.exists() else found


def compute(
    application: CreditApplication, inputs: Mapping[str, Any], as_of: dt.date
) -> Computation:
    results: list[LimitResult] = []
    notes: list[Problem] = []
    methods = methods_of(application)
    if WC in methods:
        results.append(_working_capital(inputs))
    if CF in methods:
        results.append(cash_flow_limit(inputs, as_of, application.product.max_amount))
    if CO in methods:
        result, notes = _secured(list(application.collateral.order_by("pk")))
        results.append(result)
    return Computation(tuple(results), limits.suggest(results), tuple(notes))


def _working_capital(inputs: Mapping[str, Any]) -> LimitResult:
    missing = _missing(WC, inputs, WC_REQUIRED)
    if missing is not None:
        return missing
    values = {key: _decimal(inputs, key) for key in (*WC_REQUIRED, *WC_OPTIONAL)}
    given = {key: value for key, value in values.items() if value is not None}
    return limits.working_capital(limits.WorkingCapitalInputs(**given))


def cash_flow_limit(inputs: Mapping[str, Any], as_of: dt.date, cap: Decimal) -> LimitResult:
    missing = _missing(CF, inputs, CF_REQUIRED)
    if missing is not None:
        return missing
    rate = _decimal(inputs, "annual_rate")
    method = Method(inputs["repayment_method"])
    terms = LoanTerms(Decimal(1), rate or Decimal(0), int(inputs["term_months"]), method, as_of)
    problems = problems_of(terms)
    if problems:
        return LimitResult(CF, (), None, problems[0])
    income, living, debt, ceiling = (_decimal(inputs, key) for key in CF_REQUIRED[:4])
    assert income is not None and living is not None and debt is not None and ceiling
    return limits.cash_flow(limits.CashFlowInputs(income, living, debt, ceiling, terms, cap))


def _secured(register: list[ApplicationCollateral]) -> tuple[LimitResult, list[Problem]]:
    usable, notes = [], []
    for item in register:
        if item.ownership_dispute:
            params = {"item": item.description, "note": item.dispute_note}
            notes.append(Problem("collateral", DISPUTED, params))
        elif not item.collateral_type:
            notes.append(Problem("collateral", UNTYPED, {"item": item.description}))
        else:
            kind = CollateralKind(item.collateral_type)
            usable.append(limits.Collateral(kind, item.estimated_value, item.description))
    if not usable:
        return LimitResult(CO, (), None, Problem(CO, NONE_USABLE)), notes
    return limits.secured(usable, DEFAULT_LTV), notes


# ---- guarantors ------------------------------------------------------------------------------


@dataclass(frozen=True)
class GuarantorView:
    row: ApplicationGuarantor
    net_assets: Decimal | None
    guarantees_given: Decimal
    from_archive: bool  # not yet assessed: the figures are the archive's
    capacity: limits.GuarantorCapacity | None


def guarantors(application: CreditApplication) -> list[GuarantorView]:
    """Each guarantor's capacity against the applied amount: the figures the investigator
    saved, else those of the guarantor's archive."""
    found = []
    for row in application.guarantors.select_related("guarantor").order_by("pk"):
        assessed = row.net_assets is not None and row.guarantees_given is not None
        net, given = (
            (row.net_assets, row.guarantees_given or Decimal(0))
            if assessed
            else guarantor_figures(row.guarantor)
        )
        capacity = (
            limits.guarantor_capacity(net, given, application.amount) if net is not None else None
        )
        found.append(GuarantorView(row, net, given, not assessed, capacity))
    return found


def guarantor_json(view: GuarantorView, translate: Callable[[str], str]) -> dict[str, Any]:
    capacity = json_of.guarantor_json(view.capacity, translate) if view.capacity else None
    return {
        "customer_id": view.row.guarantor_id,
        "name": view.row.guarantor.name,
        "net_assets": number(view.net_assets),
        "guarantees_given": number(view.guarantees_given),
        "willing": view.row.willing,
        "from_archive": view.from_archive,
        "capacity": capacity,
    }


def assess_guarantor(
    actor: Any, row: ApplicationGuarantor, data: Mapping[str, Any]
) -> ApplicationGuarantor:
    """保证人担保能力 as the investigator found it: net assets, guarantees already given, and
    whether the guarantor's willingness was verified."""
    services.register_editable(actor, row.application)
    form = GuarantorCapacityForm(data, instance=row)
    if not form.is_valid():
        raise FormInvalid(gettext("保证人担保能力有误，未保存"), details=errors_of(form))
    with transaction.atomic():
        saved = form.save()
        changes = {"guarantor": row.guarantor_id} | form.cleaned_data
        audit.record(
            "credit.guarantor_assessed",
            actor=actor,
            object_type=services.OBJECT_TYPE,
            object_id=row.application_id,
            changes=changes,
        )
    return saved


# ---- the assessment --------------------------------------------------------------------------


def result_json(
    application: CreditApplication,
    computation: Computation,
    translate: Callable[[str], str] = str,
) -> dict[str, Any]:
    return {
        "methods": [json_of.limit_json(result, translate) for result in computation.results],
        "suggestion": json_of.suggestion_json(computation.suggestion, translate),
        "notes": [note.text(translate) for note in computation.notes],
        "guarantors": [guarantor_json(view, translate) for view in guarantors(application)],
    }


def latest(application: CreditApplication) -> CreditLimitAssessment | None:
    return application.limit_assessments.select_related("computed_by").first()


def require_investigator(actor: Any, application: CreditApplication) -> None:
    """The case's own investigators, during 实地调查."""
    services.require(actor, "credit.view_creditapplication")
    if application.stage != stages.Stage.INVESTIGATION:
        raise DomainError(gettext(NOT_INVESTIGATING), code="not_investigating")
    if actor.pk not in (application.manager_id, application.co_investigator_id):
        raise DomainError(gettext(NOT_INVESTIGATOR), code="not_investigator")


def checked_inputs(data: Mapping[str, Any]) -> dict[str, Any]:
    form = LimitForm(data)
    if not form.is_valid():
        raise FormInvalid(gettext("测算参数有误，未保存"), details=errors_of(form))
    return inputs_of(form.cleaned_data)


def assess(
    actor: Any, application: CreditApplication, data: Mapping[str, Any], as_of: dt.date
) -> CreditLimitAssessment:
    """Compute every applicable method from ``data`` (LimitForm's fields) and keep the
    inputs, every step and the suggestion, as of the business date ``as_of``."""
    require_investigator(actor, application)
    inputs = checked_inputs(data)
    computation = compute(application, inputs, as_of)
    if computation.suggestion.limit is None:
        raise DomainError(gettext(NOTHING_APPLIES), code="no_method")
    register = [
        {"id": c.pk, "collateral_type": c.collateral_type, "value": number(c.estimated_value)}
        for c in application.collateral.order_by("pk")
    ]
    stored = inputs | {"as_of": as_of.isoformat(), "collateral": register}
    with transaction.atomic():
        assessment = CreditLimitAssessment.objects.create(
            application=application,
            inputs=stored,
            result=result_json(application, computation) | {"as_of": as_of.isoformat()},
            suggested=computation.suggestion.limit,
            computed_by=actor,
        )
        changes = {"assessment": assessment.pk, "suggested": number(assessment.suggested)}
        audit.record(
            "credit.limit_assessed",
            actor=actor,
            object_type=services.OBJECT_TYPE,
            object_id=application.pk,
            changes=changes | {"method": computation.suggestion.method},
        )
    return assessment
