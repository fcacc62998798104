"""``xindai schedule``: a repayment schedule (还款计划) from the command line, as JSON or a table.

    xindai schedule --principal 100000 --annual-rate 0.0435 --periods 12 \\
        --method equal_installment --start 2026-01-15 --format table

Bad parameters print the Chinese messages on stderr and exit with code 2.
"""

from __future__ import annotations

import json
import unicodedata
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core.errors import FormInvalid
from xindai.loans.schedule import DayCount, Frequency, InterestBasis, Method, build
from xindai.loans.terms import parse_terms, schedule_json

_OPTIONS = (  # (option, field)
    ("principal", "principal"),
    ("annual_rate", "annual_rate"),
    ("periods", "periods"),
    ("method", "method"),
    ("start", "start"),
    ("frequency", "frequency"),
    ("first_due_day", "first_due_day"),
    ("interest_basis", "interest_basis"),
    ("day_count", "day_count"),
    ("rounding_multiple", "rounding_multiple"),
    ("grace_periods", "grace_periods"),
)
_COLUMNS = (  # (heading, JSON key)
    ("期次", "period"),
    ("还款日", "due_date"),
    ("天数", "days"),
    ("本金", "principal"),
    ("利息", "interest"),
    ("还款额", "payment"),
    ("剩余本金", "balance"),
)


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a calculation: needs only the LPR table
    help = "还款计划试算：按给定条件输出还款计划（JSON 或表格）。参数错误时退出码为 2。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--principal", help="贷款本金（元），例如 100000")
        parser.add_argument("--annual-rate", help="年利率（小数），例如 0.0435")
        parser.add_argument("--periods", help="期数（按季时为季数；利随本清时为期限）")
        parser.add_argument("--method", help="还款方式：" + "、".join(Method))
        parser.add_argument("--start", help="放款日 YYYY-MM-DD")
        parser.add_argument("--frequency", help="还款频率：" + "、".join(Frequency))
        parser.add_argument("--first-due-day", help="固定还款日（1-31），例如 21")
        parser.add_argument("--month-end", action="store_true", help="每月（季）末还款")
        parser.add_argument("--interest-basis", help="计息方式：" + "、".join(InterestBasis))
        parser.add_argument("--day-count", help="计息天数规则：" + "、".join(DayCount))
        parser.add_argument("--rounding-multiple", help="还款额取整单位：0.01 或 1（元）")
        parser.add_argument("--grace-periods", help="宽限期（只付息不还本的期数）")
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data: dict[str, object] = {
            field: options[option] for option, field in _OPTIONS if options[option] is not None
        }
        if options["month_end"]:
            data["due_day_rule"] = "month_end"
        try:
            terms = parse_terms(data)
        except FormInvalid as exc:
            lines = [
                f"--{field.replace('_', '-')}：{m}" for field, ms in exc.details.items() for m in ms
            ]
            raise CommandError("参数有误：\n" + "\n".join(lines), returncode=2) from exc
        result = schedule_json(build(terms))
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(result))


def render_table(result: dict[str, Any]) -> str:
    """The schedule as an aligned text table (CJK characters count two columns), with a totals
    line and the annualised rate."""
    totals = result["totals"]
    body = [[str(row[key]) for _, key in _COLUMNS] for row in result["rows"]]
    total_line = ["合计", "", "", totals["principal"], totals["interest"], totals["payment"], ""]
    table = [[heading for heading, _ in _COLUMNS], *body, total_line]
    widths = [max(_width(line[i]) for line in table) for i in range(len(_COLUMNS))]
    lines = [_format_line(line, widths) for line in table]
    rule = "-" * max(_width(line) for line in lines)
    rate = f"{Decimal(totals['annualised_rate']).scaleb(2)}%"
    return "\n".join([lines[0], rule, *lines[1:-1], rule, lines[-1], f"年化利率（IRR）：{rate}"])


def _format_line(cells: list[str], widths: list[int]) -> str:
    aligned = []
    for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
        pad = " " * (width - _width(cell))
        aligned.append(cell + pad if index < 2 else pad + cell)  # numbers to the right
    return "  ".join(aligned).rstrip()


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
