"""REST API of the contracts app (`/api/v1/contracts`): list and detail, generate from the
approved terms, the consistency check, 面签 (multipart, with the authority document), 签约复核,
the DOCX, and the template versions. The services decide; refusals are 409 with every reason
in ``details``, bad input 422."""

import datetime as dt
from typing import Any

from django.http import FileResponse, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, UploadedFile
from ninja.responses import Status

from xindai.api import requires
from xindai.audit import services as audit
from xindai.contracts import domain, queries, services
from xindai.contracts import signing as signing_service
from xindai.contracts.api_schemas import (
    ContractDetail,
    ContractFilter,
    ContractRow,
    GenerateIn,
    SigningOut,
    TemplateOut,
    VerifyIn,
    detail_of,
    row_of,
    signing_of,
    template_of,
)
from xindai.core.errors import FormInvalid, NotFound
from xindai.core.schemas import Paged, PageQuery, paged
from xindai.credit import queries as credit_queries
from xindai.credit.models import ApplicationCollateral, ApplicationGuarantor

router = Router(tags=["contracts"])

VIEW = "contracts.view_contract"
VIEW_TEMPLATES = "contracts.view_contracttemplate"


@router.get(
    "", response=Paged[ContractRow], summary="合同列表（证件号码脱敏）", auth=requires(VIEW)
)
def contract_list(
    request: HttpRequest, filters: Query[ContractFilter], page: Query[PageQuery]
) -> dict[str, Any]:
    found = queries.contracts_for(request.user, **filters.dict())
    result = paged(found, page)
    result["items"] = [row_of(c) for c in result["items"]]
    return result


@router.get(
    "/templates", response=list[TemplateOut], summary="合同模板版本", auth=requires(VIEW_TEMPLATES)
)
def template_list(request: HttpRequest) -> list[dict[str, Any]]:
    versions = list(queries.template_versions())
    in_use = {services.newest_template(kind) for kind in {t.kind for t in versions}}
    return [template_of(t, t in in_use) for t in versions]


@router.get("/{contract_id}", response=ContractDetail, summary="合同详情", auth=requires(VIEW))
def contract_detail(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    return detail_of(queries.contract_for(request.user, contract_id))


@router.get("/{contract_id}/docx", summary="下载合同 DOCX", auth=requires(VIEW))
def contract_docx(request: HttpRequest, contract_id: int) -> FileResponse:
    contract = queries.contract_for(request.user, contract_id)
    if services.stored_docx(contract) is None:
        raise NotFound(_("合同文件缺失"))
    audit.record(
        "contracts.downloaded",
        actor=request.user,
        object_type=services.OBJECT_TYPE,
        object_id=contract.pk,
        changes={"number": contract.number},
    )
    return FileResponse(
        contract.docx.open("rb"), as_attachment=True, filename=f"{contract.number}.docx"
    )


@router.post(
    "/applications/{application_id}/generate",
    response={201: list[ContractRow]},
    summary="按现行批复生成合同（kind=all 生成全部所需合同）",
    auth=requires(services.ADD),
)
def generate(
    request: HttpRequest, application_id: int, body: GenerateIn
) -> Status[list[dict[str, Any]]]:
    application = credit_queries.application_for(request.user, application_id)
    if body.kind == "all":
        made = services.generate_all(request.user, application)
    else:
        guarantor = collateral = None
        if body.guarantor is not None:
            guarantor = get_object_or_404(
                ApplicationGuarantor, application=application, pk=body.guarantor
            )
        if body.collateral is not None:
            collateral = get_object_or_404(
                ApplicationCollateral, application=application, pk=body.collateral
            )
        if body.kind not in services.ContractKind.values:
            raise FormInvalid(_("没有此合同种类"), details={"kind": [_("没有此合同种类")]})
        made = [services.generate(request.user, application, body.kind, guarantor, collateral)]
    return Status(201, [row_of(c) for c in made])


@router.post(
    "/{contract_id}/check",
    response=ContractDetail,
    summary="核对：合同与现行批复及模板一致（否则 409，details 列出全部原因）",
    auth=requires(services.ADD),
)
def check(request: HttpRequest, contract_id: int) -> dict[str, Any]:
    contract = queries.contract_for(request.user, contract_id)
    return detail_of(services.check(request.user, contract))


@router.post(
    "/{contract_id}/sign",
    response={201: SigningOut},
    summary="登记面签（multipart；委托代理人或单位法定代表人须附授权文件）",
    auth=requires(services.SIGN),
)
def sign(
    request: HttpRequest,
    contract_id: int,
    signed_at: Form[dt.datetime],
    witness_one: Form[int],
    witness_two: Form[int],
    capacity: Form[str],
    place: Form[str] = "",
    name: Form[str] = "",
    id_number: Form[str] = "",
    identity_checked: Form[bool] = False,
    seal_checked: Form[bool] = False,
    notes: Form[str] = "",
    authority_document: UploadedFile | None = File(None),  # noqa: B008  (ninja optional file)
) -> Status[dict[str, Any]]:
    contract = queries.contract_for(request.user, contract_id)
    need = signing_service.party_needed(contract)
    person = domain.Signatory(
        role=need.role,
        name=name,
        capacity=capacity,
        id_number=id_number,
        identity_checked=identity_checked,
        seal_checked=seal_checked,
        has_authority_document=authority_document is not None,
    )
    signing = domain.Signing(
        place=place,
        signed_at=signed_at,
        witnesses=(witness_one, witness_two),
        staff_ids=frozenset(),
        recorder_id=0,
        signatories=(person,),
        notes=notes,
    )
    made = signing_service.sign(request.user, contract, signing, {0: authority_document})
    return Status(201, signing_of(made))


@router.post(
    "/{contract_id}/verify",
    response=SigningOut,
    summary="签约复核（未参与面签的第二人；未通过须写原因，合同退回已核对）",
    auth=requires(services.VERIFY),
)
def verify(request: HttpRequest, contract_id: int, body: VerifyIn) -> dict[str, Any]:
    contract = queries.contract_for(request.user, contract_id)
    return signing_of(
        signing_service.verify(request.user, contract, passed=body.passed, note=body.note)
    )
