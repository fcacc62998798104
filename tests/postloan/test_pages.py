"""The pages: the officer's queue (overdue in red), a task with its record form (errors shown,
photo filed), the unit's late inspections per officer with reassignment, the dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.postloan.conftest import FINE, photo
from xindai.postloan.models import InspectionTask


def test_the_queue_shows_my_open_tasks_by_due_date_overdue_in_red(
    portfolio: dict[str, Any], manager: Any, login: Callable[..., Client]
) -> None:
    page = login(manager).get("/postloan/")
    html = page.content.decode()
    assert page.status_code == 200
    # open ones: T3 (10 Nov, late) then T5 (5 Dec); not 李四's T4, not the done T1
    assert html.index(f'data-task="{portfolio["T3"].pk}"') < html.index(
        f'data-task="{portfolio["T5"].pk}"'
    )
    assert f'data-task="{portfolio["T1"].pk}"' not in html
    assert f'data-task="{portfolio["T4"].pk}"' not in html
    assert f'list-group-item-danger" data-task="{portfolio["T3"].pk}"' in html
    assert "1 项检查已逾期" in html


def test_the_unit_counts_late_inspections_per_officer(
    portfolio: dict[str, Any], branch_head: Any, login: Callable[..., Client]
) -> None:
    page = login(branch_head).get("/postloan/unit/?status=all")
    assert page.status_code == 200
    officers = page.context["officers"]
    # 张三 in 一支行: T2 and T3 are late; 1 of them still open; 2 open (T3, T5)
    assert [
        (o["assignee__full_name"], o["n_open"], o["n_late_open"], o["n_late"]) for o in officers
    ] == [("张三", 2, 1, 2)]
    assert page.context["may_assign"]


def test_a_record_posted_from_the_form(
    task: InspectionTask, manager: Any, login: Callable[..., Client]
) -> None:
    client = login(manager)
    form = client.get(f"/postloan/{task.pk}/")
    assert form.status_code == 200 and b'id="record-form"' in form.content
    bad = client.post(f"/postloan/{task.pk}/record/", FINE | {"conclusion": ""})
    assert bad.status_code == 422
    assert "请选择检查结论" in bad.content.decode()
    assert b'value="true" autocomplete="off" checked' in bad.content  # answers kept
    done = client.post(f"/postloan/{task.pk}/record/", FINE | {"photos": [photo()]})
    assert done.status_code == 302
    task.refresh_from_db()
    assert task.status == "done"
    shown = client.get(f"/postloan/{task.pk}/").content.decode()
    assert 'id="record-conclusion"' in shown and "barn.png" in shown


def test_the_branch_head_reassigns_from_the_unit_page(
    portfolio: dict[str, Any],
    branch_head: Any,
    make_user: Callable[..., Any],
    tree: dict[str, Any],
    login: Callable[..., Client],
) -> None:
    from xindai.org.roles import Role

    wu = make_user("wu", tree["O11"], Role.POSTLOAN, full_name="吴贷后")
    t3 = portfolio["T3"]
    reply = login(branch_head).post(f"/postloan/{t3.pk}/reassign/", {"assignee": wu.pk})
    assert reply.status_code == 302
    t3.refresh_from_db()
    assert t3.assignee == wu


def test_the_compliance_dashboard(
    portfolio: dict[str, Any], risk_officer: Any, login: Callable[..., Client]
) -> None:
    page = login(risk_officer).get("/postloan/compliance/")
    assert page.status_code == 200
    assert b'id="inspection-months-chart"' in page.content
    assert page.context["months_chart"] == {
        "labels": ["2026-10", "2026-11"],
        "series": [
            {"name": "按时完成", "data": [1, 1]},
            {"name": "未按时完成", "data": [1, 1]},
        ],
    }
    assert page.context["officer_chart"] == [["张三", 33.3], ["李四", 100.0]]
    assert [t.pk for t in page.context["overdue"]] == [portfolio["T3"].pk]


def test_another_branchs_task_is_not_found(
    portfolio: dict[str, Any], colleague: Any, manager: Any, login: Callable[..., Client]
) -> None:
    assert login(colleague).get(f"/postloan/{portfolio['T3'].pk}/").status_code == 404
    assert login(manager).post(f"/postloan/{portfolio['T4'].pk}/record/", FINE).status_code == 404
