"""面签 before two staff witnesses, identities checked; 签约复核 by a second person; the
contracts' part of the disbursement gate."""

from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import Group

from tests.contracts.factories import (
    AGENT_ID,
    authority,
    credit_case,
    guaranteed_case,
    signatory,
    signing,
)
from xindai.audit.models import AuditEvent
from xindai.contracts import gate, services
from xindai.contracts import signing as signing_service
from xindai.contracts.models import ContractStatus, SigningRecord, SigningStatus
from xindai.core.errors import DomainError, FormInvalid
from xindai.org.models import User
from xindai.org.roles import Role, group_name


@pytest.fixture
def checked(manager, farmer, co_investigator, approver):
    terms = credit_case(manager, farmer, co_investigator, approver)
    contract = services.generate(manager, terms.application, "loan")
    return services.check(manager, contract)


def refused_signing(manager, contract, entered, files=None) -> dict[str, list[str]]:
    with pytest.raises(FormInvalid) as refused:
        signing_service.sign(manager, contract, entered, files or {})
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CHECKED
    assert not SigningRecord.objects.exists()
    return refused.value.details


def test_the_borrower_signs_before_two_staff(manager, co_investigator, farmer, checked) -> None:
    entered = signing(manager, co_investigator, signatory(id_number=farmer.id_number))
    made = signing_service.sign(manager, checked, entered, {})
    checked.refresh_from_db()
    assert checked.status == ContractStatus.SIGNED
    assert made.witness_ids == {manager.pk, co_investigator.pk}
    party = made.parties.get()
    assert (party.role, party.name, party.capacity) == ("borrower", "王大山", "self")
    event = AuditEvent.objects.get(action="contracts.signed")
    assert event.changes["parties"][0]["id"] != farmer.id_number  # masked in the log


def test_an_agent_without_the_authority_document_is_refused(
    manager, co_investigator, checked
) -> None:
    agent = signatory(name="王小山", id_number=AGENT_ID, capacity="agent")
    details = refused_signing(manager, checked, signing(manager, co_investigator, agent))
    assert details["parties"] == [
        "借款人 王大山：委托代理人签字须上传授权文件（授权委托书或法定代表人身份证明书）"
    ]


def test_an_agent_with_the_authority_document_signs(manager, co_investigator, checked) -> None:
    agent = signatory(
        name="王小山", id_number=AGENT_ID, capacity="agent", has_authority_document=True
    )
    made = signing_service.sign(
        manager, checked, signing(manager, co_investigator, agent), {0: authority()}
    )
    party = made.parties.get()
    assert party.authority_sha256 and party.authority_document.name


def test_the_same_person_cannot_be_both_witnesses(manager, farmer, checked) -> None:
    entered = signing(manager, manager, signatory(id_number=farmer.id_number))
    details = refused_signing(manager, checked, entered)
    assert details["witnesses"] == ["两名见证人不能是同一人"]


def test_the_recorder_must_be_a_witness(
    manager, co_investigator, branch_head, farmer, checked
) -> None:
    entered = signing(co_investigator, branch_head, signatory(id_number=farmer.id_number))
    details = refused_signing(manager, checked, entered)
    assert details["witnesses"] == ["登记面签的人须是两名见证人之一（当场监督签字）"]


def test_a_borrower_who_did_not_sign_and_an_unchecked_identity_are_refused(
    manager, co_investigator, farmer, checked
) -> None:
    details = refused_signing(manager, checked, signing(manager, co_investigator))
    assert details["parties"] == ["借款人 王大山 未签字"]
    someone = signatory(name="王二山", id_number=farmer.id_number, identity_checked=False)
    details = refused_signing(manager, checked, signing(manager, co_investigator, someone))
    assert details["parties"] == [
        "借款人 王大山：签字人身份未核实",
        "借款人 王大山：本人签字的，签字人须为本人",
    ]


def test_a_drafted_contract_cannot_be_signed(manager, co_investigator, farmer, checked) -> None:
    checked.status = ContractStatus.DRAFTED
    checked.save()
    with pytest.raises(DomainError) as refused:
        signing_service.sign(manager, checked, signing(manager, co_investigator, signatory()), {})
    assert refused.value.message == "只有核对通过的合同可以面签"


def sign_it(manager, co_investigator, farmer, contract) -> SigningRecord:
    entered = signing(manager, co_investigator, signatory(id_number=farmer.id_number))
    return signing_service.sign(manager, contract, entered, {})


def test_the_recorder_and_the_witnesses_cannot_verify(
    manager, co_investigator, farmer, checked
) -> None:
    sign_it(manager, co_investigator, farmer, checked)
    clerks = Group.objects.get(name=group_name(Role.DISBURSEMENT))
    for person in (manager, co_investigator):  # each also made 放款/会计 (verify_signing)
        person.groups.add(clerks)
        person = User.objects.get(pk=person.pk)
        with pytest.raises(DomainError) as refused:
            signing_service.verify(person, checked, passed=True)
        assert refused.value.message == (
            "签约复核须由未参与面签的另一人办理（登记人和见证人不能复核）"
        )
    checked.refresh_from_db()
    assert checked.status == ContractStatus.SIGNED
    assert not AuditEvent.objects.filter(action__startswith="contracts.signing_").exists()


def test_a_second_person_verifies(manager, co_investigator, farmer, clerk, checked) -> None:
    sign_it(manager, co_investigator, farmer, checked)
    record = signing_service.verify(clerk, checked, passed=True, note="签字、身份证件一致")
    checked.refresh_from_db()
    assert (checked.status, record.status) == (ContractStatus.VERIFIED, SigningStatus.VERIFIED)
    assert AuditEvent.objects.filter(action="contracts.signing_verified").count() == 1


def test_a_failed_verification_sends_the_contract_back_to_be_signed_again(
    manager, co_investigator, farmer, clerk, checked
) -> None:
    sign_it(manager, co_investigator, farmer, checked)
    with pytest.raises(FormInvalid):
        signing_service.verify(clerk, checked, passed=False, note="")
    record = signing_service.verify(clerk, checked, passed=False, note="借款人签名与身份证姓名不符")
    checked.refresh_from_db()
    assert (checked.status, record.status) == (ContractStatus.CHECKED, SigningStatus.REJECTED)
    sign_it(manager, co_investigator, farmer, checked)  # signed again, face to face
    assert signing_service.verify(clerk, checked, passed=True).status == SigningStatus.VERIFIED


def test_the_gate_opens_only_when_every_needed_contract_is_verified(
    manager, co_investigator, farmer, clerk, approver, village
) -> None:
    terms = guaranteed_case(manager, farmer, co_investigator, approver, village)
    assert [p.text() for p in gate.disbursement_problems(terms)] == [
        "尚未生成借款合同",
        "尚未生成保证合同",
    ]
    loan, guarantee = services.generate_all(manager, terms.application)
    for contract in (loan, guarantee):
        services.check(manager, contract)
    sign_it(manager, co_investigator, farmer, loan)
    signing_service.verify(clerk, loan, passed=True)
    assert [p.text() for p in gate.disbursement_problems(terms)] == [
        f"保证合同 {guarantee.number} 尚未完成面签及签约复核"
    ]
    guarantor = terms.application.guarantors.get().guarantor
    person = dataclasses.replace(
        signatory(name="李四海", id_number=guarantor.id_number), role="guarantor"
    )
    signing_service.sign(manager, guarantee, signing(manager, co_investigator, person), {})
    signing_service.verify(clerk, guarantee, passed=True)
    assert gate.disbursement_problems(terms) == []


def test_a_company_signs_by_its_legal_representative_with_seal_and_document(
    manager, co_investigator, checked
) -> None:
    checked.terms["party_company"] = True  # as generated for an enterprise borrower
    checked.save()
    person = signatory(name="王大山", id_number=AGENT_ID)  # "本人" for a company
    details = refused_signing(manager, checked, signing(manager, co_investigator, person))
    assert details["parties"] == [
        "借款人 王大山 是单位，须由法定代表人或委托代理人签字",
        "借款人 王大山：所盖印章未与预留印鉴核对相符",
    ]
    legal_rep = signatory(name="王法代", id_number=AGENT_ID, capacity="legal_rep")
    details = refused_signing(manager, checked, signing(manager, co_investigator, legal_rep))
    assert details["parties"] == [
        "借款人 王大山：所盖印章未与预留印鉴核对相符",
        "借款人 王大山：法定代表人签字须上传授权文件（授权委托书或法定代表人身份证明书）",
    ]
    complete = dataclasses.replace(legal_rep, seal_checked=True, has_authority_document=True)
    signing_service.sign(
        manager, checked, signing(manager, co_investigator, complete), {0: authority()}
    )
    checked.refresh_from_db()
    assert checked.status == ContractStatus.SIGNED
