"""库房: receiving into the vault, the two-step release, the item's history, the gate."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.vault.factories import kept, registered
from xindai.audit.models import AuditEvent
from xindai.vault import gate, services
from xindai.vault.models import ItemStatus, MovementState, VaultItem, VaultMovement
from xindai.vault.services import VaultRefused

RELEASE = {"reason": "借款人申请换证", "acknowledge": "on"}


def test_receiving_numbers_the_items_of_the_year_in_order(case, manager, keeper) -> None:
    house_reg, deposit_reg = registered(case, manager)
    first = kept(house_reg, keeper)
    second = kept(deposit_reg, keeper, kind="pledged_item")

    assert (first.number, second.number) == ("KF2026000001", "KF2026000002")
    assert (first.value, second.value) == (Decimal(100_000), Decimal(50_000))  # secured amounts
    assert first.received_on == dt.date(2026, 11, 27)
    assert first.description == "他项权证 苏(2026)多福县不动产证明第0000123号"
    assert [(m.direction, m.state, m.amount) for m in first.movements.all()] == [
        ("in", "done", Decimal(100_000))
    ]
    assert AuditEvent.objects.filter(action="vault.received").count() == 2


def test_an_off_balance_value_may_be_given(case, manager, keeper) -> None:
    house_reg, _ = registered(case, manager)
    assert kept(house_reg, keeper, value=Decimal("120000.50")).value == Decimal("120000.50")


def test_a_certificate_already_in_the_vault_is_not_received_twice(case, manager, keeper) -> None:
    house_reg, _ = registered(case, manager)
    kept(house_reg, keeper)
    with pytest.raises(VaultRefused) as refused:
        kept(house_reg, keeper)
    assert refused.value.details == {
        "registration": ["该登记的权证已在库（入库编号 KF2026000001）"]
    }
    assert VaultItem.objects.count() == 1


def test_a_manager_cannot_keep_the_vault(case, manager) -> None:
    house_reg, _ = registered(case, manager)
    with pytest.raises(PermissionDenied):
        kept(house_reg, manager)
    assert not VaultItem.objects.exists()


# ---- release --------------------------------------------------------------------------------


def test_a_release_needs_an_approval_before_the_item_leaves(case, manager, keeper, head) -> None:
    item = kept(registered(case, manager)[0], keeper)
    movement = services.request_release(keeper, item, RELEASE)

    item.refresh_from_db()
    assert (item.status, item.released_on, movement.state) == ("in", None, "pending")
    assert movement.unsettled_loan is True  # the case is at 贷款拨付: the debt may be owed

    services.approve_release(head, movement)
    item.refresh_from_db()
    movement.refresh_from_db()
    assert (item.status, item.released_on) == ("out", dt.date(2026, 11, 27))
    assert (movement.state, movement.approved_by, movement.requested_by) == ("done", head, keeper)
    actions = list(
        AuditEvent.objects.filter(action__startswith="vault.release")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["vault.release_requested", "vault.release_approved"]


def test_the_requester_cannot_approve_his_own_release(case, manager, keeper, make_user, tree):
    from xindai.org.roles import Role

    both = make_user("both", tree["B1"], Role.DISBURSEMENT, Role.BRANCH_HEAD)
    item = kept(registered(case, manager)[0], keeper)
    movement = services.request_release(both, item, RELEASE)
    with pytest.raises(VaultRefused) as refused:
        services.approve_release(both, movement)
    assert refused.value.details == {"approver": ["出库须由申请人以外的人审批"]}
    item.refresh_from_db()
    assert item.status == ItemStatus.IN
    assert VaultMovement.objects.get(pk=movement.pk).state == MovementState.PENDING


def test_a_keeper_cannot_approve_a_release(case, manager, keeper, second_keeper) -> None:
    item = kept(registered(case, manager)[0], keeper)
    movement = services.request_release(keeper, item, RELEASE)
    with pytest.raises(PermissionDenied):
        services.approve_release(second_keeper, movement)
    item.refresh_from_db()
    assert item.status == ItemStatus.IN


def test_releasing_while_the_loan_is_owed_needs_the_acknowledgement(case, manager, keeper):
    item = kept(registered(case, manager)[0], keeper)
    with pytest.raises(VaultRefused) as refused:
        services.request_release(keeper, item, {"reason": "换证"})
    assert refused.value.details == {
        "acknowledge": ["所担保的贷款尚未结清：确需出库的，请勾选确认并写明理由，出库将被标记"]
    }
    assert not VaultMovement.objects.filter(direction="out").exists()


def test_a_release_needs_a_reason(case, manager, keeper) -> None:
    from xindai.core.errors import FormInvalid

    item = kept(registered(case, manager)[0], keeper)
    with pytest.raises(FormInvalid) as invalid:
        services.request_release(keeper, item, {"reason": "  ", "acknowledge": "on"})
    assert list(invalid.value.details) == ["reason"]
    assert not VaultMovement.objects.filter(direction="out").exists()


def test_a_settled_loan_releases_without_a_flag(case, manager, keeper, head) -> None:
    from tests.vault.factories import settled_loan

    item = kept(registered(case, manager)[0], keeper)
    settled_loan(case, manager)
    movement = services.request_release(keeper, item, {"reason": "贷款已结清，退还权证"})
    assert movement.unsettled_loan is False


def test_a_second_request_while_one_waits_is_refused(case, manager, keeper) -> None:
    item = kept(registered(case, manager)[0], keeper)
    services.request_release(keeper, item, RELEASE)
    with pytest.raises(VaultRefused) as refused:
        services.request_release(keeper, item, RELEASE)
    assert refused.value.details == {"status": ["已有待审批的出库申请"]}
    assert VaultMovement.objects.filter(direction="out").count() == 1


def test_a_refused_release_leaves_the_item_in(case, manager, keeper, head) -> None:
    item = kept(registered(case, manager)[0], keeper)
    movement = services.request_release(keeper, item, RELEASE)
    with pytest.raises(VaultRefused) as refused:
        services.refuse_release(head, movement, {"note": ""})
    assert refused.value.details == {"note": ["请填写驳回理由"]}

    services.refuse_release(head, movement, {"note": "贷款未结清，不同意出库"})
    item.refresh_from_db()
    movement.refresh_from_db()
    assert (item.status, movement.state, movement.decision_note) == (
        "in",
        "refused",
        "贷款未结清，不同意出库",
    )
    with pytest.raises(VaultRefused):
        services.approve_release(head, movement)  # already decided


def test_a_released_item_cannot_be_released_again(case, manager, keeper, head) -> None:
    item = kept(registered(case, manager)[0], keeper)
    services.approve_release(head, services.request_release(keeper, item, RELEASE))
    with pytest.raises(VaultRefused) as refused:
        services.request_release(keeper, item, RELEASE)
    assert refused.value.details == {"status": ["物品已出库"]}


# ---- the disbursement gate ------------------------------------------------------------------


def texts(application) -> list[str]:
    return [problem.text() for problem in gate.disbursement_problems(application)]


def test_the_gate_waits_for_every_registration_and_certificate(case, manager, keeper, head):
    assert texts(case) == [
        "押品未办理抵质押登记：砖混住房一套",
        "押品未办理抵质押登记：本行定期存单",
    ]
    house_reg, deposit_reg = registered(case, manager)
    assert texts(case) == [
        "他项权证 苏(2026)多福县不动产证明第0000123号 尚未入库保管",
        "他项权证 存单 NO.0098765 尚未入库保管",
    ]
    house_item = kept(house_reg, keeper)
    assert texts(case) == ["他项权证 存单 NO.0098765 尚未入库保管"]
    kept(deposit_reg, keeper, kind="pledged_item")
    assert texts(case) == []

    services.approve_release(head, services.request_release(keeper, house_item, RELEASE))
    assert texts(case) == ["他项权证 苏(2026)多福县不动产证明第0000123号 尚未入库保管"]
