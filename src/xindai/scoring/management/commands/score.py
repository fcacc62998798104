"""``xindai score --as-of YYYY-MM-DD [--no-progress] [--user NAME]``: the batch scoring of a
date with the approved models (progress bar on stderr). Idempotent: scoring a date again
replaces its scores. Prints a JSON summary (customers scored, left out, grade counts,
seconds)."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core.errors import DomainError
from xindai.scoring import services


class Command(BaseCommand):
    help = "以已批准的模型对某日全部存量客户批量评分（同一日期再跑即替换），输出 JSON 摘要。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="评分日期 YYYY-MM-DD")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")
        parser.add_argument("--user", help="发起人用户名（缺省为系统）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = services.parse_as_of(options["as_of"])
            user = services.actor_of(options["user"])
            run = services.run_scoring(as_of, user=user, progress=not options["no_progress"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{options['user']} 没有运行批量评分的权限") from exc
        self.stdout.write(json.dumps(services.run_summary(run), ensure_ascii=False, indent=2))
