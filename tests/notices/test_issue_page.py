"""Issuing 催收通知书 from the loan's page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.notices.scenario import D, overdue_loan, overdue_state
from xindai.customers.models import Customer
from xindai.notices.models import Notice

pytestmark = pytest.mark.django_db


def test_issue_to_the_chosen_recipients_only(farmer: Any, manager: Any, login: Any) -> None:
    account = overdue_loan(farmer, guarantors=2)
    client = login(manager)
    page = client.get(f"/notices/loans/{account.pk}/issue/").content.decode()
    assert "贷款未逾期" in page
    overdue_state(account, D(2026, 12, 20), 18)
    page = client.get(f"/notices/loans/{account.pk}/issue/").content.decode()
    assert "保证人1" in page and "保证人2" in page
    first = Customer.objects.get(name="保证人1")
    response = client.post(
        f"/notices/loans/{account.pk}/issue/",
        {"recipients": [str(farmer.pk), str(first.pk)], "reason": "约谈未果"},
    )
    assert response.status_code == 302
    made = Notice.objects.filter(loan=account, kind="collection").order_by("recipient__name")
    assert [(n.recipient.name, n.reason) for n in made] == [
        ("保证人1", "约谈未果"),
        ("王大山", "约谈未果"),
    ]
    # Nobody chosen: 422 and nothing made.
    response = client.post(f"/notices/loans/{account.pk}/issue/", {"reason": "x"})
    assert response.status_code == 422
