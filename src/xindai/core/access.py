"""Who may open what: every page declares the permission it needs; pages that do not are refused.

Views declare their permission with :func:`requires` (functions) or a ``required_permission``
class attribute (class-based views). :class:`AccessMiddleware` enforces login and the declared
permission for every view, so a page that forgets to declare one is closed, not open.
The API (``/api/``) authenticates and authorises in :mod:`xindai.api`; the admin checks its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

F = TypeVar("F", bound=Callable[..., Any])

API_PREFIX = "/api/"


def requires(permission: str) -> Callable[[F], F]:
    """Mark a view function as needing ``permission`` (``app_label.codename``)."""

    def mark(view: F) -> F:
        view.required_permission = permission  # type: ignore[attr-defined]
        return view

    return mark


def required_permission_of(view_func: Callable[..., Any]) -> str | None:
    declared = getattr(view_func, "required_permission", None)
    if declared is None:
        declared = getattr(getattr(view_func, "view_class", None), "required_permission", None)
    return declared


def is_public(view_func: Callable[..., Any]) -> bool:
    """Views marked with Django's ``login_not_required`` (the login page, language switch)."""
    return getattr(view_func, "login_required", True) is False


class AccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if request.path_info.startswith(API_PREFIX) or is_public(view_func):
            return None
        match = request.resolver_match
        if match is not None and match.app_name == "admin":
            return None
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        permission = required_permission_of(view_func)
        if permission is None or not request.user.has_perm(permission):
            raise PermissionDenied
        return None
