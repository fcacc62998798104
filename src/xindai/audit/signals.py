"""Sign-in, sign-out, failures and lockouts are audited like any other change."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

from xindai.audit import services


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    services.record("auth.login", actor=user, object_type="org.user", object_id=user.pk)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        services.record("auth.logout", actor=user, object_type="org.user", object_id=user.pk)


def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kw: Any) -> None:
    services.record(
        "auth.login_failed", actor=None, changes={"username": credentials.get("username")}
    )


def _locked_out(sender: Any, request: Any = None, username: str = "", **kwargs: Any) -> None:
    services.record("auth.locked_out", actor=None, changes={"username": username})


def connect() -> None:
    user_logged_in.connect(_logged_in, dispatch_uid="xindai.audit.login")
    user_logged_out.connect(_logged_out, dispatch_uid="xindai.audit.logout")
    user_login_failed.connect(_login_failed, dispatch_uid="xindai.audit.login_failed")
    user_locked_out.connect(_locked_out, dispatch_uid="xindai.audit.locked_out")
