"""Template versions: shipped version 1 of each kind; a new version uploaded (hash and clauses
computed, not approved) and approved by another 风险合规 user; the newest approved is used."""

from __future__ import annotations

import io

import pytest
from docx import Document

from tests.contracts.factories import credit_case
from xindai.audit.models import AuditEvent
from xindai.contracts import documents, services, template_services
from xindai.contracts.models import ContractTemplate
from xindai.core.errors import DomainError, FormInvalid


def test_the_five_uniform_contracts_are_shipped_approved(db) -> None:
    versions = ContractTemplate.objects.filter(version=1, approved_at__isnull=False)
    assert sorted(versions.values_list("kind", flat=True)) == sorted(
        ["loan", "guarantee", "mortgage", "pledge", "max_mortgage"]
    )
    loan = versions.get(kind="loan")
    assert loan.sha256 == documents.sha256(documents.shipped_bytes("loan"))
    assert loan.clauses[:3] == ["第一条 借款种类与用途", "第二条 借款金额", "第三条 借款期限"]
    assert len(loan.clauses) == 13
    assert template_services.seed() == []  # idempotent


def with_clause(content: bytes, text: str) -> bytes:
    document = Document(io.BytesIO(content))
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_an_upload_is_a_new_unapproved_version(risk_officer) -> None:
    content = with_clause(documents.shipped_bytes("loan"), "第十四条　其他约定")
    made = template_services.upload(risk_officer, "loan", content, "增加第十四条")
    assert (made.version, made.approved_at) == (2, None)
    assert made.sha256 == documents.sha256(content)
    assert made.clauses[-1] == "第十四条 其他约定"
    assert services.newest_template("loan").version == 1
    assert AuditEvent.objects.filter(action="contracts.template_uploaded").count() == 1


def test_nobody_approves_his_own_upload(risk_officer, second_risk) -> None:
    made = template_services.upload(risk_officer, "loan", documents.shipped_bytes("loan"))
    with pytest.raises(DomainError) as refused:
        template_services.approve(risk_officer, made)
    assert refused.value.message == "不能批准自己上传的模板版本"
    template_services.approve(second_risk, made)
    assert services.newest_template("loan") == made
    with pytest.raises(DomainError) as again:
        template_services.approve(second_risk, made)
    assert again.value.message == "该模板版本已批准启用"


def test_admin_uploads_but_cannot_approve(admin_user_in_unit, second_risk) -> None:
    made = template_services.upload(admin_user_in_unit, "pledge", documents.shipped_bytes("pledge"))
    with pytest.raises(Exception) as refused:
        template_services.approve(admin_user_in_unit, made)
    assert type(refused.value).__name__ == "PermissionDenied"


@pytest.fixture
def admin_user_in_unit(tree, make_user):
    from xindai.org.roles import Role

    return make_user("sysadmin", tree["HQ"], Role.ADMIN)


def test_a_template_with_unknown_placeholders_or_no_clauses_is_refused(risk_officer) -> None:
    unknown = with_clause(documents.shipped_bytes("loan"), "手续费：{{ fee }}")
    with pytest.raises(FormInvalid) as refused:
        template_services.upload(risk_officer, "loan", unknown)
    assert refused.value.details == {"file": ["模板使用了系统不认识的占位符：fee"]}
    with pytest.raises(FormInvalid) as broken:
        template_services.upload(risk_officer, "loan", b"not a docx")
    assert broken.value.details == {"file": ["无法读取：不是有效的 DOCX 模板"]}
    assert ContractTemplate.objects.count() == 5


def test_new_contracts_use_the_newest_approved_version(
    manager, farmer, co_investigator, approver, risk_officer, second_risk
) -> None:
    content = with_clause(documents.shipped_bytes("loan"), "第十四条　其他约定")
    newer = template_services.upload(risk_officer, "loan", content)
    template_services.approve(second_risk, newer)
    terms = credit_case(manager, farmer, co_investigator, approver)
    contract = services.generate(manager, terms.application, "loan")
    assert contract.template == newer
    services.check(manager, contract)  # its clauses are the new version's
