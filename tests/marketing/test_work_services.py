"""The workbench services: logging contacts (compliance refusals save nothing, a double submit
saves once, the target moves on, interest becomes a lead), consents and channel refusals, the
day's plan grouped by village and the day's review, and a lead becoming an application."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.credit.factories import farmer_product
from tests.customers.factories import make_village
from tests.customers.ids import resident_id
from tests.marketing.work_factories import campaign, moment, stock, target
from xindai.core.errors import DomainError, InvalidInput
from xindai.credit.models import CreditApplication
from xindai.marketing import compliance, leads, work
from xindai.marketing.models import (
    ChannelRefusal,
    Contact,
    Lead,
    LeadStatus,
    Target,
    TargetStatus,
)
from xindai.org.models import OrgUnit, User

YANG = ("110101001002", "杨庄村")


@pytest.fixture
def world(tree: dict[str, OrgUnit], manager: User, branch_head: User) -> dict[str, Any]:
    camp = campaign(branch_head, tree["B1"])
    wang = stock(tree["O11"], "C001", "王大山", actor=manager)
    liu = stock(tree["O11"], "C002", "刘二", actor=manager, village=YANG)
    return {
        "campaign": camp,
        "wang": wang,
        "liu": liu,
        "t_wang": target(camp, wang, manager, "A"),
        "t_liu": target(camp, liu, manager, "B"),
    }


def contact(manager: User, t: Target, **fields: Any) -> Contact:
    data = {"target": t.pk, "channel": "visit", "outcome": "interested", "contacted_at": moment(1)}
    return work.log_contact(manager, data | fields)


def test_contact_with_spin_moves_the_target_and_makes_a_lead(
    world: dict[str, Any], manager: User
) -> None:
    product = farmer_product()
    c = contact(
        manager,
        world["t_wang"],
        situation="种了 12 亩水稻",
        problem="化肥涨价，周转紧",
        implication="误了农时会减产",
        need_payoff="备耕贷款可按时播种",
        needs="备耕资金 5 万",
        products=[product.pk],
        amount="50000",
        next_step="下周带资料上门",
        next_follow_up=(timezone.localdate() + dt.timedelta(days=7)).isoformat(),
    )
    assert c.problem == "化肥涨价，周转紧"
    assert list(c.products_discussed.all()) == [product]
    t = Target.objects.get(pk=world["t_wang"].pk)
    assert t.status == TargetStatus.INTERESTED
    assert t.next_follow_up == timezone.localdate() + dt.timedelta(days=7)
    lead = Lead.objects.get()
    assert (lead.customer, lead.product, lead.amount_fen, lead.need) == (
        world["wang"],
        product,
        5_000_000,
        "备耕资金 5 万",
    )


def test_not_reached_is_an_attempt_and_stays_new(world: dict[str, Any], manager: User) -> None:
    contact(manager, world["t_wang"], outcome="not_reached", channel="phone")
    assert Target.objects.get(pk=world["t_wang"].pk).status == TargetStatus.NEW
    contact(manager, world["t_liu"], outcome="not_interested", channel="phone")
    assert Target.objects.get(pk=world["t_liu"].pk).status == TargetStatus.DECLINED
    assert not Lead.objects.exists()


def test_refused_contact_saves_nothing_and_gives_every_reason(
    world: dict[str, Any], manager: User
) -> None:
    compliance.record_consent(
        manager, world["wang"], "marketing_data", False, "录音 R-17", effective_at=moment(3)
    )
    compliance.refuse_channel(manager, world["wang"], "phone", "电话里说别再打来")
    with pytest.raises(DomainError) as caught:
        contact(manager, world["t_wang"], channel="phone", contacted_at=moment(1, 21, 0))
    assert caught.value.details["reasons"] == [
        "客户“个人信息用于营销”的授权未生效或已撤回/过期，不得营销接触",
        "客户已拒绝通过“电话”联系",
        "21:00 至次日 08:00 为免打扰时段，不得营销接触",
    ]
    assert not Contact.objects.exists()
    assert Target.objects.get(pk=world["t_wang"].pk).status == TargetStatus.NEW


def test_frequency_caps_count_every_managers_contacts(
    world: dict[str, Any], manager: User, make_user: Any, tree: dict[str, OrgUnit]
) -> None:
    from xindai.org.roles import Role

    other = make_user("zhao", tree["O11"], Role.MANAGER, full_name="赵六")
    work.log_contact(
        other,
        {
            "customer": world["wang"].pk,
            "channel": "visit",
            "outcome": "not_reached",
            "contacted_at": moment(6),
        },
    )
    contact(manager, world["t_wang"], outcome="not_reached", contacted_at=moment(2))
    with pytest.raises(DomainError) as caught:
        contact(manager, world["t_wang"], contacted_at=moment(1))
    assert caught.value.details["reasons"] == ["近 7 天已接触 2 次，达到每 7 天最多 2 次的上限"]
    assert Contact.objects.count() == 2


def test_a_repeated_submission_saves_one_contact(world: dict[str, Any], manager: User) -> None:
    first = contact(manager, world["t_wang"], contacted_at=moment(1, 10, 0))
    again = contact(manager, world["t_wang"], contacted_at=moment(1, 10, 0))
    assert again.pk == first.pk
    assert Contact.objects.count() == 1
    assert Lead.objects.count() == 1


def test_future_contact_and_bad_input_are_refused(world: dict[str, Any], manager: User) -> None:
    with pytest.raises(InvalidInput) as caught:
        contact(
            manager,
            world["t_wang"],
            channel="pigeon",
            contacted_at=timezone.now() + dt.timedelta(hours=2),
        )
    assert set(caught.value.details) == {"channel", "contacted_at"}
    assert not Contact.objects.exists()


def test_another_managers_target_is_not_found(world: dict[str, Any], colleague: User) -> None:
    with pytest.raises(DomainError):
        contact(colleague, world["t_wang"])


def test_withdrawing_personalised_marketing_excludes_open_targets(
    world: dict[str, Any], manager: User
) -> None:
    contact(manager, world["t_wang"], outcome="applied")
    camp2 = campaign(manager, world["wang"].org_unit, name="存量挖掘")
    open_target = target(camp2, world["wang"], manager, "B")
    compliance.record_consent(manager, world["wang"], "personalised", False, "书面撤回 W-3")
    world["wang"].refresh_from_db()
    assert world["wang"].opted_out_at is not None
    open_target.refresh_from_db()
    assert (open_target.status, open_target.exclusion_reason) == (
        TargetStatus.EXCLUDED,
        "客户撤回个性化营销授权",
    )
    # Already applied: not moved back.
    assert Target.objects.get(pk=world["t_wang"].pk).status == TargetStatus.APPLIED
    # A contact the customer asked for himself (no target) is still possible.
    work.log_contact(
        manager,
        {
            "customer": world["wang"].pk,
            "channel": "visit",
            "outcome": "interested",
            "contacted_at": moment(0, 9, 0)
            if timezone.localtime() > moment(0, 9, 0)
            else moment(3, 9, 0),
        },
    )


def test_consent_needs_evidence_and_keeps_history(world: dict[str, Any], manager: User) -> None:
    with pytest.raises(InvalidInput):
        compliance.record_consent(manager, world["liu"], "credit_report", True, "  ")
    compliance.record_consent(
        manager, world["liu"], "credit_report", True, "授权书 Z-1", "贷款审批"
    )
    assert compliance.consent_in_force(world["liu"], "credit_report")
    compliance.record_consent(manager, world["liu"], "credit_report", False, "撤回书 Z-2")
    assert not compliance.consent_in_force(world["liu"], "credit_report")
    states = {s["purpose"]: s for s in compliance.consent_states(world["liu"])}
    assert len(states) == 5
    assert [c.evidence for c in states["credit_report"]["history"]] == ["撤回书 Z-2", "授权书 Z-1"]
    assert states["marketing_data"]["in_force"] is True


def test_channel_refusal_is_recorded_once_and_lifted(world: dict[str, Any], manager: User) -> None:
    first = compliance.refuse_channel(manager, world["liu"], "sms", "")
    assert compliance.refuse_channel(manager, world["liu"], "sms", "") == first
    compliance.lift_refusal(manager, first)
    assert ChannelRefusal.objects.get().lifted_at is not None
    assert compliance.refused_channels(world["liu"]) == set()


def test_plan_groups_by_village_in_grade_order(
    world: dict[str, Any], manager: User, tree: dict[str, OrgUnit]
) -> None:
    today = timezone.localdate()
    camp = world["campaign"]
    zhou = stock(tree["O11"], "C003", "周三", actor=manager, village=YANG)
    sun = stock(tree["O11"], "C004", "孙四", actor=manager)
    later = stock(tree["O11"], "C005", "吴五", actor=manager)
    target(camp, zhou, manager, "A", next_follow_up=today)  # due today
    target(camp, sun, manager, "C")
    target(
        camp,
        later,
        manager,
        "A",
        status=TargetStatus.REACHED,
        next_follow_up=today + dt.timedelta(days=3),
    )  # not due
    day_plan = work.plan(manager, today)
    assert [(v.name, [t.customer.name for t in v.targets]) for v in day_plan.villages] == [
        ("杨庄村", ["周三", "刘二"]),  # its A target is due today: first stop
        ("多福巷村", ["王大山", "孙四"]),
    ]
    assert day_plan.target_count == 4
    in_three = work.plan(manager, today + dt.timedelta(days=3))
    assert in_three.target_count == 5


def test_review_counts_the_day(world: dict[str, Any], manager: User) -> None:
    contact(
        manager, world["t_wang"], channel="visit", outcome="interested", contacted_at=moment(1, 10)
    )
    contact(
        manager, world["t_liu"], channel="phone", outcome="not_reached", contacted_at=moment(1, 15)
    )
    summary = work.review(manager, timezone.localdate() - dt.timedelta(days=1))
    assert summary["contact_count"] == 2
    assert summary["customers_reached"] == 1
    assert {r["channel"]: r["count"] for r in summary["by_channel"]}["phone"] == 1
    assert {r["outcome"]: r["count"] for r in summary["by_outcome"]} == {
        "not_reached": 1,
        "not_interested": 0,
        "interested": 1,
        "applied": 0,
    }
    assert work.review(manager, timezone.localdate())["contact_count"] == 0


@pytest.fixture
def today_business(db: Any) -> None:
    from tests.credit.factories import set_today

    set_today()


def test_lead_converts_into_an_application_from_a_new_archive(
    world: dict[str, Any], manager: User, today_business: None
) -> None:
    make_village()
    product = farmer_product()
    w = world["wang"]
    w.id_number = resident_id(born=dt.date(1980, 5, 17), seq=123)
    w.save()
    contact(manager, world["t_wang"], products=[product.pk], amount="80000", needs="扩种")
    lead = Lead.objects.get()
    application = leads.convert(
        manager,
        lead,
        {
            "product": product.pk,
            "amount": "80000",
            "term_months": "12",
            "purpose": "farmer",
            "purpose_text": "扩种水稻",
            "repayment_method": "interest_only",
            "guarantee_methods": ["credit"],
            "legal_capacity": "full",
        },
    )
    assert application.source == "marketing"
    assert application.customer.id_number == w.id_number
    w.refresh_from_db()
    assert w.archive == application.customer
    lead.refresh_from_db()
    assert (lead.status, lead.application) == (LeadStatus.CONVERTED, application)
    t = Target.objects.get(pk=world["t_wang"].pk)
    assert (t.status, t.amount_fen, t.application) == (TargetStatus.APPLIED, 8_000_000, application)
    with pytest.raises(DomainError):
        leads.convert(manager, lead, {})


def test_conversion_refused_without_resident_id(world: dict[str, Any], manager: User) -> None:
    contact(manager, world["t_liu"])
    lead = Lead.objects.get()
    with pytest.raises(DomainError) as caught:
        leads.convert(manager, lead, {})
    assert "居民身份证号" in caught.value.message
    assert not CreditApplication.objects.exists()
    lead.refresh_from_db()
    assert lead.status == LeadStatus.OPEN


def test_someone_elses_lead_cannot_be_converted(
    world: dict[str, Any], manager: User, colleague: User
) -> None:
    contact(manager, world["t_liu"])
    with pytest.raises(PermissionDenied):
        leads.convert(colleague, Lead.objects.get(), {})


def test_contact_logged_after_a_withdrawal_is_refused_even_if_dated_before(
    world: dict[str, Any], manager: User
) -> None:
    compliance.record_consent(manager, world["wang"], "marketing_data", False, "撤回书 9")
    with pytest.raises(DomainError):
        contact(manager, world["t_wang"], contacted_at=moment(2))
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    ("core_code", "archive_code"),
    [("A011", "011"), ("0111", "0111"), ("a014", "014"), ("", ""), ("Z99", ""), ("A", "")],
)
def test_the_core_systems_industry_code_fits_the_archive(core_code: str, archive_code: str) -> None:
    from xindai.marketing.leads import archive_industry_code

    assert archive_industry_code(core_code) == archive_code
