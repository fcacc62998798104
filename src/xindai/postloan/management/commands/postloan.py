"""``xindai postloan daily [--date D]``: run the post-loan day by hand (idempotent)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core import business_date
from xindai.postloan.jobs import run_all


class Command(BaseCommand):
    help = "贷后日批：分类、检查任务、通知书、预警、清收（默认当前会计日期，可重复运行）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["daily"])
        parser.add_argument("--date", help="会计日期 YYYY-MM-DD（默认当前会计日期）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            day = dt.date.fromisoformat(options["date"]) if options["date"] else None
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        done = run_all(day or business_date.current())
        self.stdout.write(json.dumps(done, ensure_ascii=False, indent=2))
