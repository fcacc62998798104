"""The admin pages for units and staff, used by a 系统管理员, are audited."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from xindai.audit.models import AuditEvent
from xindai.org.models import OrgUnit, User
from xindai.org.roles import Role


@pytest.fixture
def sysadmin(tree, make_user):
    return make_user("sysadmin", tree["HQ"], Role.ADMIN, is_staff=True)


@pytest.mark.django_db
def test_admin_adds_an_outlet_and_it_is_audited(sysadmin, tree, login) -> None:
    response = login(sysadmin).post(
        "/admin/org/orgunit/add/",
        {
            "code": "O13",
            "name": "一支行新网点",
            "kind": "outlet",
            "parent": tree["B1"].pk,
            "address": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = OrgUnit.objects.get(code="O13")
    assert unit.path == "/HQ/B1/O13/"
    event = AuditEvent.objects.get(action="org.orgunit.create")
    assert (event.actor_username, event.object_id) == ("sysadmin", str(unit.pk))
    assert event.changes["code"] == [None, "O13"]


@pytest.mark.django_db
def test_admin_refuses_an_outlet_under_the_union(sysadmin, tree, login) -> None:
    response = login(sysadmin).post(
        "/admin/org/orgunit/add/",
        {
            "code": "BAD",
            "name": "错位网点",
            "kind": "outlet",
            "parent": tree["HQ"].pk,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "网点的上级机构必须是支行" in response.content.decode()
    assert not OrgUnit.objects.filter(code="BAD").exists()


@pytest.mark.django_db
def test_admin_assigns_a_role_and_the_change_is_audited(sysadmin, manager, login) -> None:
    reviewer = Group.objects.get(name="审查员")
    manager_group = Group.objects.get(name="客户经理")
    response = login(sysadmin).post(
        f"/admin/org/user/{manager.pk}/change/",
        {
            "username": "zhang",
            "full_name": "张三",
            "employee_no": "",
            "phone": "13912345678",
            "org_unit": manager.org_unit_id,
            "is_active": "on",
            "groups": [manager_group.pk, reviewer.pk],
            "last_login_0": "",
            "last_login_1": "",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "09:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert set(User.objects.get(pk=manager.pk).groups.values_list("name", flat=True)) == {
        "客户经理",
        "审查员",
    }
    event = AuditEvent.objects.get(action="org.user.change")
    assert event.changes["groups"] == [["客户经理"], sorted(["客户经理", "审查员"])]


@pytest.mark.django_db
def test_nobody_deletes_staff_or_units_in_the_admin(sysadmin, manager, tree, login) -> None:
    client = login(sysadmin)
    assert client.get(f"/admin/org/user/{manager.pk}/delete/").status_code == 403
    assert client.get(f"/admin/org/orgunit/{tree['O12'].pk}/delete/").status_code == 403
