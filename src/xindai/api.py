"""The REST API at /api/v1/: authentication, permissions and the one error format.

Programs send ``Authorization: Bearer <token>`` (``xindai token create``); the browser uses its
session (with CSRF on unsafe methods). Every error is JSON ``{code, message, details}``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth

from xindai.core.errors import DomainError
from xindai.org.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = (
            ApiToken.objects.select_related("user", "user__org_unit")
            .filter(digest=ApiToken.digest_of(token))
            .first()
        )
        if row is None or not row.is_usable():
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


def error_body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details if details is not None else {}}


class _PermissionCheck:
    """After authenticating, require ``permission`` (403), before the request is parsed."""

    permission: str

    def authenticate_with_permission(self, request: HttpRequest, user: Any) -> Any:
        if user and not user.has_perm(self.permission):
            raise PermissionDenied(self.permission)
        return user


class TokenWithPermission(_PermissionCheck, TokenAuth):
    def __init__(self, permission: str) -> None:
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return self.authenticate_with_permission(request, super().authenticate(request, token))


class SessionWithPermission(_PermissionCheck, SessionAuth):
    def __init__(self, permission: str) -> None:
        super().__init__()
        self.permission = permission

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return self.authenticate_with_permission(request, super().authenticate(request, key))


def requires(permission: str) -> list[Any]:
    """``auth=`` of an API operation: token or session, and ``permission`` (or 401 / 403)."""
    return [TokenWithPermission(permission), SessionWithPermission(permission)]


def _docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The OpenAPI spec and docs are for signed-in staff and token holders only."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = TokenAuth()(request) if not request.user.is_authenticated else request.user
        if not user:
            return JsonResponse(
                error_body("unauthenticated", _("请先登录或提供有效令牌")), status=401
            )
        if not user.has_perm("dashboard.view_workbench"):
            return JsonResponse(error_body("forbidden", _("无权访问")), status=403)
        return view(request, *args, **kwargs)

    wrapper.required_permission = "dashboard.view_workbench"  # type: ignore[attr-defined]
    return wrapper


def build_api() -> NinjaAPI:
    api = NinjaAPI(
        title="Xindai 信贷 API",
        version="1",
        urls_namespace="api",
        # An operation that declares no permission is refused to everyone but superusers.
        auth=requires("xindai.undeclared_permission"),
        docs_decorator=_docs_access,
    )

    def reply(request: HttpRequest, status: int, code: str, message: str, details: Any = None):
        return api.create_response(request, error_body(code, message, details), status=status)

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return reply(request, 422, "validation_error", _("请求参数不合法"), exc.errors)

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 401, "unauthenticated", _("请先登录或提供有效令牌"))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 403, "forbidden", _("无权执行此操作"), {"permission": str(exc)})

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, "not_found", _("记录不存在或无权查看"))

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, exc: Exception) -> HttpResponse:
        return not_found(request, exc)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return reply(request, exc.status_code, "http_error", str(exc))

    @api.exception_handler(DomainError)
    def rule(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return reply(request, exc.status, exc.code, exc.message, exc.details)

    from xindai.analysis.api import router as analysis_router
    from xindai.audit.api import router as audit_router
    from xindai.contracts.api import router as contracts_router
    from xindai.core.api import router as core_router
    from xindai.credit.api import router as credit_router
    from xindai.customers.api import documents_router
    from xindai.customers.api import router as customers_router
    from xindai.loans.api import router as loans_router
    from xindai.loans.api_accounts import router as loan_accounts_router
    from xindai.loans.api_import import router as loan_import_router
    from xindai.org.api import router as org_router
    from xindai.products.api import lpr_router
    from xindai.products.api import router as products_router
    from xindai.vault.api import router as vault_router

    api.add_router("/", core_router)
    api.add_router("/org", org_router)
    api.add_router("/audit", audit_router)
    api.add_router("/customers", customers_router)
    api.add_router("/documents", documents_router)
    api.add_router("/products", products_router)
    api.add_router("/lpr", lpr_router)
    api.add_router("/schedules", loans_router)
    api.add_router("/applications", credit_router)
    api.add_router("/analysis", analysis_router)
    api.add_router("/contracts", contracts_router)
    api.add_router("/vault", vault_router)
    api.add_router("/loans", loan_accounts_router)
    api.add_router("/loan-imports", loan_import_router)
    api.add_router("/ledger", "xindai.ledger.api.router")
    api.add_router("/deposits", "xindai.deposits.api.router")
    api.add_router("/repayments", "xindai.repayments.api.router")
    api.add_router("/classification", "xindai.classification.api.router")
    api.add_router("/inspections", "xindai.postloan.api.router")
    api.add_router("/notices", "xindai.notices.api.router")
    api.add_router("/warnings", "xindai.earlywarning.api.router")
    api.add_router("/collection", "xindai.collection.api.router")
    api.add_router("/scoring", "xindai.scoring.api.router")
    api.add_router("/campaigns", "xindai.marketing.api_campaigns.router")
    api.add_router("/marketing", "xindai.marketing.api_work.router")
    api.add_router("/village-credit", "xindai.marketing.api_village.router")
    api.add_router("/funnel", "xindai.marketing.api_funnel.router")
    return api
