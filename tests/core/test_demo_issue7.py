"""The demo of issue 7 (审查、审贷小组、审批、合同、抵押登记与入库、放款): four applications of the
demo manager, each stopped at the stage a page of issue 7 shows, built through the services on
the business dates of their story, and seeded once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from xindai.audit.models import AuditEvent
from xindai.contracts.models import Contract, SigningRecord
from xindai.core import business_date
from xindai.credit import queries
from xindai.credit.demo import DEMO_NOTE as INTAKE_NOTE
from xindai.credit.demo_approval import DEMO_NOTE, demo_application
from xindai.credit.models import CreditApplication
from xindai.credit.models_approval import ApprovedTerms, CommitteeMeeting
from xindai.loans.models import Disbursement, LoanAccount, ScheduleRow
from xindai.org.models import User
from xindai.org.roles import Role, group_name
from xindai.vault.models import Registration, VaultItem

pytestmark = pytest.mark.django_db
COMMITTEE = ["committee", "committee2", "committee3", "committee4", "committee5"]


@pytest.fixture
def seeded() -> dt.date:
    call_command("seed", "--demo", stdout=StringIO())
    return business_date.current()


def days_before(as_of: dt.date, day: dt.date) -> int:
    return (as_of - day).days


def test_the_four_cases_stand_where_the_pages_of_issue_7_show_them(seeded, login) -> None:
    as_of = seeded
    review, approval, contracts, disbursed = (
        demo_application(key) for key in ("review", "approval", "contracts", "disbursed")
    )
    assert review and approval and contracts and disbursed
    cases = [review, approval, contracts, disbursed]
    assert [a.stage for a in cases] == ["review", "approval", "disbursement", "postloan"]
    assert CreditApplication.objects.filter(source_note=DEMO_NOTE).count() == 4
    assert CreditApplication.objects.filter(source_note=INTAKE_NOTE).count() == 5  # untouched
    manager = User.objects.get(username="manager")
    assert {a.manager_id for a in cases} == {manager.pk}
    assert len({a.customer_id for a in cases}) == 4
    assert {a.customer.kind for a in cases} == {"farmer"}
    assert business_date.current() == as_of  # the replay put the business date back

    # every case went through intake and 实地调查 by the services: admitted, two
    # investigators confirmed a finalised report, submitted
    for application in cases:
        assert [c.outcome for c in application.admission_checks.all()] == ["admit"]
        assert application.reports.count() == 1 and application.limit_assessments.count() == 1
        confirmed = set(application.confirmations.values_list("investigator__username", flat=True))
        assert confirmed == {"manager", "co_investigator"}
        moves = list(application.events.order_by("at", "pk").values_list("transition", flat=True))
        assert moves[:4] == ["submit", "accept", "start_investigation", "submit_investigation"]

    # a) 审贷分析: in the reviewer's queue, no opinion yet
    reviewer = User.objects.get(username="reviewer")
    assert list(queries.review_queue(reviewer)) == [review]
    assert not review.review_opinions.exists()
    assert days_before(as_of, review.stage_since.date()) == 2

    # the committee of 城关支行: five members, who sign in with the demo password
    members = User.objects.filter(groups__name=group_name(Role.COMMITTEE))
    assert sorted(members.values_list("username", flat=True)) == COMMITTEE
    assert set(members.values_list("org_unit__code", flat=True)) == {"B01"}
    assert all(m.check_password("Xindai-demo-2026") for m in members)

    # b) 审批: reviewed, the committee met (5 present, 4 agree: more than 2/3), no terms yet
    assert approval.review_opinions.get().reviewer == reviewer
    meeting = approval.meetings.get()
    assert (meeting.status, meeting.decision, meeting.present, meeting.agree) == (
        "closed",
        "pass",
        5,
        4,
    )
    voters = sorted(meeting.votes.values_list("member__username", flat=True))
    assert voters == COMMITTEE
    assert meeting.minutes and len(meeting.minutes_sha256) == 64
    approver = User.objects.get(username="approver")
    assert [row[0] for row in queries.approval_queue(approver)] == [approval]
    assert not ApprovedTerms.objects.filter(application=approval).exists()

    # c) approved with a mortgage and a condition; contracts generated and checked, not signed;
    # nothing registered: the gate says what is missing
    terms = ApprovedTerms.objects.get(application=contracts)
    assert terms.guarantee_methods == ["mortgage"] and terms.amount == Decimal(150_000)
    assert terms.approved_by == approver
    assert days_before(as_of, terms.approved_on) == 6
    assert [c.met_at for c in terms.conditions.all()] == [None]
    kinds = dict(Contract.objects.filter(application=contracts).values_list("kind", "status"))
    assert kinds == {"loan": "checked", "mortgage": "checked"}
    assert not SigningRecord.objects.filter(contract__application=contracts).exists()
    assert not Registration.objects.filter(collateral__application=contracts).exists()
    clerk = login(User.objects.get(username="disbursement"))
    page = clerk.get(reverse("loans:disburse", args=[contracts.pk])).content.decode()
    for reason in ("批复条件未落实", "尚未完成面签及签约复核", "押品未办理抵质押登记"):
        assert reason in page

    # d) disbursed three weeks ago, by 受托支付 to the dealer, after signing, 签约复核,
    # registration, the certificate in the vault and the condition met
    terms = ApprovedTerms.objects.get(application=disbursed)
    assert terms.guarantee_methods == ["mortgage"] and terms.amount == Decimal(120_000)
    assert days_before(as_of, terms.approved_on) == 30
    assert all(c.met_at is not None for c in terms.conditions.all())
    signed = Contract.objects.filter(application=disbursed)
    assert sorted(signed.values_list("kind", "status")) == [
        ("loan", "verified"),
        ("mortgage", "verified"),
    ]
    for signing in SigningRecord.objects.filter(contract__application=disbursed):
        assert signing.status == "verified" and signing.verified_by.username == "disbursement"
        assert signing.recorded_by == manager
    registration = Registration.objects.get(collateral__application=disbursed)
    assert registration.secured_amount == Decimal(120_000)
    kept = VaultItem.objects.get(registration=registration)
    assert (kept.status, kept.kind) == ("in", "certificate")
    paid = Disbursement.objects.get(application=disbursed)
    assert (paid.amount, paid.payment_mode) == (Decimal(120_000), "entrusted")
    assert days_before(as_of, paid.value_date) == 21
    assert [p.amount for p in paid.payments.all()] == [Decimal(120_000)]
    loan = LoanAccount.objects.get(application=disbursed)
    assert (loan.principal, loan.term_months, loan.repayment_method) == (
        Decimal(120_000),
        24,
        "equal_installment",
    )
    assert loan.start_date == paid.value_date and loan.contract.kind == "loan"
    rows = list(loan.schedule.order_by("period"))
    assert [row.period for row in rows] == list(range(1, 25))
    assert sum(row.principal for row in rows) == Decimal(120_000)
    assert rows[-1].balance == 0
    assert rows[0].due_date > loan.start_date and rows[-1].due_date == loan.maturity_date

    # the steps left their audit events
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    for action in (
        "credit.review_opinion",
        "credit.meeting_closed",
        "credit.terms_approved",
        "contracts.checked",
        "contracts.signed",
        "contracts.signing_verified",
        "vault.registered",
        "vault.received",
        "credit.condition_met",
        "loans.disbursed",
    ):
        assert action in actions, action

    # the pages show them: each queue to its role
    pages = [
        ("reviewer", reverse("credit:review_queue"), review.number),
        ("approver", reverse("credit:approval_queue"), approval.number),
        ("manager", reverse("contracts:application", args=[contracts.pk]), "JK"),
        ("disbursement", reverse("loans:queue"), contracts.number),
        ("disbursement", reverse("vault:items"), disbursed.number),
        ("manager", reverse("loans:account", args=[loan.pk]), loan.number),
    ]
    for username, url, shown in pages:
        response = login(User.objects.get(username=username)).get(url)
        assert response.status_code == 200 and shown in response.content.decode(), url


def test_seeding_again_creates_nothing(seeded) -> None:
    models = (
        User,
        CreditApplication,
        CommitteeMeeting,
        ApprovedTerms,
        Contract,
        SigningRecord,
        Registration,
        VaultItem,
        Disbursement,
        LoanAccount,
        ScheduleRow,
        AuditEvent,
    )
    counts = [model.objects.count() for model in models]
    media = Path(settings.MEDIA_ROOT)
    files = sorted(p for p in media.rglob("*") if p.is_file())
    out = StringIO()
    call_command("seed", "--demo", stdout=out)
    assert [model.objects.count() for model in models] == counts
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files
    assert business_date.current() == seeded
    said = "新建审贷小组成员 0 名、审查审批演示申请 0 笔，生成合同 0 份、放款 0 笔。"
    assert said in out.getvalue() and "committee5" in out.getvalue()
