"""Use cases of financial analysis: a customer's statements saved from a form or an Excel
file, read back and analysed; the household and business statements built from the archive.

Saving validates everything first and then writes in one transaction with an audit event and
the record's history; bad input raises ``FormInvalid`` (or ``excel.WorkbookInvalid``) and
changes nothing. Statements are part of the customer's archive: reading them needs
``customers.view_customer``, saving them ``customers.change_customer``; the caller has already
loaded the customer within the user's data scope (``customers.queries.customer_for``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from xindai.analysis import excel, ratios, schema
from xindai.analysis import thresholds as th
from xindai.analysis.forms import StatementHeaderForm, item_keys
from xindai.analysis.models import IndustryThreshold, StatementKindChoice, StatementSet
from xindai.analysis.statements import (
    BusinessStatement,
    HouseholdStatement,
    StatementKind,
)
from xindai.audit import services as audit
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.problems import by_field
from xindai.customers import section_models as sm
from xindai.customers.models import Customer, CustomerKind
from xindai.customers.services import require

VIEW = "customers.view_customer"
CHANGE = "customers.change_customer"

KIND_OF_CUSTOMER = {
    CustomerKind.ENTERPRISE: StatementKind.ENTERPRISE,
    CustomerKind.BUSINESS: StatementKind.BUSINESS,
    CustomerKind.FARMER: StatementKind.HOUSEHOLD,
}


def kind_of(customer: Customer) -> StatementKind:
    return KIND_OF_CUSTOMER[CustomerKind(customer.kind)]


# ---- saving -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Checked:
    kind: StatementKind
    period_end: Any
    months: int
    items: dict[str, dict[str, str]]  # {section: {item: "amount"}}


def save_statements(actor: Any, customer: Customer, data: Mapping[str, Any]) -> StatementSet:
    """One period's statements from a form: ``period_end``, ``months`` (blank: 12), ``kind``
    (blank: the customer's) and the items by key (blank: not given; other keys are ignored).
    The period of a customer is replaced when it is saved again."""
    require(actor, CHANGE)
    checked = _check(customer, data)
    with transaction.atomic():
        return _store(actor, customer, checked)


def import_excel(actor: Any, customer: Customer, file: Any) -> list[StatementSet]:
    """Every period of a filled template; on any problem ``excel.WorkbookInvalid`` lists them
    all by row and column and nothing is saved."""
    require(actor, CHANGE)
    content = file.read() if hasattr(file, "read") else bytes(file)
    periods, errors = excel.read(content, kind_of(customer))
    if errors:
        raise excel.WorkbookInvalid(errors)
    checked = [_check(customer, period) for period in periods]
    with transaction.atomic():
        return [_store(actor, customer, one) for one in checked]


def template(actor: Any, customer: Customer) -> bytes:
    """The Excel template for the customer's kind, with the statements already on file."""
    require(actor, VIEW)
    sets = statement_sets(customer)
    return excel.workbook(kind_of(customer), [(s.period, s.sections()) for s in sets])


def _check(customer: Customer, data: Mapping[str, Any]) -> _Checked:
    expected = kind_of(customer)
    header = StatementHeaderForm({key: data.get(key) for key in ("kind", "period_end", "months")})
    errors: dict[str, list[str]] = {}
    if not header.is_valid():
        errors.update(
            {field: [str(m) for m in messages] for field, messages in header.errors.items()}
        )
    elif header.cleaned_data["kind"] and header.cleaned_data["kind"] != expected:
        message = gettext("该客户只能录入“%(kind)s”")
        errors["kind"] = [message % {"kind": StatementKindChoice(expected).label}]
    items, item_errors = _items(expected, data)
    errors.update(item_errors)
    if errors:
        raise FormInvalid(gettext("报表有误，未保存"), details=errors)
    return _Checked(
        expected, header.cleaned_data["period_end"], header.cleaned_data["months"], items
    )


def _items(
    kind: StatementKind, data: Mapping[str, Any]
) -> tuple[dict[str, dict[str, str]], dict[str, list[str]]]:
    nested: dict[str, dict[str, Any]] = {}
    for key, section in item_keys(kind).items():
        if key in data:
            nested.setdefault(section, {})[key] = data[key]
    sections, problems = schema.parse_sections(kind, nested)
    errors = {
        field.rsplit(".", 1)[-1]: messages
        for field, messages in by_field(problems, gettext).items()
    }
    items = {name: dumped for name, s in sections.items() if (dumped := schema.dump_section(s))}
    if not items and not errors:
        errors["__all__"] = [gettext("请至少填写一个项目")]
    return items, errors


def _store(actor: Any, customer: Customer, checked: _Checked) -> StatementSet:
    row = (
        StatementSet.objects.select_for_update()
        .filter(customer=customer, kind=checked.kind, period_end=checked.period_end)
        .first()
    )
    before = dict(row.items) if row else {}
    if row is None:
        row = StatementSet(customer=customer, kind=checked.kind, period_end=checked.period_end)
    row.months, row.items, row.updated_by = checked.months, checked.items, actor
    row._history_user = actor  # type: ignore[attr-defined]  # django-simple-history
    row.save()
    action = "analysis.statements.change" if before else "analysis.statements.create"
    changes = {
        "customer": customer.pk,
        "kind": checked.kind.value,
        "period_end": checked.period_end.isoformat(),
        "items": _changed(before, checked.items),
    }
    audit.record(
        action,
        actor=actor,
        object_type="analysis.statementset",
        object_id=row.pk,
        changes=changes,
    )
    return row


def _changed(before: dict[str, dict[str, str]], after: dict[str, dict[str, str]]) -> dict:
    flat_before = {key: v for section in before.values() for key, v in section.items()}
    flat_after = {key: v for section in after.values() for key, v in section.items()}
    return {
        key: [flat_before.get(key), flat_after.get(key)]
        for key in sorted(set(flat_before) | set(flat_after))
        if flat_before.get(key) != flat_after.get(key)
    }


# ---- reading and analysing ------------------------------------------------------------------


def statement_sets(customer: Customer, kind: StatementKind | None = None) -> list[StatementSet]:
    """The customer's saved statements of ``kind`` (default: the customer's), oldest first."""
    rows = StatementSet.objects.filter(customer=customer, kind=kind or kind_of(customer))
    return list(rows.order_by("period_end"))


def thresholds_for(industry_code: str | None) -> tuple[th.Thresholds, str | None]:
    """The default bounds with the overrides of the industry's longest code prefix."""
    if not industry_code:
        return th.DEFAULT, None
    prefixes = [industry_code[:n] for n in range(2, len(industry_code) + 1)]
    rows = IndustryThreshold.objects.filter(code__in=prefixes)
    return th.for_industry(industry_code, {row.code: row.bounds() for row in rows})


@dataclass(frozen=True)
class CustomerAnalysis:
    analysis: ratios.Analysis
    industry_threshold: str | None  # the industry code prefix whose bounds apply


def analyse_customer(actor: Any, customer: Customer) -> CustomerAnalysis:
    """Ratios, flags and trend of an enterprise's saved statements."""
    require(actor, VIEW)
    if kind_of(customer) != StatementKind.ENTERPRISE:
        raise DomainError(gettext("只有企业客户有财务报表比率分析"), code="not_enterprise")
    periods = [row.enterprise() for row in statement_sets(customer)]
    bounds, prefix = thresholds_for(customer.industry_code)
    return CustomerAnalysis(ratios.analyse(periods, bounds), prefix)


# ---- from the archive -----------------------------------------------------------------------

_DEBTS = (
    sm.LiabilityCategory.THIS_BANK,
    sm.LiabilityCategory.OTHER_BANK,
    sm.LiabilityCategory.PRIVATE,
)


def household_statement(customer: Customer) -> HouseholdStatement:
    """A farmer's last year as the archive records it: income by source, expenses by
    category, assets (houses, machines, deposits, shares) and debts (not the guarantees
    given). A section without any row is "not given"; existing debt service is not in the
    archive and stays not given."""
    if CustomerKind(customer.kind) != CustomerKind.FARMER:
        raise DomainError(gettext("农户家庭收支表只适用于农户"), code="not_farmer")
    income = _yearly(sm.IncomeItem, customer, "source")
    expenses = _yearly(sm.ExpenseItem, customer, "category")
    values: dict[str, Decimal | None] = {}
    if income is not None:
        values |= {f"income_{s.value}": income.get(s.value, Decimal(0)) for s in sm.IncomeSource}
    if expenses is not None:
        values |= {
            f"expense_{category.value}": expenses.get(category.value, Decimal(0))
            for category in sm.ExpenseCategory
        }
    values["total_assets"] = _assets(customer)
    values["total_liabilities"] = _debts(customer)
    return HouseholdStatement(**values)


def business_statement(customer: Customer) -> BusinessStatement:
    """An individual business as the archive records it; living costs, payables and existing
    debt service are not in the archive and stay not given."""
    if CustomerKind(customer.kind) != CustomerKind.BUSINESS:
        raise DomainError(gettext("个体工商户简易报表只适用于个体工商户"), code="not_business")
    operations = sm.BusinessOperations.objects.filter(customer=customer).first()
    inventory = operations.inventory_value if operations else None
    deposits = (sm.FinancialAssetCategory.DEPOSIT_HERE, sm.FinancialAssetCategory.DEPOSIT_ELSEWHERE)
    return BusinessStatement(
        monthly_turnover=operations.monthly_turnover if operations else None,
        monthly_profit=operations.monthly_profit if operations else None,
        cash=_financial(customer, deposits),
        receivables=_financial(customer, (sm.FinancialAssetCategory.RECEIVABLE,)),
        inventory=inventory,
        total_assets=_assets(customer, inventory),
        total_liabilities=_debts(customer),
    )


def _yearly(model: Any, customer: Customer, field: str) -> dict[str, Decimal] | None:
    rows = model.objects.filter(customer=customer, period=sm.IncomePeriod.LAST_YEAR)
    if not rows.exists():
        return None
    totals: dict[str, Decimal] = {}
    for key, amount in rows.values_list(field, "amount"):
        totals[key] = totals.get(key, Decimal(0)) + amount
    return totals


def _financial(customer: Customer, categories: tuple[str, ...]) -> Decimal | None:
    rows = sm.FinancialAsset.objects.filter(customer=customer, category__in=categories)
    amounts = list(rows.values_list("amount", flat=True))
    return sum(amounts, Decimal(0)) if amounts else None


def _assets(customer: Customer, inventory: Decimal | None = None) -> Decimal | None:
    fixed = list(sm.FixedAsset.objects.filter(customer=customer).values_list("value", flat=True))
    financial = list(
        sm.FinancialAsset.objects.filter(customer=customer).values_list("amount", flat=True)
    )
    parts = fixed + financial + ([inventory] if inventory is not None else [])
    return sum(parts, Decimal(0)) if parts else None


def _debts(customer: Customer) -> Decimal | None:
    rows = sm.Liability.objects.filter(customer=customer)
    if not rows.exists():
        return None
    return sum(rows.filter(category__in=_DEBTS).values_list("balance", flat=True), Decimal(0))


def default_debt_service_ratio() -> Decimal:
    """The credit policy's ceiling of monthly debt payments to monthly income."""
    from xindai.credit.facts import current_policy  # the credit app reads its own policy

    _version, policy = current_policy()
    return policy.max_debt_to_income


__all__ = [
    "analyse_customer",
    "business_statement",
    "default_debt_service_ratio",
    "household_statement",
    "import_excel",
    "save_statements",
    "statement_sets",
    "template",
    "thresholds_for",
]
