"""Data scope: a manager of one branch can neither list nor open another branch's records."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from xindai.org.models import OrgUnit, Share, User
from xindai.org.scope import visible


def usernames(response) -> set[str]:
    return {row["username"] for row in response.json()["items"]}


@pytest.mark.django_db
def test_manager_lists_staff_of_his_own_unit_only(manager, colleague, outsider, branch_head, login):
    response = login(manager).get("/api/v1/org/staff")
    assert usernames(response) == {"zhang", "wang"}  # O11 only: not B1's head, not B2's colleague


@pytest.mark.django_db
def test_branch_head_sees_his_branch_subtree(manager, colleague, outsider, branch_head, login):
    response = login(branch_head).get("/api/v1/org/staff")
    assert usernames(response) == {"zhang", "wang", "head1"}


@pytest.mark.django_db
def test_head_office_sees_every_branch(manager, colleague, risk_officer, login):
    response = login(risk_officer).get("/api/v1/org/staff")
    assert {"zhang", "li", "risk"} <= usernames(response)


@pytest.mark.django_db
def test_manager_cannot_open_another_branchs_record_by_api(manager, colleague, tree, login):
    client = login(manager)
    assert client.get(f"/api/v1/org/staff/{colleague.pk}").status_code == 404
    assert client.get(f"/api/v1/org/units/{tree['B2'].pk}").status_code == 404
    assert client.get(f"/api/v1/org/units/{tree['O11'].pk}").status_code == 200


@pytest.mark.django_db
def test_manager_cannot_list_or_open_another_branchs_record_by_page(
    manager, colleague, tree, login
):
    client = login(manager)
    listing = client.get("/org/staff/")
    assert "李四" not in listing.content.decode() and "张三" in listing.content.decode()
    assert client.get(f"/org/staff/{colleague.pk}/").status_code == 404
    assert client.get(f"/org/units/{tree['B2'].pk}/").status_code == 404
    units = client.get("/org/units/").content.decode()
    assert "二支行" not in units and "一支行营业部" in units


@pytest.mark.django_db
def test_list_of_units_is_the_subtree(branch_head, tree):
    codes = set(
        visible(OrgUnit.objects.all(), branch_head, unit_field=None).values_list("code", flat=True)
    )
    assert codes == {"B1", "O11", "O12"}


@pytest.mark.django_db
def test_owned_records_a_manager_sees_his_own_and_shared_only(manager, colleague, branch_head):
    """On a model with an owner, a manager sees what he owns and what was shared with him.

    Staff records stand in for customers here: ``owner_field="pk"`` makes each user own himself.
    """
    users = User.objects.all()
    assert set(visible(users, manager, owner_field="id").values_list("username", flat=True)) == {
        "zhang"
    }
    Share.objects.create(
        content_type=ContentType.objects.get_for_model(User),
        object_id=colleague.pk,
        grantee=manager,
        granted_by=branch_head,
        reason="代为跟进",
    )
    assert set(visible(users, manager, owner_field="id").values_list("username", flat=True)) == {
        "zhang",
        "li",
    }
    # the branch head is not limited to his own records: he sees his branch's subtree
    assert set(
        visible(users, branch_head, owner_field="id").values_list("username", flat=True)
    ) == {"zhang", "head1"}


@pytest.mark.django_db
def test_a_user_without_an_org_unit_sees_nothing(make_user, manager):
    stray = make_user("stray", None)
    assert not visible(User.objects.all(), stray).exists()


@pytest.mark.django_db
def test_staff_filter_by_role_code(risk_officer, manager, branch_head, login):
    client = login(risk_officer)
    assert usernames(client.get("/api/v1/org/staff?role=manager")) == {"zhang"}
    assert usernames(client.get("/api/v1/org/staff?role=no-such-role")) == set()
