"""The workbench pages: the route by village, the quick contact form (saved, or refused with
the reasons shown and nothing saved), the review, leads, consents and "为什么选中我"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.marketing.work_factories import campaign, moment, stock, target
from xindai.marketing.models import Consent, Contact, Lead, Target, TargetStatus
from xindai.org.models import OrgUnit, User


@pytest.fixture
def world(tree: dict[str, OrgUnit], manager: User, branch_head: User) -> dict[str, Any]:
    camp = campaign(branch_head, tree["B1"])
    wang = stock(tree["O11"], "C001", "王大山", actor=manager)
    liu = stock(tree["O11"], "C002", "刘二", actor=manager, village=("110101001002", "杨庄村"))
    return {"wang": wang, "t": target(camp, wang, manager, "A"), "t2": target(camp, liu, manager)}


def test_workbench_shows_the_route_by_village(
    world: dict[str, Any], manager: User, login: Any
) -> None:
    page = login(manager).get("/marketing/workbench/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "多福巷村" in html and "杨庄村" in html
    assert "登记接触" in html
    assert "139****1234" in html and "13900001234" not in html


def test_contact_form_has_spin_hints_and_saves(
    world: dict[str, Any], manager: User, login: Any
) -> None:
    client = login(manager)
    form = client.get("/marketing/contacts/new/", {"target": world["t"].pk}).content.decode()
    for label in ("背景问题（S）", "难点问题（P）", "暗示问题（I）", "价值问题（N）"):
        assert label in form
    assert "了解现状" in form and "明天" in form and "下周" in form
    answer = client.post(
        "/marketing/contacts/new/",
        {
            "target": world["t"].pk,
            "channel": "visit",
            "outcome": "interested",
            "contacted_at": moment(1).strftime("%Y-%m-%dT%H:%M"),
            "problem": "饲料涨价",
            "preset": "3",
        },
    )
    assert answer.status_code == 302
    contact = Contact.objects.get()
    assert contact.problem == "饲料涨价"
    assert contact.next_follow_up == timezone.localdate() + dt.timedelta(days=3)
    assert Target.objects.get(pk=world["t"].pk).status == TargetStatus.INTERESTED


def test_refused_contact_shows_the_reasons_and_saves_nothing(
    world: dict[str, Any], manager: User, login: Any
) -> None:
    client = login(manager)
    client.post(
        f"/marketing/customers/{world['wang'].pk}/consents/record/",
        {"purpose": "marketing_data", "granted": "0", "evidence": "撤回书 001"},
    )
    answer = client.post(
        "/marketing/contacts/new/",
        {"target": world["t"].pk, "channel": "phone", "outcome": "interested"},
    )
    assert answer.status_code == 200
    assert "不能登记此次营销接触" in answer.content.decode()
    assert "个人信息用于营销" in answer.content.decode()
    assert not Contact.objects.exists()


def test_review_and_contacts_and_leads(world: dict[str, Any], manager: User, login: Any) -> None:
    client = login(manager)
    client.post(
        "/marketing/contacts/new/",
        {
            "target": world["t"].pk,
            "channel": "phone",
            "outcome": "applied",
            "contacted_at": moment(1).strftime("%Y-%m-%dT%H:%M"),
            "needs": "备耕 5 万",
        },
    )
    lead = Lead.objects.get()
    day = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    review = client.get("/marketing/review/", {"day": day}).content.decode()
    assert "王大山" in review and "备耕 5 万" in review
    assert "王大山" in client.get("/marketing/contacts/").content.decode()
    assert "王大山" in client.get("/marketing/leads/").content.decode()
    detail = client.get(f"/marketing/leads/{lead.pk}/").content.decode()
    assert "转为信贷申请" in detail


def test_consent_page_grant_withdraw_and_refusal(
    world: dict[str, Any], manager: User, login: Any
) -> None:
    client = login(manager)
    url = f"/marketing/customers/{world['wang'].pk}/consents/"
    html = client.get(url).content.decode()
    for label in ("个人信息用于营销", "个性化营销", "金融账户信息", "征信查询", "向第三方提供"):
        assert label in html
    assert "checked" not in html  # nothing pre-ticked
    client.post(
        url + "record/", {"purpose": "personalised", "granted": "0", "evidence": "撤回书 7"}
    )
    world["wang"].refresh_from_db()
    assert world["wang"].opted_out_at is not None
    assert Target.objects.get(pk=world["t"].pk).status == TargetStatus.EXCLUDED
    # Without evidence nothing is recorded.
    client.post(url + "record/", {"purpose": "sharing", "granted": "1", "evidence": ""})
    assert not Consent.objects.filter(purpose="sharing").exists()
    client.post(f"/marketing/customers/{world['wang'].pk}/refusals/", {"channel": "phone"})
    html = client.get(url).content.decode()
    assert "撤回书 7" in html and "客户要求解除" in html


def test_why_page_is_printable(world: dict[str, Any], manager: User, login: Any) -> None:
    html = login(manager).get(f"/marketing/targets/{world['t'].pk}/why/").content.decode()
    assert "借款意愿概率 30%" in html and "入选不代表贷款一定获批" in html


def test_other_branch_and_outsider(
    world: dict[str, Any], colleague: User, outsider: User, login: Any
) -> None:
    assert login(colleague).get(f"/marketing/targets/{world['t'].pk}/why/").status_code == 404
    assert (
        login(colleague).get("/marketing/contacts/new/", {"target": world["t"].pk}).status_code
        == 404
    )
    assert login(outsider).get("/marketing/workbench/").status_code == 403
