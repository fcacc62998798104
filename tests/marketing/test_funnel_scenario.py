"""The funnel on a built scenario with real applications, approvals and loans, checked against
hand counts and amounts by every grouping, with the period, ranking, trend and data scope.

Campaign 春耕贷 (B1, goals: 10 contacts, 6 applications, 26 万元):
  zhang (O11) t1-t3 in 东村 (V1), t4-t6 in 西村 (V2); wu (O12) t7-t10 in 南村 (V3).
  t1 interested, lead, applied 10万, approved 8万, disbursed 8万
  t2 outcome 已申请, applied 5万 (Target.application), approved 5万
  t3 interested, lead converted to an application of 3万 (only the lead points to it)
  t4 interested, open lead; t5 not interested; t6 two contacts 未联系上
  t7 a lead without contact (+ one contact 未联系上); t8, t9 not interested; t10 nothing
  → target 10, reached 8, interested 5, applied 3, approved 2, disbursed 1;
    amounts applied 18.00, approved 13.00, disbursed 8.00 万元; 10 contacts.
Campaign 秋收贷 (B2): li (O21) t11 not interested in 北村 (V4); t12 excluded (interested, not
  counted). Dates: contacts of t1-t5 on 2026-11-03, of t6-t9 on 2026-11-10; leads of t1, t3,
  t4 on 11-03, of t7 on 11-10; applications created 11-12; approvals 11-27; the loan 11-20.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from tests.credit.factories import approved, complete_farmer, set_today, submitted
from tests.customers.factories import make_village
from xindai.credit.models import CreditApplication
from xindai.loans.models import LoanAccount
from xindai.marketing import funnel
from xindai.marketing.models import (
    Campaign,
    Contact,
    Lead,
    LeadStatus,
    Outcome,
    Target,
    TargetStatus,
)
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role
from xindai.scoring.models import StockCustomer

VILLAGES = {"V1": "东村", "V2": "西村", "V3": "南村", "V4": "北村"}


def at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.fromisoformat(day).replace(hour=hour))


@dataclass
class Scenario:
    spring: Campaign
    autumn: Campaign
    targets: dict[int, Target]
    users: dict[str, User]


def _stock(n: int, unit: OrgUnit, village: str) -> StockCustomer:
    return StockCustomer.objects.create(
        customer_no=f"C{n:04d}",
        name=f"客户{n}",
        kind="farmer",
        org_unit=unit,
        village_code=village,
        village_name=VILLAGES[village],
    )


def _contact(target: Target, outcome: str, day: str) -> Contact:
    assert target.manager is not None
    return Contact.objects.create(
        customer=target.customer,
        target=target,
        manager=target.manager,
        channel="visit",
        contacted_at=at(day),
        outcome=outcome,
    )


def _lead(target: Target, day: str, application: Any = None) -> Lead:
    assert target.manager is not None
    lead = Lead.objects.create(
        customer=target.customer,
        target=target,
        manager=target.manager,
        amount_fen=5_000_000,
        status=LeadStatus.CONVERTED if application else LeadStatus.OPEN,
        application=application,
    )
    Lead.objects.filter(pk=lead.pk).update(created_at=at(day))
    return lead


def _application(manager: User, village: Any, n: int, amount: int) -> CreditApplication:
    farmer = complete_farmer(manager, village, seq=100 + n, name=f"农户{n}")
    application = submitted(manager, farmer, amount=str(amount), source="marketing")
    CreditApplication.objects.filter(pk=application.pk).update(created_at=at("2026-11-12"))
    application.refresh_from_db()
    return application


def _loan(application: CreditApplication, by: User, principal: int) -> LoanAccount:
    return LoanAccount.objects.create(
        number=f"LN{application.pk:08d}",
        application=application,
        customer=application.customer,
        product=application.product,
        org_unit=application.org_unit,
        manager=application.manager,
        source="disbursed",
        principal=Decimal(principal),
        annual_rate=Decimal("0.0435"),
        term_months=12,
        repayment_method="equal_installment",
        start_date=dt.date(2026, 11, 20),
        maturity_date=dt.date(2027, 11, 20),
        outstanding_principal=Decimal(principal),
        created_by=by,
    )


@pytest.fixture
def scenario(
    tree: dict[str, OrgUnit], make_user: Callable[..., User], manager: User, colleague: User
) -> Scenario:
    set_today()
    wu = make_user("wu", tree["O12"], Role.MANAGER, full_name="吴六")
    head1 = make_user("head1", tree["B1"], Role.BRANCH_HEAD, full_name="赵行长")
    risk = make_user("risk", tree["HQ"], Role.RISK, full_name="周合规")
    approver = make_user("zhou", tree["B1"], Role.APPROVER, full_name="周审批")
    spring = Campaign.objects.create(
        name="春耕贷",
        scenario="whole_village",
        status="active",
        org_unit=tree["B1"],
        owner=head1,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        goal_contacts=10,
        goal_applications=6,
        goal_amount_fen=26_000_000,
        created_by=head1,
    )
    autumn = Campaign.objects.create(
        name="秋收贷",
        scenario="stock_mining",
        status="active",
        org_unit=tree["B2"],
        owner=colleague,
        starts_on=dt.date(2026, 11, 1),
        ends_on=dt.date(2026, 12, 31),
        created_by=colleague,
    )
    plan = [
        (1, spring, manager, "O11", "V1"),
        (2, spring, manager, "O11", "V1"),
        (3, spring, manager, "O11", "V1"),
        (4, spring, manager, "O11", "V2"),
        (5, spring, manager, "O11", "V2"),
        (6, spring, manager, "O11", "V2"),
        (7, spring, wu, "O12", "V3"),
        (8, spring, wu, "O12", "V3"),
        (9, spring, wu, "O12", "V3"),
        (10, spring, wu, "O12", "V3"),
        (11, autumn, colleague, "O21", "V4"),
        (12, autumn, colleague, "O21", "V4"),
    ]
    targets = {
        n: Target.objects.create(
            campaign=campaign,
            customer=_stock(n, tree[unit], village),
            manager=user,
            org_unit=tree[unit],
            village_code=village,
            grade="A",
        )
        for n, campaign, user, unit, village in plan
    }
    t = targets
    for n in (1, 3, 4):
        _contact(t[n], Outcome.INTERESTED, "2026-11-03")
    _contact(t[2], Outcome.APPLIED, "2026-11-03")
    _contact(t[5], Outcome.NOT_INTERESTED, "2026-11-03")
    _contact(t[6], Outcome.NOT_REACHED, "2026-11-10")
    _contact(t[6], Outcome.NOT_REACHED, "2026-11-10")
    _contact(t[7], Outcome.NOT_REACHED, "2026-11-10")
    _contact(t[8], Outcome.NOT_INTERESTED, "2026-11-10")
    _contact(t[9], Outcome.NOT_INTERESTED, "2026-11-10")
    _contact(t[11], Outcome.NOT_INTERESTED, "2026-11-10")
    _contact(t[12], Outcome.INTERESTED, "2026-11-10")
    Target.objects.filter(pk=t[12].pk).update(status=TargetStatus.EXCLUDED)

    village = make_village()
    a1 = _application(manager, village, 1, 100_000)
    a2 = _application(manager, village, 2, 50_000)
    a3 = _application(manager, village, 3, 30_000)
    _lead(t[1], "2026-11-03", a1)
    _lead(t[3], "2026-11-03", a3)
    _lead(t[4], "2026-11-03")
    _lead(t[7], "2026-11-10")
    Target.objects.filter(pk=t[1].pk).update(application=a1)
    Target.objects.filter(pk=t[2].pk).update(application=a2)
    approved(a1, approver, amount=Decimal(80_000))
    approved(a2, approver)
    _loan(a1, approver, 80_000)
    users = {"zhang": manager, "wu": wu, "li": colleague, "head1": head1, "risk": risk}
    return Scenario(spring, autumn, targets, users)


def counts(row: funnel.Row) -> list[int]:
    return [
        row.counts[s]
        for s in ("target", "reached", "interested", "applied", "approved", "disbursed")
    ]


def wan(row: funnel.Row) -> list[str]:
    return [str(row.amounts_wan[k]) for k in ("applied", "approved", "disbursed")]


def by_label(found: funnel.Funnel) -> dict[str, funnel.Row]:
    return {row.label: row for row in found.rows}


def test_by_campaign_for_risk(scenario: Scenario) -> None:
    found = funnel.funnel(scenario.users["risk"], by="campaign")
    rows = by_label(found)
    assert set(rows) == {"春耕贷", "秋收贷"}
    spring = rows["春耕贷"]
    assert counts(spring) == [10, 8, 5, 3, 2, 1]
    assert wan(spring) == ["18.00", "13.00", "8.00"]
    assert spring.contacts == 10
    assert spring.rate_texts == {
        "reached": "80.0%",
        "interested": "62.5%",
        "applied": "60.0%",
        "approved": "66.7%",
        "disbursed": "50.0%",
        "overall": "10.0%",
    }
    goals = {g["key"]: g for g in spring.goals}
    assert (goals["contacts"]["actual"], goals["contacts"]["completion_text"]) == (8, "80.0%")
    assert (goals["applications"]["actual"], goals["applications"]["completion_text"]) == (
        3,
        "50.0%",
    )
    assert (goals["amount"]["actual"], goals["amount"]["goal"]) == ("13.00", "26.00")
    assert goals["amount"]["completion_text"] == "50.0%"
    autumn = rows["秋收贷"]
    assert counts(autumn) == [1, 1, 0, 0, 0, 0]  # the excluded target is not counted
    assert autumn.contacts == 1
    assert autumn.rate_texts["interested"] == "0.0%"
    assert autumn.rate_texts["applied"] == "—"  # 0 interested: no rate
    assert all(g["completion_text"] == "—" for g in autumn.goals)  # no goals set
    assert counts(found.total) == [11, 9, 5, 3, 2, 1]


def test_by_manager_branch_village(scenario: Scenario) -> None:
    risk = scenario.users["risk"]
    managers = by_label(funnel.funnel(risk, by="manager"))
    assert counts(managers["张三"]) == [6, 5, 4, 3, 2, 1]
    assert wan(managers["张三"]) == ["18.00", "13.00", "8.00"]
    assert counts(managers["吴六"]) == [4, 3, 1, 0, 0, 0]
    assert counts(managers["李四"]) == [1, 1, 0, 0, 0, 0]
    branches = by_label(funnel.funnel(risk, by="branch"))
    assert set(branches) == {"一支行", "二支行"}  # outlets rolled up to their 支行
    assert counts(branches["一支行"]) == [10, 8, 5, 3, 2, 1]
    assert counts(branches["二支行"]) == [1, 1, 0, 0, 0, 0]
    villages = by_label(funnel.funnel(risk, by="village"))
    assert counts(villages["东村"]) == [3, 3, 3, 3, 2, 1]
    assert counts(villages["西村"]) == [3, 2, 1, 0, 0, 0]
    assert counts(villages["南村"]) == [4, 3, 1, 0, 0, 0]
    assert counts(villages["北村"]) == [1, 1, 0, 0, 0, 0]


def test_campaign_filter_and_goals_on_total(scenario: Scenario) -> None:
    found = funnel.funnel(scenario.users["risk"], by="village", campaign=scenario.spring.pk)
    assert set(by_label(found)) == {"东村", "西村", "南村"}
    assert counts(found.total) == [10, 8, 5, 3, 2, 1]
    assert [g["completion_text"] for g in found.total.goals] == ["80.0%", "50.0%", "50.0%"]


def test_period(scenario: Scenario) -> None:
    # 11-09..11-15: contacts of t6-t9, the lead of t7, the three applications (11-12);
    # neither the approvals (11-27) nor the loan (11-20).
    found = funnel.funnel(
        scenario.users["risk"],
        by="campaign",
        campaign=scenario.spring,
        start=dt.date(2026, 11, 9),
        end=dt.date(2026, 11, 15),
    )
    spring = found.rows[0]
    assert counts(spring) == [10, 6, 4, 3, 0, 0]
    assert wan(spring) == ["18.00", "0.00", "0.00"]
    assert spring.contacts == 5


def test_scope(scenario: Scenario) -> None:
    mine = funnel.funnel(scenario.users["zhang"], by="manager")
    assert [r.label for r in mine.rows] == ["张三"]
    assert counts(mine.total) == [6, 5, 4, 3, 2, 1]
    branch = funnel.funnel(scenario.users["head1"], by="campaign")
    assert [r.label for r in branch.rows] == ["春耕贷"]
    assert counts(branch.total) == [10, 8, 5, 3, 2, 1]
    assert list(funnel.visible_campaigns(scenario.users["head1"])) == [scenario.spring]


def test_ranking(scenario: Scenario) -> None:
    ranks = funnel.ranking(scenario.users["risk"])
    # 张三 8 万 disbursed; 吴六 and 李四 nothing applied: 吴六 has 3 contacts, 李四 1.
    assert [r.label for r in ranks] == ["张三", "吴六", "李四"]
    assert [r.rate_texts["overall"] for r in ranks] == ["16.7%", "0.0%", "0.0%"]


def test_trend(scenario: Scenario) -> None:
    weekly = funnel.trend(
        scenario.users["risk"],
        campaign=scenario.spring,
        start=dt.date(2026, 11, 2),
        end=dt.date(2026, 11, 29),
    )
    assert weekly["weeks"] == ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    assert weekly["contacts"] == [5, 5, 0, 0]
    assert weekly["leads"] == [3, 1, 0, 0]
    assert weekly["applications"] == [0, 3, 0, 0]
    assert weekly["disbursed_fen"] == [0, 0, 8_000_000, 0]
    assert weekly["disbursed_wan"] == [0.0, 0.0, 8.0, 0.0]
    default = funnel.trend(scenario.users["risk"], campaign=scenario.spring)
    assert (default["start"], default["end"]) == ("2026-11-01", "2026-12-31")
    assert len(default["weeks"]) == 10  # 10-26 … 12-28


def test_trend_last_twelve_weeks(scenario: Scenario) -> None:
    weekly = funnel.trend(scenario.users["risk"])  # business date 2026-11-27 (a Friday)
    assert weekly["end"] == "2026-11-27"
    assert weekly["weeks"][0] == "2026-09-07" and weekly["weeks"][-1] == "2026-11-23"
    assert len(weekly["weeks"]) == 12
    assert sum(weekly["contacts"]) == 11  # 10 + 1: not the excluded target's contact
