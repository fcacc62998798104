"""The API (``/api/v1/repayments``) and the teller pages: exactly once by key, who may do what,
and the refusals with their reasons."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from tests.repayments import factories as f
from tests.repayments.test_repay import buckets, due_on_the_3rd
from xindai.org.models import User
from xindai.repayments.models import Repayment, Reversal

pytestmark = pytest.mark.django_db

Login = Callable[[User], Client]


def post(client: Client, url: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(url, json.dumps(body), content_type="application/json", **headers)


def test_repay_by_api_once_per_key(teller: Any, login: Login) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    client = login(teller)
    url = f"/api/v1/repayments/loans/{loan.pk}"
    quote = client.get(f"{url}/quote").json()
    assert (quote["due_total"], quote["payoff"], quote["due"]["interest_due"]) == (
        "8530.99",
        "83936.58",  # 8,530.99 due + 75,405.59 not yet due, nothing accrued on a due date
        "303.17",
    )
    missing = post(client, url, {"amount": "8530.99", "source": "cash"})
    assert (missing.status_code, missing.json()["code"]) == (400, "idempotency_key")
    first = post(client, url, {"amount": "8530.99", "source": "cash"}, key="api-1")
    again = post(client, url, {"amount": "8530.99", "source": "cash"}, key="api-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["allocation"] == {"interest_due": "303.17", "principal_due": "8227.82"}
    reused = post(client, url, {"amount": "1.00", "source": "cash"}, key="api-1")
    assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")
    assert Repayment.objects.count() == 1
    listed = client.get(f"/api/v1/repayments?loan={loan.pk}").json()
    assert [item["id"] for item in listed["items"]] == [first.json()["id"]]
    f.assert_books()


def test_a_refusal_by_api_says_why_and_changes_nothing(teller: Any, login: Login) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    before = buckets(loan)
    reply = post(
        login(teller),
        f"/api/v1/repayments/loans/{loan.pk}",
        {"amount": "100.00", "source": "cash", "prepayment": "payoff"},
        key="api-payoff",
    )
    assert reply.status_code == 409
    assert reply.json()["code"] == "repayment_refused"
    assert "全部结清应还 83936.58 元" in reply.json()["message"]
    assert buckets(loan) == before


def test_reversal_by_api_needs_a_second_person(teller: Any, head: Any, login: Login) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    before = buckets(loan)
    client = login(teller)
    made = post(
        client, f"/api/v1/repayments/loans/{loan.pk}", {"amount": "8530.99", "source": "cash"}, "r1"
    ).json()
    asked = post(client, f"/api/v1/repayments/{made['id']}/reversal", {"reason": "录错"})
    assert asked.status_code == 201
    url = f"/api/v1/repayments/reversals/{asked.json()['id']}/approve"
    own = post(client, url, {})
    assert (own.status_code, own.json()["code"]) == (409, "same_person")
    done = post(login(head), url, {})
    assert (done.status_code, done.json()["status"]) == (200, "approved")
    assert buckets(loan) == before
    f.assert_books()


def test_api_access(teller: Any, manager: Any, colleague: Any, login: Login) -> None:
    loan = f.loan(manager)
    due_on_the_3rd(loan)
    url = f"/api/v1/repayments/loans/{loan.pk}"
    assert Client().get(f"{url}/quote").status_code == 401
    # a customer manager holds no repayment permission: 403
    assert login(manager).get(f"{url}/quote").status_code == 403
    assert post(login(manager), url, {"amount": "1", "source": "cash"}, "x").status_code == 403
    # a teller of another branch does not see the loan: 404
    from tests.permissions import grant
    from xindai.repayments.services import TAKE, VIEW

    other = grant(colleague, VIEW, TAKE)
    assert login(other).get(f"{url}/quote").status_code == 404
    assert post(login(other), url, {"amount": "1", "source": "cash"}, "x").status_code == 404
    assert not Repayment.objects.exists()


def test_the_teller_page_takes_a_repayment_and_shows_the_receipt(teller: Any, login: Login) -> None:
    loan = f.loan(teller, deposit_fen=1_000_000)
    due_on_the_3rd(loan)
    client = login(teller)
    found = client.get(reverse("repayments:counter"), {"q": loan.number})
    assert found.status_code == 200 and loan.number in found.content.decode()
    page = client.get(reverse("repayments:loan", args=[loan.pk]))
    html = page.content.decode()
    assert 'id="due-total">8,530.99' in html and 'id="payoff">83,936.58' in html
    data = {"amount": "8530.99", "source": "deposit", "prepayment": "", "idempotency_key": "pg-1"}
    done = client.post(reverse("repayments:loan", args=[loan.pk]), data)
    made = Repayment.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "repayments:receipt", args=[made.pk]
    )
    again = client.post(reverse("repayments:loan", args=[loan.pk]), data)
    assert again.status_code == 302 and Repayment.objects.count() == 1
    receipt = client.get(reverse("repayments:receipt", args=[made.pk])).content.decode()
    assert "人民币捌仟伍佰叁拾元玖角玖分" in receipt and "8,227.82" in receipt
    f.assert_books()


def test_the_teller_page_shows_a_refusal(teller: Any, login: Login) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    data = {"amount": "9000", "source": "deposit", "prepayment": "", "idempotency_key": "pg-2"}
    page = login(teller).post(reverse("repayments:loan", args=[loan.pk]), data)
    assert page.status_code == 409
    assert "从还款账户扣款不能超过应还金额 8530.99 元" in page.content.decode()
    assert not Repayment.objects.exists()


def test_reversal_pages(teller: Any, teller2: Any, head: Any, login: Login) -> None:
    loan = f.loan(teller)
    due_on_the_3rd(loan)
    before = buckets(loan)
    data = {"amount": "8530.99", "source": "cash", "prepayment": "", "idempotency_key": "pg-3"}
    login(teller).post(reverse("repayments:loan", args=[loan.pk]), data)
    made = Repayment.objects.get()
    login(teller).post(reverse("repayments:reversal_request", args=[made.pk]), {"reason": "录错"})
    reversal = Reversal.objects.get()
    queue = login(head).get(reverse("repayments:reversals")).content.decode()
    assert "录错" in queue and loan.number in queue
    # the requester's approval is refused with the reason; the head's goes through
    login(teller).post(reverse("repayments:approve", args=[reversal.pk]))
    reversal.refresh_from_db()
    assert reversal.status == "requested"
    login(head).post(reverse("repayments:approve", args=[reversal.pk]))
    reversal.refresh_from_db()
    assert reversal.status == "approved" and buckets(loan) == before
    f.assert_books()


def test_page_access(teller: Any, manager: Any, login: Login) -> None:
    loan = f.loan(manager)
    due_on_the_3rd(loan)
    for name, args in (("repayments:counter", []), ("repayments:loan", [loan.pk])):
        assert login(manager).get(reverse(name, args=args)).status_code == 403
        assert login(teller).get(reverse(name, args=args)).status_code == 200
    assert login(manager).post(reverse("repayments:approve", args=[1])).status_code == 403
