"""Classification use cases with the servicing state set directly (the point is the rule, the
end-of-day has its own scenario in test_eod_scenario.py). Figures worked by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from tests.classification.helpers import enterprise, open_loan, overdue
from tests.credit.factories import set_today
from xindai.audit.models import AuditEvent
from xindai.classification import daily, services
from xindai.classification.models import ClassChange, LoanClass, ProposalStatus
from xindai.core.errors import DomainError, FormInvalid
from xindai.loans.models import LoanAccount, LoanState
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 11, 5)


@pytest.fixture(autouse=True)
def business_day(db: Any) -> None:
    set_today(TODAY)


def test_daily_touches_only_loans_off_their_floor_and_creates_rows_lazily(farmer: Any) -> None:
    a, b, c = (open_loan(farmer, n) for n in (10_000, 20_000, 30_000))
    assert daily.run(D(2026, 12, 1)) == {}  # all 正常: nothing looked at
    overdue(b, 100)
    assert daily.run(D(2026, 12, 1)) == {"checked": 1, "changed": 1}
    assert list(LoanClass.objects.values_list("loan_id", "category")) == [(b.pk, "substandard")]
    # Same date again: the class equals the floor, nothing to look at, nothing created.
    assert daily.run(D(2026, 12, 1)) == {}
    assert ClassChange.objects.count() == 1
    assert services.classes_of([a.pk, b.pk, c.pk]) == {
        a.pk: "normal", b.pk: "substandard", c.pk: "normal",
    }  # fmt: skip
    assert services.current_class(a) == "normal"
    assert [ch.loan_id for ch in services.downgraded_on(D(2026, 12, 1))] == [b.pk]
    assert not services.downgraded_on(D(2026, 12, 2)).exists()


def _proposed(officer: User, account: LoanAccount, proposed: str = "doubtful") -> Any:
    return services.propose(
        officer,
        account,
        proposed,
        reason="借款人养殖场遭受疫病，已停产",
        reasons=["借款人经营或财务状况恶化"],
        evidence="检查记录 2026-11-04",
    )


def test_manual_classification_two_levels(
    farmer: Any, officer: User, branch_head: User, risk_officer: User
) -> None:
    """次级 by 100 days past due; 贷后 proposes 可疑; 支行行长 approves (一级); 风险合规
    approves (二级): the class becomes 可疑 with a manual ClassChange, and it stays 可疑 when the
    overdue is later repaid (a manual class is a floor until another proposal)."""
    account = open_loan(farmer, 10_000)
    overdue(account, 100)
    daily.run(TODAY)
    p = _proposed(officer, account)
    assert (p.status, p.current, p.proposed) == ("proposed", "substandard", "doubtful")
    services.approve_first(branch_head, p, "同意")
    assert services.current_class(account) == "substandard"  # not yet
    services.approve_final(risk_officer, p, "同意认定")
    p.refresh_from_db()
    assert (p.status, p.first_by, p.final_by) == ("approved", branch_head, risk_officer)
    last = ClassChange.objects.filter(loan=account).latest("pk")
    assert (last.old, last.new, last.source, last.actor) == (
        "substandard", "doubtful", "manual", risk_officer,
    )  # fmt: skip
    assert LoanClass.objects.get(loan=account).manual_floor == "doubtful"
    overdue(account, 0)
    daily.run(D(2027, 12, 1))
    assert services.current_class(account) == "doubtful"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"classification.proposed", "classification.first_approved"} <= actions
    assert "classification.approved" in actions


def test_refusals(
    farmer: Any,
    officer: User,
    branch_head: User,
    risk_officer: User,
    head_and_risk: User,
    tree: dict[str, OrgUnit],
    make_user: Callable[..., User],
) -> None:
    account = open_loan(farmer, 10_000)
    overdue(account, 100)
    daily.run(TODAY)
    # Better than the floor (次级): refused with the field's message.
    with pytest.raises(FormInvalid) as refused:
        _proposed(officer, account, "special_mention")
    assert refused.value.details["proposed"] == ["认定分类不得优于逾期天数对应的分类下限（次级）"]
    # No reason: refused.
    with pytest.raises(FormInvalid) as refused:
        services.propose(officer, account, "doubtful", reason=" ")
    assert "reason" in refused.value.details
    p = _proposed(officer, account)
    # A second open proposal for the loan: refused.
    with pytest.raises(DomainError):
        _proposed(officer, account, "loss")
    # Without the permission: refused.
    with pytest.raises(DomainError):
        services.approve_first(officer, p)
    with pytest.raises(DomainError):
        services.approve_final(risk_officer, p)  # not yet at the second level
    # One person cannot approve at both levels.
    services.approve_first(head_and_risk, p)
    with pytest.raises(DomainError) as same:
        services.approve_final(head_and_risk, p)
    assert same.value.code == "same_person"
    # The proposer cannot approve his own proposal.
    both = make_user("post2", tree["B1"], Role.POSTLOAN, Role.BRANCH_HEAD, full_name="吴兼岗")
    other = open_loan(farmer, 5_000)
    overdue(other, 10)
    daily.run(TODAY)
    mine = _proposed(both, other, "substandard")
    with pytest.raises(DomainError) as own:
        services.approve_first(both, mine)
    assert own.value.code == "same_person"
    # Rejected at the first level with a reason.
    with pytest.raises(FormInvalid):
        services.reject(branch_head, mine, "")
    services.reject(branch_head, mine, "证据不足")
    mine.refresh_from_db()
    assert (mine.status, mine.rejected_by, mine.rejection) == ("rejected", branch_head, "证据不足")
    assert services.current_class(other) == "special_mention"


def test_floor_worse_by_the_final_approval_refuses_it(
    farmer: Any, officer: User, branch_head: User, risk_officer: User
) -> None:
    """关注 proposed for a 正常 loan; before the final approval it goes 100 days past due (floor
    次级): the final approval is refused, the class stays what the floor gives."""
    account = open_loan(farmer, 10_000)
    p = _proposed(officer, account, "special_mention")
    services.approve_first(branch_head, p)
    overdue(account, 100)
    daily.run(TODAY)
    with pytest.raises(DomainError) as refused:
        services.approve_final(risk_officer, p)
    assert refused.value.code == "better_than_floor"
    p.refresh_from_db()
    assert p.status == ProposalStatus.FIRST_APPROVED
    assert services.current_class(account) == "substandard"


def test_restructured_loan_observation(farmer: Any, branch_head: User) -> None:
    """Restructured on 2026-11-05: observation 12 months (to 2027-11-04), at least 关注. One day
    overdue in observation (within the technical exemption, floor 正常) → 次级. Repaid; the
    daily job first sees nothing overdue on 2027-06-01; no upgrade during observation; after it,
    the NPL rule: installments due 06-05 … 10-05 (5 ≥ 2) but 06-01 + 6 months = 12-01, so the
    upgrade comes on 2027-12-01, not on 11-30."""
    account = open_loan(farmer, 10_000)
    services.start_observation(account, TODAY, actor=branch_head, reason="贷款重组")
    row = LoanClass.objects.get(loan=account)
    assert (row.observation_start, row.observation_until) == (TODAY, D(2027, 11, 4))
    assert services.current_class(account) == "special_mention"
    overdue(account, 1)
    daily.run(D(2026, 12, 6))
    assert services.current_class(account) == "substandard"
    overdue(account, 0)
    daily.run(D(2027, 6, 1))
    assert LoanClass.objects.get(loan=account).cleared_on == D(2027, 6, 1)
    daily.run(D(2027, 11, 4))
    assert services.current_class(account) == "substandard"  # in observation
    daily.run(D(2027, 11, 30))
    assert services.current_class(account) == "substandard"  # 6 months not yet
    daily.run(D(2027, 12, 1))
    assert services.current_class(account) == "normal"
    assert list(
        ClassChange.objects.filter(loan=account).values_list("business_date", "new", "source")
    ) == [
        (TODAY, "special_mention", "restructure"),
        (D(2026, 12, 6), "substandard", "restructure"),
        (D(2027, 12, 1), "normal", "upgrade"),
    ]


def test_quarterly_run_once_per_quarter_and_the_ten_percent_rule(
    farmer: Any, manager: User, risk_officer: User
) -> None:
    """Farmer (retail): F1 10,000 次级 (100 days), F2 30,000 正常. Enterprise E: E1 50,000
    正常, E2 10,000 次级 → 10,000 / 60,000 = 16.7% > 10%: E1 becomes 次级 too. Enterprise G:
    G1 100,000 正常, G2 10,000 次级 → 10,000 / 110,000 = 9.1%: G1 stays 正常. The retail rule
    does not apply to the farmer.

    Before: 正常 F2 + E1 + G1 = 3 loans, 180,000 元; 次级 F1 + E2 + G2 = 3, 30,000 元.
    After: 正常 F2 + G1 = 2, 130,000 元; 次级 4, 80,000 元; one change."""
    f1, f2 = open_loan(farmer, 10_000), open_loan(farmer, 30_000)
    e = enterprise(manager)
    e1, e2 = open_loan(e, 50_000), open_loan(e, 10_000)
    g = enterprise(manager, "多福农机有限公司", "91110108MA01ABCE2")
    g1, g2 = open_loan(g, 100_000), open_loan(g, 10_000)
    for bad in (f1, e2, g2):
        overdue(bad, 100)
    daily.run(TODAY)
    run = services.run_quarterly(risk_officer)
    assert (run.quarter, run.quarter_end, run.status, run.changed) == (
        "2026Q4", D(2026, 12, 31), "done", 1,
    )  # fmt: skip
    assert run.before["normal"] == {"count": 3, "balance": 18_000_000}
    assert run.before["substandard"] == {"count": 3, "balance": 3_000_000}
    assert run.after["normal"] == {"count": 2, "balance": 13_000_000}
    assert run.after["substandard"] == {"count": 4, "balance": 8_000_000}
    assert services.classes_of([f2.pk, e1.pk, g1.pk]) == {
        f2.pk: "normal", e1.pk: "substandard", g1.pk: "normal",
    }  # fmt: skip
    change = ClassChange.objects.get(loan=e1)
    assert (change.source, change.actor) == ("quarterly", risk_officer)
    assert "10%" in change.reason
    # The daily job keeps E1 at 次级 (the debtor floor holds until the next quarterly run).
    daily.run(D(2026, 11, 6))
    assert services.current_class(e1) == "substandard"
    with pytest.raises(DomainError) as again:
        services.run_quarterly(risk_officer)
    assert again.value.code == "already_run"
    # Next quarter E2 is settled (off the books): E has no non-performing claims of its own
    # left (E1 was made 次级 by the rule itself), so the debtor floor goes and E1 returns to
    # its own class, 正常.
    LoanState.objects.filter(loan=e2).update(active=False)
    set_today(D(2027, 1, 4))
    nxt = services.run_quarterly(risk_officer)
    assert (nxt.quarter, nxt.changed) == ("2027Q1", 1)
    row = LoanClass.objects.get(loan=e1)
    assert (row.debtor_floor, row.category) == ("", "normal")
    back = ClassChange.objects.filter(loan=e1).latest("pk")
    assert (back.business_date, back.new, back.source) == (D(2027, 1, 4), "normal", "quarterly")


def test_migration_matrix_npl_ratio_and_buckets(
    farmer: Any, risk_officer: User, tree: dict[str, OrgUnit]
) -> None:
    """L1 10,000, L2 20,000, L3 30,000, L4 40,000 (L4 booked at 网点 O21, branch B2).
    2026-12-01: L1 关注 (10 days), L2 次级 (100 days). 2027-01-01: L1 次级 (100 days), L3 关注
    (10 days), L2 repaid (still 次级: no upgrade yet).

    Matrix 2026-12-15 → 2027-01-15: 正常 row: L4 → 正常, L3 → 关注: 1 of 2 worse = 50%; by
    balance 30,000 / 70,000 = 42.86%. 关注 row: L1 → 次级: 100%. 次级 row: L2 stays: 0%.
    不良率 now: (10,000 + 20,000) / 100,000 = 30%; B1 30,000 / 60,000 = 50%; B2 0 / 40,000 = 0.
    Overdue buckets: L3 10 days → 1-30 (30,000); L1 100 days → 91-180 (10,000)."""
    l1, l2, l3, l4 = (open_loan(farmer, n) for n in (10_000, 20_000, 30_000, 40_000))
    LoanAccount.objects.filter(pk=l4.pk).update(org_unit=tree["O21"])
    overdue(l1, 10)
    overdue(l2, 100)
    daily.run(D(2026, 12, 1))
    overdue(l1, 100)
    overdue(l3, 10)
    overdue(l2, 0)
    daily.run(D(2027, 1, 1))

    m = services.migration(risk_officer, D(2026, 12, 15), D(2027, 1, 15))
    assert m.counts["normal"] == {
        "normal": 1, "special_mention": 1, "substandard": 0, "doubtful": 0, "loss": 0,
    }  # fmt: skip
    assert m.balances["normal"]["special_mention"] == 3_000_000
    assert (m.rate("normal"), m.rate("normal", by_balance=True)) == (0.5, 0.4286)
    assert (m.rate("special_mention"), m.rate("substandard"), m.rate("doubtful")) == (
        1.0, 0.0, None,
    )  # fmt: skip
    before = services.migration(risk_officer, D(2026, 11, 30), D(2026, 12, 15))
    assert before.row_count("normal") == 4  # nothing classified yet on 11-30

    q = services.quality(risk_officer)
    assert (q["total"], q["npl"], q["npl_ratio"]) == (10_000_000, 3_000_000, 0.3)
    branches = {r["name"]: r["ratio"] for r in services.npl_ratios(risk_officer, "branch")}
    assert branches == {tree["HQ"].name: 0.3, tree["B1"].name: 0.5, tree["B2"].name: 0.0}
    assert [r["ratio"] for r in services.npl_ratios(risk_officer, "product")] == [0.3]
    buckets = {b["key"]: (b["count"], b["balance"]) for b in services.overdue_buckets(risk_officer)}
    assert buckets == {
        "1-30": (1, 3_000_000), "31-90": (0, 0), "91-180": (1, 1_000_000),
        "181-360": (0, 0), ">360": (0, 0),
    }  # fmt: skip
