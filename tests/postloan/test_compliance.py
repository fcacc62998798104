"""Inspection compliance counted by hand from the ``portfolio`` fixture (see its docstring):
the tasks due up to 20 November 2026 are T1–T4 (T5 is not due yet, T6 was cancelled)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xindai.postloan import compliance, services


def test_compliance_of_the_whole_bank(portfolio: dict[str, Any], risk_officer: Any) -> None:
    found = compliance.summary(services.visible_tasks(risk_officer), dt.date(2026, 11, 20))
    # due 4, on time 2 (T1, T4), late 2 (T2 done late, T3 open late): 2 / 4 = 50 %
    assert found["totals"] == {
        "due": 4,
        "on_time": 2,
        "done_late": 1,
        "open": 1,
        "late": 2,
        "rate": 50.0,
    }
    assert [(m["month"], m["due"], m["on_time"], m["rate"]) for m in found["months"]] == [
        ("2026-10", 2, 1, 50.0),  # T1 on time, T2 late
        ("2026-11", 2, 1, 50.0),  # T4 on time, T3 still open
    ]
    # 张三: 3 due, 1 on time, 2 late → 33.3 %; 李四: 1 due, on time → 100 %
    assert [
        (o["officer"], o["due"], o["on_time"], o["late"], o["rate"]) for o in found["officers"]
    ] == [
        ("张三", 3, 1, 2, 33.3),
        ("李四", 1, 1, 0, 100.0),
    ]
    assert [(b["branch"], b["due"], b["late"], b["rate"]) for b in found["branches"]] == [
        ("一支行", 3, 2, 33.3),  # the outlet 一支行营业部 counts for its branch
        ("二支行", 1, 0, 100.0),
    ]
    assert found["open_overdue"] == 1  # T3


def test_a_branch_head_sees_his_branch_only(portfolio: dict[str, Any], branch_head: Any) -> None:
    found = compliance.summary(services.visible_tasks(branch_head), dt.date(2026, 11, 20))
    assert (found["totals"]["due"], found["totals"]["late"]) == (3, 2)
    assert [o["officer"] for o in found["officers"]] == ["张三"]
