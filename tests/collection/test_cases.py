"""Business-date scenarios: a loan 61 days past due gets a case and an officer; actions and
acknowledgments restart the limitation clock; the guarantee period runs separately; alerts.

The loans: 12,000.00 元 at 6% for 12 months 等额本息, disbursed 2026-11-04 to a third party,
the repayment account left empty. The first installment is due 2026-12-04 and is not paid: it
is overdue since 2026-12-04, so on business date D the loan is D − 2026-12-04 days past due:
12-04 → 01-04 = 31, → 02-03 = 61 (60 on 2027-02-02). Maturity 2027-11-04; guarantee
period to 2028-05-04."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tests.collection.factories import guaranteed_loan
from tests.credit.factories import set_today
from xindai.collection import daily, services
from xindai.collection.models import (
    ActionKind,
    CaseStatus,
    CollectionCase,
    Interruption,
    LimitationParty,
    PartyRole,
)
from xindai.core import business_date
from xindai.loans import eod
from xindai.loans.models import LoanState

D = dt.date


@pytest.fixture
def two_overdue(
    farmer: Any, guarantor: Any, manager: Any, officer: Any, officer2: Any, far_officer: Any
) -> list[Any]:
    set_today(D(2026, 11, 4))
    first = guaranteed_loan(manager, farmer, guarantor, start=D(2026, 11, 4))
    from tests.loans.factories_eod import loan

    second = loan(
        farmer,
        principal=__import__("decimal").Decimal(6_000),
        rate=__import__("decimal").Decimal("0.06"),
        months=6,
        method="equal_installment",
        start=D(2026, 11, 4),
        into_account=False,
    )
    eod.run_until(D(2027, 2, 1))  # business date now 2027-02-02
    return [first, second]


def test_a_loan_61_days_past_due_gets_a_case_assigned_to_the_least_busy_officer(
    two_overdue: list[Any], officer: Any, officer2: Any, far_officer: Any
) -> None:
    first, second = two_overdue
    assert business_date.current() == D(2027, 2, 2)
    state = LoanState.objects.get(loan=first)
    assert state.overdue_since == D(2026, 12, 4)
    assert state.days_past_due == 60  # 60 days: not yet (policy: more than 60)
    assert not CollectionCase.objects.exists()
    eod.run_date(D(2027, 2, 2))  # → 2027-02-03: 61 days past due
    cases = list(CollectionCase.objects.order_by("loan_id"))
    assert [c.loan_id for c in cases] == [first.pk, second.pk]
    assert all(c.opened_on == D(2027, 2, 3) and c.status == CaseStatus.OPEN for c in cases)
    # both officers of branch B1 have no case: the first loan goes to the lower id (钱清收),
    # the second to the one with fewer open cases (孙清收); B2's officer gets none
    assert [c.officer for c in cases] == [officer, officer2]
    assert "61" in cases[0].opened_because
    # idempotent: running the day again opens nothing more
    assert daily.run(D(2027, 2, 3))["cases_opened"] == 0
    assert CollectionCase.objects.count() == 2
    # the debtor's clock runs from the overdue day; the guarantor's guarantee period separately
    debtor = LimitationParty.objects.get(loan=first, role=PartyRole.DEBTOR)
    assert (debtor.starts_on, debtor.expires_on) == (D(2026, 12, 4), D(2029, 12, 4))
    g = LimitationParty.objects.get(loan=first, role=PartyRole.GUARANTOR)
    assert g.guarantee_ends_on == D(2028, 5, 4)  # maturity 2027-11-04 + 6 months
    assert g.expires_on == D(2028, 5, 4) and g.asked_on is None


def test_a_visit_with_acknowledgment_restarts_the_clock(
    two_overdue: list[Any], officer: Any, guarantor: Any
) -> None:
    first, _second = two_overdue
    eod.run_date(D(2027, 2, 2))
    case = CollectionCase.objects.get(loan=first)
    services.log_action(
        officer,
        case,
        {
            "kind": "visit",
            "outcome": "借款人承认欠款，承诺三月还款",
            "acknowledged": "1",
            "follow_up_on": "2027-03-01",
            "next_step": "三月初再访",
        },
    )
    debtor = LimitationParty.objects.get(loan=first, role=PartyRole.DEBTOR)
    assert debtor.last_interruption == D(2027, 2, 3)
    assert debtor.expires_on == D(2030, 2, 3)
    case.refresh_from_db()
    assert (case.stage, case.next_follow_up) == (ActionKind.VISIT, D(2027, 3, 1))
    # a call without acknowledgment interrupts nothing
    services.log_action(officer, case, {"kind": "call", "outcome": "无人接听"})
    assert Interruption.objects.filter(party=debtor).count() == 1
    # the guarantor signs for a collection notice within his guarantee period (the notices
    # app calls the interface): he is asked; his limitation runs 3 years from that day
    services.record_interruption(
        first, guarantor, D(2028, 2, 29), kind="notice", evidence="催收通知书回执", actor=None
    )
    g = LimitationParty.objects.get(loan=first, role=PartyRole.GUARANTOR)
    assert (g.asked_on, g.expires_on) == (D(2028, 2, 29), D(2031, 2, 28))
    # the debtor acknowledges again on 29 February 2028 (a leap day): expiry 28 February 2031
    services.record_interruption(
        first,
        first.customer,
        D(2028, 2, 29),
        kind="acknowledgment",
        evidence="还款承诺书",
        actor=officer,
    )
    debtor.refresh_from_db()
    assert debtor.expires_on == D(2031, 2, 28)


def test_a_guarantor_not_asked_within_the_period_is_released(
    two_overdue: list[Any], guarantor: Any
) -> None:
    first, _second = two_overdue
    eod.run_date(D(2027, 2, 2))
    services.record_interruption(
        first, guarantor, D(2028, 5, 5), kind="notice", evidence="逾期送达", actor=None
    )
    g = LimitationParty.objects.get(loan=first, role=PartyRole.GUARANTOR)
    assert g.asked_on is None and g.expires_on == D(2028, 5, 4)
    assert Interruption.objects.get(party=g).effective is False


def test_alert_90_days_before_expiry(two_overdue: list[Any]) -> None:
    first, _second = two_overdue
    eod.run_date(D(2027, 2, 2))
    g = LimitationParty.objects.get(loan=first, role=PartyRole.GUARANTOR)
    # the guarantee period ends 2028-05-04; 90 days before is 2028-02-04 (2028 is a leap
    # year: 02-04 → 05-04 = 25 + 31 + 30 + 4 = 90)
    assert daily.run(D(2028, 2, 3))["limitation_alerts"] == 0
    assert not services.alerts(D(2028, 2, 3)).filter(pk=g.pk).exists()
    assert daily.run(D(2028, 2, 4))["limitation_alerts"] == 1
    g.refresh_from_db()
    assert g.alerted_on == D(2028, 2, 4)
    assert services.alerts(D(2028, 2, 4)).filter(pk=g.pk).exists()
    assert daily.run(D(2028, 2, 4))["limitation_alerts"] == 0  # flagged once
