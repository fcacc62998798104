"""总分核对 and 试算平衡表: the sums per account, the page, the API and the command (exit 1 on
a difference); figures by hand."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.management import call_command

from tests.customers.ids import resident_id
from tests.ledger.factories import loan_for
from xindai.customers.models import Customer
from xindai.deposits.models import DepositAccount
from xindai.ledger import reconciliation, services
from xindai.ledger.domain import credit, debit
from xindai.loans.models import LoanState

DAY = dt.date(2026, 11, 27)


@pytest.fixture
def books(manager) -> Customer:
    """A deposit of 1,234.56 元 booked (Dr 300101 / Cr 201101) and an off-balance pair."""
    customer = Customer.objects.create(
        kind="farmer",
        name="赵四",
        id_type="resident_id",
        id_number=resident_id(born=dt.date(1975, 3, 2), seq=77),
        manager=manager,
        org_unit=manager.org_unit,
    )
    DepositAccount.objects.create(
        number="6230000000000099", customer=customer, opened_on=DAY, balance_fen=123_456
    )
    services.post("cash:1", DAY, "deposit", [debit("300101", 123_456), credit("201101", 123_456)])
    services.post(
        "later", DAY + dt.timedelta(days=3), "other", [debit("701301", 500), credit("701302", 500)]
    )
    return customer


def by_code(result: reconciliation.Result) -> dict[str, tuple[int, int]]:
    return {line.account.code: (line.ledger, line.subledger) for line in result.lines}


def test_the_deposits_reconcile_and_a_difference_is_found(books) -> None:
    result = reconciliation.reconcile()
    assert result.ok
    assert by_code(result)["201101"] == (123_456, 123_456)
    DepositAccount.objects.update(balance_fen=123_457)  # the subledger drifts by 1 fen
    drifted = reconciliation.reconcile()
    assert not drifted.ok
    assert [(d.account.code, d.difference) for d in drifted.differences] == [("201101", -1)]


def test_the_loan_buckets_map_to_their_accounts(books, farmer, manager) -> None:
    performing, npl, gone = (loan_for(farmer, manager) for _ in range(3))
    LoanState.objects.filter(loan=performing).update(
        principal_fen=100, principal_due_fen=20, overdue_principal_fen=3,
        interest_accrued_fen=4, interest_due_fen=5, overdue_interest_fen=6,
        penalty_due_fen=7, compound_due_fen=8, days_past_due=90,
    )  # fmt: skip
    LoanState.objects.filter(loan=npl).update(
        principal_fen=1_000, overdue_principal_fen=30, interest_accrued_fen=40,
        overdue_interest_fen=60, penalty_due_fen=70, days_past_due=91,
    )  # fmt: skip
    LoanState.objects.filter(loan=gone).update(principal_fen=9_000, overdue_interest_fen=900)
    gone.status = "written_off"
    gone.save(update_fields=["status"])
    sums = reconciliation.subledger()
    assert sums == {
        "130101": 100 + 20 + 1_000,
        "130102": 3 + 30,
        "113201": 4 + 5 + 6,
        "113202": 7 + 8,
        "701101": 40 + 60 + 70,
        "701201": 9_000 + 900,
        "201101": 123_456,
    }


def test_the_trial_balance_page_splits_the_sheets_and_totals(books, accountant, login, routes):
    page = login(accountant).get("/ledger/?date=2026-11-27")
    assert page.status_code == 200
    html = page.content.decode()
    assert "表内、表外借贷均平衡" in html
    assert "1234.56" in html
    assert "701301" in html and "0.05" not in html  # the later posting is not counted
    later = login(accountant).get("/ledger/?date=2026-11-30").content.decode()
    assert "0.05" not in later or "5.00" in later
    assert "5.00" in later


def test_the_trial_balance_api(books, accountant, login, routes) -> None:
    body = login(accountant).get("/api/v1/ledger/trial-balance?date=2026-11-30").json()
    assert body["balanced"] is True
    on, off = body["sections"]
    assert (on["key"], off["key"]) == ("on_balance", "off_balance")
    assert on["totals"]["debits"] == "1234.56" and on["totals"]["credits"] == "1234.56"
    assert on["totals"]["debit_balance"] == on["totals"]["credit_balance"] == "1234.56"
    assert off["totals"]["debits"] == "5.00"
    lines = {line["code"]: line for line in on["lines"]}
    assert (lines["300101"]["debit_balance"], lines["201101"]["credit_balance"]) == (
        "1234.56",
        "1234.56",
    )
    earlier = login(accountant).get("/api/v1/ledger/trial-balance?date=2026-11-26").json()
    assert earlier["sections"][0]["totals"]["debits"] == "0.00"


def test_the_reconciliation_page_and_api_show_a_difference(
    books, accountant, login, routes
) -> None:
    client = login(accountant)
    assert "总分核对相符" in client.get("/ledger/reconciliation/").content.decode()
    DepositAccount.objects.update(balance_fen=123_400)
    html = client.get("/ledger/reconciliation/").content.decode()
    assert "1 个科目总分不符" in html and "0.56" in html
    body = client.get("/api/v1/ledger/reconciliation").json()
    assert (body["ok"], body["count"]) == (False, 1)
    line = next(line for line in body["lines"] if line["code"] == "201101")
    assert (line["ledger"], line["subledger"], line["difference"]) == (
        "1234.56",
        "1234.00",
        "0.56",
    )


def test_the_pages_and_api_need_the_permission(books, manager, login, routes) -> None:
    client = login(manager)
    assert client.get("/ledger/").status_code == 403
    assert client.get("/api/v1/ledger/trial-balance").status_code == 403
    assert client.get("/api/v1/ledger/reconciliation").status_code == 403


def test_the_command_exits_1_on_a_difference(books, capsys) -> None:
    call_command("ledger", "reconcile", "--json")
    body = json.loads(capsys.readouterr().out)
    assert body["ok"] is True
    DepositAccount.objects.update(balance_fen=0)
    with pytest.raises(SystemExit) as failed:
        call_command("ledger", "reconcile", "--date", "2026-11-27")
    assert failed.value.code == 1
    out = capsys.readouterr().out
    assert "总分核对：1 个科目不符" in out and "1234.56" in out
    call_command("ledger", "trial-balance", "--date", "2026-11-27")
    assert "合计（平衡）" in capsys.readouterr().out


def test_the_command_refuses_a_bad_date(db) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="日期应写作 YYYY-MM-DD：27/11"):
        call_command("ledger", "reconcile", "--date", "27/11")
