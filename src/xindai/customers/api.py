"""The economic archive over REST: customers, their sections, documents, soft information,
relationships, history and the 梳理 confirmation.

Every customer is looked up through :func:`queries.customer_for`, so another branch's or
another manager's customer is a 404. Views only translate: the services validate (their
FormInvalid is a 422 with per-field messages), save, audit and recompute completeness.

``village`` is given and shown as the 12-digit area code (统计用区划代码), never as an id.
"""

from typing import Any

from django.http import FileResponse, HttpRequest
from django.utils.translation import gettext as _
from ninja import Body, File, Form, Query, Router, UploadedFile
from ninja.responses import Status

from xindai.api import requires
from xindai.core.errors import DomainError, FormInvalid
from xindai.core.schemas import Paged, paged
from xindai.customers import documents, pii, queries, services
from xindai.customers.api_schemas import (
    CustomerDetail,
    CustomerFilter,
    CustomerIn,
    CustomerPatch,
    CustomerRow,
    DocumentOut,
    DocumentPatch,
    GraphOut,
    HistoryEntryOut,
    RelationshipIn,
    RelationshipOut,
    RevealIn,
    RevealOut,
    SectionOut,
    SoftInfoIn,
    SoftInfoOut,
    detail_of,
    document_of,
    relationship_of,
    row_of,
    section_of,
    section_row_of,
    soft_info_of,
)
from xindai.customers.models import Area, Customer
from xindai.customers.responses import document_response
from xindai.customers.sections import SECTION_BY_KEY, SectionSpec, sections_for

router = Router(tags=["customers"])
documents_router = Router(tags=["customers"])

VIEW = "customers.view_customer"
ADD = "customers.add_customer"
CHANGE = "customers.change_customer"
FULL_PII = "customers.view_full_pii"


class UnknownSection(DomainError):
    status = 404
    code = "no_section"


def detail(customer: Customer) -> dict[str, Any]:
    """The detail with a fresh assessment, as of the business date."""
    return detail_of(customer, services.assessment_of(customer))


# ---- what the request names: a section of this kind, a village by its code -----------------


def section_spec(customer: Customer, key: str) -> SectionSpec:
    """The section ``key`` of this customer's kind, or 404 ``no_section``."""
    if key not in {spec.key for spec in sections_for(customer.kind)}:
        message = _("%(kind)s档案没有此栏目：%(key)s")
        raise UnknownSection(message % {"kind": customer.get_kind_display(), "key": key})
    return SECTION_BY_KEY[key]


def village_pk(code: str | None) -> int | None:
    if not code:
        return None
    pk = Area.objects.filter(code=code.strip()).values_list("pk", flat=True).first()
    if pk is None:
        no_area = _("没有此区划代码：%(code)s") % {"code": code}
        raise FormInvalid(_("客户信息有误，未保存"), details={"village": [no_area]})
    return pk


# ---- customers -----------------------------------------------------------------------------


@router.get("", response=Paged[CustomerRow], summary="客户列表", auth=requires(VIEW))
def list_customers(request: HttpRequest, filters: Query[CustomerFilter]) -> dict[str, Any]:
    criteria = filters.dict(exclude={"page", "page_size"})
    page = paged(queries.customers_for(request.user, **criteria), filters)
    return {**page, "items": [row_of(customer) for customer in page["items"]]}


@router.post("", response={201: CustomerDetail}, summary="建档", auth=requires(ADD))
def create_customer(request: HttpRequest, body: CustomerIn) -> Status[dict[str, Any]]:
    data = body.dict()
    data["village"] = village_pk(body.village)
    data["manager"] = body.manager or request.user.pk
    return Status(201, detail(services.create_customer(request.user, data)))


@router.get("/{customer_id}", response=CustomerDetail, summary="客户档案", auth=requires(VIEW))
def get_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    return detail(queries.customer_for(request.user, customer_id))


@router.patch(
    "/{customer_id}", response=CustomerDetail, summary="修改客户信息", auth=requires(CHANGE)
)
def change_customer(request: HttpRequest, customer_id: int, body: CustomerPatch) -> Any:
    customer = queries.customer_for(request.user, customer_id)
    data = body.dict(exclude_unset=True)
    if "village" in data:
        data["village"] = village_pk(data["village"])
    return detail(services.update_customer(request.user, customer, data))


@router.post(
    "/{customer_id}/confirm",
    response=CustomerDetail,
    summary="确认梳理（档案不完整时 409，附缺项）",
    auth=requires(CHANGE),
)
def confirm_customer(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    customer = queries.customer_for(request.user, customer_id)
    return detail(services.confirm_archive(request.user, customer))


@router.get(
    "/{customer_id}/history",
    response=list[HistoryEntryOut],
    summary="变更历史",
    auth=requires(VIEW),
)
def customer_history(request: HttpRequest, customer_id: int) -> Any:
    return queries.history_of(queries.customer_for(request.user, customer_id))


@router.post(
    "/{customer_id}/reveal",
    response=RevealOut,
    summary="查看完整个人信息（记审计日志）",
    auth=requires(FULL_PII),
)
def reveal_pii(request: HttpRequest, customer_id: int, body: RevealIn) -> dict[str, str]:
    customer = queries.customer_for(request.user, customer_id)
    return {"value": pii.reveal(request.user, customer, body.field, body.section, body.row_id)}


# ---- sections ------------------------------------------------------------------------------


@router.get(
    "/{customer_id}/sections/{key}", response=SectionOut, summary="档案栏目", auth=requires(VIEW)
)
def get_section(request: HttpRequest, customer_id: int, key: str) -> dict[str, Any]:
    customer = queries.customer_for(request.user, customer_id)
    spec = section_spec(customer, key)
    return section_of(spec, services.section_rows(customer, key))


@router.post(
    "/{customer_id}/sections/{key}",
    response={201: dict[str, Any]},
    summary="新增栏目记录（每户一条的栏目：新增或覆盖）",
    auth=requires(CHANGE),
)
def add_section_row(
    request: HttpRequest, customer_id: int, key: str, data: Body[dict[str, Any]]
) -> Status[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    spec = section_spec(customer, key)
    return Status(
        201, section_row_of(spec, services.save_section_row(request.user, customer, key, data))
    )


@router.put(
    "/{customer_id}/sections/{key}/{row_id}",
    response=dict[str, Any],
    summary="修改栏目记录（整行替换）",
    auth=requires(CHANGE),
)
def change_section_row(
    request: HttpRequest, customer_id: int, key: str, row_id: int, data: Body[dict[str, Any]]
) -> dict[str, Any]:
    customer = queries.customer_for(request.user, customer_id)
    spec = section_spec(customer, key)
    return section_row_of(
        spec, services.save_section_row(request.user, customer, key, data, row_id)
    )


@router.delete(
    "/{customer_id}/sections/{key}/{row_id}",
    response={204: None},
    summary="删除栏目记录",
    auth=requires(CHANGE),
)
def delete_section_row(
    request: HttpRequest, customer_id: int, key: str, row_id: int
) -> Status[None]:
    customer = queries.customer_for(request.user, customer_id)
    section_spec(customer, key)
    services.delete_section_row(request.user, customer, key, row_id)
    return Status(204, None)


# ---- documents -----------------------------------------------------------------------------


@router.get(
    "/{customer_id}/documents",
    response=list[DocumentOut],
    summary="档案资料",
    auth=requires(VIEW),
)
def list_documents(request: HttpRequest, customer_id: int) -> list[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    as_of = services.as_of_today()
    return [document_of(d, as_of) for d in customer.documents.select_related("uploaded_by")]


@router.post(
    "/{customer_id}/documents",
    response={201: DocumentOut},
    summary="上传资料（按内容判断类型，限制大小）",
    auth=requires(CHANGE),
)
def upload_document(
    request: HttpRequest,
    customer_id: int,
    file: File[UploadedFile],
    doc_type: Form[str] = "",
    title: Form[str] = "",
    expires_on: Form[str] = "",
) -> Status[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    data = {"doc_type": doc_type, "title": title, "expires_on": expires_on}
    document = documents.upload_document(request.user, customer, data, {"file": file})
    return Status(201, document_of(document, services.as_of_today()))


@documents_router.patch(
    "/{doc_id}", response=DocumentOut, summary="修改资料有效期", auth=requires(CHANGE)
)
def change_document(request: HttpRequest, doc_id: int, body: DocumentPatch) -> dict[str, Any]:
    document = queries.document_for(request.user, doc_id)
    document = documents.set_document_expiry(request.user, document, body.expires_on)
    return document_of(document, services.as_of_today())


@documents_router.get("/{doc_id}/file", summary="下载资料文件（记审计日志）", auth=requires(VIEW))
def download_document(request: HttpRequest, doc_id: int) -> FileResponse:
    document = queries.document_for(request.user, doc_id)
    return document_response(documents.open_document(request.user, document))


# ---- soft information and relationships ----------------------------------------------------


@router.get(
    "/{customer_id}/soft-info", response=list[SoftInfoOut], summary="软信息", auth=requires(VIEW)
)
def list_soft_info(request: HttpRequest, customer_id: int) -> list[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    return [soft_info_of(note) for note in customer.soft_info.select_related("author")]


@router.post(
    "/{customer_id}/soft-info",
    response={201: SoftInfoOut},
    summary="记录软信息",
    auth=requires(CHANGE),
)
def add_soft_info(
    request: HttpRequest, customer_id: int, body: SoftInfoIn
) -> Status[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    return Status(201, soft_info_of(services.add_soft_info(request.user, customer, body.dict())))


@router.get(
    "/{customer_id}/relationships",
    response=list[RelationshipOut],
    summary="客户关系（双向）",
    auth=requires(VIEW),
)
def list_relationships(request: HttpRequest, customer_id: int) -> list[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    return [relationship_of(link, customer) for link in queries.links_of(customer).order_by("pk")]


@router.post(
    "/{customer_id}/relationships",
    response={201: RelationshipOut},
    summary="登记客户关系（本客户是关系人的“关系”）",
    auth=requires(CHANGE),
)
def add_relationship(
    request: HttpRequest, customer_id: int, body: RelationshipIn
) -> Status[dict[str, Any]]:
    customer = queries.customer_for(request.user, customer_id)
    link = services.add_relationship(request.user, customer, body.dict())
    return Status(201, relationship_of(link, customer))


@router.get(
    "/{customer_id}/graph", response=GraphOut, summary="关系图谱（一层）", auth=requires(VIEW)
)
def relationship_graph(request: HttpRequest, customer_id: int) -> dict[str, Any]:
    return queries.graph_of(queries.customer_for(request.user, customer_id))
