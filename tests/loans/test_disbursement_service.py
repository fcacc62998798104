"""放款 through the service: the loan and its schedule, exactly once (retry, second request,
fifty at once on PostgreSQL), a crash midway, and every refusal changing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy_financial as npf
import pytest
from django.core.exceptions import PermissionDenied

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.credit.factories import TODAY
from tests.loans.factories_disbursement import SELF, entrusted, expire, ready
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.credit.models import CreditApplication, StageEvent
from xindai.loans import services
from xindai.loans.accounts import loan_terms
from xindai.loans.models import Disbursement, LoanAccount, Payment, ScheduleRow, UseOfFundsReport
from xindai.loans.schedule import build
from xindai.org.models import User

KEY = "7f1c0a5e-retry-me"


@pytest.fixture
def application(manager, farmer, co_investigator, approver) -> CreditApplication:
    return ready(manager, farmer, co_investigator, approver)


def nothing_made() -> None:
    assert LoanAccount.objects.count() == 0
    assert Disbursement.objects.count() == 0
    assert not AuditEvent.objects.filter(action="loans.disbursed").exists()


def test_disbursing_opens_the_loan_with_the_engines_schedule(application, clerk) -> None:
    made, created = services.disburse(clerk, application, SELF, KEY)
    assert created
    loan = made.loan
    assert (loan.source, loan.principal, loan.annual_rate, loan.term_months) == (
        "disbursed",
        Decimal("100000.00"),
        Decimal("0.043500"),
        12,
    )
    assert (loan.application, loan.contract.kind, loan.start_date) == (application, "loan", TODAY)
    assert (loan.customer, loan.manager, loan.org_unit) == (
        application.customer,
        application.manager,
        application.org_unit,
    )
    assert loan.number == f"DK2026{loan.pk:08d}"
    # 100,000 元, 12 months, 4.35%, 等额本息 with interest by period: PMT = P·r / (1 − (1+r)^−12)
    # with r = 0.0435 / 12 = 0.003625 → 8,530.99 (numpy-financial agrees).
    first = ScheduleRow.objects.get(loan=loan, period=1)
    assert first.payment == Decimal("8530.99")
    assert round(Decimal(str(npf.pmt(0.0435 / 12, 12, -100000))), 2) == Decimal("8530.99")
    assert first.interest == Decimal("362.50")  # 100,000 × 0.003625
    assert first.principal == Decimal("8168.49")
    rows = list(loan.schedule.values_list("principal", "interest", "due_date"))
    engine = build(
        loan_terms(
            application.product, Decimal(100_000), Decimal("0.0435"), 12, "equal_installment", TODAY
        )
    )
    assert rows == [(r.principal, r.interest, r.due_date) for r in engine.rows]
    assert sum(r[0] for r in rows) == Decimal("100000.00")


def test_disbursing_moves_the_case_to_post_loan_and_audits_the_amounts(application, clerk) -> None:
    made, _ = services.disburse(clerk, application, SELF, KEY)
    application.refresh_from_db()
    assert application.stage == "postloan"
    assert StageEvent.objects.filter(application=application, transition="disburse").count() == 1
    event = AuditEvent.objects.get(action="loans.disbursed")
    assert (event.object_type, event.object_id) == ("loans.loanaccount", str(made.loan_id))
    assert event.changes["amount"] == "100000.00"
    assert event.changes["payment_mode"] == "self"
    assert event.changes["loan"] == made.loan.number


def test_self_payment_schedules_the_first_use_of_funds_report_30_days_later(
    application, clerk
) -> None:
    made, _ = services.disburse(clerk, application, SELF, KEY)
    assert made.payment_mode == "self"
    report = UseOfFundsReport.objects.get(loan=made.loan)
    assert (report.due_on, report.reported_on) == (TODAY + dt.timedelta(days=30), None)


def test_entrusted_payment_records_the_payments_and_needs_no_report(application, clerk) -> None:
    data = entrusted(
        ("多福农资有限公司", "6217001234567890123", "60000"),
        ("多福种业合作社", "6228480012345678", "40000"),
    )
    services.disburse(clerk, application, data, KEY)
    assert list(Payment.objects.values_list("counterparty_name", "amount")) == [
        ("多福农资有限公司", Decimal("60000.00")),
        ("多福种业合作社", Decimal("40000.00")),
    ]
    assert not UseOfFundsReport.objects.exists()


def test_less_than_the_approved_amount_may_be_drawn_once(application, clerk) -> None:
    made, _ = services.disburse(clerk, application, SELF | {"amount": "80000"}, KEY)
    assert made.loan.principal == Decimal("80000.00")
    with pytest.raises(DomainError) as second:
        services.disburse(clerk, application, SELF | {"amount": "20000"}, "another")
    assert second.value.code == "already_disbursed"


# ---- exactly once -----------------------------------------------------------------------------


def test_a_retry_with_the_same_key_returns_the_same_disbursement(application, clerk) -> None:
    first, created = services.disburse(clerk, application, SELF, KEY)
    again, created_again = services.disburse(clerk, application, SELF, KEY)
    assert (created, created_again, again.pk) == (True, False, first.pk)
    assert LoanAccount.objects.count() == 1
    assert AuditEvent.objects.filter(action="loans.disbursed").count() == 1


def test_another_request_after_success_is_refused(application, clerk) -> None:
    made, _ = services.disburse(clerk, application, SELF, KEY)
    with pytest.raises(DomainError) as refused:
        services.disburse(clerk, application, SELF, "a-different-key")
    assert refused.value.code == "already_disbursed"
    assert refused.value.message == f"本笔申请已放款（贷款账号 {made.loan.number}），不能重复放款"
    assert LoanAccount.objects.count() == 1


def test_a_key_used_for_another_application_is_refused(
    application, clerk, manager, co_investigator, approver, village
) -> None:
    from tests.credit.factories import complete_farmer

    services.disburse(clerk, application, SELF, KEY)
    other = ready(
        manager,
        complete_farmer(manager, village, name="王小川", seq=124),
        co_investigator,
        approver,
    )
    with pytest.raises(DomainError) as refused:
        services.disburse(clerk, other, SELF, KEY)
    assert refused.value.code == "idempotency_key_reused"
    assert LoanAccount.objects.count() == 1


def test_a_missing_key_is_refused(application, clerk) -> None:
    with pytest.raises(InvalidInput):
        services.disburse(clerk, application, SELF, "  ")
    nothing_made()


def test_a_crash_midway_leaves_nothing(application, clerk, monkeypatch) -> None:
    from xindai.credit import services as credit_services

    def crash(*args, **kwargs):
        raise RuntimeError("power cut after the loan was opened")

    monkeypatch.setattr(credit_services, "take", crash)
    with pytest.raises(RuntimeError):
        services.disburse(clerk, application, SELF, KEY)
    nothing_made()
    assert ScheduleRow.objects.count() == 0
    application.refresh_from_db()
    assert application.stage == "disbursement"
    monkeypatch.undo()
    made, created = services.disburse(clerk, application, SELF, KEY)  # the retry goes through
    assert created and made.loan.principal == Decimal("100000.00")


# ---- refusals ---------------------------------------------------------------------------------


def test_the_gate_refuses_with_every_reason(application, clerk) -> None:
    expire(application)
    with pytest.raises(DomainError) as refused:
        services.disburse(clerk, application, SELF, KEY)
    assert refused.value.code == "disbursement_refused"
    assert refused.value.details == {"approval": ["批复已于 2026-11-26 过期：须重新审批"]}
    nothing_made()


def test_more_than_the_approved_amount_is_refused(application, clerk) -> None:
    with pytest.raises(FormInvalid) as refused:
        services.disburse(clerk, application, SELF | {"amount": "100000.01"}, KEY)
    assert refused.value.details == {"amount": ["放款金额不能超过批准金额 100,000.00 元"]}
    nothing_made()


def test_self_payment_above_the_line_is_refused(
    manager, village, co_investigator, approver, clerk
) -> None:
    from tests.credit.factories import complete_farmer

    farmer = complete_farmer(manager, village, yearly_income=Decimal(600_000))
    application = ready(
        manager,
        farmer,
        co_investigator,
        approver,
        amount="300000",
        repayment_method="interest_only",
    )
    application.product.entrusted_threshold = Decimal(250_000)  # the bank's stricter line
    application.product.save()
    with pytest.raises(DomainError) as refused:
        services.disburse(clerk, application, SELF | {"amount": "300000"}, KEY)
    assert refused.value.details == {
        "payment_mode": ["单笔支付 300,000.00 元超过 250,000.00 元，须受托支付"]
    }
    nothing_made()


def test_a_split_refuses_self_payment_and_is_flagged_when_entrusted(application, clerk) -> None:
    lines = [("多福农资有限公司", "6217001234567890123", "60000")] * 2
    split = entrusted(*lines, amount="100000") | {"payment_mode": "self"}
    split["payments"][1]["amount"] = "40000"
    application.product.entrusted_threshold = Decimal(80_000)
    application.product.save()
    with pytest.raises(DomainError) as refused:
        services.disburse(clerk, application, split, KEY)
    assert refused.value.details["split"] == [
        "疑似化整为零：向 多福农资有限公司 支付 2 笔，每笔未超过 80,000.00 元，合计 100,000.00 元"
    ]
    nothing_made()
    made, _ = services.disburse(clerk, application, split | {"payment_mode": "entrusted"}, KEY)
    assert made.flags == [
        {
            "kind": "split",
            "counterparty": "多福农资有限公司",
            "amounts": ["60000.00", "40000.00"],
            "total": "100000.00",
            "line": "80000.00",
        }
    ]
    assert AuditEvent.objects.filter(action="loans.split_flagged").count() == 1


def test_bad_input_is_refused_field_by_field(application, clerk) -> None:
    with pytest.raises(FormInvalid) as refused:
        services.disburse(clerk, application, {"amount": "-1", "payment_mode": "cash"}, KEY)
    assert set(refused.value.details) == {"amount", "payment_mode"}
    nothing_made()


def test_a_manager_may_not_disburse(application, manager) -> None:
    with pytest.raises(PermissionDenied):
        services.disburse(manager, application, SELF, KEY)
    nothing_made()


def test_a_clerk_of_another_branch_may_not_disburse(application, tree, make_user) -> None:
    from xindai.org.roles import Role

    other = make_user("gao", tree["B2"], Role.DISBURSEMENT)
    with pytest.raises(PermissionDenied):
        services.disburse(other, application, SELF, KEY)
    nothing_made()


# ---- fifty at once (PostgreSQL) -----------------------------------------------------------------


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migration_data")
def test_fifty_requests_at_once_make_exactly_one_loan(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver)

    def click(n: int) -> tuple[int, bool, str]:
        key = KEY if n % 2 == 0 else f"key-{n}"  # half retry one request, half are new ones
        user = User.objects.get(pk=clerk.pk)
        mine = CreditApplication.objects.get(pk=application.pk)
        disbursement, created = services.disburse(user, mine, SELF, key)
        return disbursement.loan_id, created, key

    made, refusals = at_once(50, click, (DomainError,))
    refused = [exc.code for exc in refusals if isinstance(exc, DomainError)]

    assert LoanAccount.objects.count() == 1
    assert Disbursement.objects.count() == 1
    assert AuditEvent.objects.filter(action="loans.disbursed").count() == 1
    assert StageEvent.objects.filter(application=application, transition="disburse").count() == 1
    loan = LoanAccount.objects.get()
    winner = Disbursement.objects.get().idempotency_key
    assert [created for _, created, _ in made].count(True) == 1
    assert {loan_id for loan_id, _, _ in made} == {loan.pk}
    assert all(key == winner for _, _, key in made)  # only the winning request's retries get it
    assert set(refused) <= {"already_disbursed"}
    assert len(made) + len(refused) == 50
