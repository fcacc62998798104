"""Generating contracts from the FROZEN approved terms (not the application's figures)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.contracts.factories import credit_case, guaranteed_case, mortgage_case, text_of
from xindai.audit.models import AuditEvent
from xindai.contracts import documents, gate, services
from xindai.contracts.models import Contract, ContractStatus
from xindai.core.errors import DomainError


def test_the_loan_contract_states_the_approved_terms(
    manager, farmer, co_investigator, approver
) -> None:
    # Asked 100,000; approved 80,000 at 4.35%: the contract says 80,000.
    terms = credit_case(manager, farmer, co_investigator, approver, amount=Decimal(80_000))
    contract = services.generate(manager, terms.application, "loan")
    text = text_of(contract)
    assert contract.number == "JK2026000001"
    assert "借款金额为人民币捌万元整（小写：¥80,000.00）。" in text
    assert "借款期限为12个月，自2026年11月27日起至2027年11月27日止。" in text
    assert "本合同执行年利率为4.35%" in text
    # LPR pricing: the 1-year LPR of 2025-05-20 (3.0%) plus 135 bp = 4.35%
    assert "1年期贷款市场报价利率（LPR）3%为定价基准，加135个基点" in text
    # 罚息: 4.35% × 1.5 = 6.525%; 挪用: 4.35% × 2 = 8.7%
    assert "上浮50%，即年利率6.525%" in text
    assert "上浮100%，即年利率8.7%" in text
    assert "还款方式为：按期付息、到期还本。" in text
    assert "担保方式为：信用。" in text
    assert "借款用途为：购买化肥、种子，扩种水稻 12 亩（用途类别：农户）" in text
    assert f"证件类型及号码：居民身份证 {farmer.id_number}" in text
    assert "人民币壹拾万元整" not in text  # the application's figure appears nowhere
    with contract.docx.open("rb") as stored:
        assert documents.sha256(stored.read()) == contract.sha256
    assert contract.terms["figures"]["amount"] == "80,000.00"
    assert contract.status == ContractStatus.DRAFTED
    event = AuditEvent.objects.get(action="contracts.generated")
    assert event.changes["number"] == "JK2026000001"


def test_numbers_run_per_kind_and_year(manager, farmer, co_investigator, approver, village):
    terms = guaranteed_case(manager, farmer, co_investigator, approver, village)
    made = services.generate_all(manager, terms.application)
    assert [c.number for c in made] == ["JK2026000001", "BZ2026000001"]
    again = services.generate(manager, terms.application, "loan")
    assert again.number == "JK2026000002"


def test_a_guarantee_contract_names_the_guarantor_and_the_main_contract(
    manager, farmer, co_investigator, approver, village
) -> None:
    terms = guaranteed_case(manager, farmer, co_investigator, approver, village)
    loan, guarantee = services.generate_all(manager, terms.application)
    text = text_of(guarantee)
    assert guarantee.party_name == "李四海"
    assert f"编号为{loan.number}的《借款合同》" in text
    assert "保证人提供的保证为连带责任保证。" in text
    # 保证期间: three years from the end of the term (2027-11-27)
    assert "即至2030年11月27日止" in text
    assert "借款金额：人民币壹拾万元整（小写：¥100,000.00）。" in text


def test_a_mortgage_contract_describes_the_collateral(
    manager, farmer, co_investigator, approver
) -> None:
    terms = mortgage_case(manager, farmer, co_investigator, approver)
    services.generate(manager, terms.application, "loan")
    house = terms.application.collateral.get()
    mortgage = services.generate(manager, terms.application, "mortgage", collateral=house)
    text = text_of(mortgage)
    assert mortgage.number == "DY2026000001"
    assert "名称：砖混住房一套；类型：" in text
    assert "权属证书编号：苏(2024)多福不动产权第0012345号" in text
    assert "评估价值：人民币120,000.00元" in text
    assert "他项权证" in text
    assert "本合同执行年利率" not in text and "执行年利率：5.5%" in text


def test_a_maximum_amount_mortgage_states_the_ceiling_and_settlement_date(
    manager, farmer, co_investigator, approver
) -> None:
    terms = mortgage_case(manager, farmer, co_investigator, approver)
    services.generate(manager, terms.application, "loan")
    house = terms.application.collateral.get()
    contract = services.generate(manager, terms.application, "max_mortgage", collateral=house)
    text = text_of(contract)
    assert contract.number == "ZGDY2026000001"
    assert "被担保的最高债权额为人民币壹拾万元整（小写：¥100,000.00）。" in text
    assert "决算期为2027年11月27日。" in text


def test_regenerating_voids_the_earlier_contract(manager, farmer, co_investigator, approver):
    terms = credit_case(manager, farmer, co_investigator, approver)
    first = services.generate(manager, terms.application, "loan")
    second = services.generate(manager, terms.application, "loan")
    first.refresh_from_db()
    assert first.status == ContractStatus.VOID
    assert first.void_reason == f"已重新生成，由 {second.number} 取代"
    assert gate.contract_for(terms, gate.needed(terms)[0]) == second


def test_only_the_case_manager_generates(manager, colleague, farmer, co_investigator, approver):
    terms = credit_case(manager, farmer, co_investigator, approver)
    with pytest.raises(DomainError) as refused:
        services.generate(colleague, terms.application, "loan")
    assert refused.value.message == "只有本案客户经理可以生成合同"
    assert not Contract.objects.exists()


def test_a_case_outside_disbursement_gets_no_contract(
    manager, farmer, co_investigator, approver
) -> None:
    terms = credit_case(manager, farmer, co_investigator, approver)
    terms.application.stage = "approval"
    terms.application.save(update_fields=["stage"])
    with pytest.raises(DomainError) as refused:
        services.generate(manager, terms.application, "loan")
    assert refused.value.message == "申请不在贷款拨付阶段，不能生成合同"
    assert not Contract.objects.exists()


def test_a_credit_loan_needs_no_guarantee_contract(manager, farmer, co_investigator, approver):
    terms = credit_case(manager, farmer, co_investigator, approver)
    services.generate(manager, terms.application, "loan")
    with pytest.raises(DomainError) as refused:
        services.generate(manager, terms.application, "guarantee")
    assert refused.value.message == "批复的担保方式不需要这份合同"
    assert Contract.objects.count() == 1


def test_a_guarantee_contract_waits_for_the_loan_contract(
    manager, farmer, co_investigator, approver, village
) -> None:
    terms = guaranteed_case(manager, farmer, co_investigator, approver, village)
    guarantor = terms.application.guarantors.get()
    with pytest.raises(DomainError) as refused:
        services.generate(manager, terms.application, "guarantee", guarantor=guarantor)
    assert refused.value.message == "请先生成借款合同（主合同）"
    assert not Contract.objects.exists()
