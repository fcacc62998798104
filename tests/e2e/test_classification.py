"""五级分类 in a real browser: a 贷后 officer proposes 可疑 for a 次级 loan with reasons and
evidence; the branch head approves at the first level and risk compliance at the second (each
after a confirmation); the loan's history shows the manual change. The 资产质量 dashboard draws
its charts (classes, overdue buckets, 不良率, migration matrix). The console stays clean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.classification.helpers import open_loan, overdue
from tests.credit.factories import complete_farmer
from tests.customers.factories import make_village
from tests.e2e.conftest import PHONE, ConsoleLog
from tests.e2e.test_shell import sign_in, site  # noqa: F401  (the live server fixture)
from xindai.classification import daily
from xindai.classification.models import ClassChange
from xindai.loans.models import LoanAccount
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
    manager: User,
    branch_head: User,
    risk_officer: User,
) -> dict[str, User]:
    officer = make_user("post1", tree["B1"], Role.POSTLOAN, full_name="孙贷后")
    return {"officer": officer, "head": branch_head, "risk": risk_officer, "manager": manager}


@pytest.fixture
def loans(site: str, people: dict[str, User]) -> list[LoanAccount]:  # noqa: F811
    """Four loans of 王大山: 10,000 次级 (100 days past due), 20,000 关注 (20 days), 30,000 and
    40,000 正常; classified on 2026-11-20 and 2026-11-27 (so the matrix has movements)."""
    farmer = complete_farmer(people["manager"], make_village())
    made = [open_loan(farmer, n) for n in (10_000, 20_000, 30_000, 40_000)]
    overdue(made[1], 20)
    daily.run(dt.date(2026, 11, 20))
    overdue(made[0], 100)
    daily.run(dt.date(2026, 11, 27))
    return made


def test_propose_approve_twice_and_the_dashboard(
    site: str,  # noqa: F811
    loans: list[LoanAccount],
    page: Page,
    console: ConsoleLog,
    new_context: Callable[..., Any],
    screenshot: Callable[..., Any],
) -> None:
    bad = loans[0]
    sign_in(page, site, "post1")
    page.goto(f"{site}/classification/")
    page.select_option("#id_category", "substandard")
    expect(page.locator("#class-ledger tbody tr")).to_have_count(1)
    expect(page.locator("#class-ledger tbody tr").first).to_contain_text(bad.number)
    page.goto(f"{site}/classification/")
    screenshot(page, "classification-ledger.png")
    page.goto(f"{site}/classification/loans/{bad.pk}/")
    page.select_option("#id_proposed", "doubtful")
    page.locator("label", has_text="借款人经营或财务状况恶化").click()
    page.fill("#id_reason", "养殖场遭受疫病已停产，第一还款来源中断")
    page.fill("#id_evidence", "2026-11-26 贷后检查记录；停产通知")
    screenshot(page, "classification-propose.png")
    page.locator("#propose-submit").click()
    expect(page.locator("#loan-proposals")).to_contain_text("待一级审批")

    head = console.watch(new_context().new_page())
    sign_in(head, site, "head1")
    head.goto(f"{site}/classification/proposals/")
    item = head.locator("#proposal-list li").first
    expect(item).to_contain_text(bad.number)
    screenshot(head, "classification-queue.png")
    item.get_by_role("button", name="一级审批通过…").click()
    head.locator(".modal.show input[name=note]").fill("情况属实，同意")
    head.locator(".modal.show button[type=submit]").click()
    expect(head.locator(".alert")).to_contain_text("一级审批通过")

    risk = console.watch(new_context(viewport=PHONE).new_page())
    sign_in(risk, site, "risk")
    risk.goto(f"{site}/classification/proposals/?status=first_approved")
    risk.locator("#proposal-list li").first.get_by_role("button", name="二级审批通过…").click()
    expect(risk.locator(".modal.show .modal-body")).to_contain_text("立即调整为“可疑”")
    risk.locator(".modal.show button[type=submit]").click()
    expect(risk.locator(".alert")).to_contain_text("分类已生效")
    assert ClassChange.objects.filter(loan=bad, new="doubtful", source="manual").exists()

    page.goto(f"{site}/classification/loans/{bad.pk}/")
    expect(page.locator("#current-class")).to_contain_text("可疑")
    expect(page.locator("#class-history tbody tr").first).to_contain_text("人工认定")
    screenshot(page, "classification-history.png")

    risk.set_viewport_size({"width": 1366, "height": 800})
    risk.goto(f"{site}/classification/quality/?start=2026-11-20&end=2026-11-27")
    # 不良率: 10,000 of 100,000 = 10.00%.
    expect(risk.locator("#npl-ratio")).to_have_text("10.00%")
    for chart in ("classes", "buckets", "npl-branch", "npl-product", "npl-manager", "matrix"):
        expect(risk.locator(f"#chart-{chart} canvas")).to_have_count(1)
    # 关注 on 11-20 (the 20,000 loan) stays 关注; of the three 正常 loans one went 可疑: 33.33%.
    expect(risk.locator("#migration-matrix tbody tr").first).to_contain_text("33.33%")
    screenshot(risk, "classification-quality.png")

    risk.goto(f"{site}/classification/quarterly/")
    risk.locator("#run-quarterly").click()
    risk.locator("#run-confirm button[type=submit]").click()
    expect(risk.locator("#quarter-done")).to_be_visible()
    # 正常: the 30,000 and 40,000 loans, before and after (a retail customer: no 10% rule).
    expect(risk.locator(".quarter-counts tbody tr").first).to_contain_text("70,000.00")
    screenshot(risk, "classification-quarterly.png")
    assert console.errors == []
