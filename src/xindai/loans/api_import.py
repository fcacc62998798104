"""The import of an old system's loan portfolio over REST (``/api/v1/loan-imports``).

    POST /api/v1/loan-imports   multipart: file, dry_run, partial
    → {imported, skipped, errors: [{row, column, message}], rows, valid, accounts, ...}

A file with errors is not an HTTP error: the answer is 200 with the row-by-row report (and
nothing imported unless ``partial``); 201 when accounts were created.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import File, Form, Router, UploadedFile
from ninja.responses import Status

from xindai.api import requires
from xindai.customers.responses import xlsx_response
from xindai.loans.importer import PERMISSION, import_loans, template_workbook

router = Router(tags=["loans"])


@router.post(
    "",
    response={200: dict[str, Any], 201: dict[str, Any]},
    summary="导入存量贷款（.xlsx 或 .csv；dry_run 只检查；partial 只导入正确的行）",
    auth=requires(PERMISSION),
)
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    dry_run: Form[bool] = False,
    partial: Form[bool] = False,
) -> Status[dict[str, Any]]:
    result = import_loans(
        request.user, file.read(), filename=file.name or "", dry_run=dry_run, partial=partial
    )
    return Status(201 if result.imported else 200, result.as_json())


@router.get(
    "/template",
    summary="下载导入模板（.xlsx，含表头和示例行）",
    auth=requires(PERMISSION),
)
def download_template(request: HttpRequest) -> HttpResponse:
    return xlsx_response(template_workbook(), "存量贷款导入模板.xlsx")
