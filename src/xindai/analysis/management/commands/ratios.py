"""``xindai ratios``: the ratios, flags and trend of a statements file, as JSON or a table.

    xindai ratios statements.json --format table

The file's schema is in docs/guide/08-财务分析.md; the JSON printed is what
``POST /api/v1/analysis/ratios`` answers for the same file. A file that cannot be read or has
bad values prints every problem on stderr and exits with code 2.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.analysis.calculator import ratios_report
from xindai.core.errors import FormInvalid


class Command(BaseCommand):
    requires_system_checks: list[str] = []  # a calculation: reads only the industry bounds
    help = (
        "财务比率分析：读取报表 JSON 文件，输出各期比率、阈值提示和趋势（JSON 或表格）。"
        "文件有误时退出码为 2。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="报表 JSON 文件（格式见 docs/guide/08-财务分析.md）")
        parser.add_argument("--format", choices=("json", "table"), default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        data = _load(options["file"])
        try:
            result = ratios_report(data)
        except FormInvalid as exc:
            lines = [f"{field}：{m}" for field, messages in exc.details.items() for m in messages]
            raise CommandError("文件内容有误：\n" + "\n".join(lines), returncode=2) from exc
        if options["format"] == "json":
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(render_table(result))


def _load(name: str) -> Any:
    try:
        text = Path(name).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"无法读取文件 {name}：{exc}", returncode=2) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"第 {exc.lineno} 行第 {exc.colno} 列"
        raise CommandError(
            f"文件 {name} 不是有效的 JSON（{where}）：{exc.msg}", returncode=2
        ) from exc


_STATUS = {"ok": "✓", "warn": "！", "unknown": "?"}


def render_table(result: dict[str, Any]) -> str:
    """One column per period (oldest first) and one row per ratio, then the flags of the latest
    period and the warnings of each period."""
    periods = result["periods"]
    heading = ["指标", "单位", *(period["end"] for period in periods)]
    rows = [heading]
    for index, ratio in enumerate(periods[0]["ratios"] if periods else []):
        values = [period["ratios"][index]["value"] or "—" for period in periods]
        rows.append([ratio["label"], ratio["unit"], *values])
    lines = _aligned(rows)
    latest = periods[-1] if periods else None
    if latest:
        lines += ["", f"阈值提示（{latest['end']}）："]
        lines += [f"  {_STATUS[flag['status']]} {flag['message']}" for flag in latest["flags"]]
    for period in periods:
        lines += [f"  ！ {period['end']} {problem['message']}" for problem in period["problems"]]
    return "\n".join(lines)


def _aligned(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = []
        for index, (cell, width) in enumerate(zip(row, widths, strict=True)):
            pad = " " * (width - _width(cell))
            cells.append(cell + pad if index < 2 else pad + cell)
        lines.append("  ".join(cells).rstrip())
    lines.insert(1, "-" * max(_width(line) for line in lines))
    return lines


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
