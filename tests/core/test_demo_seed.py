from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import CommandError

from xindai.audit.models import AuditEvent
from xindai.core import business_date
from xindai.org.models import OrgUnit, User
from xindai.org.roles import ROLE_SPECS


@pytest.mark.django_db
def test_demo_seed_builds_one_union_three_branches_six_outlets(capsys) -> None:
    call_command("seed", "--demo")
    kinds = sorted(OrgUnit.objects.values_list("kind", flat=True))
    assert kinds.count("union") == 1 and kinds.count("branch") == 3 and kinds.count("outlet") == 6
    for spec in ROLE_SPECS:
        assert Group.objects.get(name=spec.group_name).user_set.exists(), spec.group_name
    out = capsys.readouterr().out
    assert "Xindai-demo-2026" in out and "manager" in out and "风险合规" in out


@pytest.mark.django_db
def test_demo_seed_twice_duplicates_nothing() -> None:
    call_command("seed", "--demo")
    counts = (OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count())
    call_command("seed", "--demo")
    assert (OrgUnit.objects.count(), User.objects.count(), AuditEvent.objects.count()) == counts


@pytest.mark.django_db
def test_demo_logins_work(client) -> None:
    call_command("seed", "--demo")
    response = client.post(
        "/accounts/login/", {"username": "manager", "password": "Xindai-demo-2026"}
    )
    assert response.status_code == 302


@pytest.mark.django_db
def test_seed_without_a_data_set_says_what_to_give() -> None:
    with pytest.raises(CommandError, match="--demo"):
        call_command("seed")


@pytest.mark.django_db
def test_business_date_cli_sets_shows_and_audits(capsys, manager, login) -> None:
    call_command("business-date", "set", "2026-11-27", "--reason", "测试")
    call_command("business-date", "show")
    assert capsys.readouterr().out.strip().endswith("2026-11-27")
    assert business_date.current() == dt.date(2026, 11, 27)
    event = AuditEvent.objects.get(action="core.business_date.set")
    assert event.changes == {"value": [None, "2026-11-27"]} and event.reason == "测试"
    assert "2026-11-27" in login(manager).get("/").content.decode()  # shown in the header


@pytest.mark.django_db
def test_business_date_cli_refuses_a_bad_date() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("business-date", "set", "2026-02-30")
    assert business_date.current_or_none() is None
