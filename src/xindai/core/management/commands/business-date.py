from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core import business_date


class Command(BaseCommand):
    help = "会计日期：show 显示，set YYYY-MM-DD 设置（记入审计日志）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("show", help="显示会计日期")
        setter = sub.add_parser("set", help="设置会计日期")
        setter.add_argument("date", help="YYYY-MM-DD")
        setter.add_argument("--reason", default="命令行设置", help="原因（记入审计日志）")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "show":
            value = business_date.current_or_none()
            self.stdout.write(value.isoformat() if value else "未设置")
            return
        try:
            new = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{options['date']}") from exc
        business_date.set_date(new, actor=None, reason=options["reason"])
        self.stdout.write(self.style.SUCCESS(f"会计日期已设为 {new.isoformat()}"))
