"""Archive use cases: validation, one customer per identity, completeness, 梳理, audit, history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.customers.ids import resident_id
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError, FormInvalid
from xindai.customers import pii, services
from xindai.customers.models import ArchiveStatus, Customer
from xindai.customers.policy import REQUIREMENTS

FARMER_REQUIRED = REQUIREMENTS["farmer"].count()  # 3 fields + 9 sections + 2 documents = 14


def test_the_farmer_policy_counts_fourteen_requirements() -> None:
    assert FARMER_REQUIRED == 14


@pytest.mark.django_db
def test_a_new_farmer_with_phone_address_and_village_is_3_of_14(manager, farmer_data) -> None:
    customer = services.create_customer(manager, farmer_data)
    assert customer.org_unit == manager.org_unit
    assert customer.id_type == "resident_id"
    assert customer.completeness == 3 * 100 // 14  # 21


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "110101198005171230", "校验位不正确"),
        ("id_number", "11010119800517123", "应为 18 位"),
        ("phone", "1391234", "手机号应为 11 位"),
        ("village", "", "农户必须落到所在村"),
    ],
)
def test_bad_farmer_input_is_refused_and_nothing_saved(
    manager, farmer_data, field, value, message
) -> None:
    events = AuditEvent.objects.count()
    with pytest.raises(FormInvalid) as refused:
        services.create_customer(manager, {**farmer_data, field: value})
    assert any(message in text for text in refused.value.details[field])
    assert Customer.objects.count() == 0 and AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_a_business_needs_a_valid_credit_code(manager, business_data) -> None:
    with pytest.raises(FormInvalid) as refused:
        services.create_customer(manager, {**business_data, "id_number": resident_id()})
    assert "统一社会信用代码" in refused.value.details["id_number"][0]


@pytest.mark.django_db
def test_one_customer_per_identity(manager, farmer_data) -> None:
    services.create_customer(manager, farmer_data)
    with pytest.raises(FormInvalid) as refused:
        services.create_customer(manager, {**farmer_data, "name": "另一个人"})
    assert "一个证件只能对应一个客户" in refused.value.details["id_number"][0]


@pytest.mark.django_db
def test_the_audit_event_of_a_new_customer_masks_id_and_phone(manager, farmer_data) -> None:
    services.create_customer(manager, farmer_data)
    event = AuditEvent.objects.get(action="customers.customer.create")
    text = str(event.changes)
    assert farmer_data["id_number"] not in text and "13912340000" not in text
    assert "110101********" in text and "139****0000" in text


@pytest.mark.django_db
def test_a_section_row_raises_completeness_and_is_versioned(manager, farmer_data) -> None:
    customer = services.create_customer(manager, farmer_data)
    services.save_section_row(
        manager, customer, "land", {"kind": "contracted", "area_mu": "8.5", "location": "东坡"}
    )
    customer.refresh_from_db()
    assert customer.completeness == 4 * 100 // 14  # 28
    row = customer.landholding_set.get()
    assert row.history.get().history_user == manager


@pytest.mark.django_db
def test_negative_area_is_refused(manager, farmer_data) -> None:
    customer = services.create_customer(manager, farmer_data)
    with pytest.raises(FormInvalid) as refused:
        services.save_section_row(
            manager, customer, "land", {"kind": "contracted", "area_mu": "-1"}
        )
    assert refused.value.details["area_mu"] == ["不能为负数"]
    assert not customer.landholding_set.exists()


@pytest.mark.django_db
def test_a_section_of_another_kind_is_refused(manager, farmer_data) -> None:
    customer = services.create_customer(manager, farmer_data)
    with pytest.raises(DomainError, match="没有此栏目"):
        services.save_section_row(manager, customer, "shareholders", {"name": "x"})


@pytest.mark.django_db
def test_confirmation_needs_a_complete_archive_and_a_change_asks_again(
    manager, farmer_data
) -> None:
    customer = services.create_customer(manager, farmer_data)
    with pytest.raises(DomainError) as refused:
        services.confirm_archive(manager, customer)
    assert len(refused.value.details["gaps"]) == 14 - 3
    customer.archive_status = ArchiveStatus.CONFIRMED  # as if confirmed earlier
    customer.save()
    services.save_section_row(
        manager,
        customer,
        "production",
        {"category": "crop", "kind": "水稻", "scale": "10", "unit": "亩", "yearly_income": "12000"},
    )
    customer.refresh_from_db()
    assert customer.archive_status == ArchiveStatus.RECONFIRM


@pytest.mark.django_db
def test_only_permitted_roles_see_a_full_id_and_each_look_is_audited(
    manager, outsider, farmer_data
) -> None:
    customer = services.create_customer(manager, farmer_data)
    assert pii.reveal(manager, customer, "id_number") == farmer_data["id_number"]
    assert AuditEvent.objects.filter(action="customers.pii.view").count() == 1
    with pytest.raises(PermissionDenied):
        pii.reveal(outsider, customer, "id_number")
    with pytest.raises(DomainError):
        pii.reveal(manager, customer, "name")
    assert AuditEvent.objects.filter(action="customers.pii.view").count() == 1


@pytest.mark.django_db
def test_a_user_without_the_permission_cannot_create(outsider, farmer_data) -> None:
    with pytest.raises(PermissionDenied):
        services.create_customer(outsider, farmer_data)


@pytest.mark.django_db
def test_a_relationship_target_must_be_a_customer_the_actor_can_see(
    manager, colleague, farmer_data, business_data
) -> None:
    mine = services.create_customer(manager, farmer_data)
    theirs = services.create_customer(colleague, {**business_data, "manager": colleague.pk})
    with pytest.raises(FormInvalid) as refused:
        services.add_relationship(manager, mine, {"target": theirs.pk, "kind": "guarantor"})
    assert "target" in refused.value.details


@pytest.mark.django_db
def test_a_household_without_debts_records_none_and_meets_the_requirement(
    manager, farmer_data
) -> None:
    customer = services.create_customer(manager, farmer_data)
    with pytest.raises(FormInvalid):
        services.save_section_row(
            manager,
            customer,
            "liabilities",
            {"category": "none", "creditor": "张三", "amount": "100", "balance": "0"},
        )
    with pytest.raises(FormInvalid) as refused:
        services.save_section_row(
            manager,
            customer,
            "liabilities",
            {"category": "private", "amount": "100", "balance": "100"},
        )
    assert refused.value.details["creditor"] == ["请填写债权人或被担保人"]
    services.save_section_row(
        manager, customer, "liabilities", {"category": "none", "amount": "0", "balance": "0"}
    )
    customer.refresh_from_db()
    assert customer.completeness == 4 * 100 // 14  # 28


@pytest.mark.django_db
def test_a_second_statement_for_the_same_period_is_a_field_error(manager, enterprise_data) -> None:
    customer = services.create_customer(manager, enterprise_data)
    figures = {
        "period_end": "2025-12-31",
        "total_assets": "1000",
        "total_liabilities": "400",
        "current_assets": "600",
        "current_liabilities": "300",
        "revenue": "2000",
        "net_profit": "120",
    }
    services.save_section_row(manager, customer, "statements", figures)
    with pytest.raises(FormInvalid):
        services.save_section_row(manager, customer, "statements", figures)
    assert customer.financialstatement_set.count() == 1
