"""The inspection record: every answer checked before anything changes; submitting closes the
task, files the photos and a note into the customer's archive (with history), and an adverse
conclusion raises an early-warning signal."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Any

import pytest

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.postloan.conftest import FINE, PNG, on, photo
from xindai.core.errors import DomainError, FormInvalid
from xindai.customers.models import Document, SoftInfo
from xindai.earlywarning.models import Warning
from xindai.loans.models import LoanAccount, LoanState
from xindai.org.models import User
from xindai.postloan import daily, domain, services
from xindai.postloan.models import InspectionRecord, InspectionTask

D = dt.date


def nothing_changed(task: InspectionTask) -> None:
    task.refresh_from_db()
    assert task.status == "open"
    assert not InspectionRecord.objects.exists()
    assert not Document.objects.filter(doc_type="photo").exists()
    assert not SoftInfo.objects.filter(source__startswith="贷后检查").exists()


def test_a_missing_answer_changes_nothing(task: InspectionTask, manager: Any) -> None:
    answers = FINE | {"borrower_ok": ""}
    with pytest.raises(FormInvalid) as caught:
        services.submit_record(manager, task, answers, [photo()])
    assert caught.value.details == {"borrower_ok": ["请选择"]}
    nothing_changed(task)


def test_an_abnormal_answer_needs_a_note_and_another_conclusion(
    task: InspectionTask, manager: Any
) -> None:
    answers = FINE | {"interest_as_contracted": "false"}
    with pytest.raises(FormInvalid) as caught:
        services.submit_record(manager, task, answers)
    assert caught.value.details == {
        "interest_note": ["回答“否”时请说明情况"],
        "conclusion": ["检查项有异常，结论不能为“正常”"],
    }
    nothing_changed(task)


def test_a_file_that_is_not_a_photo_changes_nothing(task: InspectionTask, manager: Any) -> None:
    pdf = photo("report.png", b"%PDF-1.4 not a picture")
    with pytest.raises(FormInvalid) as caught:
        services.submit_record(manager, task, FINE, [pdf])
    assert "photos" in caught.value.details
    nothing_changed(task)


def test_a_photo_over_the_size_limit_changes_nothing(
    task: InspectionTask, manager: Any, settings: Any
) -> None:
    settings.XINDAI_UPLOAD_MAX_BYTES = len(PNG) - 1
    with pytest.raises(FormInvalid) as caught:
        services.submit_record(manager, task, FINE, [photo()])
    assert "photos" in caught.value.details
    nothing_changed(task)


def test_submitting_closes_the_task_and_files_photos_and_a_note(
    task: InspectionTask, manager: Any
) -> None:
    record = services.submit_record(manager, task, FINE, [photo(), photo("gate.png")])
    task.refresh_from_db()
    assert (task.status, task.done_on, task.late) == ("done", D(2026, 3, 20), False)
    assert (record.inspected_on, record.inspector, record.conclusion) == (
        D(2026, 3, 20),
        manager,
        "normal",
    )
    photos = Document.objects.filter(customer=task.loan.customer, doc_type="photo")
    assert photos.count() == 2
    first = photos.get(original_name="barn.png")
    assert first.sha256 == hashlib.sha256(PNG).hexdigest()
    assert (first.size, first.content_type) == (len(PNG), "image/png")
    assert first.history.count() == 1  # versioned, with who filed it
    assert first.history.first().history_user == manager
    assert set(record.photos.all()) == set(photos)
    note = SoftInfo.objects.get(customer=task.loan.customer, source__startswith="贷后检查")
    assert note.noted_on == D(2026, 3, 20)
    assert note.note.startswith("贷后检查结论：正常")
    assert record.soft_info == note
    assert not Warning.objects.exists()  # 正常: nothing reported


def test_the_record_keeps_the_loans_interest_figures(task: InspectionTask, manager: Any) -> None:
    LoanState.objects.filter(loan=task.loan).update(
        interest_due_fen=21_750, overdue_interest_fen=10_000, days_past_due=12
    )
    record = services.submit_record(manager, task, FINE)
    assert (record.interest_due_fen, record.overdue_interest_fen, record.days_past_due) == (
        21_750,
        10_000,
        12,
    )


def test_an_adverse_conclusion_raises_a_warning_signal(task: InspectionTask, manager: Any) -> None:
    answers = FINE | {
        "borrower_ok": "false",
        "borrower_note": "养殖场停产两个月",
        "conclusion": "risk",
        "findings": "养殖场停产，还款来源不足",
    }
    record = services.submit_record(manager, task, answers)
    warning = Warning.objects.get(loan=task.loan)
    assert (warning.kind, warning.source, warning.raised_on) == (
        "inspection_finding",
        f"inspection:{record.pk}",
        D(2026, 3, 20),
    )
    assert "养殖场停产，还款来源不足" in warning.detail


def test_a_task_is_recorded_once(task: InspectionTask, manager: Any) -> None:
    services.submit_record(manager, task, FINE)
    with pytest.raises(DomainError) as caught:
        services.submit_record(manager, task, FINE)
    assert caught.value.code == "task_closed"
    assert InspectionRecord.objects.count() == 1


def test_near_maturity_the_notice_must_be_answered(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    loan = open_loan(D(2026, 3, 10), months=1)  # matures 10 April
    daily.run(D(2026, 3, 11))
    on(D(2026, 3, 12))  # 29 days before maturity: within the 30 days
    task = InspectionTask.objects.get(loan=loan)
    with pytest.raises(FormInvalid) as caught:
        services.submit_record(manager, task, FINE)
    assert caught.value.details == {"maturity_notice_sent": ["请选择"]}
    services.submit_record(manager, task, FINE | {"maturity_notice_sent": "true"})


def test_a_self_paid_loan_with_collateral_needs_the_use_of_funds_and_photos(
    task: InspectionTask, manager: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx = domain.RecordContext(has_collateral=True, has_guarantors=True, self_paid=True)
    monkeypatch.setattr(services, "context_of", lambda loan, today: ctx)
    with pytest.raises(FormInvalid) as caught:
        services.submit_record(manager, task, FINE)
    assert set(caught.value.details) == {
        "guarantor_ok",
        "collateral_ok",
        "photos",
        "funds_use_ok",
        "funds_use_note",
    }
    answers = FINE | {
        "guarantor_ok": "true",
        "collateral_ok": "true",
        "funds_use_ok": "true",
        "funds_use_note": "购饲料 5 万元，见供货合同和转账凭证",
    }
    record = services.submit_record(manager, task, answers, [photo()])
    assert (record.funds_use_ok, record.collateral_ok, record.photos.count()) == (True, True, 1)


def test_only_an_inspector_may_record(task: InspectionTask, branch_head: Any) -> None:
    with pytest.raises(DomainError):
        services.submit_record(branch_head, task, FINE)
    nothing_changed(task)


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("migration_data")
def test_ten_submissions_at_once_make_one_record(
    open_loan: Callable[..., LoanAccount], manager: Any
) -> None:
    loan = open_loan(D(2026, 3, 10))
    daily.run(D(2026, 3, 11))
    on(D(2026, 3, 20))
    task = InspectionTask.objects.get(loan=loan)

    def submit(n: int) -> int:
        mine = InspectionTask.objects.select_related("loan").get(pk=task.pk)
        return services.submit_record(User.objects.get(pk=manager.pk), mine, FINE).pk

    made, refusals = at_once(10, submit, (DomainError,))
    assert len(made) == 1
    assert [exc.code for exc in refusals if isinstance(exc, DomainError)] == ["task_closed"] * 9
    assert InspectionRecord.objects.count() == 1
    assert SoftInfo.objects.filter(source__startswith="贷后检查").count() == 1
