"""The consistency check before signing (核对), tested by really tampering: every refusal names
its reasons and changes nothing."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from tests.contracts.factories import credit_case
from tests.credit.factories import approved
from xindai.audit.models import AuditEvent
from xindai.contracts import documents, services, template_services
from xindai.contracts.models import ContractStatus
from xindai.core.errors import DomainError


@pytest.fixture
def contract(manager, farmer, co_investigator, approver):
    terms = credit_case(manager, farmer, co_investigator, approver)
    return services.generate(manager, terms.application, "loan")


def edit_docx(contract, change) -> None:
    path = Path(contract.docx.path)
    document = Document(io.BytesIO(path.read_bytes()))
    change(document)
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


def refusal(manager, contract) -> dict[str, list[str]]:
    with pytest.raises(DomainError) as refused:
        services.check(manager, contract)
    assert refused.value.code == "contract_inconsistent"
    contract.refresh_from_db()
    assert contract.status == ContractStatus.DRAFTED
    assert not AuditEvent.objects.filter(action="contracts.checked").exists()
    return refused.value.details


def test_an_untouched_contract_passes(manager, contract) -> None:
    services.check(manager, contract)
    contract.refresh_from_db()
    assert (contract.status, contract.checked_by) == (ContractStatus.CHECKED, manager)
    assert AuditEvent.objects.filter(action="contracts.checked").count() == 1


def test_a_clause_added_to_the_document_is_refused(manager, contract) -> None:
    edit_docx(contract, lambda d: d.add_paragraph("第十四条　借款人另行支付咨询服务费"))
    details = refusal(manager, contract)
    assert "合同增加了模板没有的条款：第十四条 借款人另行支付咨询服务费" in details["clauses"]
    assert "合同文件与生成时的 SHA-256 不符：文件在生成后被改动" in details["docx"]


def test_a_clause_removed_from_the_document_is_refused(manager, contract) -> None:
    def remove(document):
        for paragraph in document.paragraphs:
            if paragraph.text.startswith("第十一条"):
                paragraph._element.getparent().remove(paragraph._element)

    edit_docx(contract, remove)
    details = refusal(manager, contract)
    assert details["clauses"] == ["合同删除了模板的条款：第十一条 合同的变更与解除"]


def test_an_amount_changed_in_the_text_is_refused(manager, contract) -> None:
    def change(document):
        for paragraph in document.paragraphs:
            if "人民币壹拾万元整" in paragraph.text:
                paragraph.runs[0].text = paragraph.runs[0].text.replace(
                    "人民币壹拾万元整（小写：¥100,000.00）", "人民币贰拾万元整（小写：¥200,000.00）"
                )

    edit_docx(contract, change)
    details = refusal(manager, contract)
    assert "合同文本中没有批复的大写金额“人民币壹拾万元整”" in details["text"]
    assert "合同文本中没有批复的借款金额“¥100,000.00”" in details["text"]
    assert (
        "合同文本与模板及批复不符：“借款金额为人民币贰拾万元整（小写：¥200,000.00）。”"
        in (details["text"])
    )


def test_superseded_terms_are_refused(manager, contract, approver) -> None:
    old = contract.approved_terms
    old.superseded_at, old.superseded_reason = timezone.now(), "金额调整"
    old.save()
    approved(contract.application, approver, amount=Decimal(90_000))
    details = refusal(manager, contract)
    assert details["terms"][0] == "合同依据的批复第 1 版已被变更取代，现行为第 2 版：须重新生成"
    assert (
        "合同要素与批复不一致：借款金额 合同为“100,000.00”，批复为“90,000.00”" in details["terms"]
    )
    assert "合同文本中没有批复的大写金额“人民币玖万元整”" in details["text"]


def test_a_newer_approved_template_is_refused(manager, contract, risk_officer, second_risk):
    content = documents.shipped_bytes("loan")
    newer = template_services.upload(risk_officer, "loan", content, "第二版")
    template_services.approve(second_risk, newer)
    details = refusal(manager, contract)
    assert details["template"] == ["合同所用模板 V1 不是最新批准的版本 V2：须重新生成"]


def test_an_uploaded_but_unapproved_template_does_not_matter(manager, contract, risk_officer):
    template_services.upload(risk_officer, "loan", documents.shipped_bytes("loan"), "待批")
    services.check(manager, contract)
    contract.refresh_from_db()
    assert contract.status == ContractStatus.CHECKED


def test_a_template_whose_file_changed_is_refused(manager, contract) -> None:
    template = contract.template
    template.sha256 = "0" * 64  # the registered hash no longer matches the file
    template.save()
    details = refusal(manager, contract)
    assert details["template"] == ["合同模板文件缺失或与登记的 SHA-256 不符"]


def test_a_signed_contract_is_not_checked_again(manager, contract) -> None:
    contract.status = ContractStatus.SIGNED
    contract.save()
    with pytest.raises(DomainError) as refused:
        services.check(manager, contract)
    assert refused.value.message == "只有已生成、未签约的合同可以核对"
