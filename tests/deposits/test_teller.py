"""柜面现金存取: once per key, booked (Dr 300101 / Cr 201101 and back), never below zero, in
the teller's scope; the list and detail pages with masked numbers; the API."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.credit.factories import TODAY
from tests.ledger.checks import assert_books_agree, gl_balances
from tests.permissions import grant
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid, InvalidInput
from xindai.deposits import services
from xindai.deposits.models import DepositAccount, DepositMovement
from xindai.ledger.models import JournalEntry


@pytest.fixture
def teller(clerk):
    return grant(clerk, "deposits.cash_teller", "deposits.view_depositaccount")


@pytest.fixture
def account(farmer) -> DepositAccount:
    return services.open_account(farmer, TODAY)


def balance(account: DepositAccount) -> int:
    account.refresh_from_db()
    return account.balance_fen


def test_an_account_is_numbered_from_its_id(account) -> None:
    assert account.number == f"6230{account.pk:012d}" and len(account.number) == 16


def test_cash_in_then_out_moves_and_books(teller, account) -> None:
    made, created = services.cash(teller, account, "in", {"amount": "1,000.50"}, "k1")
    assert created and (made.kind, made.amount_fen, made.balance_after_fen) == (
        "cash_in",
        100_050,
        100_050,
    )
    out, _ = services.cash(teller, account, "out", {"amount": "300", "memo": "取现"}, "k2")
    assert (out.amount_fen, out.balance_after_fen, out.memo) == (-30_000, 70_050, "取现")
    assert balance(account) == 70_050
    assert gl_balances() == {"300101": 70_050, "201101": 70_050}
    assert AuditEvent.objects.filter(action__startswith="deposits.cash_").count() == 2
    assert_books_agree()


def test_the_same_key_moves_money_once(teller, account) -> None:
    first, _ = services.cash(teller, account, "in", {"amount": "500"}, "same")
    again, created = services.cash(teller, account, "in", {"amount": "500"}, "same")
    assert (again.pk, created) == (first.pk, False)
    assert balance(account) == 50_000
    assert (DepositMovement.objects.count(), JournalEntry.objects.count()) == (1, 1)


def test_a_key_of_another_account_is_refused(teller, account, farmer) -> None:
    other = services.open_account(farmer, TODAY)
    services.cash(teller, account, "in", {"amount": "500"}, "same")
    with pytest.raises(DomainError) as refused:
        services.cash(teller, other, "in", {"amount": "500"}, "same")
    assert refused.value.message == "此幂等键已用于另一笔存取款"
    assert balance(other) == 0 and DepositMovement.objects.count() == 1


def test_a_withdrawal_beyond_the_balance_is_refused_and_changes_nothing(teller, account) -> None:
    services.cash(teller, account, "in", {"amount": "100"}, "k1")
    with pytest.raises(services.InsufficientFunds) as refused:
        services.cash(teller, account, "out", {"amount": "100.01"}, "k2")
    assert refused.value.message == f"账户 {account.number} 余额 100.00 元，不足支付 100.01 元"
    assert balance(account) == 10_000
    assert (DepositMovement.objects.count(), JournalEntry.objects.count()) == (1, 1)
    assert_books_agree()


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("", "请填写金额（元），如 500 或 500.00"),
        ("abc", "请填写金额（元），如 500 或 500.00"),
        ("0", "金额必须大于 0"),
        ("-5", "金额必须大于 0"),
        ("1.001", "金额最多精确到分（两位小数）"),
        ("10000000.01", "单笔现金存取不能超过 10,000,000 元"),
    ],
)
def test_a_wrong_amount_is_refused(teller, account, amount, message) -> None:
    with pytest.raises(FormInvalid) as refused:
        services.cash(teller, account, "in", {"amount": amount}, "k1")
    assert refused.value.details == {"amount": [message]}
    assert balance(account) == 0 and not JournalEntry.objects.exists()


def test_a_missing_key_and_a_closed_account_are_refused(teller, account) -> None:
    with pytest.raises(InvalidInput) as no_key:
        services.cash(teller, account, "in", {"amount": "5"}, " ")
    assert "缺少请求幂等键" in no_key.value.message
    DepositAccount.objects.filter(pk=account.pk).update(is_active=False)
    account.refresh_from_db()
    with pytest.raises(DomainError) as closed:
        services.cash(teller, account, "in", {"amount": "5"}, "k1")
    assert closed.value.message == "账户已销户，不能存取款"
    assert not DepositMovement.objects.exists()


def test_without_the_permission_or_outside_the_scope_nothing_moves(
    clerk, manager, colleague, account, make_user, tree
) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.cash(manager, account, "in", {"amount": "5"}, "k1")  # no teller permission
    far = grant(colleague, "deposits.cash_teller")  # branch B2: not his customer's branch
    with pytest.raises(PermissionDenied):
        services.cash(far, account, "in", {"amount": "5"}, "k2")
    assert balance(account) == 0 and not JournalEntry.objects.exists()


# ---- pages ------------------------------------------------------------------------------------


def test_the_list_masks_the_number_and_shows_the_balance(teller, account, login, routes) -> None:
    services.cash(teller, account, "in", {"amount": "12345.6"}, "k1")
    html = login(teller).get("/deposits/").content.decode()
    assert account.number not in html
    assert f"6230 **** {account.number[-4:]}" in html
    assert "12,345.60" in html and "王" in html


def test_the_detail_page_cashes_in_once(teller, account, login, routes) -> None:
    client = login(teller)
    page = client.get(f"/deposits/{account.pk}/").content.decode()
    assert "柜面现金存取" in page and "还没有交易" in page
    data = {"amount": "800", "memo": "卖猪款", "key": "form-key-1"}
    for _ in range(2):  # a double click
        response = client.post(f"/deposits/{account.pk}/cash-in/", data)
        assert response.status_code == 302
    assert balance(account) == 80_000
    page = client.get(f"/deposits/{account.pk}/").content.decode()
    assert "+800.00" in page and "卖猪款" in page
    refused = client.post(
        f"/deposits/{account.pk}/cash-out/", {"amount": "900", "key": "k2"}, follow=True
    )
    assert "不足支付 900.00 元" in refused.content.decode()
    assert balance(account) == 80_000


def test_pages_need_the_permissions(account, login, routes, make_user, tree) -> None:
    from xindai.org.roles import Role

    reviewer = make_user("qian", tree["B1"], Role.REVIEWER)  # no deposit permission
    client = login(reviewer)
    assert client.get("/deposits/").status_code == 403
    viewer = grant(reviewer, "deposits.view_depositaccount")  # may look, not pay in or out
    client = login(viewer)
    assert "柜面现金存取" not in client.get(f"/deposits/{account.pk}/").content.decode()
    assert client.post(f"/deposits/{account.pk}/cash-in/", {"amount": "5"}).status_code == 403
    assert balance(account) == 0


def test_another_branch_does_not_see_the_account(colleague, account, login, routes) -> None:
    far = grant(colleague, "deposits.view_depositaccount")
    assert login(far).get(f"/deposits/{account.pk}/").status_code == 404


# ---- API --------------------------------------------------------------------------------------


def test_the_api_cashes_in_once_per_key(teller, account, login, routes) -> None:
    client = login(teller)
    url = f"/api/v1/deposits/{account.pk}/cash-in"
    first = client.post(url, {"amount": "250.00"}, "application/json", HTTP_IDEMPOTENCY_KEY="a1")
    assert first.status_code == 201
    assert (first.json()["amount"], first.json()["balance_after"]) == ("250.00", "250.00")
    again = client.post(url, {"amount": "250.00"}, "application/json", HTTP_IDEMPOTENCY_KEY="a1")
    assert (again.status_code, again.json()["id"]) == (200, first.json()["id"])
    out = client.post(
        f"/api/v1/deposits/{account.pk}/cash-out",
        {"amount": "300", "idempotency_key": "a2"},
        "application/json",
    )
    assert (out.status_code, out.json()["code"]) == (409, "insufficient_funds")
    detail = client.get(f"/api/v1/deposits/{account.pk}").json()
    assert detail["balance"] == "250.00" and detail["number"].startswith("6230 ****")
    assert [m["amount"] for m in detail["movements"]["items"]] == ["250.00"]
    listed = client.get("/api/v1/deposits").json()
    assert listed["count"] == 1 and listed["items"][0]["customer"] == account.customer.name
    assert_books_agree()


def test_the_api_refuses_without_permission_and_bad_input(
    manager, teller, account, login, routes
) -> None:
    url = f"/api/v1/deposits/{account.pk}/cash-in"
    denied = login(manager).post(url, {"amount": "5"}, "application/json", HTTP_IDEMPOTENCY_KEY="x")
    assert denied.status_code == 403
    bad = login(teller).post(url, {"amount": "0"}, "application/json", HTTP_IDEMPOTENCY_KEY="x")
    assert (bad.status_code, bad.json()["details"]) == (422, {"amount": ["金额必须大于 0"]})
    assert balance(account) == 0


def test_opening_for_a_customer_reuses_his_oldest_active_account(farmer) -> None:
    old = services.open_account(farmer, TODAY - dt.timedelta(days=3))
    services.open_account(farmer, TODAY)
    found, opened = services.repayment_account_for(farmer, TODAY)
    assert (found.pk, opened) == (old.pk, False)
