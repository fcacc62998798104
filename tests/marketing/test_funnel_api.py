"""``/api/v1/funnel`` and the page ``marketing:funnel``: the same hand numbers as the built
scenario (tests/marketing/test_funnel_scenario.py), bad input as 400, permission checks, and
the Excel export read back with openpyxl, with its audit event."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.marketing.test_funnel_scenario import Scenario, scenario  # noqa: F401
from xindai.audit.models import AuditEvent
from xindai.org.models import User

API = "/api/v1/funnel"
Login = Callable[[User], Client]


def test_funnel_api(scenario: Scenario, login: Login) -> None:  # noqa: F811
    client = login(scenario.users["risk"])
    body = client.get(API, {"by": "manager"}).json()
    rows = {r["label"]: r for r in body["rows"]}
    assert rows["张三"]["counts"] == {
        "target": 6,
        "reached": 5,
        "interested": 4,
        "applied": 3,
        "approved": 2,
        "disbursed": 1,
    }
    assert rows["张三"]["amounts_fen"] == {
        "applied": 18_000_000,
        "approved": 13_000_000,
        "disbursed": 8_000_000,
    }
    assert rows["张三"]["amounts_wan"]["disbursed"] == "8.00"
    assert rows["李四"]["rate_texts"]["applied"] == "—"
    assert rows["李四"]["rates"]["applied"] is None
    assert body["total"]["counts"]["target"] == 11
    spring = client.get(API, {"campaign": scenario.spring.pk}).json()
    assert [r["label"] for r in spring["rows"]] == ["春耕贷"]
    assert [g["completion_text"] for g in spring["total"]["goals"]] == ["80.0%", "50.0%", "50.0%"]


def test_ranking_and_trend_api(scenario: Scenario, login: Login) -> None:  # noqa: F811
    client = login(scenario.users["head1"])
    ranking = client.get(f"{API}/ranking").json()["items"]
    assert [(r["rank"], r["label"]) for r in ranking] == [(1, "张三"), (2, "吴六")]
    trend = client.get(
        f"{API}/trend",
        {"campaign": str(scenario.spring.pk), "start": "2026-11-02", "end": "2026-11-29"},
    ).json()
    assert trend["contacts"] == [5, 5, 0, 0]
    assert trend["disbursed_wan"] == [0.0, 0.0, 8.0, 0.0]


def test_bad_input_is_400(scenario: Scenario, login: Login) -> None:  # noqa: F811
    client = login(scenario.users["risk"])
    bad: list[dict[str, str]] = [
        {"by": "planet"},
        {"start": "2026-13-01"},
        {"campaign": "999999"},
        {"campaign": "abc"},
        {"start": "2026-11-10", "end": "2026-11-01"},
    ]
    for params in bad:
        response = client.get(API, params)
        assert response.status_code == 400, params
        assert response.json()["code"] == "invalid_input"


def test_permission(scenario: Scenario, login: Login, outsider: User) -> None:  # noqa: F811
    client = login(outsider)
    assert client.get(API).status_code == 403
    assert client.get(reverse("marketing:funnel")).status_code == 403
    assert Client().get(API).status_code == 401


def _book(content: bytes) -> Any:
    return load_workbook(io.BytesIO(content))


def test_export(scenario: Scenario, login: Login) -> None:  # noqa: F811
    client = login(scenario.users["risk"])
    response = client.get(f"{API}/export", {"by": "village", "campaign": str(scenario.spring.pk)})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="marketing-funnel-')
    book = _book(response.content)
    assert book.sheetnames == ["营销漏斗", "客户经理排名", "周趋势", "查询条件"]
    sheet = book["营销漏斗"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("村", "目标客户", "已触达", "有意向", "已申请", "已审批", "已放款")
    found = {row[0]: row for row in rows[1:]}
    assert set(found) == {"东村", "西村", "南村", "合计"}
    total = found["合计"]
    assert total[1:7] == (10, 8, 5, 3, 2, 1)
    assert total[7:13] == (0.8, 0.625, 0.6, 0.6667, 0.5, 0.1)  # numbers, not text
    assert total[13:16] == (18.0, 13.0, 8.0)  # 万元
    assert total[16] == 10
    assert found["西村"][10] is None  # 0 applied → no approval rate
    assert sheet.cell(row=2, column=8).number_format == "0.0%"
    assert sheet.cell(row=2, column=14).number_format == "0.00"
    ranks = list(book["客户经理排名"].iter_rows(values_only=True))
    assert [r[:3] for r in ranks[1:]] == [(1, "张三", 8.0), (2, "吴六", 0.0)]
    event = AuditEvent.objects.get(action="marketing.funnel_exported")
    assert event.changes["by"] == "village"
    assert event.changes["campaign"] == scenario.spring.pk


def test_page_and_page_export(scenario: Scenario, login: Login) -> None:  # noqa: F811
    client = login(scenario.users["zhang"])
    page = client.get(reverse("marketing:funnel"), {"by": "village"})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="funnel-chart"' in html and 'id="trend-chart"' in html
    assert "东村" in html and "西村" in html and "南村" not in html  # his own targets only
    assert "funnel-data" in html
    bad = client.get(reverse("marketing:funnel"), {"by": "planet"})
    assert bad.status_code == 200 and "分组方式不对" in bad.content.decode()
    export = client.get(reverse("marketing:funnel_export"), {"by": "manager"})
    rows = list(_book(export.content)["营销漏斗"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["张三", "合计"]
    assert AuditEvent.objects.filter(action="marketing.funnel_exported").count() == 1


def test_empty_page(login: Login, risk_officer: User) -> None:
    page = login(risk_officer).get(reverse("marketing:funnel"))
    assert page.status_code == 200
    assert "还没有营销目标客户" in page.content.decode()
