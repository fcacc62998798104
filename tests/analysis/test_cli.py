"""``xindai ratios FILE.json``: JSON for programs, a table for people, exit code 2 on a bad file."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from tests.analysis import moutai
from xindai.analysis.models import IndustryThreshold

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, data: Any, name: str = "statements.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("ratios", *args, stdout=out)
    return out.getvalue()


def test_the_json_gives_ratios_per_period_flags_and_trend(tmp_path: Path) -> None:
    output = json.loads(run(write(tmp_path, moutai.statements_file()), "--format=json"))
    assert [period["end"] for period in output["periods"]] == ["2022-12-31", "2023-12-31"]
    latest = {ratio["key"]: ratio for ratio in output["periods"][1]["ratios"]}
    assert latest["asset_liability_ratio"]["value"] == "17.98"
    assert latest["current_ratio"] == {
        "key": "current_ratio",
        "label": "流动比率",
        "value": "4.62",
        "unit": "倍",
        "formula": "流动资产合计 ÷ 流动负债合计",
        "reason": None,
        "notes": [],
    }
    assert latest["interest_coverage"]["reason"] == "缺少“利息费用”，无法计算"
    assert output["periods"][1]["flags"][0]["message"] == "资产负债率 17.98%，不高于上限 70%"
    trend = {line["key"]: line for line in output["trend"]}
    # 2022: 49,562,744,832.16 ÷ 254,500,826,096.02 = 19.474… % → 19.47; 2023: 17.98
    assert trend["asset_liability_ratio"]["points"] == [
        {"end": "2022-12-31", "value": "19.47"},
        {"end": "2023-12-31", "value": "17.98"},
    ]
    assert trend["asset_liability_ratio"]["changes"] == [None, "-1.49"]
    assert output["industry_code"] == "1512" and output["industry_threshold"] is None


def test_the_industry_bounds_in_the_database_apply(tmp_path: Path) -> None:
    IndustryThreshold.objects.create(code="15", min_current_ratio="5.00")
    output = json.loads(run(write(tmp_path, moutai.statements_file())))
    flags = {flag["ratio"]: flag for flag in output["periods"][1]["flags"]}
    assert flags["current_ratio"]["status"] == "warn"
    assert flags["current_ratio"]["message"] == "流动比率 4.62倍，低于下限 5.00倍"
    assert (output["industry_threshold"], output["thresholds"]["min_current_ratio"]) == (
        "15",
        "5.00",
    )


def test_the_file_may_set_its_own_bounds(tmp_path: Path) -> None:
    data = {**moutai.statements_file(), "thresholds": {"max_asset_liability_ratio": 15}}
    output = json.loads(run(write(tmp_path, data)))
    assert output["periods"][1]["flags"][0]["status"] == "warn"


def test_the_table_has_one_column_per_period(tmp_path: Path) -> None:
    lines = run(write(tmp_path, moutai.statements_file()), "--format", "table").splitlines()
    assert lines[0].split() == ["指标", "单位", "2022-12-31", "2023-12-31"]
    assert lines[2].split() == ["资产负债率", "%", "19.47", "17.98"]
    # 2022: 216,611,435,672.92 ÷ 49,065,668,798.38 = 4.4147… → 4.41
    assert lines[3].split() == ["流动比率", "倍", "4.41", "4.62"]
    assert "阈值提示（2023-12-31）：" in lines
    assert "  ✓ 资产负债率 17.98%，不高于上限 70%" in lines
    assert any("所有者权益合计" in line for line in lines)  # the warnings of the statements


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "不是有效的 JSON（第 1 行第 2 列）"),
        ({"periods": []}, "periods：至少需要一期报表"),
        (
            {"periods": [{"end": "2023-12-31", "balance_sheet": {"cash": "-1"}}]},
            "periods[0].balance_sheet.cash：不能为负数",
        ),
    ],
)
def test_a_bad_file_raises_a_command_error_with_code_2(
    tmp_path: Path, content: Any, message: str
) -> None:
    with pytest.raises(CommandError) as caught:
        run(write(tmp_path, content))
    assert caught.value.returncode == 2
    assert message in str(caught.value)


def test_a_missing_file_exits_2_with_the_message_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["xindai", "ratios", str(tmp_path / "missing.json")])
    assert caught.value.code == 2
    assert "无法读取文件" in capsys.readouterr().err
