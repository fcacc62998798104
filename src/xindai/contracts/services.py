"""Use cases of the contracts: generate a contract from the approved terms and the newest
approved template, check it against the approval before signing, record the face-to-face
signing, and the post-signing check by a second person. Each checks the permission, saves in
one transaction, locks the row a double click would act on twice, and writes an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from xindai.audit import services as audit
from xindai.contracts import documents, domain, filling
from xindai.contracts.gate import KIND_LABELS, Needed, contract_for, needed
from xindai.contracts.models import (
    Contract,
    ContractCounter,
    ContractKind,
    ContractStatus,
    ContractTemplate,
)
from xindai.core.errors import DomainError
from xindai.core.problems import Problem, by_field
from xindai.core.problems import mark as _
from xindai.credit.approved import current_terms
from xindai.credit.models import (
    ApplicationCollateral,
    ApplicationGuarantor,
    ApprovedTerms,
    CreditApplication,
)
from xindai.customers.services import as_of_today, require

ADD = "contracts.add_contract"
SIGN = "contracts.sign_contract"
VERIFY = "contracts.verify_signing"
OBJECT_TYPE = "contracts.contract"
TEMPLATE_TYPE = "contracts.contracttemplate"


def record(actor: Any, action: str, contract: Contract, **kwargs: Any) -> None:
    changes = {"number": contract.number, "application": contract.application.number}
    changes |= kwargs.pop("changes", {})
    audit.record(
        action,
        actor=actor,
        object_type=OBJECT_TYPE,
        object_id=contract.pk,
        changes=changes,
        **kwargs,
    )


# ---- templates ------------------------------------------------------------------------------


def newest_template(kind: str) -> ContractTemplate | None:
    """The version of ``kind`` contracts are made from: the newest approved one."""
    found = ContractTemplate.objects.filter(kind=kind, approved_at__isnull=False)
    return found.order_by("-version").first()


def template_bytes(template: ContractTemplate) -> bytes:
    """The template's file (a shipped version is read from the package)."""
    name = template.file.name or ""
    if name.startswith(documents.SHIPPED_PREFIX):
        return documents.shipped_bytes(name.removeprefix(documents.SHIPPED_PREFIX)[:-5])
    with template.file.open("rb") as stored:
        return stored.read()


def intact_template(template: ContractTemplate) -> bytes | None:
    """The template's bytes when its file is there and its hash is the registered one."""
    try:
        content = template_bytes(template)
    except OSError:
        return None
    return content if documents.sha256(content) == template.sha256 else None


# ---- generation -----------------------------------------------------------------------------


def take_number(kind: str, year: int) -> str:
    """The next number of ``kind`` in ``year`` (in the caller's transaction; the counter row is
    locked until it commits, so numbers are unique and consecutive)."""
    ContractCounter.objects.get_or_create(kind=kind, year=year)
    counter = ContractCounter.objects.select_for_update().get(kind=kind, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return filling.number_of(kind, year, counter.last)


def need_for(
    terms: ApprovedTerms,
    kind: str,
    guarantor: ApplicationGuarantor | None,
    collateral: ApplicationCollateral | None,
) -> Needed:
    for need in needed(terms):
        same_guarantor = (need.guarantor and need.guarantor.pk) == (guarantor and guarantor.pk)
        same_collateral = (need.collateral and need.collateral.pk) == (collateral and collateral.pk)
        if kind in need.kinds and same_guarantor and same_collateral:
            return need
    raise DomainError(gettext("批复的担保方式不需要这份合同"), code="contract_not_needed")


def generation_terms(actor: Any, application: CreditApplication) -> ApprovedTerms:
    require(actor, ADD)
    if actor.pk != application.manager_id:
        raise DomainError(gettext("只有本案客户经理可以生成合同"), code="not_case_manager")
    if application.stage != "disbursement":
        raise DomainError(gettext("申请不在贷款拨付阶段，不能生成合同"), code="wrong_stage")
    terms = current_terms(application)
    if terms is None:
        raise DomainError(gettext("没有有效的审批批复，不能生成合同"), code="not_approved")
    return terms


def generate(
    actor: Any,
    application: CreditApplication,
    kind: str,
    guarantor: ApplicationGuarantor | None = None,
    collateral: ApplicationCollateral | None = None,
) -> Contract:
    """A contract of ``kind`` filled from the current approved terms with the newest approved
    template; an earlier contract for the same party is voided (regeneration)."""
    terms = generation_terms(actor, application)
    need = need_for(terms, kind, guarantor, collateral)
    template = newest_template(kind)
    if template is None:
        raise DomainError(gettext("没有已批准启用的合同模板"), code="no_template")
    content = intact_template(template)
    if content is None:
        raise DomainError(gettext("合同模板文件缺失或与登记的哈希不符"), code="template_tampered")
    with transaction.atomic():
        CreditApplication.objects.select_for_update().get(pk=application.pk)
        earlier = list(earlier_contracts(application, need))
        if any(hasattr(c, "loan") for c in earlier):
            raise DomainError(gettext("合同已用于放款，不能重新生成"), code="contract_used")
        main = main_contract(terms, kind)
        start = as_of_today()
        number = take_number(kind, start.year)
        values, company = filling.context(
            terms,
            kind,
            number=number,
            main_number=main.number if main else number,
            start=start,
            guarantor=need.guarantor,
            collateral=need.collateral,
        )
        contract = save_contract(actor, terms, kind, template, need, (values, company), content)
        contract.terms["start_date"] = start.isoformat()
        contract.save(update_fields=["terms"])
        reason = gettext("已重新生成，由 %(number)s 取代") % {"number": number}
        for old in earlier:
            old.status, old.void_reason = ContractStatus.VOID, reason
            old.save(update_fields=["status", "void_reason"])
            record(actor, "contracts.voided", old, reason=reason)
        changes = {
            "kind": kind,
            "template_version": template.version,
            "terms_version": terms.version,
            "sha256": contract.sha256,
            "voided": [old.number for old in earlier],
        }
        record(actor, "contracts.generated", contract, changes=changes)
    return contract


def earlier_contracts(application: CreditApplication, need: Needed) -> Any:
    found = Contract.objects.select_for_update().filter(
        application=application,
        kind__in=need.kinds,
        guarantor=need.guarantor,
        collateral=need.collateral,
    )
    return found.exclude(status=ContractStatus.VOID)


def main_contract(terms: ApprovedTerms, kind: str) -> Contract | None:
    """The loan contract a guarantee, mortgage or pledge contract secures (须先生成)."""
    if kind == ContractKind.LOAN:
        return None
    loan = contract_for(terms, Needed((ContractKind.LOAN,)))
    if loan is None:
        raise DomainError(gettext("请先生成借款合同（主合同）"), code="no_loan_contract")
    return loan


def save_contract(
    actor: Any,
    terms: ApprovedTerms,
    kind: str,
    template: ContractTemplate,
    need: Needed,
    filled: tuple[dict[str, Any], bool],
    content: bytes,
) -> Contract:
    values, company = filled
    made = documents.render(content, values)
    snapshot = {
        "terms_id": terms.pk,
        "terms_version": terms.version,
        "terms_fingerprint": terms.fingerprint,
        "figures": filling.figures_of(terms),
        "template_version": template.version,
        "party_company": company,
        "context": values,
    }
    contract = Contract(
        number=values["number"],
        application=terms.application,
        approved_terms=terms,
        kind=kind,
        template=template,
        guarantor=need.guarantor,
        collateral=need.collateral,
        party_name=values["party_name"] if kind != ContractKind.LOAN else values["borrower_name"],
        terms=snapshot,
        sha256=documents.sha256(made),
        created_by=actor,
    )
    contract.docx.save(f"{contract.number}.docx", ContentFile(made), save=False)
    contract.save()
    return contract


def generate_all(actor: Any, application: CreditApplication) -> list[Contract]:
    """Every contract the current terms need and do not have yet (the loan contract first; a
    mortgage as an ordinary 抵押合同)."""
    terms = generation_terms(actor, application)
    made = []
    for need in needed(terms):
        if contract_for(terms, need) is None:
            made.append(
                generate(actor, application, need.kinds[0], need.guarantor, need.collateral)
            )
    return made


# ---- the consistency check ------------------------------------------------------------------


def stored_docx(contract: Contract) -> bytes | None:
    try:
        with contract.docx.open("rb") as stored:
            return stored.read()
    except (OSError, ValueError):
        return None


def consistency_problems(contract: Contract) -> list[Problem]:
    """Every way the contract differs from the current approval and its template."""
    found: list[Problem] = []
    terms = current_terms(contract.application)
    if terms is None:
        return [Problem("terms", _("没有有效的审批批复"))]
    if terms.pk != contract.approved_terms_id:
        params = {"version": str(contract.approved_terms.version), "current": str(terms.version)}
        template = _(
            "合同依据的批复第 %(version)s 版已被变更取代，现行为第 %(current)s 版：须重新生成"
        )
        found.append(Problem("terms", template, params))
    approved = filling.figures_of(terms)
    found += domain.term_problems(contract.terms.get("figures", {}), approved)
    found += main_contract_problems(contract, terms)
    found += template_problems(contract)
    content = stored_docx(contract)
    if content is None:
        return [*found, Problem("docx", _("合同文件缺失"))]
    if documents.sha256(content) != contract.sha256:
        found.append(Problem("docx", _("合同文件与生成时的 SHA-256 不符：文件在生成后被改动")))
    found += domain.clause_problems(documents.clauses(content), contract.template.clauses)
    paragraphs = documents.paragraphs(content)
    found += domain.wording_problems("\n".join(paragraphs), approved)
    original = intact_template(contract.template)
    if original is not None:
        expected = documents.render(original, expected_context(contract, terms))
        found += domain.text_problems(paragraphs, documents.paragraphs(expected))
    return found


def expected_context(contract: Contract, terms: ApprovedTerms) -> dict[str, Any]:
    """What the contract should say now: its own context with the current approved terms."""
    values = dict(contract.terms.get("context", {}))
    start = dt.date.fromisoformat(contract.terms["start_date"])
    return values | filling.loan_terms(terms, start)


def main_contract_problems(contract: Contract, terms: ApprovedTerms) -> list[Problem]:
    if contract.kind == ContractKind.LOAN:
        return []
    loan = contract_for(terms, Needed((ContractKind.LOAN,)))
    stated = contract.terms.get("context", {}).get("main_contract_number", "")
    if loan is None or loan.number != stated:
        params = {"number": stated or "—"}
        template = _("主合同编号 %(number)s 不是现行有效的借款合同：须重新生成")
        return [Problem("terms", template, params)]
    return []


def template_problems(contract: Contract) -> list[Problem]:
    found = []
    newest = newest_template(contract.kind)
    if newest is None or newest.pk != contract.template_id:
        params = {
            "used": str(contract.template.version),
            "newest": str(newest.version) if newest else "—",
        }
        template = _("合同所用模板 V%(used)s 不是最新批准的版本 V%(newest)s：须重新生成")
        found.append(Problem("template", template, params))
    if intact_template(contract.template) is None:
        found.append(Problem("template", _("合同模板文件缺失或与登记的 SHA-256 不符")))
    return found


def check(actor: Any, contract: Contract) -> Contract:
    """核对: the contract equals the approval and its template → 已核对; else refused with
    every reason."""
    require(actor, ADD)
    with transaction.atomic():
        contract = Contract.objects.select_for_update().get(pk=contract.pk)
        if contract.status not in (ContractStatus.DRAFTED, ContractStatus.CHECKED):
            raise DomainError(gettext("只有已生成、未签约的合同可以核对"), code="wrong_status")
        refuse_if_inconsistent(contract, gettext("合同与批复或模板不一致，核对未通过"))
        contract.status = ContractStatus.CHECKED
        contract.checked_by, contract.checked_at = actor, timezone.now()
        contract.save(update_fields=["status", "checked_by", "checked_at"])
        record(actor, "contracts.checked", contract, changes={"sha256": contract.sha256})
    return contract


def refuse_if_inconsistent(contract: Contract, message: str) -> None:
    problems = consistency_problems(contract)
    if problems:
        details = by_field(problems, gettext)
        raise DomainError(message, code="contract_inconsistent", details=details)


def kind_label(kind: str) -> str:
    return gettext(KIND_LABELS[ContractKind(kind)])
