"""An approved application with collateral, registered and received into the vault."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tests.credit.factories import DEPOSIT, HOUSE, approved, investigating, register
from xindai.credit.models import ApplicationCollateral, CreditApplication
from xindai.vault import services
from xindai.vault.models import Registration, VaultItem

REGISTERED_ON = dt.date(2026, 11, 26)  # the day before the tests' business date


def approved_case(
    manager: Any, customer: Any, co_investigator: Any, approver: Any
) -> CreditApplication:
    application = investigating(manager, customer, co_investigator)
    register(manager, application, HOUSE, DEPOSIT)
    approved(application, approver)
    application.refresh_from_db()
    return application


def registration_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "registry": "多福县不动产登记中心",
        "registered_on": REGISTERED_ON.isoformat(),
        "certificate_no": "苏(2026)多福县不动产证明第0000123号",
        "secured_amount": "100000",
    }
    return data | overrides


def house(application: CreditApplication) -> ApplicationCollateral:
    return application.collateral.get(kind="mortgage")


def deposit(application: CreditApplication) -> ApplicationCollateral:
    return application.collateral.get(kind="pledge")


def registered(application: CreditApplication, by: Any) -> tuple[Registration, Registration]:
    """Both items registered: the house at the registry, the deposit (stop-payment) here."""
    first = services.register(by, house(application), registration_data())
    second = services.register(
        by,
        deposit(application),
        registration_data(
            registry="本行多福支行", certificate_no="存单 NO.0098765", secured_amount="50000"
        ),
    )
    return first, second


def kept(
    registration: Registration, keeper: Any, kind: str = "certificate", value: Decimal | None = None
) -> VaultItem:
    data = {"kind": kind, "description": "", "value": "" if value is None else str(value)}
    return services.receive(keeper, registration, data)


def settled_loan(application: CreditApplication, by: Any, status: str = "settled") -> Any:
    """A loan account of ``application`` in ``status`` (made directly: disbursement and
    settlement are tested by their own services)."""
    from xindai.loans.accounts import loan_terms, open_account

    terms = loan_terms(
        application.product,
        application.amount,
        Decimal("0.0435"),
        application.term_months,
        application.repayment_method,
        dt.date(2026, 11, 27),
    )
    account, _ = open_account(
        terms,
        application=application,
        customer=application.customer,
        product=application.product,
        org_unit=application.org_unit,
        manager=application.manager,
        created_by=by,
        source="disbursed",
        term_months=application.term_months,
        status=status,
    )
    return account
