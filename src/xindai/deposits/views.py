"""Pages of the deposit accounts (存款账户, simplified): the list with masked numbers and
balances, an account's movements, and the teller's cash in and cash out (with a confirmation
and an idempotency key in the form, so a double click moves the money once)."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xindai.core.access import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.paging import page_of
from xindai.deposits import services
from xindai.ledger.presenters import money


@requires(services.VIEW)
def accounts(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    found = services.visible_accounts(request.user)
    if q:
        found = found.filter(Q(customer__name__icontains=q) | Q(number__endswith=q))
    page = page_of(found.order_by("number"), request.GET.get("page"))
    context = {"page": page, "q": q, "rows": [_row(a) for a in page.object_list]}
    return render(request, "deposits/accounts.html", context)


@requires(services.VIEW)
def account(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(services.visible_accounts(request.user), pk=pk)
    page = page_of(found.movements.order_by("-pk"), request.GET.get("page"))
    movements = [
        {
            "date": m.business_date,
            "kind": m.get_kind_display(),
            "amount": money(m.amount_fen),
            "incoming": m.amount_fen > 0,
            "balance": money(m.balance_after_fen),
            "memo": m.memo,
        }
        for m in page.object_list
    ]
    context = {
        "row": _row(found),
        "page": page,
        "movements": movements,
        "can_cash": request.user.has_perm(services.TELLER),
        "key": uuid.uuid4().hex,
        "cash_actions": [
            ("in", _("确认存入"), _("收到客户现金，存入此账户？"), _("确认存入")),
            ("out", _("确认支取"), _("从此账户支取现金付给客户？"), _("确认支取")),
        ],
    }
    return render(request, "deposits/account.html", context)


@require_POST
@requires(services.TELLER)
def cash(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    found = get_object_or_404(services.visible_accounts(request.user), pk=pk)
    try:
        movement, created = services.cash(
            request.user, found, direction, request.POST, request.POST.get("key", "")
        )
    except DomainError as error:
        details = error.details if isinstance(error, FormInvalid) else {}
        shown = [m for messages_ in details.values() for m in messages_] or [error.message]
        messages.error(request, "；".join(shown))
    else:
        text = _("已存入 %(amount)s 元") if direction == "in" else _("已支取 %(amount)s 元")
        if not created:
            text = _("此笔已办理，未重复记账：") + text
        messages.success(request, text % {"amount": money(abs(movement.amount_fen))})
    return redirect(reverse("deposits:account", args=[found.pk]))


def _row(found: services.DepositAccount) -> dict[str, object]:
    return {
        "pk": found.pk,
        "number": services.masked(found.number),
        "customer": found.customer.name,
        "balance": money(found.balance_fen),
        "opened_on": found.opened_on,
        "active": found.is_active,
    }
