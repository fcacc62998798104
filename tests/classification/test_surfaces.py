"""The API (``/api/v1/classification``) and the pages: the two-level approval end to end, who
may do what, data scope, and the asset-quality figures."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.classification.helpers import open_loan, overdue
from tests.credit.factories import set_today
from xindai.classification import daily
from xindai.classification.models import ClassChange, QuarterlyRun
from xindai.org.models import User

pytestmark = pytest.mark.django_db
Login = Callable[[User], Client]
API = "/api/v1/classification"
D = dt.date


@pytest.fixture(autouse=True)
def business_day(db: Any) -> None:
    set_today(D(2026, 11, 5))


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_propose_and_approve_by_api(
    farmer: Any, officer: User, branch_head: User, risk_officer: User, login: Login
) -> None:
    account = open_loan(farmer, 10_000)
    overdue(account, 100)
    daily.run(D(2026, 11, 5))
    url = f"{API}/loans/{account.pk}/proposals"
    better = post(login(officer), url, {"proposed": "normal", "reason": "已还款"})
    assert better.status_code == 422
    assert "次级" in better.json()["details"]["proposed"][0]
    made = post(
        login(officer),
        url,
        {
            "proposed": "loss",
            "reason": "借款人失联",
            "reasons": ["借款人失联"],
            "evidence": "走访记录",
        },
    )
    assert made.status_code == 201
    pid = made.json()["id"]
    # The proposer's branch head first; risk compliance may not skip the first level.
    early = post(login(risk_officer), f"{API}/proposals/{pid}/approve-final", {})
    assert early.status_code == 409
    first = post(login(branch_head), f"{API}/proposals/{pid}/approve-first", {"note": "同意"})
    assert (first.status_code, first.json()["status"]) == (200, "first_approved")
    final = post(login(risk_officer), f"{API}/proposals/{pid}/approve-final", {"note": "同意"})
    assert (final.status_code, final.json()["status"]) == (200, "approved")
    history = login(risk_officer).get(f"{API}/loans/{account.pk}").json()
    assert history["loan"]["category"] == "loss"
    assert history["manual_floor"] == "loss"
    assert [(h["new"], h["source"]) for h in history["history"]] == [
        ("loss", "manual"),
        ("substandard", "auto"),
    ]
    assert history["loan"]["balance"] == "10000.00"
    queue = login(branch_head).get(f"{API}/proposals?status=approved").json()
    assert [p["id"] for p in queue["items"]] == [pid]


def test_reject_by_api_needs_a_reason(
    farmer: Any, officer: User, branch_head: User, login: Login
) -> None:
    account = open_loan(farmer, 10_000)
    made = post(
        login(officer),
        f"{API}/loans/{account.pk}/proposals",
        {"proposed": "special_mention", "reason": "经营下滑"},
    ).json()
    url = f"{API}/proposals/{made['id']}/reject"
    assert post(login(branch_head), url, {"reason": ""}).status_code == 422
    assert post(login(officer), url, {"reason": "撤回"}).status_code == 409  # not an approver
    done = post(login(branch_head), url, {"reason": "证据不足"})
    assert (done.status_code, done.json()["status"], done.json()["rejection"]) == (
        200,
        "rejected",
        "证据不足",
    )


def test_api_access_and_scope(
    farmer: Any,
    manager: User,
    colleague: User,
    officer: User,
    branch_head: User,
    risk_officer: User,
    login: Login,
) -> None:
    account = open_loan(farmer, 10_000)
    # 客户经理 sees his own loans, cannot propose, approve or run.
    mine = login(manager).get(API).json()
    assert [r["loan_id"] for r in mine["items"]] == [account.pk]
    assert post(login(manager), f"{API}/loans/{account.pk}/proposals", {}).status_code in (403,)
    assert post(login(manager), f"{API}/quarterly", {}).status_code == 403
    # A colleague of another branch sees none of them.
    assert login(colleague).get(API).json()["count"] == 0
    assert login(colleague).get(f"{API}/loans/{account.pk}").status_code == 404
    # 支行行长 cannot approve at the second level or run the quarterly classification.
    assert post(login(branch_head), f"{API}/proposals/1/approve-final", {}).status_code == 403
    assert post(login(branch_head), f"{API}/quarterly", {}).status_code == 403
    assert post(login(officer), f"{API}/proposals/1/approve-first", {}).status_code == 403
    # 风险合规 runs it once per quarter.
    ran = post(login(risk_officer), f"{API}/quarterly", {})
    assert (ran.status_code, ran.json()["quarter"]) == (201, "2026Q4")
    again = post(login(risk_officer), f"{API}/quarterly", {})
    assert (again.status_code, again.json()["code"]) == (409, "already_run")
    assert login(risk_officer).get(f"{API}/quarterly").json()[0]["total"] == 0


def test_quality_figures_by_api(farmer: Any, risk_officer: User, login: Login) -> None:
    """10,000 次级 (100 days, classified on 11-06) and 30,000 正常: 不良率 10,000 / 40,000 =
    25%; from 11-05 to 11-06 one of the two 正常 loans migrated: 50%."""
    bad, _good = open_loan(farmer, 10_000), open_loan(farmer, 30_000)
    overdue(bad, 100)
    daily.run(D(2026, 11, 6))
    client = login(risk_officer)
    q = client.get(f"{API}/quality").json()
    assert (q["total"], q["npl"], q["npl_ratio"]) == ("40000.00", "10000.00", 0.25)
    assert q["by_class"]["substandard"] == {"count": 1, "balance": "10000.00"}
    assert q["overdue_buckets"][2] == {"key": "91-180", "count": 1, "balance": "10000.00"}
    by_product = client.get(f"{API}/npl?by=product").json()
    assert [(r["total"], r["npl"], r["ratio"]) for r in by_product] == [
        ("40000.00", "10000.00", 0.25)
    ]
    assert client.get(f"{API}/npl?by=village").status_code == 400
    m = client.get(f"{API}/matrix?start=2026-11-05&end=2026-11-06").json()
    normal = m["rows"][0]
    assert (normal["counts"], normal["rate"]) == ([1, 0, 1, 0, 0], 0.5)
    assert client.get(f"{API}/matrix?start=2026-11-05&end=2026-11-04").status_code == 400
    listed = client.get(f"{API}?category=substandard").json()
    assert [r["loan_id"] for r in listed["items"]] == [bad.pk]


def test_pages(
    farmer: Any, officer: User, branch_head: User, risk_officer: User, login: Login
) -> None:
    account = open_loan(farmer, 10_000)
    overdue(account, 100)
    daily.run(D(2026, 11, 5))
    ledger = login(officer).get(reverse("classification:ledger"), {"category": "substandard"})
    assert ledger.status_code == 200
    assert account.number in ledger.content.decode()
    assert reverse("loans:account", args=[account.pk]) in ledger.content.decode()
    rows = (
        login(officer)
        .get(
            reverse("classification:ledger"), {"q": account.number}, headers={"HX-Request": "true"}
        )
        .content.decode()
    )
    assert account.number in rows
    assert "<html" not in rows  # the rows only, for htmx
    empty = login(officer).get(reverse("classification:ledger"), {"q": "没有这个人"})
    assert "没有符合条件的贷款" in empty.content.decode()
    page = reverse("classification:loan", args=[account.pk])
    refused = login(officer).post(page, {"proposed": "normal", "reason": "x"})
    assert refused.status_code == 422
    assert "不得优于" in refused.content.decode()
    login(officer).post(
        page, {"proposed": "doubtful", "reason": "停产", "reasons": ["贷款重组或展期"]}
    )
    queue = login(branch_head).get(reverse("classification:proposals")).content.decode()
    assert account.number in queue
    proposal = account.class_proposals.get()
    login(branch_head).post(reverse("classification:approve_first", args=[proposal.pk]))
    login(risk_officer).post(reverse("classification:approve_final", args=[proposal.pk]))
    assert ClassChange.objects.filter(loan=account, new="doubtful", source="manual").exists()
    history = login(officer).get(page).content.decode()
    assert "人工认定" in history
    dashboard = login(risk_officer).get(reverse("classification:quality"))
    assert dashboard.status_code == 200
    assert 'id="quality-data"' in dashboard.content.decode()
    assert "100.00%" in dashboard.content.decode()  # 不良率: all 10,000 is 可疑
    quarterly = reverse("classification:quarterly")
    assert login(risk_officer).post(quarterly).status_code == 302
    done = login(risk_officer).get(quarterly).content.decode()
    assert 'id="quarter-done"' in done
    run = QuarterlyRun.objects.get()
    progress = login(officer).get(reverse("classification:quarterly_progress", args=[run.pk]))
    assert "100%" in progress.content.decode()
    # 贷后 may look but not run it.
    assert 'id="run-quarterly"' not in login(officer).get(quarterly).content.decode()
