"""``xindai schedule``: JSON for programs, a table for people, exit code 2 on bad input."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command, execute_from_command_line

from xindai.loans.schedule import build
from xindai.loans.terms import parse_terms, schedule_json

pytestmark = pytest.mark.django_db

ARGS = [
    "--principal=100000",
    "--annual-rate=0.0435",
    "--periods=12",
    "--method=equal_installment",
    "--start=2026-01-15",
]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("schedule", *args, stdout=out)
    return out.getvalue()


def test_json_output_is_the_shared_serialisation() -> None:
    output = json.loads(run(*ARGS, "--first-due-day=21", "--interest-basis=daily"))
    data = {
        "principal": "100000",
        "annual_rate": "0.0435",
        "periods": "12",
        "method": "equal_installment",
        "start": "2026-01-15",
        "first_due_day": "21",
        "interest_basis": "daily",
    }
    assert output == schedule_json(build(parse_terms(data)))
    assert output["rows"][0]["interest"] == "72.50"


def test_month_end_flag_sets_the_month_end_rule() -> None:
    output = json.loads(run(*ARGS[:-1], "--start=2026-01-31", "--month-end"))
    assert [row["due_date"] for row in output["rows"][:2]] == ["2026-02-28", "2026-03-31"]


def test_table_output_is_aligned_with_a_totals_line() -> None:
    lines = run(*ARGS, "--format=table").splitlines()
    assert lines[0].split() == ["期次", "还款日", "天数", "本金", "利息", "还款额", "剩余本金"]
    assert lines[2].split() == ["1", "2026-02-15", "31", "8168.49", "362.50", "8530.99", "91831.51"]
    assert lines[-2].split() == ["合计", "100000.00", "2371.90", "102371.90"]
    assert lines[-1] == "年化利率（IRR）：4.4562%"
    assert len({len(line) for line in lines[2:14]}) == 1  # right-aligned numbers


def test_bad_parameters_raise_a_command_error_with_code_2() -> None:
    with pytest.raises(CommandError) as caught:
        run(
            "--principal=0",
            "--annual-rate=0.0435",
            "--periods=0",
            "--method=x",
            "--start=2026-01-15",
        )
    assert caught.value.returncode == 2
    assert "--principal：贷款本金必须大于 0" in str(caught.value)
    assert "--periods：期数必须在 1 到 600 之间" in str(caught.value)


def test_the_command_line_exits_2_with_the_message_on_stderr(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # run_from_argv closes the connections afterwards; keep the test database open
    monkeypatch.setattr("django.db.connections.close_all", lambda: None)
    with pytest.raises(SystemExit) as caught:
        execute_from_command_line(["xindai", "schedule", *ARGS[:1], "--annual-rate=0.2", *ARGS[2:]])
    assert caught.value.code == 2
    assert "年利率超过 1 年期 LPR 的 4 倍（12%）" in capsys.readouterr().err
