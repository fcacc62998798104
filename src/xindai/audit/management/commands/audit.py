from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.audit import services
from xindai.audit.messages import describe


class Command(BaseCommand):
    help = "审计链工具：verify 重新计算全部事件的哈希，报告第一个断点（退出码 1）。"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="校验审计链")
        verify.add_argument("--json", action="store_true", help="以 JSON 输出结果")

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = services.verify()
        if options.get("json"):
            self.stdout.write(
                json.dumps(
                    {
                        "ok": broken is None,
                        "checked": checked,
                        "broken_at": broken.event_id if broken else None,
                        "problem": describe(broken) if broken else None,
                    },
                    ensure_ascii=False,
                )
            )
        if broken is not None:
            where = f"事件 #{broken.event_id}" if broken.event_id else "链尾"
            raise CommandError(
                f"审计链断裂于{where}：{describe(broken)}（此前 {checked} 个事件完好）"
            )
        if not options.get("json"):
            self.stdout.write(self.style.SUCCESS(f"审计链完好：已校验 {checked} 个事件"))
