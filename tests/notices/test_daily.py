"""The notices the post-loan day makes, by business date, with the amounts worked by hand."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from docx import Document

from tests.notices.scenario import D, overdue_loan, until
from xindai.notices import daily, services
from xindai.notices.models import Notice

pytestmark = pytest.mark.django_db


def kinds(loan: Any) -> list[tuple[str, dt.date, str]]:
    return sorted((n.kind, n.issued_on, n.recipient.name) for n in Notice.objects.filter(loan=loan))


def text_of(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_reminder_seven_days_before_the_first_installment(farmer: Any) -> None:
    """First installment due 2026-12-02; reminder 7 days before = 2026-11-25, not a day
    earlier. It asks for principal 1,000.00 + interest 36.00 = 1,036.00 元."""
    account = overdue_loan(farmer)
    until(D(2026, 11, 23))  # business date 11-24: 8 days before
    assert kinds(account) == []
    until(D(2026, 11, 24))  # business date 11-25
    assert kinds(account) == [("reminder", D(2026, 11, 25), "王大山")]
    notice = Notice.objects.get(loan=account)
    assert (notice.principal, notice.interest, notice.penalty) == (
        Decimal("1000.00"),
        Decimal("36.00"),
        Decimal("0.00"),
    )
    assert notice.total == Decimal("1036.00")
    assert notice.due_date == D(2026, 12, 2)
    assert notice.sha256 == ""  # rendered when first opened
    text = text_of(services.document_bytes(notice))
    assert "贷款还款提示书" in text
    assert "人民币壹仟零叁拾陆元整" in text
    assert "2026年12月2日" in text


def test_overdue_notice_on_the_first_day_overdue_and_a_second_run_makes_nothing(
    farmer: Any,
) -> None:
    """Nothing collected on 2026-12-02: overdue since 12-02, 1 day past due on 12-03. The
    notice asks for the overdue principal 1,000.00 and interest 36.00 (no penalty settled
    yet) = 1,036.00 元."""
    account = overdue_loan(farmer)
    until(D(2026, 12, 1))
    assert [k for k, *_ in kinds(account)] == ["reminder"]
    until(D(2026, 12, 2))  # business date 12-03
    overdue = Notice.objects.get(loan=account, kind="overdue")
    assert (overdue.issued_on, overdue.period, overdue.days_past_due) == (
        D(2026, 12, 3),
        D(2026, 12, 2),
        1,
    )
    assert (overdue.principal, overdue.interest, overdue.total) == (
        Decimal("1000.00"),
        Decimal("36.00"),
        Decimal("1036.00"),
    )
    before = Notice.objects.count()
    assert daily.run(D(2026, 12, 3)) == {}
    assert Notice.objects.count() == before
    until(D(2026, 12, 3))  # day 2 overdue: no second overdue notice
    assert Notice.objects.filter(loan=account, kind="overdue").count() == 1
    text = text_of(services.document_bytes(overdue))
    assert "已逾期 1 天" in text
    assert "2026年12月2日" in text


def test_maturity_notice_exactly_thirty_days_before_maturity(farmer: Any) -> None:
    """A 2-month loan from 2026-11-02 matures 2027-01-02; 30 days before is 2026-12-03."""
    account = overdue_loan(farmer, months=2)
    assert account.maturity_date == D(2027, 1, 2)
    until(D(2026, 12, 1))  # business date 12-02: 31 days before
    assert "maturity" not in [k for k, *_ in kinds(account)]
    until(D(2026, 12, 2))  # business date 12-03
    notice = Notice.objects.get(loan=account, kind="maturity")
    assert (notice.issued_on, notice.due_date) == (D(2026, 12, 3), D(2027, 1, 2))
    # Outstanding 12,000.00 (6,000 overdue + 6,000 not due).
    assert notice.outstanding == Decimal("12000.00")
    assert notice.principal == Decimal("12000.00")


def test_collection_notices_to_the_borrower_and_each_guarantor_after_thirty_days(
    farmer: Any,
) -> None:
    """Overdue since 2026-12-02: 30 days past due on 2027-01-01 (no notice: not *more* than
    30), 31 on 2027-01-02 → 催收通知书 to 王大山 and both guarantors."""
    account = overdue_loan(farmer, guarantors=2)
    until(D(2026, 12, 31))  # business date 2027-01-01, 30 days past due
    assert not Notice.objects.filter(kind="collection").exists()
    until(D(2027, 1, 1))  # business date 2027-01-02
    found = Notice.objects.filter(loan=account, kind="collection").order_by("recipient__name")
    assert [(n.recipient.name, n.recipient_role) for n in found] == [
        ("保证人1", "guarantor"),
        ("保证人2", "guarantor"),
        ("王大山", "borrower"),
    ]
    assert {n.days_past_due for n in found} == {31}
    assert daily.run(D(2027, 1, 2)) == {}
    guarantor_text = text_of(services.document_bytes(found[0]))
    assert "提供保证" in guarantor_text
    assert "王大山" in guarantor_text
