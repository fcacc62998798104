"""API authentication (token and session) and the one error format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from xindai.audit.models import AuditEvent
from xindai.core import business_date
from xindai.org.models import ApiToken
from xindai.org.roles import Role
from xindai.org.services import issue_token


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def admin_user(tree, make_user):
    return make_user("sysadmin", tree["HQ"], Role.ADMIN)


@pytest.mark.django_db
def test_a_token_authenticates_a_program(manager) -> None:
    _, raw = issue_token(manager, name="批量脚本", days=30, actor=None)
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["org_unit"], body["roles"]) == ("zhang", "O11", ["manager"])
    assert body["phone"] == "139****5678"


@pytest.mark.django_db
def test_only_the_digest_of_a_token_is_stored(manager) -> None:
    token, raw = issue_token(manager, name="x", days=1, actor=None)
    assert raw not in {token.digest, token.prefix} and token.digest == ApiToken.digest_of(raw)


@pytest.mark.django_db
@pytest.mark.parametrize("spoil", ["revoke", "expire", "deactivate", "wrong"])
def test_unusable_tokens_are_refused(manager, spoil: str) -> None:
    token, raw = issue_token(manager, name="x", days=1, actor=None)
    if spoil == "revoke":
        ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    elif spoil == "expire":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    elif spoil == "deactivate":
        manager.is_active = False
        manager.save()
    else:
        raw += "x"
    response = bearer(raw).get("/api/v1/me")
    assert response.status_code == 401
    assert set(response.json()) == {"code", "message", "details"}


@pytest.mark.django_db
def test_token_command_prints_the_token_once(manager, capsys) -> None:
    call_command("token", "create", "zhang", "--name", "报表导出")
    raw = capsys.readouterr().out.strip()
    assert raw.startswith("xd_") and bearer(raw).get("/api/v1/me").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["page=0", "page_size=1000", "page=abc", "date_from=2026-13-01"])
def test_bad_query_parameters_get_422_json(risk_officer, login, query: str) -> None:
    response = login(risk_officer).get(f"/api/v1/audit/events?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "validation_error" and body["details"]


@pytest.mark.django_db
def test_a_rule_violation_gets_400_with_code(risk_officer, login) -> None:
    response = login(risk_officer).get(
        "/api/v1/audit/events?date_from=2026-11-02&date_to=2026-11-01"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_input"


@pytest.mark.django_db
def test_unknown_api_path_is_json_404(manager, login) -> None:
    response = login(manager).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.django_db
def test_pagination_reports_count_and_page(risk_officer, manager, colleague, login) -> None:
    body = login(risk_officer).get("/api/v1/org/staff?page_size=2&page=2").json()
    assert (body["count"], body["page"], body["page_size"], len(body["items"])) == (3, 2, 2, 1)


@pytest.mark.django_db
def test_admin_sets_the_business_date_and_it_is_audited(admin_user, login) -> None:
    response = login(admin_user).put(
        "/api/v1/business-date",
        {"business_date": "2026-11-30", "reason": "月末日终前调整"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {"business_date": "2026-11-30"}
    assert business_date.current() == dt.date(2026, 11, 30)
    event = AuditEvent.objects.filter(action="core.business_date.set").latest("seq")
    assert (event.actor_username, event.reason) == ("sysadmin", "月末日终前调整")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"business_date": "2026-02-30", "reason": "不存在的日期"},
        {"business_date": "2026-11-30"},
        {"business_date": "2026-11-30", "reason": ""},
        "not json",
    ],
)
def test_bad_business_date_changes_nothing(admin_user, login, body) -> None:
    business_date.set_date(dt.date(2026, 11, 1), actor=None, reason="初始")
    client = login(admin_user)
    events = AuditEvent.objects.count()
    response = client.put("/api/v1/business-date", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert set(response.json()) == {"code", "message", "details"}
    assert business_date.current() == dt.date(2026, 11, 1)
    assert AuditEvent.objects.count() == events


@pytest.mark.django_db
def test_session_callers_need_the_csrf_token(admin_user) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)
    response = client.put(
        "/api/v1/business-date",
        {"business_date": "2026-11-30", "reason": "调整会计日期"},
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    assert business_date.current_or_none() != dt.date(2026, 11, 30)


@pytest.mark.django_db
def test_manager_may_not_set_the_business_date(manager, login) -> None:
    response = login(manager).put(
        "/api/v1/business-date",
        {"business_date": "2026-11-30", "reason": "越权调整"},
        content_type="application/json",
    )
    assert response.status_code == 403
