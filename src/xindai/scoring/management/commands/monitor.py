"""``xindai monitor --as-of YYYY-MM-DD``: PSI of each approved model's score and top features on
a date against its training data; ``level`` stable (< 0.1) / watch (0.1–0.25) / drift (> 0.25).
Prints the reports as JSON; exits 0 whether or not a model drifted."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xindai.core.errors import DomainError
from xindai.scoring import services


class Command(BaseCommand):
    help = "模型监测：计算已批准模型的评分及主要特征相对训练时的 PSI，标记漂移，输出 JSON。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--as-of", required=True, help="监测日期 YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            reports = services.monitor(services.parse_as_of(options["as_of"]))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        summary = [services.report_summary(r) for r in reports]
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
