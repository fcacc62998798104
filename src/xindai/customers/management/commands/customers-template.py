from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xindai.customers.excel import template_workbook


class Command(BaseCommand):
    help = "生成客户批量导入模板（.xlsx）：农户、家庭成员、个体工商户和说明。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("out", help="输出文件，如 客户导入模板.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        out.write_bytes(template_workbook())
        self.stdout.write(self.style.SUCCESS(f"导入模板已写入 {out}"))
