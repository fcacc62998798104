from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core.errors import DomainError
from xindai.scoring.importer import import_file, report_file
from xindai.scoring.models import ImportStatus
from xindai.scoring.schema import TABLES, table_for


class Command(BaseCommand):
    help = (
        "导入存量客户数据文件（CSV 或 Parquet）：逐行校验，错误行写入错误报告，其余按主键更新；"
        "同一文件重复导入结果不变。每个文件输出一行 JSON；有文件整体失败时以退出码 1 结束。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", metavar="PATH", help="数据文件（.csv / .parquet）")
        parser.add_argument(
            "--table",
            choices=sorted(TABLES),
            help="数据表；不指定时按文件名判断（customers.csv → customers）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        failed = 0
        # Customers first: the other tables' rows must name a known customer.
        paths = sorted(
            options["paths"], key=lambda p: _table_of(p, options.get("table")) != "customers"
        )
        for path in paths:
            try:
                batch = import_file(path, options.get("table"))
            except DomainError as exc:
                failed += 1
                self.stdout.write(
                    json.dumps({"file": path, "error": exc.message}, ensure_ascii=False)
                )
                continue
            line = {
                "file": path,
                "table": batch.table,
                "status": batch.status,
                "rows_read": batch.rows_read,
                "accepted": batch.rows_accepted,
                "rejected": batch.rows_rejected,
                "new": batch.rows_new,
                "updated": batch.rows_updated,
                "report": str(report_file(batch) or ""),
            }
            if batch.message:
                line["message"] = batch.message
            self.stdout.write(json.dumps(line, ensure_ascii=False))
            if batch.status == ImportStatus.FAILED:
                failed += 1
        if failed:
            raise CommandError(f"{failed} 个文件导入失败")


def _table_of(path: str, table: str | None) -> str | None:
    spec = TABLES.get(table) if table else table_for(Path(path).stem)
    return spec.name if spec else None
