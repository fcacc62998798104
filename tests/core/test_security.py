"""Sign-in, lockout, session expiry, CSRF, secure headers and the Content-Security-Policy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tests.conftest import PASSWORD
from xindai.audit.models import AuditEvent


def sign_in(client: Client, password: str) -> object:
    return client.post("/accounts/login/", {"username": "zhang", "password": password})


@pytest.mark.django_db
def test_sign_in_lands_on_the_workbench(manager, client) -> None:
    response = sign_in(client, PASSWORD)
    assert response.status_code == 302 and response["Location"] == "/"
    assert "张三" in client.get("/").content.decode()


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_for_the_right_password(manager, client) -> None:
    for _ in range(5):
        assert sign_in(client, "wrong-password").status_code in (200, 403, 429)
    locked = sign_in(client, PASSWORD)
    assert locked.status_code in (403, 429)
    assert "账号已暂时锁定" in locked.content.decode()
    assert client.get("/").status_code == 302  # not signed in
    assert AuditEvent.objects.filter(action="auth.login_failed").count() >= 4
    assert AuditEvent.objects.filter(action="auth.locked_out").exists()


@pytest.mark.django_db
def test_four_failures_do_not_lock(manager, client) -> None:
    for _ in range(4):
        sign_in(client, "wrong-password")
    assert sign_in(client, PASSWORD).status_code == 302


@pytest.mark.django_db
def test_an_idle_session_expires_after_30_minutes(manager) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 27, 9, 0, tzinfo=dt.UTC), tick=False) as clock:
        client = Client()
        sign_in(client, PASSWORD)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity renews the session
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_forms_need_the_csrf_token(manager) -> None:
    client = Client(enforce_csrf_checks=True)
    assert sign_in(client, PASSWORD).status_code == 403


@pytest.mark.django_db
def test_weak_passwords_are_refused(manager, login) -> None:
    response = login(manager).post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    manager.refresh_from_db()
    assert manager.check_password(PASSWORD)


@pytest.mark.django_db
def test_pages_carry_secure_headers_and_a_strict_csp(manager, login) -> None:
    response = login(manager).get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_pages_have_no_inline_script_or_style(manager, login) -> None:
    html = login(manager).get("/").content.decode()
    assert "<script>" not in html and " style=" not in html and "onclick" not in html
