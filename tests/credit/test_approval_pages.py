"""The pages of 审查、审贷小组 and 审批 (issue 7): the walk through forms, as the browser
posts them, and the refusals shown."""

from __future__ import annotations

import pytest

from tests.credit.approval_factories import at_approval, at_review, members
from xindai.credit.models_approval import ApprovedTerms

pytestmark = pytest.mark.django_db


def test_review_page_saves_and_passes(manager, farmer, co_investigator, reviewer, login) -> None:
    application = at_review(manager, farmer, co_investigator)
    client = login(reviewer)
    assert application.number in client.get("/credit/review/queue/").content.decode()
    page = client.get(f"/credit/applications/{application.pk}/review/").content.decode()
    assert "抵押率" in page and "审查通过" in page
    data = {f"{k}-result": "ok" for k in ("legality", "investigation", "repayment", "credit")}
    data |= {"security-result": "concern", "security-note": "", "risks-result": "ok"}
    refused = client.post(
        f"/credit/applications/{application.pk}/review/",
        data | {"opinion": "x", "decision": "pass"},
    )
    assert "审查意见不完整" in refused.content.decode()
    application.refresh_from_db()
    assert application.stage == "review"
    data["security-note"] = "抵押物变现能力一般"
    done = client.post(
        f"/credit/applications/{application.pk}/review/",
        data | {"opinion": "同意", "decision": "pass"},
    )
    assert done.status_code == 302
    application.refresh_from_db()
    assert application.stage == "approval"


def test_committee_and_approval_pages(
    manager, farmer, co_investigator, reviewer, approver, make_user, tree, login
) -> None:
    application = at_approval(manager, farmer, co_investigator, reviewer)
    people = members(make_user, tree["B1"], 5)
    clerk = login(people[0])
    base = f"/credit/applications/{application.pk}"
    clerk.post(
        f"{base}/committee/open/",
        {"held_at": "2026-11-27T09:30", "place": "会议室", "chair": people[0].pk},
    )
    meeting = application.meetings.get()
    votes = {f"m{m.pk}-present": "on" for m in people} | {f"m{m.pk}-vote": "agree" for m in people}
    clerk.post(f"{base}/committee/{meeting.pk}/votes/", votes)
    clerk.post(f"{base}/committee/{meeting.pk}/close/", {"conditions": "落实保证金"})
    meeting.refresh_from_db()
    assert meeting.decision == "pass"
    assert clerk.get(f"{base}/committee/{meeting.pk}/minutes/").status_code == 200
    boss = login(approver)
    page = boss.get(f"{base}/approval/").content.decode()
    assert "您的审批权限：30 万元" in page
    assert application.number in boss.get("/credit/approval/queue/").content.decode()
    terms = {
        "amount": "100000",
        "term_months": str(application.term_months),
        "annual_rate": "0.0435",
        "repayment_method": application.repayment_method,
        "guarantee_methods": list(application.guarantee_methods),
        "conditions": "落实保证金",
    }
    assert boss.post(f"{base}/approval/", terms).status_code == 302
    condition = ApprovedTerms.objects.get().conditions.get()
    detail = login(manager).get(f"{base}/").content.decode()
    assert "批复条款 V1" in detail
    login(manager).post(f"{base}/terms/conditions/{condition.pk}/met/", {"evidence": "已存入"})
    condition.refresh_from_db()
    assert condition.evidence == "已存入"
