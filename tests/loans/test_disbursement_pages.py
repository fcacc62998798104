"""The pages of 放款: queue, disbursement page (checklist, decision, confirmation, idempotency
key), the accounts list and a loan's page, the use-of-funds form, and who may open them."""

from __future__ import annotations

import re

import pytest

from tests.loans.factories_disbursement import expire, ready
from xindai.loans.models import Disbursement, LoanAccount


@pytest.fixture
def application(manager, farmer, co_investigator, approver):
    return ready(manager, farmer, co_investigator, approver)


def key_of(html: str) -> str:
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', html).group(1)


def form(key: str, **more: str) -> dict[str, str]:
    return (
        {"amount": "100000", "payment_mode": "entrusted", "idempotency_key": key}
        | {
            "payments-0-counterparty_name": "多福农资有限公司",
            "payments-0-account": "6217001234567890123",
            "payments-0-bank": "多福农商银行营业部",
            "payments-0-amount": "100000",
            "payments-0-evidence": "购销合同 NZ-2026-118",
            "payments-1-counterparty_name": "",
            "payments-1-amount": "",
        }
        | more
    )


def test_the_queue_shows_the_gate_status(application, clerk, login) -> None:
    expire(application)
    page = login(clerk).get("/loans/disbursements/").content.decode()
    assert application.number in page
    assert "1 项未满足" in page


def test_the_page_shows_the_checklist_and_a_new_key_each_time(application, clerk, login) -> None:
    client = login(clerk)
    first = client.get(f"/loans/applications/{application.pk}/disburse/").content.decode()
    second = client.get(f"/loans/applications/{application.pk}/disburse/").content.decode()
    assert first.count("gate-ok") == 5
    assert "可以自主支付" in first
    assert key_of(first) != key_of(second)


def test_posting_twice_with_the_same_key_disburses_once(application, clerk, login) -> None:
    client = login(clerk)
    key = key_of(client.get(f"/loans/applications/{application.pk}/disburse/").content.decode())
    url = f"/loans/applications/{application.pk}/disburse/"
    first = client.post(url, form(key))
    loan = LoanAccount.objects.get()
    assert first.status_code == 302 and first.url == f"/loans/accounts/{loan.pk}/"
    again = client.post(url, form(key))  # double click, or back and submit again
    assert again.status_code == 302 and again.url == f"/loans/accounts/{loan.pk}/"
    assert Disbursement.objects.count() == 1
    page = client.get(first.url).content.decode()
    assert "6217 **** 0123" in page and "6217001234567890123" not in page
    assert 'data-chart="stacked"' in page and "8,530.99" in page


def test_a_refusal_is_shown_on_the_page_and_nothing_changes(application, clerk, login) -> None:
    expire(application)
    client = login(clerk)
    response = client.post(f"/loans/applications/{application.pk}/disburse/", form("k" * 32))
    assert response.status_code == 409
    assert "批复已于 2026-11-26 过期：须重新审批" in response.content.decode()
    assert not LoanAccount.objects.exists()


def test_the_accounts_list_filters_and_masks(application, clerk, manager, login) -> None:
    client = login(clerk)
    client.post(f"/loans/applications/{application.pk}/disburse/", form("k" * 32))
    page = login(manager).get("/loans/accounts/?source=disbursed&q=王").content.decode()
    assert "王大山" in page and application.customer.id_number not in page
    assert "********" in page
    assert "王大山" not in login(manager).get("/loans/accounts/?source=imported").content.decode()


def test_the_use_of_funds_form_on_the_loan_page(application, clerk, manager, login) -> None:
    login(clerk).post(
        f"/loans/applications/{application.pk}/disburse/",
        {"amount": "100000", "payment_mode": "self", "idempotency_key": "k" * 32},
    )
    loan = LoanAccount.objects.get()
    client = login(manager)
    assert "资金使用报告" in client.get(f"/loans/accounts/{loan.pk}/").content.decode()
    bad = client.post(f"/loans/accounts/{loan.pk}/use-of-funds/", {"amount_used": "0"})
    assert bad.status_code == 422
    good = client.post(
        f"/loans/accounts/{loan.pk}/use-of-funds/",
        {"amount_used": "100000", "description": "购买化肥、种子"},
    )
    assert good.status_code == 302
    assert loan.use_reports.filter(reported_on__isnull=False).count() == 1
    assert not loan.use_reports.filter(reported_on__isnull=True).exists()  # all reported


@pytest.mark.parametrize("url", ["/loans/disbursements/", "/loans/accounts/"])
def test_someone_without_a_role_is_refused(url, outsider, login) -> None:
    assert login(outsider).get(url).status_code == 403


def test_another_branch_does_not_see_the_application(application, colleague, login) -> None:
    assert (
        login(colleague).get(f"/loans/applications/{application.pk}/disburse/").status_code == 404
    )


def test_a_manager_posting_the_form_is_refused(application, manager, login) -> None:
    response = login(manager).post(
        f"/loans/applications/{application.pk}/disburse/", form("k" * 32)
    )
    assert response.status_code == 403
    assert not LoanAccount.objects.exists()
