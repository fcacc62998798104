from __future__ import annotations

import pytest

from xindai.audit import services


@pytest.mark.django_db
def test_risk_officer_filters_the_audit_log(risk_officer, login) -> None:
    services.record(
        "credit.approve",
        actor=risk_officer,
        object_type="credit.application",
        object_id=7,
        reason="审批通过",
    )
    services.record("org.user.change", actor=risk_officer, object_type="org.user", object_id=3)
    client = login(risk_officer)
    page = client.get("/audit/?object_type=credit.application").content.decode()
    assert "credit.approve" in page and "org.user.change" not in page
    assert 'data-chart="bar"' in page  # events per day


@pytest.mark.django_db
def test_an_inverted_date_range_is_a_form_error(risk_officer, login) -> None:
    page = login(risk_officer).get("/audit/?date_from=2026-11-02&date_to=2026-11-01")
    assert page.status_code == 200
    assert "起始日期不能晚于截止日期" in page.content.decode()


@pytest.mark.django_db
def test_a_branch_sees_its_own_events_only(tree, make_user, login) -> None:
    from xindai.org.roles import Role

    auditor_b1 = make_user("aud1", tree["B1"], Role.RISK)
    someone_b2 = make_user("li", tree["O21"], Role.MANAGER)
    someone_b1 = make_user("zhang", tree["O11"], Role.MANAGER)
    services.record("x.b2", actor=someone_b2)
    services.record("x.b1", actor=someone_b1)
    page = login(auditor_b1).get("/audit/").content.decode()
    assert "x.b1" in page and "x.b2" not in page


@pytest.mark.django_db
def test_verify_page_shows_an_intact_chain(risk_officer, login) -> None:
    services.record("x", actor=None)
    page = login(risk_officer).get("/audit/verify/").content.decode()
    assert "审计链完好" in page


@pytest.mark.django_db
def test_managers_do_not_see_the_audit_log(manager, login) -> None:
    assert login(manager).get("/audit/").status_code == 403
