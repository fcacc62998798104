"""The approval API (issue 7): review opinion, committee, authority, approval with terms,
escalation, change of terms and conditions, end to end over HTTP."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from django.test import Client

from tests.credit.approval_factories import ALL_OK, at_approval, at_review, members
from xindai.credit.models_approval import ApprovedTerms

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_review_opinion_and_pass_over_the_api(
    manager, farmer, co_investigator, reviewer, login
) -> None:
    application = at_review(manager, farmer, co_investigator)
    client = login(reviewer)
    queue = client.get(f"{API}/queues/review").json()
    assert [row["id"] for row in queue] == [application.pk]
    incomplete = post(client, f"{API}/{application.pk}/review", {"answers": {}, "opinion": ""})
    assert incomplete.status_code == 422
    assert set(incomplete.json()["details"]) >= {"legality", "opinion"}
    body = {"answers": ALL_OK, "opinion": "同意", "decision": "pass"}
    done = post(client, f"{API}/{application.pk}/review", body)
    assert done.status_code == 201, done.json()
    assert done.json()["stage"] == "approval"
    shown = client.get(f"{API}/{application.pk}/review").json()
    assert shown["opinions"][0]["opinion"] == "同意" and len(shown["items"]) == 6
    assert shown["collateral_ratio"] is None  # no collateral registered


def test_the_investigator_may_not_read_the_review_queue_as_reviewer(
    manager, farmer, co_investigator, login
) -> None:
    at_review(manager, farmer, co_investigator)
    assert login(manager).get(f"{API}/queues/review").json() == []


def test_committee_approval_terms_and_conditions_over_the_api(
    manager, farmer, co_investigator, reviewer, approver, make_user, tree, login
) -> None:
    application = at_approval(manager, farmer, co_investigator, reviewer)
    people = members(make_user, tree["B1"], 5)
    clerk = login(people[0])
    url = f"{API}/{application.pk}"
    opened = post(
        clerk,
        f"{url}/meetings",
        {"held_at": "2026-11-27T09:30:00+08:00", "place": "会议室", "chair": people[0].pk},
    )
    assert opened.status_code == 201, opened.json()
    meeting = opened.json()["id"]
    for member in people[:4]:
        voted = post(
            clerk, f"{url}/meetings/{meeting}/votes", {"member": member.pk, "vote": "agree"}
        )
        assert voted.status_code == 200
    short = post(clerk, f"{url}/meetings/{meeting}/close", {"conditions": ""})
    assert short.status_code == 409 and short.json()["code"] == "no_quorum"
    post(clerk, f"{url}/meetings/{meeting}/votes", {"member": people[4].pk, "vote": "disagree"})
    closed = post(clerk, f"{url}/meetings/{meeting}/close", {"conditions": "落实保证金"})
    assert closed.json()["decision"] == "pass"  # 4 of 5
    minutes = clerk.get(f"{url}/meetings/{meeting}/minutes")
    assert minutes.status_code == 200
    content = b"".join(minutes.streaming_content) if minutes.streaming else minutes.content
    assert hashlib.sha256(content).hexdigest() == closed.json()["minutes_sha256"]

    boss = login(approver)
    assert boss.get(f"{url}/authority").json() == {
        "amount": "100000.00",
        "my_authority": "300000.00",
        "within": True,
    }
    queue = boss.get(f"{API}/queues/approval").json()
    assert queue[0]["id"] == application.pk and queue[0]["my_authority"] == "300000.00"
    terms = {
        "amount": "90000",
        "term_months": application.term_months,
        "annual_rate": "0.0435",
        "repayment_method": application.repayment_method,
        "guarantee_methods": list(application.guarantee_methods),
        "conditions": ["落实保证金"],
    }
    done = post(boss, f"{url}/approval", terms)
    assert done.status_code == 201, done.json()
    assert done.json()["amount"] == "90000.00" and done.json()["version"] == 1
    condition = done.json()["conditions"][0]["id"]
    shown = boss.get(f"{url}/terms").json()
    assert shown["disbursement_problems"] == ["批复条件未落实：落实保证金"]
    met = post(login(manager), f"{url}/conditions/{condition}/met", {"evidence": "已存入"})
    assert met.status_code == 200 and met.json()["evidence"] == "已存入"
    changed = post(login(manager), f"{url}/terms/change", {"reason": "客户要求"})
    assert changed.status_code == 200 and changed.json()["superseded_reason"] == "客户要求"
    assert ApprovedTerms.objects.get().superseded_at is not None


def test_refused_approval_changes_nothing(
    manager, farmer, co_investigator, reviewer, approver, login
) -> None:
    application = at_approval(manager, farmer, co_investigator, reviewer)
    terms = {
        "amount": "100000",
        "term_months": application.term_months,
        "annual_rate": "0.0435",
        "repayment_method": application.repayment_method,
        "guarantee_methods": ["credit"],
    }
    refused = post(login(approver), f"{API}/{application.pk}/approval", terms)
    assert refused.status_code == 409 and "committee" in refused.json()["details"]
    assert not ApprovedTerms.objects.exists()
