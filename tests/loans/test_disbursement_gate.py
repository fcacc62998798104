"""The disbursement gate: each precondition refuses with its reason, and all together pass."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from tests.credit.factories import TODAY
from tests.loans.factories_disbursement import expire, ready
from xindai.contracts.models import Contract, ContractStatus
from xindai.credit.models import ApprovalCondition
from xindai.loans import gate
from xindai.loans.disbursement import Line, PaymentMode, Plan
from xindai.products.domain import PurposeClass


def failing(application, actor) -> dict[str, list[str]]:
    checked = gate.check(application, actor, TODAY)
    return {item.key: [p.text() for p in item.problems] for item in checked.items if not item.ok}


def test_a_fully_prepared_application_passes_every_line(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver)
    checked = gate.check(application, clerk, TODAY)
    assert [item.key for item in checked.items] == [
        "stage",
        "approval",
        "contracts",
        "collateral",
        "actor",
    ]
    assert checked.ok
    assert checked.loan_contract is not None and checked.loan_contract.kind == "loan"


def test_a_mortgage_case_with_registration_and_certificate_in_the_vault_passes(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver, mortgage=True)
    assert failing(application, clerk) == {}
    kinds = set(Contract.objects.filter(application=application).values_list("kind", flat=True))
    assert kinds == {"loan", "mortgage"}


def test_an_expired_approval_is_refused(manager, farmer, co_investigator, approver, clerk) -> None:
    application = ready(manager, farmer, co_investigator, approver)
    expire(application)
    assert failing(application, clerk) == {"approval": ["批复已于 2026-11-26 过期：须重新审批"]}


def test_an_unmet_condition_is_refused(manager, farmer, co_investigator, approver, clerk) -> None:
    application = ready(
        manager, farmer, co_investigator, approver, conditions=("落实配偶共同还款承诺",)
    )
    assert failing(application, clerk) == {"approval": ["批复条件未落实：落实配偶共同还款承诺"]}
    ApprovalCondition.objects.update(met_at=timezone.now(), evidence="已签承诺书")
    assert failing(application, clerk) == {}


def test_contracts_not_signed_and_checked_are_refused(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver, signed=False)
    assert failing(application, clerk) == {"contracts": ["尚未生成借款合同"]}
    ready_terms = application.approved_terms.get()
    from tests.loans.factories_disbursement import sign_everything

    sign_everything(ready_terms, manager, status=ContractStatus.SIGNED)
    number = Contract.objects.get(application=application).number
    assert failing(application, clerk) == {
        "contracts": [f"借款合同 {number} 尚未完成面签及签约复核"]
    }


def test_a_certificate_not_in_the_vault_is_refused(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver, mortgage=True, kept=False)
    assert failing(application, clerk) == {
        "collateral": ["他项权证 苏(2026)多福不动产证明第0000001号 尚未入库保管"]
    }


def test_a_manager_may_see_the_gate_but_not_disburse(
    manager, farmer, co_investigator, approver
) -> None:
    application = ready(manager, farmer, co_investigator, approver)
    assert failing(application, manager) == {
        "actor": [
            "您没有放款权限（放款/会计岗位）",
            "调查人不能审查或审批自己调查的申请（审贷分离）",
        ]
    }


def test_the_cases_investigator_may_not_disburse_even_as_a_clerk(
    manager, farmer, co_investigator, approver, tree, make_user
) -> None:
    from xindai.org.roles import Role

    application = ready(manager, farmer, co_investigator, approver)
    co_investigator.groups.add(*make_user("x", tree["O11"], Role.DISBURSEMENT).groups.all())
    assert failing(application, co_investigator) == {
        "actor": ["调查人不能审查或审批自己调查的申请（审贷分离）"]
    }


def test_an_application_not_in_disbursement_is_refused(
    manager, farmer, co_investigator, clerk
) -> None:
    from tests.credit.factories import investigating

    application = investigating(manager, farmer, co_investigator)
    assert failing(application, clerk) == {
        "stage": ["申请处于“实地调查”阶段，不在贷款拨付阶段"],
        "approval": ["没有有效的审批批复"],
        "contracts": ["没有有效的审批批复，无法核对合同"],
    }


def test_with_a_plan_the_payment_mode_is_checked(
    manager, farmer, co_investigator, approver, clerk
) -> None:
    application = ready(manager, farmer, co_investigator, approver)
    lines = (Line("甲农资店", Decimal(300_000)), Line("甲农资店", Decimal(250_000)))
    plan = Plan(PurposeClass.FARMER, Decimal(100_000), PaymentMode.SELF, lines, as_of=TODAY)
    checked = gate.check(application, clerk, TODAY, plan)
    assert not checked.ok
    assert [p.field for p in checked.items[-1].problems] == ["split", "payments"]


@pytest.mark.parametrize("days", [0])
def test_the_approval_valid_until_today_is_still_valid(
    manager, farmer, co_investigator, approver, clerk, days
) -> None:
    application = ready(manager, farmer, co_investigator, approver, valid_days=days)
    assert failing(application, clerk) == {}
