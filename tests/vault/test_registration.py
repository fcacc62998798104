"""抵质押登记: after approval, one per collateral item, never dated after the business date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.vault.factories import deposit, house, registration_data
from xindai.audit.models import AuditEvent
from xindai.core.errors import FormInvalid
from xindai.vault import services
from xindai.vault.models import Registration
from xindai.vault.services import VaultRefused


def test_the_manager_registers_the_mortgage_of_his_approved_case(case, manager) -> None:
    registration = services.register(manager, house(case), registration_data())

    assert (registration.registry, registration.registered_on) == (
        "多福县不动产登记中心",
        dt.date(2026, 11, 26),
    )
    assert registration.secured_amount == Decimal(100_000)
    event = AuditEvent.objects.get(action="vault.registered")
    assert event.changes["certificate_no"] == "苏(2026)多福县不动产证明第0000123号"
    assert event.changes["application"] == case.number


def test_the_disbursement_clerk_may_register_too(case, keeper) -> None:
    services.register(keeper, deposit(case), registration_data(certificate_no="存单 NO.1"))
    assert Registration.objects.count() == 1


def test_a_registration_dated_after_the_business_date_is_refused(case, manager) -> None:
    with pytest.raises(VaultRefused) as refused:
        services.register(manager, house(case), registration_data(registered_on="2026-11-28"))
    assert refused.value.details == {"registered_on": ["登记日期不能晚于会计日期 2026-11-27"]}
    assert not Registration.objects.exists()


def test_a_case_not_yet_approved_cannot_be_registered(manager, farmer, co_investigator) -> None:
    from tests.credit.factories import HOUSE, investigating, register

    application = investigating(manager, farmer, co_investigator)
    register(manager, application, HOUSE)
    with pytest.raises(VaultRefused) as refused:
        services.register(manager, house(application), registration_data())
    assert refused.value.details == {
        "stage": ["只有处于“贷款拨付”阶段（已审批）的申请可以办理抵质押登记"]
    }
    assert not Registration.objects.exists()


def test_a_collateral_item_is_registered_once(case, manager) -> None:
    services.register(manager, house(case), registration_data())
    with pytest.raises(VaultRefused) as refused:
        services.register(manager, house(case), registration_data(certificate_no="另一个号"))
    assert refused.value.details == {"collateral": ["该押品已办理登记"]}
    assert Registration.objects.count() == 1


def test_the_same_certificate_cannot_register_two_items(case, manager) -> None:
    services.register(manager, house(case), registration_data())
    with pytest.raises(VaultRefused) as refused:
        services.register(manager, deposit(case), registration_data())
    assert refused.value.details == {
        "certificate_no": ["权证号 苏(2026)多福县不动产证明第0000123号 已登记过，不能重复登记"]
    }
    assert Registration.objects.count() == 1


def test_missing_fields_are_listed_and_nothing_saved(case, manager) -> None:
    with pytest.raises(FormInvalid) as invalid:
        services.register(manager, house(case), {"registry": "", "secured_amount": "abc"})
    assert set(invalid.value.details) == {
        "registry",
        "registered_on",
        "certificate_no",
        "secured_amount",
    }
    assert not Registration.objects.exists()


def test_an_approver_may_not_register(case, approver) -> None:
    with pytest.raises(PermissionDenied):
        services.register(approver, house(case), registration_data())
    assert not Registration.objects.exists()
