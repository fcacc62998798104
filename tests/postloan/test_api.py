"""The API (``/api/v1/inspections``): tasks with filters, a task, the record (JSON and
multipart with photos), reassignment and the compliance summary; who may do what."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.test import Client

from tests.postloan.conftest import FINE, photo
from xindai.customers.models import Document
from xindai.postloan.models import InspectionTask

API = "/api/v1/inspections"
JSON_FINE = {
    "borrower_ok": True,
    "major_changes": False,
    "archive_updated": True,
    "interest_as_contracted": True,
    "conclusion": "normal",
}


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


def test_the_officer_lists_and_reads_his_tasks(
    portfolio: dict[str, Any], manager: Any, login: Callable[..., Client]
) -> None:
    client = login(manager)
    listed = client.get(API).json()
    assert [item["due_date"] for item in listed["items"]] == [  # 张三's, by due date
        "2026-10-10",
        "2026-10-25",
        "2026-11-01",
        "2026-11-10",
        "2026-12-05",
    ]
    late = client.get(f"{API}?status=open&late=true").json()
    assert [item["id"] for item in late["items"]] == [portfolio["T3"].pk]
    detail = client.get(f"{API}/{portfolio['T3'].pk}").json()
    assert (detail["status"], detail["late"], detail["record"]) == ("open", True, None)
    assert client.get(f"{API}/{portfolio['T4'].pk}").status_code == 404  # 李四's


def test_a_record_over_json_closes_the_task(
    task: InspectionTask, manager: Any, login: Callable[..., Client]
) -> None:
    client = login(manager)
    bad = post(client, f"{API}/{task.pk}/record", JSON_FINE | {"conclusion": "risk"})
    assert (bad.status_code, bad.json()["code"]) == (422, "validation_error")
    assert bad.json()["details"] == {"findings": ["结论为关注或发现风险时须写明检查发现"]}
    made = post(client, f"{API}/{task.pk}/record", JSON_FINE)
    assert made.status_code == 201
    body = made.json()
    assert (body["status"], body["done_on"], body["record"]["conclusion"]) == (
        "done",
        "2026-03-20",
        "normal",
    )
    assert body["record"]["loan_figures"] == {
        "interest_due": "0.00",
        "overdue_interest": "0.00",
        "days_past_due": 0,
    }
    again = post(client, f"{API}/{task.pk}/record", JSON_FINE)
    assert (again.status_code, again.json()["code"]) == (409, "task_closed")


def test_a_record_with_photos_over_multipart(
    task: InspectionTask, manager: Any, login: Callable[..., Client]
) -> None:
    client = login(manager)
    reply = client.post(f"{API}/{task.pk}/record/multipart", FINE | {"photos": [photo()]})
    assert reply.status_code == 201, reply.content
    photos = reply.json()["record"]["photos"]
    assert [p["content_type"] for p in photos] == ["image/png"]
    assert Document.objects.get(pk=photos[0]["document_id"]).doc_type == "photo"


def test_reassignment_by_the_branch_head_only(
    portfolio: dict[str, Any],
    branch_head: Any,
    manager: Any,
    make_user: Callable[..., Any],
    tree: dict[str, Any],
    colleague: Any,
    login: Callable[..., Client],
) -> None:
    from xindai.org.roles import Role

    wu = make_user("wu", tree["O12"], Role.POSTLOAN, full_name="吴贷后")
    t3 = portfolio["T3"].pk
    denied = post(login(manager), f"{API}/{t3}/reassign", {"assignee_id": wu.pk})
    assert denied.status_code == 403
    head = login(branch_head)
    moved = post(head, f"{API}/{t3}/reassign", {"assignee_id": wu.pk, "reason": "张三休假"})
    assert (moved.status_code, moved.json()["assignee"]) == (200, "吴贷后")
    # 李四 is in 二支行: not someone 一支行's head may give work to
    refused = post(head, f"{API}/{t3}/reassign", {"assignee_id": colleague.pk})
    assert refused.status_code == 400
    done = post(head, f"{API}/{portfolio['T1'].pk}/reassign", {"assignee_id": wu.pk})
    assert (done.status_code, done.json()["code"]) == (409, "task_closed")
    # the task has left 张三's queue for 吴贷后's
    assert login(manager).get(f"{API}/{t3}").status_code == 404
    assert login(wu).get(f"{API}/{t3}").json()["assignee"] == "吴贷后"


def test_the_compliance_summary(
    portfolio: dict[str, Any], risk_officer: Any, login: Callable[..., Client]
) -> None:
    found = login(risk_officer).get(f"{API}/compliance").json()
    assert found["as_of"] == "2026-11-20"
    assert (found["totals"]["due"], found["totals"]["rate"], found["open_overdue"]) == (4, 50.0, 1)


def test_no_role_no_inspections(
    portfolio: dict[str, Any], outsider: Any, login: Callable[..., Client]
) -> None:
    client = login(outsider)
    assert client.get(API).status_code == 403
    assert post(client, f"{API}/{portfolio['T3'].pk}/record", JSON_FINE).status_code == 403
    assert Client().get(API).status_code == 401
