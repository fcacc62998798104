"""对账: each kind of discrepancy, constructed; a clean vault has none."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from tests.concurrency import POSTGRES_ONLY, at_once
from tests.vault.factories import kept, registered, settled_loan
from xindai.credit.models import CreditApplication
from xindai.vault import queries, services
from xindai.vault.domain import ItemFact, RegistrationFact, reconcile
from xindai.vault.models import VaultItem

RELEASE = {"reason": "借款人申请换证", "acknowledge": "on"}


def found(user=None) -> list[tuple[str, str, str]]:
    return [(d.kind, d.subject, d.problem.text()) for d in queries.reconcile(user)]


def test_a_fully_kept_vault_reconciles(case, manager, keeper) -> None:
    house_reg, deposit_reg = registered(case, manager)
    kept(house_reg, keeper)
    kept(deposit_reg, keeper, kind="pledged_item")
    assert found() == []


def test_a_registration_without_its_certificate_in_the_vault(case, manager, keeper) -> None:
    _, deposit_reg = registered(case, manager)
    kept(deposit_reg, keeper, kind="pledged_item")
    assert found() == [
        (
            "missing_certificate",
            "苏(2026)多福县不动产证明第0000123号",
            "已登记但他项权证未入库：苏(2026)多福县不动产证明第0000123号",
        )
    ]


def test_an_item_of_a_withdrawn_case_should_have_been_released(case, manager, keeper) -> None:
    house_reg, _ = registered(case, manager)
    item = kept(house_reg, keeper)
    CreditApplication.objects.filter(pk=case.pk).update(stage="withdrawn")
    assert found() == [
        ("should_be_released", item.number, f"{item.number} 所担保的业务已结清或终止，应办理出库")
    ]


def test_an_item_of_a_settled_loan_should_have_been_released(case, manager, keeper) -> None:
    house_reg, deposit_reg = registered(case, manager)
    first, second = kept(house_reg, keeper), kept(deposit_reg, keeper, kind="pledged_item")
    settled_loan(case, manager)
    assert [kind for kind, _, _ in found()] == ["should_be_released", "should_be_released"]
    assert {subject for _, subject, _ in found()} == {first.number, second.number}


def test_an_item_value_changed_behind_the_ledger(case, manager, keeper) -> None:
    house_reg, deposit_reg = registered(case, manager)
    kept(house_reg, keeper)
    item = kept(deposit_reg, keeper, kind="pledged_item")
    VaultItem.objects.filter(pk=item.pk).update(value=Decimal("40000"))  # not a movement
    assert found() == [
        (
            "off_balance_mismatch",
            "表外科目",
            "表外登记余额 150,000.00 元与在库物品价值合计 140,000.00 元不符",
        )
    ]


def test_an_item_marked_out_without_an_approved_release(case, manager, keeper) -> None:
    house_reg, deposit_reg = registered(case, manager)
    kept(house_reg, keeper)
    item = kept(deposit_reg, keeper, kind="pledged_item")
    VaultItem.objects.filter(pk=item.pk).update(status="out")
    kinds = [(kind, subject) for kind, subject, _ in found()]
    # out with no approval; its certificate no longer in; the ledger still counts it
    assert kinds == [
        ("missing_certificate", "存单 NO.0098765"),
        ("unapproved_release", item.number),
        ("off_balance_mismatch", "表外科目"),
    ]


def test_an_approved_release_reconciles(case, manager, keeper, head) -> None:
    house_reg, deposit_reg = registered(case, manager)
    kept(house_reg, keeper)
    item = kept(deposit_reg, keeper, kind="pledged_item")
    services.approve_release(head, services.request_release(keeper, item, RELEASE))
    # released with approval: only the missing certificate of a live case remains
    assert [kind for kind, _, _ in found()] == ["missing_certificate"]


def test_the_pure_rule_on_its_own() -> None:
    registrations = [
        RegistrationFact(1, "C1", "SQ1", needs_certificate=False, certificate_in=False)
    ]
    items = [
        ItemFact(1, "KF1", "SQ1", "in", Decimal(10), case_live=True, approved_release=False),
        ItemFact(2, "KF2", "SQ1", "out", Decimal(5), case_live=True, approved_release=True),
    ]
    assert reconcile(registrations, items, Decimal(10)) == []
    assert [d.kind for d in reconcile(registrations, items, Decimal(15))] == [
        "off_balance_mismatch"
    ]


def test_another_branch_sees_nothing_to_reconcile(case, manager, keeper, colleague) -> None:
    registered(case, manager)
    assert len(found(manager)) == 2
    assert found(colleague) == []


def test_the_command_prints_json_and_fails_on_a_discrepancy(case, manager, keeper, capsys):
    registered(case, manager)
    with pytest.raises(SystemExit) as exit_:
        call_command("vault", "reconcile", "--json")
    assert exit_.value.code == 1
    printed = json.loads(capsys.readouterr().out)
    assert (printed["ok"], printed["count"]) == (False, 2)
    assert {row["kind"] for row in printed["discrepancies"]} == {"missing_certificate"}


def test_the_command_passes_on_a_clean_vault(case, manager, keeper, capsys) -> None:
    call_command("vault", "reconcile", "--json")
    assert json.loads(capsys.readouterr().out) == {"ok": True, "count": 0, "discrepancies": []}


# ---- the 入库编号 under concurrency -------------------------------------------------------------


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_concurrent_receipts_get_distinct_numbers(migration_data) -> None:
    from django.db import transaction

    from xindai.core import business_date

    business_date.set_date(dt.date(2026, 11, 27), actor=None, reason="t")

    def take(_n: int) -> str:
        with transaction.atomic():
            return services.next_number(2026)

    numbers, _refused = at_once(8, take)
    assert sorted(numbers) == [f"KF2026{n:06d}" for n in range(1, 9)]
