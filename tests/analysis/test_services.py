"""Saving a period's statements (validated, audited, with history, replaced when saved again),
analysing a customer, and the household and business statements taken from the archive."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from tests.analysis.examples import BALANCE_2022, BALANCE_2023, INCOME_2023, SUPPLEMENT_2023
from xindai.analysis import services
from xindai.analysis.forms import statement_form
from xindai.analysis.models import IndustryThreshold, StatementSet
from xindai.analysis.statements import BusinessStatement, HouseholdStatement, StatementKind
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.customers import section_models as sm

pytestmark = pytest.mark.django_db
D = Decimal


def form(end: str, *sections: dict[str, str], **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"period_end": end, "months": "12", **extra}
    for section in sections:
        data.update(section)
    return data


def test_saving_a_period_keeps_the_items_by_section_with_an_audit_event(
    manager, enterprise
) -> None:
    saved = services.save_statements(
        manager, enterprise, form("2023-12-31", BALANCE_2023, INCOME_2023, csrfmiddlewaretoken="x")
    )
    assert (saved.kind, saved.period_end, saved.months) == ("enterprise", dt.date(2023, 12, 31), 12)
    assert saved.items["balance_sheet"]["cash"] == "100000.00"
    assert saved.items["income_statement"]["net_profit"] == "112500.00"
    assert set(saved.items) == {"balance_sheet", "income_statement"}
    event = AuditEvent.objects.get(action="analysis.statements.create")
    assert event.object_id == str(saved.pk)
    assert event.changes["items"]["cash"] == [None, "100000.00"]
    assert saved.history.get().history_user == manager
    assert saved.warnings() == []


def test_saving_the_same_period_again_replaces_it_and_records_what_changed(
    manager, enterprise
) -> None:
    services.save_statements(manager, enterprise, form("2023-12-31", BALANCE_2023))
    changed = {**BALANCE_2023, "cash": "100000.40"}
    saved = services.save_statements(manager, enterprise, form("2023-12-31", changed))
    assert StatementSet.objects.count() == 1
    assert saved.items["balance_sheet"]["cash"] == "100000.40"
    event = AuditEvent.objects.get(action="analysis.statements.change")
    assert event.changes["items"] == {"cash": ["100000.00", "100000.40"]}
    assert saved.history.count() == 2


def test_bad_input_names_each_item_and_saves_nothing(manager, enterprise) -> None:
    data = form("2023-13-31", {"cash": "-1", "inventory": "1.234", "net_profit": "-5"})
    with pytest.raises(FormInvalid) as refused:
        services.save_statements(manager, enterprise, data)
    details = refused.value.details
    assert set(details) == {"period_end", "cash", "inventory"}
    assert details["cash"] == ["不能为负数"]
    assert details["inventory"] == ["金额最多精确到分（两位小数）"]
    assert StatementSet.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="analysis.").exists()


def test_a_form_without_any_item_or_of_another_kind_is_refused(manager, enterprise) -> None:
    with pytest.raises(FormInvalid) as empty:
        services.save_statements(manager, enterprise, form("2023-12-31", {"cash": ""}))
    assert empty.value.details == {"__all__": ["请至少填写一个项目"]}
    with pytest.raises(FormInvalid) as wrong:
        services.save_statements(manager, enterprise, form("2023-12-31", kind="household"))
    assert wrong.value.details["kind"] == ["该客户只能录入“企业财务报表”"]


def test_only_staff_who_may_change_the_archive_save_statements(outsider, enterprise) -> None:
    with pytest.raises(PermissionDenied):
        services.save_statements(outsider, enterprise, form("2023-12-31", BALANCE_2023))


def test_a_household_statement_is_saved_for_a_farmer(manager, farmer) -> None:
    saved = services.save_statements(
        manager, farmer, form("2024-12-31", {"income_wages": "36000", "yearly_debt_service": "0"})
    )
    assert saved.items == {"household": {"income_wages": "36000.00", "yearly_debt_service": "0.00"}}


def test_analysing_a_customer_uses_the_industry_bounds(manager, enterprise) -> None:
    services.save_statements(manager, enterprise, form("2022-12-31", BALANCE_2022))
    services.save_statements(
        manager, enterprise, form("2023-12-31", BALANCE_2023, INCOME_2023, SUPPLEMENT_2023)
    )
    IndustryThreshold.objects.create(code="13", min_current_ratio=D("1.20"))
    IndustryThreshold.objects.create(code="131", min_current_ratio=D("1.25"))
    IndustryThreshold.objects.create(code="52", min_current_ratio=D("9"))
    result = services.analyse_customer(manager, enterprise)
    assert result.industry_threshold == "131"
    latest = result.analysis.periods[-1]
    assert latest.ratio("receivable_days").value == D("30.00")  # the average of both years
    flag = next(flag for flag in latest.flags if flag.ratio == "current_ratio")
    # 1.25 against the 131 bound of 1.25: not below it
    assert (flag.status.value, flag.threshold) == ("ok", D("1.25"))


def test_only_enterprises_have_ratio_analysis(manager, farmer) -> None:
    with pytest.raises(DomainError):
        services.analyse_customer(manager, farmer)


def test_the_household_statement_comes_from_the_archive(farmer) -> None:
    last, this = sm.IncomePeriod.LAST_YEAR, sm.IncomePeriod.THIS_YEAR
    sm.IncomeItem.objects.create(customer=farmer, period=last, source="planting", amount=50000)
    sm.IncomeItem.objects.create(customer=farmer, period=last, source="planting", amount=30000)
    sm.IncomeItem.objects.create(customer=farmer, period=last, source="wages", amount=10000)
    sm.IncomeItem.objects.create(customer=farmer, period=this, source="wages", amount=99999)
    sm.ExpenseItem.objects.create(customer=farmer, period=last, category="production", amount=30000)
    sm.ExpenseItem.objects.create(customer=farmer, period=last, category="living", amount=24000)
    sm.FixedAsset.objects.create(
        customer=farmer, category="house", description="住房", value=200000
    )
    sm.FinancialAsset.objects.create(customer=farmer, category="deposit_here", amount=15000)
    sm.Liability.objects.create(
        customer=farmer, category="other_bank", creditor="某银行", amount=50000, balance=20000
    )
    sm.Liability.objects.create(
        customer=farmer, category="guarantee", creditor="邻居", amount=30000, balance=30000
    )
    statement = services.household_statement(farmer)
    assert statement == HouseholdStatement(
        income_planting=D(80000),
        income_breeding=D(0),
        income_wages=D(10000),  # this year's estimate is not last year's income
        income_business=D(0),
        income_transfer=D(0),
        income_other=D(0),
        expense_production=D(30000),
        expense_living=D(24000),
        expense_education=D(0),
        expense_medical=D(0),
        expense_favours=D(0),
        expense_other=D(0),
        total_assets=D(215000),
        total_liabilities=D(20000),  # a guarantee given is not a debt
        yearly_debt_service=None,  # the archive does not record it
    )
    assert statement.net_income == D(60000)


def test_an_empty_archive_gives_a_statement_with_nothing_given(farmer) -> None:
    assert services.household_statement(farmer) == HouseholdStatement()


def test_the_business_statement_comes_from_the_archive(business, enterprise) -> None:
    sm.BusinessOperations.objects.create(
        customer=business,
        employees=3,
        monthly_turnover=80000,
        monthly_profit=12000,
        inventory_value=50000,
    )
    sm.FinancialAsset.objects.create(customer=business, category="deposit_here", amount=20000)
    sm.FinancialAsset.objects.create(customer=business, category="receivable", amount=8000)
    sm.Liability.objects.create(customer=business, category="none")
    statement = services.business_statement(business)
    assert statement == BusinessStatement(
        monthly_turnover=D(80000),
        monthly_profit=D(12000),
        cash=D(20000),
        receivables=D(8000),
        inventory=D(50000),
        total_assets=D(78000),  # 20,000 + 8,000 + 50,000
        total_liabilities=D(0),  # checked: no debts
    )
    with pytest.raises(DomainError):
        services.business_statement(enterprise)


def test_the_statement_form_has_one_optional_field_per_item_by_section() -> None:
    form_class = statement_form(StatementKind.ENTERPRISE)
    bound = form_class({"cash": "-1", "retained_earnings": "-1"})
    assert not bound.is_valid()
    assert list(bound.errors) == ["cash"]  # only signed items may be negative
    sections = bound.sections()  # type: ignore[attr-defined]
    assert [str(label) for label, _fields in sections] == [
        "资产负债表",
        "利润表",
        "现金流量表",
        "补充资料",
    ]
    assert [field.label for field in sections[0][1][:2]] == ["货币资金", "短期投资"]
