"""Warning signals by business date, each kind with its threshold worked by hand."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

import pytest

from tests.credit.factories import guarantor_farmer, set_today, submitted
from tests.loans.factories_eod import deposit_account, loan
from tests.notices.scenario import START, D, overdue_loan, until
from xindai.classification.models import ClassChange
from xindai.credit.models import ApplicationCollateral, ApplicationGuarantor
from xindai.deposits import services as deposits
from xindai.earlywarning import daily, services
from xindai.earlywarning.models import Warning
from xindai.loans.models import LoanAccount
from xindai.postloan.models import InspectionTask

pytestmark = pytest.mark.django_db
_keys = itertools.count(1)


def funded_loan(customer: Any, start: dt.date = START) -> LoanAccount:
    """120,000.00 元 paid into the customer's own account: it pays its installments."""
    set_today(start)
    return loan(
        customer,
        principal=Decimal(120_000),
        rate=Decimal("0.0435"),
        months=12,
        method="equal_installment",
        start=start,
    )


def test_a_newly_overdue_loan_raises_one_medium_warning(farmer: Any) -> None:
    """Nothing collected on 2026-12-02 → 1 day past due on 12-03: overdue principal 1,000.00
    and interest 36.00 = 1,036.00 元."""
    account = overdue_loan(farmer)
    until(D(2026, 12, 1))
    assert not Warning.objects.exists()
    until(D(2026, 12, 2))
    warning = Warning.objects.get(loan=account)
    assert (warning.kind, warning.severity, warning.raised_on) == (
        "overdue",
        "medium",
        D(2026, 12, 3),
    )
    assert warning.action == "电话催收并核实逾期原因"
    assert "1,036.00" in warning.detail
    assert warning.customer == farmer
    assert daily.run(D(2026, 12, 3)) == {}
    # Handled and closed: the same overdue episode never raises again.
    services.close(farmer.manager, warning, "已电话联系，借款人承诺三日内归还")
    assert daily.run(D(2026, 12, 3)) == {}
    until(D(2026, 12, 4))
    assert Warning.objects.filter(loan=account).count() == 1


def test_guarantor_overdue_warns_on_the_loan_he_guarantees(
    farmer: Any, manager: Any, village: Any
) -> None:
    """李四海 guarantees 王大山's (funded) loan; his own loan is unpaid on 2026-12-02."""
    borrowed = funded_loan(farmer)
    guarantor = guarantor_farmer(manager, village)
    application = submitted(manager, farmer)
    ApplicationGuarantor.objects.create(application=application, guarantor=guarantor)
    LoanAccount.objects.filter(pk=borrowed.pk).update(application=application)
    own = overdue_loan(guarantor)
    until(D(2026, 12, 2))
    found = Warning.objects.get(kind="guarantor_overdue")
    assert found.loan_id == borrowed.pk
    assert found.severity == "medium"
    assert "李四海" in found.detail and own.number in found.detail
    assert Warning.objects.get(kind="overdue").loan_id == own.pk
    assert daily.run(D(2026, 12, 3)) == {}


def test_a_downgrade_raises_a_high_warning_and_triggers_an_inspection(farmer: Any) -> None:
    account = funded_loan(farmer)
    today = D(2026, 12, 10)
    ClassChange.objects.create(
        loan=account,
        business_date=today,
        old="normal",
        new="substandard",
        source="manual",
        reason="经营停产",
    )
    ClassChange.objects.create(
        loan=account,
        business_date=today,
        old="doubtful",
        new="substandard",
        source="upgrade",
    )  # an upgrade: no warning
    assert daily.run(today) == {"downgrade": 1}
    warning = Warning.objects.get(loan=account)
    assert (warning.kind, warning.severity) == ("downgrade", "high")
    assert "“正常”下调为“次级”" in warning.detail
    task = InspectionTask.objects.get(loan=account, source=f"warning:{warning.pk}")
    assert task.created_on == today
    assert daily.run(today) == {}


def test_collateral_revaluation_more_than_twenty_percent_down(
    farmer: Any, manager: Any, risk_officer: Any
) -> None:
    """Estimated 500,000.00; revalued 400,000.00 (20%, not more) → nothing; 390,000.00 (22%)
    → a high warning and a triggered inspection."""
    account = funded_loan(farmer)
    application = submitted(manager, farmer)
    LoanAccount.objects.filter(pk=account.pk).update(application=application)
    account.refresh_from_db()
    house = ApplicationCollateral.objects.create(
        application=application,
        kind="mortgage",
        description="临街商铺",
        owner_name="王大山",
        estimated_value=Decimal(500_000),
    )
    made = services.revalue(risk_officer, account, house.pk, "400000.00")
    assert made.warning is None
    made = services.revalue(risk_officer, account, house.pk, "390,000")
    assert made.warning is not None
    assert (made.warning.kind, made.warning.severity) == ("collateral_drop", "high")
    assert "下降 22.00%" in made.warning.detail
    assert InspectionTask.objects.filter(source=f"warning:{made.warning.pk}").count() == 1


def withdraw(account: Any, day: dt.date, amount_fen: int) -> None:
    deposits.move(account, f"t:in:{next(_keys)}", day, "cash_in", amount_fen)
    deposits.move(account, f"t:out:{next(_keys)}", day, "cash_out", -amount_fen)


def test_deposit_outflow_spike_worked_by_hand(farmer: Any, manager: Any, village: Any) -> None:
    """Today 2026-12-20: last 7 days 12-13..12-19, the 90 before 09-14..12-12.
    王大山: 900,000.00 withdrawn on 10-01 → weekly average 900,000 × 7 / 90 = 70,000.00;
    × 3 = 210,000.00. He withdraws 110,000.00 on 12-15 and 100,000.01 on 12-19: 210,000.01
    > 210,000.00 and ≥ 50,000 → a low warning. 李四海 has the same history but withdraws
    exactly 210,000.00 → not more than 3 × → nothing. A withdrawal on 12-12 (outside the
    week) counts in the base, not in the week."""
    today = D(2026, 12, 20)
    first = funded_loan(farmer, start=D(2026, 9, 1))
    second_customer = guarantor_farmer(manager, village)
    second = funded_loan(second_customer, start=D(2026, 9, 1))
    for account_loan, week in (
        (first, [11_000_000, 10_000_001]),
        (second, [11_000_000, 10_000_000]),
    ):
        account = deposit_account(account_loan.customer, D(2026, 9, 1))
        withdraw(account, D(2026, 10, 1), 90_000_000)
        withdraw(account, D(2026, 12, 15), week[0])
        withdraw(account, D(2026, 12, 19), week[1])
    set_today(today)
    assert daily.run(today) == {"deposit_outflow": 1}
    warning = Warning.objects.get(kind="deposit_outflow")
    assert warning.loan_id == first.pk
    assert warning.severity == "low"
    assert "210,000.01" in warning.detail and "70,000.00" in warning.detail
    assert daily.run(today) == {}
    # The next day the spike is still in the window: no second warning within the week.
    assert daily.run(today + dt.timedelta(days=1)) == {}


def test_inspection_finding_once_per_source_while_open(farmer: Any, manager: Any) -> None:
    account = funded_loan(farmer)
    today = D(2026, 12, 10)
    first = services.raise_signal(
        account,
        today,
        kind="inspection_finding",
        detail="抵押房产已出租",
        source="inspection:7",
        actor=manager,
    )
    assert first is not None and first.severity == "medium"
    assert (
        services.raise_signal(
            account, today, kind="inspection_finding", detail="again", source="inspection:7"
        )
        is None
    )
    other = services.raise_signal(
        account, today, kind="inspection_finding", detail="存货减少", source="inspection:8"
    )
    assert other is not None
    services.close(manager, first, "已要求借款人说明并解除租约")
    again = services.raise_signal(
        account, today, kind="inspection_finding", detail="再次发现", source="inspection:7"
    )
    assert again is not None
